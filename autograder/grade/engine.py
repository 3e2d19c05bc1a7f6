"""Grade one submission: run the suites against its sandboxed exercises.

:class:`Grader` keeps one zygote for all the submissions it grades, so that
grading a class pays for Python and numpy once. The result of a submission
is a plain dict (the JSON schema of ``--json``)::

    {"submission", "score", "max_score", "status", "elapsed", "notes",
     "exercises": [{"name", "title", "score", "max_score",
                    "tests": [{"name", "title", "visibility", "score",
                               "max_score", "status", "message"}]}]}
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
from pathlib import Path

import pytest

from ..catalog import EXERCISES
from ..protocol import GraderFault, Limits
from ..sandbox.client import PROJECT, Submission, Zygote
from .backends import LocalBackend, Namespace, RecordedBackend, RemoteBackend
from .plugin import INTERNAL, GradingPlugin

SUITES = Path(__file__).resolve().parent.parent / "suites"
RECORDED_REFERENCE = SUITES / "public" / "expected.json"
PUBLIC, HIDDEN = "public", "hidden"
# Built-in pytest plugins grading does not need; unraisableexception alone costs
# a forced gc.collect() per run.
UNUSED_PLUGINS = ("cacheprovider", "terminal", "stepwise", "unraisableexception", "threadexception",
                  "faulthandler", "logging", "junitxml", "doctest", "pastebin", "tmpdir", "debugging",
                  "setuponly", "setupplan", "legacypath", "warnings", "monkeypatch", "recwarn", "nose")


def suite_files(visibility=(PUBLIC, HIDDEN), exercises=None) -> list[Path]:
    """Suite files in report order: by exercise, public before hidden."""
    files = []
    for exercise in EXERCISES:
        if exercises and exercise.name not in exercises:
            continue
        for kind in visibility:
            path = SUITES / kind / f"test_{exercise.name}.py"
            if path.is_file():
                files.append(path)
    return files


def load_reference():
    """The reference solutions of this checkout if present, else the values recorded from them.

    Raises :class:`GraderFault` (a Korean message) when neither exists: grading
    without a reference would score everyone 0.
    """
    if (PROJECT / "solutions" / "__init__.py").is_file():
        if str(PROJECT) not in sys.path:
            sys.path.insert(0, str(PROJECT))  # the checkout's solutions/, wherever the command runs from
        try:
            modules = {e.name: importlib.import_module(f"solutions.{e.name}") for e in EXERCISES}
        except Exception as exc:  # noqa: BLE001 - any failure here is the grader's
            raise GraderFault(f"참조 구현(solutions/)을 불러올 수 없습니다: {type(exc).__name__}: {exc}") from None
        foreign = [m.__name__ for m in modules.values() if PROJECT not in Path(m.__file__).resolve().parents]
        if foreign:
            raise GraderFault(f"이 저장소가 아닌 곳의 solutions 모듈을 불러왔습니다: {', '.join(foreign)}")
        return LocalBackend(modules, cache=True)
    if RECORDED_REFERENCE.is_file():
        return RecordedBackend(RECORDED_REFERENCE)
    raise GraderFault("참조 구현(solutions/)도, 참조 구현에서 기록한 기댓값(autograder/suites/public/expected.json)도 "
                      f"찾을 수 없습니다 ({PROJECT}). 강사용 저장소나 학생용 템플릿의 맨 위 폴더에서 실행하세요.")


def preflight(visibility=(PUBLIC, HIDDEN), exercises=None):
    """Everything grading needs, checked before any submission is graded (GraderFault if not)."""
    missing = [f"autograder/suites/{kind}/test_{e.name}.py" for e in EXERCISES for kind in visibility
               if (not exercises or e.name in exercises) and not (SUITES / kind / f"test_{e.name}.py").is_file()]
    if missing:
        raise GraderFault("채점에 필요한 테스트 파일이 없습니다: " + ", ".join(missing))
    return load_reference()


@contextlib.contextmanager
def _quiet_pytest():
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no third-party plugin touches grading
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


def run_suites(student, reference, files, limits=None) -> GradingPlugin:
    """Run ``files`` with pytest in this process; the plugin holds the results."""
    plugin = GradingPlugin(Namespace(student), Namespace(reference), limits)
    args = [str(f) for f in files] + [
        "-c", str(SUITES / "pytest.ini"), "--rootdir", str(SUITES), "--confcutdir", str(SUITES),
        "--capture=no", "-W", "ignore",
    ]
    for name in UNUSED_PLUGINS:
        args += ["-p", f"no:{name}"]
    with _quiet_pytest():
        pytest.main(args, plugins=[plugin])
    return plugin


def summarize(submission: str, records: list[dict], files, elapsed: float,
              notes=(), internal_errors=()) -> dict:
    exercises = []
    names = [f.stem.removeprefix("test_") for f in files]
    for exercise in EXERCISES:
        if exercise.name not in names:
            continue
        tests = [{k: v for k, v in r.items() if k != "exercise"} for r in records if r["exercise"] == exercise.name]
        exercises.append({
            "name": exercise.name,
            "title": exercise.title,
            "score": sum(t["score"] for t in tests),
            "max_score": sum(t["max_score"] for t in tests),
            "tests": tests,
        })
    statuses = [t["status"] for e in exercises for t in e["tests"]]
    return {
        "submission": submission,
        "score": sum(e["score"] for e in exercises),
        "max_score": sum(e["max_score"] for e in exercises),
        "status": "internal_error" if internal_errors or INTERNAL in statuses or not statuses else "graded",
        "elapsed": round(elapsed, 3),
        "notes": list(notes),
        "internal_errors": list(internal_errors),
        "exercises": exercises,
    }


class Grader:
    """Grades submissions one at a time, reusing one zygote process."""

    def __init__(self, limits: Limits = Limits(), visibility=(PUBLIC, HIDDEN), exercises=None,
                 protected=(), reference=None):
        self.limits = limits
        self.files = suite_files(visibility, exercises)
        self.protected = list(protected)
        self.reference = reference if reference is not None else preflight(visibility, exercises)
        self.standins = {e.name: e.standins for e in EXERCISES}
        self._zygote: Zygote | None = None

    def _zygote_alive(self) -> Zygote:
        if self._zygote is None or not self._zygote.alive():
            if self._zygote is not None:
                self._zygote.close()
            self._zygote = Zygote(disabled=self.limits.disabled)
        return self._zygote

    @property
    def isolation(self) -> str:
        """The confinement level children get here (``landlock-abi7+userns+pidns+netns+rlimits``)."""
        user = self.limits.sandbox_user if self.limits.sandbox_user and os.geteuid() == 0 else None
        return self._zygote_alive().level + (f"+user:{user}" if user else "")

    def grade(self, path, label: str | None = None) -> dict:
        """Grade the submission folder ``path`` (raises SubmissionError if it is not one,
        GraderFault if the sandbox cannot start)."""
        start = time.monotonic()
        with Submission(path, self._zygote_alive, self.limits, self.standins, self.protected) as submission:
            plugin = run_suites(RemoteBackend(submission), self.reference, self.files, self.limits)
            if plugin.faults:  # the sandbox failed under the student: this result means nothing
                self.close()
                raise GraderFault(plugin.faults[0])
            notes = submission.notes
            level = submission.zygote.level + (f"+user:{self.limits.sandbox_user}" if submission.user else "")
        result = summarize(label or str(path), plugin.results, self.files, time.monotonic() - start,
                           notes, plugin.internal_errors)
        result["isolation"] = level
        return result

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
