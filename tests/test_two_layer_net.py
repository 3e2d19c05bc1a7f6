"""The reference of exercise 4 (solutions/two_layer_net.py), its provided modules and the digits data.

Each check is independent of the reference's own code: the data split is
re-derived from the .npz file, the forward pass and the gradient are written
out here (backpropagation), and the training loop is replayed step by step.
"""

from __future__ import annotations

import ast
import math
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from solutions import digits as ref_digits
from solutions import functions as ref_functions
from solutions import losses as ref_losses
from solutions import two_layer_net as ref_net

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
#: Class counts of the UCI optdigits test file (optdigits.tes), from the data set's documentation.
UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


# --- data -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw():
    with np.load(DATA / "digits.npz", allow_pickle=False) as archive:
        return archive["images"], archive["labels"]


def test_data_file_is_small_compressed_and_holds_the_uci_test_set(raw):
    images, labels = raw
    assert (DATA / "digits.npz").stat().st_size < 100_000
    with zipfile.ZipFile(DATA / "digits.npz") as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    assert images.min() == 0 and images.max() == 16  # 4×4 blocks of a 32×32 bitmap: 0..16 pixels on
    assert np.bincount(labels).tolist() == UCI_TEST_COUNTS


def test_licence_and_attribution_are_shipped():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for needed in ("Alpaydin", "Kaynak", "UCI Machine Learning Repository", "10.24432/C50P49", "CC BY 4.0",
                   "creativecommons.org/licenses/by/4.0"):
        assert needed in readme, needed
    script = (DATA / "make_digits.py").read_text(encoding="utf-8")
    assert "load_digits" in script and "digits.npz" in script
    ast.parse(script)


def test_loader_split_is_every_fifth_image_to_test(raw):
    images, labels = raw
    (x_train, t_train), (x_test, t_test) = ref_digits.load_digits()
    index = np.arange(len(labels))
    assert x_train.shape == (1437, 64) and x_test.shape == (360, 64)
    assert x_train.dtype == np.float64 and t_train.dtype == np.int64
    assert np.array_equal(x_test * 16, images[index % 5 == 0].reshape(-1, 64))
    assert np.array_equal(x_train * 16, images[index % 5 != 0].reshape(-1, 64))
    assert np.array_equal(t_test, labels[index % 5 == 0]) and np.array_equal(t_train, labels[index % 5 != 0])
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    (x_raw, _), _ = ref_digits.load_digits(normalize=False)
    assert x_raw.max() == 16.0 and x_raw.dtype == np.float64


def test_loader_one_hot_labels(raw):
    (_, t_train), (_, t_test) = ref_digits.load_digits(one_hot_label=True)
    (_, labels_train), (_, labels_test) = ref_digits.load_digits()
    assert t_train.shape == (1437, 10) and t_test.shape == (360, 10)
    assert np.array_equal(t_train.argmax(axis=1), labels_train) and np.all(t_train.sum(axis=1) == 1)
    assert np.array_equal(t_test.argmax(axis=1), labels_test)


def test_loader_explains_a_missing_file_in_korean(monkeypatch, tmp_path):
    monkeypatch.setattr(ref_digits, "DATA_FILE", tmp_path / "nowhere" / "digits.npz")
    with pytest.raises(FileNotFoundError, match="데이터 파일 .* 없습니다") as error:
        ref_digits.load_digits()
    assert "data/digits.npz" in str(error.value)


def test_loader_finds_the_data_relative_to_the_repository():
    assert ref_digits.DATA_FILE == ROOT / "data" / "digits.npz"
    stub = (ROOT / "exercises" / "digits.py").read_text(encoding="utf-8")
    assert stub == (ROOT / "solutions" / "digits.py").read_text(encoding="utf-8")


# --- provided functions -----------------------------------------------------------------------------


def test_sigmoid_matches_the_formula_and_never_warns():
    x = np.linspace(-30, 30, 61)
    assert np.allclose(ref_functions.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ref_functions.sigmoid(np.array([-1000.0]))[0] == 0.0
        assert ref_functions.sigmoid(np.array([1000.0]))[0] == 1.0


def test_softmax_is_a_probability_and_overflow_safe():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 7))
    y = ref_functions.softmax(a)
    expected = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    assert np.allclose(y, expected, rtol=1e-12)
    assert np.allclose(ref_functions.softmax(a[0]), expected[0], rtol=1e-12)  # 1-D: one sample
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = ref_functions.softmax(a * 0 + np.array([1000.0, 1001.0, 0, 0, 0, 0, 0]))
    assert np.all(np.isfinite(big)) and np.allclose(big.sum(axis=1), 1)
    assert np.isclose(big[0, 1] / big[0, 0], math.e)


def test_provided_modules_are_copied_unchanged_to_the_stubs():
    for name in ("functions.py", "digits.py"):
        assert (ROOT / "exercises" / name).read_bytes() == (ROOT / "solutions" / name).read_bytes()
        assert "BEGIN SOLUTION" not in (ROOT / "solutions" / name).read_text(encoding="utf-8")
    stub = (ROOT / "exercises" / "two_layer_net.py").read_text(encoding="utf-8")
    assert "from .functions import sigmoid, softmax" in stub
    assert "고치지 마세요" in stub


