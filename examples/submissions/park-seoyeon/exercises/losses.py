import numpy as np


def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    n = 1 if y.ndim == 1 else len(y)
    return float(np.sum((y - t) ** 2) / 2 / n)


def cross_entropy_error(y, t):
    y = np.atleast_2d(y)
    t = np.asarray(t)
    if t.shape != y.shape:
        t = np.eye(y.shape[1])[np.atleast_1d(t)]
    return float(-np.mean(np.sum(t * np.log(y + 1e-7), axis=1)))
