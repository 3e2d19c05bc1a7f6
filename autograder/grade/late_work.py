"""What counts for one student graded by a deadline: the on-time submission, the late one, or nothing.

:func:`decide` takes the grades of the last submission before the student's
deadline and of the latest one after it (either may be absent; a late one
the rule refuses is not graded) and returns the one result that is the
student's grade, with its :class:`~.result.Timing` and late penalty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .late import LatePolicy, korean_duration
from .result import Attempt, SubmissionResult, SubmissionStatus, Timing


@dataclass(frozen=True)
class Considered:
    """A submission tag and, when it was graded, its result."""

    tag: str
    time: datetime
    result: SubmissionResult | None = None

    def attempt(self) -> Attempt:
        score = self.result.raw_score if self.result is not None else None
        return Attempt(self.tag, self.time.isoformat(), score)


def decide(label: str, policy: LatePolicy, deadline: datetime, max_score: int, on_time: Considered | None = None,
           late: Considered | None = None, extended: bool = False) -> SubmissionResult:
    """The student's result under ``policy`` (see :mod:`autograder.grade.late`)."""
    late_by = late.time - deadline if late is not None else timedelta(0)
    accepted = late is not None and policy.accepts(late_by) and late.result is not None
    timing = Timing(deadline.isoformat(), policy.text, extended, on_time.attempt() if on_time else None,
                    late.attempt() if late else None, int(late_by.total_seconds()), accepted,
                    float(policy.penalty_percent(late_by)) if accepted else 0.0)
    if on_time is None and not accepted:
        if late is None:
            return replace(SubmissionResult.missing(label, max_score), timing=timing)
        return SubmissionResult.late_only(label, max_score, timing, refused_note(late, late_by))
    if not accepted:
        notes = (refused_note(late, late_by),) if late is not None else ()
        return _counted(on_time.result, label, replace(timing, used="on_time"), notes=notes)
    penalised = policy.penalised(late.result.raw_score, late_by)
    if policy.best_of and on_time is not None and not _late_counts(on_time.result, late.result, penalised):
        note = (f"마감 뒤({korean_duration(late_by)} 늦게)에 낸 {late.tag} 은(는) 감점하면 {penalised}점이라 "
                "마감 전 제출을 채점했습니다.")
        return _counted(on_time.result, label, replace(timing, used="on_time"), notes=(note,))
    return _counted(late.result, label, replace(timing, used="late"), penalty=late.result.raw_score - penalised)


def _late_counts(on_time: SubmissionResult, late: SubmissionResult, penalised: int) -> bool:
    """Best of: whether the late result counts (a grader problem on either side leaves no grade to compare)."""
    if SubmissionStatus.INTERNAL in (on_time.status, late.status):
        return late.status is SubmissionStatus.INTERNAL
    if late.status is not SubmissionStatus.GRADED:
        return False
    return on_time.status is not SubmissionStatus.GRADED or penalised > on_time.score


def _counted(result: SubmissionResult, label: str, timing: Timing, notes=(), penalty: int = 0) -> SubmissionResult:
    return replace(result, submission=label, timing=timing, notes=tuple(result.notes) + tuple(notes), penalty=penalty)


def refused_note(late: Considered, late_by: timedelta) -> str:
    return f"마감 {korean_duration(late_by)} 뒤에 낸 {late.tag} 은(는) 지각 규칙에 따라 받지 않았습니다."
