"""숨은 테스트: 경사 하강법 (gradient_descent).

No double penalty: every test passes the exact gradient as ``grad``, except
the one for ``grad=None``, where the sandbox replaces exercises/gradient.py by
a stand-in whose numerical_gradient returns the exact gradient. A bug in the
student's numerical_gradient therefore never costs points here.

Tolerance rtol 1e-9, atol 1e-12: ``x -= lr * g`` and ``x = x - lr * g`` agree
to rounding; every mistake below changes the path by far more.
"""

import numpy as np

from ..support import as_array, expect_close, fail, got_want, num, numbers, points, probe

RTOL, ATOL = 1e-9, 1e-12


def quadratic(seed, n):
    """A convex bowl ½xᵀAx + bᵀx in n dimensions whose axes are coupled."""
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(n, n))
    return probe("quadratic_form", A=m @ m.T / n + np.eye(n), b=rng.normal(size=n))


def unpack(returned, shape, steps, strict=False):
    """(x, history, skipped): ``skipped`` is 1 when history lacks its first point.

    Only test_history_starts_at_init (``strict``) fails for a missing first
    point; the other tests compare what is there with the matching positions.
    """
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        fail("gradient_descent는 (x, history) 두 값을 반환해야 합니다.")
    x = as_array(returned[0], shape, "gradient_descent의 x")
    if returned[1] is None:
        fail("history가 None입니다. 지나온 위치를 모두 담은 배열을 반환하세요.")
    history = numbers(returned[1], "gradient_descent", "history")
    if history.shape == (steps, *shape):
        if strict:
            fail(f"history의 모양이 {(steps + 1, *shape)}이어야 합니다 (반환값의 모양 {history.shape}). "
                 "history[0]에 시작 위치 init_x를 넣어야 합니다.", "history_without_start")
        return x, history, 1
    return x, as_array(history, (steps + 1, *shape), "gradient_descent의 history"), 0


def run(student, f, init, lr, steps, **kwargs):
    return student.gradient_descent.gradient_descent.run(f, init, lr=lr, step_num=steps, **kwargs)


@points(3)
def test_history_starts_at_init(student, reference):
    """history의 모양은 (step_num + 1, ...)이고 history[0]은 시작 위치"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([2.5, -1.0])
    result = run(student, f, init, 0.1, 10, grad=grad)
    _, history, _ = unpack(result.value, init.shape, 10, strict=True)
    if not np.array_equal(history[0], init):
        fail(f"history[0]은 시작 위치 init_x 여야 합니다 (기댓값 {num(init)}, history[0] {num(history[0])}).", "history_without_start")


def check_path(history, skipped, reference, f, init, lr, steps, grad, rtol=RTOL, atol=ATOL,
               otherwise="history[{i}]가 다릅니다. history[i+1] = history[i] − lr · ∇f(history[i]) 로 갱신해야 합니다."):
    """The visited points must be the reference's; name the classic mistake if not."""
    _, want = reference.gradient_descent.gradient_descent(f, init, lr=lr, step_num=steps, grad=grad)
    want = want[skipped:]
    if np.allclose(history, want, rtol=rtol, atol=atol):
        return
    first = 1 - skipped  # position of the first update in ``history``
    _, climbing = reference.gradient_descent.gradient_descent(f, init, lr=-lr, step_num=steps, grad=grad)
    if np.allclose(history[first], climbing[1], rtol=rtol, atol=atol):
        fail("기울기 방향으로 올라갔습니다. 경사 하강법은 기울기의 반대 방향으로 이동합니다: "
             f"x ← x − η∇f(x). 첫 번째 갱신 {got_want(history[first], want[first], rtol, atol)}", "gradient_ascent")
    for other in (1.0, 0.01):  # the learning rate not multiplied, or the default used instead of lr
        _, ignoring = reference.gradient_descent.gradient_descent(f, init, lr=other, step_num=steps, grad=grad)
        if other != lr and np.allclose(history[first], ignoring[1], rtol=rtol, atol=atol):
            fail(f"인수로 받은 학습률 lr을 쓰지 않았습니다 (lr = {lr:g}인데 {other:g}로 갱신했습니다). "
                 f"x ← x − lr · ∇f(x). 첫 번째 갱신 {got_want(history[first], want[first], rtol, atol)}", "lr_ignored")
    if np.allclose(history[first:], history[-1]) and not np.allclose(want[first], want[-1]):
        fail("history의 모든 위치가 마지막 위치와 같습니다. x를 그 자리에서 바꾸면서(x -= ...) 같은 배열을 "
             "history에 넣었기 때문입니다. 기록할 때는 x.copy()를 넣으세요.", "history_aliasing")
    rows = ~np.all(np.isclose(history, want, rtol=rtol, atol=atol).reshape(len(want), -1), axis=1)
    i = int(np.argmax(rows))
    fail(f"{otherwise.format(i=i + skipped)} {got_want(history[i], want[i], rtol, atol)}")