# --- the network ------------------------------------------------------------------------------------


def forward(params, x):
    """The network written out: x @ W1 + b1 → sigmoid → @ W2 + b2 → softmax."""
    z1 = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    a2 = z1 @ params["W2"] + params["b2"]
    e = np.exp(a2 - a2.max(axis=-1, keepdims=True))
    return z1, e / e.sum(axis=-1, keepdims=True)


def backprop(params, x, labels):
    """The exact gradient of mean −log(y_t + δ) (chain rule, δ included)."""
    z1, y = forward(params, x)
    n = len(x)
    picked = y[np.arange(n), labels]
    da2 = (y - np.eye(y.shape[1])[labels]) / n * (picked / (picked + ref_losses.DELTA))[:, None]
    da1 = da2 @ params["W2"].T * z1 * (1 - z1)
    return {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ da2, "b2": da2.sum(axis=0)}


@pytest.fixture(scope="module")
def data():
    return ref_digits.load_digits()


def test_initialisation_draws_w1_then_w2_from_rng():
    net = ref_net.TwoLayerNet(6, 4, 3, weight_init_std=0.5, rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)
    w1 = 0.5 * rng.standard_normal((6, 4))
    w2 = 0.5 * rng.standard_normal((4, 3))
    assert set(net.params) == {"W1", "b1", "W2", "b2"}
    assert np.array_equal(net.params["W1"], w1) and np.array_equal(net.params["W2"], w2)
    assert np.array_equal(net.params["b1"], np.zeros(4)) and np.array_equal(net.params["b2"], np.zeros(3))
    default = ref_net.TwoLayerNet(6, 4, 3, rng=np.random.default_rng(7))
    assert np.array_equal(default.params["W1"], 0.01 * np.random.default_rng(7).standard_normal((6, 4)))
    fresh = ref_net.TwoLayerNet(6, 4, 3)  # rng=None: a generator of its own
    assert fresh.params["W1"].shape == (6, 4) and not np.array_equal(fresh.params["W1"], default.params["W1"])


def test_predict_loss_and_accuracy_match_the_formulas(data):
    (x_train, t_train), _ = data
    net = ref_net.TwoLayerNet(64, 7, 10, weight_init_std=0.3, rng=np.random.default_rng(3))
    x, t = x_train[:50], t_train[:50]
    _, y = forward(net.params, x)
    assert np.allclose(net.predict(x), y, rtol=1e-12)
    assert np.allclose(net.predict(x[0]), y[0], rtol=1e-12)
    assert np.isclose(net.loss(x, t), -np.mean(np.log(y[np.arange(50), t] + 1e-7)), rtol=1e-12)
    accuracy = net.accuracy(x, t)
    assert isinstance(accuracy, float) and accuracy == np.mean(y.argmax(axis=1) == t)
    assert net.accuracy(x, np.eye(10)[t]) == accuracy  # one-hot labels are argmax-ed
    assert net.accuracy(x[0], t[0]) in (0.0, 1.0)


def test_numerical_gradient_matches_backpropagation_and_restores_the_parameters(data):
    (x_train, t_train), _ = data
    net = ref_net.TwoLayerNet(64, 4, 10, weight_init_std=0.5, rng=np.random.default_rng(1))
    before = {k: v.copy() for k, v in net.params.items()}
    x, t = x_train[:20], t_train[:20]
    numerical = net.numerical_gradient(x, t)
    analytic = backprop(net.params, x, t)
    for key in ("W1", "b1", "W2", "b2"):
        assert numerical[key].shape == net.params[key].shape
        assert np.array_equal(net.params[key], before[key]), key
        scale = np.maximum(np.abs(numerical[key]), np.abs(analytic[key]))
        mask = scale > 1e-9
        assert np.max(np.abs(numerical[key] - analytic[key])[mask] / scale[mask]) < 1e-5, key
    assert np.any(numerical["b1"] != 0) and np.any(numerical["W1"] != 0)
    # One-hot labels give the same gradient.
    assert np.allclose(net.numerical_gradient(x, np.eye(10)[t])["W2"], numerical["W2"], rtol=1e-6, atol=1e-8)


def test_numerical_gradient_uses_the_live_parameters(data):
    """A gradient of a copy would be zero: the reference must perturb self.params itself."""
    (x_train, t_train), _ = data
    net = ref_net.TwoLayerNet(64, 2, 10, weight_init_std=1.0, rng=np.random.default_rng(2))
    grads = net.numerical_gradient(x_train[:5], t_train[:5])
    assert all(np.abs(g).max() > 1e-6 for g in grads.values())


