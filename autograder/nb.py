"""Run the suites' own test functions inside a Jupyter notebook (nbgrader).

A test cell of the lecture-4 notebooks is::

    from autograder.nb import check
    check("losses", "sse_textbook")

:func:`check` finds ``test_sse_textbook`` in ``autograder/suites/public/`` (or
``hidden/``) ``test_losses.py`` and calls it with ``student`` = the functions
defined in the notebook and ``reference`` = the reference solutions (or, on a
student's machine without them, the values recorded from them). It prints a
Korean line and raises :class:`AssertionError` when the test fails, which is
what nbgrader scores as 0 for that cell.

This runs student code in the notebook's own kernel, as nbgrader always does:
unlike ``python -m autograder grade`` there is no sandbox, so a notebook can
tamper with its own checks. Scores from nbgrader are as trustworthy as
nbgrader itself; the instructor docs say so.
"""

from __future__ import annotations

import contextlib
import importlib
import sys

from .catalog import BY_NAME, EXERCISES

_REFERENCE = None


def check(exercise: str, test: str, namespace: dict | None = None) -> None:
    """Run one test of the suites against the notebook's functions.

    Parameters
    ----------
    exercise : str
        ``"losses"``, ``"gradient"`` or ``"gradient_descent"``.
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
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    function, title = _find_test(exercise, test)

    from .grade.backends import LocalBackend, Namespace
    from .grade.plugin import describe

    student = Namespace(LocalBackend({e.name: namespace for e in EXERCISES}, student_code=True))
    try:
        with _standins(exercise, namespace):
            function(student=student, reference=Namespace(_reference()))
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - anything the test or the student raised
        status, message = _describe(exc, describe)
        print(f"✘ {title}\n  {message}")
        if status == "internal_error":
            raise RuntimeError(f"채점기 내부 오류 ({exercise}/{test}): {type(exc).__name__}: {exc}") from exc
        raise AssertionError(message) from None
    print(f"✔ {title}: 통과")


def _find_test(exercise: str, test: str):
    if exercise not in BY_NAME:
        raise ValueError(f"알 수 없는 과제 {exercise!r}: {', '.join(BY_NAME)} 중 하나여야 합니다.")
    for kind in ("public", "hidden"):
        try:
            module = importlib.import_module(f"autograder.suites.{kind}.test_{exercise}")
        except ModuleNotFoundError:
            continue
        function = getattr(module, f"test_{test}", None)
        if callable(function):
            return function, (function.__doc__ or test).strip().splitlines()[0]
    raise LookupError(f"{exercise} 과제에 {test!r} 테스트가 없습니다 "
                      "(숨은 테스트는 제출한 뒤 채점할 때만 실행됩니다).")


def _reference():
    global _REFERENCE
    if _REFERENCE is None:
        from .grade.engine import load_reference

        _REFERENCE = load_reference()
    return _REFERENCE


def _describe(exc, describe) -> tuple[str, str]:
    if isinstance(exc, SystemExit):
        return "error", "sys.exit()/exit()를 호출했습니다. 채점 중에는 프로그램을 끝내면 안 됩니다."
    status, message = describe(exc)
    for exercise in EXERCISES:  # the notebook is the student's "module"
        message = message.replace(f"exercises/{exercise.name}.py", "이 노트북")
    return status, message


@contextlib.contextmanager
def _standins(exercise: str, namespace: dict):
    """While ``exercise`` is checked, its upstream functions give exact answers.

    The notebook counterpart of the sandbox's stand-in modules
    (``autograder/sandbox/child.py``): while gradient_descent is graded,
    ``numerical_gradient`` in the notebook returns the probe's exact gradient,
    so a bug in the student's own numerical_gradient never costs points here.
    """
    replaced = {}
    for upstream in BY_NAME[exercise].standins:
        for name, standin in _exact_functions().items():
            if name in BY_NAME[upstream].functions:
                replaced[name] = namespace.get(name, _MISSING)
                namespace[name] = standin
    try:
        yield
    finally:
        for name, original in replaced.items():
            if original is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = original


_MISSING = object()


def _exact_functions() -> dict:
    from .protocol import probes

    return probes.exact_gradient_functions()
