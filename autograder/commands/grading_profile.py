"""Where grading one submission spends its CPU time: ``bench --profile``, and the physical limit.

Measured in this process, on copies of the reference solutions, by
difference (no timer inside the grader or the sandbox):

- the physical limit: the student's and the reference's functions called
  directly on the inputs the suites give them, nothing else
  (:func:`physical_ms`);
- the suites run with the student's functions called in this process (the
  reference cached, as when grading): the suites' own work;
- a submission's sandbox opened, its children confined and their modules
  imported, then closed, without any call;
- the submission graded in the sandbox, the grader's and the sandbox
  processes' CPU time apart (the sandbox's counted once its zygote is gone).

What the sandbox adds per call is what remains. CPU time, not wall time: it
does not grow when other programs share the cores.
"""

from __future__ import annotations

import resource
import statistics
from dataclasses import dataclass
from pathlib import Path

from ..catalog import EXERCISES, suite_tests
from ..grade.answers import LocalAnswers
from ..grade.engine import Grader, load_reference
from ..grade.runner import run
from ..protocol import Limits, instances, wire


@dataclass(frozen=True)
class Component:
    label: str  # Korean
    ms: float  # CPU milliseconds per submission


def _cpu(who=resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class _Recorder:
    """A student answer source that remembers every call the suites make."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def run(self, exercise, func, args, kwargs):
        self.calls.append((exercise, func, wire.loads(wire.dumps([list(args), dict(kwargs or {})])[8:])))
        return self.inner.run(exercise, func, args, kwargs)


def _solutions() -> dict:
    reference = load_reference()
    if not isinstance(reference, LocalAnswers):
        raise SystemExit("bench needs the reference solutions (solutions/)")
    return reference.namespaces


def physical_ms(repeat: int = 5) -> float:
    """CPU ms per submission of the student's and the reference's functions alone (serial: both)."""
    modules = _solutions()
    student = _Recorder(LocalAnswers(modules, student_code=True))
    run(suite_tests(), student, LocalAnswers(modules))
    answers = LocalAnswers(modules)
    timings = []
    for _ in range(repeat):
        prepared = [(answers.function(e, f), *instances.materialize(
            *wire.loads(wire.dumps(call)[8:]), lambda name, e=e: answers.lookup(e, name))[:2])
            for e, f, call in student.calls]
        start = _cpu()
        for function, args, kwargs in prepared:
            try:
                function(*args, **kwargs)
            except Exception:  # noqa: BLE001 - a test may call with arguments that raise
                pass
        timings.append(_cpu() - start)
    return 2 * statistics.median(timings) * 1000


def suites_ms(repeat: int = 5) -> float:
    """CPU ms per submission of the suites with the student's functions called here (reference cached)."""
    modules, tests, reference = _solutions(), suite_tests(), load_reference()
    run(tests, LocalAnswers(modules, student_code=True), reference)  # the reference's cache filled
    timings = []
    for _ in range(repeat):
        start = _cpu()
        run(tests, LocalAnswers(modules, student_code=True), reference)
        timings.append(_cpu() - start)
    return statistics.median(timings) * 1000


def sandbox_ms(folder: Path, n: int) -> dict[str, float]:
    """CPU ms per submission of grading ``folder`` in the sandbox (``"graded"``, of which ``"graded sandbox"``
    in the sandbox's processes), of opening and closing its sandbox without calls (``"start"``), and the
    zygote's own start (``"zygote"``, once per worker)."""
    out = {"zygote": _zygote_ms()}
    for kind, once in (("start", _start_only), ("graded", Grader.grade)):
        children = _cpu(resource.RUSAGE_CHILDREN)
        with Grader(limits=Limits()) as grader:
            once(grader, folder)  # the zygote started, the reference's cache filled
            loop = _cpu()
            for _ in range(n):
                once(grader, folder)
            loop = _cpu() - loop
        sandbox = (_cpu(resource.RUSAGE_CHILDREN) - children - out["zygote"] / 1000) / (n + 1)
        out[kind], out[f"{kind} sandbox"] = (loop / n + sandbox) * 1000, sandbox * 1000
    out["grader"] = out["graded"] - out["graded sandbox"]
    return out


def _zygote_ms() -> float:
    start = _cpu(resource.RUSAGE_CHILDREN)
    with Grader(limits=Limits()) as grader:
        grader.isolation  # started, detected, said hello
    return (_cpu(resource.RUSAGE_CHILDREN) - start) * 1000


def _start_only(grader: Grader, folder: Path) -> None:
    with grader.submission(folder) as submission:
        submission.prepare([e.name for e in EXERCISES])


def components(folder: Path, n: int, repeat: int) -> tuple[list[Component], int]:
    """The profile's rows (CPU ms per submission) and the number of calls into student code per submission."""
    student = _Recorder(LocalAnswers(_solutions(), student_code=True))
    run(suite_tests(), student, load_reference())
    physical, suites, sandbox = physical_ms(repeat), suites_ms(repeat), sandbox_ms(folder, n)
    calls = sandbox["graded"] - sandbox["start"] - suites
    return [
        Component("학생·참조 함수만 (물리적 한계)", physical),
        Component("테스트 묶음: 판정·메시지·참조 캐시 (학생 함수를 채점기 안에서 부를 때)", suites),
        Component("샌드박스: 제출물의 격리 시작, 자식 4개의 격리·import·종료 (호출 없이)", sandbox["start"]),
        Component(f"호출 {len(student.calls)}번이 샌드박스를 거치는 비용 (양쪽 프로세스; 위 테스트 묶음 빼고)", calls),
        Component("합계: 샌드박스에서 채점 (채점 프로세스 + 샌드박스 프로세스)", sandbox["graded"]),
        Component("  그중 채점 프로세스", sandbox["grader"]),
        Component("  그중 샌드박스 프로세스 (keeper, host, 자식)", sandbox["graded sandbox"]),
        Component("실행마다 한 번: zygote 시작 (Python, numpy, 층 시험)", sandbox["zygote"]),
    ], len(student.calls)
