"""Grade one submission: run the suites against its sandboxed exercises.

:class:`Grader` keeps one zygote for all the submissions it grades, so that
grading a class pays for Python and numpy once, and the suites are collected
once per process (:mod:`autograder.catalog`). A submission's result is a
:class:`~autograder.grade.result.SubmissionResult`.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..catalog import EXERCISES, suite_tests
from ..protocol import GraderFault, Limits
from ..sandbox import backend, levels
from ..sandbox.submission import Submission
from ..sandbox.workspace import find_exercise_files, read_source
from .answers import SandboxAnswers
from .hidden import Hidden
from .reference import (HIDDEN, PUBLIC, RECORDED_REFERENCE, SUITES, load_reference,  # noqa: F401 - known here too
                        preflight, provided_sources, standin_source)
from .result import SubmissionResult
from .runner import run


def own_sources(path) -> list[str]:
    """The text of a submission's own files (what is in them is not hidden from their author)."""
    texts = []
    for file in find_exercise_files(Path(path)).values():
        data, _ = read_source(file)
        texts.append(data.decode("utf-8", "replace") if data is not None else "")
    return texts


class Grader:
    """Grades submissions one at a time, reusing one zygote process."""

    def __init__(self, limits: Limits = Limits(), visibility=(PUBLIC, HIDDEN), exercises=None,
                 protected=(), reference=None, sandbox: backend.SandboxBackend | None = None):
        """``sandbox``: a backend started by the caller (it boots while the suites load); closed with the
        grader, or here if the grader cannot be made."""
        self._zygote = sandbox
        try:
            self.limits = limits
            self.reference = reference if reference is not None else preflight(visibility, exercises)
            self.tests = suite_tests(visibility, exercises)
            self.protected = list(protected)
            self.standins = {e.name: {name: standin_source(name) for name in e.standins} for e in EXERCISES}
            self.provided = provided_sources()
            self.hidden = Hidden.of_this_checkout()  # kept out of every text a child sends back
        except BaseException:
            self.close()
            raise

    def _zygote_alive(self) -> backend.SandboxBackend:
        if self._zygote is None or not self._zygote.alive():
            if self._zygote is not None:
                self._zygote.close()
            self._zygote = self._new_zygote()
        return self._zygote

    def _new_zygote(self) -> backend.SandboxBackend:
        """The backend ``limits.sandbox`` names (see sandbox/backend.py): by default the first this machine has."""
        return backend.start(self.limits.sandbox)

    @property
    def isolation(self) -> str:
        """The confinement level children get here (``landlock-abi7+userns+...``, see sandbox/levels.py)."""
        return self._zygote_alive().level

    @property
    def shortfalls(self) -> list[str]:
        """What grading a class needs and this machine lacks (empty: class level)."""
        return levels.shortfalls(self._zygote_alive().caps)

    def submission(self, path) -> Submission:
        """``path`` loaded into this grader's sandbox (close it, or use it in ``with``, to end its children);
        whatever its children send is cleared of the hidden material its own files do not contain."""
        redact = self.hidden.without(own_sources(path)).redact
        return Submission(path, self._zygote_alive, self.limits, self.standins, self.protected, self.provided,
                          redact)

    def grade(self, path, label: str | None = None) -> SubmissionResult:
        """Grade the submission folder ``path`` (raises SubmissionError if it is not one,
        GraderFault if the sandbox failed under it: that result would mean nothing)."""
        start = time.monotonic()
        with self.submission(path) as submission:
            submission.start(dict.fromkeys(t.exercise for t in self.tests))
            outcome = run(self.tests, SandboxAnswers(submission), self.reference, self.limits)
            if outcome.faults:
                self.close()
                raise GraderFault(outcome.faults[0])
            level = submission.zygote.level
            notes = tuple(submission.notes)
        return SubmissionResult.graded(label or str(path), outcome.exercises(), time.monotonic() - start, notes,
                                       outcome.internal_errors, level)

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
