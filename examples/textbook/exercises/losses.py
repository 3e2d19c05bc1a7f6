"""교재 코드처럼 쓴 손실 함수 (과제의 약속과 다른 곳이 있는 표본).

교재 4.2.1의 오차제곱합(데이터 하나만)과 4.2.4의 교차 엔트로피 오차(원-핫 정답의 배치 평균)를
과제 스텁의 이름과 인수로 옮겨 적은 코드입니다.
"""

import numpy as np


def sum_squared_error(y, t):
    difference = np.asarray(y) - np.asarray(t)
    return 0.5 * np.sum(difference ** 2)  # 배치여도 모든 데이터의 합


def cross_entropy_error(y, t):
    if y.ndim == 1:  # 데이터 하나는 행이 하나인 배치로
        y, t = y.reshape(1, y.size), t.reshape(1, t.size)
    rows = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / rows  # 원-핫 정답만
