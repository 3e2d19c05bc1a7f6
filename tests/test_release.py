"""The GitHub Classroom student template (``nox -s release -- OUTDIR``).

Nothing secret leaves: no solution line, no hidden test name. The template,
taken as it is, grades the stubs at 0 and the reference at full public points
without solutions/, exactly as the real reference would. The workflow
validates against GitHub's schema, has the shape Classroom reads, and, run
step by step the way Actions would run it, scores what it promises.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.assign import release
from autograder.assign.leaks import find_leaks, hidden_test_names, solution_lines
from autograder.assign.stubs import BEGIN, END, stub_files
from autograder.catalog import EXERCISES, test_inventory
from autograder.grade.result import to_json
from conftest import make_submission
from test_mutants import MUTANTS

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
INVENTORY = test_inventory()
HIDDEN_REPO = "prof-kim/lecture04-hidden"
DOCS_URL = "https://lecture.example.org/dl04"
WORKFLOW = Path(".github/workflows/classroom.yml")


def points(exercise=None, visibility=("public",)) -> int:
    return sum(t["points"] for t in INVENTORY
               if (exercise is None or t["exercise"] == exercise) and t["visibility"] in visibility)


def run_release(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "release", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def student_env() -> dict:
    """What a student's shell has: no path into this repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_in(folder: Path, *args: str, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=folder, env=student_env(), capture_output=True,
                          text=True, timeout=timeout)


# Grades folders with the grader *of the folder it runs in*; prints JSON.
GRADE_SCRIPT = """
import json, sys
from autograder.grade.engine import Grader, load_reference
from autograder.grade.result import to_json
visibility = tuple(sys.argv[1].split(","))
with Grader(visibility=visibility) as grader:
    results = [to_json(grader.grade(path)) for path in sys.argv[2:]]
print(json.dumps({"reference": type(load_reference()).__name__, "results": results}))
"""


def grade_in(template: Path, visibility: str, *submissions: Path) -> dict:
    process = run_in(template, "-c", GRADE_SCRIPT, visibility, *map(str, submissions))
    assert process.returncode == 0, process.stdout + process.stderr
    return json.loads(process.stdout.strip().splitlines()[-1])


def with_reference(template: Path, target: Path) -> Path:
    """A copy of the template whose exercises/ holds the reference solutions."""
    shutil.copytree(template, target)
    for source in SOLUTIONS.glob("*.py"):
        shutil.copyfile(source, target / "exercises" / source.name)
    return target


