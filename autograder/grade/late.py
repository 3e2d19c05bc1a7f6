"""Late work: the instructor's rule (``grade --late-policy RULE``) and the penalty it gives.

A rule is a comma-separated list of items:

- ``none`` (the default, alone): nothing after the deadline counts; the last
  submission before it is graded;
- ``grace:DURATION``: work up to DURATION after the deadline counts in full;
- ``per-day:P%``: later work loses P% of its score for every day (24 hours)
  or part of a day after the deadline (after the grace period, if any);
- ``max:P%``: the penalty never exceeds P% (with ``per-day``);
- ``until:DURATION``: nothing later than DURATION after the deadline counts;
- ``best-of``: keep the higher of the last on-time score and the penalised
  score of the latest late submission (without it, the latest accepted
  submission counts, penalised).

DURATION is a number and a unit, or several: ``45s``, ``90m``, ``2h``, ``1d12h``.
A penalised score is rounded half up to a whole point.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

DAY = timedelta(days=1)
UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION = re.compile(r"(?:\d+(?:\.\d+)?[dhms])+")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
EXAMPLE = "예: none, grace:2h, per-day:10%,max:50%, grace:15m,per-day:10%,max:50%,until:7d,best-of"


class PolicyError(ValueError):
    """The rule cannot be read; the message (Korean) says why and shows examples."""


@dataclass(frozen=True)
class LatePolicy:
    """How late work counts; :func:`parse_policy` makes one from the rule's text."""

    text: str = "none"
    grace: timedelta = timedelta(0)
    per_day: Fraction | None = None  # percent of the score lost per day or part of a day
    cap: Fraction | None = None  # the most percent ever lost
    until: timedelta | None = None  # later than this after the deadline: not accepted
    best_of: bool = False

    @property
    def accepts_late(self) -> bool:
        return self.grace > timedelta(0) or self.per_day is not None

    def accepts(self, late_by: timedelta) -> bool:
        """Whether work ``late_by`` after the deadline counts at all."""
        if late_by <= timedelta(0):
            return True
        if not self.accepts_late or (self.until is not None and late_by > self.until):
            return False
        return self.per_day is not None or late_by <= self.grace

    def penalty_percent(self, late_by: timedelta) -> Fraction:
        """Percent of the score lost by accepted work ``late_by`` after the deadline."""
        if late_by <= self.grace or self.per_day is None:
            return Fraction(0)
        days = math.ceil((late_by - self.grace) / DAY)
        return min(self.per_day * days, self.cap if self.cap is not None else Fraction(100), Fraction(100))

    def penalised(self, score: int, late_by: timedelta) -> int:
        """``score`` after the penalty for ``late_by``, rounded half up."""
        kept = Fraction(score) * (100 - self.penalty_percent(late_by)) / 100
        return math.floor(kept + Fraction(1, 2))

    def describe(self) -> str:
        """The rule in one Korean sentence (the report's header and every student's feedback)."""
        if not self.accepts_late:
            return "마감 뒤의 제출은 받지 않습니다 (마감 전 마지막 제출을 채점합니다)."
        parts = []
        if self.grace:
            parts.append(f"마감 뒤 {korean_duration(self.grace)}까지는 감점 없이 받습니다")
        if self.per_day is not None:
            start = "그 뒤로는" if self.grace else "마감 뒤로는"
            cap = f" (최대 {percent(self.cap)}%)" if self.cap is not None else ""
            parts.append(f"{start} 하루(24시간, 하루가 안 되어도 하루)마다 점수의 {percent(self.per_day)}%를 "
                         f"깎습니다{cap}")
        if self.until is not None:
            parts.append(f"마감 {korean_duration(self.until)} 뒤부터는 받지 않습니다")
        parts.append("마감 전 마지막 제출과 감점한 마지막 지각 제출 가운데 높은 점수를 씁니다" if self.best_of
                     else "받은 제출 가운데 마지막 것을 (지각이면 감점해서) 씁니다")
        return ", ".join(parts) + "."


def percent(value: Fraction) -> str:
    """``10`` or ``2.5``: a percentage without trailing zeros."""
    return f"{float(value):g}"


def parse_duration(text: str) -> timedelta:
    """``90m``, ``2h``, ``1d12h`` ... as a timedelta (PolicyError otherwise)."""
    if not DURATION.fullmatch(text):
        raise PolicyError(f"기간을 읽을 수 없습니다: {text!r} (숫자와 단위 d·h·m·s, 예: 45m, 2h, 1d12h)")
    seconds = sum(float(n) * UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([dhms])", text))
    return timedelta(seconds=seconds)


def _percent(key: str, text: str) -> Fraction:
    match = PERCENT.fullmatch(text)
    if not match or not 0 < Fraction(match.group(1)) <= 100:
        raise PolicyError(f"{key}: 다음에는 0보다 크고 100 이하인 백분율이 와야 합니다: {text!r} (예: {key}:10%)")
    return Fraction(match.group(1))


def _item(fields: dict, item: str) -> None:
    key, _, value = item.partition(":")
    if key in fields:
        raise PolicyError(f"{key}이(가) 두 번 있습니다")
    if key == "best-of" and not value:
        fields[key] = True
    elif key in ("grace", "until") and value:
        fields[key] = parse_duration(value)
        if not fields[key]:
            raise PolicyError(f"{key}:의 기간은 0보다 길어야 합니다")
    elif key in ("per-day", "max") and value:
        fields[key] = _percent(key, value)
    else:
        raise PolicyError(f"알 수 없는 항목입니다: {item!r}")


def parse_policy(text: str) -> LatePolicy:
    """The rule in ``text`` (see the module docstring); PolicyError with a Korean reason otherwise."""
    rule = re.sub(r"\s+", "", text or "").lower()
    if rule in ("", "none"):
        return LatePolicy()
    fields: dict = {}
    try:
        for item in rule.split(","):
            _item(fields, item)
        if "max" in fields and "per-day" not in fields:
            raise PolicyError("max:는 per-day:와 함께 씁니다")
        if "grace" not in fields and "per-day" not in fields:
            raise PolicyError("지각 제출을 받으려면 grace: 나 per-day: 가 있어야 합니다 (받지 않으려면 none)")
    except PolicyError as exc:
        raise PolicyError(f"지각 규칙 {text!r}: {exc}. {EXAMPLE}") from None
    return LatePolicy(rule, fields.get("grace", timedelta(0)), fields.get("per-day"), fields.get("max"),
                      fields.get("until"), fields.get("best-of", False))


def korean_duration(span: timedelta | float) -> str:
    """``1일 3시간 5분``: days, hours and minutes (seconds only under a minute) of a timedelta or seconds."""
    seconds = max(0, int(span.total_seconds() if isinstance(span, timedelta) else span))
    if seconds < 60:
        return f"{seconds}초"
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return " ".join(f"{n}{unit}" for n, unit in ((days, "일"), (hours, "시간"), (minutes, "분")) if n)
