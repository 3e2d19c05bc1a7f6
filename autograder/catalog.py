"""The three exercises of lecture 4: names, Korean titles, functions, docs pages.

Every report, the release and the nbgrader course read this table; the names
(``losses``, ``gradient``, ``gradient_descent``) are a fixed contract.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    name: str  # module exercises/<name>.py, suites test_<name>.py
    title: str  # Korean title shown to students
    functions: tuple[str, ...]
    standins: tuple[str, ...] = ()  # sibling modules replaced by exact stand-ins while graded
    docs_page: str = ""


EXERCISES = (
    Exercise("losses", "손실 함수", ("sum_squared_error", "cross_entropy_error"), docs_page="losses/"),
    Exercise("gradient", "수치 미분과 기울기", ("numerical_diff", "numerical_gradient"), docs_page="gradient/"),
    Exercise("gradient_descent", "경사 하강법", ("gradient_descent",), standins=("gradient",),
             docs_page="gradient_descent/"),
)
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
