"""The result of grading: one typed model every writer reads.

A :class:`SubmissionResult` holds :class:`ExerciseResult` objects holding
:class:`TestResult` objects; scores are sums of test points (the points come
from the catalogue, through the runner). :class:`Status` and
:class:`SubmissionStatus` carry their Korean labels. :func:`to_json` /
:func:`from_json` are the only (de)serialisers; their output follows
``autograder/exports/result.schema.json`` (``schema_version`` :data:`SCHEMA_VERSION`).

Graded by deadline, a result also carries its :class:`Timing` (the deadline,
the late rule, the on-time and the late submission considered, which one
counts) and the late ``penalty`` in points; :attr:`SubmissionResult.standing`
is the one word every output uses for it (제출, 지각, 미제출, 채점 불가, 채점기 문제).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 3


class Status(str, Enum):
    """How one test ended."""

    PASSED = "passed"
    FAILED = "failed"  # a wrong value
    ERROR = "error"  # the student's code raised, crashed or broke a rule
    TIMEOUT = "timeout"
    MEMORY = "memory"
    INTERNAL = "internal_error"  # the grader's problem: never shown to the student as theirs

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {Status.PASSED: "통과", Status.FAILED: "실패", Status.ERROR: "오류", Status.TIMEOUT: "시간 초과",
                  Status.MEMORY: "메모리 초과", Status.INTERNAL: "채점기 오류"}


class SubmissionStatus(str, Enum):
    """How grading one submission ended."""

    GRADED = "graded"
    INTERNAL = "internal_error"  # the grader failed under it: no grade, never saved for reuse
    INVALID = "invalid"  # not a gradable submission (no exercises/, unreadable files)
    MISSING = "missing"  # on the roster, nothing submitted
    LATE = "late"  # only work after the deadline, which the late rule does not accept: 0 points

    @property
    def label(self) -> str:
        return _SUBMISSION_LABELS[self]


_SUBMISSION_LABELS = {SubmissionStatus.GRADED: "채점 완료", SubmissionStatus.INTERNAL: "채점기 문제",
                      SubmissionStatus.INVALID: "채점 불가", SubmissionStatus.MISSING: "미제출",
                      SubmissionStatus.LATE: "지각 (받지 않음)"}


class Standing(str, Enum):
    """Where a student stands, in the words every output uses (value = the Korean word)."""

    SUBMITTED = "제출"  # graded work from before the deadline (or an extension)
    LATE = "지각"  # late work counted (penalised), or only late work, not accepted
    MISSING = "미제출"
    INVALID = "채점 불가"
    INTERNAL = "채점기 문제"  # no grade yet: never the student's fault

    @property
    def label(self) -> str:
        return self.value


_STANDINGS = {SubmissionStatus.MISSING: Standing.MISSING, SubmissionStatus.LATE: Standing.LATE,
              SubmissionStatus.INVALID: Standing.INVALID, SubmissionStatus.INTERNAL: Standing.INTERNAL}

VISIBILITY_LABELS = {"public": "공개", "hidden": "숨은"}


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest test class

    exercise: str
    name: str
    title: str
    visibility: str  # "public" or "hidden"
    score: int
    max_score: int
    status: Status
    message: str = ""
    mistake: str = ""  # the catalogued mistake a failure was diagnosed as (autograder.suites.mistakes)
    answer: str = ""  # digest of what the student's calls returned in a failed test (instructor only)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def hidden(self) -> bool:
        return self.visibility == "hidden"

    @property
    def visibility_label(self) -> str:
        return VISIBILITY_LABELS.get(self.visibility, self.visibility)


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    title: str
    tests: tuple[TestResult, ...]

    @property
    def score(self) -> int:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> int:
        return sum(t.max_score for t in self.tests)


@dataclass(frozen=True)
class Attempt:
    """One submission tag considered under a deadline."""

    tag: str
    time: str  # ISO 8601, UTC, from the tag's name
    score: int | None = None  # its score before any penalty (None: not graded)


@dataclass(frozen=True)
class Timing:
    """The deadline a student was graded by and what the late rule made of their submissions."""

    deadline: str  # ISO 8601 with its offset: the class's, or the student's extension
    policy: str  # the late rule as given (``none``, ``per-day:10%,max:50%``, ...)
    extended: bool = False
    on_time: Attempt | None = None  # the last submission before the deadline
    late: Attempt | None = None  # the latest later submission considered
    late_seconds: int = 0  # how late ``late`` was
    accepted: bool = False  # whether the rule accepts ``late``
    penalty_percent: float = 0.0  # what the rule takes off ``late``'s score
    used: str = ""  # "on_time", "late", or "" (nothing counts)

    @property
    def counted(self) -> Attempt | None:
        return {"on_time": self.on_time, "late": self.late}.get(self.used)


@dataclass(frozen=True)
class SubmissionResult:
    submission: str  # how the instructor named it (its path as given)
    status: SubmissionStatus
    exercises: tuple[ExerciseResult, ...] = ()
    elapsed: float = 0.0
    notes: tuple[str, ...] = ()
    internal_errors: tuple[str, ...] = ()  # for the instructor's log, never for students
    isolation: str = ""
    declared_max: int | None = field(default=None)  # max score when nothing was graded
    timing: Timing | None = None  # graded by a deadline (``grade --deadline``)
    penalty: int = 0  # points the late rule took off

    # -- constructors ---------------------------------------------------------------

    @classmethod
    def graded(cls, submission: str, exercises, elapsed: float, notes=(), internal_errors=(), isolation=""):
        tests = [t for e in exercises for t in e.tests]
        broken = internal_errors or any(t.status is Status.INTERNAL for t in tests) or not tests
        return cls(submission, SubmissionStatus.INTERNAL if broken else SubmissionStatus.GRADED, tuple(exercises),
                   round(elapsed, 3), tuple(notes), tuple(internal_errors), isolation)

    @classmethod
    def crashed(cls, submission: str, reason: str):
        """The grader failed under this submission: no grade (0 of 0)."""
        return cls(submission, SubmissionStatus.INTERNAL, internal_errors=(reason,), declared_max=0)

    @classmethod
    def invalid(cls, submission: str, reason: str, max_score: int):
        """Not gradable: 0 of the full score, with the reason as a note."""
        return cls(submission, SubmissionStatus.INVALID, notes=(reason,), declared_max=max_score)

    @classmethod
    def missing(cls, submission: str, max_score: int):
        return cls(submission, SubmissionStatus.MISSING, notes=("제출물이 없습니다.",), declared_max=max_score)

    @classmethod
    def late_only(cls, submission: str, max_score: int, timing: Timing, note: str):
        """Only work after the deadline, which the late rule does not accept: 0 of the full score."""
        return cls(submission, SubmissionStatus.LATE, notes=(note,), declared_max=max_score, timing=timing)

    # -- reading ---------------------------------------------------------------------

    @property
    def raw_score(self) -> int:
        """The tests' points, before any late penalty."""
        return sum(e.score for e in self.exercises)

    @property
    def score(self) -> int:
        """The grade: the tests' points less the late penalty."""
        return max(0, self.raw_score - self.penalty)

    @property
    def standing(self) -> Standing:
        if self.status in _STANDINGS:
            return _STANDINGS[self.status]
        return Standing.LATE if self.timing is not None and self.timing.used == "late" else Standing.SUBMITTED

    @property
    def late_by(self) -> int | None:
        """Seconds after the deadline of the work that counts (or of the late work refused), else None."""
        timing = self.timing
        if timing is None or timing.late is None or self.standing is not Standing.LATE:
            return None
        return timing.late_seconds

    @property
    def max_score(self) -> int:
        return self.declared_max if self.declared_max is not None else sum(e.max_score for e in self.exercises)

    @property
    def name(self) -> str:
        """The submission's folder name (usually the student's GitHub user)."""
        return self.submission.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]

    def tests(self) -> Iterator[TestResult]:
        for exercise in self.exercises:
            yield from exercise.tests

    def not_passed(self) -> list[TestResult]:
        return [t for t in self.tests() if not t.passed]

    def exercise(self, name: str) -> ExerciseResult | None:
        return next((e for e in self.exercises if e.name == name), None)

    def statuses(self) -> set[Status]:
        return {t.status for t in self.tests()}

    def relabel(self, submission: str) -> "SubmissionResult":
        return replace(self, submission=submission)


