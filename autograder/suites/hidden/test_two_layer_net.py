"""숨은 테스트: 2층 신경망과 미니배치 학습 (two_layer_net).

Every method is graded on its own: the network is the student's class given
fixed parameters, and the methods a test does not grade are replaced by
probe methods with known behaviour (a fixed output, a known loss and its
exact gradient). While this exercise is graded, ``exercises/losses.py`` and
``exercises/gradient.py`` are the grader's stand-ins (suites/standins/), so
mistakes in the earlier exercises never cost points here.

Tolerances: predict rtol 1e-9 (rounding only). Gradients rtol 1e-6, atol
1e-8: the stand-in differentiates the quadratic probe loss exactly up to
rounding (~1e-10). Training rtol 1e-9: every mistake below changes the path
by far more.
"""

import numpy as np

from ...protocol import StudentCodeError
from ...protocol.instances import data_shift, quadratic_gradient
from ..netcases import SIZES, blank_net, fixed_output, labels, net, params, probabilities, sample
from ..own import side_value
from ..support import as_array, as_float, expect_close, fail, got_want, num, numbers, points, rng

KEYS = ("W1", "b1", "W2", "b2")
TRAIN_ORDER = ("train_loss", "train_acc", "test_acc", "test_loss")
TRAIN = set(TRAIN_ORDER)


INIT_SIZES = (6, 5, 3)  # not the public test's sizes: the sizes must come from the arguments
PUBLIC_SHAPES = {"W1": SIZES[:2], "b1": SIZES[1:2], "W2": SIZES[1:], "b2": SIZES[2:]}


def initial_params(backend, **kwargs):
    result = backend.two_layer_net.TwoLayerNet.method("__init__").run(blank_net(), *INIT_SIZES, **kwargs)
    return result.instances_after.get(0) or {}


@points(2)
def test_init_values_from_rng(student, reference):
    """같은 rng면 참조 구현과 같은 초기 가중치 (W1 먼저, 그다음 W2; weight_init_std 적용, 기본값 0.01)"""
    for std in (0.5, None):
        options = {"rng": rng(21)} | ({"weight_init_std": std} if std is not None else {})
        params_got, want = initial_params(student, **options), initial_params(reference, **options)
        for key in KEYS:
            if key not in params_got or params_got[key] is None:
                fail(f"self.params에 '{key}' 키가 없습니다.")
        again = initial_params(student, **options).get("W1")
        if again is None or np.shape(again) != np.shape(params_got["W1"]) or not np.array_equal(again, params_got["W1"]):
            fail("같은 상태의 rng를 주었는데 W1이 매번 다릅니다: 인수 rng를 쓰지 않고 np.random(전역 난수)으로 "
                 "뽑았기 때문입니다. rng.standard_normal로 뽑으세요 (rng가 None일 때만 np.random.default_rng()).",
                 "rng_ignored")
        std = 0.01 if std is None else std
        draws = np.random.default_rng(21)  # what W1 becomes when W2 is drawn first
        draws.standard_normal(INIT_SIZES[1:])
        w2_first = std * draws.standard_normal(INIT_SIZES[:2])
        if params_got["W1"].shape == w2_first.shape and np.allclose(params_got["W1"], w2_first):
            fail("W2를 W1보다 먼저 뽑았습니다. rng.standard_normal을 W1, W2 순서로 부르세요.", "init_order")
        if std != 0.01 and params_got["W1"].shape == want["W1"].shape and np.allclose(params_got["W1"],
                                                                                       want["W1"] / std * 0.01):
            fail("weight_init_std 인수를 쓰지 않았습니다. 가중치에 weight_init_std를 곱하세요.", "weight_init_std_ignored")
        for key in KEYS:
            shape = np.shape(params_got[key])
            if shape != want[key].shape:
                fixed = shape == PUBLIC_SHAPES[key]  # the public test's sizes, whatever the arguments
                fail(f"TwoLayerNet{INIT_SIZES}의 params['{key}'] 모양은 {want[key].shape}이어야 합니다 (만든 배열의 모양 "
                     f"{shape})." + (" 모양은 인수 input_size, hidden_size, output_size로 정하세요." if fixed else ""))
            expect_close(params_got[key], want[key], 1e-12, 1e-15,
                         f"params['{key}']의 초깃값이 다릅니다 (weight_init_std={std:g}). 매개변수는 docstring에 적힌 방법과 "
                         "순서로 만드세요: 같은 rng에서 W1, W2 순서로 rng.standard_normal을 부르고 weight_init_std를 곱합니다.")


