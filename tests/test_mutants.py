"""A catalogue of beginner mistakes, made by editing the reference.

Each mutant must lose points, only in the tests of the function it breaks,
and the tests it is known to break must say what went wrong.
"""

from dataclasses import dataclass, field

import pytest

from conftest import failing, make_submission

LOSSES, GRADIENT, DESCENT, NET = "losses.py", "gradient.py", "gradient_descent.py", "two_layer_net.py"
NET_METHODS = (("init_", "__init__"), ("predict_", "predict"), ("loss_", "loss"), ("accuracy_", "accuracy"),
               ("numerical_gradient_", "TwoLayerNet.numerical_gradient"), ("train_", "train"))


def function_of(test_name: str, exercise: str) -> str:
    """Which student function a test grades (by the suites' naming convention)."""
    if exercise == "gradient_descent":
        return "gradient_descent"
    if exercise == "two_layer_net":
        return next(method for prefix, method in NET_METHODS if test_name.startswith(prefix))
    for prefix, function in (("sse_", "sum_squared_error"), ("cee_", "cross_entropy_error"),
                             ("numerical_diff_", "numerical_diff"), ("numerical_gradient_", "numerical_gradient")):
        if test_name.startswith(prefix):
            return function
    raise AssertionError(f"test {test_name} does not say which function it grades")


@dataclass
class Mutant:
    name: str
    function: str
    file: str
    edits: list
    must_fail: dict = field(default_factory=dict)  # test name -> phrase its message must contain


SSE_ONE = "return float(0.5 * np.sum((y - t) ** 2))"
SSE_BATCH = "return float(0.5 * np.sum((y - t) ** 2) / batch_size)"
CEE_ONE_HOT = "return float(-np.sum(t * np.log(y + DELTA)) / batch_size)"
CEE_LABEL = "return float(-np.sum(np.log(picked + DELTA)) / batch_size)"
ND_BODY = "return (f(x + h) - f(x - h)) / (2 * h)"
GD_STEP = "x = x - lr * grad(x)"

