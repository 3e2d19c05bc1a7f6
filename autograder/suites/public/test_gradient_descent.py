"""공개 테스트: 경사 하강법 (교재 예제).

The gradient is passed explicitly (exact), so this exercise never depends on
the student's numerical_gradient. History tolerance: rtol 1e-9 covers
``x -= lr * g`` versus ``x = x - lr * g``.
"""

from ..support import as_array, expect_close, fail, points, probe
from ..textbook import DESCENT_LR, DESCENT_START, DESCENT_STEPS


@points(3)
def test_gradient_descent_textbook(student, reference):
    """교재 예제: (−3, 4)에서 시작해 학습률 0.1로 100번 갱신하면 (0, 0) 근처에 도착"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    returned = student.gradient_descent.gradient_descent(
        f, DESCENT_START, lr=DESCENT_LR, step_num=DESCENT_STEPS, grad=grad)
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        fail("gradient_descent는 (x, history) 두 값을 반환해야 합니다.")
    x = as_array(returned[0], DESCENT_START.shape, "gradient_descent의 x")
    want, _ = reference.gradient_descent.gradient_descent(
        f, DESCENT_START, lr=DESCENT_LR, step_num=DESCENT_STEPS, grad=grad)
    expect_close(x, want, 1e-9, 1e-12,
                 "100번 갱신한 뒤의 위치가 다릅니다. 기울기의 반대 방향으로 x ← x − η∇f(x) 만큼 이동해야 합니다.")
