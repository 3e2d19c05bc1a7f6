"""One wrong submission per catalogued mistake: the reference with the mistake put in.

Each example is ``(mistake key, exercise, edits)``; ``edits`` are ``(old, new)``
replacements in ``solutions/<exercise>.py`` (each ``old`` must occur). The site's
«자주 하는 실수» tables (hooks/mistake_tables.py) grade every example with the real
suites and quote what the grader says about it; an example that no longer makes
the grader name its mistake stops the build. A key may have examples on several
exercise pages; together the examples cover the whole catalogue.
"""

from __future__ import annotations

SSE_ONE = "return float(0.5 * np.sum((y - t) ** 2))"
SSE_BATCH = "return float(0.5 * np.sum((y - t) ** 2) / batch_size)"
CEE_ONE_HOT = "return float(-np.sum(t * np.log(y + DELTA)) / batch_size)"
CEE_LABEL = "return float(-np.sum(np.log(picked + DELTA)) / batch_size)"
DIFF = "return (f(x + h) - f(x - h)) / (2 * h)"
GD_STEP = "x = x - lr * grad(x)"
INIT_W1 = "self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))"
INIT_W2 = "self.params['W2'] = weight_init_std * rng.standard_normal((hidden_size, output_size))"
UPDATE = "param -= lr * grads[key]"

