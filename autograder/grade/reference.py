"""The reference and what the grader supplies besides the suites: checked and loaded without the suites.

:func:`preflight` is what a command runs before grading anything; it imports
the reference solutions (numpy) but not the suites (pytest), so the workers
that grade load those while their sandbox boots.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from ..catalog import EXERCISES, PROVIDED
from ..protocol import GraderFault
from ..sandbox.submission import PROJECT
from .answers import LocalAnswers, RecordedAnswers

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
