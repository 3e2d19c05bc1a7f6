"""The one runner: the suites' test functions against a student and a reference.

Every channel grades through :func:`run`: the instructor's batch and the
student's ``check`` (student code in the sandbox), the Classroom 50 grader,
and the nbgrader notebooks (student code in the notebook's own kernel). Only
the answer source behind ``student`` differs. The suites are pytest modules
(``@points`` markers, ``student``/``reference`` arguments); they are
collected once per process by :mod:`autograder.catalog` and called directly
here, so grading a submission costs no pytest session.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from ..catalog import BY_NAME, SuiteTest
from ..protocol import GraderFault, Limits
from .answers import AnswerTrace, Namespace
from .messages import describe, unreadable
from .result import ExerciseResult, Status, TestResult


@dataclass
class Outcome:
    """What a run produced: results in suite order, and what went wrong on the grader's side."""

    results: list[TestResult] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)  # suite bugs: for the instructor only
    faults: list[str] = field(default_factory=list)  # the sandbox failed: the whole run means nothing

    def exercises(self) -> tuple[ExerciseResult, ...]:
        names = list(dict.fromkeys(r.exercise for r in self.results))
        return tuple(ExerciseResult(n, BY_NAME[n].title if n in BY_NAME else n,
                                    tuple(r for r in self.results if r.exercise == n)) for n in names)


def run_one(test: SuiteTest, student, reference, limits: Limits | None = None, outcome: Outcome | None = None
            ) -> TestResult:
    """Run ``test`` with ``student``/``reference`` (answer sources); record problems in ``outcome``."""
    trace, mistake = AnswerTrace(student), ""
    try:
        test.function(student=Namespace(trace), reference=Namespace(reference))
        status, message = Status.PASSED, ""
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - KeyboardInterrupt still stops grading
        status, message = describe(exc, limits)
        if status is Status.INTERNAL and trace.last is not None and not isinstance(exc, GraderFault) \
                and passes_on_reference(test, reference):
            status, message = Status.ERROR, unreadable(trace.last)  # the student's answer broke the check
        mistake = getattr(exc, "mistake", "") if status is Status.FAILED else ""
        if outcome is not None and isinstance(exc, GraderFault):
            outcome.faults.append(f"{test.key}: {exc}")
        elif outcome is not None and status is Status.INTERNAL:
            outcome.internal_errors.append(f"{test.key}\n{''.join(traceback.format_exception(exc)[-6:])}")
    return TestResult(test.exercise, test.name, test.title, test.visibility,
                      test.points if status is Status.PASSED else 0, test.points, status, message,
                      mistake, trace.digest() if status is Status.FAILED else "")


def passes_on_reference(test: SuiteTest, reference) -> bool:
    """Whether ``test`` passes with the reference in the student's place: then a crash of the test on what
    the student's code returned was caused by that answer (the student's error), not by the test (the
    grader's). Only this proof makes a crash the student's; anything else stays a grader problem."""
    try:
        test.function(student=Namespace(reference), reference=Namespace(reference))
    except BaseException as exc:  # noqa: BLE001 - a failure here only means "not proven"
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False
    return True


def run(tests, student, reference, limits: Limits | None = None) -> Outcome:
    """Run every test in ``tests`` (from :func:`autograder.catalog.suite_tests`)."""
    outcome = Outcome()
    for test in tests:
        outcome.results.append(run_one(test, student, reference, limits, outcome))
    return outcome
