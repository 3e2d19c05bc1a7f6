import numpy as np


def sum_squared_error(y, t):
    # 배치도 그냥 전부 더했다
    return 0.5 * np.sum((y - t) ** 2)


def cross_entropy_error(y, t):
    delta = 1e-7
    if y.ndim == 1:
        return -np.sum(t * np.log(y + delta))
    return -np.sum(t * np.log(y + delta)) / y.shape[0]
