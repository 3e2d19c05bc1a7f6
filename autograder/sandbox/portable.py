"""The portable backend: a fresh Python process per exercise, on Windows, macOS or Linux.

Where the Linux fork backend is not available (no ``fork`` with descriptor
passing, no ``resource``, or macOS, where forking after numpy is loaded is
unsafe), :class:`PortableZygote` stands in for :class:`~.client.Zygote` (see
:mod:`backend`): it starts ``python -I portable_child.py`` per exercise and
speaks the same :mod:`wire` frames over its pipes. Student code still runs in a separate
process, an endless loop is still a timeout and a crash still a Korean
message; the limits the platform cannot enforce are reported by the child
and said once, as a property of the machine. On Linux the children get every
kernel layer that needs no namespace (see :class:`PortableZygote`); on macOS
and Windows there is no kernel confinement at all. Either way it is meant for
a student checking their own work, not for grading a class.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

from ..protocol import GraderFault, wire
from ..protocol.requests import ChildRequest
from . import confine, levels, mounts, syscalls
from .channels import PipeChannel
from .workspace import Workspace

SIMULATED = None  # tests only: the platform simulate_parent() made this process look like
PROBE_SECONDS = 30.0  # for the probe child to start, confine itself and answer
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
    """The portable backend (see :mod:`backend`): a box is nothing more than a fresh process per child.

    On Linux every child applies the kernel layers that need no namespace: it becomes the sandbox user when
    the grader is root (with Python exposed in a mount namespace of its own if that user cannot reach it,
    as the fork backend's keepers do), gives up its capabilities, and enters Landlock, seccomp and rlimits
    before any student code runs. Which of them hold is found once by starting a probe child that applies
    them and then reads the Python installation; every later child is told to apply exactly those and
    refuses to start otherwise, so the level stays true.
    """

    def __init__(self, env: dict, simulate: str | None = None, user: tuple[str, int, int] | None = None):
        self.env, self.simulate = env, simulate
        self.read_roots = confine.read_roots()
        self.workspace = Workspace()
        self._processes: list[subprocess.Popen] = []
        self._closed = False
        self.layers = self._layers(user)
        self.user = tuple(self.layers["user"]) if self.layers.get("user") else None
        linux = bool(self.layers)
        self.caps = {"portable": True, "landlock": self.layers.get("landlock", 0), "namespaces": False,
                     "seccomp": bool(self.layers.get("seccomp")), "pids": False, "nocaps": linux,
                     "rlimits": linux, "user": user[0] if self.user else None,
                     "root": linux and os.geteuid() == 0 and not self.user}
        self.level = levels.level(self.caps)

    def _layers(self, user) -> dict:
        """The layers every child applies: the strongest set a probe child applied and still read Python with."""
        if not sys.platform.startswith("linux") or self.simulate in ("windows", "macos"):
            return {}
        wanted = {"landlock": confine.landlock_abi(), "seccomp": syscalls.build() is not None,
                  "user": list(user[1:]) if user else None, "expose": {}}
        if user:
            reach = confine.read_roots() + confine.site_dirs() + [str(self.workspace.root)]
            wanted["expose"] = mounts.blocked_folders(reach, *user[1:])
        for plan in (wanted, {**wanted, "user": None, "expose": {}}):
            self.workspace.hand_to(tuple(plan["user"]) if plan["user"] else (os.getuid(), os.getgid()))
            if self._probe(plan):
                return plan
        return {}

    def _probe(self, plan: dict) -> bool:
        if not self.workspace.clear(everything=True):
            return False
        work = str(self.workspace.work)
        request = ChildRequest(work=work, shared=str(self.workspace.shared), memory_bytes=None, memory_extra=1 << 30,
                               cpu_seconds=60, output_bytes=1 << 16, disk_bytes=0, disk_entries=0, guard=False,
                               env=dict(self.env), exercise="probe", read_roots=tuple(self.read_roots), layers=plan,
                               probe=True)
        try:
            _, channel = self.start_child(request)
            frames = [channel.first(time.monotonic() + PROBE_SECONDS)[0]]
            frames += [channel.recv(time.monotonic() + PROBE_SECONDS) for _ in range(2)]
        except (GraderFault, wire.WireError):
            return False
        finally:
            self.kill_descendants()
        return frames[0] == {"child": True} and isinstance(frames[1], dict) and frames[1].get("confined") is True \
            and frames[2] == {"probe": True}

    def alive(self) -> bool:
        return not self._closed  # closed (its workspace with it) when a submission's files could not be removed

    def base_memory(self) -> None:
        return None  # each child measures itself: it starts fresh, it is not a fork of anything

    def open_box(self, request: ChildRequest) -> PortableBox:
        return PortableBox(self, replace(request, simulate=self.simulate, read_roots=tuple(self.read_roots),
                                         layers=self.layers))

    def start_child(self, request: ChildRequest):
        """A fresh ``python -I portable_child.py PARENT`` serving ``request``: (pid, channel)."""
        options = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        try:
            process = subprocess.Popen([sys.executable, "-I", CHILD, str(os.getpid())], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env, **options)
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
