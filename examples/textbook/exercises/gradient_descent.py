"""교재 코드처럼 쓴 경사 하강법 (과제의 약속과 다른 곳이 있는 표본).

교재 4.4.1의 gradient_descent를 과제 스텁의 이름과 인수로 옮겨 적은 코드입니다. 교재처럼
받은 배열을 그대로 갱신하고, 갱신하기 전의 위치를 기록하며, 기울기는 언제나 수치 미분으로 구합니다.
"""

import numpy as np

from .gradient import numerical_gradient


def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):
    x = init_x
    visited = []
    for _ in range(step_num):
        visited.append(x.copy())
        x -= lr * numerical_gradient(f, x)
    return x, np.array(visited)