def replay(net, x_train, t_train, x_test, t_test, iters, batch_size, lr, rng):
    """The book's train_neuralnet.py loop, written out again."""
    n = len(x_train)
    per_epoch = max(n // batch_size, 1)
    record = {"train_loss": [], "train_acc": [], "test_acc": [], "test_loss": []}
    for i in range(iters):
        mask = rng.choice(n, batch_size)
        grads = net.numerical_gradient(x_train[mask], t_train[mask])
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= lr * grads[key]
        record["train_loss"].append(net.loss(x_train[mask], t_train[mask]))
        if i % per_epoch == 0:
            record["train_acc"].append(net.accuracy(x_train, t_train))
            record["test_acc"].append(net.accuracy(x_test, t_test))
            record["test_loss"].append(net.loss(x_test, t_test))
    return {k: np.array(v) for k, v in record.items()}


def test_train_is_the_books_loop_bit_for_bit(data):
    (x_train, t_train), (x_test, t_test) = data
    args = dict(iters=7, batch_size=10, lr=1.5)
    ours = ref_net.TwoLayerNet(64, 3, 10, rng=np.random.default_rng(5))
    theirs = ref_net.TwoLayerNet(64, 3, 10, rng=np.random.default_rng(5))
    rng = np.random.default_rng(9)
    history = ref_net.train(ours, x_train[:35], t_train[:35], x_test, t_test, rng=rng, **args)
    expected = replay(theirs, x_train[:35], t_train[:35], x_test, t_test, rng=np.random.default_rng(9), **args)
    assert set(history) == {"train_loss", "train_acc", "test_acc", "test_loss"}
    for key, value in expected.items():
        assert history[key].dtype == np.float64
        assert np.array_equal(history[key], value), key
    assert history["train_loss"].shape == (7,)
    assert history["test_acc"].shape == (len(range(0, 7, 35 // 10)),) == (3,)  # i = 0, 3, 6
    for key in ours.params:
        assert np.array_equal(ours.params[key], theirs.params[key])
    # rng is used for the mini-batches only: 7 draws of choice(35, 10).
    check = np.random.default_rng(9)
    for _ in range(7):
        check.choice(35, 10)
    assert rng.random() == check.random()


def test_train_records_every_iteration_when_an_epoch_is_shorter_than_a_batch(data):
    (x_train, t_train), (x_test, t_test) = data
    net = ref_net.TwoLayerNet(64, 2, 10, rng=np.random.default_rng(0))
    history = ref_net.train(net, x_train[:8], t_train[:8], x_test, t_test, iters=3, batch_size=20, lr=0.1,
                            rng=np.random.default_rng(0))
    assert history["train_acc"].shape == (3,)  # iter_per_epoch = max(8 // 20, 1) = 1


def test_training_reduces_the_loss_and_learns(data):
    (x_train, t_train), (x_test, t_test) = data
    net = ref_net.TwoLayerNet(64, 3, 10, weight_init_std=0.5, rng=np.random.default_rng(0))
    history = ref_net.train(net, x_train[:200], t_train[:200], x_test, t_test, iters=40, batch_size=50,
                            lr=2.0, rng=np.random.default_rng(1))
    assert history["train_loss"][-5:].mean() < 0.8 * history["train_loss"][:5].mean()
    assert history["test_loss"][-1] < history["test_loss"][0]
    assert history["test_acc"][-1] > 0.3  # chance is 0.1


def test_stub_keeps_the_class_and_raises_in_korean():
    stub = ast.parse((ROOT / "exercises" / "two_layer_net.py").read_text(encoding="utf-8"))
    solution = ast.parse((ROOT / "solutions" / "two_layer_net.py").read_text(encoding="utf-8"))

    def members(tree):
        out = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                out.update({f"{node.name}.{m.name}": m for m in node.body if isinstance(m, ast.FunctionDef)})
            elif isinstance(node, ast.FunctionDef):
                out[node.name] = node
        return out

    ours, theirs = members(stub), members(solution)
    assert set(ours) == set(theirs) == {"TwoLayerNet.__init__", "TwoLayerNet.predict", "TwoLayerNet.loss",
                                        "TwoLayerNet.accuracy", "TwoLayerNet.numerical_gradient", "train"}
    for name, node in ours.items():
        assert ast.dump(node.args) == ast.dump(theirs[name].args)
        assert ast.get_docstring(node) == ast.get_docstring(theirs[name])
        raised = [n for n in ast.walk(node) if isinstance(n, ast.Raise)]
        assert len(raised) == 1 and "아직 구현하지 않았습니다" in ast.unparse(raised[0]), name
    for name in ("TwoLayerNet.predict", "TwoLayerNet.loss", "TwoLayerNet.accuracy",
                 "TwoLayerNet.numerical_gradient", "train"):
        doc = ast.get_docstring(ours[name])
        assert "인수" in doc and "반환값" in doc and "예시" in doc, name
    doc = ast.get_docstring(next(n for n in stub.body if isinstance(n, ast.ClassDef)))
    for contract in ("np.random.default_rng()", "weight_init_std * rng.standard_normal((input_size, hidden_size))",
                     "weight_init_std * rng.standard_normal((hidden_size, output_size))", "W1을 먼저", "제공 모듈"):
        assert contract in doc, contract


def test_reference_docstring_examples_hold():
    import doctest

    for module in (ref_net, ref_functions, ref_digits):
        failures, tried = doctest.testmod(module, verbose=False)
        assert tried > 0 and failures == 0, module.__name__
