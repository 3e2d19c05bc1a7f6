"""Data of the learning-rate explorer on the gradient-descent page, computed by the reference.

For every learning rate of :data:`RATES` and every start of :data:`STARTS`, the
reference ``gradient_descent`` (numerical gradient, the exercise's default)
makes :data:`STEPS` updates on the textbook's ``function_2``. The page's script
(docs/assets/javascripts/descent-explorer.js) only draws what is recorded here:
the points, ``f`` at each, the factor ``x`` is multiplied by in the first
update, and where the numerical gradient breaks down, measured against the
exact gradient ``2x`` at every visited point (it breaks where ``|x|`` is so
large that ``x ± h`` rounds to ``x``, and where ``|x|`` is so much smaller than
``h`` that ``x + h`` rounds to ``h``). Nothing is computed in the browser and
nothing is fetched: the data is a script of the site itself.
"""

from __future__ import annotations

import json

import numpy as np

RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05,
         1.1, 10.0)
STARTS = ((-3.0, 4.0), (4.0, 1.0), (2.0, -3.5), (-4.0, -2.0), (0.5, 4.5), (-1.5, 0.5))
STEPS = 30
BROKEN = 1e-2  # a numerical gradient this far from 2x (relative) counts as broken


def relative_error(numerical: np.ndarray, exact: np.ndarray) -> float:
    """max over coordinates of |g − 2x| / |2x| (a coordinate at exactly 0 counts only if g is not 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        errors = np.where(exact != 0, np.abs(numerical - exact) / np.abs(exact), np.where(numerical != 0, np.inf, 0))
    return float(errors.max())


def frozen_at(history: np.ndarray) -> int | None:
    """The first position from which some non-zero coordinate never moves again (before the last step)."""
    found = []
    for i in range(history.shape[1]):
        moved = np.flatnonzero(history[1:, i] != history[:-1, i])
        last_move = int(moved.max()) + 1 if moved.size else 0
        if last_move < len(history) - 1 and history[last_move, i] != 0:
            found.append(last_move)
    return min(found) if found else None


def run(ref, function, start, lr) -> dict:
    _, history = ref.gradient_descent.gradient_descent(function, np.array(start), lr=lr, step_num=STEPS)
    errors = [relative_error(ref.gradient.numerical_gradient(function, p.copy()), 2 * p) for p in history[:-1]]
    broken = next((k for k, e in enumerate(errors) if e > BROKEN), None)
    # Two ways to break: |x| so large that x ± h rounds to x, or so much smaller than h that x + h rounds to h.
    kind = None if broken is None else "large" if np.abs(history[broken]).max() > 1 else "small"
    return {"path": [[_short(v) for v in p] for p in history], "f": [_short(function(p)) for p in history],
            "factor": _short(history[1, 0] / history[0, 0]), "broken": broken, "kind": kind,
            "frozen": frozen_at(history)}


def _short(value) -> float:
    """Six significant digits: more than the readout shows, and small enough to ship."""
    return float(f"{float(value):.6g}")


def data(ref, function) -> dict:
    return {"rates": list(RATES), "starts": [list(s) for s in STARTS], "steps": STEPS, "broken": BROKEN,
            "runs": [[run(ref, function, start, lr) for lr in RATES] for start in STARTS]}


def script(data: dict) -> str:
    """:func:`data` as a script that defines ``window.DESCENT_EXPLORER``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"window.DESCENT_EXPLORER = {text};\n"
