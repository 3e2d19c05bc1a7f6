"""One submission graded in the sandbox: its exercises served by confined children, whatever the backend.

:class:`Submission` copies a student's ``exercises/*.py`` into the backend's
workspace, opens one :class:`~autograder.sandbox.backend.Box` for the whole
submission and runs each exercise in a child of its own (spawned when its
first test needs it; respawned after a timeout or a crash: a failure costs
only its own exercise). One child of a submission exists at a time, and
each starts with an arena of its own (and, where children share the work
folder, from the submission's files as handed in): children of one
submission share no writable state, and a child holding stand-ins starts
only after the children of the exercises they replace are gone for good.
Student code of one exercise never observes grader material given to
another exercise's code. Calls come back
as :class:`~autograder.protocol.CallResult` data or as one of the
``Student*`` errors; a failure of the sandbox itself is a
:class:`GraderFault`. Nothing the child sends is executed here, and nothing
it reports about its arguments is believed: array arguments live in shared
buffers this side reads back.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import time
from pathlib import Path

from ..protocol import (TIMEOUT_STRIKES, CallResult, GraderFault, Limits, StudentCodeError, StudentCrash,
                        StudentDiskError, StudentError, StudentTimeout, wire)
from ..protocol.requests import ChildRequest
from . import replies
from .children import START_SECONDS, Child
from .workspace import MAX_WORK_ENTRIES, find_exercise_files

SANDBOX = Path(__file__).resolve().parent
PROJECT = SANDBOX.parents[1]  # the checkout holding solutions/ and the suites
SPARE_CHILDREN = 1  # children beyond one per exercise with a pids cgroup of their own (a killed one's is reused)


@functools.lru_cache(maxsize=4)
def _child_path(python_path: tuple[str, ...]) -> tuple[str, ...]:
    """The grader's import path without the checkout (resolved once per path)."""
    return tuple(p for p in python_path if p and not _is_project_path(p))


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
    """A student's exercises in the backend's workspace, one confined child process per exercise.

    ``standins`` maps an exercise to ``{sibling module: stand-in source}``,
    replaced while it runs (no double penalty); ``provided`` maps a provided
    module to the grader's own source, used whatever the submission holds.
    """

    def __init__(self, path, zygote, limits: Limits = Limits(), standins: dict | None = None, protected=(),
                 provided: dict | None = None, redact=None):
        """``redact(text) -> text``: what every text the children send passes through (hidden material out)."""
        self.path, self.redact = Path(path), redact or (lambda text: text)
        files = self._files = find_exercise_files(self.path)
        # a backend, or a function returning a live one (restarted if it died)
        self._zygote_source = zygote if callable(zygote) else (lambda: zygote)
        self.zygote = self._zygote_source()
        self.limits, self.standins = limits, standins or {}
        self.workspace, self.provided = self.zygote.workspace, provided or {}
        self.caps = self.zygote.caps  # (awaits the zygote: the files are handed to the user it names)
        self.notes, self.preload = self.workspace.load(files, self.provided)
        self.protected = [str(Path(p).resolve()) for p in (PROJECT, tempfile.gettempdir(), Path.home(), *protected,
                                                           self.path)]
        self.deadline = time.monotonic() + limits.submission_timeout
        self.box, self._slots = None, len(files)  # children with a pids cgroup of their own (see start)
        self._children: dict[str, Child] = {}
        self._load_failures: dict[str, StudentError] = {}
        self._timeouts: dict[tuple[str, str], int] = {}
        self._printed_truncated: set[str] = set()
        self._refused: set[str] = set()  # limits the children said this platform refused
        self._released, self._order = 0, []  # children let run so far; the exercises in the suites' order
        self._sealed: set[str] = set()  # exercises whose stand-in a child has held: never run again

    @property
    def user(self):
        return self.zygote.user

    # -- children ------------------------------------------------------------

    def _request(self) -> ChildRequest:
        base, extra = self.zygote.base_memory(), self.limits.memory_mb * 1024 * 1024
        work = str(self.workspace.work)
        return ChildRequest(
            work=work, shared=str(self.workspace.shared), memory_bytes=base + extra if base else None,
            memory_extra=extra, cpu_seconds=int(self.limits.submission_timeout) + 5,
            output_bytes=self.limits.output_kb * 1024,
            disk_bytes=self.limits.disk_mb * 1024 * 1024 + self.workspace.source_bytes,
            disk_entries=MAX_WORK_ENTRIES, guard=self.limits.sandbox.guard, protected=tuple(self.protected),
            python_path=_child_path(tuple(sys.path)), env=_child_env(work), preload=tuple(self.preload),
            children=self._slots)

    def _deadline(self) -> tuple[float, bool]:
        call_deadline = time.monotonic() + self.limits.call_timeout
        return min(call_deadline, self.deadline), self.deadline < call_deadline

    def _live_zygote(self):
        if not self.zygote.alive():
            self.zygote, self.box = self._zygote_source(), None
            if not self.zygote.alive():
                raise GraderFault("the sandbox process died and could not be restarted")
            self.workspace, self.caps = self.zygote.workspace, self.zygote.caps
            self.notes, self.preload = self.workspace.load(self._files, self.provided)
        return self.zygote

    def _box(self):
        zygote = self._live_zygote()
        if self.box is None:
            self.box = zygote.open_box(self._request())
        return self.box

    def start(self, exercises) -> None:
        """Size the submission for ``exercises`` (its children's pids cgroup slots) and note their order: where
        each child has a work folder of its own, the first exercise's child and then, each time, the next one's
        are started ahead, held confined before any student code (see :meth:`_spawn_next`)."""
        self._slots, self._order = len(exercises) + SPARE_CHILDREN, list(exercises)
        first = next((e for e in self._order if e in self.workspace.modules), None)
        if first is not None and (self.caps.get("tmpfs") or self.caps.get("portable")):
            self._spawn(first)  # confined while the first test computes its reference

    def prepare(self, exercises) -> None:
        """Run the children of ``exercises`` one after the other, each until it has imported its module (what
        a submission costs before its first call; ``bench --profile`` measures it)."""
        for exercise in exercises:
            try:
                self._child(exercise)
            except StudentError:
                pass  # the student's import failed: that child is gone, as when graded

    def _child(self, exercise: str) -> Child:
        if exercise in self._load_failures:
            raise self._load_failures[exercise]
        if exercise not in self.workspace.modules:
            self._load_failures[exercise] = StudentCodeError(
                "ModuleNotFoundError", f"exercises/{exercise}.py", [], during_import=True)
            raise self._load_failures[exercise]
        self._check_time_left()
        child = self._children.get(exercise)
        if child is None or not child.released:
            child = self._release(exercise)
        if not child.ready:
            self._await_hello(exercise, child)
            self._spawn_next(exercise)
        return child

    def _release(self, exercise: str) -> Child:
        """Let ``exercise``'s child run student code, as the only child of this submission alive: every other
        child is gone for good first; it gets a new arena (and, where children share the work folder, the
        submission's files as handed in), then its stand-ins. Student code of one exercise never observes
        grader material given to another exercise's code."""
        for other in [name for name in self._children if name != exercise]:
            self._discard(other)
        if getattr(self, "_lingering", False):
            raise GraderFault("a child of this submission did not go away")
        if exercise in self._sealed:  # the suites' order guarantees this never happens
            raise GraderFault(f"exercises/{exercise}.py asked for after its stand-ins were given to another child")
        child = self._confined(exercise, self._children.get(exercise) or self._spawn(exercise))
        if self._released and self._walked():
            self.workspace.load(self._files, self.provided)  # nothing the last child left behind
        self.workspace.new_arena()
        standins = dict(self.standins.get(exercise, {}))
        self._sealed.update(standins)
        try:
            child.channel.send({"go": True, "standins": standins})
        except (wire.WireError, OSError):
            pass  # it died: the next frame says so
        child.released, self._released = True, self._released + 1
        return child

    def _spawn(self, exercise: str) -> Child:
        """A child for ``exercise``, confined but held before any student code: it holds no grader material."""
        child = Child(*self._box().spawn(exercise, {}))
        self._children[exercise] = child
        return child

    def _confined(self, exercise: str, child: Child) -> Child:
        """``child``, once it said it is confined. A child started ahead in a work folder the children share
        started while another child's student code could change that folder: if it did not start, it is
        started again from the submission's files as handed in (a second failure is the grader's)."""
        try:
            self._await_confined(child)
            return child
        except GraderFault:
            if not (child.ahead and self._walked()):
                raise
        self._discard(exercise)
        self.workspace.load(self._files, self.provided)
        child = self._spawn(exercise)
        self._await_confined(child)
        return child

    def _spawn_next(self, exercise: str) -> None:
        """Start the child of the exercise after ``exercise`` now, to wait confined while this one is graded,
        where the children do not share a work folder (or start slowly: the portable backend's)."""
        if not (self.caps.get("tmpfs") or self.caps.get("portable")) or exercise not in self._order:
            return
        later = self._order[self._order.index(exercise) + 1:]
        upcoming = next((e for e in later if e in self.workspace.modules and e not in self._load_failures), None)
        if upcoming is not None and upcoming not in self._children and upcoming not in self._sealed:
            self._spawn(upcoming).ahead = True

    def _await_confined(self, child: Child) -> None:
        """The child's first frames: who it is, then that it is confined. Anything else is the grader's
        problem, not the student's."""
        child.first()
        try:
            confined = child.channel.recv(time.monotonic() + START_SECONDS)
        except wire.WireError as exc:
            raise GraderFault(f"a sandboxed child did not start: {exc}") from None
        if not (isinstance(confined, dict) and confined.get("confined") is True):
            raise GraderFault("a sandboxed child did not start as expected")
        self._note_refused(confined.get("refused"))

    def _await_hello(self, exercise: str, child: Child) -> None:
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
                child.pause(self._walked())  # until its first call
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

    def _await(self, child: Child, deadline: float):
        """The child's next frame, watching the disk budget while waiting where the grader measures it."""
        if not self._walked():
            return child.channel.recv(deadline)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise wire.WireTimeout("no answer before the deadline")
            if child.channel.readable(min(0.25, remaining)):
                return child.channel.recv(deadline)
            self._check_disk()

    # -- calls ----------------------------------------------------------------

    def call(self, exercise: str, func: str, args=(), kwargs=None) -> CallResult:
        """Run ``exercises/<exercise>.py:<func>(*args, **kwargs)`` in the child."""
        if self._timeouts.get((exercise, func), 0) >= TIMEOUT_STRIKES:
            raise StudentTimeout(self.limits.call_timeout, repeated=True)
        child = self._child(exercise)
        self._check_time_left()
        reply, after, positions, names = self._run(exercise, func, child, args, kwargs)
        self._note_output(exercise, reply)
        if not reply["ok"]:
            raise self._student_error(reply.get("error"))
        return replies.call_result(reply, after, positions, names, self.redact)

    def _run(self, exercise: str, func: str, child: Child, args, kwargs):
        """The child's reply to one call and the array arguments as the call left them (read from the arena)."""
        try:
            self.workspace.begin()
            shared_args, arg_slots = self.workspace.put(list(args))
            shared_kwargs, kwarg_slots = self.workspace.put(dict(kwargs or {}))
            try:
                reply = self._exchange(exercise, func, child, shared_args, shared_kwargs)
            finally:
                after = self.workspace.take({**arg_slots, **{("kw", k): v for k, v in kwarg_slots.items()}})
        except StudentCrash:
            self._discard(exercise)  # it shrank its arena: the next call gets a new child and a new arena
            raise
        return reply, after, len(shared_args), list(shared_kwargs)

    def _exchange(self, exercise: str, func: str, child: Child, args, kwargs) -> dict:
        """Send one call, wait for its reply; every way it can go wrong becomes a Student* error."""
        deadline, whole = self._deadline()
        try:
            child.resume()
            child.channel.send({"func": func, "args": args, "kwargs": kwargs})
            reply = self._await(child, deadline)
            child.pause(self._walked())
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

    def _walked(self) -> bool:
        """Whether the grader measures the work folder (else each child's tmpfs holds the budget, and
        nothing a child writes reaches this folder)."""
        return not self.caps.get("tmpfs")

    def _check_disk(self) -> None:
        """StudentDiskError if the work folder is over budget (the files the children hold open included)."""
        if not self._walked():
            return
        file_limit = None if "file" in self._refused else self.limits.output_kb * 1024
        pids = [c.pid for c in self._children.values() if c.pid is not None]
        self.workspace.check_disk(self.limits.disk_mb, file_limit, pids)

    def _student_error(self, error, during_import: bool = False) -> StudentError:
        return replies.student_error(replies.scrub(error, self.redact), self.limits.disk_mb, during_import)

    def _note_refused(self, refused) -> None:
        """Limits this machine cannot enforce, said once as a property of the machine (never the student's)."""
        for name in replies.refused_limits(refused):
            self._refused.add(name)
            note = replies.MACHINE_NOTES.get(name)
            if note and note not in self.notes:
                self.notes.append(note)

    def _note_output(self, exercise: str, reply: dict) -> None:
        if reply.get("printed_truncated") is True and exercise not in self._printed_truncated:
            self._printed_truncated.add(exercise)
            self.notes.append(f"exercises/{exercise}.py: print 출력이 너무 많아 앞부분만 남기고 버렸습니다 "
                              "(점수에는 영향이 없습니다).")

    # -- the end --------------------------------------------------------------

    def _discard(self, exercise: str) -> None:
        child = self._children.pop(exercise, None)
        if child is not None and not child.kill(bool(self.caps.get("namespaces"))):
            self._lingering = True

    def close(self) -> None:
        namespaced = bool(self.caps.get("namespaces"))
        children, self._children = list(self._children.values()), {}
        for child in children:  # all killed first, then all waited for
            child.signal(namespaced)
        if not all([child.wait(namespaced) for child in children]):
            self._lingering = True
        if self.box is not None:
            self.box.close()
        if self.zygote.alive() and not namespaced:
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
