"""Everything the lecture site quotes or draws, computed by running the reference.

No number here is typed in: each comes from ``solutions/`` (the reference
implementations), from the textbook inputs in ``autograder/suites/textbook.py``
or from ``autograder.catalog`` (points). ``hooks/lecture.py`` puts the values
into the pages and draws the figures; ``tests/test_docs_build.py`` checks them.
"""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def load_reference() -> SimpleNamespace:
    """Every exercise's reference module, re-imported so that ``mkdocs serve`` sees edits."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from autograder.catalog import EXERCISES

    modules = {}
    for exercise in EXERCISES:  # catalogue order: an exercise after those it uses (gradient, then gradient_descent)
        module = importlib.import_module(f"solutions.{exercise.name}")
        modules[exercise.name] = importlib.reload(module)
    return SimpleNamespace(**modules)


# The textbook's functions (Deep Learning from Scratch, 4.3).
def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


# The slides' function (1) and the function the slides' partial derivatives belong to.
def slide_function(x):
    return x[0] ** 3 + 7 * x[0] ** 2 + 8 * x[1] ** 3 - 2 * x[1] + 7


def slide_function_partials(x):
    """The correct partial derivatives of function (1)."""
    return np.array([3 * x[0] ** 2 + 14 * x[0], 24 * x[1] ** 2 - 2])


def slide_partials_as_printed(x):
    """f1, f2 as printed on the slide."""
    return np.array([6 * x[0] * x[1] - x[1] ** 3, 3 * x[0] ** 2 - 3 * x[0] * x[1] ** 2])


def slide_partials_origin(x):
    """A function whose partial derivatives are the slide's f1 and f2."""
    return 3 * x[0] ** 2 * x[1] - x[0] * x[1] ** 3


SLIDE_POINT = np.array([1.0, 2.0])


def losses(ref):
    """The textbook's 10-class example: SSE and CEE for a right and a wrong output."""
    from autograder.suites.textbook import LABEL, T_ONE_HOT, Y_RIGHT, Y_WRONG

    batch_y = np.stack([Y_RIGHT, Y_WRONG])
    return {
        "y_right": Y_RIGHT, "y_wrong": Y_WRONG, "label": LABEL, "t": T_ONE_HOT,
        "sse_right": ref.losses.sum_squared_error(Y_RIGHT, T_ONE_HOT),
        "sse_wrong": ref.losses.sum_squared_error(Y_WRONG, T_ONE_HOT),
        "cee_right": ref.losses.cross_entropy_error(Y_RIGHT, T_ONE_HOT),
        "cee_wrong": ref.losses.cross_entropy_error(Y_WRONG, T_ONE_HOT),
        "cee_right_label": ref.losses.cross_entropy_error(Y_RIGHT, LABEL),
        "cee_batch": ref.losses.cross_entropy_error(batch_y, np.array([LABEL, LABEL])),
        "sse_batch": ref.losses.sum_squared_error(batch_y, np.stack([T_ONE_HOT, T_ONE_HOT])),
        "cee_zero": ref.losses.cross_entropy_error(np.array([0.0, 0.3, 0.7]), np.array([1.0, 0.0, 0.0])),
        "delta": ref.losses.DELTA,
    }


def neg_log_curve(ref, label_probabilities=np.linspace(0.001, 1.0, 400)):
    """CEE of a one-hot answer as a function of the probability y of the right class."""
    values = [ref.losses.cross_entropy_error(np.array([p, 1 - p]), 0) for p in label_probabilities]
    return label_probabilities, np.array(values)


def derivatives(ref):
    """numerical_diff on function_1, the forward difference and a too-small h, for comparison."""
    from autograder.suites.textbook import DIFF_POINTS

    h = 1e-4
    rows = []
    for x in DIFF_POINTS:
        rows.append({
            "x": x,
            "central": ref.gradient.numerical_diff(function_1, x),
            "forward": (function_1(x + h) - function_1(x)) / h,
            "exact": 0.02 * x + 0.1,
        })
    return {"rows": rows, "tiny_h": ref.gradient.numerical_diff(function_1, DIFF_POINTS[0], h=1e-50),
            "float32_tiny": float(np.float32(1e-50))}


