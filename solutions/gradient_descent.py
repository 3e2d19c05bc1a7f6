"""경사 하강법(gradient descent).

기울기의 반대 방향으로 조금씩 이동하며 함수의 값을 줄여 나갑니다.
"""

import numpy as np

from .gradient import numerical_gradient


def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):
    """경사 하강법으로 함수 f를 최소화합니다.

    한 단계마다 x ← x − η ∇f(x)로 갱신합니다 (η = ``lr``, 학습률).
    지나온 위치를 모두 ``history``에 기록합니다.

    인수
    ----------
    f : callable
        배열을 받아 실수 하나를 돌려주는 함수 (최소화할 대상).
    init_x : numpy.ndarray
        시작 위치. 모양은 자유입니다. 이 배열은 **바꾸지 않습니다**.
    lr : float, optional
        학습률(learning rate) η. 기본값 0.01.
    step_num : int, optional
        갱신 횟수. 기본값 100.
    grad : callable, optional
        위치 x를 받아 ∇f(x)를 돌려주는 함수. 주면 기울기는 언제나 ``grad(x)``로 구하고
        f를 수치 미분하지 않습니다. ``None`` (기본값)일 때만
        ``exercises/gradient.py``의 ``numerical_gradient(f, x)``로 구합니다.

    반환값
    -------
    x : numpy.ndarray
        마지막 위치 (실수 배열, ``init_x``와 같은 모양).
    history : numpy.ndarray
        모양 ``(step_num + 1, *init_x.shape)``인 배열.
        ``history[0]``은 ``init_x``, ``history[i + 1] = history[i] − lr · ∇f(history[i])``,
        ``history[-1]``은 ``x``와 같습니다.

    예시
    --------
    >>> def function_2(x):
    ...     return x[0] ** 2 + x[1] ** 2
    >>> x, history = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1)
    >>> history.shape
    (101, 2)
    >>> bool(np.abs(x).max() < 1e-8)
    True
    """
    ### BEGIN SOLUTION
    if grad is None:
        grad = lambda point: numerical_gradient(f, point)  # noqa: E731
    x = np.array(init_x, dtype=float)  # 복사본: init_x는 그대로 둡니다.
    history = [x.copy()]
    for _ in range(step_num):
        x = x - lr * grad(x)
        history.append(x.copy())
    return x, np.array(history)
    ### END SOLUTION
