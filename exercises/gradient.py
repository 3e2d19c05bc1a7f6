"""수치 미분(numerical differentiation)과 기울기(gradient).

아주 작은 차분 h로 함수의 변화량을 재어 미분을 근사합니다.
"""

import numpy as np


def numerical_diff(f, x, h=1e-4):
    """중심 차분(central difference)으로 함수 f의 x에서의 미분을 근사합니다.

    f'(x) ≈ (f(x + h) − f(x − h)) / 2h

    전방 차분 (f(x + h) − f(x)) / h보다 오차가 훨씬 작습니다.
    h가 너무 작으면 (예: 1e-50) 반올림 오차 때문에 결과가 0이 되므로
    h는 1e-4 정도를 씁니다.

    인수
    ----------
    f : callable
        실수 하나를 받아 실수 하나를 돌려주는 함수.
    x : float
        미분할 위치.
    h : float, optional
        차분의 크기. 기본값 1e-4.

    반환값
    -------
    float
        x에서 f의 미분값(접선의 기울기)의 근삿값.

    예시
    --------
    >>> def function_1(x):
    ...     return 0.01 * x ** 2 + 0.1 * x
    >>> round(numerical_diff(function_1, 5), 6)
    0.2
    """
    # 여기에 코드를 작성하세요.
    raise NotImplementedError("numerical_diff 함수를 아직 구현하지 않았습니다.")


def numerical_gradient(f, x, h=1e-4):
    """함수 f의 x에서의 기울기(gradient)를 중심 차분으로 구합니다.

    x의 원소마다 편미분 ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h를 계산합니다.
    x는 벡터든 가중치 행렬이든 **어떤 모양**이어도 됩니다.

    계산 방법이 정해져 있습니다: 배열 ``x`` **자체**의 원소 하나를 잠시 바꾸고
    ``f(x)``를 부른 뒤 그 원소를 원래 값으로 되돌리는 일을 원소마다 반복합니다.
    그래서 인수를 쓰지 않고 같은 배열을 읽는 함수에도 쓸 수 있습니다::

        grads['W1'] = numerical_gradient(loss_W, net.params['W1'])

    함수가 끝나면 ``x``는 정확히 원래 값을 갖고 있어야 합니다.

    인수
    ----------
    f : callable
        배열을 받아 실수 하나(스칼라)를 돌려주는 함수.
    x : numpy.ndarray
        기울기를 구할 위치. 실수(float) 배열이며 모양은 자유입니다.
    h : float, optional
        차분의 크기. 기본값 1e-4.

    반환값
    -------
    numpy.ndarray
        ``x``와 모양이 같은 기울기 배열. ``grad[i]``는 ∂f/∂x[i]입니다.

    예시
    --------
    >>> def function_2(x):
    ...     return x[0] ** 2 + x[1] ** 2
    >>> numerical_gradient(function_2, np.array([3.0, 4.0])).round(6)
    array([6., 8.])
    """
    # 여기에 코드를 작성하세요.
    raise NotImplementedError("numerical_gradient 함수를 아직 구현하지 않았습니다.")
