"""숨은 테스트: 경사 하강법 (gradient_descent).

No double penalty: every test passes the exact gradient as ``grad``, except
the ones for ``grad=None``, where the sandbox replaces exercises/gradient.py
by a stand-in whose numerical_gradient returns the exact gradient. A bug in
the student's numerical_gradient therefore never costs points here.

One mistake, one deduction: the update rule is judged by ``update_rule`` (and
the public example) and the shape of ``history`` by
``history_starts_at_init``. The tests of a matrix start, of ``grad=None``, of
a given ``grad`` and of the defaults compare two runs of the student's own
function that must agree (a matrix start and the same numbers as a vector,
...), so a slip in the update rule is not charged again there; only a run
that does not move at all is compared with the reference instead.

Tolerance rtol 1e-9, atol 1e-12: ``x -= lr * g`` and ``x = x - lr * g`` agree
to rounding; every mistake below changes the path by far more.
"""

import numpy as np

from ..own import side_value
from ..support import as_array, expect_close, fail, got_want, num, numbers, points, probe

RTOL, ATOL = 1e-9, 1e-12


def quadratic(seed, n):
    """A convex bowl ½xᵀAx + bᵀx in n dimensions whose axes are coupled."""
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(n, n))
    return probe("quadratic_form", A=m @ m.T / n + np.eye(n), b=rng.normal(size=n))


def gradient_of(f):
    return probe("gradient_of", of=f["__probe__"], **f["params"])


def unpack(returned, init, steps, strict=False):
    """(x, history, offset): ``offset`` is the index in the full path of ``history[0]``.

    A history of ``steps`` rows lacks one end: the final point when it starts at
    ``init`` (recorded before each update, as the textbook does), else the start
    (offset 1). Only test_history_starts_at_init (``strict``) fails for either;
    the other tests compare what is there with the matching positions.
    """
    shape = np.shape(init)
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        fail("gradient_descent는 (x, history) 두 값을 반환해야 합니다.")
    x = as_array(returned[0], shape, "gradient_descent의 x")
    if returned[1] is None:
        fail("history가 None입니다. 지나온 위치를 모두 담은 배열을 반환하세요.")
    history = numbers(returned[1], "gradient_descent", "history")
    if history.shape == (steps, *shape):
        lacks_final = np.array_equal(history[0], init)
        if strict and lacks_final:
            fail(f"history의 모양이 {(steps + 1, *shape)}이어야 합니다 (반환값의 모양 {history.shape}). history[0]은 "
                 "시작 위치로 맞지만 마지막 위치가 없습니다: 갱신하기 전에만 기록했기 때문입니다. 마지막 갱신 뒤의 "
                 "x도 history에 넣으세요 (history[-1]은 반환하는 x와 같아야 합니다).", "history_without_final")
        if strict:
            fail(f"history의 모양이 {(steps + 1, *shape)}이어야 합니다 (반환값의 모양 {history.shape}). "
                 "history[0]에 시작 위치 init_x를 넣어야 합니다.", "history_without_start")
        return x, history, 0 if lacks_final else 1
    return x, as_array(history, (steps + 1, *shape), "gradient_descent의 history"), 0


def run(student, f, init, lr, steps, **kwargs):
    return student.gradient_descent.gradient_descent.run(f, init, lr=lr, step_num=steps, **kwargs)


