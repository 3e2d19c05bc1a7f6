"""The result of grading: one typed model every writer reads.

A :class:`SubmissionResult` holds :class:`ExerciseResult` objects holding
:class:`TestResult` objects; scores are sums of test points (the points come
from the catalogue, through the runner). :class:`Status` and
:class:`SubmissionStatus` carry their Korean labels. :func:`to_json` /
:func:`from_json` are the only (de)serialisers; their output follows
``autograder/report/result.schema.json`` (``schema_version`` :data:`SCHEMA_VERSION`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 2


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

    @property
    def label(self) -> str:
        return _SUBMISSION_LABELS[self]


_SUBMISSION_LABELS = {SubmissionStatus.GRADED: "채점 완료", SubmissionStatus.INTERNAL: "채점기 문제",
                      SubmissionStatus.INVALID: "채점 불가", SubmissionStatus.MISSING: "미제출"}

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
class SubmissionResult:
    submission: str  # how the instructor named it (its path as given)
    status: SubmissionStatus
    exercises: tuple[ExerciseResult, ...] = ()
    elapsed: float = 0.0
    notes: tuple[str, ...] = ()
    internal_errors: tuple[str, ...] = ()  # for the instructor's log, never for students
    isolation: str = ""
    declared_max: int | None = field(default=None)  # max score when nothing was graded

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

    # -- reading ---------------------------------------------------------------------

    @property
    def score(self) -> int:
        return sum(e.score for e in self.exercises)

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


def to_json(result: SubmissionResult) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "submission": result.submission,
        "score": result.score,
        "max_score": result.max_score,
        "status": result.status.value,
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
    return SubmissionResult(data["submission"], status, exercises, float(data.get("elapsed", 0.0)),
                            tuple(data.get("notes", ())), tuple(data.get("internal_errors", ())),
                            data.get("isolation", ""), declared)


def slug_for(paths: list[Path]) -> dict[Path, str]:
    """A file-name-safe, unique name per submission (its folder name, usually the GitHub user)."""
    slugs, seen = {}, {}
    for path in paths:
        base = re.sub(r"[^\w.-]+", "_", Path(path).resolve().name).strip("._") or "submission"
        seen[base] = seen.get(base, 0) + 1
        slugs[path] = base
    for path in paths:
        if seen[slugs[path]] > 1:
            digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:8]
            slugs[path] = f"{slugs[path]}-{digest}"
    return slugs
