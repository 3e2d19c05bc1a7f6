"""The catalogue of classic mistakes the suites recognise, by key.

A suite that recognises a mistake fails with ``fail(message, mistake=KEY)``;
the key travels with the test's result, so the class report can count how
many students made each mistake and link to the page of the lecture site that
explains it. Labels are short Korean names for an instructor's table; the
messages students see stay in the suites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    label: str  # short Korean name (표의 한 칸)
    docs: str  # page/#heading of the lecture site that explains the concept ("" for none)


def _m(label: str, page: str, heading: str) -> Mistake:
    return Mistake(label, f"{page}/#{heading}")


MISTAKES: dict[str, Mistake] = {
    # losses
    "sse_without_half": _m("오차제곱합의 ½ 누락", "losses", "오차제곱합-sum-of-squared-errors-sse"),
    "batch_sum_not_mean": _m("배치 평균 누락 (합을 반환)", "losses", "미니배치-여러-데이터의-평균"),
    "mean_over_all_elements": _m("모든 원소의 평균 (np.mean)", "losses", "미니배치-여러-데이터의-평균"),
    "missing_minus": _m("교차 엔트로피의 마이너스 부호 누락", "losses", "교차-엔트로피-오차-cross-entropy-error-cee"),
    "log_of_zero": _m("log(0): 작은 값 δ 누락", "losses", "교차-엔트로피-오차-cross-entropy-error-cee"),
    "labels_not_supported": _m("클래스 번호 정답을 다루지 않음 (원-핫만)", "losses", "교차-엔트로피-오차-cross-entropy-error-cee"),
    "array_not_scalar": _m("실수 하나 대신 배열을 반환", "losses", "미니배치-여러-데이터의-평균"),
    # gradient
    "forward_difference": _m("전방 차분", "gradient", "문제-2-전방-차분은-x에서의-기울기가-아니다"),
    "divided_by_h": _m("2h 대신 h로 나눔", "gradient", "수치-미분-numerical-differentiation"),
    "h_too_small": _m("h가 너무 작음 (반올림 오차)", "gradient", "문제-1-h가-너무-작으면-반올림-오차"),
    "ignores_h": _m("인수 h를 무시함", "gradient", "수치-미분-numerical-differentiation"),
    "gradient_of_copy": _m("복사본의 기울기 (모두 0)", "gradient", "신경망에서의-기울기"),
    "x_not_restored": _m("x 복원 안 함", "gradient", "자주-하는-실수와-채점기가-알아채는-방법"),
    "one_dimensional_only": _m("1차원 배열만 처리", "gradient", "기울기-gradient"),
    # gradient_descent
    "gradient_ascent": _m("기울기 방향으로 이동 (경사 상승)", "gradient_descent", "아이디어-기울기를-따라-조금씩-내려가기"),
    "lr_ignored": _m("학습률 lr을 쓰지 않음", "gradient_descent", "자주-하는-실수와-채점기가-알아채는-방법"),
    "history_aliasing": _m("history에 같은 배열을 넣음 (copy 누락)", "gradient_descent",
                           "자주-하는-실수와-채점기가-알아채는-방법"),
    "history_without_start": _m("history에 시작 위치 누락", "gradient_descent", "자주-하는-실수와-채점기가-알아채는-방법"),
    "history_without_final": _m("history에 마지막 위치 누락 (갱신 전에만 기록)", "gradient_descent",
                                "자주-하는-실수와-채점기가-알아채는-방법"),
    "grad_ignored": _m("인수 grad를 무시함", "gradient_descent", "자주-하는-실수와-채점기가-알아채는-방법"),
    "init_x_modified": _m("init_x를 그대로 갱신함", "gradient_descent", "자주-하는-실수와-채점기가-알아채는-방법"),
    "returned_x_not_last": _m("반환한 x가 마지막 위치가 아님", "gradient_descent", "자주-하는-실수와-채점기가-알아채는-방법"),
    # two_layer_net
    "init_order": _m("가중치를 뽑는 순서가 다름", "two_layer_net", "2층-신경망"),
    "weight_init_std_ignored": _m("weight_init_std 무시", "two_layer_net", "2층-신경망"),
    "bias_not_zero": _m("편향을 0으로 시작하지 않음", "two_layer_net", "2층-신경망"),
    "predict_layers": _m("predict의 층 구성·편향 누락", "two_layer_net", "2층-신경망"),
    "softmax_overflow": _m("소프트맥스 오버플로", "two_layer_net", "자주-하는-실수"),
    "rng_ignored": _m("인수 rng를 쓰지 않음 (np.random)", "two_layer_net", "2층-신경망"),
    "accuracy_labels": _m("클래스 번호 정답에도 argmax", "two_layer_net", "자주-하는-실수"),
    "accuracy_one_hot": _m("원-핫 정답을 argmax 하지 않음", "two_layer_net", "자주-하는-실수"),
    "gradient_wrong_key": _m("다른 매개변수의 기울기를 넣음", "two_layer_net", "자주-하는-실수"),
    "params_not_restored": _m("기울기 계산 뒤 매개변수가 바뀜", "two_layer_net", "자주-하는-실수"),
    "minibatch_sampling": _m("미니배치를 잘못 뽑음", "two_layer_net", "미니배치와-에폭"),
    "params_replaced": _m("params를 새 배열로 바꿈", "two_layer_net", "자주-하는-실수"),
    "params_not_updated": _m("매개변수(편향 등)를 갱신하지 않음", "two_layer_net", "학습-알고리즘-네-단계의-반복"),
    # any exercise
    "no_return": Mistake("return 누락 (None)", ""),
}
