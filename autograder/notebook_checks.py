"""Run the suites' own test functions inside a Jupyter notebook (nbgrader).

A test cell of the lecture-4 notebooks is::

    from autograder.notebook_checks import check
    check("losses", "sse_textbook")

:func:`check` runs that test through the same runner and the same Korean
messages (with the address of the lecture-site section to read) as
``python -m autograder grade``, with ``student`` = the functions
defined in the notebook (answered in the kernel itself) and ``reference`` = the
reference solutions (or, on a student's machine without them, the values
recorded from them). It prints a Korean line and raises
:class:`AssertionError` when the test fails, which is what nbgrader scores as
0 for that cell.

Unlike ``python -m autograder grade`` there is no sandbox here: a notebook can
tamper with its own checks. Scores from nbgrader are as trustworthy as
nbgrader itself; the instructor docs say so, and ``grade`` can give the
authoritative score for the same notebooks.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from .catalog import BY_NAME, EXERCISES, suite_tests
from .grade.result import Status

_REFERENCE = None


def check(exercise: str, test: str, namespace: dict | None = None) -> None:
    """Run one test of the suites against the notebook's functions.

    Parameters
    ----------
    exercise : str
        The name of an exercise of :data:`autograder.catalog.EXERCISES` (``"losses"``, ...).
    test : str
        The test's name without ``test_`` (as in ``catalog.test_inventory()``).
    namespace : dict, optional
        Where the student's functions are; default: the calling cell's globals
        (the notebook's namespace).

    Raises
    ------
    AssertionError
        With the Korean explanation, when the test does not pass.
    """
    from .grade.answers import LocalAnswers
    from .grade.runner import Outcome, run_one
    from .lecture_site import configured_site
    from .report.links import test_link

    if namespace is None:
        namespace = sys._getframe(1).f_globals
    spec = _find_test(exercise, test)
    student = LocalAnswers({e.name: namespace for e in EXERCISES}, student_code=True)
    outcome = Outcome()
    with _standins(exercise, namespace):
        result = run_one(spec, student, _reference(), outcome=outcome)
    if result.passed:
        print(f"✔ {result.title}: 통과")
        return
    message = result.message
    for name in BY_NAME:  # the notebook is the student's "module"
        message = message.replace(f"exercises/{name}.py", "이 노트북")
    link = test_link(result, configured_site())  # the course's grader holds the address the course was built with
    message += f"\n  강의 노트: {link}" if link else ""
    print(f"✘ {result.title}\n  {message}")
    if result.status is Status.INTERNAL:
        cause = outcome.internal_errors[0].strip().splitlines()[-1] if outcome.internal_errors else ""
        raise RuntimeError(f"채점기 내부 오류 ({exercise}/{test}): {cause}")
    raise AssertionError(message)


def hide_grader_frames() -> None:
    """In an IPython kernel, end every traceback at the notebook's own cells.

    A failing test cell raises inside this module; IPython would print the
    frame with the grader's absolute path on the server, and nbgrader would
    copy it into every student's feedback. The kernels that autograde the
    course call this at start-up (``nbgrader_config.py``), so a test cell's
    traceback shows the cell and the Korean message only.
    """
    from IPython import get_ipython

    shell, grader = get_ipython(), str(Path(__file__).resolve().parent.parent)

    def handler(shell, etype, value, tb, tb_offset=None):
        frame = tb
        while frame is not None and frame.tb_next is not None:
            if frame.tb_next.tb_frame.f_code.co_filename.startswith(grader):
                frame.tb_next = None
            frame = frame.tb_next
        return shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)

    if shell is not None:
        shell.set_custom_exc((Exception,), handler)


def _find_test(exercise: str, test: str):
    if exercise not in BY_NAME:
        raise ValueError(f"알 수 없는 과제 {exercise!r}: {', '.join(BY_NAME)} 중 하나여야 합니다.")
    for spec in suite_tests(exercises=(exercise,)):
        if spec.name == test:
            return spec
    raise LookupError(f"{exercise} 과제에 {test!r} 테스트가 없습니다 "
                      "(숨은 테스트는 제출한 뒤 채점할 때만 실행됩니다).")


def _reference():
    global _REFERENCE
    if _REFERENCE is None:
        from .grade.engine import load_reference

        _REFERENCE = load_reference()
    return _REFERENCE


@contextlib.contextmanager
def _standins(exercise: str, namespace: dict):
    """While ``exercise`` is checked, the sibling functions it uses are the grader's stand-ins.

    The notebook counterpart of the sandbox's stand-in modules
    (``autograder/suites/standins/``): while gradient_descent is graded,
    ``numerical_gradient`` in the notebook returns the probe's exact gradient,
    so a bug in the student's own numerical_gradient never costs points here.
    """
    from .grade.engine import standin_source

    replaced = {}
    for upstream in BY_NAME[exercise].standins:
        module: dict = {"__name__": f"standin_{upstream}"}
        exec(compile(standin_source(upstream), f"<standin {upstream}>", "exec"), module)
        for name in BY_NAME[upstream].functions:
            if name in module:
                replaced.setdefault(name, namespace.get(name, _MISSING))
                namespace[name] = module[name]
    try:
        yield
    finally:
        for name, original in replaced.items():
            if original is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = original


_MISSING = object()
