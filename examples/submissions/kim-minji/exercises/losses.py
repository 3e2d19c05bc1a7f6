import numpy as np


def sum_squared_error(y, t):
    if y.ndim == 1:
        return 0.5 * np.sum((y - t) ** 2)
    return 0.5 * np.sum((y - t) ** 2) / y.shape[0]


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size) if np.ndim(t) else np.array([t])
        y = y.reshape(1, y.size)

    # 정답이 원-핫이면 정답 레이블의 인덱스로 바꾼다
    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