@points(2)
def test_predict_batch(student, reference):
    """배치 5개에 대한 predict 값 (시그모이드 → 소프트맥스)"""
    network, x = net(31), sample(32, 5)
    got = as_array(student.two_layer_net.TwoLayerNet.predict(network, x), (5, SIZES[2]), "predict")
    want = reference.two_layer_net.TwoLayerNet.predict(network, x)
    if np.allclose(got.sum(axis=1), 1.0) and not np.allclose(got, want, rtol=1e-6):
        fail(f"확률의 합은 1이지만 값이 다릅니다. 은닉층에 시그모이드, 출력층에 소프트맥스를 쓰고 편향 b1, b2를 "
             f"더했는지 확인하세요. {got_want(got, want, 1e-9)}", "predict_layers")
    expect_close(got, want, 1e-9, 1e-12, "predict의 출력이 다릅니다. x @ W1 + b1 → sigmoid → @ W2 + b2 → softmax.")


@points(2)
def test_predict_large_inputs(student, reference):
    """큰 입력에서도 오버플로 없이 유한한 확률 (소프트맥스는 최댓값을 빼고 계산)"""
    network, x = net(41, scale=400.0), sample(42, 4)
    got = as_array(student.two_layer_net.TwoLayerNet.predict(network, x), (4, SIZES[2]), "predict")
    if not np.all(np.isfinite(got)):
        fail("큰 값에서 predict가 nan/inf를 돌려줍니다. 소프트맥스에서 exp가 넘쳤습니다(오버플로). "
             "제공된 exercises/functions.py의 softmax를 쓰세요 (최댓값을 빼고 exp를 계산합니다). "
             f"(반환값 {num(got)})", "softmax_overflow")
    want = reference.two_layer_net.TwoLayerNet.predict(network, x)
    normal, small = net(31), sample(32, 5)  # the layers themselves: test_predict_batch
    own = side_value(lambda: student.two_layer_net.TwoLayerNet.predict(normal, small))
    if own is not None and own.shape == (5, SIZES[2]) and not np.allclose(
            own, reference.two_layer_net.TwoLayerNet.predict(normal, small), rtol=1e-9, atol=1e-12):
        expect_close(got.sum(axis=1), np.ones(len(x)), 1e-9, 1e-12, "큰 입력에서도 확률의 합이 1이어야 합니다.")
        return
    expect_close(got, want, 1e-9, 1e-12, "큰 입력에서의 predict 값이 다릅니다.")


@points(2)
def test_loss_uses_cross_entropy(student, reference):
    """loss는 predict의 출력과 정답의 교차 엔트로피 오차 (배치 평균, 레이블과 원-핫)"""
    y, t = probabilities(51, 3), labels(52, 3)
    x = sample(54, 3)
    network = net(53, predict=fixed_output(y, x))
    for answer in (t, np.eye(SIZES[2])[t]):
        got = as_float(student.two_layer_net.TwoLayerNet.loss(network, x, answer), "loss")
        want = reference.losses.cross_entropy_error(y, answer)
        if np.isclose(got, 3 * want, rtol=1e-6):
            fail(f"손실이 배치 평균이 아니라 합입니다. 배치 크기 N(3)으로 나누세요 (cross_entropy_error를 쓰면 됩니다). "
                 f"{got_want(got, want)}", "batch_sum_not_mean")
        expect_close(got, want, 1e-6, 1e-12, "loss는 받은 x와 t로 cross_entropy_error(self.predict(x), t) 여야 합니다.")


