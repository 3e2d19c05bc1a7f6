"""Gradescope's ``results.json`` for one submission (autograder specification)."""

from __future__ import annotations

from ..analysis.summary import standing_text
from ..grade.result import SubmissionResult, TestResult
from ..report.links import test_link


def _output(test: TestResult, site: str | None) -> str:
    link = test_link(test, site)
    return f"{test.message}\n\n강의 노트: {link}" if link else test.message


def gradescope_results(result: SubmissionResult, site: str | None = None) -> dict:
    """The results of one submission; with the lecture site's address ``site`` a test not passed ends with
    the address of the section explaining it."""
    tests = [{
        "name": f"{test.exercise}: {test.title}",
        "number": str(number),
        "score": test.score,
        "max_score": test.max_score,
        "status": "passed" if test.passed else "failed",
        "output": _output(test, site),
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