def diff_errors(ref, x=1.0, hs=np.logspace(-13, -1, 49), dtype=np.float64):
    """|error| of the central (reference) and forward differences of exp at x, for each h.

    With ``dtype=np.float32`` x, h and every intermediate value are float32 (NumPy keeps
    float32 when a float32 meets a Python float), as on a GPU; the exact value is float64.
    """
    exact = np.exp(np.float64(x))
    x = dtype(x)
    central, forward = [], []
    for h in hs:
        h = dtype(h)
        central.append(abs(float(ref.gradient.numerical_diff(np.exp, x, h=h)) - exact))
        forward.append(abs(float((np.exp(x + h) - np.exp(x)) / h) - exact))
    return hs, np.array(central), np.array(forward)


def h_choice(ref, default_h=1e-4):
    """For float64 and float32: the best h of each method, and the errors at the default h."""
    result = {}
    for name, dtype in (("f64", np.float64), ("f32", np.float32)):
        hs, central, forward = diff_errors(ref, dtype=dtype)
        at = int(np.argmin(np.abs(np.log(hs / default_h))))
        result[name] = {"hs": hs, "central": central, "forward": forward,
                        "best_central": float(hs[np.argmin(central)]), "best_forward": float(hs[np.argmin(forward)]),
                        "central_at_default": float(central[at]), "forward_at_default": float(forward[at]),
                        "eps": float(np.finfo(dtype).eps)}
    return result


def tangent(ref, x=5.0):
    """Slope of function_1 at x by numerical_diff, and the tangent line y = f(x) + slope (t − x)."""
    slope = ref.gradient.numerical_diff(function_1, x)
    return {"x": x, "slope": slope, "line": lambda t: function_1(x) + slope * (t - x)}


def gradients(ref):
    """numerical_gradient of function_2 at the textbook's points."""
    from autograder.suites.textbook import GRADIENT_POINTS

    return [(p.copy(), ref.gradient.numerical_gradient(function_2, p.copy())) for p in GRADIENT_POINTS]


def partial_slices(ref, point=np.array([3.0, 4.0])):
    """Slopes of the two cuts of function_2 through ``point`` (the textbook's function_tmp1/2)."""
    x0, x1 = point
    return {
        "point": point,
        "d0": ref.gradient.numerical_diff(lambda t: function_2(np.array([t, x1])), x0),
        "d1": ref.gradient.numerical_diff(lambda t: function_2(np.array([x0, t])), x1),
    }


def slide_example(ref, points=((1.0, 2.0), (-2.0, 0.5), (0.5, -1.5))):
    """The slide's partial derivatives against numerical_gradient of function (1) and of their origin."""
    rows = []
    for p in points:
        p = np.array(p)
        rows.append({
            "point": p,
            "numerical": ref.gradient.numerical_gradient(slide_function, p.copy()),
            "correct": slide_function_partials(p),
            "slide": slide_partials_as_printed(p),
            "origin_numerical": ref.gradient.numerical_gradient(slide_partials_origin, p.copy()),
        })
    return rows


def gradient_field(ref, lo=-2.0, hi=2.0, n=13):
    """−∇f of function_2 on a grid, each arrow from numerical_gradient."""
    ticks = np.linspace(lo, hi, n)
    x0, x1 = np.meshgrid(ticks, ticks)
    grad = np.array([ref.gradient.numerical_gradient(function_2, np.array([a, b]))
                     for a, b in zip(x0.ravel(), x1.ravel())])
    return x0, x1, -grad[:, 0].reshape(x0.shape), -grad[:, 1].reshape(x0.shape)


#: Learning rates shown on function_2 from (−3, 4): (key, η, steps, Korean label).
PATH_RATES = (("good", 0.1, 20, "적당함"), ("zigzag", 0.95, 20, "큼: 건너뛰며 진동"),
              ("diverge", 1.05, 20, "너무 큼: 발산"), ("small", 0.01, 20, "너무 작음"))
#: The textbook's runs: 100 steps from (−3, 4) with η = 0.1, 10 and 1e-10.
TEXTBOOK_RATES = (("good", 0.1), ("large", 10.0), ("small", 1e-10))


def valley(x):
    """The book's 6.1 example: a long, narrow valley f(x, y) = x²/20 + y²."""
    return x[0] ** 2 / 20 + x[1] ** 2


