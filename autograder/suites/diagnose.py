"""Recognise the classic beginner mistakes behind a wrong value.

Each function compares a student's value with the reference value and with
what a known mistake would have produced (computed here from the trusted
probes, never from student code), and fails with the matching Korean
message. Used by the public and the hidden suites alike.
"""

import numpy as np

from ..protocol import probes
from .support import close, expect_close, fail, got_want, num

H = 1e-4
RTOL_DIFF = 1e-7  # central vs forward difference differ by ~1e-5 relative here; rounding by ~1e-11


def _forward(f, x, h=H):
    return (f(x + h) - f(x)) / h


def derivative(got, want, func_spec, x, what="numerical_diff", h=H):
    """A scalar derivative ``got`` at ``x`` must match the central difference ``want`` (step ``h``)."""
    f = probes.build(func_spec)
    if close(got, want, RTOL_DIFF, 1e-10):
        return
    if h == H and abs(want) > 1e-6 and abs(got) < 1e-12:
        fail("결과가 0입니다. h가 너무 작으면 (예: 1e-50) 반올림 오차 때문에 x + h가 x와 같아져 "
             f"차이가 사라집니다. h는 기본값 1e-4를 쓰세요. {got_want(got, want)}", "h_too_small")
    if close(got, _forward(f, x, h), 1e-9, 1e-12):
        fail("전방 차분 (f(x+h) − f(x)) / h로 계산했습니다. 오차가 더 작은 중심 차분 "
             f"(f(x+h) − f(x−h)) / 2h를 쓰세요. {got_want(got, want)}", "forward_difference")
    if close(got, 2 * want, 1e-7, 1e-12):
        fail(f"중심 차분은 두 점 사이의 거리 2h로 나눠야 합니다: (f(x+h) − f(x−h)) / 2h. {got_want(got, want)}",
             "divided_by_h")
    fail(f"{what}: 중심 차분 (f(x+h) − f(x−h)) / 2h의 값과 다릅니다. {got_want(got, want)}")


def forward_gradient(func_spec, x, h=H):
    """The forward difference (f(x + h·eᵢ) − f(x)) / h of a probe, element by element."""
    f = probes.build(func_spec)
    forward = np.zeros(np.shape(x))
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = h
        forward[idx] = (f(x + step) - f(x)) / h
    return forward


def formula_slip(got, want, func_spec, x, h=H):
    """Whether ``got`` is the central difference ``want`` computed by a catalogued wrong formula
    (forward difference, division by h instead of 2h): the tests of the formula own those."""
    return (close(got, forward_gradient(func_spec, x, h), 1e-9, 1e-12)
            or close(got, 2 * np.asarray(want), 1e-7, 1e-9))


def gradient(got, want, func_spec, x, result=None,
             otherwise="원소마다 편미분 ∂f/∂xᵢ를 중심 차분으로 구한 값과 다릅니다.", formula_owned_elsewhere=False):
    """A gradient array ``got`` must match the reference ``want`` element by element.

    Known mistakes get their own message; any other difference fails with ``otherwise``.
    With ``formula_owned_elsewhere`` (tests of shape, of the shared array), a value
    that only has the wrong difference formula passes: the formula's tests judge it.
    """
    if close(got, want, RTOL_DIFF, 1e-9):
        return
    if formula_owned_elsewhere and formula_slip(got, want, func_spec, x):
        return
    foreign = result.probes[0].get("foreign_calls") if result is not None and result.probes else None
    if type(foreign) is int and foreign > 0 and np.allclose(got, 0):
        fail("기울기가 모두 0입니다. x의 복사본을 바꿔서 f에 넘겼기 때문입니다. f가 인수 대신 원래 배열을 "
             "읽는 경우(예: lambda W: net.loss(x, t))에도 맞으려면 x 자체의 원소를 바꾸고 되돌려야 합니다. "
             f"{got_want(got, want)}", "gradient_of_copy")
    if np.abs(want).max() > 1e-6 and np.abs(got).max() < 1e-12:
        fail("기울기가 모두 0입니다. h가 너무 작으면 (예: 1e-50) 반올림 오차 때문에 차이가 사라집니다. "
             f"h는 기본값 1e-4를 쓰세요. {got_want(got, want)}", "h_too_small")
    if close(got, forward_gradient(func_spec, x), 1e-9, 1e-12):
        fail("전방 차분 (f(x+h) − f(x)) / h로 계산했습니다. 중심 차분 (f(x+h) − f(x−h)) / 2h를 쓰세요. "
             f"{got_want(got, want)}", "forward_difference")
    if close(got, 2 * want, 1e-7, 1e-9):
        fail(f"중심 차분은 2h로 나눠야 합니다: (f(x+h) − f(x−h)) / 2h. {got_want(got, want)}", "divided_by_h")
    expect_close(got, want, RTOL_DIFF, 1e-9, otherwise)


def restored(before, after, what="x"):
    """``after`` (the argument once the call returned) must equal ``before``."""
    after = np.asarray(after, dtype=float) if after is not None else None
    if after is None or after.shape != before.shape:
        fail(f"함수가 끝난 뒤 {what}의 모양이 바뀌었습니다.")
    # Restoring by x[i] += h after x[i] -= 2h may round in the last bit: allow 1e-12.
    if not np.allclose(after, before, rtol=1e-12, atol=1e-15):
        changed = int(np.sum(~np.isclose(after, before, rtol=1e-12, atol=1e-15)))
        fail(f"함수가 끝난 뒤에도 {what}가 원래 값으로 돌아오지 않았습니다 ({changed}개 원소가 바뀜). "
             f"원소를 바꿔 f를 계산한 뒤에는 원래 값으로 되돌려야 합니다 (원래 {num(before)}, 호출 후 {num(after)}).",
             "x_not_restored")
