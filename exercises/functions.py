"""시그모이드와 소프트맥스 (3강에서 구현한 함수).

**제공 모듈입니다. 고치지 마세요.** 과제 4(``two_layer_net.py``)가
``from .functions import sigmoid, softmax``로 불러 씁니다. 채점할 때도 이 파일을
그대로 씁니다.
"""

import numpy as np


def sigmoid(x):
    """시그모이드 함수 σ(x) = 1 / (1 + exp(−x))를 원소마다 계산합니다.

    x가 아주 큰 음수이면 exp(−x)가 무한대(inf)가 되지만, 1 / (1 + inf) = 0이므로
    결과는 올바릅니다. 이때 나오는 넘침(overflow) 경고는 표시하지 않습니다.

    인수
    ----------
    x : numpy.ndarray or float
        입력. 모양은 자유입니다.

    반환값
    -------
    numpy.ndarray or float
        ``x``와 모양이 같고, 원소가 0과 1 사이인 값.

    예시
    --------
    >>> sigmoid(np.array([-1.0, 0.0, 2.0])).round(4)
    array([0.2689, 0.5   , 0.8808])
    >>> float(sigmoid(-1000.0))
    0.0
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def softmax(x):
    """소프트맥스 함수로 점수(score)를 확률로 바꿉니다.

    yₖ = exp(xₖ − max(x)) / Σᵢ exp(xᵢ − max(x)).
    최댓값을 빼도 결과는 수학적으로 같고, exp가 넘치지(overflow) 않습니다.

    인수
    ----------
    x : numpy.ndarray
        1차원 배열 (데이터 하나, 원소 K개) 또는 2차원 배열 (N행 K열, 한 행이 데이터 하나).

    반환값
    -------
    numpy.ndarray
        ``x``와 모양이 같은 확률. 데이터마다(2차원이면 행마다) 합이 1입니다.

    예시
    --------
    >>> softmax(np.array([0.3, 2.9, 4.0])).round(4)
    array([0.0182, 0.2452, 0.7366])
    >>> softmax(np.array([[1010.0, 1000.0, 990.0], [0.0, 0.0, 0.0]])).round(4)
    array([[1.    , 0.    , 0.    ],
           [0.3333, 0.3333, 0.3333]])
    """
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=-1, keepdims=True)
