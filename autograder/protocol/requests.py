"""What the grader asks of a sandboxed child: one typed request, sent as data.

The grader fills a :class:`ChildRequest` once per submission (folders,
limits, environment) and names the exercise per child
(:meth:`ChildRequest.for_exercise`); the sandbox adds what only it knows
(``read_roots``, ``tasks``). It crosses process boundaries as a plain dict
(:meth:`~ChildRequest.to_wire`, :meth:`~ChildRequest.from_wire`), so both
sides read named fields, never string keys. Runs on both sides: imports only
the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class ChildRequest:
    work: str  # the child's working folder (its cwd, HOME and TMPDIR)
    shared: str  # the folder holding the arena both sides map
    memory_bytes: int | None  # address space limit; None: the child measures itself and adds memory_extra
    memory_extra: int
    cpu_seconds: int
    output_bytes: int  # largest file the child may write (and twice what its print keeps)
    disk_bytes: int  # the work folder's tmpfs: the budget plus the copied sources
    disk_entries: int
    guard: bool  # install the audit hook (sandbox/guard.py)
    protected: tuple = ()  # folders the audit hook refuses to read
    python_path: tuple = ()  # the grader's import path, minus its own folders
    env: dict = field(default_factory=dict)
    preload: tuple = ()  # packages the zygote imports before forking (matplotlib)
    children: int = 8  # children of one submission that get a pids cgroup of their own
    exercise: str = ""  # the module exercises/<exercise>.py this child serves
    standins: dict = field(default_factory=dict)  # {sibling module: stand-in source}
    read_roots: tuple = ()  # added by the sandbox: what Landlock lets the child read
    tasks: int | None = None  # added by the sandbox: RLIMIT_NPROC, in a user namespace of the child's own
    simulate: str | None = None  # tests only (portable backend): behave like "windows" or "macos"
    layers: dict = field(default_factory=dict)  # portable backend on Linux: the kernel layers its child applies
    probe: bool = False  # portable backend: apply the layers, check Python can be read, answer, end

    def for_exercise(self, exercise: str, standins: dict) -> ChildRequest:
        return replace(self, exercise=exercise, standins=dict(standins))

    def to_wire(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_wire(cls, data) -> ChildRequest:
        """The request a grader sent (unknown keys ignored; a missing one is a TypeError)."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in dict(data).items() if key in names})