#: Zigzag on the valley: start and learning rate of the book's 6.1 (SGD, η = 0.95), 30 steps.
VALLEY = {"start": (-7.0, 2.0), "lr": 0.95, "steps": 30}


def valley_path(ref):
    cfg = VALLEY
    x, history = ref.gradient_descent.gradient_descent(valley, np.array(cfg["start"]), lr=cfg["lr"],
                                                       step_num=cfg["steps"])
    return {**cfg, "x": x, "history": history, "factor_x": 1 - cfg["lr"] / 10, "factor_y": 1 - 2 * cfg["lr"]}


def descent_paths(ref):
    """Reference gradient_descent (numerical gradient) on function_2 from (−3, 4)."""
    from autograder.suites.textbook import DESCENT_START

    paths = []
    for key, lr, steps, label in PATH_RATES:
        x, history = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=lr, step_num=steps)
        paths.append({"key": key, "lr": lr, "steps": steps, "label": label, "x": x, "history": history,
                      "f": np.array([function_2(h) for h in history])})
    return paths


def textbook_runs(ref):
    from autograder.suites.textbook import DESCENT_START, DESCENT_STEPS

    runs = []
    for key, lr in TEXTBOOK_RATES:
        x, _ = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=lr, step_num=DESCENT_STEPS)
        runs.append({"key": key, "lr": lr, "steps": DESCENT_STEPS, "x": x, "f": function_2(x)})
    return runs


def large_lr_artifact(ref, lr=10.0):
    """The textbook's η = 10 run: where the numerical gradient goes wrong and where x stops moving."""
    from autograder.suites.textbook import DESCENT_START, DESCENT_STEPS

    _, history = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=lr, step_num=DESCENT_STEPS)
    x_exact, exact = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=lr,
                                                           step_num=DESCENT_STEPS, grad=lambda p: 2 * p)
    # For each coordinate, the first step after which it never changes again.
    frozen = [int(np.flatnonzero(history[1:, i] != history[:-1, i]).max() + 1) for i in range(history.shape[1])]
    steps = []
    for k, point in enumerate(history[:-1]):
        g = ref.gradient.numerical_gradient(function_2, point.copy())
        steps.append({"step": k, "x": point, "numerical": g, "exact": 2 * point,
                      "rel_error": float(np.max(np.abs(g - 2 * point) / np.abs(2 * point)))})
    freeze = min(frozen)
    return {"lr": lr, "steps": DESCENT_STEPS, "history": history, "x": history[-1], "x_exact": x_exact,
            "frozen": frozen, "freeze": freeze, "frozen_x": history[freeze],
            "spacing": np.spacing(np.abs(history[freeze])), "h": 1e-4, "factor": 1 - 2 * lr,
            "first_bad": next(s["step"] for s in steps if s["rel_error"] > 1e-2), "rows": steps}


def descent_head(ref):
    """The first positions of the textbook run, and a 3-step run with the exact gradient 2x."""
    from autograder.suites.textbook import DESCENT_LR, DESCENT_START, DESCENT_STEPS

    _, history = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=DESCENT_LR,
                                                       step_num=DESCENT_STEPS)
    _, exact = ref.gradient_descent.gradient_descent(function_2, DESCENT_START.copy(), lr=0.1, step_num=3,
                                                     grad=lambda p: 2 * p)
    return {"numerical": history[:3], "exact": exact}


def bumpy(x):
    """A 1-D function with a local minimum (right) and a lower global minimum (left)."""
    return x[0] ** 4 - 3 * x[0] ** 2 + x[0]


#: Learning rates for the bumpy function from x = 2: (η, key, Korean label).
BUMPY_RATES = ((0.01, "small", "작은 학습률"), (0.1, "large", "큰 학습률"))


def local_minimum(ref, start=2.0, steps=100):
    runs = []
    for lr, key, label in BUMPY_RATES:
        x, history = ref.gradient_descent.gradient_descent(bumpy, np.array([start]), lr=lr, step_num=steps)
        runs.append({"lr": lr, "key": key, "label": label, "x": float(x[0]), "history": history[:, 0],
                     "f": bumpy(x)})
    return {"start": start, "steps": steps, "runs": runs}


