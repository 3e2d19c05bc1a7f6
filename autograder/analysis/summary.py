"""The class in numbers, computed once: what the console, report.html, the gradebook and the LMS files say.

:func:`summarize` counts every student by :class:`~autograder.grade.result.Standing`
(제출, 지각, 미제출, 채점 불가, 채점기 문제) and takes the mean, median and range
of the grades of graded work (on time or late, penalties applied). Every
output reads the one :class:`ClassSummary`, so the words and the numbers
agree everywhere.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from ..grade.late import korean_duration, parse_policy
from ..grade.result import Standing, Status, SubmissionResult, SubmissionStatus

#: The standings in the order every output lists them.
STANDINGS = (Standing.SUBMITTED, Standing.LATE, Standing.MISSING, Standing.INVALID, Standing.INTERNAL)


def points(value: float) -> str:
    """A score with one decimal, without a trailing '.0' ('7.5', '8')."""
    return f"{value:.1f}".removesuffix(".0")


def standing_text(result: SubmissionResult) -> str:
    """``제출``, ``지각 (3시간 12분 늦음, 20% 감점)``, ``미제출`` ...: the standing and how late."""
    late_by = result.late_by
    if late_by is None:
        return result.standing.label
    penalty = f", {result.timing.penalty_percent:g}% 감점" if result.penalty else ""
    refused = ", 받지 않음" if not result.timing.accepted else ""
    return f"{result.standing.label} ({korean_duration(late_by)} 늦음{penalty}{refused})"


@dataclass(frozen=True)
class ClassSummary:
    results: tuple[SubmissionResult, ...]  # one per student, in order
    counts: dict  # Standing -> students
    grades: tuple[int, ...]  # the grades of graded work
    errors: int  # graded work with a test that raised or ran out of memory
    timeouts: int  # graded work with a test that ran out of time
    deadline: str | None = None  # the class's deadline (ISO 8601), when graded by one
    rule: str | None = None  # the late rule in Korean, when graded by a deadline
    extensions: int = 0  # students graded by an extended deadline

    @property
    def students(self) -> int:
        return len(self.results)

    @property
    def mean(self) -> str:
        return points(statistics.fmean(self.grades)) if self.grades else "—"

    @property
    def median(self) -> str:
        return points(statistics.median(self.grades)) if self.grades else "—"

    @property
    def range(self) -> str:
        return f"{min(self.grades)}–{max(self.grades)}" if self.grades else "—"

    def count_cards(self) -> list[tuple[str, str]]:
        """(number, word) for the students and each standing, internal problems only when there are some."""
        shown = [s for s in STANDINGS if s is not Standing.INTERNAL or self.counts[s]]
        return [(f"{self.students}명", "학생")] + [(f"{self.counts[s]}명", s.label) for s in shown]

    def grade_cards(self) -> list[tuple[str, str]]:
        return [(f"{len(self.grades)}개", "채점한 제출물"), (f"{self.mean}점", "평균"), (f"{self.median}점", "중앙값"),
                (f"{self.range}점", "최저–최고")]

    def line(self) -> str:
        """The console's summary: the same cards, in one line."""
        if not self.results:
            return "채점한 제출물이 없습니다."
        counts = " · ".join(f"{label} {value}" for value, label in self.count_cards()[1:])
        grades = " · ".join(f"{label} {value}" for value, label in self.grade_cards()[1:])
        return (f"학생 {self.students}명: {counts} | 채점한 제출물 {len(self.grades)}개: {grades} | "
                f"오류 {self.errors}개 · 시간 초과 {self.timeouts}개")


def summarize(results: list[SubmissionResult], deadline=None, policy=None, extensions: int = 0) -> ClassSummary:
    """The summary of ``results`` (one per student); ``deadline``, ``policy`` as graded (or None)."""
    graded = [r for r in results if r.status is SubmissionStatus.GRADED]
    counts = Counter(r.standing for r in results)
    rule = (policy or parse_policy("none")).describe() if deadline is not None else None
    return ClassSummary(tuple(results), {s: counts[s] for s in STANDINGS}, tuple(r.score for r in graded),
                        sum(1 for r in graded if r.statuses() & {Status.ERROR, Status.MEMORY}),
                        sum(1 for r in graded if Status.TIMEOUT in r.statuses()),
                        deadline.isoformat() if deadline is not None else None, rule, extensions)
