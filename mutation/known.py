"""Known beginner mistakes, made by editing the reference: what each costs, and where.

Each entry edits solutions/ the way a student might get one thing wrong and
names exactly the tests that must fail for it (test name -> a phrase its
message must contain). One mistake, one deduction: those are the tests of the
property the mistake breaks, the public example of that property included, and
no others. ``tests/test_mutants.py`` grades every entry; ``mutation.table``
turns the same grading into the README's table of how points fall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOSSES, GRADIENT, DESCENT, NET = "losses.py", "gradient.py", "gradient_descent.py", "two_layer_net.py"


@dataclass(frozen=True)
class KnownMistake:
    name: str  # an identifier (English)
    label: str  # Korean, for the README's table
    function: str
    file: str
    edits: list  # (old, new) texts of solutions/<file>
    fails: dict = field(default_factory=dict)  # test name -> phrase its message must contain: exactly these fail


SSE_ONE = "return float(0.5 * np.sum((y - t) ** 2))"
SSE_BATCH = "return float(0.5 * np.sum((y - t) ** 2) / batch_size)"
CEE_ONE_HOT = "return float(-np.sum(t * np.log(y + DELTA)) / batch_size)"
CEE_LABEL = "return float(-np.sum(np.log(picked + DELTA)) / batch_size)"
ND_BODY = "return (f(x + h) - f(x - h)) / (2 * h)"
GD_STEP = "x = x - lr * grad(x)"

KNOWN = [
    KnownMistake("sse without ½", "오차제곱합의 ½ 누락", "sum_squared_error", LOSSES,
                 [(SSE_ONE, "return float(np.sum((y - t) ** 2))"), (SSE_BATCH, "return float(np.sum((y - t) ** 2) / batch_size)")],
                 {"sse_textbook": "½", "sse_single_sample": "½"}),
    KnownMistake("sse summed over the batch", "오차제곱합: 배치 평균 대신 합", "sum_squared_error", LOSSES,
                 [(SSE_BATCH, "return float(0.5 * np.sum((y - t) ** 2))")], {"sse_batch_mean": "평균"}),
    KnownMistake("sse as np.mean of all elements", "오차제곱합: 모든 원소의 평균 (np.mean)", "sum_squared_error", LOSSES,
                 [(SSE_BATCH, "return float(np.mean((y - t) ** 2))")], {"sse_batch_mean": "np.mean"}),
    KnownMistake("cee without δ", "교차 엔트로피: δ 누락 (log 0)", "cross_entropy_error", LOSSES,
                 [(CEE_ONE_HOT, "return float(-np.sum(t * np.log(y)) / batch_size)"),
                  (CEE_LABEL, "return float(-np.sum(np.log(picked)) / batch_size)")],
                 {"cee_textbook": "δ", "cee_zero_probability_is_finite": "δ"}),
    KnownMistake("cee summed over the batch", "교차 엔트로피: 배치 평균 대신 합", "cross_entropy_error", LOSSES,
                 [(CEE_ONE_HOT, "return float(-np.sum(t * np.log(y + DELTA)))"),
                  (CEE_LABEL, "return float(-np.sum(np.log(picked + DELTA)))")],
                 {"cee_one_hot_batch_mean": "평균"}),
    KnownMistake("cee only for one-hot labels", "교차 엔트로피: 클래스 번호 정답을 다루지 않음", "cross_entropy_error", LOSSES,
                 [("    picked = y[np.arange(batch_size), t.astype(int)]", "    picked = np.sum(t * y, axis=1)")],
                 {"cee_label_single_sample": "클래스 번호", "cee_label_batch": ""}),
    KnownMistake("cee without the minus sign", "교차 엔트로피: 마이너스 부호 누락", "cross_entropy_error", LOSSES,
                 [(CEE_ONE_HOT, "return float(np.sum(t * np.log(y + DELTA)) / batch_size)"),
                  (CEE_LABEL, "return float(np.sum(np.log(picked + DELTA)) / batch_size)")],
                 {"cee_textbook": "마이너스", "cee_one_hot_single_sample": "마이너스"}),
    KnownMistake("forward difference", "numerical_diff: 전방 차분", "numerical_diff", GRADIENT,
                 [(ND_BODY, "return (f(x + h) - f(x)) / h")],
                 {"numerical_diff_textbook": "전방 차분", "numerical_diff_central_difference": "전방 차분"}),
    KnownMistake("h so small that rounding wipes it out", "numerical_diff: h 기본값 1e-50", "numerical_diff", GRADIENT,
                 [("def numerical_diff(f, x, h=1e-4):", "def numerical_diff(f, x, h=1e-50):")],
                 {"numerical_diff_textbook": "h가 너무 작으면", "numerical_diff_central_difference": "h가 너무 작으면"}),
    KnownMistake("ignores the h argument", "numerical_diff: 인수 h 무시", "numerical_diff", GRADIENT,
                 [(ND_BODY, "h = 1e-4\n    " + ND_BODY)], {"numerical_diff_uses_h": "h 인수를 무시"}),
    KnownMistake("divides by h instead of 2h", "numerical_diff: 2h 대신 h로 나눔", "numerical_diff", GRADIENT,
                 [(ND_BODY, "return (f(x + h) - f(x - h)) / h")], {"numerical_diff_textbook": "2h로 나눠야", "numerical_diff_central_difference": "2h로 나눠야"}),
    KnownMistake("gradient by forward difference", "numerical_gradient: 전방 차분", "numerical_gradient", GRADIENT,
                 [("        x[idx] = original - h\n        f_minus = f(x)\n", "        x[idx] = original\n        f_minus = f(x)\n"),
                  ("grad[idx] = (f_plus - f_minus) / (2 * h)", "grad[idx] = (f_plus - f_minus) / h")],
                 {"numerical_gradient_central_difference": "전방 차분", "numerical_gradient_textbook": "전방 차분"}),
    KnownMistake("x not restored", "numerical_gradient: x 복원 안 함", "numerical_gradient", GRADIENT,
                 [("        x[idx] = original  # 원래 값으로 되돌립니다.\n", "")],
                 {"numerical_gradient_restores_x": "원래 값으로 돌아오지"}),
    KnownMistake("works only for 1-D x", "numerical_gradient: 1차원 x만 처리", "numerical_gradient", GRADIENT,
                 [("for idx in np.ndindex(x.shape):", "for idx in range(x.size):")],
                 {"numerical_gradient_matrix": "np.ndindex", "numerical_gradient_any_shape": "np.ndindex"}),
    KnownMistake("perturbs a copy of x", "numerical_gradient: x의 복사본을 바꿈", "numerical_gradient", GRADIENT,
                 [("    grad = np.zeros_like(x, dtype=float)\n", "    grad = np.zeros_like(x, dtype=float)\n    x = x.copy()\n")],
                 {"numerical_gradient_shared_array": "복사본"}),
    KnownMistake("gradient with h = 1e-50", "numerical_gradient: h 기본값 1e-50", "numerical_gradient", GRADIENT,
                 [("def numerical_gradient(f, x, h=1e-4):", "def numerical_gradient(f, x, h=1e-50):")],
                 {"numerical_gradient_textbook": "h가 너무 작으면", "numerical_gradient_central_difference": "h가 너무 작으면"}),
    KnownMistake("gradient ignores the h argument", "numerical_gradient: 인수 h 무시", "numerical_gradient", GRADIENT,
                 [("    grad = np.zeros_like(x, dtype=float)\n", "    h = 1e-4\n    grad = np.zeros_like(x, dtype=float)\n")],
                 {"numerical_gradient_uses_h": "h 인수를 무시"}),
    KnownMistake("mutates init_x", "gradient_descent: init_x를 그대로 갱신", "gradient_descent", DESCENT,
                 [("x = np.array(init_x, dtype=float)", "x = init_x"), (GD_STEP, "x -= lr * grad(x)")],
                 {"init_x_unchanged": "init_x가 바뀌었습니다"}),
    KnownMistake("climbs instead of descending", "gradient_descent: 기울기 방향으로 이동", "gradient_descent", DESCENT,
                 [(GD_STEP, "x = x + lr * grad(x)")],
                 {"update_rule": "반대 방향", "gradient_descent_textbook": ""}),
    KnownMistake("history misses the starting point", "gradient_descent: history에 시작 위치 누락", "gradient_descent", DESCENT,
                 [("history = [x.copy()]", "history = []")], {"history_starts_at_init": "history[0]"}),
    KnownMistake("history holds one array many times", "gradient_descent: history에 같은 배열 (copy 누락)", "gradient_descent", DESCENT,
                 [(GD_STEP + "\n        history.append(x.copy())", "x -= lr * grad(x)\n        history.append(x)")],
                 {"update_rule": "x.copy()"}),
    KnownMistake("no numerical gradient when grad is None", "gradient_descent: grad=None을 처리하지 않음", "gradient_descent", DESCENT,
                 [("    if grad is None:\n        grad = lambda point: numerical_gradient(f, point)  # noqa: E731\n", "")],
                 {"default_uses_numerical_gradient": ""}),
    KnownMistake("ignores the learning rate", "gradient_descent: lr 대신 0.01", "gradient_descent", DESCENT,
                 [(GD_STEP, "x = x - 0.01 * grad(x)")], {"update_rule": "", "gradient_descent_textbook": ""}),
    KnownMistake("a slip in the update", "gradient_descent: 갱신량에 0.9를 곱함", "gradient_descent", DESCENT,
                 [(GD_STEP, "x = x - 0.9 * lr * grad(x)")],
                 {"update_rule": "history[1]가 다릅니다", "gradient_descent_textbook": ""}),
    KnownMistake("history recorded before each update", "gradient_descent: 갱신 전에만 기록 (마지막 위치 누락)",
                 "gradient_descent", DESCENT,
                 [("history = [x.copy()]", "history = []"),
                  (GD_STEP + "\n        history.append(x.copy())", "history.append(x.copy())\n        " + GD_STEP)],
                 {"history_starts_at_init": "마지막 위치"}),
    KnownMistake("ignores the grad argument", "gradient_descent: 인수 grad 무시", "gradient_descent", DESCENT,
                 [("    if grad is None:\n        grad = lambda point", "    grad = lambda point")],
                 {"uses_given_grad": "grad 인수"}),
    # --- two_layer_net ---
    KnownMistake("draws W2 before W1", "TwoLayerNet: W2를 먼저 뽑음", "__init__", NET,
                 [("        self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))\n",
             "        w2 = weight_init_std * rng.standard_normal((hidden_size, output_size))\n"
             "        self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))\n"),
                  ("        self.params['W2'] = weight_init_std * rng.standard_normal((hidden_size, output_size))",
             "        self.params['W2'] = w2")],
                 {"init_values_from_rng": "W1, W2 순서"}),
    KnownMistake("forgets the biases in predict", "predict: 편향 누락", "predict", NET,
                 [("        hidden = sigmoid(x @ W1 + b1)\n        return softmax(hidden @ W2 + b2)",
             "        hidden = sigmoid(x @ W1)\n        return softmax(hidden @ W2)")],
                 {"predict_batch": "편향", "predict_textbook": ""}),
    KnownMistake("softmax that overflows", "predict: 넘치는 소프트맥스", "predict", NET,
                 [("        return softmax(hidden @ W2 + b2)",
             "        a = np.exp(hidden @ W2 + b2)\n        return a / np.sum(a, axis=-1, keepdims=True)")],
                 {"predict_large_inputs": "오버플로"}),
    KnownMistake("loss summed over the batch", "loss: 배치 평균 대신 합", "loss", NET,
                 [("        return cross_entropy_error(y, t)",
             "        return cross_entropy_error(y, t) * (len(y) if np.ndim(y) == 2 else 1)")],
                 {"loss_uses_cross_entropy": "합"}),
    KnownMistake("accuracy without argmax of one-hot labels", "accuracy: 원-핫 정답을 argmax 하지 않음", "accuracy", NET,
                 [("        if t.ndim == y.ndim + 1:  # 원-핫이면 클래스 번호로\n            t = np.argmax(t, axis=-1)\n", "")],
                 {"accuracy_labels_and_one_hot": "np.argmax(t, axis=1)"}),
    KnownMistake("gradient of a copy of the parameters", "TwoLayerNet.numerical_gradient: 매개변수의 복사본", "TwoLayerNet.numerical_gradient", NET,
                 [("            grads[key] = numerical_gradient(loss_W, self.params[key])",
             "            grads[key] = numerical_gradient(loss_W, self.params[key].copy())")],
                 {"numerical_gradient_every_parameter": "복사본"}),
    KnownMistake("forgets the bias gradients", "TwoLayerNet.numerical_gradient: 편향의 기울기 누락", "TwoLayerNet.numerical_gradient", NET,
                 [("        for key in ('W1', 'b1', 'W2', 'b2'):\n            grads[key]", "        for key in ('W1', 'W2'):\n            grads[key]")],
                 {"numerical_gradient_every_parameter": "편향"}),
    KnownMistake("one array for every key (captured before the loop)", "TwoLayerNet.numerical_gradient: 다른 키의 기울기", "TwoLayerNet.numerical_gradient", NET,
                 [("            grads[key] = numerical_gradient(loss_W, self.params[key])",
             "            grads[key] = numerical_gradient(loss_W, self.params['W1' if key[0] == 'W' else 'b1'])")],
                 {"numerical_gradient_every_parameter": "기울기가 들어 있습니다"}),
    KnownMistake("samples the mini-batch once", "train: 미니배치를 한 번만 뽑음", "train", NET,
                 [("        rows = rng.choice(train_size, batch_size)\n", ""),
                  ("    for i in range(iters):\n", "    rows = rng.choice(train_size, batch_size)\n    for i in range(iters):\n")],
                 {"train_history": "미니배치"}),
    KnownMistake("never updates the biases", "train: 편향을 갱신하지 않음", "train", NET,
                 [("        for key in ('W1', 'b1', 'W2', 'b2'):\n            param = network.params[key]",
             "        for key in ('W1', 'W2'):\n            param = network.params[key]")],
                 {"train_updates_every_parameter": "편향"}),
    KnownMistake("records the loss before the update", "train: 갱신 전에 손실 기록", "train", NET,
                 [("        grads = network.numerical_gradient(x_batch, t_batch)\n",
             "        grads = network.numerical_gradient(x_batch, t_batch)\n        before = network.loss(x_batch, t_batch)\n"),
                  ("train_loss.append(network.loss(x_batch, t_batch))", "train_loss.append(before)")],
                 {"train_history": "갱신한 뒤"}),
    KnownMistake("no test_loss", "train: 시험 손실(test_loss)을 기록하지 않음", "train", NET,
                 [("        'test_loss': np.array(test_loss, dtype=float),\n", "")],
                 {"train_history": "'test_loss' 키가 없습니다"}),
]


