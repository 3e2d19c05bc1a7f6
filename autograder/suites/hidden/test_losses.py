"""숨은 테스트: 손실 함수 (losses).

Inputs are seeded random batches (rows drawn from a Dirichlet distribution, so
each row is a probability vector like a softmax output).

One property per test, one mistake per deduction: the formula (½, the minus
sign) is judged on a single sample; the batch tests judge the mean and the
label tests judge the labels *relative to the student's own single-sample or
one-hot value* when that value is the reference's or a catalogued slip owned
by another test (:mod:`..own`), so a slip in the formula is not charged
again there.

Tolerances: SSE rtol 1e-6 (arithmetic only; accepts float32). CEE rtol 1e-5:
accepts clipping y at δ instead of adding δ, which differ by at most δ/y
relative; every answer's y used here is ≥ 0.03 except the deliberate zeros.
"""

import numpy as np

from ...protocol import StudentCodeError
from ..own import own_scale, side_number
from ..support import as_float, expect_close, expect_finite, fail, got_want, numbers, points

RTOL_SSE = 1e-6
RTOL_CEE = 1e-5
HALF = "오차제곱합에는 ½을 곱해야 합니다: E = ½ Σₖ (yₖ − tₖ)²."
MINUS = "마이너스 부호를 빠뜨렸습니다: E = −Σₖ tₖ log(yₖ + δ)."


def batch(seed, n, k=10):
    rng = np.random.default_rng(seed)
    y = rng.dirichlet(np.full(k, 2.0), size=n)
    labels = rng.integers(0, k, size=n)
    y = np.maximum(y, 1e-3)
    y[np.arange(n), labels] += 0.05  # the answer's probability ≥ 0.05 even among 1000 classes: δ/y stays < 1e-5
    y /= y.sum(axis=1, keepdims=True)
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
        fail(f"{HALF} {got_want(got, want)}", "sse_without_half")
    expect_close(got, want, RTOL_SSE, 1e-12, "오차제곱합 E = ½ Σₖ (yₖ − tₖ)² 의 값과 다릅니다.")


