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
import time
from pathlib import Path

import pytest

from ..catalog import EXERCISES
from ..sandbox.client import Limits, Submission, Zygote
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
    """The reference solutions if present, else the values recorded from them."""
    try:
        modules = {e.name: importlib.import_module(f"solutions.{e.name}") for e in EXERCISES}
    except ImportError:
        if not RECORDED_REFERENCE.is_file():
            raise RuntimeError("neither solutions/ nor recorded reference values are available") from None
        return RecordedBackend(RECORDED_REFERENCE)
    return LocalBackend(modules, cache=True)


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
        self.reference = reference if reference is not None else load_reference()
        self.standins = {e.name: e.standins for e in EXERCISES}
        self._zygote: Zygote | None = None

    def _zygote_alive(self) -> Zygote:
        if self._zygote is None or not self._zygote.alive():
            if self._zygote is not None:
                self._zygote.close()
            self._zygote = Zygote()
        return self._zygote

    def grade(self, path, label: str | None = None) -> dict:
        """Grade the submission folder ``path`` (raises SubmissionError if it is not one)."""
        start = time.monotonic()
        with Submission(path, self._zygote_alive, self.limits, self.standins, self.protected) as submission:
            plugin = run_suites(RemoteBackend(submission), self.reference, self.files, self.limits)
            notes = submission.notes
        return summarize(label or str(path), plugin.results, self.files, time.monotonic() - start,
                         notes, plugin.internal_errors)

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
