"""Write the GitHub Classroom student template from this (private) repository.

``python -m autograder.assign.release OUTDIR`` (``nox -s release -- OUTDIR``)
writes a complete repository for students, one step per function below, in
the order they run (like nbgrader's preprocessors)::

    prepare_outdir       refuse a non-empty OUTDIR unless --force
    write_stubs          exercises/ generated from solutions/ (never copied)
    copy_grader          autograder/ without the hidden suites and this tooling
    record_reference     autograder/suites/public/expected.json: what the
                         reference returns on the public checks, so the template
                         grades without solutions/
    write_project_files  pyproject.toml, noxfile.py (``nox -s check``), .gitignore
    write_readme         Korean README for students
    write_workflow       .github/workflows/classroom.yml (GitHub Classroom shape)
    write_hidden_repo    only with --hidden-repo: the private repo's content
    scan_for_leaks       no solution line and no hidden test name went out

With ``--hidden-repo OWNER/NAME`` the workflow also checks out that private
repository (token secret ``HIDDEN_TESTS_TOKEN``) and grades with its hidden
suites, and the content for that repository is written to ``--hidden-out``
(default ``OUTDIR-hidden``). A student can edit the workflow, so the score
Classroom shows is a quick signal; the instructor's ``nox -s grade`` on the
cloned repositories is the grade.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import string
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import EXERCISES, PROVIDED, test_inventory
from .leaks import find_leaks, hidden_test_names, solution_lines
from .stubs import stub_files

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
GRADER = ROOT / "autograder"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_OUTDIR = ROOT / "release"
RECORDING = Path("autograder/suites/public/expected.json")

#: Parts of autograder/ that never go to students: hidden suites, release tooling.
GRADER_EXCLUDE = ("suites/hidden", "suites/standins", "assign")
IGNORED_NAMES = ("__pycache__", "*.pyc", ".pytest_cache")
IGNORED = shutil.ignore_patterns(*IGNORED_NAMES)

WORKFLOW_NAME = "Autograding Tests"  # Classroom matches these two names exactly
JOB_ID = "run-autograding-tests"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
HIDDEN_TOKEN_SECRET = "HIDDEN_TESTS_TOKEN"
HIDDEN_CHECKOUT = ".hidden-tests"
PYTHON_VERSION = "3.11"
STEP_TIMEOUT_MINUTES = 5


class ReleaseError(RuntimeError):
    """The release cannot be written as asked; the message says why."""


@dataclass
class Release:
    """What to write and the facts every step needs."""

    outdir: Path
    docs_url: str | None = None
    hidden_repo: str | None = None
    hidden_out: Path | None = None
    force: bool = False
    inventory: list[dict] = field(default_factory=test_inventory)

    def points(self, exercise: str, visibility=("public",)) -> int:
        return sum(t["points"] for t in self.inventory
                   if t["exercise"] == exercise and t["visibility"] in visibility)

    @property
    def graded_visibility(self) -> tuple[str, ...]:
        return ("public", "hidden") if self.hidden_repo else ("public",)


# --- the steps ------------------------------------------------------------------


def prepare_outdir(path: Path, force: bool) -> None:
    """Create ``path``; a non-empty one is emptied only with ``force`` (``.git`` is kept,
    so an existing clone of the template repository can be updated in place)."""
    path = path.resolve()
    if path == Path(path.anchor) or path == Path.home().resolve():
        raise ReleaseError(f"refusing to write into {path}: choose a folder of its own for the template")
    if path == ROOT or ROOT.is_relative_to(path) or path.is_relative_to(SOLUTIONS) or path.is_relative_to(GRADER):
        raise ReleaseError(f"refusing to write into {path}: it is (part of) this repository's sources")
    if path.exists() and not path.is_dir():
        raise ReleaseError(f"{path} exists and is not a folder")
    if path.exists() and any(path.iterdir()):
        if not force:
            raise ReleaseError(f"{path} exists and is not empty; choose another folder or pass --force "
                               "to replace its contents (a .git folder in it is kept)")
        for child in path.iterdir():
            if child.name == ".git":
                continue
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    path.mkdir(parents=True, exist_ok=True)


def write_stubs(outdir: Path) -> None:
    """exercises/: the stubs, generated from solutions/ right now."""
    exercises = outdir / "exercises"
    exercises.mkdir()
    for name, text in stub_files(SOLUTIONS).items():
        (exercises / name).write_text(text, encoding="utf-8")


def copy_grader(outdir: Path) -> None:
    """autograder/ minus :data:`GRADER_EXCLUDE`: what the public checks need."""
    def ignore(folder, names):
        relative = Path(folder).resolve().relative_to(GRADER)
        skipped = {n for n in names if (relative / n).as_posix() in GRADER_EXCLUDE}
        return skipped | set(IGNORED(folder, names))

    shutil.copytree(GRADER, outdir / "autograder", ignore=ignore)
    (outdir / RECORDING).unlink(missing_ok=True)  # a stale local recording is never shipped
    provided = outdir / "autograder" / "suites" / "provided"  # the grader's own copy of the given modules
    provided.mkdir(parents=True, exist_ok=True)
    for name in PROVIDED:
        shutil.copyfile(SOLUTIONS / f"{name}.py", provided / f"{name}.py")


def copy_data(outdir: Path) -> None:
    """data/: the digits the two-layer network learns from, with their licence and attribution."""
    shutil.copytree(ROOT / "data", outdir / "data", ignore=shutil.ignore_patterns("make_*.py", *IGNORED_NAMES))


class _Perturbed:
    """The reference with every returned number shifted by one: a student who is
    wrong everywhere, so the suites walk their diagnosis paths."""

    def __init__(self, inner):
        self.inner = inner

    def run(self, exercise, func, args, kwargs):
        from dataclasses import replace

        result = self.inner.run(exercise, func, args, kwargs)
        return replace(result, value=_shift(result.value),
                       instances_after={k: _shift(v) for k, v in result.instances_after.items()})


def _shift(value):
    import numpy as np

    if isinstance(value, (tuple, list)):
        return type(value)(_shift(v) for v in value)
    if isinstance(value, dict):
        return {k: _shift(v) for k, v in value.items()}
    if isinstance(value, (float, int, np.ndarray, np.number)) and not isinstance(value, bool):
        return np.asarray(value, dtype=float) + 1.0 if isinstance(value, np.ndarray) else float(value) + 1.0
    return value


def record_reference(target: Path, visibility=("public",)) -> None:
    """Record every reference call the suites make, for graders without solutions/.

    The template ships no solutions/, so its grader replays these values
    (:class:`~autograder.grade.backends.RecordedBackend`). The suites run
    twice against the reference: with the reference as the student (every
    test must pass) and with a student who is wrong everywhere, so that the
    reference calls a suite makes only to explain a failure are recorded too.
    """
    from ..grade.backends import LocalBackend, RecordingBackend
    from ..catalog import suite_tests
    from ..grade.engine import load_reference
    from ..grade.runner import run

    solutions = LocalBackend({e.name: importlib.import_module(f"solutions.{e.name}") for e in EXERCISES},
                             student_code=True)
    recorder = RecordingBackend(load_reference())
    tests = suite_tests(visibility)
    outcome = run(tests, solutions, recorder)
    failed = [f"{r.exercise}/{r.name}: {r.message}" for r in outcome.results if not r.passed]
    if failed or outcome.internal_errors or not outcome.results:
        raise ReleaseError("the reference solutions do not pass their own suites:\n  "
                           + "\n  ".join(failed + outcome.internal_errors or ["(no test ran)"]))
    wrong = run(tests, _Perturbed(solutions), recorder)
    if wrong.internal_errors:
        raise ReleaseError("the suites crashed on a wrong submission:\n  " + "\n  ".join(wrong.internal_errors))
    target.parent.mkdir(parents=True, exist_ok=True)
    recorder.save(target)


def _render(template: str, **values) -> str:
    return string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)


def runtime_dependencies() -> list[str]:
    """The grader's runtime dependencies, from this repository's pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def write_project_files(outdir: Path) -> None:
    """pyproject.toml, noxfile.py and .gitignore of the template."""
    dependencies = "".join(f'    "{d}",\n' for d in runtime_dependencies())
    (outdir / "pyproject.toml").write_text(_render("pyproject.toml.tmpl", dependencies=dependencies),
                                           encoding="utf-8")
    shutil.copy(TEMPLATES / "noxfile.py.tmpl", outdir / "noxfile.py")
    shutil.copy(TEMPLATES / "gitignore.tmpl", outdir / ".gitignore")


