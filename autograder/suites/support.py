"""The vocabulary of the test suites: points, Korean failures, value checks.

A test fails by raising :class:`Failure` with a message a beginner can act
on: which concept is wrong and what was expected, e.g. "배치 입력에서는 배치
크기 N으로 나눈 평균을 반환해야 합니다 (기댓값 0.51, 반환값 2.04)".
"""

import numpy as np
import pytest

from ..protocol.instances import instance, rng  # noqa: F401 - re-exported for the suites
from ..protocol.probes import spec as probe  # noqa: F401 - re-exported for the suites
from .mistakes import MISTAKES


def points(n):
    """Mark a test as worth ``n`` points (all or nothing)."""
    return pytest.mark.points(n)


class Failure(AssertionError):
    """A failed check; its message is shown to the student verbatim.

    ``mistake`` names the catalogued mistake it was recognised as (a key of
    :data:`autograder.suites.mistakes.MISTAKES`), or is empty.
    """

    def __init__(self, message: str, mistake: str = ""):
        super().__init__(message)
        self.mistake = mistake


def fail(message: str, mistake: str = ""):
    if mistake and mistake not in MISTAKES:
        raise KeyError(f"unknown mistake {mistake!r}: add it to autograder/suites/mistakes.py")
    raise Failure(message, mistake)


def num(value) -> str:
    """Short human form of a number or array for messages (at most 6 numbers)."""
    if value is None:
        return "None"
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        return repr(value)[:80]
    if array.ndim == 0:
        return f"{float(array):.4g}"
    flat = array.astype(float).ravel()
    text = "[" + ", ".join(f"{v:.4g}" for v in flat[:6]) + (", …]" if flat.size > 6 else "]")
    return text if array.ndim == 1 else f"{text} (모양 {array.shape})"


def _index(idx) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def got_want(got, want, rtol=1e-7, atol=0.0) -> str:
    """"(기댓값 …, 반환값 …)"; for arrays, the first element that differs."""
    if got is None or want is None:
        return f"(기댓값 {num(want)}, 반환값 {num(got)})"
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if g.ndim == 0 and w.ndim == 0:
        for digits in (4, 6, 8, 10, 12, 15):  # enough digits that different numbers look different
            a, b = f"{float(w):.{digits}g}", f"{float(g):.{digits}g}"
            if a != b or float(w) == float(g):
                break
        return f"(기댓값 {a}, 반환값 {b})"
    if g.shape == w.shape and g.size:
        bad = ~np.isclose(g, w, rtol=rtol, atol=atol)
        if bad.any():
            idx = np.unravel_index(int(np.argmax(bad)), g.shape)
            return (f"(위치 {_index(idx)}: 기댓값 {w[idx]:.6g}, 반환값 {g[idx]:.6g}; "
                    f"다른 원소 {int(bad.sum())}/{g.size}개)")
    return f"(기댓값 {num(want)}, 반환값 {num(got)})"


def numbers(value, func: str, what: str = "반환값") -> np.ndarray:
    """``value`` as a float array, or a Korean failure for anything that is not numbers
    (None, strings, dicts, ragged lists, integers too large for a float)."""
    if value is None:
        fail(f"{func}의 {what}이 없습니다 (None). 계산한 값을 return 하세요.", "no_return")
    try:
        return np.asarray(value, dtype=float)
    except OverflowError:
        fail(f"{func}의 {what}이 실수(float)로 나타낼 수 없을 만큼 큰 정수입니다.")
    except (TypeError, ValueError):
        kind = type(value).__name__
        fail(f"{func}의 {what}은 숫자나 숫자 배열이어야 합니다 ({what}의 자료형: {kind}"
             + (", 길이가 다른 행이 섞인 리스트" if isinstance(value, (list, tuple)) else "") + ").")


def as_float(value, func: str) -> float:
    """The single real number ``func`` must return, or a Korean failure."""
    if value is None:
        fail(f"{func}의 반환값이 없습니다 (None). 계산한 값을 return 하세요.", "no_return")
    array = numbers(value, func)
    if array.size != 1:
        fail(f"{func}은(는) 실수 하나를 반환해야 합니다 (반환값이 모양 {array.shape}인 배열입니다). "
             "배치라면 평균을 내어 하나의 값으로 만드세요.", "array_not_scalar")
    return float(array.reshape(()))


def as_array(value, shape, func: str) -> np.ndarray:
    """A float array of exactly ``shape`` returned by ``func``, or a Korean failure."""
    if value is None:
        fail(f"{func}의 반환값이 없습니다 (None). 계산한 배열을 return 하세요.", "no_return")
    array = numbers(value, func)
    if array.shape != tuple(shape):
        fail(f"{func}의 반환값은 모양이 {tuple(shape)}인 배열이어야 합니다 (반환값의 모양: {array.shape}).")
    return array


def close(got, want, rtol, atol=0.0) -> bool:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))


def expect_close(got, want, rtol, atol, message: str) -> None:
    """Fail with ``message`` plus expected/returned values unless close."""
    if not close(got, want, rtol, atol):
        fail(f"{message} {got_want(got, want, rtol, atol)}")


def expect_finite(got, message: str) -> None:
    if not np.all(np.isfinite(np.asarray(got, dtype=float))):
        fail(f"{message} (반환값 {num(got)})")
