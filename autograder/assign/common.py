"""What every delivery channel shares: the output folder, copying the grader, recording the reference.

Each channel (:mod:`.release` for the student template, :mod:`.classroom50`
for the Classroom 50 autograder bundle, :mod:`.nbgrader_course` for
JupyterHub) is a list of small steps, ``STEPS``, run in order by
:func:`run_steps` over one context object, like nbgrader's preprocessors. The
steps they have in common live here, and every channel ends with the one leak
scan (:mod:`.leaks`).
"""

from __future__ import annotations

import importlib
import shutil
import string
import tomllib
from pathlib import Path

from ..catalog import EXERCISES, PROVIDED

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
GRADER = ROOT / "autograder"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Where a grader without solutions/ finds the values recorded from them.
RECORDING = Path("autograder/suites/public/expected.json")
#: The one rule for what of autograder/ leaves this repository: never the release
#: tooling; the hidden suites only where ``hidden`` is asked for.
ALWAYS_EXCLUDED = ("assign",)
#: Hidden material: the hidden suites and the stand-ins (which hold working versions of earlier exercises).
HIDDEN_SUITES = ("suites/hidden", "suites/standins")
IGNORED_NAMES = ("__pycache__", "*.pyc", ".pytest_cache")
IGNORED = shutil.ignore_patterns(*IGNORED_NAMES)
#: The Python every channel grades with (the template's workflow, the Classroom 50 runtime).
PYTHON_VERSION = "3.11"


class ReleaseError(RuntimeError):
    """What was asked cannot be written; the (Korean) message says why."""


def run_steps(steps, context) -> None:
    """Run each step of a channel's ``STEPS`` on ``context``, in order."""
    for step in steps:
        step(context)


# --- the output folder ----------------------------------------------------------


def refuse_unsafe(path: Path) -> Path:
    """``path`` resolved, unless it is /, the home folder or part of this repository."""
    path = Path(path).resolve()
    if path == Path(path.anchor) or path == Path.home().resolve():
        raise ReleaseError(f"{path}: 이 폴더에는 쓰지 않습니다. 결과물만 담을 폴더를 따로 고르세요")
    if path == ROOT or ROOT.is_relative_to(path) or path.is_relative_to(SOLUTIONS) or path.is_relative_to(GRADER):
        raise ReleaseError(f"{path}: 이 저장소의 원본(의 일부)이라 여기에는 쓰지 않습니다")
    if path.exists() and not path.is_dir():
        raise ReleaseError(f"{path}: 폴더가 아닌 파일이 이미 있습니다")
    return path


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def prepare_folder(path: Path, force: bool, generated: tuple[str, ...] | None = None, ours: bool = False) -> Path:
    """Create ``path`` for a build, or clear what the previous build left there.

    A non-empty folder is cleared only with ``force`` or when it is ``ours`` (a
    build of this tool). ``generated`` names what a build writes; without it
    everything is replaced but ``.git``, so a clone of the published repository
    can be rebuilt in place and committed.
    """
    path = refuse_unsafe(path)
    if path.exists() and any(path.iterdir()) and not (force or ours):
        what = (f"{', '.join(generated)}만 새로 만들고 나머지는 그대로 둡니다" if generated
                else ".git 폴더만 남기고 모든 내용을 새로 만듭니다")
        raise ReleaseError(f"{path}: 비어 있지 않은 폴더입니다. 다른 폴더를 고르거나 --force 를 주세요 (그러면 {what})")
    if path.exists():
        targets = [path / g for g in generated] if generated else [c for c in path.iterdir() if c.name != ".git"]
        for target in targets:
            _remove(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- copying ----------------------------------------------------------------------


def copy_grader(target: Path, hidden: bool = False, docs_url: str | None = None) -> None:
    """autograder/ into ``target/autograder``: never the release tooling, the hidden
    suites and stand-ins only with ``hidden``, never a stale local recording or site
    address; plus the grader's own copy of the provided modules (suites/provided/),
    since solutions/ stays here, and the lecture site's address ``docs_url`` (where
    the shipped grader's messages link)."""
    from ..lecture_site import SHIPPED, store_site

    excluded = ALWAYS_EXCLUDED + (() if hidden else HIDDEN_SUITES)

    def ignore(folder, names):
        relative = Path(folder).resolve().relative_to(GRADER)
        return {n for n in names if (relative / n).as_posix() in excluded} | set(IGNORED(folder, names))

    shutil.copytree(GRADER, Path(target) / "autograder", ignore=ignore)
    (Path(target) / RECORDING).unlink(missing_ok=True)
    (Path(target) / SHIPPED.relative_to(ROOT)).unlink(missing_ok=True)
    store_site(target, docs_url)
    provided = Path(target) / "autograder" / "suites" / "provided"
    provided.mkdir(parents=True, exist_ok=True)
    for name in PROVIDED:
        shutil.copyfile(SOLUTIONS / f"{name}.py", provided / f"{name}.py")


def copy_data(target: Path) -> None:
    """data/: the digits the two-layer network learns from, with their licence and attribution."""
    shutil.copytree(ROOT / "data", Path(target) / "data", ignore=shutil.ignore_patterns("make_*.py", *IGNORED_NAMES))


def render(template: str, **values) -> str:
    """``templates/<template>`` with ``$name`` placeholders filled in."""
    return string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)


def runtime_dependencies() -> list[str]:
    """The grader's runtime dependencies, from this repository's pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def docs_link(docs_url: str | None, page: str = "") -> str | None:
    return f"{docs_url.rstrip('/')}/{page}" if docs_url else None


# --- recording the reference ------------------------------------------------------


class _Perturbed:
    """The reference with every returned number, and every argument it changed in
    place, shifted by one: a student who is wrong everywhere, so the suites walk
    their diagnosis paths (those taken when an update is wrong included)."""

    def __init__(self, inner):
        self.inner = inner

    def run(self, exercise, func, args, kwargs):
        from dataclasses import replace

        result = self.inner.run(exercise, func, args, kwargs)
        return replace(result, value=_shift(result.value), args_after=_shift(result.args_after),
                       kwargs_after=_shift(result.kwargs_after),
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

    A grader shipped without solutions/ replays these values
    (:class:`~autograder.grade.answers.RecordedAnswers`). The suites run twice
    against the reference: with the reference as the student (every test must
    pass) and with a student who is wrong everywhere, so that the reference
    calls a suite makes only to explain a failure are recorded too.
    """
    from ..catalog import suite_tests
    from ..grade.answers import LocalAnswers, RecordingAnswers
    from ..grade.engine import load_reference
    from ..grade.runner import run

    solutions = LocalAnswers({e.name: importlib.import_module(f"solutions.{e.name}") for e in EXERCISES},
                             student_code=True)
    recorder = RecordingAnswers(load_reference())
    tests = suite_tests(visibility)
    outcome = run(tests, solutions, recorder)
    failed = [f"{r.exercise}/{r.name}: {r.message}" for r in outcome.results if not r.passed]
    if failed or outcome.internal_errors or not outcome.results:
        raise ReleaseError("참조 구현이 자기 테스트를 통과하지 못합니다:\n  "
                           + "\n  ".join(failed + outcome.internal_errors or ["(실행된 테스트가 없습니다)"]))
    wrong = run(tests, _Perturbed(solutions), recorder)
    if wrong.internal_errors:
        raise ReleaseError("틀린 제출물에서 테스트가 비정상 종료했습니다:\n  " + "\n  ".join(wrong.internal_errors))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    recorder.save(target)
