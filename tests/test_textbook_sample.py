"""The textbook-style sample (examples/textbook): every deviation from the contract named once, and right.

The sample behaves like the book's published code with the stubs' names and
arguments. Each place the assignment's contract differs from the book must
fail exactly one property's tests with the catalogued mistake that names it,
and the lecture site's «교재 코드와 다른 점» tables (hooks/book_differences.py)
must have a reason for each.
"""

import tomllib

import pytest

from autograder.catalog import BY_NAME, EXERCISES
from conftest import ROOT, failing
from hooks import book_differences

SAMPLE = ROOT / "examples" / "textbook"
DEVIATIONS = {  # test -> (catalogued mistake, a phrase of its message)
    "sse_batch_mean": ("batch_sum_not_mean", "평균"),
    "cee_label_single_sample": ("labels_not_supported", "원-핫 정답만"),
    "cee_label_batch": ("labels_not_supported", "원-핫 정답만"),
    "numerical_diff_uses_h": ("ignores_h", "h 인수를 무시"),
    "numerical_gradient_uses_h": ("ignores_h", "h 인수를 무시"),
    "history_starts_at_init": ("history_without_final", "마지막 위치가 없습니다"),
    "init_x_unchanged": ("init_x_modified", "init_x가 바뀌었습니다"),
    "uses_given_grad": ("grad_ignored", "grad 인수를 쓰지 않았습니다"),
    "init_values_from_rng": ("rng_ignored", "np.random"),
    "accuracy_labels_and_one_hot": ("accuracy_labels", "클래스 번호"),
    "train_history": ("minibatch_sampling", "rng.choice"),
}


@pytest.fixture(scope="module")
def graded(grader):
    return grader.grade(SAMPLE)


def test_each_deviation_from_the_book_fails_only_its_own_test_with_its_own_name(graded):
    lost = failing(graded)
    assert set(lost) == set(DEVIATIONS), {name: t.message for name, t in lost.items()}
    for name, (mistake, phrase) in DEVIATIONS.items():
        assert lost[name].mistake == mistake and phrase in lost[name].message, lost[name].message
    # the training records: three deviations, each said once in the one test of the records
    message = lost["train_history"].message
    assert message.count("rng.choice") == 1 and message.count("'test_loss' 키가 없습니다") == 1
    assert message.count("정수 나눗셈") == 1
    assert graded.score == 100 - sum(t.max_score for t in lost.values())
    assert f"표본은 지금 {graded.score}점" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_failed_test_has_a_reason_and_every_reason_a_failed_test():
    reasons = tomllib.loads((SAMPLE / "differences.toml").read_text(encoding="utf-8"))
    assert set(reasons) == set(DEVIATIONS)
    assert all(entry["book"].strip() and entry["why"].strip() for entry in reasons.values())


def test_each_exercise_page_gets_a_table_of_its_deviations(graded):
    failed = [{"exercise": t.exercise, "name": t.name, "title": t.title, "points": t.max_score, "message": t.message}
              for e in graded.exercises for t in e.tests if not t.passed]
    reasons = tomllib.loads((SAMPLE / "differences.toml").read_text(encoding="utf-8"))
    for exercise in (e.name for e in EXERCISES):
        page = (ROOT / "docs" / f"{BY_NAME[exercise].docs_page.strip('/')}.md").read_text(encoding="utf-8")
        assert page.count(book_differences.MARKER) == 1, exercise
        table = book_differences.render(exercise, failed, reasons)
        lost = sum(t["points"] for t in failed if t["exercise"] == exercise)
        assert f"{lost}점을 잃습니다" in table
        for t in failed:
            if t["exercise"] == exercise:
                assert t["title"] in table and reasons[t["name"]]["why"] in table
    with pytest.raises(Exception, match="no reason"):
        book_differences.render("losses", failed, {})
