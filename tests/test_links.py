"""Every student-facing output links a test that did not pass to the lecture-site section explaining it.

The address of each section comes from one function (``autograder/report/links.py``), the site's own
address from one setting (``autograder/lecture_site.py``); that each one is a real heading of the built
site is checked in test_docs_build.py.
"""

from __future__ import annotations

import io
import json
from urllib.parse import unquote

import pytest
from rich.console import Console

from autograder import lecture_site
from autograder.catalog import BY_NAME, EXERCISES
from autograder.exports import classroom50_result
from autograder.exports.gradescope import gradescope_results
from autograder.grade.result import ExerciseResult, Status, SubmissionResult, TestResult
from autograder.report import links
from autograder.report.console import print_check
from autograder.report.feedback import feedback_markdown
from autograder.report.student import markdown
from autograder.suites.mistakes import MISTAKES

SITE = "https://lecture.example.org/dl04/"


def result(exercise="gradient", name="numerical_diff_textbook", visibility="public", status=Status.FAILED,
           mistake=""):
    return TestResult(exercise, name, f"{name} 제목", visibility, 0 if status is not Status.PASSED else 2, 2, status,
                      "" if status is Status.PASSED else f"{name}의 설명", mistake)


def test_a_catalogued_mistake_links_to_its_section():
    link = links.test_link(result(mistake="forward_difference"), SITE)
    assert link.startswith(SITE) and link.isascii()  # percent-encoded: clickable in any terminal
    assert unquote(link) == SITE + MISTAKES["forward_difference"].docs


@pytest.mark.parametrize("mistake", ["", "no_return", "a key the catalogue no longer has"])
def test_any_other_failure_links_to_its_exercises_theory_section(mistake):
    for exercise in EXERCISES:
        link = links.test_link(result(exercise.name, mistake=mistake), SITE)
        assert unquote(link) == f"{SITE}{exercise.docs_page}#{exercise.theory}"


@pytest.mark.parametrize("status", [Status.ERROR, Status.TIMEOUT, Status.MEMORY])
def test_errors_and_timeouts_link_too(status):
    assert links.test_link(result(status=status), SITE)


def test_no_link_for_a_pass_a_grader_problem_or_without_an_address():
    assert links.test_link(result(status=Status.PASSED), SITE) is None
    assert links.test_link(result(status=Status.INTERNAL), SITE) is None  # never the student's fault
    assert links.test_link(result(mistake="forward_difference"), None) is None
    assert links.test_link(result("an exercise the catalogue lacks"), SITE) is None


def test_the_address_is_the_shipped_one_then_mkdocs(tmp_path, monkeypatch):
    mkdocs = tmp_path / "mkdocs.yml"
    mkdocs.write_text("site_name: x\nsite_url: https://pages.example/lecture/\n", encoding="utf-8")
    monkeypatch.setattr(lecture_site, "MKDOCS", mkdocs)
    monkeypatch.setattr(lecture_site, "SHIPPED", tmp_path / "autograder" / "docs_url.txt")
    assert lecture_site.configured_site() == "https://pages.example/lecture/"
    lecture_site.store_site(tmp_path, None)
    assert not lecture_site.SHIPPED.exists()
    lecture_site.SHIPPED.parent.mkdir(parents=True)
    lecture_site.store_site(tmp_path, "https://course.example/site/")
    assert lecture_site.configured_site() == "https://course.example/site/"
    mkdocs.unlink()
    lecture_site.SHIPPED.unlink()
    assert lecture_site.configured_site() is None


def submission() -> SubmissionResult:
    tests = (result(mistake="forward_difference"),
             result(name="numerical_gradient_restores_x", visibility="hidden", mistake="x_not_restored"),
             result(name="numerical_diff_uses_h", status=Status.INTERNAL),
             result(name="numerical_gradient_textbook", status=Status.PASSED))
    return SubmissionResult.graded("kim", [ExerciseResult("gradient", BY_NAME["gradient"].title, tests)], 1.0)


PUBLIC_LINK = links.test_link(result(mistake="forward_difference"), SITE)
HIDDEN_LINK = links.test_link(result(name="numerical_gradient_restores_x", visibility="hidden",
                                     mistake="x_not_restored"), SITE)


