"""Grade one submission: run the suites against its sandboxed exercises.

:class:`Grader` keeps one zygote for all the submissions it grades, so that
grading a class pays for Python and numpy once, and the suites are collected
once per process (:mod:`autograder.catalog`). A submission's result is a
:class:`~autograder.grade.result.SubmissionResult`.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from ..catalog import EXERCISES, PROVIDED, suite_tests
from ..protocol import GraderFault, Limits
from ..sandbox import backend, levels
from ..sandbox.submission import PROJECT, Submission
from .answers import LocalAnswers, RecordedAnswers, SandboxAnswers
from .result import SubmissionResult
from .runner import run

SUITES = Path(__file__).resolve().parent.parent / "suites"
RECORDED_REFERENCE = SUITES / "public" / "expected.json"
PUBLIC, HIDDEN = "public", "hidden"


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
        return LocalAnswers(modules, cache=True)
    if RECORDED_REFERENCE.is_file():
        return RecordedAnswers(RECORDED_REFERENCE)
    raise GraderFault("참조 구현(solutions/)도, 참조 구현에서 기록한 기댓값(autograder/suites/public/expected.json)도 "
                      f"찾을 수 없습니다 ({PROJECT}). 강사용 저장소나 학생용 템플릿의 맨 위 폴더에서 실행하세요.")


PLACEHOLDER = '''"""채점용 대체 모듈이 없습니다: 학생용 템플릿에서는 이 함수를 쓰는 테스트를 채점하지 않습니다.

공개 테스트의 함수(정확한 기울기를 아는 테스트 함수)의 기울기만은 알려 줍니다: 교재처럼 grad를 주어도
numerical_gradient(f, x)를 부르는 경사 하강법이 강사의 채점에서와 같은 결과를 받습니다.
"""


def numerical_gradient(f, x, h=1e-4):
    if hasattr(f, "analytic_grad"):
        f(x)
        return f.analytic_grad(x)
    raise RuntimeError("이 함수는 강사의 채점에서만 대체 함수로 실행됩니다.")


def __getattr__(name):
    def unavailable(*args, **kwargs):
        raise RuntimeError("이 함수는 강사의 채점에서만 대체 함수로 실행됩니다.")

    return unavailable
'''


def standin_source(name: str) -> str:
    """The stand-in for sibling module ``name`` (suites/standins/), or a placeholder where it is not shipped."""
    path = SUITES / "standins" / f"{name}.py"
    return path.read_text(encoding="utf-8") if path.is_file() else PLACEHOLDER


def provided_sources() -> dict[str, str]:
    """The grader's own copy of every provided module (solutions/, else the recorded copy in suites/provided/)."""
    sources = {}
    for name in PROVIDED:
        for path in (PROJECT / "solutions" / f"{name}.py", SUITES / "provided" / f"{name}.py"):
            if path.is_file():
                sources[name] = path.read_text(encoding="utf-8")
                break
    return sources


def preflight(visibility=(PUBLIC, HIDDEN), exercises=None):
    """Everything grading needs, checked before any submission is graded (GraderFault if not)."""
    missing = [f"autograder/suites/{kind}/test_{e.name}.py" for e in EXERCISES for kind in visibility
               if (not exercises or e.name in exercises) and not (SUITES / kind / f"test_{e.name}.py").is_file()]
    if missing:
        raise GraderFault("채점에 필요한 테스트 파일이 없습니다: " + ", ".join(missing))
    return load_reference()


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
        """``path`` loaded into this grader's sandbox (close it, or use it in ``with``, to end its children)."""
        return Submission(path, self._zygote_alive, self.limits, self.standins, self.protected, self.provided)

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
