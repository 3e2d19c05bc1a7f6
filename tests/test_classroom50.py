"""The Classroom 50 autograder bundle (``release OUTDIR --classroom50 BUNDLEDIR``), tested by playing its runner.

Classroom 50's runner (foundation50/classroom50, ``runner.py``) runs the
bundle's ``autograder.py`` with the student's checkout as the working
directory and the submission's identity in environment variables. Here the
same happens for the reference, the stubs, every mutant of the catalogue, a
hanging and a crashing submission: ``result.json`` validates against the
vendored result-v1 schema, its score is ``grade``'s for the same files, and
nothing a student reads names a hidden test or shows a hidden value.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from autograder.assign.common import runtime_dependencies
from autograder.assign.leaks import find_leaks
from autograder.catalog import EXERCISES, test_inventory
from autograder.grade.engine import Grader
from autograder.report.links import test_link
from conftest import make_submission, rendered
from mutation.known import KNOWN as MUTANTS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "vendor" / "classroom50" / "result-v1.schema.json").read_text(encoding="utf-8"))
INVENTORY = test_inventory()
RUNNER_ENV = {
    "CLASSROOM": "dl-seminar", "ASSIGNMENT": "lecture04", "ASSIGNMENT_TYPE": "individual",
    "SUBMISSION_TAG": "submit/2026-11-30T14-32-05Z-a1b2c3d", "USERNAME": "kim-minji", "OWNER": "kim-minji",
    "COMMIT_URL": "https://github.com/dl-org/dl-seminar-lecture04-kim-minji/commit/a1b2c3d",
    "RELEASE_URL": "https://github.com/dl-org/dl-seminar-lecture04-kim-minji/releases/tag/submit%2F2026",
    "REVIEW_URL": "https://github.com/dl-org/dl-seminar-lecture04-kim-minji/compare/0000000...a1b2c3d",
    "GITHUB_REPOSITORY": "dl-org/dl-seminar-lecture04-kim-minji", "GITHUB_ACTOR": "kim-minji",
}
DOCS_URL = "https://dl-org.github.io/lecture04/"
HANG = "    while True:\n        pass\n"
SUBMISSIONS = {
    "reference": {},
    "stubs": None,
    **{f"mutant: {m.name}": {m.file: m.edits} for m in MUTANTS},
    "textbook-style sample": ROOT / "examples" / "textbook",  # reaches the suites' rarer reference calls
    "hanging": {"gradient.py": [("    ### BEGIN SOLUTION\n    return (f(x + h)", HANG + "    ### BEGIN SOLUTION\n    return (f(x + h)")]},
    "crashing": {"losses.py": [("    y = np.asarray(y, dtype=float)", "    import os\n    os._exit(7)\n    y = np.asarray(y, dtype=float)")]},
}


@pytest.fixture(scope="module")
def graded():
    """``grade``'s grader with its default limits (the bundle uses the same)."""
    with Grader() as grader:
        yield grader


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("classroom50")
    template, bundle = base / "template", base / "bundle"
    process = subprocess.run([sys.executable, "-m", "autograder", "release", str(template), "--classroom50", str(bundle),
                              "--docs-url", DOCS_URL], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout + process.stderr
    return template, bundle


def checkout(template: Path, target: Path, edits: dict | Path | None) -> Path:
    """A student's checkout of the template: the stubs (``edits`` None), the reference with ``edits``,
    or a sample submission's files (``edits`` a folder)."""
    shutil.copytree(template, target)
    if isinstance(edits, Path):
        shutil.copytree(edits / "exercises", target / "exercises", dirs_exist_ok=True)
        return target
    return target if edits is None else make_submission(target, replace=edits)


def run_runner(bundle: Path, workdir: Path, **overrides) -> subprocess.CompletedProcess:
    """What Classroom 50's runner does: ``python autograder.py`` in the checkout, identity in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(RUNNER_ENV, CLASSROOM50_BUNDLE_DIR=str(bundle), **overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, str(bundle / "autograder.py")], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=600)


def test_bundle_has_the_grader_and_never_the_solutions(released):
    template, bundle = released
    for relative in ("autograder.py", "requirements.txt", "runtime.json", "README.md",
                     "grader/autograder/suites/public/expected.json", "grader/autograder/classroom50_autograder.py"):
        assert (bundle / relative).is_file(), relative
    for exercise in EXERCISES:
        assert (bundle / "grader/autograder/suites/hidden" / f"test_{exercise.name}.py").is_file()
    assert not list(bundle.rglob("solutions")) and not (bundle / "grader/autograder/assign").exists()
    assert (bundle / "grader/autograder/docs_url.txt").read_text(encoding="utf-8").strip() == DOCS_URL
    assert not find_leaks(bundle)  # no solution line or expression (hidden suites are the point here)
    assert (bundle / "requirements.txt").read_text(encoding="utf-8").split("\n")[:-1] == runtime_dependencies()
    runtime = json.loads((bundle / "runtime.json").read_text(encoding="utf-8"))
    assert runtime["runs-on"] == "ubuntu-latest" and re.fullmatch(r"3\.1[1-9]", runtime["python"])
    readme = (bundle / "README.md").read_text(encoding="utf-8")
    assert "gh teacher assignment add" in readme and "--runtime runtime.json" in readme
    assert "autograders/lecture04" in readme and "인증 없이" in readme
    # Classroom 50 grades: the template brings no workflow of its own, and says how submitting works there
    assert not (template / ".github").exists()
    student_readme = (template / "README.md").read_text(encoding="utf-8")
    assert "Classroom 50" in student_readme and "Releases" in student_readme and "Actions" not in student_readme


@pytest.mark.parametrize("name", list(SUBMISSIONS))
def test_runner_result_validates_and_equals_grade(released, graded, tmp_path, name):
    template, bundle = released
    work = checkout(template, tmp_path / "checkout", SUBMISSIONS[name])
    process = run_runner(bundle, work)
    assert process.returncode == 0, process.stdout + process.stderr
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, SCHEMA, cls=jsonschema.Draft202012Validator)
    truth = graded.grade(work)
    assert (result["score"], result["max-score"]) == (truth.score, truth.max_score) == (truth.score, 100)
    assert [row["score"] for row in result["tests"]] == [t.score for t in truth.tests()]
    assert all(row["score"] <= row["max-score"] for row in result["tests"])
    for key, variable in (("classroom", "CLASSROOM"), ("assignment", "ASSIGNMENT"), ("owner", "OWNER"),
                          ("submission", "SUBMISSION_TAG"), ("commit", "COMMIT_URL"), ("release", "RELEASE_URL"),
                          ("review", "REVIEW_URL")):
        assert result[key] == RUNNER_ENV[variable]
    body = (work / "release-body.md").read_text(encoding="utf-8")
    assert_student_view(result, body, process.stdout, truth)


def assert_student_view(result: dict, body: str, log: str, truth) -> None:
    """Public tests in full, hidden tests only as "숨은 테스트 k/n개 통과 (m점)" and neutral names."""
    for exercise, row in zip(truth.exercises, re.findall(r"^\| `(\w+)` \| [^|]+ \| (\d+) / (\d+) \|$", body, re.M)):
        assert row == (exercise.name, str(exercise.score), str(exercise.max_score))
        hidden = [t for t in exercise.tests if t.hidden]
        line = f"숨은 테스트 {sum(t.passed for t in hidden)}/{len(hidden)}개 통과 ({sum(t.score for t in hidden)}점)"
        assert line in body and line in log
    rows = {row["test-name"]: row for row in result["tests"]}
    for exercise in truth.exercises:
        public = [t for t in exercise.tests if not t.hidden]
        for number, test in enumerate((t for t in exercise.tests if t.hidden), start=1):
            assert set(rows[f"{exercise.name}: 숨은 테스트 {number}"]) == {"test-name", "passed", "score", "max-score"}
        for test in public:
            row = rows[f"{exercise.name}: {test.title}"]
            assert row["status"] == test.status.value and (test.passed or test.message in row["message"])
            assert test.passed or test.message in rendered(body)  # as the release page shows it
            link = test_link(test, DOCS_URL)  # where to read about it: the release's address, one per failure
            assert row.get("docs") == link and (link is None or f"[강의 노트에서 읽기]({link})" in body)
    shown = json.dumps(result, ensure_ascii=False) + body + log
    public_messages = {t.message for t in truth.tests() if not t.hidden}
    secrets = [s for t in truth.tests() if t.hidden for s in (t.name, t.title, t.message)
               if s and s not in public_messages]
    assert not [s for s in secrets if s in shown]


def test_runner_grades_with_the_bundle_not_with_the_checkout(released, tmp_path):
    """The checkout carries the template's own autograder/: a student who rewrites it changes nothing."""
    template, bundle = released
    work = checkout(template, tmp_path / "checkout", None)
    (work / "autograder" / "classroom50.py").write_text("def main():\n    open('result.json', 'w').write('{}')\n"
                                                        "    return 0\n", encoding="utf-8")
    (work / "autograder" / "__init__.py").write_text("raise SystemExit('the checkout grader was imported')\n",
                                                     encoding="utf-8")
    process = run_runner(bundle, work)
    assert process.returncode == 0, process.stdout + process.stderr
    assert json.loads((work / "result.json").read_text(encoding="utf-8"))["score"] == 0


def test_a_checkout_without_exercises_is_the_students_fault(released, tmp_path):
    template, bundle = released
    work = tmp_path / "empty"
    work.mkdir()
    process = run_runner(bundle, work)
    assert process.returncode == 0, process.stdout + process.stderr
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (result["score"], result["max-score"]) == (0, 100) and len(result["tests"]) == len(INVENTORY)
    assert "exercises/" in (work / "release-body.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("breakage", ["hidden suites missing", "recorded values missing", "no submission tag"])
def test_a_broken_grader_exits_nonzero_without_a_result(released, tmp_path, breakage):
    template, bundle = released
    broken = shutil.copytree(bundle, tmp_path / "bundle")
    overrides = {}
    if breakage == "hidden suites missing":
        shutil.rmtree(broken / "grader/autograder/suites/hidden")
    elif breakage == "recorded values missing":
        (broken / "grader/autograder/suites/public/expected.json").unlink()
    else:
        overrides["SUBMISSION_TAG"] = None
    work = checkout(template, tmp_path / "checkout", {})
    process = run_runner(broken, work, **overrides)
    assert process.returncode != 0
    assert "채점기 문제" in process.stdout + process.stderr
    assert "Traceback" not in process.stdout + process.stderr
    assert not (work / "result.json").exists()
