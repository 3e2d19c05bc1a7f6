"""A student's deadline and late work in Korean: the lines of their feedback and of the report.

Everything comes from the result's :class:`~autograder.grade.result.Timing`:
the deadline (an extension says so), the late rule in words, which submission
counts and how late it was, the penalty, and both scores when both were graded.
"""

from __future__ import annotations

import datetime as dt

from ..grade.late import korean_duration, parse_policy
from ..grade.result import Attempt, SubmissionResult


def when(iso: str, zone: str | None = None) -> str:
    """``2026-12-01 23:59:59 +09:00`` from an ISO 8601 time (the text itself if it is not one), shown in the
    time zone of the ISO time ``zone`` when given (a submission in the deadline's zone)."""
    try:
        moment = dt.datetime.fromisoformat(iso)
        if zone is not None and moment.tzinfo is not None:
            moment = moment.astimezone(dt.datetime.fromisoformat(zone).tzinfo)
    except ValueError:
        return iso
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S}" + (f" {offset[:3]}:{offset[3:]}" if offset else "")


def rule_text(policy: str) -> str:
    """The late rule as written (``per-day:10%,max:50%``) in one Korean sentence."""
    try:
        return parse_policy(policy).describe()
    except ValueError:
        return policy


def _attempt(label: str, attempt: Attempt | None, zone: str) -> str | None:
    if attempt is None:
        return None
    score = f", 감점 전 {attempt.score}점" if attempt.score is not None else ", 채점하지 않음"
    return f"{label}: `{attempt.tag}` ({when(attempt.time, zone)}{score})"


def timing_lines(result: SubmissionResult) -> list[str]:
    """Markdown list items: deadline, rule, the submissions considered and what counts (none without a deadline)."""
    timing = result.timing
    if timing is None:
        return []
    lines = [f"- 마감: {when(timing.deadline)}" + (" (연장된 마감)" if timing.extended else ""),
             f"- 지각 규칙: {rule_text(timing.policy)}"]
    late_label = f"마감 {korean_duration(timing.late_seconds)} 뒤 제출" if timing.late else ""
    lines += [f"- {line}" for line in (_attempt("마감 전 마지막 제출", timing.on_time, timing.deadline),
                                       _attempt(late_label, timing.late, timing.deadline)) if line]
    if timing.late is not None and not timing.accepted:
        lines.append("- 마감 뒤 제출은 지각 규칙에 따라 받지 않았습니다.")
    if timing.used == "late" and result.penalty:
        lines.append(f"- 지각 감점: {timing.penalty_percent:g}% (−{result.penalty}점)")
    counted = timing.counted
    lines.append(f"- 성적에 쓴 제출: `{counted.tag}`" if counted else "- 성적에 쓴 제출: 없음 (0점)")
    return lines
