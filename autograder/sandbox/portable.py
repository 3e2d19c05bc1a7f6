"""The portable backend: a fresh Python process per exercise, on Windows, macOS or Linux.

Where the Linux fork backend is not available (no ``fork`` with descriptor
passing, no ``resource``, or macOS, where forking after numpy is loaded is
unsafe), :class:`PortableZygote` stands in for :class:`~.client.Zygote` (see
:mod:`backend`): it starts ``python -I portable_child.py`` per exercise and
speaks the same :mod:`wire` frames over its pipes. Student code still runs in a separate
process, an endless loop is still a timeout and a crash still a Korean
message; the limits the platform cannot enforce are reported by the child
and said once, as a property of the machine. There is no kernel confinement
here: it is meant for a student checking their own work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

from ..protocol import GraderFault
from ..protocol.requests import ChildRequest
from . import confine, levels
from .channels import PipeChannel
from .workspace import Workspace

SIMULATED = None  # tests only: the platform simulate_parent() made this process look like
CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "portable_child.py")


def simulate_parent(platform: str | None) -> None:
    """Tests only: make this (grader) process look like Windows or macOS to the code that chooses a backend.

    ``windows``: no ``os.fork``, no ``socket.send_fds``, and ``Popen`` refuses ``pass_fds`` (as there);
    ``macos``: the fork backend is not chosen (forking after numpy is loaded is unsafe there). The
    children are told through the request and behave accordingly (no ``resource`` on Windows,
    ``setrlimit(RLIMIT_AS)`` raising ``ValueError`` on macOS; see portable_child.simulate). The grader
    process itself never uses ``resource``, so it is left importable (psutil's Linux code needs it).
    """
    import socket

    if platform == "windows":
        for module, name in ((os, "fork"), (socket, "send_fds"), (os, "killpg"), (os, "setsid")):
            if hasattr(module, name):
                delattr(module, name)
        original = subprocess.Popen.__init__

        def no_pass_fds(self, *args, **kwargs):
            if kwargs.get("pass_fds"):
                raise AssertionError("pass_fds not supported on Windows")
            original(self, *args, **kwargs)

        subprocess.Popen.__init__ = no_pass_fds
    global SIMULATED
    SIMULATED = platform


def fork_backend_available() -> bool:
    """The Linux fork backend needs fork, descriptor passing and the resource module."""
    import socket

    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    linux = sys.platform.startswith("linux") and SIMULATED not in ("windows", "macos")
    return linux and hasattr(os, "fork") and hasattr(socket, "send_fds")


class PortableZygote:
    """The portable backend (see :mod:`backend`): a box is nothing more than a fresh process per child."""

    caps = {"landlock": 0, "namespaces": False, "seccomp": False, "pids": False, "portable": True}
    level = levels.level(caps)

    def __init__(self, env: dict, simulate: str | None = None):
        self.env, self.simulate = env, simulate
        self.read_roots = confine.read_roots()
        self.user = None
        self.workspace = Workspace()
        self._processes: list[subprocess.Popen] = []
        self._closed = False

    def alive(self) -> bool:
        return not self._closed  # closed (its workspace with it) when a submission's files could not be removed

    def base_memory(self) -> None:
        return None  # each child measures itself: it starts fresh, it is not a fork of anything

    def open_box(self, request: ChildRequest) -> PortableBox:
        return PortableBox(self, replace(request, simulate=self.simulate, read_roots=tuple(self.read_roots)))

    def start_child(self, request: ChildRequest):
        """A fresh ``python -I portable_child.py`` serving ``request``: (pid, channel)."""
        options = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        try:
            process = subprocess.Popen([sys.executable, "-I", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, env=self.env, **options)
        except OSError as exc:
            raise GraderFault(f"cannot start a Python process for student code: {exc}") from None
        self._processes = [p for p in self._processes if p.poll() is None] + [process]
        channel = PipeChannel(process)
        channel.send(request.to_wire())
        return process.pid, channel

    def kill_descendants(self) -> int:
        alive = [p for p in self._processes if p.poll() is None]
        for process in alive:
            process.kill()
            process.wait()
        self._processes = []
        return len(alive)

    def close(self) -> None:
        self.kill_descendants()
        if not self._closed:
            self.workspace.close()
        self._closed = True


class PortableBox:
    """One submission on the portable backend: each child its own process, killed with it."""

    def __init__(self, backend: PortableZygote, request: ChildRequest):
        self.backend, self.request = backend, request

    def spawn(self, exercise: str, standins: dict):
        return self.backend.start_child(self.request.for_exercise(exercise, standins))

    def close(self) -> None:
        pass  # its children are killed and waited for by the submission
