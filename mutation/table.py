"""The README's table of how points fall for each known mistake, made by grading mutation/known.py."""

from __future__ import annotations

from autograder.catalog import points, suite_tests

from .generate import changed_lines
from .mutant import SOLUTIONS, Mutant
from .known import KNOWN, KnownMistake


def as_mutant(mistake: KnownMistake) -> Mutant:
    original = (SOLUTIONS / mistake.file).read_text(encoding="utf-8")
    source = original
    for old, new in mistake.edits:
        if old not in source:
            raise ValueError(f"{mistake.name}: {old!r} is not in solutions/{mistake.file}")
        source = source.replace(old, new)
    line, before, after = changed_lines(original, source)
    return Mutant(mistake.file, mistake.function, f"known/{mistake.name}", line, before, after, source)


def render(outcomes) -> str:
    """Markdown: one row per known mistake, in catalogue order."""
    tests = {(t.exercise, t.name): t for t in suite_tests()}
    rows = ["| 실수 | 잃는 점수 | 점수를 잃는 테스트 (배점) |", "|---|---:|---|"]
    for mistake, outcome in zip(KNOWN, outcomes):
        exercise = as_mutant(mistake).exercise
        lost = [tests[(exercise, name)] for name in outcome.failed]
        cells = ", ".join(f"`{t.name}` ({'공개 ' if t.visibility == 'public' else ''}{t.points})" for t in lost)
        rows.append(f"| {mistake.label} | {outcome.max_score - outcome.score} / {points(exercise)} | {cells} |")
    return "\n".join(rows) + "\n"
