"""Gradescope's ``results.json`` for one submission (autograder specification)."""

from __future__ import annotations

from ..grade.result import SubmissionResult
from .summary import standing_text


def gradescope_results(result: SubmissionResult) -> dict:
    tests = [{
        "name": f"{test.exercise}: {test.title}",
        "number": str(number),
        "score": test.score,
        "max_score": test.max_score,
        "status": "passed" if test.passed else "failed",
        "output": test.message,
        "visibility": "hidden" if test.hidden else "visible",
        "tags": [test.exercise, test.name],
    } for number, test in enumerate(result.tests(), start=1)]
    return {
        "score": result.score,
        "execution_time": result.elapsed,
        "output": f"총점 {result.score} / {result.max_score} · {standing_text(result)}",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