@points(2)
def test_history_starts_at_init(student, reference):
    """history의 모양은 (step_num + 1, ...)이고 history[0]은 시작 위치"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([2.5, -1.0])
    result = run(student, f, init, 0.1, 10, grad=grad)
    _, history, _ = unpack(result.value, init, 10, strict=True)
    if not np.array_equal(history[0], init):
        fail(f"history[0]은 시작 위치 init_x 여야 합니다 (기댓값 {num(init)}, history[0] {num(history[0])}).", "history_without_start")


def reference_paths(reference, f, init, lr, steps, grad):
    """The reference's path and the paths of the classic mistakes, computed whatever the student did (so a
    grader replaying recorded reference values has every one of them)."""
    def path_with(rate):
        return reference.gradient_descent.gradient_descent(f, init, lr=rate, step_num=steps, grad=grad)[1]

    return {"want": path_with(lr), "climbing": path_with(-lr), "lr": lr, **{other: path_with(other) for other in (1.0, 0.01)}}


def check_path(history, offset, paths, rtol=RTOL, atol=ATOL,
               otherwise="history[{i}]가 다릅니다. history[i+1] = history[i] − lr · ∇f(history[i]) 로 갱신해야 합니다."):
    """The visited points must be the reference's (``paths``: :func:`reference_paths`); name the classic mistake if not."""
    want, lr = paths["want"][offset:offset + len(history)], paths["lr"]
    if np.allclose(history, want, rtol=rtol, atol=atol):
        return
    first = 1 - offset  # position of the first update in ``history``
    if np.allclose(history[first], paths["climbing"][1], rtol=rtol, atol=atol):
        fail("기울기 방향으로 올라갔습니다. 경사 하강법은 기울기의 반대 방향으로 이동합니다: "
             f"x ← x − η∇f(x). 첫 번째 갱신 {got_want(history[first], want[first], rtol, atol)}", "gradient_ascent")
    for other in (1.0, 0.01):  # the learning rate not multiplied, or the default used instead of lr
        if other != lr and np.allclose(history[first], paths[other][1], rtol=rtol, atol=atol):
            fail(f"인수로 받은 학습률 lr을 쓰지 않았습니다 (lr = {lr:g}인데 {other:g}로 갱신했습니다). "
                 f"x ← x − lr · ∇f(x). 첫 번째 갱신 {got_want(history[first], want[first], rtol, atol)}", "lr_ignored")
    if np.allclose(history[first:], history[-1]) and not np.allclose(want[first], want[-1]):
        fail("history의 모든 위치가 마지막 위치와 같습니다. x를 그 자리에서 바꾸면서(x -= ...) 같은 배열을 "
             "history에 넣었기 때문입니다. 기록할 때는 x.copy()를 넣으세요.", "history_aliasing")
    rows = ~np.all(np.isclose(history, want, rtol=rtol, atol=atol).reshape(len(want), -1), axis=1)
    i = int(np.argmax(rows))
    fail(f"{otherwise.format(i=i + offset)} {got_want(history[i], want[i], rtol, atol)}")


@points(3)
def test_update_rule(student, reference):
    """매 단계 x ← x − η∇f(x): 지나온 위치 전체가 참조 구현과 일치"""
    f = quadratic(421, 3)
    grad = gradient_of(f)
    init, lr, steps = np.array([1.0, -2.0, 0.5]), 0.05, 20
    paths = reference_paths(reference, f, init, lr, steps, grad)
    _, history, offset = unpack(run(student, f, init, lr, steps, grad=grad).value, init, steps)
    check_path(history, offset, paths)


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
    """반환한 x는 마지막 갱신 뒤의 위치 (history[-1]과 같음)"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init, lr = np.array([1.0, 2.0]), 0.2
    x, history, _ = unpack(run(student, f, init, lr, 7, grad=grad).value, init, 7)
    if np.allclose(x, history[-1], rtol=RTOL, atol=ATOL):
        return
    if len(history) == 7 and np.allclose(x, history[-1] - lr * 2 * history[-1], rtol=RTOL, atol=ATOL):
        return  # the last update is missing from history, not from x: test_history_starts_at_init says so
    fail(f"반환한 x가 history[-1]과 다릅니다 (x {num(x)}, history[-1] {num(history[-1])}). "
         "마지막 갱신까지 마친 x를 반환하세요.", "returned_x_not_last")


def path(call, steps):
    """The history of a side run of the student's own function, to compare two runs that must agree
    (None if the run failed or returned no history: the test that owns that reports it)."""
    value = side_value(lambda: _second(call()))
    return value if value is not None and value.ndim >= 1 and len(value) in (steps, steps + 1) else None


def _second(returned):
    return returned[1] if isinstance(returned, (tuple, list)) and len(returned) == 2 else None


def moves(history):
    return history is not None and len(history) > 1 and not np.allclose(history[1], history[0])


def same_as_own(got, own, what, mistake=""):
    """Fail unless the student's history ``got`` equals ``own`` (same shape), a run of theirs that must agree."""
    if not np.allclose(got, own, rtol=RTOL, atol=ATOL):
        rows = ~np.all(np.isclose(got, own, rtol=RTOL, atol=ATOL).reshape(len(got), -1), axis=1)
        i = int(np.argmax(rows))
        fail(f"{what} (history[{i}]: {got_want(got[i], own[i], RTOL, ATOL)})", mistake)


