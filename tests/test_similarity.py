"""Identical unusual wrong answers: grouped only when no catalogued mistake explains them."""

from __future__ import annotations

import json

import pytest

from autograder.commands.grade_outputs import write_outputs
from autograder.commands.grade_run import GradeRun
from autograder.analysis.similarity import MIN_SHARED_TESTS, find_groups
from classgen import ODD_SSE, ODD_SSE_RENAMED
from conftest import EXERCISES, make_submission

OTHER_ODD_SSE = [(old, new.replace("0.0125", "0.02")) for old, new in ODD_SSE]
FORWARD = [("return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x)) / h")]


@pytest.fixture(scope="module")
def graded(grader, tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    plan = {
        "copier-a": {"losses.py": ODD_SSE},
        "copier-b": {"losses.py": ODD_SSE_RENAMED},
        "loner": {"losses.py": OTHER_ODD_SSE},  # a different unexplained answer
        "forward-1": {"gradient.py": FORWARD},  # the same catalogued mistake, made independently
        "forward-2": {"gradient.py": FORWARD},
        "honest": {},
    }
    folders = {name: make_submission(base / name, replace=edits) for name, edits in plan.items()}
    results = [grader.grade(folder).relabel(name) for name, folder in folders.items()]
    return results, folders


def test_a_copied_unusual_bug_is_grouped_with_the_tests_and_a_token_score(graded):
    results, folders = graded
    findings = find_groups(results, folders, EXERCISES)
    assert [g.members for g in findings.groups] == [("copier-a", "copier-b")]
    group = findings.groups[0]
    assert len(group.tests) >= MIN_SHARED_TESTS and group.exercises == ("losses",)
    assert all(t.startswith("losses: ") for t in group.tests)
    assert group.token_similarity is not None and group.token_similarity > 0.5
    assert "증거가 아니라" in group.note


def test_the_same_catalogued_mistake_is_not_a_signal(graded):
    results, _ = graded
    forward = [t for r in results if r.name.startswith("forward") for t in r.tests() if t.mistake]
    assert {t.mistake for t in forward} == {"forward_difference"}  # the premise: both were recognised
    members = {m for g in find_groups(results).groups for m in g.members}
    assert not members & {"forward-1", "forward-2", "loner", "honest"}


def test_an_answer_most_of_the_class_shares_is_listed_as_common_not_as_a_group(graded):
    results, _ = graded
    copiers = [r for r in results if r.name.startswith("copier")]
    crowd = [r.relabel(f"student-{i}") for i in range(4) for r in copiers[:1]] + copiers
    findings = find_groups(crowd)
    assert findings.groups == []
    assert findings.common and findings.common[0]["count"] == 6


def test_grade_puts_the_common_answers_in_the_report(graded, tmp_path):
    results, _ = graded
    copiers = [r for r in results if r.name.startswith("copier")]
    crowd = [copiers[0].relabel(f"student-{i}") for i in range(4)] + results
    findings = find_groups(crowd)
    assert findings.common  # the premise: six of ten share the unexplained answer
    write_outputs(crowd, GradeRun(tmp_path, similarity=findings, docs_url=""))
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = report[report.index('id="common-answers"'):report.index("<!-- 확인해 볼 만한 쌍: 끝 -->")]
    assert f"<td>{findings.common[0]['test']}</td>" in section and ">6명</td>" in section
    assert "눈에 띄게 비슷한 답안이 없습니다" in report  # a crowd's answer no longer makes the copiers a pair
    assert json.loads((tmp_path / "similarity.json").read_text(encoding="utf-8"))["common"] == findings.common


def test_findings_never_change_a_score(graded):
    results, folders = graded
    before = [(r.name, r.score) for r in results]
    find_groups(results, folders, EXERCISES)
    assert [(r.name, r.score) for r in results] == before
