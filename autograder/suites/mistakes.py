"""The catalogue of classic mistakes the suites recognise, by key.

A suite that recognises a mistake fails with ``fail(message, mistake=KEY)``;
the key travels with the test's result, so every report can link it to the
section of the lecture site that explains it and the class report can count
how many students made it. Labels are short Korean names; ``how`` says how the
grader recognises the mistake. Each exercise page's «자주 하는 실수» table is
made from this catalogue at build time (hooks/mistake_tables.py), with the
messages the suites really print; the messages themselves stay in the suites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    label: str  # short Korean name (표의 한 칸)
    docs: str  # page/#heading of the lecture site that explains the concept ("" for none)
    how: str  # how the grader recognises it (Korean Markdown, a cell of the lecture site's table)


def _m(label: str, page: str, heading: str, how: str) -> Mistake:
    return Mistake(label, f"{page}/#{heading}", how)


TABLE = "자주-하는-실수와-채점기가-알아채는-방법"  # the exercise pages' table of these mistakes

MISTAKES: dict[str, Mistake] = {
    # losses
    "sse_without_half": _m("오차제곱합의 ½ 누락", "losses", "오차제곱합-sum-of-squared-errors-sse",
                           "반환값이 기댓값의 정확히 2배"),
    "batch_sum_not_mean": _m("배치 평균 누락 (합을 반환)", "losses", "미니배치-여러-데이터의-평균",
                             "반환값이 기댓값(배치 평균)의 N배"),
    "mean_over_all_elements": _m("모든 원소의 평균 (np.mean)", "losses", "미니배치-여러-데이터의-평균",
                                 "반환값이 기댓값의 2/K배 (K는 클래스 수)"),
    "missing_minus": _m("교차 엔트로피의 마이너스 부호 누락", "losses", "교차-엔트로피-오차-cross-entropy-error-cee",
                        "반환값이 기댓값과 부호만 다름"),
    "log_of_zero": _m("log(0): 작은 값 δ 누락", "losses", "교차-엔트로피-오차-cross-entropy-error-cee",
                      "정답 확률이 0인 입력에서 유한하지 않은 값(`inf`, `nan`)을 반환"),
    "labels_not_supported": _m("클래스 번호 정답을 다루지 않음 (원-핫만)", "losses", "교차-엔트로피-오차-cross-entropy-error-cee",
                               "같은 정답을 원-핫으로 주면 되는데 클래스 번호로 주면 오류가 남"),
    "array_not_scalar": _m("실수 하나 대신 배열을 반환", "losses", "미니배치-여러-데이터의-평균",
                           "반환값이 원소가 둘 이상인 배열"),
    # gradient
    "forward_difference": _m("전방 차분", "gradient", "문제-2-전방-차분은-x에서의-기울기가-아니다",
                             "반환값이 같은 \\(h\\)로 계산한 전방 차분 \\((f(x+h) - f(x))/h\\)의 값과 같음"),
    "divided_by_h": _m("2h 대신 h로 나눔", "gradient", "수치-미분-numerical-differentiation",
                       "반환값이 기댓값의 정확히 2배"),
    "h_too_small": _m("h가 너무 작음 (반올림 오차)", "gradient", "문제-1-h가-너무-작으면-반올림-오차",
                      "0이 아닌 미분(기울기)에서 반환값이 0"),
    "ignores_h": _m("인수 h를 무시함", "gradient", "수치-미분-numerical-differentiation",
                    "`h=0.5`로 불렀는데 기본값 `h=1e-4`로 계산한 값이 나옴"),
    "gradient_of_copy": _m("복사본의 기울기 (모두 0)", "gradient", "신경망에서의-기울기",
                           "인수를 쓰지 않고 원래 배열을 읽는 함수(`lambda W: net.loss(x, t)` 방식)에서 기울기가 모두 0"),
    "x_not_restored": _m("x 복원 안 함", "gradient", "신경망에서의-기울기",
                         "함수가 끝난 뒤 `x`를 부르기 전의 값과 비교"),
    "one_dimensional_only": _m("1차원 배열만 처리", "gradient", "기울기-gradient",
                               "2×3 행렬과 2×2×3 배열로 불렀을 때 오류(`IndexError` 등)가 남"),
    # gradient_descent
    "gradient_ascent": _m("기울기 방향으로 이동 (경사 상승)", "gradient_descent", "아이디어-기울기를-따라-조금씩-내려가기",
                          "첫 걸음이 기울기 방향으로 올라간 위치와 같음"),
    "lr_ignored": _m("학습률 lr을 쓰지 않음", "gradient_descent", TABLE,
                     "첫 걸음이 학습률 1이나 기본값 0.01로 간 위치와 같음"),
    "history_aliasing": _m("history에 같은 배열을 넣음 (copy 누락)", "gradient_descent", TABLE,
                           "`history`의 모든 위치가 마지막 위치와 같음"),
    "history_without_start": _m("history에 시작 위치 누락", "gradient_descent", TABLE,
                                "`history`의 모양이 `(step_num, ...)`이고 `history[0]`이 시작 위치가 아님"),
    "history_without_final": _m("history에 마지막 위치 누락 (갱신 전에만 기록)", "gradient_descent", TABLE,
                                "`history`의 모양이 `(step_num, ...)`이고 `history[0]`은 시작 위치"),
    "grad_ignored": _m("인수 grad를 무시함", "gradient_descent", TABLE,
                       "`grad`를 주었는데 경로가 `f`를 수치 미분한 경로나 `grad` 없이 부른 경로와 같음"),
    "init_x_modified": _m("init_x를 그대로 갱신함", "gradient_descent", TABLE,
                          "함수가 끝난 뒤 `init_x`를 부르기 전의 값과 비교"),
    "returned_x_not_last": _m("반환한 x가 마지막 위치가 아님", "gradient_descent", TABLE,
                              "반환한 `x`와 `history[-1]`을 비교"),
    # two_layer_net
    "init_order": _m("가중치를 뽑는 순서가 다름", "two_layer_net", "2층-신경망",
                     "`W1`이 `W2`를 먼저 뽑았을 때의 값과 같음"),
    "weight_init_std_ignored": _m("weight_init_std 무시", "two_layer_net", "2층-신경망",
                                  "`weight_init_std`를 바꿔 만들었는데 `W1`이 0.01을 곱한 값과 같음"),
    "bias_not_zero": _m("편향을 0으로 시작하지 않음", "two_layer_net", "2층-신경망",
                        "`__init__`이 만든 `b1`, `b2`에 0이 아닌 원소가 있음"),
    "predict_layers": _m("predict의 층 구성·편향 누락", "two_layer_net", "2층-신경망",
                         "`predict`의 행마다 확률의 합은 1인데 값이 다름"),
    "softmax_overflow": _m("소프트맥스 오버플로", "two_layer_net", TABLE,
                           "아주 큰 가중치에서 `predict`가 `nan`이나 `inf`를 돌려줌"),
    "rng_ignored": _m("인수 rng를 쓰지 않음 (np.random)", "two_layer_net", "2층-신경망",
                      "같은 상태의 `rng`로 두 번 만들었는데 `W1`이 다름"),
    "accuracy_labels": _m("클래스 번호 정답에도 argmax", "two_layer_net", TABLE,
                          "정답을 원-핫으로 주면 되는데 클래스 번호로 주면 오류가 남"),
    "accuracy_one_hot": _m("원-핫 정답을 argmax 하지 않음", "two_layer_net", TABLE,
                           "같은 정답을 레이블과 원-핫으로 주었을 때 정확도가 다르거나 오류가 남"),
    "gradient_wrong_key": _m("다른 매개변수의 기울기를 넣음", "two_layer_net", TABLE,
                             "`grads[key]`가 다른 키의 매개변수 모양이거나 그 기울기와 같음"),
    "params_not_restored": _m("기울기 계산 뒤 매개변수가 바뀜", "two_layer_net", TABLE,
                              "`numerical_gradient`가 끝난 뒤 `self.params`를 부르기 전의 값과 비교"),
    "minibatch_sampling": _m("미니배치를 잘못 뽑음", "two_layer_net", "미니배치와-에폭",
                             "기울기를 구한 미니배치의 행 번호가 `rng.choice(train_size, batch_size)`와 다름"),
    "params_replaced": _m("params를 새 배열로 바꿈", "two_layer_net", "할-일",
                          "학습이 끝난 뒤 처음에 넘긴 `params`의 배열은 그대로인데 `network.params`에는 새 배열이 있음"),
    "params_not_updated": _m("매개변수(편향 등)를 갱신하지 않음", "two_layer_net", "학습-알고리즘-네-단계의-반복",
                             "학습이 끝난 뒤에도 처음 값 그대로인 매개변수가 있음"),
    # any exercise
    "no_return": Mistake("return 누락 (None)", "", "반환값이 `None`"),
}