# --- JSON ---------------------------------------------------------------------------


def _attempt_json(attempt: Attempt | None) -> dict | None:
    return None if attempt is None else {"tag": attempt.tag, "time": attempt.time, "score": attempt.score}


def timing_json(timing: Timing) -> dict:
    return {"deadline": timing.deadline, "policy": timing.policy, "extended": timing.extended,
            "on_time": _attempt_json(timing.on_time), "late": _attempt_json(timing.late),
            "late_seconds": timing.late_seconds, "accepted": timing.accepted,
            "penalty_percent": timing.penalty_percent, "used": timing.used}


def _attempt(data: dict | None) -> Attempt | None:
    return None if data is None else Attempt(data["tag"], data["time"], data.get("score"))


def timing_from_json(data: dict) -> Timing:
    return Timing(data["deadline"], data["policy"], bool(data.get("extended")), _attempt(data.get("on_time")),
                  _attempt(data.get("late")), int(data.get("late_seconds", 0)), bool(data.get("accepted")),
                  float(data.get("penalty_percent", 0.0)), data.get("used", ""))


def to_json(result: SubmissionResult) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "submission": result.submission,
        "score": result.score,
        "max_score": result.max_score,
        "status": result.status.value,
        "standing": result.standing.value,
        "penalty": result.penalty,
        **({"timing": timing_json(result.timing)} if result.timing is not None else {}),
        "elapsed": result.elapsed,
        "isolation": result.isolation,
        "notes": list(result.notes),
        "internal_errors": list(result.internal_errors),
        "exercises": [{
            "name": e.name, "title": e.title, "score": e.score, "max_score": e.max_score,
            "tests": [{"name": t.name, "title": t.title, "visibility": t.visibility, "score": t.score,
                       "max_score": t.max_score, "status": t.status.value, "message": t.message,
                       **({"mistake": t.mistake} if t.mistake else {}), **({"answer": t.answer} if t.answer else {})}
                      for t in e.tests],
        } for e in result.exercises],
    }


