"""교재 코드처럼 쓴 수치 미분 (과제의 약속과 다른 곳이 있는 표본).

교재 4.3.1의 중심 차분과 4.4의 기울기(np.nditer로 모든 원소를 돌기)를 과제 스텁의 이름과
인수로 옮겨 적은 코드입니다. 교재처럼 h는 함수 안에서 1e-4로 정합니다.
"""

import numpy as np


def numerical_diff(f, x, h=1e-4):
    step = 1e-4  # 교재처럼 함수 안에서 정한 값 (인수 h는 쓰지 않음)
    return (f(x + step) - f(x - step)) / (2 * step)


def numerical_gradient(f, x, h=1e-4):
    step = 1e-4
    grad = np.zeros_like(x)
    cursor = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
    while not cursor.finished:
        index = cursor.multi_index
        kept = x[index]
        x[index] = float(kept) + step
        upper = f(x)
        x[index] = kept - step
        lower = f(x)
        grad[index] = (upper - lower) / (2 * step)
        x[index] = kept
        cursor.iternext()
    return grad