@points(2)
def test_accuracy_labels_and_one_hot(student, reference):
    """정확도: 예측의 argmax와 정답 비교 (정답이 원-핫이면 argmax로 바꿔서)"""
    y, t = probabilities(61, 8), labels(62, 8)
    x = sample(64, 8)
    network = net(63, predict=fixed_output(y, x))
    want = reference.two_layer_net.TwoLayerNet.accuracy(network, x, t)
    one_hot = np.eye(SIZES[2])[t]
    try:
        got = as_float(student.two_layer_net.TwoLayerNet.accuracy(network, x, t), "accuracy")
    except StudentCodeError as exc:
        if side_value(lambda: student.two_layer_net.TwoLayerNet.accuracy(network, x, one_hot)) is None:
            raise
        fail("정답이 클래스 번호(정수 배열)일 때 오류가 났습니다: 원-핫 정답만 받도록 t를 늘 argmax 했기 때문입니다. "
             "t가 예측보다 차원이 하나 많을 때(원-핫)만 np.argmax(t, axis=1)로 바꾸고, 클래스 번호는 그대로 "
             f"비교하세요 (오류 {exc.kind}: {exc.message})", "accuracy_labels")
    expect_close(got, want, 1e-12, 1e-12, "정확도는 받은 x와 t로 구한 (argmax(predict(x)) == t)인 데이터의 비율입니다.")
    hint = "정답이 원-핫이면 np.argmax(t, axis=1)로 클래스 번호로 바꾼 뒤 비교해야 합니다."
    try:
        got = as_float(student.two_layer_net.TwoLayerNet.accuracy(network, x, one_hot), "accuracy")
    except StudentCodeError as exc:
        fail(f"{hint} (원-핫 정답에서 오류 {exc.kind}: {exc.message})", "accuracy_one_hot")
    if not np.isclose(got, want):
        fail(f"{hint} {got_want(got, want)}", "accuracy_one_hot")


def quadratic_net(seed):
    base = params(seed)
    rng_ = np.random.default_rng(seed + 1)
    centres = {k: rng_.normal(size=v.shape) for k, v in base.items()}
    weights = {k: rng_.uniform(0.5, 2.0, size=v.shape) for k, v in base.items()}
    return base, centres, weights, net(seed, loss={"method": "quadratic_loss", "centres": centres, "weights": weights})


@points(3)
def test_numerical_gradient_every_parameter(student, reference):
    """numerical_gradient(x, t): W1, b1, W2, b2 각각의 기울기 (loss_W와 self.params 자체를 넘김)"""
    base, centres, weights, network = quadratic_net(71)
    x, t = sample(72, 3), labels(73, 3)
    grads = student.two_layer_net.TwoLayerNet.numerical_gradient(network, x, t)
    if not isinstance(grads, dict):
        fail(f"numerical_gradient는 키 W1, b1, W2, b2의 딕셔너리를 반환해야 합니다 (반환값의 자료형 {type(grads).__name__}).")
    want = quadratic_gradient(base, centres, weights, data_shift(x, t))
    missing = [k for k in KEYS if k not in grads]
    if missing:
        fail(f"기울기 딕셔너리에 {', '.join(missing)} 키가 없습니다. "
             + ("편향 b1, b2의 기울기도 구해야 합니다." if set(missing) <= {"b1", "b2"} else "네 매개변수를 모두 구하세요."))
    for key in KEYS:
        shape = np.shape(numbers(grads[key], "numerical_gradient", f"grads['{key}']"))
        other = [k for k in KEYS if k != key and want[k].shape == shape != want[key].shape]
        if other:
            fail(f"grads['{key}']에 {other[0]}의 기울기가 들어 있습니다 (모양 {shape}). 키마다 그 키의 "
                 "self.params[key]를 numerical_gradient에 넘기세요.", "gradient_wrong_key")
        got = as_array(grads[key], want[key].shape, f"numerical_gradient의 grads['{key}']")
        if np.allclose(got, 0) and not np.allclose(want[key], 0):
            fail(f"grads['{key}']의 원소가 모두 0입니다. 매개변수의 복사본을 numerical_gradient에 넘겼기 때문입니다. loss_W는 "
                 f"self.params를 읽으므로 self.params['{key}'] 배열 자체를 넘기세요. {got_want(got, want[key], 1e-6)}", "gradient_of_copy")
        other = [k for k in KEYS if k != key and want[k].shape == got.shape and np.allclose(got, want[k], rtol=1e-6)]
        if other and not np.allclose(got, want[key], rtol=1e-6, atol=1e-8):
            fail(f"grads['{key}']에 {other[0]}의 기울기가 들어 있습니다. 키마다 그 키의 self.params[key]를 넘기세요.", "gradient_wrong_key")
        expect_close(got, want[key], 1e-6, 1e-8, f"grads['{key}']의 값이 다릅니다. 손실은 받은 x와 t로 구하세요: "
                     "loss_W = lambda W: self.loss(x, t).")


