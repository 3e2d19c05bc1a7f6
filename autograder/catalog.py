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


def test_inventory(visibility=("public", "hidden")) -> list[dict]:
    """Every test of the suites with its points, without running anything.

    ``[{"exercise", "name", "title", "visibility", "points"}]`` in report order;
    the docs, the Classroom workflow and the nbgrader notebooks take their
    points from here, so they always match the suites.
    """
    import importlib

    inventory = []
    for exercise in EXERCISES:
        for kind in visibility:
            try:
                module = importlib.import_module(f"autograder.suites.{kind}.test_{exercise.name}")
            except ModuleNotFoundError:  # the student template ships no hidden suites
                continue
            for attr, function in vars(module).items():
                if not (attr.startswith("test_") and callable(function)):
                    continue
                marks = [m for m in getattr(function, "pytestmark", []) if m.name == "points"]
                inventory.append({
                    "exercise": exercise.name,
                    "name": attr.removeprefix("test_"),
                    "title": (function.__doc__ or attr).strip().splitlines()[0],
                    "visibility": kind,
                    "points": int(marks[0].args[0]) if marks else 0,
                })
    return inventory


test_inventory.__test__ = False  # a helper, not a test, when imported into a test module
