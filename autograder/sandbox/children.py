"""One spawned child as the grader holds it: its channel, its pid, stopping and killing it.

With the fork backend a child's pid comes with its first frame, attached by
the kernel (:meth:`channels.SocketChannel.first`); the portable backend knows
it from the start. Whatever backend, the child is stopped between its calls.
"""

from __future__ import annotations

import os
import select
import signal
import time

from ..protocol import GraderFault, wire
from .processes import kill_tree

START_SECONDS = 30.0  # for a child's first frames
EXIT_SECONDS = 10.0  # for a killed child's whole PID namespace to be gone
STOP_SECONDS = 2.0  # for every thread of a child to have stopped
STOPPED = (b"T", b"t", b"Z", b"X")  # states in /proc/<pid>/task/<tid>/stat of a thread that runs no more


class Child:
    """A spawned child; ``released`` once told it may run student code, ``ready`` once it said its exercise
    imported."""

    def __init__(self, pid: int | None, channel):
        self.channel, self.ready, self.pid, self.pidfd = channel, False, None, None
        self.released = False
        self.ahead = False  # started while another child of its submission ran student code
        if pid is not None:
            self.learn(pid)

    def learn(self, pid: int) -> None:
        self.pid = pid
        try:  # a handle on this very process, immune to PID reuse
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def first(self) -> None:
        """Read the child's first frame, learning its pid where the backend did not know it."""
        try:
            hello, pid = self.channel.first(time.monotonic() + START_SECONDS)
        except wire.WireError as exc:
            raise GraderFault(f"a sandboxed child did not start: {exc}") from None
        if hello != {"child": True}:
            raise GraderFault("a sandboxed child did not start as expected")
        if self.pid is None:
            if pid is None:
                raise GraderFault("a sandboxed child did not say who it is")
            self.learn(pid)

    def pause(self, settle: bool = False) -> None:
        """Stop every thread of the child until its next call: between calls student code does nothing
        (writes nothing the grader has not measured, takes no CPU from the other students).

        A stop takes effect when each thread next leaves the kernel (a write in progress completes first):
        with ``settle``, wait until every thread has stopped (where the grader measures what they write).
        """
        self._send(getattr(signal, "SIGSTOP", None))
        deadline = time.monotonic() + STOP_SECONDS
        while settle and self.pid is not None and not _stopped(self.pid) and time.monotonic() < deadline:
            time.sleep(0.0005)

    def resume(self) -> None:
        self._send(getattr(signal, "SIGCONT", None))

    def _send(self, signum) -> None:
        try:
            if signum is not None and self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signum)
        except OSError:
            pass  # already gone: the next exchange says so

    def signal(self, namespaced: bool) -> None:
        """Kill the child (PID 1 of its namespace: everything in it goes too), without waiting."""
        if hasattr(self.channel, "kill"):  # the portable backend: its own process, killed and waited for
            self.channel.kill()
            return
        if self.pid is None:
            try:  # spawned ahead but never used: its first frame names it
                self.first()
            except GraderFault:
                pass  # it never started; its submission's namespaces end it
        self.channel.close()
        if self.pid is None:
            return
        if namespaced:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            kill_tree(self.pid)

    def wait(self, namespaced: bool) -> bool:
        """Whether the child and everything in its namespace are gone (a namespace's PID 1 exits last)."""
        if hasattr(self.channel, "kill") or not namespaced:
            gone = True
        elif self.pid is None:
            gone = False  # it never said who it is: nobody can tell when it is gone
        else:
            gone = self.pidfd is None or bool(select.select([self.pidfd], [], [], EXIT_SECONDS)[0])
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        return gone

    def kill(self, namespaced: bool) -> bool:
        self.signal(namespaced)
        return self.wait(namespaced)


def _stopped(pid: int) -> bool:
    """Whether every thread of ``pid`` has stopped (or it is gone, or this system has no /proc to ask)."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as fh:
                state = fh.read().rpartition(b")")[2].split()[:1]
        except OSError:
            continue  # that thread is gone
        if state and state[0] not in STOPPED:
            return False
    return True
