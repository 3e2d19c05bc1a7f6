"""The networks the site trains: the reference TwoLayerNet and train() on the digits data.

Every curve on the pages "신경망 학습 구현하기" and "과적합" comes from
``solutions.two_layer_net.train`` (numerical gradients, so each run takes
seconds). Runs are cached on disk (hooks/cache.py) under a key made of their
settings and the bytes of the reference, the data and this file; on a cold
build the missing runs go to two worker processes.

The overfitting remedies that the reference does not have are thin subclasses
of the reference network: weight decay adds λW to the reference's numerical
gradient of W1 and W2 (the exact gradient of λ/2·‖W‖²); dropout multiplies the
hidden layer by a fresh random mask (drawn from its own generator) during each
gradient computation and never at evaluation. Everything else (sampling the
batch, the update, what is recorded) is the reference train().
"""

from __future__ import annotations

import concurrent.futures
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # a worker runs this file as a script: the hooks package lives in the repository
    sys.path.insert(0, str(ROOT))
from autograder.catalog import BY_NAME, PROVIDED  # noqa: E402
from hooks import cache  # noqa: E402

#: The reference modules the network is trained with: the provided ones, the exercises it uses, then its own.
NETWORK = BY_NAME["two_layer_net"]
REFERENCE = (*PROVIDED, *NETWORK.standins, NETWORK.name)
SOURCES = [ROOT / "solutions" / f"{name}.py" for name in REFERENCE] + [
    ROOT / "data" / "digits.npz", Path(__file__).resolve(), ROOT / "hooks" / "cache.py"]

#: The page's training run: the whole training split, the book's batch size 100.
MAIN = {"hidden": 10, "batch": 100, "lr": 2.0, "iters": 200, "init_std": 0.01, "seed": 0}

#: The overfitting lab: the first ``n_train`` training images only, and one change per remedy.
LAB = {"n_train": 40, "hidden": 5, "batch": 20, "lr": 4.0, "iters": 300, "init_std": 1.0, "seed": 0}
LAB_RUNS = {
    "base": {},
    "more_data": {"n_train": 400},
    "smaller": {"hidden": 2},
    "weight_decay": {"weight_decay": 0.003},
    "dropout": {"dropout": 0.2},
}

#: Timing: rounds per measurement (the fastest counts) and calls per round.
REPEAT = 15
CALLS = 50

#: The book's MNIST network (4.5): 784 inputs, 50 hidden, 10 outputs, batch 100.
BOOK_NET = {"input": 784, "hidden": 50, "output": 10, "batch": 100, "iters": 10000}


def load_reference():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    modules = {}
    for name in REFERENCE:  # dependencies first: two_layer_net imports the others
        modules[name] = importlib.reload(importlib.import_module(f"solutions.{name}"))
    return modules


def settings(config: dict, **changes) -> dict:
    merged = {**config, **changes}
    merged.setdefault("weight_decay", 0.0)
    merged.setdefault("dropout", 0.0)
    return merged