def docs_link(docs_url: str | None, page: str = "") -> str | None:
    return f"{docs_url.rstrip('/')}/{page}" if docs_url else None


def write_readme(release: Release) -> None:
    """The students' README (Korean): set-up, self-check, submit, the docs site."""
    rows = []
    for exercise in EXERCISES:
        functions = ", ".join(f"`{f}`" for f in exercise.functions)
        title = exercise.title
        link = docs_link(release.docs_url, exercise.docs_page)
        if link:
            title = f"[{title}]({link})"
        rows.append(f"| `{exercise.name}` | {title} | `exercises/{exercise.name}.py` | {functions} | "
                    f"{release.points(exercise.name)}점 | {release.points(exercise.name, ('hidden',))}점 |")
    total_public = sum(release.points(e.name) for e in EXERCISES)
    total = sum(release.points(e.name, ("public", "hidden")) for e in EXERCISES)
    site = docs_link(release.docs_url)
    docs = (f"강의 노트와 예제는 강의 사이트에 있습니다: <{site}>" if site
            else "강의 노트와 예제는 강의 사이트에 있습니다 (주소는 수업 공지를 보세요).")
    if release.hidden_repo:
        classroom = ("푸시할 때마다 GitHub Actions가 공개 테스트와 숨은 테스트로 과제별 점수를 매깁니다 "
                     "(과제 하나의 테스트를 모두 통과해야 그 과제의 점수를 받습니다).")
    else:
        classroom = ("푸시할 때마다 GitHub Actions가 공개 테스트로 과제별 점수를 매깁니다 "
                     "(과제 하나의 공개 테스트를 모두 통과해야 그 과제의 점수를 받습니다). "
                     "숨은 테스트는 마감 뒤 강사가 채점합니다.")
    text = _render("README.md.tmpl", exercise_rows="\n".join(rows), docs=docs, classroom=classroom,
                   public_points=total_public, total_points=total, python_version=PYTHON_VERSION)
    (release.outdir / "README.md").write_text(text, encoding="utf-8")


