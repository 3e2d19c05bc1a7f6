"""The reference decides every score and every number on the site: check it against independent oracles.

Exact derivatives come from sympy; the losses are recomputed with plain
Python loops and ``math``; gradient descent on a quadratic is compared with
its closed form x_k = x* + (I - ηA)^k (x_0 - x*). Each oracle is a function
of the module it checks, and each is shown to catch a bug planted in a copy
of the reference, so a test here that passes means something.
"""

from __future__ import annotations

import math
import types

import numpy as np
import pytest
import sympy as sp

from autograder.catalog import EXERCISES
from conftest import ROOT

X0, X1, X2 = sp.symbols("x0 x1 x2")
#: The probe functions of the suites written again in sympy (not read from autograder/).
SCALAR = {"0.01x²+0.1x": 0.01 * X0**2 + 0.1 * X0, "x³": X0**3, "eˣ": sp.exp(X0), "sin x": sp.sin(X0)}
VECTOR = {"x0²+x1²": (X0**2 + X1**2, 2), "Σ exp": (sp.exp(X0) + sp.exp(X1) + sp.exp(X2), 3),
          "Σ x³": (X0**3 + X1**3 + X2**3, 3), "x0²x1 + sin x2": (X0**2 * X1 + sp.sin(X2), 3)}


def load(name: str, replace: tuple[str, str] | None = None) -> types.ModuleType:
    """``solutions/<name>.py`` as a fresh module, optionally with one planted edit."""
    source = (ROOT / "solutions" / f"{name}.py").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in source, replace
        source = source.replace(*replace)
    module = types.ModuleType(f"oracle_{name}")
    module.__dict__["__package__"] = "solutions"
    exec(compile(source, f"solutions/{name}.py", "exec"), module.__dict__)
    return module


# --- the oracles ---------------------------------------------------------------------------


def check_derivatives(gradient) -> None:
    for label, expr in SCALAR.items():
        f, exact = sp.lambdify(X0, expr, "numpy"), sp.lambdify(X0, sp.diff(expr, X0), "numpy")
        for x in (-1.5, 0.3, 2.0, 5.0):
            assert math.isclose(gradient.numerical_diff(f, x), exact(x), rel_tol=1e-6, abs_tol=1e-7), (label, x)


def check_gradients(gradient) -> None:
    rng = np.random.default_rng(7)
    for label, (expr, n) in VECTOR.items():
        symbols = (X0, X1, X2)[:n]
        f = sp.lambdify([symbols], expr, "numpy")
        exact = sp.lambdify([symbols], [sp.diff(expr, s) for s in symbols], "numpy")
        for shape in ((n,), (n, 1)):
            x = rng.uniform(-1.5, 1.5, size=shape)
            before = x.copy()
            got = gradient.numerical_gradient(lambda v: float(f(v.reshape(-1))), x)
            assert np.shape(got) == shape, label
            np.testing.assert_allclose(np.ravel(got), exact(before.reshape(-1)), rtol=1e-6, atol=1e-7, err_msg=label)  # truncation h²f'''/6
            assert np.array_equal(x, before), f"{label}: x not restored"


def check_losses(losses) -> None:
    rng = np.random.default_rng(11)
    y = rng.dirichlet(np.ones(5), size=4)
    labels = rng.integers(0, 5, size=4)
    t = np.eye(5)[labels]
    rows_sse = [0.5 * sum((yi - ti) ** 2 for yi, ti in zip(yr, tr)) for yr, tr in zip(y.tolist(), t.tolist())]
    rows_cee = [-math.log(yr[k] + 1e-7) for yr, k in zip(y.tolist(), labels.tolist())]
    assert math.isclose(losses.sum_squared_error(y[0], t[0]), rows_sse[0], rel_tol=1e-12)
    assert math.isclose(losses.sum_squared_error(y, t), sum(rows_sse) / 4, rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy_error(y[0], t[0]), rows_cee[0], rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy_error(y[0], int(labels[0])), rows_cee[0], rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy_error(y, t), sum(rows_cee) / 4, rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy_error(y, labels), sum(rows_cee) / 4, rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy_error(np.array([0.0, 1.0]), 0), -math.log(1e-7), rel_tol=1e-12)


def check_descent(descent) -> None:
    rng = np.random.default_rng(3)
    m = rng.normal(size=(3, 3))
    a, b = m @ m.T + np.eye(3), rng.normal(size=3)
    optimum = -np.linalg.solve(a, b)
    x0, lr, steps = rng.normal(size=3), 0.05, 25
    x, history = descent.gradient_descent(lambda v: 0.5 * v @ a @ v + b @ v, x0.copy(), lr=lr, step_num=steps,
                                          grad=lambda v: a @ v + b)
    contraction = np.eye(3) - lr * a
    closed = [optimum + np.linalg.matrix_power(contraction, k) @ (x0 - optimum) for k in range(steps + 1)]
    np.testing.assert_allclose(history, closed, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x, closed[-1], rtol=1e-10, atol=1e-12)


# --- the reference passes every oracle -------------------------------------------------------

#: The oracles of each exercise's reference. Exercise 4's are in tests/test_two_layer_net.py (backpropagation
#: written out, the training loop replayed).
ORACLES = {"losses": (check_losses,), "gradient": (check_derivatives, check_gradients),
           "gradient_descent": (check_descent,)}
ELSEWHERE = {"two_layer_net": "tests/test_two_layer_net.py"}


def test_every_exercise_has_an_independent_oracle():
    assert set(ORACLES) | set(ELSEWHERE) == {e.name for e in EXERCISES}
    assert all((ROOT / path).is_file() for path in ELSEWHERE.values())
    assert {oracle for _, oracle, _ in PLANTED} == {o for oracles in ORACLES.values() for o in oracles}


@pytest.mark.parametrize("module, oracle", [(m, o) for m, oracles in ORACLES.items() for o in oracles],
                         ids=lambda value: getattr(value, "__name__", value))
def test_the_reference_passes_its_oracle(module, oracle):
    oracle(load(module))


# --- and each oracle catches a bug planted in the reference ------------------------------------

PLANTED = [
    ("gradient", check_derivatives, ("return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x)) / h")),
    ("gradient", check_gradients, ("x[idx] = original  # 원래 값으로 되돌립니다.", "pass")),
    ("gradient", check_gradients, ("grad[idx] = (f_plus - f_minus) / (2 * h)", "grad[idx] = (f_plus - f_minus) / h")),
    ("losses", check_losses, ("return float(0.5 * np.sum((y - t) ** 2) / batch_size)",
                              "return float(0.5 * np.sum((y - t) ** 2))")),
    ("losses", check_losses, ("DELTA = 1e-7", "DELTA = 1e-5")),
    ("gradient_descent", check_descent, ("x = x - lr * grad(x)", "x = x - lr * grad(x) * 1.001")),
]


@pytest.mark.parametrize("module, oracle, bug", PLANTED, ids=[f"{m}: {b[1][:40]}" for m, _, b in PLANTED])
def test_an_oracle_catches_a_bug_planted_in_the_reference(module, oracle, bug):
    with pytest.raises(AssertionError):
        oracle(load(module, bug))
