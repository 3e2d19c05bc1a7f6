"""The student template repository (``python -m autograder release OUTDIR``).

:data:`STEPS`, in the order they run::

    prepare              refuse a non-empty OUTDIR unless --force (.git is kept)
    write_stubs          exercises/ generated from solutions/ (never copied)
    copy_public_grader   autograder/ without the hidden suites and this tooling, with
                         the lecture site's address (messages link into it)
    record_public        autograder/suites/public/expected.json: what the reference
                         returns on the public checks, so the template grades
                         without solutions/
    write_project_files  pyproject.toml, noxfile.py (``nox -s check``), .gitignore
    write_readme         Korean README for students (per channel)
    write_workflow       .github/workflows/grade.yml (plain GitHub Actions)
    write_hidden_repo    only with --hidden-repo: the private repository's content
    scan                 no solution line or expression, no hidden test name went out

Channels: ``"actions"`` (a template repository graded by its own workflow,
public tests, or with ``--hidden-repo`` the hidden ones too) and
``"classroom50"`` (Classroom 50 grades with its own runner and the bundle
of :mod:`.classroom50`, so the template carries no workflow of its own).
Whatever a student's workflow reports is a quick signal: the instructor's
``grade`` on the collected repositories is the grade.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import EXERCISES, test_inventory
from . import leaks, stubs, workflow
from .common import (GRADER, PYTHON_VERSION, RECORDING, SOLUTIONS, TEMPLATES, ReleaseError, copy_data, copy_grader,
                     docs_link, prepare_folder, record_reference, render, runtime_dependencies, run_steps)

CHANNELS = ("actions", "classroom50")


@dataclass
class Release:
    """What to write and the facts every step needs."""

    outdir: Path
    docs_url: str | None = None
    hidden_repo: str | None = None
    hidden_out: Path | None = None
    force: bool = False
    channel: str = "actions"
    inventory: list[dict] = field(default_factory=test_inventory)

    def points(self, exercise: str | None = None, visibility=("public",)) -> int:
        return sum(t["points"] for t in self.inventory
                   if (exercise is None or t["exercise"] == exercise) and t["visibility"] in visibility)


# --- the steps ------------------------------------------------------------------


def prepare(release: Release) -> None:
    release.outdir = prepare_folder(release.outdir, release.force)


def write_stubs(release: Release) -> None:
    """exercises/: the stubs, generated from solutions/ right now."""
    exercises = release.outdir / "exercises"
    exercises.mkdir()
    for name, text in stubs.stub_files(SOLUTIONS).items():
        (exercises / name).write_text(text, encoding="utf-8")


def copy_public_grader(release: Release) -> None:
    copy_grader(release.outdir, docs_url=release.docs_url)
    copy_data(release.outdir)


def record_public(release: Release) -> None:
    record_reference(release.outdir / RECORDING)


def write_project_files(release: Release) -> None:
    """pyproject.toml, noxfile.py and .gitignore of the template."""
    dependencies = "".join(f'    "{d}",\n' for d in runtime_dependencies())
    (release.outdir / "pyproject.toml").write_text(render("pyproject.toml.tmpl", dependencies=dependencies),
                                                   encoding="utf-8")
    shutil.copy(TEMPLATES / "noxfile.py.tmpl", release.outdir / "noxfile.py")
    shutil.copy(TEMPLATES / "gitignore.tmpl", release.outdir / ".gitignore")


def _exercise_row(release: Release, exercise) -> str:
    functions = ", ".join(f"`{f}`" for f in exercise.functions)
    link = docs_link(release.docs_url, exercise.docs_page)
    title = f"[{exercise.title}]({link})" if link else exercise.title
    return (f"| `{exercise.name}` | {title} | `exercises/{exercise.name}.py` | {functions} | "
            f"{release.points(exercise.name)}점 | {release.points(exercise.name, ('hidden',))}점 |")


def _standin_notes() -> str:
    """A line for each exercise graded with earlier exercises' functions replaced (no double penalty)."""
    return "\n".join(
        f"- `exercises/{e.name}.py` 는 {', '.join(f'`exercises/{s}.py`' for s in e.standins)} 의 함수를 씁니다.\n"
        "  채점할 때는 그 함수를 정확한 것으로 바꿔 실행하므로 앞 과제의 실수가 이 과제의 점수를 깎지는 않습니다."
        for e in EXERCISES if e.standins)


def write_readme(release: Release) -> None:
    """The students' README (Korean): set-up, self-check, submit (per channel), the docs site."""
    site = docs_link(release.docs_url)
    docs = (f"강의 노트와 예제는 강의 사이트에 있습니다: <{site}>" if site
            else "강의 노트와 예제는 강의 사이트에 있습니다 (주소는 수업 공지를 보세요).")
    mode = "classroom50" if release.channel == "classroom50" else ("hidden" if release.hidden_repo else "public")
    text = render("README.md.tmpl", exercise_rows="\n".join(_exercise_row(release, e) for e in EXERCISES),
                  docs=docs, submitting=render(f"submit-{mode}.md.tmpl").strip(),
                  public_points=release.points(), total_points=release.points(visibility=("public", "hidden")),
                  python_version=PYTHON_VERSION, standin_notes=_standin_notes(),
                  exercise_names=", ".join(e.name for e in EXERCISES),
                  dependencies=" ".join(f'"{d}"' for d in runtime_dependencies() if ";" not in d))
    (release.outdir / "README.md").write_text(text, encoding="utf-8")


def write_workflow(release: Release) -> None:
    """.github/workflows/grade.yml (the actions channel only; Classroom 50 brings its own)."""
    if release.channel != "actions":
        return
    path = release.outdir / workflow.WORKFLOW
    path.parent.mkdir(parents=True)
    path.write_text(workflow.dump(workflow.grade_workflow(release.hidden_repo)), encoding="utf-8")


def write_hidden_repo(release: Release) -> None:
    """The private repository's content, laid out as an overlay of the template.

    ``autograder/suites/hidden/`` (the suites) and a recording of the
    reference on public *and* hidden suites that replaces the template's
    ``expected.json``. No solution code: a student who edits the workflow can
    read this repository, so it holds values, never the reference itself.
    """
    if not release.hidden_repo:
        return
    out = release.hidden_out = prepare_folder(release.hidden_out, release.force)
    for folder in ("hidden", "standins"):
        shutil.copytree(GRADER / "suites" / folder, out / "autograder" / "suites" / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    record_reference(out / RECORDING, ("public", "hidden"))
    text = render("hidden-README.md.tmpl", hidden_repo=release.hidden_repo, secret=workflow.HIDDEN_TOKEN_SECRET)
    (out / "README.md").write_text(text, encoding="utf-8")


def scan(release: Release) -> None:
    if release.hidden_repo:
        leaks.require_no_leaks(release.hidden_out, hidden_allowed=True)
    leaks.require_no_leaks(release.outdir)


STEPS = (prepare, write_stubs, copy_public_grader, record_public, write_project_files, write_readme,
         write_workflow, write_hidden_repo, scan)


def build(release: Release) -> None:
    """Write the template (and with ``hidden_repo`` the hidden repository's content)."""
    if release.channel not in CHANNELS:
        raise ReleaseError(f"알 수 없는 배포 방식입니다: {release.channel!r}")
    run_steps(STEPS, release)
