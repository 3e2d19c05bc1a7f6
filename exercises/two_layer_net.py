"""2층 신경망(two-layer net)과 미니배치 학습.

입력 → (W1, b1) → 시그모이드 → (W2, b2) → 소프트맥스 → 확률.
기울기는 과제 2의 ``numerical_gradient`` (수치 미분)로, 손실은 과제 1의
``cross_entropy_error``로 구합니다. 시그모이드와 소프트맥스는 **제공 모듈**
``exercises/functions.py``에 있습니다 (지난 강의에서 만든 함수; 고치지 마세요).
"""

import numpy as np

from .functions import sigmoid, softmax
from .gradient import numerical_gradient
from .losses import cross_entropy_error


class TwoLayerNet:
    """은닉층이 하나인 2층 신경망.

    매개변수는 ``self.params`` 딕셔너리 하나에 모두 들어 있습니다.

    - ``params['W1']``: 1층 가중치, 모양 (input_size, hidden_size)
    - ``params['b1']``: 1층 편향, 모양 (hidden_size,)
    - ``params['W2']``: 2층 가중치, 모양 (hidden_size, output_size)
    - ``params['b2']``: 2층 편향, 모양 (output_size,)

    초기화 방법은 정해져 있습니다 (같은 ``rng``면 참조 구현과 똑같은 값이 나와야 합니다).

    1. ``rng``가 ``None``이면 ``np.random.default_rng()``로 새 난수 생성기를 만들고,
       아니면 받은 ``rng``를 그대로 씁니다.
    2. ``W1``은 ``weight_init_std * rng.standard_normal((input_size, hidden_size))``
    3. ``b1``은 ``np.zeros(hidden_size)``
    4. ``W2``는 ``weight_init_std * rng.standard_normal((hidden_size, output_size))``
    5. ``b2``는 ``np.zeros(output_size)``

    난수는 W1을 먼저, 그다음 W2를 뽑습니다(이 순서로 ``rng.standard_normal``을 두 번 부릅니다).
    편향은 0에서 시작합니다.

    시그모이드와 소프트맥스는 제공 모듈 ``exercises/functions.py``에서 불러옵니다
    (``from .functions import sigmoid, softmax``, 이미 적혀 있습니다). 그 파일은 고치지 마세요.

    인수
    ----------
    input_size : int
        입력 하나의 원소 수 (8×8 숫자 이미지라면 64).
    hidden_size : int
        은닉층의 뉴런 수.
    output_size : int
        출력(클래스)의 수 (숫자라면 10).
    weight_init_std : float, optional
        가중치를 뽑는 정규분포의 표준편차. 기본값 0.01.
    rng : numpy.random.Generator, optional
        가중치를 뽑을 난수 생성기. ``None`` (기본값)이면 ``np.random.default_rng()``를 새로 만듭니다.

    예시
    --------
    >>> net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2, rng=np.random.default_rng(0))
    >>> {key: value.shape for key, value in net.params.items()}
    {'W1': (4, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,)}
    >>> net.params['W1'][0].round(6)
    array([ 0.001257, -0.001321,  0.006404])
    >>> net.params['b1']
    array([0., 0., 0.])
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        # 여기에 코드를 작성하세요.
        raise NotImplementedError("TwoLayerNet.__init__ 함수를 아직 구현하지 않았습니다.")

    def predict(self, x):
        """입력 x에 대한 신경망의 출력(클래스별 확률)을 계산합니다 (순전파).

        a1 = x @ W1 + b1 → z1 = sigmoid(a1) → a2 = z1 @ W2 + b2 → y = softmax(a2)
        순서로 계산합니다 (``@``는 행렬 곱 ``np.dot``). 매개변수는 ``self.params``에서
        그때그때 읽습니다.

        인수
        ----------
        x : numpy.ndarray
            데이터 하나면 1차원 배열 (길이 input_size),
            배치면 2차원 배열 (N행 input_size열, 한 행이 데이터 하나).

        반환값
        -------
        numpy.ndarray
            데이터 하나면 길이 output_size, 배치면 모양 (N, output_size)인 확률.
            데이터마다 합이 1입니다.

        예시
        --------
        >>> net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
        >>> x = np.array([[1.0, 0.0, 0.5, 0.2], [0.0, 1.0, 1.0, 0.0]])
        >>> y = net.predict(x)
        >>> y.shape, y.sum(axis=1).round(6)
        ((2, 2), array([1., 1.]))
        >>> net.predict(x[0]).shape               # 데이터 하나
        (2,)
        """
        # 여기에 코드를 작성하세요.
        raise NotImplementedError("TwoLayerNet.predict 함수를 아직 구현하지 않았습니다.")

    def loss(self, x, t):
        """입력 x와 정답 t에 대한 손실(교차 엔트로피 오차)을 계산합니다.

        ``cross_entropy_error(self.predict(x), t)``입니다. 과제 1에서 만든
        ``cross_entropy_error``를 씁니다 (파일 맨 위에서 이미 불러와 두었습니다).

        인수
        ----------
        x : numpy.ndarray
            입력 (``predict``와 같습니다).
        t : numpy.ndarray
            정답. 원-핫 배열 또는 클래스 번호(정수) 배열.

        반환값
        -------
        float
            손실. 배치면 데이터 하나당 평균입니다.

        예시
        --------
        >>> net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
        >>> x = np.array([[1.0, 0.0, 0.5, 0.2], [0.0, 1.0, 1.0, 0.0]])
        >>> round(net.loss(x, np.array([0, 1])), 6)   # 처음에는 두 클래스가 반반: log 2 ≈ 0.6931
        0.693161
        """
        # 여기에 코드를 작성하세요.
        raise NotImplementedError("TwoLayerNet.loss 함수를 아직 구현하지 않았습니다.")

    def accuracy(self, x, t):
        """정확도: 가장 높은 확률의 클래스가 정답과 같은 데이터의 비율.

        예측 클래스는 ``self.predict(x)``의 각 행(마지막 축)에서 가장 큰 값의 위치(``np.argmax``)입니다. 정답 ``t``가
        원-핫이면(예측보다 차원이 하나 많으면) 먼저 ``np.argmax(t, axis=-1)``로
        클래스 번호로 바꿉니다.

        인수
        ----------
        x : numpy.ndarray
            입력 배치 (N행 input_size열).
        t : numpy.ndarray
            정답 배치. 원-핫 배열 (N행) 또는 클래스 번호(정수) 배열 (길이 N).

        반환값
        -------
        float
            0.0 이상 1.0 이하의 실수. (맞힌 데이터 수) / (데이터 수).

        예시
        --------
        >>> net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
        >>> x = np.array([[1.0, 0.0, 0.5, 0.2], [0.0, 1.0, 1.0, 0.0]])
        >>> net.predict(x).argmax(axis=1)
        array([1, 1])
        >>> net.accuracy(x, np.array([0, 1]))                  # 클래스 번호
        0.5
        >>> net.accuracy(x, np.array([[1.0, 0.0], [0.0, 1.0]]))  # 같은 정답, 원-핫
        0.5
        """
        # 여기에 코드를 작성하세요.
        raise NotImplementedError("TwoLayerNet.accuracy 함수를 아직 구현하지 않았습니다.")

    def numerical_gradient(self, x, t):
        """손실의 각 매개변수에 대한 기울기를 수치 미분으로 구합니다.

        과제 2의 ``numerical_gradient``를 씁니다 (파일 맨 위에서 이미 불러와 두었습니다).
        손실을 매개변수의 함수로 보는 함수 ``loss_W``를 만들고, 키마다 한 번씩 부릅니다::

            loss_W = lambda W: self.loss(x, t)
            grads['W1'] = numerical_gradient(loss_W, self.params['W1'])
            ...                                  # b1, W2, b2도 같은 방법으로

        ``loss_W``는 인수 ``W``를 쓰지 않습니다. ``numerical_gradient``가
        ``self.params['W1']`` 배열 **자체**의 원소를 잠시 바꾸면, ``self.loss``가 그 배열을
        읽기 때문에 손실이 변합니다. 그래서 복사본이 아니라 ``self.params[key]``를 그대로
        넘겨야 합니다. 끝나면 매개변수는 원래 값 그대로입니다.

        인수
        ----------
        x : numpy.ndarray
            입력 배치.
        t : numpy.ndarray
            정답 배치 (원-핫 또는 클래스 번호).

        반환값
        -------
        dict
            키 ``'W1'``, ``'b1'``, ``'W2'``, ``'b2'``마다 그 매개변수와 모양이 같은 기울기 배열.

        예시
        --------
        >>> net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
        >>> x = np.array([[1.0, 0.0, 0.5, 0.2], [0.0, 1.0, 1.0, 0.0]])
        >>> grads = net.numerical_gradient(x, np.array([0, 1]))
        >>> {key: g.shape for key, g in grads.items()}
        {'W1': (4, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,)}
        >>> grads['b2'].round(6)
        array([-0.003573,  0.003573])
        """
        # 여기에 코드를 작성하세요.
        raise NotImplementedError("TwoLayerNet.numerical_gradient 함수를 아직 구현하지 않았습니다.")


def train(network, x_train, t_train, x_test, t_test, iters, batch_size, lr, rng):
    """미니배치 확률적 경사 하강법(SGD)으로 신경망을 학습시킵니다.

    교재 4.5절의 ``train_neuralnet.py``와 같은 순서입니다. ``train_size``는 훈련 데이터의 수
    ``len(x_train)``, 1에폭의 갱신 횟수 ``iter_per_epoch``는 ``max(train_size // batch_size, 1)``
    입니다. ``i = 0, 1, ..., iters − 1``마다 다음을 **이 순서대로** 합니다.

    1. 미니배치 고르기: 번호 ``rng.choice(train_size, batch_size)`` (중복을 허락해 뽑습니다)로
       ``x_train``과 ``t_train``에서 같은 행을 골라 ``x_batch``, ``t_batch``로 둡니다.
    2. 기울기: ``network.numerical_gradient(x_batch, t_batch)``가 돌려준 딕셔너리 ``grads``.
    3. 갱신: ``'W1'``, ``'b1'``, ``'W2'``, ``'b2'``마다 ``network.params[key]``에서
       ``lr * grads[key]``를 뺍니다 (배열을 새로 만들지 않고 그 자리에서 바꿉니다).
    4. 기록: **갱신한 뒤** 같은 미니배치의 손실 ``network.loss(x_batch, t_batch)``를
       ``train_loss``에 붙입니다.
    5. ``i % iter_per_epoch == 0``이면 (i = 0에서도) 그 시점의 훈련 데이터 전체 정확도,
       시험 데이터 정확도, 시험 데이터 손실을 차례로 기록합니다.

    ``rng``는 1단계에만 씁니다. 그래서 같은 신경망, 같은 데이터, 같은 상태의 ``rng``면
    결과가 매번 똑같습니다. ``network.params``의 값이 학습된 값으로 바뀝니다.

    인수
    ----------
    network : TwoLayerNet
        학습시킬 신경망 (``numerical_gradient``, ``loss``, ``accuracy``를 부릅니다).
    x_train : numpy.ndarray
        훈련 데이터의 입력: 한 행이 데이터 하나인 2차원 배열 (N행).
    t_train : numpy.ndarray
        훈련 데이터의 정답 (N개): 원-핫 배열 또는 클래스 번호 배열. ``x_train``과 같은 순서입니다.
    x_test : numpy.ndarray
        시험 데이터의 입력. 학습(갱신)에는 쓰지 않고 기록에만 씁니다.
    t_test : numpy.ndarray
        시험 데이터의 정답 (원-핫 또는 클래스 번호). 기록에만 씁니다.
    iters : int
        갱신 횟수 (반복 횟수).
    batch_size : int
        미니배치의 크기.
    lr : float
        학습률 η.
    rng : numpy.random.Generator
        미니배치를 뽑을 난수 생성기.

    반환값
    -------
    dict
        float64 배열 네 개. 에폭 기록의 개수를 E = len(range(0, iters, iter_per_epoch)) 라 하면

        - ``'train_loss'``: 모양 (iters,). i번째 갱신 뒤의 미니배치 손실.
        - ``'train_acc'``: 모양 (E,). 기록 시점의 훈련 데이터 전체 정확도.
        - ``'test_acc'``: 모양 (E,). 기록 시점의 시험 데이터 정확도.
        - ``'test_loss'``: 모양 (E,). 기록 시점의 시험 데이터 손실.

    예시
    --------
    >>> from exercises.digits import load_digits
    >>> (x_train, t_train), (x_test, t_test) = load_digits()
    >>> net = TwoLayerNet(64, 3, 10, rng=np.random.default_rng(0))
    >>> history = train(net, x_train[:20], t_train[:20], x_test, t_test,
    ...                 iters=3, batch_size=10, lr=0.5, rng=np.random.default_rng(1))
    >>> {key: value.shape for key, value in history.items()}   # 에폭당 20 // 10 = 2번
    {'train_loss': (3,), 'train_acc': (2,), 'test_acc': (2,), 'test_loss': (2,)}
    >>> history['train_loss'].round(4)
    array([2.2351, 2.138 , 2.1591])
    """
    # 여기에 코드를 작성하세요.
    raise NotImplementedError("train 함수를 아직 구현하지 않았습니다.")