def overlay_hidden(template: Path, hidden: Path, target: Path) -> Path:
    """The template as the hidden-mode workflow sees it after installing the hidden tests."""
    shutil.copytree(template, target)
    shutil.copytree(hidden / "autograder", target / "autograder", dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "template"
    process = run_release(str(out), "--docs-url", DOCS_URL)
    assert process.returncode == 0, process.stdout + process.stderr
    return out


@pytest.fixture(scope="module")
def hidden_mode(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("hidden-mode")
    out, hidden = base / "template", base / "hidden-repo"
    process = run_release(str(out), "--hidden-repo", HIDDEN_REPO, "--hidden-out", str(hidden))
    assert process.returncode == 0, process.stdout + process.stderr
    return out, hidden


def released_files(folder: Path):
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and ".git" not in p.relative_to(folder).parts]


# --- contents and leaks ---------------------------------------------------------


def test_template_has_what_a_student_repository_needs(template):
    for relative in ("README.md", "pyproject.toml", "noxfile.py", ".gitignore", WORKFLOW,
                     "autograder/__main__.py", "autograder/suites/public/expected.json"):
        assert (template / relative).is_file(), relative
    for exercise in EXERCISES:
        assert (template / "autograder/suites/public" / f"test_{exercise.name}.py").is_file()
    assert not (template / "solutions").exists()
    assert not (template / "autograder/suites/hidden").exists()
    assert not (template / "autograder/assign").exists()
    # exercises/ is generated from solutions/ right now, not copied from a possibly stale exercises/
    assert {p.name: p.read_text(encoding="utf-8") for p in (template / "exercises").glob("*.py")} \
        == stub_files(SOLUTIONS)


def _solution_body_lines() -> list[str]:
    """Non-trivial lines between the markers, found here independently of the release code."""
    lines = []
    for path in SOLUTIONS.glob("*.py"):
        inside = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            elif inside:
                code = line.split("#")[0].strip()
                if len(code.replace(" ", "")) >= 12:
                    lines.append(code)
    assert len(lines) >= 20, "the solutions have far more code than this: the marker scan is broken"
    return lines


@pytest.mark.parametrize("which", ["template", "hidden-mode template", "hidden repository"])
def test_no_solution_line_and_no_hidden_test_name_is_released(template, hidden_mode, which):
    folder = {"template": template, "hidden-mode template": hidden_mode[0], "hidden repository": hidden_mode[1]}[which]
    hidden_names = [] if which == "hidden repository" else hidden_test_names(INVENTORY)
    assert len(hidden_test_names(INVENTORY)) >= 10
    files = released_files(folder)
    assert files
    allowed = _allowed()
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(folder).as_posix()
        for line in _solution_body_lines():
            if line in text and not any(where.endswith(f) and line == c for f, c in allowed):
                found.append(f"{where}: solution line {line!r}")
        for name in hidden_names:
            if re.search(rf"\b(test_)?{re.escape(name)}\b", text):
                found.append(f"{where}: hidden test {name!r}")
    assert not found, "\n".join(found)
    # the release's own scanner agrees
    assert not find_leaks(folder, solution_lines(SOLUTIONS), hidden_names)


def _allowed():
    """The documented exceptions, each of which must still be true (no stale allowances)."""
    from autograder.assign.leaks import ALLOWED

    for (file, line), _reason in ALLOWED.items():
        assert line in (ROOT / file).read_text(encoding="utf-8"), f"stale allowance: {file}: {line}"
    return list(ALLOWED)


def test_leak_scan_catches_planted_leaks(template, tmp_path):
    planted = shutil.copytree(template, tmp_path / "leaky")
    line = solution_lines(SOLUTIONS)[3]
    hidden = hidden_test_names(INVENTORY)[0]
    with open(planted / "README.md", "a", encoding="utf-8") as f:
        f.write(f"\n        {line.replace(' ', '  ')}   # re-indented and re-spaced\n")
    notebook = {"cells": [{"cell_type": "code", "source": [f"check('x', '{hidden}')\n"]}]}
    (planted / "extra.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    leaks = find_leaks(planted, solution_lines(SOLUTIONS), hidden_test_names(INVENTORY))
    assert {(leak.path.name, leak.kind) for leak in leaks} == {("README.md", "solution"),
                                                                ("extra.ipynb", "hidden test")}
    with pytest.raises(release.ReleaseError, match="leak"):
        release.scan_for_leaks(planted)


def test_readme_tells_students_how_to_work(template):
    readme = (template / "README.md").read_text(encoding="utf-8")
    for phrase in ("nox -s check", "--exercise", "git push", DOCS_URL, "최종 점수"):
        assert phrase in readme, phrase
    for exercise in EXERCISES:
        assert f"`exercises/{exercise.name}.py`" in readme
        assert f"{DOCS_URL}/{exercise.docs_page}" in readme
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{exercise.name}` |"))
        assert f"| {points(exercise.name)}점 | {points(exercise.name, ('hidden',))}점 |" in row
    assert f"총점은 {points(visibility=('public', 'hidden'))}점" in readme


# --- the template grades as promised -----------------------------------------


def test_template_grades_stubs_at_zero_without_solutions(template):
    graded = grade_in(template, "public", template)
    assert graded["reference"] == "RecordedBackend"  # no solutions/ reachable from the template
    result = graded["results"][0]
    assert (result["score"], result["max_score"]) == (0, points())
    tests = [t for e in result["exercises"] for t in e["tests"]]
    assert len(tests) == len([t for t in INVENTORY if t["visibility"] == "public"])
    assert all(t["status"] == "error" and "NotImplementedError" in t["message"] for t in tests), tests
    assert run_in(template, "-m", "autograder", "check").returncode == 0
    assert run_in(template, "-m", "autograder", "check", "--require-full").returncode == 1


def test_template_grades_reference_at_full_public_points(template, tmp_path):
    solved = with_reference(template, tmp_path / "solved")
    result = grade_in(solved, "public", solved)["results"][0]
    assert (result["score"], result["max_score"]) == (points(), points())
    process = run_in(solved, "-m", "autograder", "check", "--require-full")
    assert process.returncode == 0, process.stdout
    assert "통과하지 못한" not in process.stdout


def test_recorded_reference_grades_mistakes_like_the_real_one(template, hidden_mode, grader, tmp_path):
    """Every mutant gets the same status, points and message from the template (recorded
    reference) as from this repository (real reference), public and hidden mode alike."""
    mutants = [make_submission(tmp_path / f"mutant-{i}", replace={m.file: m.edits}) for i, m in enumerate(MUTANTS)]
    real = [to_json(grader.grade(path)) for path in mutants]

    def tests(result, visibility):
        return {(e["name"], t["name"]): (t["status"], t["score"], t["message"])
                for e in result["exercises"] for t in e["tests"] if t["visibility"] in visibility}

    hidden_template = overlay_hidden(hidden_mode[0], hidden_mode[1], tmp_path / "overlay")
    for folder, visibility in ((template, ("public",)), (hidden_template, ("public", "hidden"))):
        recorded = grade_in(folder, ",".join(visibility), *mutants)["results"]
        for mutant, want, got in zip(MUTANTS, real, recorded):
            assert got["status"] == "graded", (mutant.name, got["internal_errors"])
            assert tests(got, visibility) == tests(want, visibility), mutant.name


@pytest.mark.skipif(shutil.which("nox") is None, reason="nox is not on PATH")
@pytest.mark.parametrize("profile", [None, "windows", "macos"])
def test_nox_check_works_in_the_template(template, tmp_path, profile):
    """What a student types, on Linux and on simulated Windows and macOS (see tests/test_portable.py)."""
    copy = shutil.copytree(template, tmp_path / "student")
    env = {**student_env(), **({"AUTOGRADER_SIMULATE": profile} if profile else {})}
    process = subprocess.run(["nox", "-s", "check", "--", "--require-full"], cwd=copy, env=env,
                             capture_output=True, text=True, timeout=600)
    assert process.returncode != 0 and "0/" in process.stdout + process.stderr, process.stdout + process.stderr
    for source in SOLUTIONS.glob("*.py"):
        shutil.copyfile(source, copy / "exercises" / source.name)
    process = subprocess.run(["nox", "-s", "check", "--", "--require-full"], cwd=copy, env=env,
                             capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "채점기 문제" not in process.stdout and ("메모리 제한을 걸 수 없어" in process.stdout) == bool(profile)


# --- the workflow ---------------------------------------------------------------


def load_workflow(folder: Path) -> dict:
    return yaml.safe_load((folder / WORKFLOW).read_text(encoding="utf-8"))


def grader_steps(workflow: dict) -> list[dict]:
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    return [s for s in steps if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_workflows_validate_against_the_github_workflow_schema(template, hidden_mode, tmp_path):
    process = check_jsonschema(template / WORKFLOW, hidden_mode[0] / WORKFLOW)
    assert process.returncode == 0, process.stdout + process.stderr
    # the validator does reject a broken workflow (so the check above means something)
    broken = tmp_path / "broken.yml"
    broken.write_text((template / WORKFLOW).read_text(encoding="utf-8").replace("    runs-on: ubuntu-latest\n", "")
                      .replace("uses: actions/checkout@v4", "uses: 42\n      run: [1]"), encoding="utf-8")
    assert check_jsonschema(broken).returncode != 0


@pytest.mark.parametrize("mode", ["public", "hidden"])
def test_workflow_has_the_shape_classroom_reads(template, hidden_mode, mode):
    folder = template if mode == "public" else hidden_mode[0]
    visibility = ("public",) if mode == "public" else ("public", "hidden")
    workflow = load_workflow(folder)
    assert workflow["name"] == "Autograding Tests"
    assert workflow["on"] == ["push", "workflow_dispatch", "repository_dispatch"]
    assert list(workflow["jobs"]) == ["run-autograding-tests"]
    job = workflow["jobs"]["run-autograding-tests"]
    assert job["runs-on"] == "ubuntu-latest"
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    assert job["steps"][0]["uses"] == "actions/checkout@v4"
    graders = grader_steps(workflow)
    assert len(graders) == len(EXERCISES)
    for exercise, step in zip(EXERCISES, graders):
        assert re.fullmatch(r"[a-z0-9-]+", step["id"])
        assert f" {exercise.name} " in f" {step['with']['command']} "
        assert step["with"]["max-score"] == points(exercise.name, visibility)
        assert 0 < step["with"]["timeout"] <= 360
        assert step["with"]["test-name"]
    assert sum(s["with"]["max-score"] for s in graders) == points(visibility=visibility)
    reporter = job["steps"][-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    ids = [s["id"] for s in graders]
    assert reporter["with"]["runners"] == ",".join(ids)
    assert reporter["env"] == {f"{i.upper()}_RESULTS": f"${{{{steps.{i}.outputs.result}}}}" for i in ids}
    checkouts = [s for s in job["steps"] if s.get("uses") == "actions/checkout@v4" and "with" in s]
    if mode == "public":
        assert checkouts == []
    else:
        assert checkouts[0]["with"]["repository"] == HIDDEN_REPO
        assert checkouts[0]["with"]["token"] == "${{ secrets.HIDDEN_TESTS_TOKEN }}"


def run_workflow(folder: Path, hidden_repo: Path | None = None) -> dict[str, bool]:
    """Run the workflow's steps in ``folder`` the way the Actions runner would.

    Checkouts of other repositories copy ``hidden_repo``; the pip install and
    setup-python steps are skipped (this interpreter has the dependencies and
    comes first on PATH, as setup-python's would); each command grader's
    command runs with only PATH and HOME, like the action runs it.
    """
    passed = {}
    bin_path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    for step in load_workflow(folder)["jobs"]["run-autograding-tests"]["steps"]:
        uses, run = step.get("uses", ""), step.get("run")
        if uses.startswith("actions/checkout@") and "repository" in step.get("with", {}):
            assert hidden_repo is not None, "the workflow checks out a repository the test did not provide"
            shutil.copytree(hidden_repo, folder / step["with"]["path"])
        elif run and "pip install" not in run:
            subprocess.run(["bash", "-c", run], cwd=folder, check=True, timeout=60)
        elif uses == "classroom-resources/autograding-command-grader@v1":
            process = subprocess.run(["bash", "-c", step["with"]["command"]], cwd=folder, capture_output=True,
                                     env={"PATH": bin_path, "HOME": os.environ.get("HOME", "/tmp")}, text=True,
                                     timeout=step["with"]["timeout"] * 60)
            passed[step["id"]] = process.returncode == 0
    return passed


def classroom_score(folder: Path, passed: dict[str, bool]) -> int:
    return sum(s["with"]["max-score"] for s in grader_steps(load_workflow(folder)) if passed[s["id"]])


def test_public_workflow_scores_stubs_zero_and_reference_full(template, tmp_path):
    stubs = shutil.copytree(template, tmp_path / "stubs")
    passed = run_workflow(stubs)
    assert passed and not any(passed.values())
    solved = with_reference(template, tmp_path / "solved")
    passed = run_workflow(solved)
    assert all(passed.values()) and classroom_score(solved, passed) == points()


def test_hidden_workflow_grades_with_the_hidden_suites(hidden_mode, tmp_path):
    template, hidden = hidden_mode
    solved = with_reference(template, tmp_path / "solved")
    passed = run_workflow(solved, hidden)
    assert all(passed.values()) and classroom_score(solved, passed) == points(visibility=("public", "hidden"))
    assert not (solved / ".hidden-tests").exists()
    # a mistake only the hidden suites see fails its exercise's step, and only that one
    mutant = next(m for m in MUTANTS if m.name == "sse summed over the batch")
    assert not any(t in mutant.must_fail for t in ("sse_textbook", "cee_textbook"))
    wrong = shutil.copytree(template, tmp_path / "wrong")
    make_submission(wrong, replace={mutant.file: mutant.edits})
    passed = run_workflow(wrong, hidden)
    assert passed == {e.name.replace("_", "-"): e.name != "losses" for e in EXERCISES}  # stand-ins: no double penalty


def test_hidden_step_refuses_to_pass_without_the_hidden_suites(hidden_mode, tmp_path):
    """If the checkout of hidden tests did not happen, the step must fail, not grade public-only."""
    solved = with_reference(hidden_mode[0], tmp_path / "solved")
    process = run_in(solved, "-m", "autograder", "check", "--hidden", "--exercise", "losses", "--require-full")
    assert process.returncode == 3
    assert "hidden/test_losses.py" in process.stdout and "채점기 문제" in process.stdout


# --- bad input ------------------------------------------------------------------


def test_refuses_a_non_empty_outdir_unless_forced(tmp_path):
    out = tmp_path / "out"
    (out / ".git").mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    process = run_release(str(out))
    assert process.returncode == 2 and "not empty" in process.stdout + process.stderr and "--force" in process.stdout + process.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    process = run_release(str(out), "--force")
    assert process.returncode == 0, process.stdout + process.stderr
    assert not (out / "notes.txt").exists() and (out / ".git").is_dir() and (out / "README.md").is_file()


@pytest.mark.parametrize("args, message", [
    ([str(ROOT)], "this repository"),
    ([str(ROOT / "solutions")], "this repository"),
    (["/", "--force"], "folder of its own"),
    (["{tmp}/o", "--hidden-repo", "not a repo"], "OWNER/NAME"),
    (["{tmp}/o", "--hidden-out", "{tmp}/h"], "--hidden-repo"),
    (["{tmp}/o", "--docs-url", "lecture.example.org"], "http"),
])
def test_bad_arguments_get_a_clear_message(tmp_path, args, message):
    process = run_release(*[a.format(tmp=tmp_path) for a in args])
    assert process.returncode == 2
    assert message in process.stdout + process.stderr
    assert not (tmp_path / "o").exists()
