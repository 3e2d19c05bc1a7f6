"""Grader side of the fork backend: the zygote, one box per submission, and their process tree.

:class:`Zygote` owns the process that forks a keeper per submission and knows
the isolation level it achieved; :meth:`Zygote.open_box` gives a
:class:`ForkBox`, through which the submission's host forks one confined
child per exercise (see :mod:`zygote`, :mod:`keeper`, :mod:`host`). Both
follow the protocols of :mod:`backend`. A failure of the zygote itself is a
:class:`GraderFault`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from ..protocol import GraderFault, wire
from ..protocol.requests import ChildRequest
from . import confine, privileges
from .channels import SocketChannel
from .processes import stop_and_kill
from .workspace import Workspace

ZYGOTE = Path(__file__).resolve().parent / "zygote.py"
START_SECONDS = 30.0  # for the zygote to start, and to answer a request


def zygote_env() -> dict:
    """The fixed environment every backend starts its processes with: no variable of the grader's
    (a token, a password) can reach student code, and so never its feedback. Windows needs its own
    PATH and SYSTEMROOT to load Python's libraries."""
    env = {k: os.environ[k] for k in ("PATH", "SYSTEMROOT") if k in os.environ and os.name == "nt"}
    env.setdefault("PATH", os.defpath)
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MPLBACKEND="Agg", MPLCONFIGDIR=str(_matplotlib_cache()), HOME=tempfile.gettempdir())
    return env


def _matplotlib_cache() -> Path:
    """A private folder for matplotlib's font cache, built once by the zygote (outside the sandbox)."""
    folder = Path(tempfile.gettempdir()) / f"autograder-matplotlib-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if hasattr(os, "getuid") and (folder.is_symlink() or folder.stat().st_uid != os.getuid()):
        folder = Path(tempfile.mkdtemp(prefix="autograder-matplotlib-"))
    return folder


def sandbox_user(name: str | None) -> tuple[str, int, int] | None:
    """``(name, uid, gid)`` children become when the grader runs as root: ``name``, or ``nobody``.

    A grader that is not root has no other user to give them (None).
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    try:
        return (name or "nobody", *privileges.unprivileged_user(name))
    except KeyError:
        raise GraderFault(f"채점용 사용자 {name!r}이(가) 이 기계에 없습니다 (--sandbox-user).") from None


class Zygote:
    """A numpy-loaded process that forks one confined submission (a keeper and its host) per box."""

    def __init__(self, log_path: Path | None = None, disabled=(), user: tuple[str, int, int] | None = None):
        """``user``: ``(name, uid, gid)`` children become when the grader runs as root (:func:`sandbox_user`).

        Returns as soon as the zygote is started: it loads numpy and tries the machine's layers while the
        caller goes on; its answer is awaited when first needed (:attr:`caps`, :meth:`open_box`).
        """
        self.workspace = Workspace()  # the same folders for every submission; the zygote must reach them
        self.process, self.control = self._start(log_path, disabled, user)
        self._hello: dict | None = None

    def _said(self) -> dict:
        """The zygote's hello: what this machine gave the children (awaited once)."""
        if self._hello is None:
            try:
                hello = wire.recv(self.control, deadline=time.monotonic() + START_SECONDS)
            except wire.WireError as exc:
                self.close()
                raise GraderFault(f"the sandbox process did not start: {exc}") from None
            self._caps = dict(hello["caps"])
            ids = self._caps.get("user_ids")
            if ids:
                self.workspace.hand_to((int(ids[0]), int(ids[1])))
            self._hello = hello
        return self._hello

    @property
    def caps(self) -> dict:
        self._said()
        return self._caps

    @property
    def level(self) -> str:
        return str(self._said()["level"])

    @property
    def read_roots(self) -> list[str]:
        return [str(p) for p in self._said()["read_roots"]]

    @property
    def user(self) -> tuple[int, int] | None:
        """The (uid, gid) children run as, if not the grader's."""
        ids = self.caps.get("user_ids")
        return (int(ids[0]), int(ids[1])) if ids else None

    def _start(self, log_path, disabled, user) -> tuple[subprocess.Popen, socket.socket]:
        ours, theirs = socket.socketpair()
        log = open(log_path or os.devnull, "ab")
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", str(ZYGOTE), str(theirs.fileno()), ",".join(disabled),
                 ":".join(map(str, user)) if user else "", str(self.workspace.work), str(self.workspace.shared),
                 str(os.getpid())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=zygote_env(), start_new_session=True,
            )
        except OSError as exc:
            ours.close()
            self.workspace.close()
            raise GraderFault(f"cannot start the sandbox process: {exc}") from None
        finally:
            theirs.close()
            log.close()
        return process, ours

    def alive(self) -> bool:
        return self.process.poll() is None

    def open_box(self, request: ChildRequest) -> ForkBox:
        """A submission's confinement: the zygote forks its keeper, which starts its host."""
        self._said()
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"b"], [theirs.fileno()])
            wire.send(self.control, request.to_wire())
            reply = wire.recv(self.control, deadline=time.monotonic() + START_SECONDS)
        except (OSError, wire.WireError) as exc:
            ours.close()
            self.close()  # stopped or dead: never reuse it
            raise GraderFault(f"the sandbox process did not answer: {exc}") from None
        finally:
            theirs.close()
        if not isinstance(reply, dict) or not isinstance(reply.get("keeper"), int):
            ours.close()
            raise GraderFault(f"the sandbox could not start a submission: "
                              f"{reply.get('error') if isinstance(reply, dict) else reply}")
        return ForkBox(ours, reply["keeper"])

    def base_memory(self) -> int:
        """What the zygote already occupies (children's memory limits are on top of it)."""
        return psutil.Process(self.process.pid).memory_info().vms

    def kill_descendants(self) -> int:
        """SIGKILL every process below the zygote; return how many were killed."""
        killed = 0
        for _ in range(50):  # a fork bomb may add processes while we kill
            try:
                procs = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                return killed
            if not procs:
                return killed
            for proc in procs:
                stop_and_kill(proc)
            killed += len(procs)
            time.sleep(0.01)
        return killed

    def close(self) -> None:
        if self.alive():
            self.kill_descendants()
        self.control.close()
        try:
            self.process.wait(timeout=2)  # it removes its cgroups when told to stop
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        confine.PidsCgroups.remove_stale(self.process.pid)
        if hasattr(self, "workspace"):
            self.workspace.close()


class ForkBox:
    """One submission's keeper and host; each :meth:`spawn` asks the host for a child."""

    def __init__(self, host: socket.socket, keeper: int):
        self.host, self.keeper = host, keeper  # the socket to the host; the keeper's pid

    def spawn(self, exercise: str, standins: dict) -> tuple[None, SocketChannel]:
        """The child's channel; its pid comes with its first frame (:meth:`SocketChannel.first`)."""
        ours, theirs = socket.socketpair()
        channel = SocketChannel(ours)
        try:
            socket.send_fds(self.host, [b"s"], [theirs.fileno()])
            wire.send(self.host, {"exercise": exercise, "standins": standins})
        except OSError:
            pass  # the host is gone: the child's channel is closed and says so
        finally:
            theirs.close()
        return None, channel

    def close(self) -> None:
        """Hang up: the host (PID 1 of the submission's namespaces) exits, and its keeper with it."""
        self.host.close()

