"""The GitHub Classroom student template (``nox -s release -- OUTDIR``).

Nothing secret leaves: no solution line, no hidden test name. The template,
taken as it is, grades the stubs at 0 and the reference at full public points
without solutions/, exactly as the real reference would. The workflow
validates against GitHub's schema, has the shape Classroom reads, and, run
step by step the way Actions would run it, scores what it promises.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.assign import leaks, release
from autograder.assign.leaks import find_leaks, hidden_test_names, solution_expressions, solution_lines
from autograder.assign.stubs import stub_files
from autograder.catalog import EXERCISES, test_inventory
from autograder.grade.result import to_json
from conftest import check_jsonschema, make_submission
from mutation.known import KNOWN as MUTANTS

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
INVENTORY = test_inventory()
HIDDEN_REPO = "prof-kim/lecture04-hidden"
DOCS_URL = "https://lecture.example.org/dl04"
WORKFLOW = Path(".github/workflows/grade.yml")


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


@pytest.mark.parametrize("which", ["template", "hidden-mode template", "hidden repository"])
def test_no_solution_code_and_no_hidden_test_name_is_released(template, hidden_mode, which):
    folder = {"template": template, "hidden-mode template": hidden_mode[0], "hidden repository": hidden_mode[1]}[which]
    hidden_names = [] if which == "hidden repository" else hidden_test_names(INVENTORY)
    assert len(hidden_test_names(INVENTORY)) >= 10
    assert len(solution_lines(SOLUTIONS)) >= 20 and len(solution_expressions(SOLUTIONS)) >= 10
    assert released_files(folder)
    _allowed()
    assert not find_leaks(folder, hidden_names=hidden_names)



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
    found = find_leaks(planted, hidden_names=hidden_test_names(INVENTORY))
    assert {(leak.path.name, leak.kind) for leak in found} == {("README.md", "solution line"),
                                                                ("extra.ipynb", "hidden test")}
    with pytest.raises(release.ReleaseError, match="유출"):
        leaks.require_no_leaks(planted)


@pytest.mark.parametrize("written", ["def test_{name}():", "pytest -k test_{name}", "{name}"])
def test_leak_scan_catches_a_hidden_name_with_or_without_its_test_prefix(tmp_path, written):
    """``test_<hidden name>`` (as a pytest function or a ``-k`` filter would spell it) is the same leak as the name."""
    hidden = hidden_test_names(INVENTORY)[0]
    (tmp_path / "notes.py").write_text(written.format(name=hidden) + "\n", encoding="utf-8")
    (tmp_path / "other.py").write_text(f"def test_{hidden}_more():\n    my_{hidden} = 1\n", encoding="utf-8")
    found = find_leaks(tmp_path, needles=[], hidden_names=[hidden])
    assert [(leak.path.name, leak.kind, leak.needle) for leak in found] == [("notes.py", "hidden test", hidden)]


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("where, text", [
    ("helper.py", "slope = scale * ((f(x+h) - f(x-h))/(2*h)) + offset\n"),
    ("notes.md", "값은 `float(-np.sum( t*np.log(y + DELTA) ) / batch_size)` 로 구합니다.\n"),
    ("page.html", '<code><span class="n">loss</span> <span class="o">=</span> <span class="mi">0.5</span> '
                  '<span class="o">*</span> np.sum((y - t) <span class="o">**</span> 2)</code>\n'),
])
def test_leak_scan_catches_a_solution_expression_inside_a_longer_line(template, tmp_path, where, text):
    """A solution expression inside another statement, re-spaced, or split by syntax-highlighting tags
    is caught although no whole solution line appears."""
    assert not any(_squeezed(line) in _squeezed(text) for line in solution_lines(SOLUTIONS))
    planted = shutil.copytree(template, tmp_path / "leaky")
    (planted / where).write_text(text, encoding="utf-8")
    found = find_leaks(planted)
    assert [(leak.path.name, leak.kind) for leak in found] == [(where, "solution expression")], found


def test_leak_scan_leaves_everyday_numpy_alone(template, tmp_path):
    """Short or simple pieces of the solutions are ordinary code, not leaks."""
    planted = shutil.copytree(template, tmp_path / "plain")
    (planted / "ordinary.py").write_text("out = np.zeros_like(x, dtype=float)\nvalue = f(x + h) - f(x)\n"
                                         "n = y.shape[0]\nfor i in np.ndindex(x.shape):\n    out[i] = t.reshape(1, -1)\n",
                                         encoding="utf-8")
    assert not find_leaks(planted)



def test_readme_tells_students_how_to_work(template):
    readme = (template / "README.md").read_text(encoding="utf-8")
    for phrase in ("nox -s check", "--exercise", "git push", DOCS_URL, "최종 점수", "pipx ensurepath", "닫고 새로 열면"):
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
    assert graded["reference"] == "RecordedAnswers"  # no solutions/ reachable from the template
    result = graded["results"][0]
    assert (result["score"], result["max_score"]) == (0, points())
    tests = [t for e in result["exercises"] for t in e["tests"]]
    assert len(tests) == len([t for t in INVENTORY if t["visibility"] == "public"])
    assert all(t["status"] == "error" and "NotImplementedError" in t["message"] for t in tests), tests
    check = run_in(template, "-m", "autograder", "check")
    assert check.returncode == 0
    # Each failure links into the lecture site at the address the release was given (stubs: theory sections).
    assert (template / "autograder" / "docs_url.txt").read_text(encoding="utf-8").strip() == DOCS_URL
    for exercise in EXERCISES:
        assert f"강의 노트: {DOCS_URL}/{exercise.docs_page}#" in check.stdout, check.stdout
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


@pytest.mark.index
def test_nox_check_works_in_the_template(template, tmp_path):
    """``nox -s check`` as a student runs it: nox makes a virtual environment from the package index."""
    if shutil.which("nox") is None:
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)("nox is not on PATH (pipx install nox)")
    copy = shutil.copytree(template, tmp_path / "student")
    process = subprocess.run(["nox", "-s", "check", "--", "--require-full"], cwd=copy, env=student_env(),
                             capture_output=True, text=True, timeout=600)
    assert process.returncode != 0 and "0/" in process.stdout + process.stdout + process.stderr, process.stdout + process.stdout + process.stderr
    # The lecture site's «예제로 확인하기» runs this Python from the top folder: numpy and exercises/ import.
    python = copy / ".nox" / "check" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    probe = subprocess.run([str(python), "-c", "import numpy, exercises.losses"], cwd=copy, env=student_env(),
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    for source in SOLUTIONS.glob("*.py"):
        shutil.copyfile(source, copy / "exercises" / source.name)
    process = subprocess.run(["nox", "-s", "check", "--", "--require-full"], cwd=copy, env=student_env(),
                             capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout + process.stdout + process.stderr


# --- the workflow ---------------------------------------------------------------


def load_workflow(folder: Path) -> dict:
    return yaml.safe_load((folder / WORKFLOW).read_text(encoding="utf-8"))


def test_workflows_validate_against_the_github_workflow_schema(template, hidden_mode, tmp_path):
    process = check_jsonschema(template / WORKFLOW, hidden_mode[0] / WORKFLOW)
    assert process.returncode == 0, process.stdout + process.stderr
    # the validator does reject a broken workflow (so the check above means something)
    broken = tmp_path / "broken.yml"
    text = (template / WORKFLOW).read_text(encoding="utf-8")
    assert "    runs-on: ubuntu-latest\n" in text and "uses: actions/checkout@v6" in text
    broken.write_text(text.replace("    runs-on: ubuntu-latest\n", "").replace("uses: actions/checkout@v6",
                                                                            "uses: 42\n      run: [1]"), encoding="utf-8")
    assert check_jsonschema(broken).returncode != 0


@pytest.mark.parametrize("mode", ["public", "hidden"])
def test_workflow_uses_only_current_node24_actions(template, hidden_mode, mode):
    folder = template if mode == "public" else hidden_mode[0]
    text = (folder / WORKFLOW).read_text(encoding="utf-8")
    assert "classroom-resources" not in text and "node20" not in text
    uses = {step["uses"] for job in load_workflow(folder)["jobs"].values() for step in job["steps"] if "uses" in step}
    assert uses == {"actions/checkout@v6", "actions/setup-python@v6"}
    assert "'on':" in text  # written as data by yaml.safe_dump
    install = next(s["run"] for s in load_workflow(folder)["jobs"]["grade"]["steps"] if "pip install" in s.get("run", ""))
    assert shlex.split(install)[5:] == release.runtime_dependencies()  # one shell word per requirement, as written


def test_workflow_shape(template, hidden_mode):
    for folder, hidden in ((template, False), (hidden_mode[0], True)):
        workflow = load_workflow(folder)
        assert workflow["on"]["push"] == {"branches": ["**"]}  # not on tag pushes
        grade, record = workflow["jobs"]["grade"], workflow["jobs"]["record-submission"]
        assert grade["permissions"] == {"contents": "read"} and record["permissions"] == {"contents": "write"}
        assert "default_branch" in record["if"]
        checkouts = [s for s in grade["steps"] if "with" in s and "repository" in s["with"]]
        if not hidden:
            assert checkouts == [] and "env" not in grade
            continue
        assert checkouts[0]["with"]["repository"] == HIDDEN_REPO
        assert checkouts[0]["with"]["token"] == "${{ secrets.HIDDEN_TESTS_TOKEN }}"
        assert grade["env"] == {"HIDDEN_TESTS": "${{ secrets.HIDDEN_TESTS_TOKEN != '' }}"}
        hidden_steps = [s for s in grade["steps"] if s["name"].startswith("숨은 테스트")]
        assert len(hidden_steps) == 2 and all(s["if"] == "env.HIDDEN_TESTS == 'true'" for s in hidden_steps)


def _condition_holds(condition: str | None, env: dict) -> bool:
    if condition is None:
        return True
    match = re.fullmatch(r"env\.(\w+) == '(\w+)'", condition)
    assert match, f"the simulated runner does not know this condition: {condition}"
    return env.get(match.group(1)) == match.group(2)


def run_workflow(folder: Path, hidden_repo: Path | None = None, token: bool = True) -> tuple[int, str, str]:
    """Run the grade job's steps in ``folder`` the way the Actions runner would.

    The job's ``HIDDEN_TESTS`` is ``true`` when the token secret reaches the
    repository (``token``); a checkout of another repository copies
    ``hidden_repo``; setup-python and the pip install are skipped (this
    interpreter has the dependencies and comes first on PATH, as
    setup-python's would). Returns the last step's exit status, everything
    the steps printed (the student-visible log) and the job summary.
    """
    bin_path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    summary = folder / ".step-summary.md"
    env = {"PATH": bin_path, "HOME": os.environ.get("HOME", "/tmp"), "GITHUB_STEP_SUMMARY": str(summary)}
    job = load_workflow(folder)["jobs"]["grade"]
    env.update({k: ("true" if token else "false") for k in job.get("env", {})})
    log, status = [], 0
    for step in job["steps"]:
        if not _condition_holds(step.get("if"), env):
            continue
        uses, run = step.get("uses", ""), step.get("run")
        if uses.startswith("actions/checkout@") and "repository" in step.get("with", {}):
            assert hidden_repo is not None, "the workflow checks out a repository the test did not provide"
            shutil.copytree(hidden_repo, folder / step["with"]["path"])
        elif run and "pip install" not in run:
            process = subprocess.run(["bash", "-e", "-c", run], cwd=folder, env=env, capture_output=True, text=True,
                                     timeout=600)
            log.append(process.stdout + process.stderr)
            status = process.returncode
    return status, "\n".join(log), summary.read_text(encoding="utf-8") if summary.exists() else ""


def summary_scores(summary: str) -> dict[str, tuple[int, int]]:
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (\d+) / (\d+) \|$", summary, re.MULTILINE)}


def test_public_workflow_scores_stubs_zero_and_reference_full(template, tmp_path):
    status, log, summary = run_workflow(shutil.copytree(template, tmp_path / "stubs"))
    assert status == 1 and "아직 구현하지 않았습니다" in log
    assert summary_scores(summary) == {e.name: (0, points(e.name)) for e in EXERCISES}
    status, log, summary = run_workflow(with_reference(template, tmp_path / "solved"))
    assert status == 0, log
    assert summary_scores(summary) == {e.name: (points(e.name), points(e.name)) for e in EXERCISES}


def test_hidden_workflow_grades_with_the_hidden_suites(hidden_mode, tmp_path):
    template, hidden = hidden_mode
    solved = with_reference(template, tmp_path / "solved")
    status, log, summary = run_workflow(solved, hidden)
    full = ("public", "hidden")
    assert status == 0 and summary_scores(summary) == {e.name: (points(e.name, full),) * 2 for e in EXERCISES}, log
    assert not (solved / ".hidden-tests").exists()
    # a mistake only the hidden suites see costs points in its exercise, and only there
    mutant = next(m for m in MUTANTS if m.name == "sse summed over the batch")
    assert not any(t in mutant.fails for t in ("sse_textbook", "cee_textbook"))
    wrong = make_submission(shutil.copytree(template, tmp_path / "wrong"), replace={mutant.file: mutant.edits})
    status, log, summary = run_workflow(wrong, hidden)
    scores = summary_scores(summary)
    assert status == 1 and scores["losses"][0] < points("losses", full)
    assert scores["gradient"] == (points("gradient", full),) * 2
    assert scores["gradient_descent"] == (points("gradient_descent", full),) * 2


HIDDEN_MUTANTS = ["sse summed over the batch", "forward difference", "x not restored", "mutates init_x",
                  "works only for 1-D x"]


def test_hidden_workflow_log_names_no_hidden_test_and_shows_no_hidden_value(hidden_mode, grader, tmp_path):
    """What every student sees on every push: per-exercise totals, public diagnoses, hidden tests as counts."""
    template, hidden = hidden_mode
    for i, name in enumerate(HIDDEN_MUTANTS):
        mutant = next(m for m in MUTANTS if m.name == name)
        edits = {mutant.file: mutant.edits}
        truth = grader.grade(make_submission(tmp_path / f"truth-{i}", replace=edits))
        failed_hidden = [t for t in truth.tests() if t.hidden and not t.passed]
        assert failed_hidden, name
        status, log, summary = run_workflow(make_submission(shutil.copytree(template, tmp_path / f"w-{i}"),
                                                            replace=edits), hidden)
        shown = log + summary
        public_messages = " ".join(t.message for t in truth.tests() if not t.hidden)
        secrets = [t.name for t in truth.tests() if t.hidden] + [t.title for t in truth.tests() if t.hidden]
        secrets += [t.message for t in failed_hidden]
        secrets += [v for t in failed_hidden for v in re.findall(r"기댓값 [^,)]+", t.message) if v not in public_messages]
        assert not [s for s in secrets if s and s in shown], name
        assert "숨은 테스트" in summary and re.search(r"숨은 테스트 \d+/\d+개 통과 \(\d+점\)", log), log
        for test in truth.tests():  # the public diagnoses are all there
            if not test.hidden and not test.passed:
                assert test.message in " ".join(shown.split()), (name, test.message)


def test_hidden_workflow_without_the_token_grades_public_tests(hidden_mode, tmp_path):
    """A copy made with "Use this template" under a student's account gets no organisation secret:
    the job says so and grades the public tests, it does not fail."""
    template, hidden = hidden_mode
    status, log, summary = run_workflow(with_reference(template, tmp_path / "solved"), hidden, token=False)
    assert status == 0, log
    assert "공개 테스트만 채점합니다" in log
    assert summary_scores(summary) == {e.name: (points(e.name), points(e.name)) for e in EXERCISES}


def test_hidden_step_refuses_to_pass_without_the_hidden_suites(hidden_mode, tmp_path):
    """If the token is there but the hidden tests were not installed, grading fails instead of passing on
    the public tests."""
    solved = with_reference(hidden_mode[0], tmp_path / "solved")
    process = run_in(solved, "-m", "autograder", "check", "--hidden", "--exercise", "losses", "--require-full")
    assert process.returncode == 3
    assert "hidden/test_losses.py" in process.stdout and "채점기 문제" in process.stdout


def test_record_job_tags_each_push_as_a_submission(template, tmp_path):
    """The record job's script, run in a clone of a bare repository, leaves a submit/ tag in the shape
    ``grade --deadline`` reads, on the pushed commit, with the push time in its name."""
    from autograder.collect.git import parse_tag, submit_tags

    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    work = shutil.copytree(template, tmp_path / "work")
    commit_all(work, origin)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True).stdout.strip()
    script = next(s["run"] for s in load_workflow(template)["jobs"]["record-submission"]["steps"] if "run" in s)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    subprocess.run(["bash", "-e", "-c", script], cwd=work, check=True, capture_output=True,
                   env={**os.environ, "GITHUB_SHA": sha})
    tags, ignored = submit_tags(work)
    assert ignored == [] and len(tags) == 1 and tags[0].commit == sha
    assert before <= parse_tag(tags[0].name) <= dt.datetime.now(dt.timezone.utc)
    remote = subprocess.run(["git", "ls-remote", "--tags", str(origin)], capture_output=True, text=True).stdout
    assert tags[0].name in remote


def commit_all(work: Path, origin: Path) -> None:
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                    ["git", "-c", "user.name=s", "-c", "user.email=s@example.org", "commit", "-qm", "과제"],
                    ["git", "remote", "add", "origin", str(origin)], ["git", "push", "-q", "origin", "main"]):
        subprocess.run(command, cwd=work, check=True, capture_output=True)


# --- bad input ------------------------------------------------------------------


def test_refuses_a_non_empty_outdir_unless_forced(tmp_path):
    out = tmp_path / "out"
    (out / ".git").mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    process = run_release(str(out))
    assert process.returncode == 2 and "비어 있지 않은 폴더" in process.stdout + process.stderr and "--force" in process.stdout + process.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    process = run_release(str(out), "--force")
    assert process.returncode == 0, process.stdout + process.stderr
    assert not (out / "notes.txt").exists() and (out / ".git").is_dir() and (out / "README.md").is_file()


@pytest.mark.parametrize("args, message", [
    ([str(ROOT)], "이 저장소의 원본"),
    ([str(ROOT / "solutions")], "이 저장소의 원본"),
    (["/", "--force"], "결과물만 담을 폴더"),
    (["{tmp}/o", "--hidden-repo", "not a repo"], "OWNER/NAME"),
    (["{tmp}/o", "--hidden-out", "{tmp}/h"], "--hidden-repo"),
    (["{tmp}/o", "--docs-url", "lecture.example.org"], "http"),
    (["{tmp}/o", "--classroom50", "{tmp}/b", "--hidden-repo", "prof/hidden"], "함께 쓸 수 없습니다"),
    (["{tmp}/o", "--classroom50", "{tmp}/o/bundle"], "OUTDIR 바깥"),
    (["{tmp}/o", "--classroom50", "{tmp}/b", "--slug", "Lecture 4"], "--slug"),
])
def test_bad_arguments_get_a_clear_message(tmp_path, args, message):
    process = run_release(*[a.format(tmp=tmp_path) for a in args])
    assert process.returncode == 2
    assert message in process.stdout + process.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.index
def test_the_documented_linux_commands_work_in_a_fresh_virtualenv(template, tmp_path):
    """The student README's "without nox" block, run as written, in a new virtual environment (pip installs
    from the package index)."""
    readme = (template / "README.md").read_text(encoding="utf-8")
    block = readme.split("nox 없이 실행하려면", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands[0] == "python3 -m venv .venv" and commands[-1] == ".venv/bin/python -m autograder check"
    solved = with_reference(template, tmp_path / "student")
    script = "set -e\n" + "\n".join(commands[:-1]) + "\n" + commands[-1] + " --require-full\n"
    env = {**student_env(), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    process = subprocess.run(["bash", "-c", script], cwd=solved, env=env, capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    assert "모두 통과했습니다" in process.stdout
