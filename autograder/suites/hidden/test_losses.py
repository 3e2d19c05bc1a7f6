"""숨은 테스트: 손실 함수 (losses).

Inputs are seeded random batches (rows drawn from a Dirichlet distribution, so
each row is a probability vector like a softmax output).

Tolerances: SSE rtol 1e-6 (arithmetic only; accepts float32). CEE rtol 1e-5:
accepts clipping y at δ instead of adding δ, which differ by at most δ/y
relative; every y used here is ≥ 1e-3 except the deliberate zero.
"""

import numpy as np

from ..support import as_float, expect_close, expect_finite, fail, got_want, numbers, points

RTOL_SSE = 1e-6
RTOL_CEE = 1e-5


def batch(seed, n, k=10):
    rng = np.random.default_rng(seed)
    y = rng.dirichlet(np.full(k, 2.0), size=n)
    y = np.maximum(y, 1e-3)
    y /= y.sum(axis=1, keepdims=True)
    labels = rng.integers(0, k, size=n)
    return y, np.eye(k)[labels], labels


def sse(student, reference, y, t):
    got = as_float(student.losses.sum_squared_error(y, t), "sum_squared_error")
    return got, reference.losses.sum_squared_error(y, t)


def cee(student, reference, y, t):
    got = as_float(student.losses.cross_entropy_error(y, t), "cross_entropy_error")
    return got, reference.losses.cross_entropy_error(y, t)


@points(3)
def test_sse_single_sample(student, reference):
    """데이터 하나(1차원 배열)의 오차제곱합 E = ½ Σₖ (yₖ − tₖ)²"""
    y, t, _ = batch(401, 1)
    got, want = sse(student, reference, y[0], t[0])
    if np.isclose(got, 2 * want, rtol=RTOL_SSE):
        fail(f"오차제곱합에는 ½을 곱해야 합니다: E = ½ Σₖ (yₖ − tₖ)². {got_want(got, want)}", "sse_without_half")
    expect_close(got, want, RTOL_SSE, 1e-12, "오차제곱합 E = ½ Σₖ (yₖ − tₖ)² 의 값과 다릅니다.")


@points(4)
def test_sse_batch_mean(student, reference):
    """배치(2차원 배열) 입력에서는 데이터 하나당 평균 오차제곱합"""
    n = 6
    y, t, _ = batch(402, n)
    got, want = sse(student, reference, y, t)
    if np.isclose(got, n * want, rtol=RTOL_SSE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다. {got_want(got, want)}", "batch_sum_not_mean")
    if np.isclose(got, 2 * want, rtol=RTOL_SSE) or np.isclose(got, 2 * n * want, rtol=RTOL_SSE):
        fail(f"오차제곱합에는 ½을 곱해야 합니다: E = ½ Σₖ (yₖ − tₖ)². {got_want(got, want)}", "sse_without_half")
    if np.isclose(got, 2 * want / y.shape[1], rtol=RTOL_SSE):
        fail(f"모든 원소의 평균(np.mean)이 아니라, 데이터마다 ½ Σₖ (yₖ − tₖ)² 를 구해 N으로 나눠야 합니다. "
             f"{got_want(got, want)}", "mean_over_all_elements")
    expect_close(got, want, RTOL_SSE, 1e-12, "배치의 평균 오차제곱합과 다릅니다.")


@points(4)
def test_cee_zero_probability_is_finite(student, reference):
    """정답 클래스의 확률이 정확히 0이어도 δ 덕분에 유한한 값"""
    y = np.array([0.0, 0.3, 0.7])
    t = np.array([1.0, 0.0, 0.0])
    got = student.losses.cross_entropy_error(y, t)
    value = numbers(got, "cross_entropy_error")
    if value.ndim == 0 and not np.isfinite(value):
        fail(f"y가 0이면 log(0) = −∞ 이 됩니다. log(y + δ) 처럼 아주 작은 값 δ = 1e-7을 더하세요 (반환값 {got}).", "log_of_zero")
    got = as_float(got, "cross_entropy_error")
    want = reference.losses.cross_entropy_error(y, t)
    expect_finite(got, "y가 0이어도 유한한 값을 반환해야 합니다.")
    expect_close(got, want, RTOL_CEE, 1e-9, "정답 확률이 0일 때 −log(0 + δ) 를 반환해야 합니다 (δ = 1e-7).")


@points(4)
def test_cee_one_hot_batch_mean(student, reference):
    """원-핫 정답의 배치: 데이터 하나당 평균 교차 엔트로피 오차"""
    n = 5
    y, t, _ = batch(403, n)
    got, want = cee(student, reference, y, t)
    if np.isclose(got, n * want, rtol=RTOL_CEE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다. {got_want(got, want)}", "batch_sum_not_mean")
    if np.isclose(got, -want, rtol=RTOL_CEE):
        fail(f"마이너스 부호를 빠뜨렸습니다: E = −Σₖ tₖ log(yₖ + δ). {got_want(got, want)}", "missing_minus")
    expect_close(got, want, RTOL_CEE, 1e-12, "원-핫 정답 배치의 평균 교차 엔트로피 오차와 다릅니다.")


@points(3)
def test_cee_label_single_sample(student, reference):
    """정답이 클래스 번호(정수 하나)인 데이터 하나"""
    y, _, labels = batch(404, 1)
    label = int(labels[0])
    got, want = cee(student, reference, y[0], label)
    expect_close(got, want, RTOL_CEE, 1e-12,
                 f"정답이 원-핫이 아니라 클래스 번호({label})로 주어지면 그 클래스의 확률 y[{label}]로 "
                 "−log(y[t] + δ) 를 계산해야 합니다.")


@points(4)
def test_cee_label_batch(student, reference):
    """정답이 클래스 번호 배열(길이 N)인 배치"""
    n = 7
    y, _, labels = batch(405, n)
    got, want = cee(student, reference, y, labels)
    if np.isclose(got, n * want, rtol=RTOL_CEE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다. {got_want(got, want)}", "batch_sum_not_mean")
    expect_close(got, want, RTOL_CEE, 1e-12,
                 "정답이 클래스 번호 배열이면 각 데이터의 정답 클래스 확률 y[i, t[i]]로 −log(y + δ) 의 "
                 "평균을 구해야 합니다 (np.arange(N)과 t로 인덱싱).")
