"""손실 함수(loss function): 오차제곱합과 교차 엔트로피 오차.

신경망의 출력 ``y``가 정답 ``t``와 얼마나 다른지를 하나의 실수로 나타냅니다.
값이 작을수록 좋은 예측입니다.
"""

import numpy as np

DELTA = 1e-7
"""교차 엔트로피 오차에서 log(0)을 막기 위해 y에 더하는 아주 작은 값 δ."""


def sum_squared_error(y, t):
    """오차제곱합(sum of squared errors, SSE)을 계산합니다.

    한 데이터에 대해 E = ½ Σₖ (yₖ − tₖ)²입니다.
    배치(N개의 데이터)가 들어오면 데이터마다 E를 구한 뒤 N으로 나눈 평균을 반환합니다.

    인수
    ----------
    y : numpy.ndarray
        신경망의 출력. 데이터 하나면 1차원 배열 (원소 K개),
        배치면 2차원 배열 (N행 K열, 한 행이 데이터 하나).
    t : numpy.ndarray
        정답 레이블. ``y``와 모양이 같습니다 (보통 원-핫 인코딩).

    반환값
    -------
    float
        오차제곱합. 배치면 데이터 하나당 평균값입니다.

    예시
    --------
    >>> t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    >>> y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    >>> round(sum_squared_error(y, t), 4)
    0.0975
    """
    # 여기에 코드를 작성하세요.
    raise NotImplementedError("sum_squared_error 함수를 아직 구현하지 않았습니다.")


def cross_entropy_error(y, t):
    """교차 엔트로피 오차(cross entropy error, CEE)를 계산합니다.

    한 데이터에 대해 E = −Σₖ tₖ log(yₖ + δ)이고, δ = 1e-7입니다.
    δ 덕분에 yₖ = 0이어도 log(0) = −∞가 되지 않습니다.
    배치(N개의 데이터)가 들어오면 N으로 나눈 평균을 반환합니다.

    인수
    ----------
    y : numpy.ndarray
        신경망의 출력(확률). 데이터 하나면 1차원 배열 (원소 K개),
        배치면 2차원 배열 (N행 K열).
    t : numpy.ndarray or int
        정답. 두 가지 형식을 모두 받아야 합니다.

        - 원-핫 인코딩: ``y``와 같은 모양의 배열.
        - 정답 클래스 번호(레이블): 데이터 하나면 정수 하나,
          배치면 길이 N인 정수 배열.

    반환값
    -------
    float
        교차 엔트로피 오차. 배치면 데이터 하나당 평균값입니다.

    예시
    --------
    >>> y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    >>> round(cross_entropy_error(y, np.eye(10)[2]), 4)  # 원-핫
    0.5108
    >>> round(cross_entropy_error(y, 2), 4)  # 레이블
    0.5108
    """
    # 여기에 코드를 작성하세요.
    raise NotImplementedError("cross_entropy_error 함수를 아직 구현하지 않았습니다.")
