"""숨은 테스트: 수치 미분과 기울기 (gradient).

Every expected value is the reference's central difference with the same h.
Tolerance rtol 1e-7: two correct central differences agree to ~1e-11 (only the
order of floating-point operations differs), while a forward difference is
off by h·f''/2 (≥ 5e-5 relative for exp and x³ here) and h = 1e-50 gives 0.
The test functions are separable, so a wrong value in one element never
spills into another element's check.

One mistake, one deduction: the difference formula is judged only by the
``central_difference`` tests (and the public examples), the default h only by
the tests that leave h out. The h, shape and shared-array tests pass h
explicitly and accept a value that is right but for a catalogued formula slip
(forward difference, h instead of 2h).
"""

import numpy as np

from ...protocol import StudentCodeError
from .. import diagnose
from ..diagnose import H
from ..support import as_array, as_float, expect_close, fail, got_want, points, probe


ONE_D_HINT = ("x가 행렬처럼 여러 차원인 배열이면 x[i]는 원소가 아니라 배열의 한 줄입니다. 모든 원소를 하나씩 "
              "바꾸려면 np.ndindex(x.shape)나 np.nditer로 인덱스를 돌아야 합니다")


def point(seed, shape):
    return np.random.default_rng(seed).uniform(-1.5, 1.5, size=shape)


def gradient_of_array(student, f, x):
    """The student's gradient at a multi-dimensional ``x``; a crash from 1-D-only indexing gets a hint."""
    try:
        return as_array(student.gradient.numerical_gradient(f, x, h=H), x.shape, "numerical_gradient")
    except StudentCodeError as exc:
        if exc.kind in ("IndexError", "ValueError", "TypeError"):
            fail(f"{ONE_D_HINT} (실행 중 오류 {exc.kind}: {exc.message})", "one_dimensional_only")
        raise


@points(4)
def test_numerical_diff_central_difference(student, reference):
    """중심 차분 (f(x+h) − f(x−h)) / 2h로 미분 (eˣ, x³)"""
    for f, x in ((probe("exp"), 1.0), (probe("cubic"), -1.5)):
        got = as_float(student.gradient.numerical_diff(f, x), "numerical_diff")
        diagnose.derivative(got, reference.gradient.numerical_diff(f, x), f, x)


@points(2)
def test_numerical_diff_uses_h(student, reference):
    """인수로 받은 h를 차분의 크기로 사용"""
    f, x, h = probe("cubic"), 2.0, 0.5
    got = as_float(student.gradient.numerical_diff(f, x, h=h), "numerical_diff")
    want = reference.gradient.numerical_diff(f, x, h=h)
    if np.isclose(got, reference.gradient.numerical_diff(f, x), rtol=1e-6):
        fail(f"h 인수를 무시했습니다. numerical_diff(f, x, h=0.5)는 h = 0.5로 계산해야 합니다. {got_want(got, want)}", "ignores_h")
    if diagnose.formula_slip(np.array(got), np.array(want), f, np.array(x), h=h):
        return  # h was used; the formula is the central-difference test's
    expect_close(got, want, 1e-9, 1e-12, "h = 0.5일 때의 중심 차분 (f(x+h) − f(x−h)) / 2h와 다릅니다.")


@points(4)
def test_numerical_gradient_central_difference(student, reference):
    """벡터 x에서 원소마다 중심 차분으로 편미분 (Σ exp(xᵢ))"""
    f, x = probe("sum_exp"), point(411, 5)
    got = as_array(student.gradient.numerical_gradient(f, x), x.shape, "numerical_gradient")
    diagnose.gradient(got, reference.gradient.numerical_gradient(f, x), f, x)


@points(2)
def test_numerical_gradient_uses_h(student, reference):
    """인수로 받은 h를 차분의 크기로 사용 (기울기)"""
    f, x, h = probe("sum_cubes"), point(416, 3), 0.5
    got = as_array(student.gradient.numerical_gradient(f, x, h=h), x.shape, "numerical_gradient")
    want = reference.gradient.numerical_gradient(f, x, h=h)
    if np.allclose(got, reference.gradient.numerical_gradient(f, x), rtol=1e-6):
        fail(f"h 인수를 무시했습니다. numerical_gradient(f, x, h=0.5)는 h = 0.5로 계산해야 합니다. {got_want(got, want)}",
             "ignores_h")
    if diagnose.formula_slip(got, want, f, x, h=h):
        return  # h was used; the formula is the central-difference test's
    expect_close(got, want, 1e-9, 1e-12, "h = 0.5일 때의 중심 차분 (f(x+h·eᵢ) − f(x−h·eᵢ)) / 2h와 다릅니다.")


@points(3)
def test_numerical_gradient_restores_x(student, reference):
    """계산이 끝나면 x가 정확히 원래 값으로 돌아와 있음"""
    f, x = probe("function_2"), point(412, 4)
    result = student.gradient.numerical_gradient.run(f, x, h=H)
    diagnose.restored(x, result.args_after[1])


@points(4)
def test_numerical_gradient_matrix(student, reference):
    """가중치 행렬처럼 2차원인 x (모양 2×3)"""
    f, x = probe("sum_cubes"), point(413, (2, 3))
    got = gradient_of_array(student, f, x)
    diagnose.gradient(got, reference.gradient.numerical_gradient(f, x), f, x, formula_owned_elsewhere=True,
                      otherwise="x가 행렬(2차원)일 때 원소마다의 편미분이 틀렸습니다. " + ONE_D_HINT + ".")


@points(2)
def test_numerical_gradient_any_shape(student, reference):
    """3차원 x (모양 2×2×3)에서도 같은 모양의 기울기"""
    f, x = probe("sum_exp"), point(414, (2, 2, 3))
    got = gradient_of_array(student, f, x)
    diagnose.gradient(got, reference.gradient.numerical_gradient(f, x), f, x, formula_owned_elsewhere=True,
                      otherwise="x가 3차원 배열일 때의 기울기가 다릅니다. x의 모양과 상관없이 모든 원소를 돌아야 합니다.")


@points(3)
def test_numerical_gradient_shared_array(student, reference):
    """인수를 쓰지 않고 같은 배열을 읽는 함수 (lambda W: net.loss(x, t) 방식)"""
    # The probe ignores its argument and reads args[1] (the W passed in), like the
    # slide's numerical_gradient(loss_W, self.params['W1']).
    # A vector W keeps this test about "perturb x itself"; test_numerical_gradient_matrix covers 2-D.
    w = point(415, 6)
    f = probe("sum_cubes", shared_arg=1)
    result = student.gradient.numerical_gradient.run(f, w, h=H)
    got = as_array(result.value, w.shape, "numerical_gradient")
    diagnose.gradient(got, reference.gradient.numerical_gradient(f, w), probe("sum_cubes"), w, result,
                      formula_owned_elsewhere=True)
