"""Honest code never loses points to the grader, and every odd case gets a Korean explanation."""

import pytest

from autograder.grade.engine import Grader
from autograder.protocol import Limits
from autograder.catalog import points
from conftest import build, failing, make_submission, scores, sse_prefix

@pytest.fixture(scope="module")
def grader():
    with Grader(limits=Limits(call_timeout=2.0, submission_timeout=60.0)) as g:
        yield g


@pytest.mark.parametrize("name, prepend", [
    ("matplotlib at the top, as the book's ch04/gradient_method.py",
     "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.title('기울기')\nplt.show()\n"),
    ("unused imports of process modules", "import subprocess, multiprocessing, threading, socket\n"),
    ("a debug print at import", "print('losses 모듈을 불러왔습니다')\n"),
])
def test_harmless_imports_and_prints_cost_nothing(grader, tmp_path, name, prepend):
    result = grader.grade(build(tmp_path / "s", {"prepend": {"losses.py": prepend}}))
    assert result.score == 100, failing(result)
    assert result.status == "graded"


def test_printing_a_lot_is_truncated_and_noted_not_penalised(grader, tmp_path):
    result = grader.grade(build(tmp_path / "s", sse_prefix("for i in range(200000):\n    print('debug', i)")))
    assert result.score == 100, failing(result)
    assert any("print 출력이 너무 많아" in note and "점수에는 영향이 없습니다" in note for note in result.notes)


def test_a_missing_package_is_named_with_the_students_line(grader, tmp_path):
    result = grader.grade(build(tmp_path / "s", {"prepend": {"losses.py": "import numpy as np\nimport scipy.special\n"}}))
    message = failing(result)["sse_textbook"].message
    assert "채점 환경에 없는 패키지입니다: scipy (numpy만 쓰세요)" in message
    assert "exercises/losses.py 2번째 줄: import scipy.special" in message
    assert scores(result)["gradient"] == points("gradient")


def test_book_style_imports_say_what_to_do_instead(grader, tmp_path):
    book = "import sys, os\nsys.path.append(os.pardir)\nfrom common.functions import softmax\n"
    result = grader.grade(build(tmp_path / "s", {"prepend": {"losses.py": book}}))
    message = failing(result)["sse_textbook"].message
    assert "sys.path.append(os.pardir)" in message and "common/" in message and "from .functions import" in message


def test_input_gets_an_explanation(grader, tmp_path):
    result = grader.grade(build(tmp_path / "s", sse_prefix("n = int(input('배치 크기: '))")))
    message = failing(result)["sse_textbook"].message
    assert "input()" in message and "인수로" in message and failing(result)["sse_textbook"].status == "error"


CP949_LOSSES = '''import numpy as np
# 오차제곱합과 교차 엔트로피 오차 (메모장에서 ANSI로 저장한 파일)


def sum_squared_error(y, t):
    """오차제곱합"""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    n = 1 if y.ndim == 1 else y.shape[0]
    return float(0.5 * np.sum((y - t) ** 2) / n)


def cross_entropy_error(y, t):
    """교차 엔트로피 오차"""
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = np.asarray(t).reshape(1, -1) if np.size(t) == y.size else np.asarray(t).reshape(1)
    t = np.asarray(t)
    n = y.shape[0]
    if t.size == y.size:
        return float(-np.sum(t * np.log(y + 1e-7)) / n)
    return float(-np.sum(np.log(y[np.arange(n), t.astype(int)] + 1e-7)) / n)
'''


def test_a_cp949_source_is_read_with_a_note(grader, tmp_path):
    path = make_submission(tmp_path / "s")
    (path / "exercises" / "losses.py").write_bytes(CP949_LOSSES.encode("cp949"))
    result = grader.grade(path)
    assert result.score == 100, failing(result)
    assert any("CP949" in note and "UTF-8" in note for note in result.notes)


@pytest.mark.parametrize("code", [
    "def r(n):\n    return r(n + 1)\nr(0)",
    "import sys\nsys.setrecursionlimit(10 ** 7)\ndef r(n):\n    return r(n + 1)\nr(0)",
])
def test_deep_recursion_is_reported_as_recursion(grader, tmp_path, code):
    result = grader.grade(build(tmp_path / "s", sse_prefix(code)))
    test = failing(result)["sse_textbook"]
    assert test.status == "error" and "무한 재귀" in test.message


def test_a_gradient_descent_that_wraps_f_works_with_the_stand_in(grader, tmp_path):
    wrapped = [("grad = lambda point: numerical_gradient(f, point)",
                "grad = lambda point: numerical_gradient(lambda w: f(w), point)")]
    result = grader.grade(make_submission(tmp_path / "s", replace={"gradient_descent.py": wrapped}))
    assert scores(result)["gradient_descent"] == points("gradient_descent"), failing(result)


ODD_VALUES = {
    "a 400-digit integer": "10 ** 400", "a dict": "{'a': 1}", "a ragged list": "[[1.0], [1.0, 2.0]]",
    "a string": "'0.5'", "None": "None", "nested tuples": "((1, 2), (3,))", "a complex number": "1 + 2j",
    "an object": "object()", "a string array": "np.array(['a'])", "a 30-dimensional array": "np.zeros((1,) * 30)",
    "a pair with a huge integer": "(10 ** 400, [1])", "a list of dicts": "[{'a': 1}]",
}


@pytest.mark.parametrize("expr", list(ODD_VALUES.values()), ids=list(ODD_VALUES))
def test_odd_return_values_are_failed_tests_never_grader_errors(grader, tmp_path, expr):
    def module(*functions):
        return "import numpy as np\n" + "".join(f"def {f}(*a, **k):\n    return {expr}\n" for f in functions)

    result = grader.grade(make_submission(tmp_path / "s", files={
        "exercises/losses.py": module("sum_squared_error", "cross_entropy_error"),
        "exercises/gradient.py": module("numerical_diff", "numerical_gradient"),
        "exercises/gradient_descent.py": module("gradient_descent")}))
    assert result.status == "graded" and not result.internal_errors
    for test in failing(result).values():
        assert test.status in ("failed", "error"), test
        assert "Traceback" not in test.message and "suites" not in test.message


def test_control_characters_from_student_code_are_neutralised(grader, tmp_path):
    result = grader.grade(build(tmp_path / "s", sse_prefix(r"raise ValueError('\x1b[2J\x1b]0;owned\x07\u202e')")))
    message = failing(result)["sse_textbook"].message
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "\\x1b" in message
