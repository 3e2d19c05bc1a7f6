"""공개 테스트: 수치 미분과 기울기 (교재 예제).

Tolerance rtol 1e-7: the same central difference computed in another order
agrees to ~1e-11, while a forward difference is off by ~5e-6 relative here.
"""

from .. import diagnose
from ..support import as_array, as_float, points, probe
from ..textbook import DIFF_POINTS, GRADIENT_POINTS


@points(3)
def test_numerical_diff_textbook(student, reference):
    """교재 예제: function_1 = 0.01x² + 0.1x의 x = 5, 10에서의 미분"""
    f = probe("function_1")
    for x in DIFF_POINTS:
        got = as_float(student.gradient.numerical_diff(f, x), "numerical_diff")
        want = reference.gradient.numerical_diff(f, x)
        diagnose.derivative(got, want, f, x)


@points(3)
def test_numerical_gradient_textbook(student, reference):
    """교재 예제: function_2 = x0² + x1²의 (3, 4), (0, 2), (3, 0)에서의 기울기"""
    f = probe("function_2")
    for x in GRADIENT_POINTS:
        got = as_array(student.gradient.numerical_gradient(f, x), x.shape, "numerical_gradient")
        want = reference.gradient.numerical_gradient(f, x)
        diagnose.gradient(got, want, f, x)