def make_network(ref, cfg: dict, input_size=64, output_size=10):
    """The reference TwoLayerNet, or a subclass adding weight decay and/or dropout (see the module doc)."""
    TwoLayerNet = ref["two_layer_net"].TwoLayerNet
    sigmoid, softmax = ref["functions"].sigmoid, ref["functions"].softmax
    weight_decay, dropout = cfg["weight_decay"], cfg["dropout"]

    class Regularised(TwoLayerNet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mask = None
            self.mask_rng = np.random.default_rng(cfg["seed"] + 2)

        def predict(self, x):
            if self.mask is None:
                return super().predict(x)
            p = self.params
            z1 = sigmoid(x @ p["W1"] + p["b1"]) * self.mask  # the one added line: drop hidden units
            return softmax(z1 @ p["W2"] + p["b2"])

        def numerical_gradient(self, x, t):
            if dropout:
                keep = self.mask_rng.random((x.shape[0], self.params["b1"].size)) >= dropout
                self.mask = keep / (1 - dropout)  # inverted dropout: nothing to rescale at evaluation
            try:
                grads = super().numerical_gradient(x, t)
            finally:
                self.mask = None
            for key in ("W1", "W2"):
                grads[key] = grads[key] + weight_decay * self.params[key]
            return grads

    cls = Regularised if (weight_decay or dropout) else TwoLayerNet
    return cls(input_size, cfg["hidden"], output_size, weight_init_std=cfg["init_std"],
               rng=np.random.default_rng(cfg["seed"]))


def run(cfg: dict) -> dict:
    """One training run with the reference train(); the history plus the final parameters."""
    ref = load_reference()
    (x_train, t_train), (x_test, t_test) = ref["digits"].load_digits()
    n = cfg.get("n_train")
    if n:
        x_train, t_train = x_train[:n], t_train[:n]
    network = make_network(ref, cfg)
    history = ref["two_layer_net"].train(network, x_train, t_train, x_test, t_test, iters=cfg["iters"],
                                         batch_size=cfg["batch"], lr=cfg["lr"],
                                         rng=np.random.default_rng(cfg["seed"] + 1))
    iter_per_epoch = max(len(x_train) // cfg["batch"], 1)
    return {"config": cfg, "n_train": len(x_train), "n_test": len(x_test), "iter_per_epoch": iter_per_epoch,
            "epoch_iters": np.arange(0, cfg["iters"], iter_per_epoch), **history,
            "params": {k: v.copy() for k, v in network.params.items()}}


def machine() -> dict:
    """The measurement conditions shown next to the timings."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "system": platform.system()}


def best_time(function, number, repeat=REPEAT) -> float:
    """timeit's convention: the fastest of ``repeat`` rounds of ``number`` calls, per call (seconds).

    Short rounds, many of them: the fastest is the one least disturbed by other programs.
    """
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def backprop(ref, network, x, t, exact_delta=True) -> dict:
    """The analytic gradient of the reference loss (chapter 5's backpropagation, written out).

    With ``exact_delta`` the δ inside the reference's log(y + δ) is taken into account:
    ∂L/∂a2 = y_c/(y_c + δ) · (y − t)/N per row; without it, the textbook's (y − t)/N.
    """
    sigmoid, softmax = ref["functions"].sigmoid, ref["functions"].softmax
    p = network.params
    z1 = sigmoid(x @ p["W1"] + p["b1"])
    y = softmax(z1 @ p["W2"] + p["b2"])
    n = x.shape[0]
    labels = t if t.ndim == 1 else np.argmax(t, axis=1)
    one_hot = np.eye(y.shape[1])[labels]
    da2 = (y - one_hot) / n
    if exact_delta:
        picked = y[np.arange(n), labels]
        da2 = da2 * (picked / (picked + ref["losses"].DELTA))[:, None]
    da1 = (da2 @ p["W2"].T) * z1 * (1 - z1)
    return {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ da2, "b2": da2.sum(axis=0)}


def relative_error(a, b):
    """CS231n's |a − b| / max(|a|, |b|), element by element; elements where both are exactly 0 are left out."""
    a, b = np.ravel(a), np.ravel(b)
    scale = np.maximum(np.abs(a), np.abs(b))
    nonzero = scale > 0
    return np.abs(a - b)[nonzero] / scale[nonzero], int(np.sum(~nonzero))


def timing() -> dict:
    """Measured: one forward pass, one loss, one numerical gradient and one backprop of the page's network."""
    ref = load_reference()
    (x_train, t_train), _ = ref["digits"].load_digits()
    cfg = settings(MAIN)
    network = make_network(ref, cfg)
    x, t = x_train[: cfg["batch"]], t_train[: cfg["batch"]]
    result = {
        "forward": best_time(lambda: network.predict(x), number=CALLS),
        "loss": best_time(lambda: network.loss(x, t), number=CALLS),
        "numerical": best_time(lambda: network.numerical_gradient(x, t), number=1, repeat=5),
        "backprop": best_time(lambda: backprop(ref, network, x, t), number=CALLS),
        "n_params": int(sum(v.size for v in network.params.values())),
        "batch": cfg["batch"], "machine": machine(),
    }
    book = BOOK_NET
    big = ref["two_layer_net"].TwoLayerNet(book["input"], book["hidden"], book["output"],
                                           rng=np.random.default_rng(0))
    bx = np.random.default_rng(1).random((book["batch"], book["input"]))
    bt = np.random.default_rng(2).integers(0, book["output"], book["batch"])
    result["book_loss"] = best_time(lambda: big.loss(bx, bt), number=CALLS)
    result["book_backprop"] = best_time(lambda: backprop(ref, big, bx, bt), number=CALLS)
    result["book_params"] = int(sum(v.size for v in big.params.values()))
    return result


TASKS = {"main": lambda: settings(MAIN), **{f"lab_{k}": (lambda v=v: settings(LAB, **v)) for k, v in LAB_RUNS.items()}}


def _run_task(name: str):
    return run(TASKS[name]())


def _entry(name: str):
    if name == "timing":
        inputs = {"task": name, "machine": machine(), "book": BOOK_NET, "config": settings(MAIN)}
    else:
        inputs = {"task": name, "config": TASKS[name](), "numpy": np.__version__}
    return cache.path_for(name, inputs, SOURCES)


def _in_process(name: str) -> dict:
    """One task in a fresh Python (``python hooks/training.py TASK OUT``)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{name}.pkl"
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), name, str(target)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"training run {name} failed:\n{done.stdout}{done.stderr}")
        return cache.load(target)


class Pending:
    """Runs started by :func:`launch`: the cached ones at once, the missing ones in worker processes."""

    def __init__(self, workers: int):
        self.done, missing = {}, []
        for name in TASKS:
            value = cache.load(_entry(name))
            if value is None:
                missing.append(name)
            else:
                self.done[name] = value
        order = sorted(missing, key=lambda n: n != "main")  # the longest run first
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers) if order else None
        self.futures = {name: self.pool.submit(_in_process, name) for name in order} if order else {}

    def wait(self) -> dict:
        """Every run (storing the new ones in the cache), then the timing, measured with the workers done."""
        for name, future in self.futures.items():
            self.done[name] = future.result()
            cache.store(_entry(name), self.done[name])
        if self.pool is not None:
            self.pool.shutdown()
        return _with_timing(dict(self.done))


def launch(workers: int = 2) -> Pending:
    """Start the runs the cache lacks, ``workers`` processes at a time; the caller may work meanwhile."""
    return Pending(workers)


def results(workers: int = 2) -> dict:
    """Every run, from the cache or computed now (``workers`` processes at a time); then the timing."""
    return launch(workers).wait()


def _with_timing(out: dict) -> dict:
    entry = _entry("timing")
    out["timing"] = cache.load(entry)
    if out["timing"] is None:  # measured after the training runs, with both cores idle
        out["timing"] = timing()
        cache.store(entry, out["timing"])
    return out


def gradient_check(ref, main_run) -> dict:
    """Numerical (reference) vs analytic gradient, at the initial and at the trained parameters."""
    (x_train, t_train), _ = ref["digits"].load_digits()
    cfg = main_run["config"]
    x, t = x_train[: cfg["batch"]], t_train[: cfg["batch"]]
    rows = []
    for when in ("initial", "trained"):
        network = make_network(ref, cfg)
        if when == "trained":
            for key, value in main_run["params"].items():
                network.params[key][...] = value
        numerical = network.numerical_gradient(x, t)
        for exact in (True, False):
            analytic = backprop(ref, network, x, t, exact_delta=exact)
            for key in ("W1", "b1", "W2", "b2"):
                errors, zeros = relative_error(analytic[key], numerical[key])
                a, b = analytic[key].ravel(), numerical[key].ravel()
                scale = np.maximum(np.abs(a), np.abs(b))
                worst = np.argmax(np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1), -1))
                rows.append({"when": when, "exact_delta": exact, "key": key, "max": float(errors.max()),
                             "median": float(np.median(errors)), "zeros": zeros, "size": numerical[key].size,
                             "abs_max": float(np.abs(a - b).max()), "scale_at_max": float(scale[worst])})
    return {"rows": rows, "batch": cfg["batch"]}


if __name__ == "__main__":  # a worker of results(): python hooks/training.py TASK OUTFILE
    cache.store(Path(sys.argv[2]), _run_task(sys.argv[1]))
