"""The catalogue of known beginner mistakes (mutation/known.py), graded.

Each mistake must lose points exactly in the tests it names (one mistake, one
deduction: the tests of the property it breaks), all of them tests of the
function it breaks, and each of those tests must say what went wrong.
"""

import ast

import pytest

from autograder.catalog import BY_NAME, EXERCISES
from conftest import ROOT, failing, make_submission
from mutation.arguments import functions
from mutation.known import KNOWN as MUTANTS

#: Test-name prefixes that are not a function's own name (the suites' naming convention).
PREFIXES = {"two_layer_net": (("init_", "__init__"), ("predict_", "predict"), ("loss_", "loss"),
                              ("accuracy_", "accuracy"), ("numerical_gradient_", "TwoLayerNet.numerical_gradient"),
                              ("train_", "train")),
            "losses": (("sse_", "sum_squared_error"), ("cee_", "cross_entropy_error"))}


def function_of(test_name: str, exercise: str) -> str:
    """Which student function a test grades: an exercise's only function, else by the suites' naming convention
    (a test is named after its function, or after one of :data:`PREFIXES`)."""
    names = BY_NAME[exercise].functions
    if len(names) == 1:
        return names[0]
    prefixes = PREFIXES.get(exercise) or tuple((f"{name}_", name) for name in names)
    for prefix, function in prefixes:
        if test_name.startswith(prefix):
            return function
    raise AssertionError(f"test {test_name} does not say which function it grades")


def graded_functions() -> set[tuple[str, str]]:
    """(file, function) of every function of every exercise, a class counted as its methods (``predict``)."""
    names = set()
    for exercise in EXERCISES:
        tree = ast.parse((ROOT / "solutions" / f"{exercise.name}.py").read_text(encoding="utf-8"))
        names |= {(f"{exercise.name}.py", name.rsplit(".", 1)[-1]) for name, _ in functions(tree)
                  if name.split(".")[0] in exercise.functions}
    return names


def test_catalogue_is_big_enough():
    assert len(MUTANTS) >= 15
    assert {(m.file, m.function.rsplit(".", 1)[-1]) for m in MUTANTS} == graded_functions()  # a mistake in each
    assert len({m.name for m in MUTANTS}) == len(MUTANTS) and all(m.fails for m in MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_loses_points_exactly_in_the_tests_of_its_property(grader, tmp_path, mutant):
    result = grader.grade(make_submission(tmp_path, replace={mutant.file: mutant.edits}))
    lost = failing(result)
    assert result.score < 100, "the mutant went undetected"
    owners = {t.name: function_of(t.name, ex.name) for ex in result.exercises for t in ex.tests}
    assert {owners[name] for name in lost} == {mutant.function}, f"points lost elsewhere: {sorted(lost)}"
    assert set(lost) == set(mutant.fails), {name: t.message for name, t in lost.items()}
    for name, phrase in mutant.fails.items():
        assert phrase in lost[name].message, lost[name].message
