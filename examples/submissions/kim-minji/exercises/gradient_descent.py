import numpy as np

from exercises.gradient import numerical_gradient


def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):
    x = init_x.copy()
    x_history = [x.copy()]
    for i in range(step_num):
        g = numerical_gradient(f, x) if grad is None else grad(x)
        x -= lr * g
        x_history.append(x.copy())
    return x, np.array(x_history)
