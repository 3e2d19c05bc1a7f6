"""공개 테스트: 2층 신경망 (two_layer_net).

Tiny networks (4 inputs, 3 hidden units, 2 classes) with fixed seeds, so each
call takes milliseconds. Each method is graded on its own: the network is
the student's class created without ``__init__`` and given fixed parameters
(see :func:`~autograder.protocol.instances.instance`).

Tolerance rtol 1e-9 on predict: the same matrix products and exponentials in
another order agree to ~1e-15.
"""

from ..netcases import SIZES, blank_net, net, sample
from ..support import as_array, expect_close, fail, num, points, rng


@points(3)
def test_init_shapes(student, reference):
    """TwoLayerNet(4, 3, 2): params의 키와 모양 (W1 4×3, b1 3, W2 3×2, b2 2)"""
    result = student.two_layer_net.TwoLayerNet.method("__init__").run(blank_net(), *SIZES, rng=rng(1))
    params = result.instances_after.get(0)
    if not isinstance(params, dict):
        fail("__init__이 매개변수 딕셔너리 self.params를 만들지 않았습니다.")
    want = {"W1": (4, 3), "b1": (3,), "W2": (3, 2), "b2": (2,)}
    missing = sorted(set(want) - set(params))
    if missing:
        fail(f"self.params에 {', '.join(missing)} 키가 없습니다. W1, b1, W2, b2 네 개를 모두 만드세요.")
    for key, shape in want.items():
        if params[key] is None or tuple(params[key].shape) != shape:
            got = None if params[key] is None else tuple(params[key].shape)
            fail(f"params['{key}']의 모양은 {shape}이어야 합니다 (만든 배열의 모양 {got}).")
    for key in ("b1", "b2"):
        if params[key].any():
            fail(f"편향 params['{key}']의 처음 값은 0이어야 합니다 (np.zeros). (만든 값 {num(params[key])})",
                 "bias_not_zero")


@points(3)
def test_predict_textbook(student, reference):
    """predict: 배치(2×4)와 데이터 하나(길이 4)의 출력 확률"""
    network, x = net(11), sample(12, 2)
    for inputs in (x, x[0]):
        got = as_array(student.two_layer_net.TwoLayerNet.predict(network, inputs),
                       (2,) if inputs.ndim == 1 else (len(inputs), 2), "predict")
        want = reference.two_layer_net.TwoLayerNet.predict(network, inputs)
        expect_close(got, want, 1e-9, 1e-12,
                     "predict는 x @ W1 + b1 → sigmoid → @ W2 + b2 → softmax 순서로 계산해야 합니다.")
