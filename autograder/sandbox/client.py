"""Grader side of the sandbox: a submission's exercises served by child processes.

:class:`Zygote` owns the process that forks children; :class:`Submission`
copies a student's ``exercises/*.py`` into a private folder and runs each
exercise in its own child (spawned lazily, respawned after a timeout or a
crash). Calls come back as :class:`CallResult` data or as one of the
``Student*`` exceptions below; nothing the child sends is executed here.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

from . import wire

ZYGOTE = Path(__file__).with_name("zygote.py")
PROJECT = Path(__file__).resolve().parents[2]  # the checkout holding solutions/ and the suites
MAX_SOURCE_BYTES = 512 * 1024
TIMEOUT_STRIKES = 2  # after this many timeouts a function is not called again


@dataclass(frozen=True)
class Limits:
    """Resource limits for student code (all configurable from the CLI)."""

    call_timeout: float = 5.0  # seconds for one call into student code (and for importing it)
    submission_timeout: float = 120.0  # seconds for everything one submission runs
    memory_mb: int = 1024  # address space a child may add on top of Python + numpy
    output_kb: int = 256  # largest file (stdout/stderr included) a child may write
    guard: bool = True  # audit-hook fence (see sandbox/guard.py)


# --- what can go wrong in student code, as seen by the grader ---------------


class StudentError(Exception):
    """Base class: a call into student code did not return a value."""


class StudentCodeError(StudentError):
    """Student code raised an exception (type name, message, own stack frames)."""

    def __init__(self, kind: str, message: str, frames: list, during_import: bool = False):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.frames, self.during_import = kind, message, frames, during_import


class StudentMemoryError(StudentCodeError):
    """Student code ran out of its memory limit."""


class StudentTimeout(StudentError):
    def __init__(self, seconds: float, whole_submission: bool = False, during_import: bool = False,
                 repeated: bool = False):
        super().__init__(f"timeout after {seconds:g}s")
        self.seconds, self.whole_submission, self.during_import = seconds, whole_submission, during_import
        self.repeated = repeated  # not run: this function already timed out TIMEOUT_STRIKES times


class StudentCrash(StudentError):
    """The child process died or broke the protocol (os._exit, segfault, ...)."""


class SubmissionError(ValueError):
    """The folder is not a gradable submission (bad argument, not student code)."""


@dataclass
class CallResult:
    value: object
    args_after: list = field(default_factory=list)
    kwargs_after: dict = field(default_factory=dict)
    probes: list = field(default_factory=list)


# --- the zygote ----------------------------------------------------------------


def _child_env():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "TMPDIR", "SYSTEMROOT") if k in os.environ}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


class Zygote:
    """A numpy-loaded process that forks one sandboxed child per request."""

    def __init__(self, log_path: Path | None = None):
        ours, theirs = socket.socketpair()
        log = open(log_path or os.devnull, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", str(ZYGOTE), str(theirs.fileno())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=_child_env(), start_new_session=True,
            )
        finally:
            theirs.close()
            log.close()
        self.control = ours

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, request: dict) -> tuple[int, socket.socket]:
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"s"], [theirs.fileno()])
            wire.send(self.control, request)
            reply = wire.recv(self.control, deadline=time.monotonic() + 30)
        except (OSError, wire.WireError) as exc:
            ours.close()
            raise StudentCrash(f"zygote unavailable: {exc}") from None
        finally:
            theirs.close()
        return int(reply["pid"]), ours

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
                _stop_and_kill(proc)
            killed += len(procs)
            time.sleep(0.01)
        return killed

    def close(self) -> None:
        self.kill_descendants()
        self.control.close()
        if self.alive():
            self.process.kill()
        self.process.wait()


def _stop_and_kill(proc: psutil.Process) -> None:
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            proc.send_signal(sig)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return


def kill_tree(pid: int) -> None:
    """Kill ``pid``, its process group and every descendant still attached to it."""
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for proc in procs:
        _stop_and_kill(proc)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --- one submission -------------------------------------------------------------


def find_exercise_files(path: Path) -> dict[str, Path]:
    """The ``exercises/*.py`` files of a submission folder, validated."""
    path = Path(path)
    if not path.is_dir():
        raise SubmissionError(f"{path}: no such folder")
    folder = path / "exercises"
    if folder.is_symlink() or not folder.is_dir():
        raise SubmissionError(f"{path}: no exercises/ folder (is this a student's repository?)")
    return {p.name: p for p in sorted(folder.glob("*.py"))}


class _Child:
    def __init__(self, pid: int, channel: socket.socket):
        self.pid, self.channel = pid, channel

    def kill(self) -> None:
        self.channel.close()
        kill_tree(self.pid)


class Submission:
    """A student's exercises in a private folder, one child process per exercise.

    ``standins`` maps an exercise to the sibling modules replaced by
    exact-gradient stand-ins while it runs (no double penalty).
    """

    def __init__(self, path, zygote, limits: Limits = Limits(),
                 standins: dict | None = None, protected=()):
        self.path = Path(path)
        files = find_exercise_files(self.path)
        # a Zygote, or a function returning a live one (restarted if student code killed it)
        self._zygote_source = zygote if callable(zygote) else (lambda: zygote)
        self.zygote = self._zygote_source()
        self.limits = limits
        self.standins = standins or {}
        self.notes: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="autograder-"))
        self._copy_sources(files)
        self.protected = [str(Path(p).resolve()) for p in (PROJECT, tempfile.gettempdir(), *protected, self.path)]
        self.deadline = time.monotonic() + limits.submission_timeout
        self._children: dict[str, _Child] = {}
        self._load_failures: dict[str, StudentError] = {}
        self._timeouts: dict[tuple[str, str], int] = {}

    def _copy_sources(self, files: dict[str, Path]) -> None:
        target = self.workdir / "exercises"
        target.mkdir()
        (self.workdir / "output").mkdir()
        for name, source in files.items():
            if name == "__init__.py":
                continue  # ours is empty: a broken __init__ must not sink every exercise
            if source.is_symlink() or not source.is_file():
                self.notes.append(f"{name}: 심볼릭 링크나 일반 파일이 아닌 파일은 채점에 쓰지 않습니다.")
                continue
            if source.stat().st_size > MAX_SOURCE_BYTES:
                self.notes.append(f"{name}: 파일이 너무 커서({source.stat().st_size} 바이트) 채점에 쓰지 않습니다.")
                continue
            shutil.copyfile(source, target / name)
        (target / "__init__.py").write_text("", encoding="utf-8")

    # -- children ------------------------------------------------------------

    def _request(self, exercise: str) -> dict:
        out = self.workdir / "output"
        base = psutil.Process(self.zygote.process.pid).memory_info().vms
        python_path = [p for p in sys.path if p and Path(p).resolve() != ZYGOTE.parent.resolve()]
        return {
            "exercise": exercise,
            "workdir": str(self.workdir),
            "stdout": str(out / f"{exercise}.stdout"),
            "stderr": str(out / f"{exercise}.stderr"),
            "memory_bytes": base + self.limits.memory_mb * 1024 * 1024,
            "cpu_seconds": int(self.limits.submission_timeout) + 5,
            "output_bytes": self.limits.output_kb * 1024,
            "guard": self.limits.guard,
            "protected": self.protected,
            "allowed": sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, *_site_dirs()}),
            "python_path": [p for p in python_path if not _is_project_path(p)],
            "standins": list(self.standins.get(exercise, ())),
        }

    def _deadline(self) -> tuple[float, bool]:
        call_deadline = time.monotonic() + self.limits.call_timeout
        return min(call_deadline, self.deadline), self.deadline < call_deadline

    def _child(self, exercise: str) -> _Child:
        if exercise in self._load_failures:
            raise self._load_failures[exercise]
        if exercise in self._children:
            return self._children[exercise]
        if not (self.workdir / "exercises" / f"{exercise}.py").is_file():
            error = StudentCodeError("ModuleNotFoundError", f"exercises/{exercise}.py", [], during_import=True)
            self._load_failures[exercise] = error
            raise error
        self._check_time_left()
        if not self.zygote.alive():
            self.zygote = self._zygote_source()
            if not self.zygote.alive():
                raise StudentCrash("zygote died")
        pid, channel = self.zygote.spawn(self._request(exercise))
        child = _Child(pid, channel)
        deadline, whole = self._deadline()
        try:
            hello = wire.recv(channel, deadline)
        except wire.WireTimeout:
            child.kill()
            error = StudentTimeout(self.limits.call_timeout, whole, during_import=True)
            self._load_failures[exercise] = error
            raise error from None
        except wire.WireError as exc:
            child.kill()
            error = StudentCrash(f"child died while importing: {exc}")
            self._load_failures[exercise] = error
            raise error from None
        if not hello.get("ok"):
            child.kill()
            error = _code_error(hello.get("error"), during_import=True)
            self._load_failures[exercise] = error
            raise error
        self._children[exercise] = child
        return child

    def _check_time_left(self) -> None:
        if time.monotonic() >= self.deadline:
            raise StudentTimeout(self.limits.submission_timeout, whole_submission=True)

    def call(self, exercise: str, func: str, args=(), kwargs=None) -> CallResult:
        """Run ``exercises/<exercise>.py:<func>(*args, **kwargs)`` in the child."""
        if self._timeouts.get((exercise, func), 0) >= TIMEOUT_STRIKES:
            raise StudentTimeout(self.limits.call_timeout, repeated=True)
        child = self._child(exercise)
        self._check_time_left()
        deadline, whole = self._deadline()
        try:
            wire.send(child.channel, {"func": func, "args": list(args), "kwargs": dict(kwargs or {})})
            reply = wire.recv(child.channel, deadline)
        except wire.WireTimeout:
            self._discard(exercise)
            self._timeouts[(exercise, func)] = self._timeouts.get((exercise, func), 0) + 1
            seconds = self.limits.submission_timeout if whole else self.limits.call_timeout
            raise StudentTimeout(seconds, whole) from None
        except (wire.WireError, OSError) as exc:
            self._discard(exercise)
            raise StudentCrash(str(exc)) from None
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            self._discard(exercise)
            raise StudentCrash("malformed reply")
        if not reply["ok"]:
            raise _code_error(reply.get("error"))
        return CallResult(
            value=reply.get("value"),
            args_after=list(reply.get("args_after") or []),
            kwargs_after=dict(reply.get("kwargs_after") or {}),
            probes=list(reply.get("probes") or []),
        )

    def _discard(self, exercise: str) -> None:
        child = self._children.pop(exercise, None)
        if child is not None:
            child.kill()

    def output(self, exercise: str, limit: int = 2000) -> str:
        """The first ``limit`` bytes the student's code printed while graded."""
        chunks = []
        for stream in ("stdout", "stderr"):
            path = self.workdir / "output" / f"{exercise}.{stream}"
            if path.is_file():
                with open(path, "rb") as fh:
                    chunks.append(fh.read(limit))
        return b"".join(chunks)[:limit].decode("utf-8", errors="replace")

    def close(self) -> None:
        for exercise in list(self._children):
            self._discard(exercise)
        self.zygote.kill_descendants()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _code_error(error, during_import: bool = False) -> StudentCodeError:
    error = error if isinstance(error, dict) else {}
    kind = str(error.get("type", "Error"))[:100]
    message = str(error.get("message", ""))[:500]
    frames = [f for f in error.get("frames", []) if isinstance(f, list) and len(f) == 4][:5]
    cls = StudentMemoryError if kind == "MemoryError" else StudentCodeError
    return cls(kind, message, frames, during_import)


def _site_dirs() -> list[str]:
    return [str(Path(np.__file__).resolve().parent.parent)]


def _is_project_path(path: str) -> bool:
    """Keep the grader's own checkout off the child's import path."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        return True
    inside = resolved == PROJECT or PROJECT in resolved.parents
    return inside and "site-packages" not in resolved.parts and not resolved.name.startswith("python3")
