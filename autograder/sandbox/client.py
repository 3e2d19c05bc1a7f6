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

import errno
import functools
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from ..protocol import (TIMEOUT_STRIKES, CallResult, GraderFault, Limits, StudentCodeError, StudentCrash,
                        StudentDiskError, StudentError, StudentMemoryError, StudentTimeout, SubmissionError,
                        wire)
from . import confine, privileges
from .channels import SocketChannel
from .workspace import MAX_WORK_ENTRIES, Workspace, find_exercise_files, read_source

SANDBOX = Path(__file__).resolve().parent
ZYGOTE = SANDBOX / "zygote.py"
PROTOCOL = SANDBOX.parent / "protocol"
PROJECT = Path(__file__).resolve().parents[2]  # the checkout holding solutions/ and the suites
START_SECONDS = 30.0  # for the zygote to start, and to answer a spawn request
CHILD_EXIT_SECONDS = 10.0  # for a killed child's whole PID namespace to be gone
MACHINE_NOTES = {
    "memory": "이 컴퓨터에서는 메모리 제한을 걸 수 없어 검사하지 않습니다 (채점 환경의 성질이며 점수와는 관계없습니다).",
    "cpu": "이 컴퓨터에서는 CPU 시간 제한을 걸 수 없어 호출마다의 시간 제한만 검사합니다 (점수와는 관계없습니다).",
    "file": "이 컴퓨터에서는 출력 파일 크기 제한을 걸 수 없어 검사하지 않습니다 (점수와는 관계없습니다).",
    "group": "이 컴퓨터에서는 학생 코드가 만든 프로세스를 한꺼번에 정리할 수 없어 함수를 실행한 프로세스만 끝냅니다 "
             "(점수와는 관계없습니다).",
}
DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))  # the kernel's tmpfs budget said no
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

__all__ = ["CallResult", "GraderFault", "Limits", "StudentCodeError", "StudentCrash", "StudentDiskError",
           "StudentError", "StudentMemoryError", "StudentTimeout", "Submission", "SubmissionError", "Zygote",
           "find_exercise_files", "read_source", "sandbox_user"]


def clean(text: str, limit: int = 500) -> str:
    """Student-controlled text made safe for a terminal: control and bidi characters neutralised."""
    return CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100 else "\\u%04x" % ord(m.group()),
                       str(text))[:limit]


# --- the zygote ----------------------------------------------------------------


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


class Zygote:
    """A numpy-loaded process that forks one confined child per request."""

    def __init__(self, log_path: Path | None = None, disabled=(), user: tuple[str, int, int] | None = None):
        """``user``: ``(name, uid, gid)`` children become when the grader runs as root (:func:`sandbox_user`)."""
        self.workspace = Workspace()  # the same folders for every submission; the zygote must reach them
        ours, theirs = socket.socketpair()
        log = open(log_path or os.devnull, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", str(ZYGOTE), str(theirs.fileno()), ",".join(disabled),
                 ":".join(map(str, user)) if user else "", str(self.workspace.root)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=zygote_env(), start_new_session=True,
            )
        except OSError as exc:
            self.workspace.close()
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
        ids = self.caps.get("user_ids")
        self.user = (int(ids[0]), int(ids[1])) if ids else None  # the user children run as, if not ours
        if self.user:
            self.workspace.hand_to(self.user)

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
        if not isinstance(reply, dict) or not isinstance(reply.get("keeper"), int):
            ours.close()
            raise GraderFault(f"the sandbox could not start a child: {reply.get('error') if isinstance(reply, dict) else reply}")
        return None, SocketChannel(ours, keeper=reply["keeper"])  # the child's pid comes on the channel

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
                _stop_and_kill(proc)
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


# --- one submission -------------------------------------------------------------