def _step_id(exercise: str) -> str:
    """Step ids as Classroom generates them: lower case, hyphens."""
    return exercise.replace("_", "-")


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML flow scalar


def workflow_text(release: Release) -> str:
    """.github/workflows/classroom.yml in the shape GitHub Classroom generates."""
    install = "python -m pip install --quiet " + " ".join(f"'{d}'" for d in runtime_dependencies())
    lines = [
        f"name: {WORKFLOW_NAME}",
        "'on':",
        "- push",
        "- workflow_dispatch",
        "- repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        f"  {JOB_ID}:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        "    - name: Checkout code",
        "      uses: actions/checkout@v4",
        "    - name: Set up Python",
        "      uses: actions/setup-python@v5",
        "      with:",
        f"        python-version: '{PYTHON_VERSION}'",
        "    - name: Install dependencies",
        f"      run: {_yaml_string(install)}",
    ]
    if release.hidden_repo:
        lines += [
            "    - name: Checkout hidden tests",
            "      uses: actions/checkout@v4",
            "      with:",
            f"        repository: {release.hidden_repo}",
            f"        token: ${{{{ secrets.{HIDDEN_TOKEN_SECRET} }}}}",
            f"        path: {HIDDEN_CHECKOUT}",
            "    - name: Install hidden tests",
            f"      run: cp -R {HIDDEN_CHECKOUT}/autograder/. autograder/ && rm -rf {HIDDEN_CHECKOUT}",
        ]
    ids = []
    for exercise in EXERCISES:
        step_id = _step_id(exercise.name)
        ids.append(step_id)
        if release.hidden_repo:
            command = f"python -m autograder check --hidden --exercise {exercise.name} --require-full"
        else:
            command = f"python -m autograder check --exercise {exercise.name} --require-full"
        test_name = f"{exercise.name} ({exercise.title})"
        lines += [
            f"    - name: {_yaml_string(test_name)}",
            f"      id: {step_id}",
            f"      uses: {COMMAND_GRADER}",
            "      with:",
            f"        test-name: {_yaml_string(test_name)}",
            "        setup-command: ''",
            f"        command: {_yaml_string(command)}",
            f"        timeout: {STEP_TIMEOUT_MINUTES}",
            f"        max-score: {release.points(exercise.name, release.graded_visibility)}",
        ]
    lines += [
        "    - name: Autograding Reporter",
        f"      uses: {REPORTER}",
        "      env:",
        *[f'        {i.upper()}_RESULTS: "${{{{steps.{i}.outputs.result}}}}"' for i in ids],
        "      with:",
        f"        runners: {','.join(ids)}",
    ]
    return "\n".join(lines) + "\n"


