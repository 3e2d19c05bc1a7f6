"""교재 코드처럼 쓴 2층 신경망과 학습 (과제의 약속과 다른 곳이 있는 표본).

교재 4.5.1의 TwoLayerNet과 4.5.2~4.5.3의 학습 코드(train_neuralnet.py)를 과제 스텁의 이름과
인수로 옮겨 적은 코드입니다. 교재처럼 전역 np.random으로 뽑고, accuracy는 원-핫 정답을 받으며,
에폭마다 훈련·시험 정확도만 기록합니다.
"""

import numpy as np

from .functions import sigmoid, softmax
from .gradient import numerical_gradient
from .losses import cross_entropy_error


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        self.params = {
            'W1': weight_init_std * np.random.randn(input_size, hidden_size),
            'b1': np.zeros(hidden_size),
            'W2': weight_init_std * np.random.randn(hidden_size, output_size),
            'b2': np.zeros(output_size),
        }

    def predict(self, x):
        hidden = sigmoid(np.dot(x, self.params['W1']) + self.params['b1'])
        return softmax(np.dot(hidden, self.params['W2']) + self.params['b2'])

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        guessed = np.argmax(self.predict(x), axis=1)
        answers = np.argmax(t, axis=1)
        return np.sum(guessed == answers) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        def loss_W(W):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_W, self.params[key]) for key in ('W1', 'b1', 'W2', 'b2')}


def train(network, x_train, t_train, x_test, t_test, iters, batch_size, lr, rng):
    train_size = x_train.shape[0]
    iter_per_epoch = max(train_size / batch_size, 1)
    train_loss, train_acc, test_acc = [], [], []
    for i in range(iters):
        picked = np.random.choice(train_size, batch_size)
        x_batch, t_batch = x_train[picked], t_train[picked]
        grads = network.numerical_gradient(x_batch, t_batch)
        for key in ('W1', 'b1', 'W2', 'b2'):
            network.params[key] -= lr * grads[key]
        train_loss.append(network.loss(x_batch, t_batch))
        if i % iter_per_epoch == 0:
            train_acc.append(network.accuracy(x_train, t_train))
            test_acc.append(network.accuracy(x_test, t_test))
    return {'train_loss': np.array(train_loss), 'train_acc': np.array(train_acc), 'test_acc': np.array(test_acc)}