class _Child:
    """A spawned child; ``ready`` once it said its exercise imported.

    With the fork backend its pid arrives as the first frame (the keeper's); until then only the
    keeper is known, and killing it takes the child along (PR_SET_PDEATHSIG).
    """

    def __init__(self, pid: int | None, channel):
        self.channel, self.ready, self.pid, self.pidfd = channel, False, None, None
        if pid is not None:
            self.learn(pid)

    def learn(self, pid: int) -> None:
        self.pid = pid
        try:  # a handle on this very process, immune to PID reuse
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def pause(self) -> None:
        """Stop every thread of the child until its next call: between calls student code does nothing
        (writes nothing the grader has not measured, takes no CPU from the other students)."""
        self._send(getattr(signal, "SIGSTOP", None))

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
            self._learn_from_channel()
        self.channel.close()
        target = self.pid if self.pid is not None else getattr(self.channel, "keeper", None)
        if target is None:
            return
        if namespaced or self.pid is None:
            try:
                os.kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            kill_tree(target)

    def _learn_from_channel(self) -> None:
        """A child spawned ahead but never used: its keeper's first frame (sent at once) names it."""
        try:
            first = self.channel.recv(time.monotonic() + START_SECONDS)
        except wire.WireError:
            return
        if isinstance(first, dict) and type(first.get("pid")) is int:
            self.learn(first["pid"])

    def wait(self, namespaced: bool) -> bool:
        """Whether the child and everything in its namespace are gone (a namespace's PID 1 exits last)."""
        if hasattr(self.channel, "kill") or not namespaced:
            gone = True
        elif self.pid is None:
            gone = False  # it never said who it is: nobody can tell when it is gone
        else:
            gone = self.pidfd is None or bool(select.select([self.pidfd], [], [], CHILD_EXIT_SECONDS)[0])
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        return gone

    def kill(self, namespaced: bool) -> bool:
        self.signal(namespaced)
        return self.wait(namespaced)


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


@functools.lru_cache(maxsize=4)
def _child_path(python_path: tuple[str, ...]) -> tuple[str, ...]:
    """The grader's import path without the sandbox's own folders and the checkout (resolved once per path)."""
    return tuple(p for p in python_path if p and Path(p).resolve() not in (SANDBOX, PROTOCOL)
                 and not _is_project_path(p))