# Overfitting: a degree-9 polynomial (Legendre basis) fitted to 10 noisy points of sin(πx)
# by the reference gradient_descent, scored by the reference sum_squared_error.
OVERFIT = {"seed": 2, "n_train": 10, "degree": 9, "noise": 0.3, "lr": 0.3, "steps": 30000, "n_test": 500}


def _noisy_sine(rng, n, noise):
    x = rng.uniform(-1, 1, n)
    return x, np.sin(np.pi * x) + rng.normal(0, noise, n)


def fit_polynomial(ref, n_train=None, degree=None, weight_decay=0.0, curve=False):
    """Train one model; returns final train/test loss and (if ``curve``) the loss along training."""
    from numpy.polynomial import legendre

    cfg = OVERFIT
    n_train = n_train or cfg["n_train"]
    degree = degree or cfg["degree"]
    x_train, y_train = _noisy_sine(np.random.default_rng(cfg["seed"]), n_train, cfg["noise"])
    x_test, y_test = _noisy_sine(np.random.default_rng(cfg["seed"] + 1000), cfg["n_test"], cfg["noise"])
    features_train = legendre.legvander(x_train, degree)
    features_test = legendre.legvander(x_test, degree)

    def loss(w, features, y):
        return ref.losses.sum_squared_error((features @ w)[:, None], y[:, None])

    def objective(w):
        return loss(w, features_train, y_train) + weight_decay / 2 * w @ w

    def grad(w):  # ∂/∂w of the objective above
        return features_train.T @ (features_train @ w - y_train) / n_train + weight_decay * w

    w, history = ref.gradient_descent.gradient_descent(objective, np.zeros(degree + 1), lr=cfg["lr"],
                                                       step_num=cfg["steps"], grad=grad)
    result = {"n_train": n_train, "degree": degree, "weight_decay": weight_decay,
              "train": loss(w, features_train, y_train), "test": loss(w, features_test, y_test)}
    if curve:
        steps = np.unique(np.geomspace(1, cfg["steps"], 300).astype(int))
        result["steps"] = steps
        result["train_curve"] = np.array([loss(history[s], features_train, y_train) for s in steps])
        result["test_curve"] = np.array([loss(history[s], features_test, y_test) for s in steps])
        best = int(steps[np.argmin(result["test_curve"])])
        result["best_step"] = best
        result["best_test"] = loss(history[best], features_test, y_test)
        result["best_train"] = loss(history[best], features_train, y_train)
        result["x_train"], result["y_train"] = x_train, y_train
        grid = np.linspace(-1, 1, 300)
        result["grid"] = grid
        result["fit_best"] = legendre.legvander(grid, degree) @ history[best]
        result["fit_final"] = legendre.legvander(grid, degree) @ w
        # Where the final test loss comes from: test points outside the training points' range
        # are extrapolation, not "noise memorised between the points".
        inside = (x_test >= x_train.min()) & (x_test <= x_train.max())
        final_errors = 0.5 * (features_test @ w - y_test) ** 2
        result["train_range"] = (float(x_train.min()), float(x_train.max()))
        result["n_outside"] = int(np.sum(~inside))
        result["outside_share"] = float(final_errors[~inside].sum() / final_errors.sum())
        result["inside_final"] = loss(w, features_test[inside], y_test[inside])
        result["inside_best"] = loss(history[best], features_test[inside], y_test[inside])
        result["inside_curve"] = np.array([loss(history[s], features_test[inside], y_test[inside]) for s in steps])
        result["true_test"] = ref.losses.sum_squared_error(np.sin(np.pi * x_test)[:, None], y_test[:, None])
        result["x_test"], result["y_test"], result["w_final"] = x_test, y_test, w
    return result


def overfitting(ref):
    cfg = OVERFIT
    return {
        "base": fit_polynomial(ref, curve=True),
        "more_data": fit_polynomial(ref, n_train=10 * cfg["n_train"]),
        "simpler": fit_polynomial(ref, degree=3),
        "weight_decay": fit_polynomial(ref, weight_decay=1e-2),
        "noise_floor": cfg["noise"] ** 2 / 2,  # expected ½(noise)² even for the true curve
    }