def write_workflow(release: Release) -> None:
    path = release.outdir / ".github" / "workflows" / "classroom.yml"
    path.parent.mkdir(parents=True)
    path.write_text(workflow_text(release), encoding="utf-8")


def write_hidden_repo(release: Release) -> None:
    """The private repository's content, laid out as an overlay of the template.

    ``autograder/suites/hidden/`` (the suites) and a recording of the
    reference on public *and* hidden suites that replaces the template's
    ``expected.json``. No solution code: a student who edits the workflow can
    read this repository, so it holds values, never the reference itself.
    """
    out = release.hidden_out
    prepare_outdir(out, release.force)
    for folder in ("hidden", "standins"):
        shutil.copytree(GRADER / "suites" / folder, out / "autograder" / "suites" / folder, ignore=IGNORED)
    record_reference(out / RECORDING, ("public", "hidden"))
    text = _render("hidden-README.md.tmpl", hidden_repo=release.hidden_repo, secret=HIDDEN_TOKEN_SECRET)
    (out / "README.md").write_text(text, encoding="utf-8")


def scan_for_leaks(folder: Path, hidden_allowed: bool = False) -> None:
    """Fail loudly if ``folder`` holds a solution line (or, unless allowed, a hidden test name)."""
    names = [] if hidden_allowed else hidden_test_names(test_inventory())
    leaks = find_leaks(folder, solution_lines(SOLUTIONS), names)
    if leaks:
        raise ReleaseError("the release would leak; nothing is safe to publish:\n  "
                           + "\n  ".join(str(leak) for leak in leaks))


# --- putting it together --------------------------------------------------------


def build(release: Release) -> None:
    """Write the template (and with ``hidden_repo`` the hidden repository's content)."""
    outdir = release.outdir
    prepare_outdir(outdir, release.force)
    write_stubs(outdir)
    copy_grader(outdir)
    copy_data(outdir)
    record_reference(outdir / RECORDING)
    write_project_files(outdir)
    write_readme(release)
    write_workflow(release)
    if release.hidden_repo:
        write_hidden_repo(release)
        scan_for_leaks(release.hidden_out, hidden_allowed=True)
    scan_for_leaks(outdir)


def site_url_from_mkdocs() -> str | None:
    """``site_url`` of mkdocs.yml, if the docs site declares one."""
    config = ROOT / "mkdocs.yml"
    if not config.is_file():
        return None
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else None