def _is_project_path(path: str) -> bool:
    """Keep the grader's own checkout off the child's import path."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        return True
    inside = resolved == PROJECT or PROJECT in resolved.parents
    return inside and "site-packages" not in resolved.parts and not resolved.name.startswith("python3")


def _child_env(work: str) -> dict:
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": work, "TMPDIR": work, "TEMP": work, "TMP": work,
           "PATH": os.defpath, "MPLBACKEND": "Agg", "MPLCONFIGDIR": work, "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    if "SYSTEMROOT" in os.environ:  # Windows needs it to load system libraries
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


class Submission:
    """A student's exercises in the zygote's workspace, one confined child process per exercise.

    ``standins`` maps an exercise to ``{sibling module: stand-in source}``,
    replaced while it runs (no double penalty); ``provided`` maps a provided
    module to the grader's own source, used whatever the submission holds.
    """

    def __init__(self, path, zygote, limits: Limits = Limits(), standins: dict | None = None, protected=(),
                 provided: dict | None = None):
        self.path = Path(path)
        files = find_exercise_files(self.path)
        # a Zygote, or a function returning a live one (restarted if it died)
        self._zygote_source = zygote if callable(zygote) else (lambda: zygote)
        self.zygote = self._zygote_source()
        self.limits, self.standins = limits, standins or {}
        self.workspace, self.provided = self.zygote.workspace, provided or {}
        self.notes, self.preload = self.workspace.load(files, self.provided)
        self.protected = [str(Path(p).resolve()) for p in (PROJECT, tempfile.gettempdir(), Path.home(), *protected,
                                                           self.path)]
        self.deadline = time.monotonic() + limits.submission_timeout
        self._children: dict[str, _Child] = {}
        self._load_failures: dict[str, StudentError] = {}
        self._timeouts: dict[tuple[str, str], int] = {}
        self._printed_truncated: set[str] = set()
        self._refused: set[str] = set()  # limits the children said this platform refused

    @property
    def user(self):
        return self.zygote.user

    # -- children ------------------------------------------------------------

    def _request(self, exercise: str) -> dict:
        base = self.zygote.base_memory()
        work = str(self.workspace.work)
        return {
            "exercise": exercise, "work": work, "shared": str(self.workspace.shared),
            "memory_bytes": base + self.limits.memory_mb * 1024 * 1024 if base else None,
            "memory_extra": self.limits.memory_mb * 1024 * 1024,
            "cpu_seconds": int(self.limits.submission_timeout) + 5,
            "output_bytes": self.limits.output_kb * 1024,
            "disk_bytes": self.limits.disk_mb * 1024 * 1024 + self.workspace.source_bytes,
            "disk_entries": MAX_WORK_ENTRIES,
            "guard": self.limits.guard, "protected": self.protected,
            "python_path": list(_child_path(tuple(sys.path))),
            "standins": dict(self.standins.get(exercise, {})), "preload": self.preload, "env": _child_env(work),
        }

    def _deadline(self) -> tuple[float, bool]:
        call_deadline = time.monotonic() + self.limits.call_timeout
        return min(call_deadline, self.deadline), self.deadline < call_deadline

    def _live_zygote(self):
        if not self.zygote.alive():
            self.zygote = self._zygote_source()
            if not self.zygote.alive():
                raise GraderFault("the sandbox process died and could not be restarted")
            self.workspace = self.zygote.workspace
            self.notes, self.preload = self.workspace.load(find_exercise_files(self.path), self.provided)
        return self.zygote

    def start(self, exercises) -> None:
        """Spawn the children of ``exercises`` now; they import while earlier tests run.

        Not where the grader walks the work folder (no tmpfs): there a child may run only while the grader
        waits for it and measures the folder, so each is spawned when its first test needs it.
        """
        caps = self.zygote.caps
        if not (caps.get("tmpfs") or caps.get("portable")):
            return
        self._spawn(exercises)

    def _spawn(self, exercises) -> None:
        for exercise in exercises:
            if exercise not in self._children and exercise not in self._load_failures \
                    and (self.workspace.work / "exercises" / f"{exercise}.py").is_file():
                self._children[exercise] = _Child(*self._live_zygote().spawn(self._request(exercise)))

    def _child(self, exercise: str) -> _Child:
        if exercise in self._load_failures:
            raise self._load_failures[exercise]
        if not (self.workspace.work / "exercises" / f"{exercise}.py").is_file():
            self._load_failures[exercise] = StudentCodeError(
                "ModuleNotFoundError", f"exercises/{exercise}.py", [], during_import=True)
            raise self._load_failures[exercise]
        self._check_time_left()
        self._spawn([exercise])
        child = self._children[exercise]
        if not child.ready:
            self._await_hello(exercise, child)
        return child

    def _await_confined(self, child: _Child) -> None:
        """The child's first frames: who it is (fork backend), then that it is confined. Anything else is
        the grader's problem, not the student's."""
        try:
            first = child.channel.recv(time.monotonic() + START_SECONDS)
            if child.pid is None:
                if not (isinstance(first, dict) and type(first.get("pid")) is int):
                    raise GraderFault("a sandboxed child did not say who it is")
                child.learn(first["pid"])
                first = child.channel.recv(time.monotonic() + START_SECONDS)
        except wire.WireError as exc:
            raise GraderFault(f"a sandboxed child did not start: {exc}") from None
        if not (isinstance(first, dict) and first.get("confined") is True):
            raise GraderFault("a sandboxed child did not start as expected")
        self._note_refused(first.get("refused"))

    def _await_hello(self, exercise: str, child: _Child) -> None:
        self._await_confined(child)
        deadline, whole = self._deadline()
        try:
            hello = self._await(child, deadline)
        except wire.WireTimeout:
            error = StudentTimeout(self.limits.call_timeout, whole, during_import=True)
        except wire.WireError as exc:
            error = StudentCrash(f"child died while importing: {exc}")
        except StudentDiskError as exc:
            error = exc
        else:
            if isinstance(hello, dict) and hello.get("ok") is True:
                child.ready = True
                child.pause()  # until its first call
                return
            error = self._student_error(hello.get("error") if isinstance(hello, dict) else None, during_import=True)
        self._discard(exercise)
        if isinstance(error, StudentDiskError):
            self.workspace.clear()  # once the child that wrote it is gone
        self._load_failures[exercise] = error
        raise error

    def _check_time_left(self) -> None:
        if time.monotonic() >= self.deadline:
            raise StudentTimeout(self.limits.submission_timeout, whole_submission=True)

    def _await(self, child: _Child, deadline: float):
        """The child's next frame, watching the disk budget while waiting."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise wire.WireTimeout("no answer before the deadline")
            if child.channel.readable(min(0.25, remaining)):
                return child.channel.recv(deadline)
            self._check_disk()

    def call(self, exercise: str, func: str, args=(), kwargs=None) -> CallResult:
        """Run ``exercises/<exercise>.py:<func>(*args, **kwargs)`` in the child."""
        if self._timeouts.get((exercise, func), 0) >= TIMEOUT_STRIKES:
            raise StudentTimeout(self.limits.call_timeout, repeated=True)
        child = self._child(exercise)
        self._check_time_left()
        self.workspace.begin()
        shared_args, arg_slots = self.workspace.put(list(args))
        shared_kwargs, kwarg_slots = self.workspace.put(dict(kwargs or {}))
        try:
            reply = self._exchange(exercise, func, child, shared_args, shared_kwargs)
        finally:
            after = self.workspace.take({**arg_slots, **{("kw", k): v for k, v in kwarg_slots.items()}})
        self._note_output(exercise, reply)
        if not reply["ok"]:
            raise self._student_error(reply.get("error"))
        probes, reported = reply.get("probes"), reply.get("instances_after")
        return CallResult(value=reply.get("value"), args_after=[after.get(i) for i in range(len(shared_args))],
                          kwargs_after={k: after.get(("kw", k)) for k in shared_kwargs},
                          probes=[p for p in probes if isinstance(p, dict)] if isinstance(probes, list) else [],
                          instances_after=_reported(reported))

    def _exchange(self, exercise: str, func: str, child: _Child, args, kwargs) -> dict:
        """Send one call, wait for its reply; every way it can go wrong becomes a Student* error."""
        deadline, whole = self._deadline()
        try:
            child.resume()
            child.channel.send({"func": func, "args": args, "kwargs": kwargs})
            reply = self._await(child, deadline)
            child.pause()
            self._check_disk()
        except wire.WireTimeout:
            self._discard(exercise)
            self._timeouts[(exercise, func)] = self._timeouts.get((exercise, func), 0) + 1
            raise StudentTimeout(self.limits.submission_timeout if whole else self.limits.call_timeout, whole) from None
        except StudentDiskError:
            self._discard(exercise)
            self.workspace.clear()  # the next call starts from a clean folder again
            raise
        except (wire.WireError, OSError) as exc:
            self._discard(exercise)
            raise StudentCrash(str(exc)) from None
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            self._discard(exercise)
            raise StudentCrash("malformed reply")
        return reply

    def _check_disk(self) -> None:
        """StudentDiskError if the work folder is over budget (the files the children hold open included)."""
        file_limit = None if "file" in self._refused else self.limits.output_kb * 1024
        pids = [c.pid for c in self._children.values() if c.pid is not None]
        self.workspace.check_disk(self.limits.disk_mb, file_limit, pids)

    def _student_error(self, error, during_import: bool = False) -> StudentError:
        """The error a child reported; a write the kernel's tmpfs budget refused is a disk error."""
        if isinstance(error, dict) and error.get("errno") in DISK_FULL:
            return StudentDiskError(self.limits.disk_mb)
        return _code_error(error, during_import)

    def _note_refused(self, refused) -> None:
        """Limits this machine cannot enforce, said once as a property of the machine (never the student's)."""
        self._refused.update(n for n in (refused if isinstance(refused, list) else []) if isinstance(n, str))
        for name in refused if isinstance(refused, list) else []:
            note = MACHINE_NOTES.get(name)
            if note and note not in self.notes:
                self.notes.append(note)

    def _note_output(self, exercise: str, reply: dict) -> None:
        if reply.get("printed_truncated") is True and exercise not in self._printed_truncated:
            self._printed_truncated.add(exercise)
            self.notes.append(f"exercises/{exercise}.py: print 출력이 너무 많아 앞부분만 남기고 버렸습니다 "
                              "(점수에는 영향이 없습니다).")

    def _discard(self, exercise: str) -> None:
        child = self._children.pop(exercise, None)
        if child is not None and not child.kill(bool(self.zygote.caps.get("namespaces"))):
            self._lingering = True

    def close(self) -> None:
        namespaced = bool(self.zygote.caps.get("namespaces"))
        children, self._children = list(self._children.values()), {}
        for child in children:  # all killed first, then all waited for
            child.signal(namespaced)
        if not all([child.wait(namespaced) for child in children]):
            self._lingering = True
        if self.zygote.alive() and not self.zygote.caps.get("namespaces"):
            self.zygote.kill_descendants()  # without PID namespaces, leftovers are found by ancestry
        clean = self.workspace.clear(everything=True)
        if not clean or getattr(self, "_lingering", False):
            self.zygote.close()  # its workspace with it: the next submission gets fresh ones
        if getattr(self, "_lingering", False):
            raise GraderFault("a child of this submission did not go away")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _reported(value) -> dict:
    """Instances' params as the child reports them, keyed by argument position or name."""
    if not isinstance(value, dict):
        return {}
    out = {}
    for key, params in value.items():
        position = int(key) if isinstance(key, str) and key.isdigit() else key
        out[position] = params if isinstance(params, dict) else None
    return out


def _code_error(error, during_import: bool = False) -> StudentCodeError:
    error = error if isinstance(error, dict) else {}
    kind = clean(error.get("type", "Error"), 100)
    message = clean(error.get("message", ""), 500)
    frames = [[clean(f[0], 200), f[1] if isinstance(f[1], int) else 0, clean(f[2], 100), clean(f[3], 200)]
              for f in error.get("frames", []) if isinstance(f, list) and len(f) == 4][:5]
    module = clean(error.get("module", ""), 100)
    cls = StudentMemoryError if kind == "MemoryError" else StudentCodeError
    return cls(kind, message, frames, during_import, module)
