"""Grader side of the sandbox: a submission's exercises served by confined children.

:class:`Zygote` owns the process that forks children and knows the isolation
level it achieved; :class:`Submission` copies a student's ``exercises/*.py``
into a private folder and runs each exercise in its own child (spawned
lazily, respawned after a timeout or a crash). Calls come back as
:class:`~autograder.protocol.CallResult` data or as one of the ``Student*``
errors; a failure of the zygote itself is a :class:`GraderFault`. Nothing the
child sends is executed here, and nothing it reports about its arguments is
believed: array arguments live in shared buffers this side reads back.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

from ..protocol import (TIMEOUT_STRIKES, CallResult, GraderFault, Limits, StudentCodeError, StudentCrash,
                        StudentDiskError, StudentError, StudentMemoryError, StudentTimeout, SubmissionError,
                        wire)

SANDBOX = Path(__file__).resolve().parent
ZYGOTE = SANDBOX / "zygote.py"
PROTOCOL = SANDBOX.parent / "protocol"
PROJECT = Path(__file__).resolve().parents[2]  # the checkout holding solutions/ and the suites
MAX_SOURCE_BYTES = 512 * 1024
MAX_WORK_ENTRIES = 2000
START_SECONDS = 30.0  # for the zygote to start, and to answer a spawn request
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

__all__ = ["CallResult", "GraderFault", "Limits", "StudentCodeError", "StudentCrash", "StudentDiskError",
           "StudentError", "StudentMemoryError", "StudentTimeout", "Submission", "SubmissionError", "Zygote",
           "find_exercise_files", "read_source"]


def clean(text: str, limit: int = 500) -> str:
    """Student-controlled text made safe for a terminal: control and bidi characters neutralised."""
    return CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100 else "\\u%04x" % ord(m.group()),
                       str(text))[:limit]


# --- the zygote ----------------------------------------------------------------


def _zygote_env() -> dict:
    env = {k: os.environ[k] for k in ("PATH", "SYSTEMROOT") if k in os.environ}
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


class Zygote:
    """A numpy-loaded process that forks one confined child per request."""

    def __init__(self, log_path: Path | None = None, disabled=()):
        ours, theirs = socket.socketpair()
        log = open(log_path or os.devnull, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", str(ZYGOTE), str(theirs.fileno()), ",".join(disabled)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=_zygote_env(), start_new_session=True,
            )
        except OSError as exc:
            raise GraderFault(f"cannot start the sandbox process: {exc}") from None
        finally:
            theirs.close()
            log.close()
        self.control = ours
        try:
            hello = wire.recv(self.control, deadline=time.monotonic() + START_SECONDS)
        except wire.WireError as exc:
            self.close()
            raise GraderFault(f"the sandbox process did not start: {exc}") from None
        self.caps, self.level = dict(hello["caps"]), str(hello["level"])
        self.read_roots = [str(p) for p in hello["read_roots"]]

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, request: dict) -> tuple[int, socket.socket]:
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"s"], [theirs.fileno()])
            wire.send(self.control, request)
            reply = wire.recv(self.control, deadline=time.monotonic() + START_SECONDS)
        except (OSError, wire.WireError) as exc:
            ours.close()
            self.close()  # stopped or dead: never reuse it
            raise GraderFault(f"the sandbox process did not answer: {exc}") from None
        finally:
            theirs.close()
        if not isinstance(reply, dict) or not isinstance(reply.get("pid"), int):
            ours.close()
            raise GraderFault(f"the sandbox could not start a child: {reply.get('error') if isinstance(reply, dict) else reply}")
        return reply["pid"], ours

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
        if self.alive():
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
    """Kill ``pid`` (PID 1 of its namespace: everything in it dies), its group and descendants."""
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for proc in procs:
        _stop_and_kill(proc)


# --- the student's files ---------------------------------------------------------


def find_exercise_files(path: Path) -> dict[str, Path]:
    """The ``exercises/*.py`` files of a submission folder, validated."""
    path = Path(path)
    if not path.is_dir():
        raise SubmissionError(f"{path}: 그런 폴더가 없습니다")
    folder = path / "exercises"
    if folder.is_symlink() or not folder.is_dir():
        raise SubmissionError(f"{path}: exercises/ 폴더가 없습니다 (학생의 과제 저장소가 맞나요?)")
    try:
        return {p.name: p for p in sorted(folder.glob("*.py"))}
    except OSError as exc:
        raise SubmissionError(f"{path}: exercises/ 폴더를 읽을 수 없습니다 ({exc.strerror or exc})") from None


def read_source(file: Path) -> tuple[bytes | None, str | None]:
    """A student file's bytes as UTF-8 source, or None and a Korean note saying why it is not used.

    Files saved in CP949/EUC-KR (older Korean Windows editors) are converted
    with a note instead of failing with a raw ``utf-8 codec`` SyntaxError.
    """
    name = file.name
    if file.is_symlink() or not file.is_file():
        return None, f"{name}: 심볼릭 링크나 일반 파일이 아닌 파일은 채점에 쓰지 않습니다."
    try:
        size = file.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return None, f"{name}: 파일이 너무 커서({size} 바이트) 채점에 쓰지 않습니다."
        data = file.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{file}: 파일을 읽을 수 없습니다 ({exc.strerror or exc})") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if re.search(rb"^[ \t\f]*#.*?coding[:=]", data[:400], re.MULTILINE):
            return data, None  # it declares its own encoding: Python will honour it
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            return data, None  # Python reports the SyntaxError with its line
        return text.encode("utf-8"), (f"{name}: UTF-8이 아니라 CP949(EUC-KR)로 저장된 파일이라 UTF-8로 바꿔 읽었습니다. "
                                      "편집기에서 UTF-8로 저장하세요.")
    return data, None


# --- one submission -------------------------------------------------------------


class _Child:
    def __init__(self, pid: int, channel: socket.socket):
        self.pid, self.channel = pid, channel

    def kill(self) -> None:
        self.channel.close()
        kill_tree(self.pid)


def _sandbox_user(name: str | None) -> tuple[int, int] | None:
    """(uid, gid) of the configured sandbox user, used only when the grader runs as root."""
    if not name or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise GraderFault(f"채점용 사용자 {name!r}이(가) 이 기계에 없습니다 (--sandbox-user).") from None
    return entry.pw_uid, entry.pw_gid


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


class Submission:
    """A student's exercises in a private folder, one confined child process per exercise.

    ``standins`` maps an exercise to the sibling modules replaced by
    exact-gradient stand-ins while it runs (no double penalty).
    """

    def __init__(self, path, zygote, limits: Limits = Limits(), standins: dict | None = None, protected=()):
        self.path = Path(path)
        files = find_exercise_files(self.path)
        # a Zygote, or a function returning a live one (restarted if it died)
        self._zygote_source = zygote if callable(zygote) else (lambda: zygote)
        self.limits = limits
        self.standins = standins or {}
        self.notes: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.work, self.shared = self.root / "work", self.root / "shared"
        self.user = _sandbox_user(limits.sandbox_user)
        try:
            self.preload = self._copy_sources(files)
            if self.user:
                self._hand_over(*self.user)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.zygote = self._zygote_source()
        self.protected = [str(Path(p).resolve()) for p in (PROJECT, tempfile.gettempdir(), Path.home(), *protected,
                                                           self.path)]
        self.deadline = time.monotonic() + limits.submission_timeout
        self._children: dict[str, _Child] = {}
        self._load_failures: dict[str, StudentError] = {}
        self._timeouts: dict[tuple[str, str], int] = {}
        self._printed_truncated: set[str] = set()

    def _copy_sources(self, files: dict[str, Path]) -> list[str]:
        target = self.work / "exercises"
        target.mkdir(parents=True)
        (self.work / "output").mkdir()
        self.shared.mkdir()
        preload = set()
        for name, source in files.items():
            if name == "__init__.py":
                continue  # ours is empty: a broken __init__ must not sink every exercise
            data, note = read_source(source)
            if note:
                self.notes.append(note)
            if data is None:
                continue
            (target / name).write_bytes(data)
            if b"matplotlib" in data:
                preload.add("matplotlib")
        (target / "__init__.py").write_text("", encoding="utf-8")
        return sorted(preload)

    def _hand_over(self, uid: int, gid: int) -> None:
        """Let the sandbox user into its folders (the grader, as root, reads everything anyway)."""
        self.root.chmod(0o711)
        for folder in (self.work, self.work / "exercises", self.work / "output", self.shared):
            os.chown(folder, uid, gid)
        for file in (self.work / "exercises").iterdir():
            os.chown(file, uid, gid)

    # -- children ------------------------------------------------------------

    def _request(self, exercise: str) -> dict:
        base = psutil.Process(self.zygote.process.pid).memory_info().vms
        python_path = [p for p in sys.path if p and Path(p).resolve() not in (SANDBOX, PROTOCOL)]
        work = str(self.work)
        return {
            "exercise": exercise,
            "work": work,
            "shared": str(self.shared),
            "memory_bytes": base + self.limits.memory_mb * 1024 * 1024,
            "cpu_seconds": int(self.limits.submission_timeout) + 5,
            "output_bytes": self.limits.output_kb * 1024,
            "guard": self.limits.guard,
            "protected": self.protected,
            "python_path": [p for p in python_path if not _is_project_path(p)],
            "standins": list(self.standins.get(exercise, ())),
            "preload": self.preload,
            "user": list(self.user) if self.user else None,
            "env": {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": work, "TMPDIR": work, "PATH": "/usr/bin:/bin",
                    "MPLBACKEND": "Agg", "MPLCONFIGDIR": work, "OPENBLAS_NUM_THREADS": "1",
                    "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
        }

    def _deadline(self) -> tuple[float, bool]:
        call_deadline = time.monotonic() + self.limits.call_timeout
        return min(call_deadline, self.deadline), self.deadline < call_deadline

    def _live_zygote(self):
        if not self.zygote.alive():
            self.zygote = self._zygote_source()
            if not self.zygote.alive():
                raise GraderFault("the sandbox process died and could not be restarted")
        return self.zygote

    def _child(self, exercise: str) -> _Child:
        if exercise in self._load_failures:
            raise self._load_failures[exercise]
        if exercise in self._children:
            return self._children[exercise]
        if not (self.work / "exercises" / f"{exercise}.py").is_file():
            error = StudentCodeError("ModuleNotFoundError", f"exercises/{exercise}.py", [], during_import=True)
            self._load_failures[exercise] = error
            raise error
        self._check_time_left()
        pid, channel = self._live_zygote().spawn(self._request(exercise))
        child = _Child(pid, channel)
        deadline, whole = self._deadline()
        try:
            hello = self._await(child, deadline)
        except wire.WireTimeout:
            child.kill()
            error = StudentTimeout(self.limits.call_timeout, whole, during_import=True)
        except wire.WireError as exc:
            error = self._died(child, f"child died while importing: {exc}")
        except StudentDiskError as exc:
            child.kill()
            self._clear_work()
            error = exc
        else:
            if isinstance(hello, dict) and hello.get("ok") is True:
                self._children[exercise] = child
                return child
            child.kill()
            error = _code_error(hello.get("error") if isinstance(hello, dict) else None, during_import=True)
        self._load_failures[exercise] = error
        raise error

    def _died(self, child: _Child, reason: str) -> StudentCrash:
        child.kill()
        return StudentCrash(reason)

    def _check_time_left(self) -> None:
        if time.monotonic() >= self.deadline:
            raise StudentTimeout(self.limits.submission_timeout, whole_submission=True)

    def _await(self, child: _Child, deadline: float):
        """The child's next frame, watching the disk budget while waiting."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise wire.WireTimeout("no answer before the deadline")
            if select.select([child.channel], [], [], min(0.25, remaining))[0]:
                return wire.recv(child.channel, deadline)
            self._check_disk()

    def _check_disk(self) -> None:
        budget, used, entries = self.limits.disk_mb * 1024 * 1024, 0, 0
        stack = [str(self.work)]
        while stack:
            try:
                with os.scandir(stack.pop()) as it:
                    for entry in it:
                        entries += 1
                        info = entry.stat(follow_symlinks=False)
                        used += info.st_size
                        if stat.S_ISDIR(info.st_mode):
                            stack.append(entry.path)
                        if used > budget or entries > MAX_WORK_ENTRIES:
                            raise StudentDiskError(self.limits.disk_mb)
            except OSError:
                continue

    def _clear_work(self) -> None:
        """Delete what student code wrote into the work folder (the copied sources stay)."""
        for entry in os.scandir(self.work):
            if entry.name in ("exercises", "output"):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    def call(self, exercise: str, func: str, args=(), kwargs=None) -> CallResult:
        """Run ``exercises/<exercise>.py:<func>(*args, **kwargs)`` in the child."""
        if self._timeouts.get((exercise, func), 0) >= TIMEOUT_STRIKES:
            raise StudentTimeout(self.limits.call_timeout, repeated=True)
        child = self._child(exercise)
        self._check_time_left()
        shared_args, arg_buffers = self._share(list(args))
        shared_kwargs, kwarg_buffers = self._share(dict(kwargs or {}))
        deadline, whole = self._deadline()
        try:
            wire.send(child.channel, {"func": func, "args": shared_args, "kwargs": shared_kwargs})
            reply = self._await(child, deadline)
            self._check_disk()
        except wire.WireTimeout:
            self._discard(exercise)
            self._timeouts[(exercise, func)] = self._timeouts.get((exercise, func), 0) + 1
            seconds = self.limits.submission_timeout if whole else self.limits.call_timeout
            raise StudentTimeout(seconds, whole) from None
        except StudentDiskError:
            self._discard(exercise)
            self._clear_work()  # the next call starts from a clean folder again
            raise
        except (wire.WireError, OSError) as exc:
            crash = self._died(self._children.pop(exercise), str(exc))
            raise crash from None
        finally:
            after = self._read_back({**arg_buffers, **{("kw", k): v for k, v in kwarg_buffers.items()}})
            args_after = [after.get(i) for i in range(len(shared_args))]
            kwargs_after = {k: after.get(("kw", k)) for k in shared_kwargs}
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            self._discard(exercise)
            raise StudentCrash("malformed reply")
        if reply.get("printed_truncated") is True and exercise not in self._printed_truncated:
            self._printed_truncated.add(exercise)
            self.notes.append(f"exercises/{exercise}.py: print 출력이 너무 많아 앞부분만 남기고 버렸습니다 "
                              "(점수에는 영향이 없습니다).")
        if not reply["ok"]:
            raise _code_error(reply.get("error"))
        probes = reply.get("probes")
        return CallResult(value=reply.get("value"), args_after=args_after, kwargs_after=kwargs_after,
                          probes=[p for p in probes if isinstance(p, dict)] if isinstance(probes, list) else [])

    # -- shared argument buffers ----------------------------------------------

    def _share(self, values):
        """Put array arguments into shared buffers the child maps; return (message values, buffers)."""
        keys = range(len(values)) if isinstance(values, list) else list(values)
        out = list(values) if isinstance(values, list) else dict(values)
        buffers = {}
        for key in keys:
            value = values[key]
            if isinstance(value, np.ndarray) and value.size and value.dtype.kind in "biuf":
                array = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
                name = secrets.token_hex(8)
                fd = os.open(self.shared / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(array.tobytes())
                if self.user:
                    os.chown(self.shared / name, *self.user)
                out[key] = {"__shared__": name, "dtype": array.dtype.str, "shape": list(array.shape)}
                buffers[key] = (name, array.dtype, array.shape, array.nbytes)
        return out, buffers

    def _read_back(self, buffers):
        """What the shared buffers hold now (None if the child tampered with one)."""
        after = {}
        for key, (name, dtype, shape, nbytes) in buffers.items():
            path = self.shared / name
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with os.fdopen(fd, "rb") as fh:
                    info = os.fstat(fh.fileno())
                    data = fh.read(nbytes + 1) if stat.S_ISREG(info.st_mode) else b""
                after[key] = np.frombuffer(data, dtype=dtype).reshape(shape).copy() if len(data) == nbytes else None
            except OSError:
                after[key] = None
            try:
                os.unlink(path)
            except OSError:
                pass
        return after

    def _discard(self, exercise: str) -> None:
        child = self._children.pop(exercise, None)
        if child is not None:
            child.kill()

    def close(self) -> None:
        for exercise in list(self._children):
            self._discard(exercise)
        if self.zygote.alive():
            self.zygote.kill_descendants()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _code_error(error, during_import: bool = False) -> StudentCodeError:
    error = error if isinstance(error, dict) else {}
    kind = clean(error.get("type", "Error"), 100)
    message = clean(error.get("message", ""), 500)
    frames = [[clean(f[0], 200), f[1] if isinstance(f[1], int) else 0, clean(f[2], 100), clean(f[3], 200)]
              for f in error.get("frames", []) if isinstance(f, list) and len(f) == 4][:5]
    module = clean(error.get("module", ""), 100)
    cls = StudentMemoryError if kind == "MemoryError" else StudentCodeError
    return cls(kind, message, frames, during_import, module)
