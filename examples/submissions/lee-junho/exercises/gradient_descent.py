import numpy as np

from .gradient import numerical_gradient


def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):
    x = init_x
    history = []
    for _ in range(step_num):
        g = grad(x) if grad else numerical_gradient(f, x)
        x = x - lr * g
        history.append(x)
    return x, np.array(history)