@points(4)
def test_sse_batch_mean(student, reference):
    """배치(2차원 배열) 입력에서는 데이터 하나당 평균 오차제곱합"""
    n = 6
    y, t, _ = batch(402, n)
    own = side_number(lambda: student.losses.sum_squared_error(y[0], t[0]))
    scale = own_scale(own, reference.losses.sum_squared_error(y[0], t[0]), (2,), RTOL_SSE)  # ½: single-sample test
    got, want = sse(student, reference, y, t)
    want = scale * want
    if np.isclose(got, n * want, rtol=RTOL_SSE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다. {got_want(got, want)}", "batch_sum_not_mean")
    if np.isclose(got, 2 * want / y.shape[1], rtol=RTOL_SSE):
        fail(f"모든 원소의 평균(np.mean)이 아니라, 데이터마다 ½ Σₖ (yₖ − tₖ)²을 구해 N으로 나눠야 합니다. "
             f"{got_want(got, want)}", "mean_over_all_elements")
    if scale == 1 and (np.isclose(got, 2 * want, rtol=RTOL_SSE) or np.isclose(got, 2 * n * want, rtol=RTOL_SSE)):
        fail(f"배치 입력에서도 {HALF} {got_want(got, want)}", "sse_without_half")
    expect_close(got, want, RTOL_SSE, 1e-12, "배치의 평균 오차제곱합(데이터마다 구한 값의 평균)과 다릅니다.")


@points(3)
def test_cee_one_hot_single_sample(student, reference):
    """원-핫 정답인 데이터 하나의 교차 엔트로피 오차 E = −Σₖ tₖ log(yₖ + δ) (클래스 1000개)"""
    y, t, _ = batch(406, 1, k=1000)
    got, want = cee(student, reference, y[0], t[0])
    if np.isclose(got, -want, rtol=RTOL_CEE):
        fail(f"{MINUS} {got_want(got, want)}", "missing_minus")
    expect_close(got, want, RTOL_CEE, 1e-12, "교차 엔트로피 오차 E = −Σₖ tₖ log(yₖ + δ)의 값과 다릅니다.")


def one_hot_sign(student, reference):
    """−1 when the student's single-sample value lacks the minus sign (judged by the test above), else 1."""
    y, t, _ = batch(406, 1, k=1000)
    own = side_number(lambda: student.losses.cross_entropy_error(y[0], t[0]))
    return own_scale(own, reference.losses.cross_entropy_error(y[0], t[0]), (-1,), RTOL_CEE)


@points(3)
def test_cee_zero_probability_is_finite(student, reference):
    """정답 클래스의 확률이 정확히 0이어도 δ 덕분에 유한한 값 (원-핫과 클래스 번호 모두)"""
    y = np.array([0.0, 0.3, 0.7])
    sign = one_hot_sign(student, reference)
    got = student.losses.cross_entropy_error(y, np.array([1.0, 0.0, 0.0]))
    value = numbers(got, "cross_entropy_error")
    if value.ndim == 0 and not np.isfinite(value):
        fail(f"y가 0이면 log(0) = −∞가 됩니다. log(y + δ)처럼 아주 작은 값 δ = 1e-7을 더하세요 (반환값 {got}).", "log_of_zero")
    got = as_float(got, "cross_entropy_error")
    want = sign * reference.losses.cross_entropy_error(y, np.array([1.0, 0.0, 0.0]))
    expect_finite(got, "y가 0이어도 유한한 값을 반환해야 합니다.")
    expect_close(got, want, RTOL_CEE, 1e-9, "정답 확률이 0일 때 −log(0 + δ)를 반환해야 합니다 (δ = 1e-7).")
    # Labels: judged only where the student's labels work at all (the label tests own that).
    works = side_number(lambda: student.losses.cross_entropy_error(np.array([0.2, 0.3, 0.5]), 1))
    if works is not None and np.isclose(works, sign * reference.losses.cross_entropy_error(np.array([0.2, 0.3, 0.5]), 1),
                                        rtol=RTOL_CEE):
        label = side_number(lambda: student.losses.cross_entropy_error(y, 0))
        if label is None or not np.isclose(label, want, rtol=RTOL_CEE):
            fail("정답이 클래스 번호일 때도 log(y[t] + δ)처럼 δ를 더해야 합니다: 정답 확률이 0이면 log(0) = −∞입니다. "
                 f"{got_want(label, want)}", "log_of_zero")


@points(3)
def test_cee_one_hot_batch_mean(student, reference):
    """원-핫 정답의 배치: 데이터 하나당 평균 교차 엔트로피 오차 (미니배치 30개)"""
    n = 30  # as large as a real mini-batch: 300 numbers
    y, t, _ = batch(403, n)
    got, want = cee(student, reference, y, t)
    want = one_hot_sign(student, reference) * want  # the minus sign: the single-sample test
    if np.isclose(got, n * want, rtol=RTOL_CEE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다. {got_want(got, want)}", "batch_sum_not_mean")
    expect_close(got, want, RTOL_CEE, 1e-12, "원-핫 정답 배치의 평균 교차 엔트로피 오차와 다릅니다.")


def labels_call(student, call, one_hot_call):
    """The student's value for class-number answers; an error there while the one-hot form of the
    same answers works means labels are not handled at all (say so, not just the error)."""
    try:
        return call()
    except StudentCodeError as exc:
        if side_number(one_hot_call) is None:
            raise
        fail("정답이 클래스 번호(정수)일 때 오류가 났습니다: 원-핫 정답만 다루는 식 −Σ t log(y + δ)를 썼기 "
             "때문입니다. t가 y와 크기가 같으면 원-핫, 아니면 클래스 번호로 보고 정답 클래스의 확률 "
             f"y[t] (배치면 y[np.arange(N), t])를 쓰세요 (오류 {exc.kind}: {exc.message})", "labels_not_supported")


def own_one_hot(student, reference, y, one_hot, n=1):
    """What the label tests expect: the student's own one-hot value for the same data when it is the
    reference's or a catalogued slip owned by another test (minus sign, batch sum), else the reference's."""
    want = reference.losses.cross_entropy_error(y, one_hot)
    own = side_number(lambda: student.losses.cross_entropy_error(y, one_hot))
    return own_scale(own, want, (-1, n, -n) if n > 1 else (-1,), RTOL_CEE) * want


@points(3)
def test_cee_label_single_sample(student, reference):
    """정답이 클래스 번호(정수 하나)인 데이터 하나: 원-핫으로 준 것과 같은 값"""
    y, t, labels = batch(404, 1)
    label = int(labels[0])
    got = as_float(labels_call(student, lambda: student.losses.cross_entropy_error(y[0], label),
                               lambda: student.losses.cross_entropy_error(y[0], t[0])), "cross_entropy_error")
    want = own_one_hot(student, reference, y[0], t[0])
    expect_close(got, want, RTOL_CEE, 1e-12,
                 f"정답이 원-핫이 아니라 클래스 번호({label})로 주어지면 그 클래스의 확률 y[{label}]로 "
                 "−log(y[t] + δ)를 계산해야 합니다. 같은 정답을 원-핫으로 준 값과 같아야 합니다.")


@points(3)
def test_cee_label_batch(student, reference):
    """정답이 클래스 번호 배열(길이 N)인 배치: 원-핫으로 준 것과 같은 값"""
    n = 7
    y, t, labels = batch(405, n)
    got = as_float(labels_call(student, lambda: student.losses.cross_entropy_error(y, labels),
                               lambda: student.losses.cross_entropy_error(y, t)), "cross_entropy_error")
    want = own_one_hot(student, reference, y, t, n)
    if np.isclose(got, n * want, rtol=RTOL_CEE):
        fail(f"배치 입력에서는 배치 크기 N({n})으로 나눈 평균을 반환해야 합니다 (정답이 클래스 번호일 때도). "
             f"{got_want(got, want)}", "batch_sum_not_mean")
    expect_close(got, want, RTOL_CEE, 1e-12,
                 "정답이 클래스 번호 배열이면 각 데이터의 정답 클래스 확률 y[i, t[i]]로 −log(y + δ)의 "
                 "평균을 구해야 합니다 (np.arange(N)과 t로 인덱싱). 같은 정답을 원-핫으로 준 값과 같아야 합니다.")
