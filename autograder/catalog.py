"""The exercises of lecture 4 and every test of their suites, with points: the one place both live.

:data:`EXERCISES` names each exercise (module ``exercises/<name>.py``, suites
``test_<name>.py``), its Korean title, its functions, its docs page and the
section of that page that explains its concept.
:func:`suite_tests` collects the suites once per process: each test's title
(its docstring's first line), visibility and points (its ``@points(n)``
marker). The runner, the reports, the release, the notebooks and the docs
all read points and titles from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

from .suites.modules import suite_module


@dataclass(frozen=True)
class Exercise:
    name: str  # module exercises/<name>.py, suites test_<name>.py
    title: str  # Korean title shown to students
    functions: tuple[str, ...]
    standins: tuple[str, ...] = ()  # sibling modules replaced by exact stand-ins while graded
    docs_page: str = ""
    theory: str = ""  # anchor of the page's section explaining the concept (where a failed test sends a student)


EXERCISES = (
    Exercise("losses", "손실 함수", ("sum_squared_error", "cross_entropy_error"), docs_page="losses/",
             theory="손실-함수란"),
    Exercise("gradient", "수치 미분과 기울기", ("numerical_diff", "numerical_gradient"), docs_page="gradient/",
             theory="수치-미분-numerical-differentiation"),
    Exercise("gradient_descent", "경사 하강법", ("gradient_descent",), standins=("gradient",),
             docs_page="gradient_descent/", theory="아이디어-기울기를-따라-조금씩-내려가기"),
    Exercise("two_layer_net", "신경망 학습 구현하기", ("TwoLayerNet", "train"), standins=("losses", "gradient"),
             docs_page="two_layer_net/", theory="학습-알고리즘-네-단계의-반복"),
)
#: Modules every student gets as they are (last lecture's functions, the data loader): graded with
#: the grader's own copy, whatever the submission holds.
PROVIDED = ("functions", "digits")
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
VISIBILITIES = ("public", "hidden")


@dataclass(frozen=True)
class SuiteTest:
    """One test function of the suites."""

    __test__ = False  # not a pytest test class

    exercise: str
    name: str  # without test_
    title: str  # Korean, the docstring's first line
    visibility: str  # "public" or "hidden"
    points: int
    function: Callable = field(compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.exercise}/{self.name}"


@functools.lru_cache(maxsize=None)
def _collect(exercise: str, visibility: str) -> tuple[SuiteTest, ...]:
    module = suite_module(exercise, visibility)
    if module is None:
        return ()  # the student template ships no hidden suites
    tests = []
    for attr, function in vars(module).items():
        if attr.startswith("test_") and callable(function):
            marks = [m for m in getattr(function, "pytestmark", []) if m.name == "points"]
            tests.append(SuiteTest(exercise, attr.removeprefix("test_"),
                                   (function.__doc__ or attr).strip().splitlines()[0], visibility,
                                   int(marks[0].args[0]) if marks else 0, function))
    return tuple(tests)


def suite_tests(visibility=VISIBILITIES, exercises=None) -> tuple[SuiteTest, ...]:
    """Every test in report order: by exercise, public before hidden, in file order."""
    return tuple(test for exercise in EXERCISES if not exercises or exercise.name in exercises
                 for kind in VISIBILITIES if kind in visibility for test in _collect(exercise.name, kind))


def points(exercise: str | None = None, visibility=VISIBILITIES) -> int:
    """Points of ``exercise`` (or of every exercise) in the given suites."""
    return sum(t.points for t in suite_tests(visibility) if exercise is None or t.exercise == exercise)


def test_inventory(visibility=VISIBILITIES) -> list[dict]:
    """``[{"exercise", "name", "title", "visibility", "points"}]`` in report order (plain data)."""
    return [{"exercise": t.exercise, "name": t.name, "title": t.title, "visibility": t.visibility,
             "points": t.points} for t in suite_tests(visibility)]


test_inventory.__test__ = False  # a helper, not a test, when imported into a test module
