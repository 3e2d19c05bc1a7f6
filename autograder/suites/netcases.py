"""Tiny networks and data for the two_layer_net suites (fixed seeds: every call takes milliseconds)."""

import numpy as np

from .support import instance

SIZES = (4, 3, 2)  # input, hidden, output


def blank_net():
    """The student's TwoLayerNet before ``__init__`` ran (for testing ``__init__`` itself)."""
    return instance("TwoLayerNet", {})


def params(seed, scale=0.5, sizes=SIZES):
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    return {"W1": scale * rng.standard_normal((n_in, n_hidden)), "b1": scale * rng.standard_normal(n_hidden),
            "W2": scale * rng.standard_normal((n_hidden, n_out)), "b2": scale * rng.standard_normal(n_out)}


def net(seed, scale=0.5, **overrides):
    """The student's TwoLayerNet with fixed random parameters and some methods replaced by probes."""
    return instance("TwoLayerNet", params(seed, scale), overrides)


def sample(seed, n, width=SIZES[0]):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, width))


def labels(seed, n, classes=SIZES[2]):
    return np.random.default_rng(seed).integers(0, classes, size=n)


def fixed_output(y, x=None):
    """predict() replaced: returns ``y`` (a batch of probabilities) for the input ``x`` (for any input if
    ``x`` is None); for another input the classes of ``y`` rotated by one."""
    return {"method": "fixed_output", "y": np.asarray(y, dtype=float), "x": None if x is None else np.asarray(x, float)}


def probabilities(seed, n, classes=SIZES[2]):
    y = np.random.default_rng(seed).dirichlet(np.full(classes, 2.0), size=n)
    return np.maximum(y, 1e-3) / np.maximum(y, 1e-3).sum(axis=1, keepdims=True)