@points(2)
def test_matrix_start(student, reference):
    """시작 위치가 행렬(2×3)이어도 같은 모양으로, 같은 수의 벡터에서처럼 갱신"""
    f = quadratic(422, 6)
    grad = gradient_of(f)
    init = np.arange(6, dtype=float).reshape(2, 3) / 4
    paths = reference_paths(reference, f, init, 0.05, 6, grad)
    _, history, offset = unpack(run(student, f, init, 0.05, 6, grad=grad).value, init, 6)
    flat = path(lambda: run(student, f, init.ravel(), 0.05, 6, grad=grad).value, 6)
    if moves(flat) and flat.shape == (len(history), 6):
        same_as_own(history.reshape(len(history), -1), flat,
                    "행렬 모양의 시작 위치에서 지나온 위치가 같은 수를 벡터로 준 경우와 다릅니다. x의 모양과 상관없이 "
                    "x − lr · grad(x)를 배열 전체에 한 번에 계산하세요.")
        return
    check_path(history, offset, paths, otherwise="행렬 모양의 시작 위치에서 history[{i}]가 다릅니다.")


@points(2)
def test_default_uses_numerical_gradient(student, reference):
    """grad=None이면 numerical_gradient(f, x)로 기울기를 구함"""
    f, exact = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([-3.0, 4.0])
    paths = reference_paths(reference, f, init, 0.1, 10, exact)
    _, history, offset = unpack(run(student, f, init, 0.1, 10).value, init, 10)
    given = path(lambda: run(student, f, init, 0.1, 10, grad=exact).value, 10)
    if moves(given) and given.shape == history.shape:
        same_as_own(history, given, "grad를 주지 않으면(None) exercises/gradient.py의 numerical_gradient(f, x)로 "
                                    "기울기를 구해야 합니다: 정확한 기울기를 grad로 준 경우와 지나온 위치가 다릅니다.")
        return
    check_path(history, offset, paths, 1e-6, 1e-9,
               otherwise="grad를 주지 않으면(None) exercises/gradient.py의 numerical_gradient(f, x)로 "
                         "기울기를 구해야 합니다. history[{i}]가 다릅니다.")


@points(1)
def test_uses_given_grad(student, reference):
    """grad를 주면 f를 수치 미분하지 않고 grad(x)로 기울기를 구함"""
    f, bowl = probe("function_2"), quadratic(423, 2)
    init, lr, steps = np.array([1.5, -0.5]), 0.1, 8
    paths = reference_paths(reference, f, init, lr, steps, gradient_of(bowl))
    _, history, offset = unpack(run(student, f, init, lr, steps, grad=gradient_of(bowl)).value, init, steps)
    _, ignoring = reference.gradient_descent.gradient_descent(f, init, lr=lr, step_num=steps,
                                                             grad=probe("gradient_of", of="function_2"))
    if np.allclose(history, ignoring[offset:offset + len(history)], rtol=RTOL, atol=ATOL):
        fail("grad 인수를 쓰지 않았습니다: f를 수치 미분한 기울기로 갱신했습니다. grad를 주면 grad(x)로 기울기를 "
             "구하세요 (grad가 None일 때만 numerical_gradient(f, x)).", "grad_ignored")
    own = path(lambda: run(student, bowl, init, lr, steps).value, steps)  # grad=None on the function grad belongs to
    if moves(own) and own.shape == history.shape:
        same_as_own(history, own, "grad를 주면 grad(x)로 기울기를 구해야 합니다: grad가 기울기인 함수를 grad 없이 "
                                  "준 경우와 지나온 위치가 다릅니다.", "grad_ignored")
        return
    check_path(history, offset, paths, otherwise="grad를 주면 grad(x)로 기울기를 구해야 합니다. history[{i}]가 다릅니다.")


@points(1)
def test_default_lr_and_step_num(student, reference):
    """lr과 step_num을 주지 않으면 기본값 lr=0.01, step_num=100"""
    f, grad = probe("function_2"), probe("gradient_of", of="function_2")
    init = np.array([0.5, -1.5])
    _, want = reference.gradient_descent.gradient_descent(f, init, grad=grad)
    returned = student.gradient_descent.gradient_descent(f, init, grad=grad)
    own = side_value(lambda: _second(run(student, f, init, 0.01, 100, grad=grad).value))
    if own is not None and own.ndim >= 1 and moves(own):  # the student's own run with lr=0.01, step_num=100
        history = numbers(_second(returned), "gradient_descent", "history")
        if history.shape[:1] != own.shape[:1]:
            fail(f"step_num을 주지 않으면 기본값 100번 갱신해야 합니다 (history의 길이 {history.shape[:1]}, "
                 f"step_num=100을 준 경우 {own.shape[:1]}).")
        same_as_own(history, own, "lr을 주지 않으면 기본값 0.01을 써야 합니다: lr=0.01을 준 경우와 지나온 위치가 다릅니다.")
        return
    _, history, offset = unpack(returned, init, 100)
    expect_close(history, want[offset:offset + len(history)], RTOL, ATOL,
                 "기본값 lr=0.01, step_num=100으로 갱신한 위치와 다릅니다.")