def test_check_console_links_each_public_failure_and_never_a_hidden_one():
    console = Console(file=io.StringIO(), width=60, record=True, color_system=None)
    print_check(submission(), console, site=SITE)
    text = console.export_text()
    assert f"강의 노트: {PUBLIC_LINK}" in text
    assert text.count("강의 노트:") == 1 and HIDDEN_LINK not in text  # hidden tests are counted, never described
    assert PUBLIC_LINK in [word for line in text.splitlines() for word in line.split()]  # never broken at width 60


def test_release_body_and_job_summary_link_public_failures():
    body = markdown(submission(), site=SITE)
    assert f"[강의 노트에서 읽기]({PUBLIC_LINK})" in body and HIDDEN_LINK not in body
    assert body.count("강의 노트에서 읽기") == 1
    assert "강의 노트" not in markdown(submission())  # no address, no link


def test_classroom50_rows_carry_the_link_of_public_failures_only():
    rows = classroom50_result.test_rows(submission(), SITE)
    assert [row.get("docs") for row in rows] == [PUBLIC_LINK, None, None, None]
    assert "docs" not in json.dumps(classroom50_result.test_rows(submission()))


def test_feedback_file_links_every_failure_hidden_ones_included():
    text = feedback_markdown(submission(), "kim", SITE)
    assert f"[강의 노트에서 읽기]({PUBLIC_LINK})" in text and f"[강의 노트에서 읽기]({HIDDEN_LINK})" in text
    assert text.count("강의 노트에서 읽기") == 2  # not the grader's own problem


def test_gradescope_output_ends_with_the_link():
    outputs = [t["output"] for t in gradescope_results(submission(), SITE)["tests"]]
    assert outputs[0].endswith(f"강의 노트: {PUBLIC_LINK}") and outputs[1].endswith(HIDDEN_LINK)
    assert "강의 노트" not in outputs[2] + outputs[3]


def course_checkout(tmp_path, remote: str | None, publishes: bool = True, site_url: str = ""):
    """A course repository as an instructor clones it: mkdocs.yml, the Pages workflow, a GitHub ``origin``."""
    import subprocess

    checkout = tmp_path / "course"
    (checkout / ".github" / "workflows").mkdir(parents=True)
    (checkout / "mkdocs.yml").write_text(f"site_name: x\n{site_url}", encoding="utf-8")
    if publishes:
        (checkout / ".github" / "workflows" / "docs.yml").write_text("name: docs\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(checkout), "remote", "add", "origin", remote], check=True)
    return checkout


@pytest.mark.parametrize("remote, address", [
    ("git@github.com:Prof-Kim/dl-lecture04.git", "https://prof-kim.github.io/dl-lecture04/"),
    ("https://github.com/prof-kim/dl-lecture04", "https://prof-kim.github.io/dl-lecture04/"),
    ("https://x-access-token@github.com/prof-kim/dl-lecture04.git/", "https://prof-kim.github.io/dl-lecture04/"),
    ("ssh://git@github.com/prof-kim/prof-kim.github.io.git", "https://prof-kim.github.io/"),
    ("https://gitlab.com/prof-kim/dl-lecture04.git", None),
    ("/srv/git/dl-lecture04.git", None),
    (None, None),
])
def test_without_site_url_the_course_repository_links_to_its_github_pages(tmp_path, remote, address):
    assert lecture_site.pages_address(course_checkout(tmp_path, remote)) == address


def test_a_clone_that_does_not_publish_the_site_has_no_pages_address(tmp_path):
    """A student's clone of the template (no Pages workflow) must not link to the student's own Pages."""
    checkout = course_checkout(tmp_path, "git@github.com:kim-minji/lecture04-kim-minji.git", publishes=False)
    assert lecture_site.pages_address(checkout) is None


def test_site_url_comes_before_the_pages_address(tmp_path, monkeypatch):
    checkout = course_checkout(tmp_path, "git@github.com:prof-kim/dl-lecture04.git",
                               site_url="site_url: https://lecture.example.org/dl04/\n")
    monkeypatch.setattr(lecture_site, "MKDOCS", checkout / "mkdocs.yml")
    monkeypatch.setattr(lecture_site, "SHIPPED", tmp_path / "absent" / "docs_url.txt")
    assert lecture_site.course_site() == "https://lecture.example.org/dl04/"
    (checkout / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert lecture_site.course_site() == "https://prof-kim.github.io/dl-lecture04/"
    assert lecture_site.configured_site() is None  # what a student's check reads: never derived from a remote
