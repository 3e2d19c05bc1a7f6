"""How the grader talks to one child: the same :mod:`wire` frames over a socket or over pipes.

:class:`SocketChannel` serves the Linux fork backend (a socket pair passed
through the zygote and the submission's host): the kernel attaches the
sender's pid to the first frame (``SO_PASSCRED``), translated into the
grader's PID namespace, so a child in namespaces of its own is known by its
real pid without anyone's word for it. :class:`PipeChannel` serves the
portable backend (a child process's stdin and stdout, read by a thread, so
waiting with a deadline works on Windows too, where ``select`` takes only
sockets).

Every child's first frame is ``{"child": True}``: :meth:`first` reads it and
returns the sender's pid (None where the backend knows it already).
"""

from __future__ import annotations

import os
import queue
import select
import signal
import socket
import struct
import subprocess
import threading
import time

from ..protocol import wire


CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid


class SocketChannel:
    def __init__(self, sock):
        self.sock = sock
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)  # before the other end can write

    def first(self, deadline: float):
        """The first frame and the pid of the process that sent it, as the kernel says."""
        if not self.readable(max(0.0, deadline - time.monotonic())):
            raise wire.WireTimeout("no answer before the deadline")
        header, ancillary, _, _ = self.sock.recvmsg(wire.HEADER.size, socket.CMSG_SPACE(CREDENTIALS.size))
        if not header:
            raise wire.WireClosed("connection closed")
        pid = next((CREDENTIALS.unpack(data[:CREDENTIALS.size])[0] for level, kind, data in ancillary
                    if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS), None)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 0)
        header += wire.recv_exactly(self.sock, wire.HEADER.size - len(header), deadline)
        (length,) = wire.HEADER.unpack(header)
        if length > wire.MAX_FRAME:
            raise wire.WireError(f"frame of {length} bytes exceeds {wire.MAX_FRAME}")
        return wire.loads(wire.recv_exactly(self.sock, length, deadline)), pid or None

    def send(self, value) -> None:
        wire.send(self.sock, value)

    def readable(self, timeout: float) -> bool:
        return bool(select.select([self.sock], [], [], timeout)[0])

    def recv(self, deadline: float):
        return wire.recv(self.sock, deadline)

    def close(self) -> None:
        self.sock.close()


class PipeChannel:
    """A child process's pipes; a reader thread turns its stdout into decoded frames."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self._frames: queue.Queue = queue.Queue()
        self._next = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        try:
            while True:
                header = stream.read(wire.HEADER.size)
                if len(header) < wire.HEADER.size:
                    raise wire.WireClosed("connection closed")
                (length,) = wire.HEADER.unpack(header)
                if length > wire.MAX_FRAME:
                    raise wire.WireError(f"frame of {length} bytes exceeds {wire.MAX_FRAME}")
                body = stream.read(length)
                if len(body) < length:
                    raise wire.WireClosed("connection closed")
                self._frames.put(wire.loads(body))
        except (wire.WireError, OSError, ValueError) as exc:
            self._frames.put(exc if isinstance(exc, wire.WireError) else wire.WireClosed(str(exc)))

    def send(self, value) -> None:
        try:
            self.process.stdin.write(wire.dumps(value))
            self.process.stdin.flush()
        except (OSError, ValueError) as exc:
            raise wire.WireClosed(str(exc)) from None

    def readable(self, timeout: float) -> bool:
        if self._next is None:
            try:
                self._next = (self._frames.get(timeout=max(timeout, 0.0)),)
            except queue.Empty:
                return False
        return True

    def recv(self, deadline: float):
        if not self.readable(deadline - time.monotonic()):
            raise wire.WireTimeout("no answer before the deadline")
        (item,), self._next = self._next, None
        if isinstance(item, wire.WireError):
            raise item
        return item

    def first(self, deadline: float):
        return self.recv(deadline), None  # its process is the grader's own child: its pid is known

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def kill(self) -> None:
        """Kill the child (and, on POSIX, the process group it leads)."""
        if hasattr(os, "killpg"):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.close()