# Why a loss and not accuracy: a one-weight classifier p = sigmoid(w·x + b) on 8 labelled points.
# The loss minimum lies where the accuracy is highest (checked in tests/test_docs_build.py); with
# ``b_mismatch`` instead of ``b`` it does not, which the page mentions.
WHY_LOSS = {"x": np.array([-2.0, -1.4, -0.9, -0.3, 0.2, 0.6, 1.1, 1.7]),
            "t": np.array([0, 0, 0, 1, 0, 1, 1, 1]), "b": -0.8, "w0": 0.5, "lr": 1.0, "steps": 100,
            "b_mismatch": 0.2}


def _why_probabilities(w, b):
    x = WHY_LOSS["x"]
    p = 1 / (1 + np.exp(-(w * x + b)))
    return np.stack([1 - p, p], axis=1)


def why_accuracy(w, b=None):
    b = WHY_LOSS["b"] if b is None else b
    return float(np.mean(np.argmax(_why_probabilities(w, b), axis=1) == WHY_LOSS["t"]))


def why_loss(ref, ws=np.linspace(-3, 4, 701)):
    t, b = WHY_LOSS["t"], WHY_LOSS["b"]

    def loss(w, b=b):
        return ref.losses.cross_entropy_error(_why_probabilities(w, b), t)

    w0 = WHY_LOSS["w0"]
    accuracy = np.array([why_accuracy(w) for w in ws])
    losses = np.array([loss(w) for w in ws])
    best = accuracy == accuracy.max()
    # Gradient descent on the loss (reference gradient_descent, numerical gradient) from w0.
    w_end, history = ref.gradient_descent.gradient_descent(lambda v: loss(v[0]), np.array([w0]),
                                                           lr=WHY_LOSS["lr"], step_num=WHY_LOSS["steps"])
    mismatch_losses = np.array([loss(w, WHY_LOSS["b_mismatch"]) for w in ws])
    mismatch_accuracy = np.array([why_accuracy(w, WHY_LOSS["b_mismatch"]) for w in ws])
    return {
        "ws": ws, "accuracy": accuracy, "loss": losses,
        "w0": w0, "accuracy_w0": why_accuracy(w0), "loss_w0": loss(w0),
        "d_accuracy": ref.gradient.numerical_diff(why_accuracy, w0),
        "d_loss": ref.gradient.numerical_diff(loss, w0),
        "best_accuracy": float(accuracy.max()), "best_from": float(ws[best].min()), "best_to": float(ws[best].max()),
        "w_min": float(ws[np.argmin(losses)]), "accuracy_at_min": float(accuracy[np.argmin(losses)]),
        "w_end": float(w_end[0]), "history": history[:, 0], "accuracy_end": why_accuracy(float(w_end[0])),
        "loss_end": loss(float(w_end[0])),
        "mismatch_best": float(mismatch_accuracy.max()),
        "mismatch_at_min": float(mismatch_accuracy[np.argmin(mismatch_losses)]),
    }


def grading():
    """Points per exercise and test from the suites (autograder.catalog.test_inventory)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from autograder import catalog

    catalog = importlib.reload(catalog)
    return catalog.EXERCISES, catalog.test_inventory()


def limits():
    """The grader's default limits for student code."""
    from autograder.protocol import Limits

    return Limits()


def sample_feedback(submission="examples/submissions/lee-junho", width=76, shown=3):
    """What ``nox -s check`` prints for a sample submission, and the hidden tests' messages for it."""
    from rich.console import Console

    from autograder.grade.engine import PUBLIC, Grader
    from autograder.report import console as report

    with Grader(visibility=(PUBLIC,)) as grader:  # exactly what `python -m autograder check` runs
        public = grader.grade(ROOT / submission)
    with Grader() as grader:
        full = grader.grade(ROOT / submission)
    # soft_wrap: lines are not broken at ``width`` (the page wraps them at the reader's screen width);
    # ``width`` only bounds the tables.
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None, soft_wrap=True)
    report.print_check(public, console)
    check_output = console.export_text().rstrip()
    # The first few hidden-test failures, in the report's own per-test format.
    hidden = Console(file=io.StringIO(), width=width, record=True, color_system=None, soft_wrap=True)
    failures = [t for t in full.not_passed() if t.hidden]
    for test in failures[:shown]:
        for line in report.test_lines(test, test.title, indent=""):
            hidden.print(line)
    return {"check_output": check_output, "hidden_output": hidden.export_text().rstrip(),
            "hidden_failures": failures, "score": full.score, "max_score": full.max_score}