@points(1)
def test_numerical_gradient_keeps_params(student, reference):
    """numerical_gradient가 끝나면 매개변수는 원래 값 그대로"""
    base, _, _, network = quadratic_net(81)
    result = student.two_layer_net.TwoLayerNet.numerical_gradient.run(network, sample(82, 3), labels(83, 3))
    after = result.args_after[0] or {}
    for key in KEYS:
        if key in after and not np.allclose(after[key], base[key], rtol=1e-12, atol=1e-15):
            fail(f"numerical_gradient가 끝난 뒤 self.params['{key}']의 값이 바뀌었습니다. 기울기만 구하고 매개변수는 "
                 "그대로 두세요.", "params_not_restored")


def train_case(student_or_reference, same_rows=False, train_rows=14, iters=7, gradient="batch_gradient"):
    """Train a network whose gradient, loss and accuracy are probes on tiny data.

    ``same_rows``: every training row (and answer) is the same, so which rows a
    mini-batch picks does not matter (for judging the update alone);
    ``gradient="zero_gradient"``: the parameters never move, so how they are
    updated does not matter (for judging the mini-batches and the history alone).
    """
    overrides = {"numerical_gradient": {"method": gradient}, "loss": {"method": "batch_loss"},
                 "accuracy": {"method": "batch_accuracy"}}
    network = net(91, scale=0.3, **overrides)
    x_train, t_train = sample(92, train_rows), labels(93, train_rows)
    if same_rows:
        x_train, t_train = np.repeat(x_train[:1], train_rows, axis=0), np.repeat(t_train[:1], train_rows)
    data = (x_train, t_train, sample(94, 6), labels(95, 6))
    return network, student_or_reference.two_layer_net.train.run(network, *data, iters=iters, batch_size=4, lr=0.05,
                                                                 rng=rng(96))


def _batches(result):
    return next((p["batches"] for p in result.probes if p.get("name") == "numerical_gradient"), None)


