"""The reference earns everything, the stubs nothing, and results are stable."""

import json
from dataclasses import replace

import jsonschema
import numpy as np
import pytest

from autograder.catalog import EXERCISES, test_inventory
from autograder.grade.result import from_json, to_json
from autograder.exports.gradebook import SCHEMA
from autograder.suites.support import Failure, close, expect_close
from conftest import ROOT, failing, make_submission


def test_points_add_up_to_100_with_every_test_worth_something():
    inventory = test_inventory()
    assert sum(t["points"] for t in inventory) == 100
    assert all(t["points"] > 0 for t in inventory)
    assert {t["exercise"] for t in inventory} == {e.name for e in EXERCISES}
    assert all(t["title"] and not t["title"].startswith("test_") for t in inventory), "every test needs a Korean title"


def test_reference_scores_full_marks(grader, tmp_path):
    result = grader.grade(make_submission(tmp_path))
    assert failing(result) == {}
    assert (result.score, result.max_score, result.status) == (100, 100, "graded")
    assert [e.name for e in result.exercises] == [e.name for e in EXERCISES]


def test_untouched_stubs_score_zero_with_a_korean_hint(grader, tmp_path):
    result = grader.grade(make_submission(tmp_path, base="exercises"))
    assert result.score == 0 and result.max_score == 100
    for test in failing(result).values():
        assert test.status == "error"
        assert "아직 구현하지 않았습니다" in test.message


def test_result_matches_the_published_json_schema(grader, tmp_path):
    results = [grader.grade(make_submission(tmp_path / "a")), grader.grade(make_submission(tmp_path / "b", base="exercises"))]
    data = [to_json(r) for r in results]
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [from_json(d) for d in data] == results  # the one serialiser round-trips


def test_grading_is_deterministic(grader):
    submission = ROOT / "examples" / "submissions" / "lee-junho"
    first, second = grader.grade(submission), grader.grade(submission)
    assert replace(first, elapsed=0) == replace(second, elapsed=0)
    assert 0 < first.score < 100


def test_no_traceback_or_grader_path_reaches_students(grader):
    for name in ("lee-junho", "park-seoyeon"):
        result = grader.grade(ROOT / "examples" / "submissions" / name)
        for test in failing(result).values():
            assert "Traceback" not in test.message
            assert "autograder" not in test.message and "solutions" not in test.message


@pytest.mark.parametrize("name, expected", [("kim-minji", 100)])
def test_bundled_correct_sample_in_textbook_style(grader, name, expected):
    assert grader.grade(ROOT / "examples" / "submissions" / name).score == expected


@pytest.mark.parametrize("got, want", [(np.zeros((1, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(3)),
                                       (np.zeros(3), np.zeros((2, 3))), (np.float64(0.0), np.zeros(1))])
def test_a_value_of_a_broadcastable_wrong_shape_is_never_close(got, want):
    """``b1`` of shape (1, H) for (H,) holds the right numbers and broadcasts, yet is not what was asked."""
    assert np.allclose(got, want)  # the premise: numpy alone would call them equal
    assert not close(got, want, rtol=1e-7)
    with pytest.raises(Failure):
        expect_close(got, want, 1e-7, 0.0, "값이 다릅니다.")


def test_a_bias_of_shape_1_by_h_loses_the_initial_value_test(grader, tmp_path):
    wide = make_submission(tmp_path, replace={"two_layer_net.py": [
        ("self.params['b1'] = np.zeros(hidden_size)", "self.params['b1'] = np.zeros((1, hidden_size))")]})
    failed = failing(grader.grade(wide))
    assert "init_values_from_rng" in failed and "(1, 5)" in failed["init_values_from_rng"].message  # TwoLayerNet(6, 5, 3)