EXAMPLES = [
    # losses
    ("sse_without_half", "losses", [(SSE_ONE, "return float(np.sum((y - t) ** 2))"),
                                    (SSE_BATCH, "return float(np.sum((y - t) ** 2) / batch_size)")]),
    ("batch_sum_not_mean", "losses", [(SSE_BATCH, "return float(0.5 * np.sum((y - t) ** 2))")]),
    ("mean_over_all_elements", "losses", [(SSE_BATCH, "return float(np.mean((y - t) ** 2))")]),
    ("missing_minus", "losses", [(CEE_ONE_HOT, "return float(np.sum(t * np.log(y + DELTA)) / batch_size)"),
                                 (CEE_LABEL, "return float(np.sum(np.log(picked + DELTA)) / batch_size)")]),
    ("log_of_zero", "losses", [(CEE_ONE_HOT, "return float(-np.sum(t * np.log(y)) / batch_size)"),
                               (CEE_LABEL, "return float(-np.sum(np.log(picked)) / batch_size)")]),
    ("labels_not_supported", "losses", [(CEE_LABEL, "return float(-np.sum(t * np.log(y + DELTA)) / batch_size)")]),
    ("array_not_scalar", "losses", [(SSE_BATCH, "return 0.5 * np.sum((y - t) ** 2, axis=1)")]),
    ("no_return", "losses", [(SSE_ONE, "0.5 * np.sum((y - t) ** 2)"), (SSE_BATCH, "pass")]),
    # gradient
    ("forward_difference", "gradient", [(DIFF, "return (f(x + h) - f(x)) / h")]),
    ("divided_by_h", "gradient", [(DIFF, "return (f(x + h) - f(x - h)) / h")]),
    ("h_too_small", "gradient", [("def numerical_diff(f, x, h=1e-4):", "def numerical_diff(f, x, h=1e-50):")]),
    ("ignores_h", "gradient", [(DIFF, "h = 1e-4\n    " + DIFF)]),
    ("gradient_of_copy", "gradient", [("        original = x[idx]\n",
                                       "        x = x.copy()\n        original = x[idx]\n")]),
    ("x_not_restored", "gradient", [("        x[idx] = original  # 원래 값으로 되돌립니다.\n", "")]),
    ("one_dimensional_only", "gradient", [("    for idx in np.ndindex(x.shape):", "    for idx in range(x.size):")]),
    # gradient_descent
    ("gradient_ascent", "gradient_descent", [(GD_STEP, "x = x + lr * grad(x)")]),
    ("lr_ignored", "gradient_descent", [(GD_STEP, "x = x - grad(x)")]),
    ("history_aliasing", "gradient_descent", [(GD_STEP, "x -= lr * grad(x)"),
                                              ("history.append(x.copy())", "history.append(x)")]),
    ("history_without_start", "gradient_descent", [("history = [x.copy()]", "history = []")]),
    ("history_without_final", "gradient_descent", [("history = [x.copy()]", "history = []"),
                                                   (GD_STEP + "\n        history.append(x.copy())",
                                                    "history.append(x.copy())\n        " + GD_STEP)]),
    ("grad_ignored", "gradient_descent", [("    if grad is None:\n        grad = lambda point", "    grad = lambda point")]),
    ("init_x_modified", "gradient_descent", [("x = np.array(init_x, dtype=float)", "x = init_x"),
                                             (GD_STEP, "x -= lr * grad(x)")]),
    ("returned_x_not_last", "gradient_descent", [("return x, np.array(history)", "return init_x, np.array(history)")]),
    # two_layer_net
    ("init_order", "two_layer_net", [(INIT_W1, INIT_W2.replace("self.params['W2']", "W2")),
                                     (INIT_W2, INIT_W1.replace("self.params['W1']", "self.params['W2'] = W2\n"
                                                               "        self.params['W1']"))]),
    ("weight_init_std_ignored", "two_layer_net", [(INIT_W1, INIT_W1.replace("weight_init_std", "0.01")),
                                                  (INIT_W2, INIT_W2.replace("weight_init_std", "0.01"))]),
    ("bias_not_zero", "two_layer_net", [("self.params['b1'] = np.zeros(hidden_size)",
                                         "self.params['b1'] = np.ones(hidden_size)")]),
    ("predict_layers", "two_layer_net", [("hidden = sigmoid(x @ W1 + b1)", "hidden = sigmoid(x @ W1)")]),
    ("softmax_overflow", "two_layer_net", [("return softmax(hidden @ W2 + b2)",
                                            "a = np.exp(hidden @ W2 + b2)\n"
                                            "        return a / np.sum(a, axis=-1, keepdims=True)")]),
    ("rng_ignored", "two_layer_net", [("rng = np.random.default_rng() if rng is None else rng",
                                       "rng = np.random.default_rng()")]),
    ("accuracy_labels", "two_layer_net", [("        if t.ndim == y.ndim + 1:  # 원-핫이면 클래스 번호로\n"
                                           "            t = np.argmax(t, axis=-1)\n",
                                           "        t = np.argmax(t, axis=1)\n")]),
    ("accuracy_one_hot", "two_layer_net", [("        if t.ndim == y.ndim + 1:  # 원-핫이면 클래스 번호로\n"
                                            "            t = np.argmax(t, axis=-1)\n", "")]),
    ("batch_sum_not_mean", "two_layer_net", [("        return cross_entropy_error(y, t)\n",
                                              "        return cross_entropy_error(y, t) * len(x)\n")]),
    ("gradient_of_copy", "two_layer_net", [("numerical_gradient(loss_W, self.params[key])",
                                            "numerical_gradient(loss_W, self.params[key].copy())")]),
    ("gradient_wrong_key", "two_layer_net", [("grads[key] = numerical_gradient(loss_W, self.params[key])",
                                              "grads[key] = numerical_gradient(loss_W, self.params['W1' if key == "
                                              "'W2' else key])")]),
    ("params_not_restored", "two_layer_net", [("            return self.loss(x, t)\n",
                                               "            self.params['b2'] += 1e-3\n"
                                               "            return self.loss(x, t)\n")]),
    ("minibatch_sampling", "two_layer_net", [("    for i in range(iters):\n        rows = rng.choice(train_size, batch_size)\n",
                                              "    rows = rng.choice(train_size, batch_size)\n    for i in range(iters):\n")]),
    ("params_replaced", "two_layer_net", [(UPDATE, "network.params[key] = param - lr * grads[key]")]),
    ("params_not_updated", "two_layer_net", [("for key in ('W1', 'b1', 'W2', 'b2'):\n            param",
                                              "for key in ('W1', 'W2'):\n            param")]),
]
