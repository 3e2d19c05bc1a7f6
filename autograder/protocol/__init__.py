"""What the sandbox, the suites and the grader agree on, and nothing else.

- :class:`Limits`: the resource limits of student code, and :class:`SandboxOptions`: how it is
  confined;
- :mod:`.requests`: what the grader asks of a sandboxed child (:class:`~.requests.ChildRequest`);
- :class:`CallResult`: what one call into student code returned and changed;
- the ``Student*`` errors: why a call did not return a value (the student's
  doing), :class:`GraderFault` (the grader's own machinery failed: never
  the student's fault) and :class:`SubmissionError` (not a submission);
- :mod:`.wire` (data-only messages), :mod:`.probes` (test functions
  described as data) and :mod:`.instances` (objects, random generators and
  probe methods described as data), which also run inside the sandboxed child.

This package imports only the standard library and numpy, and nothing of
the rest of the grader: every other layer may import it.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field, replace

TIMEOUT_STRIKES = 2  # after this many timeouts a function is not called again


@dataclass(frozen=True)
class SandboxOptions:
    """How student code is confined (never how much it may use): the backend and its switches."""

    backend: str = "auto"  # a name in sandbox/backend.py's BACKENDS, or "auto" (the first available)
    sandbox_user: str | None = None  # when the grader runs as root: children run as this user
    guard: bool = True  # the audit hook's friendly messages (sandbox/guard.py)
    disabled: tuple = ()  # confinement layers left off: tests simulate weaker machines
    simulate: str | None = None  # tests only: behave like "windows" or "macos" in the children


_UNSET = object()  # a SandboxOptions field not given to Limits(...)


@dataclass(frozen=True)
class Limits:
    """Resource limits for student code (all configurable from the command line), and ``sandbox``: how it
    is confined. ``Limits(guard=False)`` is short for ``Limits(sandbox=SandboxOptions(guard=False))``."""

    call_timeout: float = 5.0  # seconds for one call into student code (and for importing it)
    submission_timeout: float = 120.0  # seconds for everything one submission runs
    memory_mb: int = 1024  # address space a child may add on top of Python + numpy
    output_kb: int = 256  # largest file (stdout/stderr included) a child may write
    disk_mb: int = 64  # everything a submission may write into its work folder
    sandbox: SandboxOptions = SandboxOptions()
    backend: InitVar[str] = _UNSET
    sandbox_user: InitVar[str | None] = _UNSET
    guard: InitVar[bool] = _UNSET
    disabled: InitVar[tuple] = _UNSET
    simulate: InitVar[str | None] = _UNSET

    def __post_init__(self, backend, sandbox_user, guard, disabled, simulate):
        given = {name: value for name, value in (("backend", backend), ("sandbox_user", sandbox_user),
                                                 ("guard", guard), ("disabled", disabled), ("simulate", simulate))
                 if value is not _UNSET}
        if given:
            object.__setattr__(self, "sandbox", replace(self.sandbox, **given))


@dataclass
class CallResult:
    """One call into student code: its value and what it did to its arguments.

    ``args_after``/``kwargs_after`` hold array arguments as they were when the
    call returned, read by the grader from shared memory (None for others).
    ``probes`` are the call counts of probe functions, reported by the child:
    they may only choose a message, never a score. ``instances_after`` holds
    each instance argument's ``params`` once the call returned, as the child
    reports them: judged like a return value (against the reference), never
    trusted for what a function did to its inputs.
    """

    value: object
    args_after: list = field(default_factory=list)
    kwargs_after: dict = field(default_factory=dict)
    probes: list = field(default_factory=list)
    instances_after: dict = field(default_factory=dict)


# --- why a call did not return a value --------------------------------------------


class StudentError(Exception):
    """Base class: a call into student code did not return a value, by the student's doing."""


class StudentCodeError(StudentError):
    """Student code raised an exception (type name, message, own stack frames)."""

    def __init__(self, kind: str, message: str, frames: list, during_import: bool = False, module: str = ""):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.frames, self.during_import = kind, message, frames, during_import
        self.module = module  # for ModuleNotFoundError: the module that is missing


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

    def __init__(self, reason: str, signal_number: int | None = None):
        super().__init__(reason)
        self.signal_number = signal_number


class StudentDiskError(StudentError):
    """Student code wrote more than the work folder's disk budget."""

    def __init__(self, megabytes: int):
        super().__init__(f"more than {megabytes} MB written")
        self.megabytes = megabytes


class GraderFault(Exception):
    """The grader's own machinery failed (a process would not start, a limit could not be set).

    Never the student's doing: the submission is regraded, or reported as a
    grader problem, never scored from this.
    """


class SubmissionError(ValueError):
    """The folder is not a gradable submission (bad argument, not student code)."""