def history_problems(got, want):
    """What differs between two runs of train: each a sentence (empty if nothing). Values are compared
    only where the mini-batches are right (the probe's record of them only words the message: the values,
    which the grader sees, decide)."""
    value, wanted = got.value, want.value
    if not isinstance(value, dict):
        return ["train은 'train_loss', 'train_acc', 'test_acc', 'test_loss' 키의 딕셔너리를 반환해야 합니다."]
    problems = []
    sampled_right = _batches(got) is None or _batches(got) == _batches(want)
    if not sampled_right:
        problems.append("미니배치를 잘못 골랐습니다. 반복마다 rng.choice(train_size, batch_size)로 새 번호를 뽑아 "
                        "x_train과 t_train에서 같은 행을 고르세요.")
    problems += [f"'{key}' 키가 없습니다: 에폭마다 {'시험 데이터 손실' if key == 'test_loss' else '값'}도 기록해 "
                 "돌려주세요." for key in TRAIN_ORDER if key not in value]
    lengths, values = [], []
    for key in TRAIN_ORDER:
        if key not in value:
            continue
        history, expected = numbers(value[key], "train", f"'{key}'"), np.asarray(wanted[key])
        if history.shape != expected.shape:
            lengths.append(f"'{key}' (기댓값 {expected.shape}, 반환값 {history.shape})")
            if key == "train_loss":
                problems.append(f"'train_loss'의 길이가 다릅니다 (기댓값 {expected.shape}, 반환값 {history.shape}). "
                                "반복마다 하나씩 기록하세요.")
        elif sampled_right and not np.allclose(history, expected, rtol=1e-9, atol=1e-12):
            values.append(f"'{key}'가 다릅니다." + (" 손실은 매개변수를 갱신한 뒤에 구합니다." if key == "train_loss" else
                                                "") + f" {got_want(history, expected, 1e-9, 1e-12)}")
    epoch = [entry for entry in lengths if not entry.startswith("'train_loss'")]
    if epoch:
        problems.append(f"에폭마다 기록한 값의 개수가 다릅니다: {', '.join(epoch)}. iter_per_epoch는 "
                        "max(train_size // batch_size, 1) (정수 나눗셈)로 두고 i % iter_per_epoch == 0 일 때"
                        "(i = 0 포함) 기록하세요.")
    problems += values
    return problems


def update_is_right(student, reference):
    """Whether the student's train ends with the reference's parameters when the mini-batch does not matter."""
    try:
        _, got = train_case(student, same_rows=True)
    except StudentCodeError:
        return False
    _, want = train_case(reference, same_rows=True)
    after = got.args_after[0] or {}
    return all(key in after and np.allclose(after[key], want.args_after[0][key], rtol=1e-9, atol=1e-12) for key in KEYS)


@points(2)
def test_train_history(student, reference):
    """train: 반복마다 미니배치를 새로 뽑고, 갱신 뒤의 손실과 에폭마다의 정확도·시험 손실을 기록"""
    problems = []
    # a wrong update (its own test) is judged on a network it cannot move: the history is still compared
    gradient = "batch_gradient" if update_is_right(student, reference) else "zero_gradient"
    for rows, iters in ((14, 7), (3, 3)):  # 14 // 4 = 3 updates per epoch; 3 rows < batch_size: every update
        _, got = train_case(student, train_rows=rows, iters=iters, gradient=gradient)
        _, want = train_case(reference, train_rows=rows, iters=iters, gradient=gradient)
        for problem in history_problems(got, want):  # each kind of problem once
            if not any(problem.split(" (")[0].split(".")[0] == seen.split(" (")[0].split(".")[0] for seen in problems):
                problems.append(problem)
    if any(p.startswith("미니배치") for p in problems):
        fail(" ".join(problems), "minibatch_sampling")
    if problems:
        fail(" ".join(problems))


@points(2)
def test_train_updates_every_parameter(student, reference):
    """train: W1, b1, W2, b2를 모두 lr × 기울기만큼 그 자리에서 갱신"""
    network, got = train_case(student, same_rows=True)
    _, want = train_case(reference, same_rows=True)
    after, reported, final = got.args_after[0] or {}, got.instances_after.get(0) or {}, want.args_after[0]
    start = network["params"]
    for key in KEYS:
        if key in after and np.allclose(after[key], start[key]) and not np.allclose(final[key], start[key]):
            if key in reported and np.allclose(reported[key], final[key], rtol=1e-9):
                fail(f"params['{key}']에 새 배열을 넣었습니다. network.params[key] -= lr * grads[key]처럼 그 자리에서 "
                     "갱신하세요.", "params_replaced")
            fail(f"params['{key}']의 값이 갱신되지 않았습니다. " + ("편향 b1, b2도 갱신해야 합니다." if key[0] == "b"
                                                         else "네 매개변수를 모두 갱신하세요."), "params_not_updated")
        expect_close(after.get(key), final[key], 1e-9, 1e-12, f"학습이 끝난 뒤 params['{key}']의 값이 다릅니다 "
                     "(반복마다 params[key] -= lr * grads[key]).")