def from_json(data: dict) -> SubmissionResult:
    """Inverse of :func:`to_json` (raises KeyError/ValueError on anything else)."""
    exercises = tuple(ExerciseResult(e["name"], e.get("title", e["name"]), tuple(
        TestResult(e["name"], t["name"], t.get("title", t["name"]), t.get("visibility", "hidden"), int(t["score"]),
                   int(t["max_score"]), Status(t["status"]), t.get("message", ""), t.get("mistake", ""), t.get("answer", ""))
        for t in e["tests"]))
        for e in data.get("exercises", []))
    status = SubmissionStatus(data["status"])
    declared = None if status is SubmissionStatus.GRADED and exercises else int(data["max_score"])
    timing = timing_from_json(data["timing"]) if data.get("timing") else None
    return SubmissionResult(data["submission"], status, exercises, float(data.get("elapsed", 0.0)),
                            tuple(data.get("notes", ())), tuple(data.get("internal_errors", ())),
                            data.get("isolation", ""), declared, timing, int(data.get("penalty", 0)))


def slug_for(paths: list[Path]) -> dict[Path, str]:
    """A file-name-safe, unique name per submission (its folder name, usually the GitHub user)."""
    slugs, seen = {}, {}
    paths = list(dict.fromkeys(paths))  # a folder given twice is one submission
    for path in paths:
        base = re.sub(r"[^\w.-]+", "_", Path(path).resolve().name).strip("._") or "submission"
        seen[base] = seen.get(base, 0) + 1
        slugs[path] = base
    for path in paths:
        if seen[slugs[path]] > 1:
            digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:8]
            slugs[path] = f"{slugs[path]}-{digest}"
    return slugs