MUTANTS = [
    Mutant("sse without ½", "sum_squared_error", LOSSES,
           [(SSE_ONE, "return float(np.sum((y - t) ** 2))"), (SSE_BATCH, "return float(np.sum((y - t) ** 2) / batch_size)")],
           {"sse_textbook": "½", "sse_single_sample": "½", "sse_batch_mean": "½"}),
    Mutant("sse summed over the batch", "sum_squared_error", LOSSES,
           [(SSE_BATCH, "return float(0.5 * np.sum((y - t) ** 2))")], {"sse_batch_mean": "평균"}),
    Mutant("sse as np.mean of all elements", "sum_squared_error", LOSSES,
           [(SSE_BATCH, "return float(np.mean((y - t) ** 2))")], {"sse_batch_mean": "np.mean"}),
    Mutant("cee without δ", "cross_entropy_error", LOSSES,
           [(CEE_ONE_HOT, "return float(-np.sum(t * np.log(y)) / batch_size)"),
            (CEE_LABEL, "return float(-np.sum(np.log(picked)) / batch_size)")],
           {"cee_zero_probability_is_finite": "δ"}),
    Mutant("cee summed over the batch", "cross_entropy_error", LOSSES,
           [(CEE_ONE_HOT, "return float(-np.sum(t * np.log(y + DELTA)))"),
            (CEE_LABEL, "return float(-np.sum(np.log(picked + DELTA)))")],
           {"cee_one_hot_batch_mean": "평균", "cee_label_batch": "평균"}),
    Mutant("cee only for one-hot labels", "cross_entropy_error", LOSSES,
           [("    picked = y[np.arange(batch_size), t.astype(int)]", "    picked = np.sum(t * y, axis=1)")],
           {"cee_label_single_sample": "클래스 번호", "cee_label_batch": ""}),
    Mutant("cee without the minus sign", "cross_entropy_error", LOSSES,
           [(CEE_ONE_HOT, "return float(np.sum(t * np.log(y + DELTA)) / batch_size)"),
            (CEE_LABEL, "return float(np.sum(np.log(picked + DELTA)) / batch_size)")],
           {"cee_textbook": "마이너스", "cee_one_hot_batch_mean": "마이너스"}),
    Mutant("forward difference", "numerical_diff", GRADIENT,
           [(ND_BODY, "return (f(x + h) - f(x)) / h")],
           {"numerical_diff_textbook": "전방 차분", "numerical_diff_central_difference": "전방 차분"}),
    Mutant("h so small that rounding wipes it out", "numerical_diff", GRADIENT,
           [("def numerical_diff(f, x, h=1e-4):", "def numerical_diff(f, x, h=1e-50):")],
           {"numerical_diff_textbook": "h가 너무 작으면", "numerical_diff_central_difference": "h가 너무 작으면"}),
    Mutant("ignores the h argument", "numerical_diff", GRADIENT,
           [(ND_BODY, "h = 1e-4\n    " + ND_BODY)], {"numerical_diff_uses_h": "h 인수를 무시"}),
    Mutant("divides by h instead of 2h", "numerical_diff", GRADIENT,
           [(ND_BODY, "return (f(x + h) - f(x - h)) / h")], {"numerical_diff_central_difference": "2h로 나눠야"}),
    Mutant("gradient by forward difference", "numerical_gradient", GRADIENT,
           [("        x[idx] = original - h\n        f_minus = f(x)\n", "        x[idx] = original\n        f_minus = f(x)\n"),
            ("grad[idx] = (f_plus - f_minus) / (2 * h)", "grad[idx] = (f_plus - f_minus) / h")],
           {"numerical_gradient_central_difference": "전방 차분", "numerical_gradient_textbook": "전방 차분"}),
    Mutant("x not restored", "numerical_gradient", GRADIENT,
           [("        x[idx] = original  # 원래 값으로 되돌립니다.\n", "")],
           {"numerical_gradient_restores_x": "원래 값으로 돌아오지"}),
    Mutant("works only for 1-D x", "numerical_gradient", GRADIENT,
           [("for idx in np.ndindex(x.shape):", "for idx in range(x.size):")],
           {"numerical_gradient_matrix": "np.ndindex", "numerical_gradient_any_shape": "np.ndindex"}),
    Mutant("perturbs a copy of x", "numerical_gradient", GRADIENT,
           [("    grad = np.zeros_like(x, dtype=float)\n", "    grad = np.zeros_like(x, dtype=float)\n    x = x.copy()\n")],
           {"numerical_gradient_shared_array": "복사본"}),
    Mutant("gradient with h = 1e-50", "numerical_gradient", GRADIENT,
           [("def numerical_gradient(f, x, h=1e-4):", "def numerical_gradient(f, x, h=1e-50):")],
           {"numerical_gradient_textbook": "h가 너무 작으면", "numerical_gradient_central_difference": "h가 너무 작으면"}),
    Mutant("mutates init_x", "gradient_descent", DESCENT,
           [("x = np.array(init_x, dtype=float)", "x = init_x"), (GD_STEP, "x -= lr * grad(x)")],
           {"init_x_unchanged": "init_x가 바뀌었습니다"}),
    Mutant("climbs instead of descending", "gradient_descent", DESCENT,
           [(GD_STEP, "x = x + lr * grad(x)")],
           {"update_rule": "반대 방향", "gradient_descent_textbook": ""}),
    Mutant("history misses the starting point", "gradient_descent", DESCENT,
           [("history = [x.copy()]", "history = []")], {"history_starts_at_init": "history[0]"}),
    Mutant("history holds one array many times", "gradient_descent", DESCENT,
           [(GD_STEP + "\n        history.append(x.copy())", "x -= lr * grad(x)\n        history.append(x)")],
           {"update_rule": "x.copy()"}),
    Mutant("no numerical gradient when grad is None", "gradient_descent", DESCENT,
           [("    if grad is None:\n        grad = lambda point: numerical_gradient(f, point)  # noqa: E731\n", "")],
           {"default_uses_numerical_gradient": ""}),
    Mutant("ignores the learning rate", "gradient_descent", DESCENT,
           [(GD_STEP, "x = x - 0.01 * grad(x)")], {"update_rule": "", "gradient_descent_textbook": ""}),
    # --- two_layer_net ---
    Mutant("draws W2 before W1", "__init__", NET,
           [("        self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))\n",
             "        w2 = weight_init_std * rng.standard_normal((hidden_size, output_size))\n"
             "        self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))\n"),
            ("        self.params['W2'] = weight_init_std * rng.standard_normal((hidden_size, output_size))",
             "        self.params['W2'] = w2")],
           {"init_values_from_rng": "W1, W2 순서"}),
    Mutant("forgets the biases in predict", "predict", NET,
           [("        hidden = sigmoid(x @ W1 + b1)\n        return softmax(hidden @ W2 + b2)",
             "        hidden = sigmoid(x @ W1)\n        return softmax(hidden @ W2)")],
           {"predict_batch": "편향", "predict_textbook": ""}),
    Mutant("softmax that overflows", "predict", NET,
           [("        return softmax(hidden @ W2 + b2)",
             "        a = np.exp(hidden @ W2 + b2)\n        return a / np.sum(a, axis=-1, keepdims=True)")],
           {"predict_large_inputs": "오버플로"}),
    Mutant("loss summed over the batch", "loss", NET,
           [("        return cross_entropy_error(y, t)",
             "        return cross_entropy_error(y, t) * (len(y) if np.ndim(y) == 2 else 1)")],
           {"loss_uses_cross_entropy": "합"}),
    Mutant("accuracy without argmax of one-hot labels", "accuracy", NET,
           [("        if t.ndim == y.ndim + 1:  # 원-핫이면 클래스 번호로\n            t = np.argmax(t, axis=-1)\n", "")],
           {"accuracy_labels_and_one_hot": "np.argmax(t, axis=1)"}),
    Mutant("gradient of a copy of the parameters", "TwoLayerNet.numerical_gradient", NET,
           [("            grads[key] = numerical_gradient(loss_W, self.params[key])",
             "            grads[key] = numerical_gradient(loss_W, self.params[key].copy())")],
           {"numerical_gradient_every_parameter": "복사본"}),
    Mutant("forgets the bias gradients", "TwoLayerNet.numerical_gradient", NET,
           [("        for key in ('W1', 'b1', 'W2', 'b2'):\n            grads[key]", "        for key in ('W1', 'W2'):\n            grads[key]")],
           {"numerical_gradient_every_parameter": "편향"}),
    Mutant("one array for every key (captured before the loop)", "TwoLayerNet.numerical_gradient", NET,
           [("            grads[key] = numerical_gradient(loss_W, self.params[key])",
             "            grads[key] = numerical_gradient(loss_W, self.params['W1' if key[0] == 'W' else 'b1'])")],
           {"numerical_gradient_every_parameter": "기울기가 들어 있습니다"}),
    Mutant("samples the mini-batch once", "train", NET,
           [("        rows = rng.choice(train_size, batch_size)\n", ""),
            ("    for i in range(iters):\n", "    rows = rng.choice(train_size, batch_size)\n    for i in range(iters):\n")],
           {"train_history": "미니배치"}),
    Mutant("never updates the biases", "train", NET,
           [("        for key in ('W1', 'b1', 'W2', 'b2'):\n            param = network.params[key]",
             "        for key in ('W1', 'W2'):\n            param = network.params[key]")],
           {"train_updates_every_parameter": "편향"}),
    Mutant("records the loss before the update", "train", NET,
           [("        grads = network.numerical_gradient(x_batch, t_batch)\n",
             "        grads = network.numerical_gradient(x_batch, t_batch)\n        before = network.loss(x_batch, t_batch)\n"),
            ("train_loss.append(network.loss(x_batch, t_batch))", "train_loss.append(before)")],
           {"train_history": "갱신한 뒤"}),
]


def test_catalogue_is_big_enough():
    assert len(MUTANTS) >= 15
    assert {m.function for m in MUTANTS} == {"sum_squared_error", "cross_entropy_error", "numerical_diff",
                                             "numerical_gradient", "gradient_descent", "__init__", "predict",
                                             "loss", "accuracy", "TwoLayerNet.numerical_gradient", "train"}


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_loses_points_only_in_its_own_function(grader, tmp_path, mutant):
    result = grader.grade(make_submission(tmp_path, replace={mutant.file: mutant.edits}))
    lost = failing(result)
    assert result.score < 100, "the mutant went undetected"
    owners = {name: function_of(name, ex.name) for ex in result.exercises for t in ex.tests
              for name in [t.name]}
    assert {owners[name] for name in lost} == {mutant.function}, f"points lost elsewhere: {sorted(lost)}"
    for name, phrase in mutant.must_fail.items():
        assert name in lost, f"{name} should fail for this mistake"
        assert phrase in lost[name].message, lost[name].message