@points(4)
def test_update_rule(student, reference):
    """매 단계 x ← x − η∇f(x): 지나온 위치 전체가 참조 구현과 일치"""
    f = quadratic(421, 3)
    grad = probe("gradient_of", of="quadratic_form", **f["params"])
    init, lr, steps = np.array([1.0, -2.0, 0.5]), 0.05, 20
    _, history, skipped = unpack(run(student, f, init, lr, steps, grad=grad).value, init.shape, steps)
    check_path(history, skipped, reference, f, init, lr, steps, grad)


@points(3)
def test_init_x_unchanged(student, reference):
    """init_x는 바꾸지 않음 (복사본에서 시작)"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([-3.0, 4.0, 1.5])
    result = run(student, f, init, 0.1, 5, grad=grad)
    after = np.asarray(result.args_after[1], dtype=float)
    if not np.array_equal(after, init):
        fail("init_x가 바뀌었습니다. 시작 위치는 복사해서(x = init_x.copy()) 그 복사본을 갱신하세요 "
             f"(원래 {num(init)}, 호출 후 {num(after)}).", "init_x_modified")


@points(1)
def test_returns_last_point(student, reference):
    """반환한 x는 history[-1]과 같은 마지막 위치"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([1.0, 2.0])
    x, history, _ = unpack(run(student, f, init, 0.2, 7, grad=grad).value, init.shape, 7)
    want, _ = reference.gradient_descent.gradient_descent(f, init, lr=0.2, step_num=7, grad=grad)
    if not np.allclose(x, history[-1], rtol=RTOL, atol=ATOL):
        fail(f"반환한 x가 history[-1]과 다릅니다 (x {num(x)}, history[-1] {num(history[-1])}).", "returned_x_not_last")
    expect_close(x, want, RTOL, ATOL, "7번 갱신한 뒤의 위치가 다릅니다.")


@points(2)
def test_matrix_start(student, reference):
    """시작 위치가 행렬(2×3)이어도 같은 모양으로 갱신"""
    f = quadratic(422, 6)
    grad = probe("gradient_of", of="quadratic_form", **f["params"])
    init = np.arange(6, dtype=float).reshape(2, 3) / 4
    _, history, skipped = unpack(run(student, f, init, 0.05, 6, grad=grad).value, init.shape, 6)
    check_path(history, skipped, reference, f, init, 0.05, 6, grad,
               otherwise="행렬 모양의 시작 위치에서 history[{i}]가 다릅니다.")


@points(2)
def test_default_uses_numerical_gradient(student, reference):
    """grad=None이면 numerical_gradient(f, x)로 기울기를 구함"""
    f = probe("function_2")
    init = np.array([-3.0, 4.0])
    result = run(student, f, init, 0.1, 10)
    _, history, skipped = unpack(result.value, init.shape, 10)
    check_path(history, skipped, reference, f, init, 0.1, 10, probe("gradient_of", of="function_2"), 1e-6, 1e-9,
               otherwise="grad를 주지 않으면(None) exercises/gradient.py의 numerical_gradient(f, x)로 "
                         "기울기를 구해야 합니다. history[{i}]가 다릅니다.")
