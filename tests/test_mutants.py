"""The catalogue of known beginner mistakes (mutation/known.py), graded.

Each mistake must lose points exactly in the tests it names (one mistake, one
deduction: the tests of the property it breaks), all of them tests of the
function it breaks, and each of those tests must say what went wrong.
"""

import pytest

from conftest import failing, make_submission
from mutation.known import KNOWN

MUTANTS = KNOWN  # other tests build classes of submissions from these
NET_METHODS = (("init_", "__init__"), ("predict_", "predict"), ("loss_", "loss"), ("accuracy_", "accuracy"),
               ("numerical_gradient_", "TwoLayerNet.numerical_gradient"), ("train_", "train"))


def function_of(test_name: str, exercise: str) -> str:
    """Which student function a test grades (by the suites' naming convention)."""
    if exercise == "gradient_descent":
        return "gradient_descent"
    if exercise == "two_layer_net":
        return next(method for prefix, method in NET_METHODS if test_name.startswith(prefix))
    for prefix, function in (("sse_", "sum_squared_error"), ("cee_", "cross_entropy_error"),
                             ("numerical_diff_", "numerical_diff"), ("numerical_gradient_", "numerical_gradient")):
        if test_name.startswith(prefix):
            return function
    raise AssertionError(f"test {test_name} does not say which function it grades")


def test_catalogue_is_big_enough():
    assert len(MUTANTS) >= 15
    assert {m.function for m in MUTANTS} == {"sum_squared_error", "cross_entropy_error", "numerical_diff",
                                             "numerical_gradient", "gradient_descent", "__init__", "predict",
                                             "loss", "accuracy", "TwoLayerNet.numerical_gradient", "train"}
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
