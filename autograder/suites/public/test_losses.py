"""공개 테스트: 손실 함수 (교재 예제).

SSE is plain arithmetic: rtol 1e-6 still accepts float32 work. CEE: rtol 1e-5
also accepts clipping y at δ instead of adding δ (they differ by δ/y ≤ 2e-7
relative on these probabilities).
"""

import math

from ..support import as_float, expect_close, fail, got_want, points
from ..textbook import T_ONE_HOT, Y_RIGHT, Y_WRONG


@points(3)
def test_sse_textbook(student, reference):
    """교재 예제의 오차제곱합 (정답을 맞힌 출력, 틀린 출력)"""
    for y in (Y_RIGHT, Y_WRONG):
        got = as_float(student.losses.sum_squared_error(y, T_ONE_HOT), "sum_squared_error")
        want = reference.losses.sum_squared_error(y, T_ONE_HOT)
        if abs(got - 2 * want) < 1e-9:
            fail(f"오차제곱합에는 ½을 곱해야 합니다: E = ½ Σₖ (yₖ − tₖ)². {got_want(got, want)}", "sse_without_half")
        expect_close(got, want, 1e-6, 1e-12, "교재 예제의 오차제곱합 E = ½ Σₖ (yₖ − tₖ)²과 다릅니다.")


@points(3)
def test_cee_textbook(student, reference):
    """교재 예제의 교차 엔트로피 오차 (원-핫 정답, y에 0이 있는 예제)"""
    for y in (Y_RIGHT, Y_WRONG):
        got = as_float(student.losses.cross_entropy_error(y, T_ONE_HOT), "cross_entropy_error")
        want = reference.losses.cross_entropy_error(y, T_ONE_HOT)
        if not math.isfinite(got):
            fail(f"교재 예제의 y에는 0인 원소가 있어 log(0) = −∞가 됩니다 (0 × log 0은 nan). log(y + δ)처럼 "
                 f"아주 작은 값 δ = 1e-7을 더하세요. {got_want(got, want)}", "log_of_zero")
        if abs(got + want) < 1e-6:
            fail(f"교차 엔트로피 오차 앞의 마이너스 부호를 빠뜨렸습니다: E = −Σₖ tₖ log(yₖ + δ). {got_want(got, want)}", "missing_minus")
        expect_close(got, want, 1e-5, 1e-12, "교재 예제의 교차 엔트로피 오차 E = −Σₖ tₖ log(yₖ + δ)와 다릅니다.")
