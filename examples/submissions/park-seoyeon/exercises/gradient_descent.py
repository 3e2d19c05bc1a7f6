import numpy as np


def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None)
    x = np.array(init_x, dtype=float)
    return x, np.array([x])
