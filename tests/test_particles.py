"""The particle checker that the docs build tests run over every page (tests/particles.py)."""

import pytest

from particles import CODE_END, CODE_START, final_sound, problems


def code(text: str) -> str:
    return f"{CODE_START}{text}{CODE_END}"


@pytest.mark.parametrize("text", [
    f"{code('x')}를 바꿉니다", f"{code('x_train')}과 {code('t_train')}에서", f"{code('W1')}은 행렬", f"{code('W1')}로 둡니다",
    r"가중치 감소 \(\lambda = 0.003\)을 적용", "(f(x+h) − f(x)) / h로 계산", r"\(x^2\)을 미분", "곱하는 수(0.8)가 작다",
    f"{code('rng')}가 {code('None')}이면", "x축의 값", "픽셀 수(0~16)를 센 이미지", f"{code('params')}를 바꿉니다",  # params: 파람스, 패럼즈 ...
])
def test_correct_korean_passes(text):
    assert problems(text) == []


@pytest.mark.parametrize("text, why", [
    (f"{code('rng')} 가 없으면", "separated"), ("/ 2h 를 쓰세요", "separated"), ("log(y + δ) 처럼", "separated"),
    ("(f(x+h) − f(x)) / h으로 계산", "does not fit"), (r"\(\lambda = 0.003\)를 적용", "does not fit"),
    (f"{code('W1')}를 바꿉니다", "does not fit"), (r"\(\eta = 10\)로 두고", "does not fit"),
    ("log(0) = −∞이 됩니다", "does not fit"),
])
def test_a_separated_or_wrong_particle_is_found(text, why):
    found = problems(text)
    assert len(found) == 1 and why in found[0], found


def test_final_sounds():
    assert final_sound("0.003") == {"consonant"}  # 삼
    assert final_sound("100") == {"consonant"}  # 백
    assert final_sound("lr") == {"ㄹ"}  # 엘알
    assert final_sound("x_0") == {"consonant", "vowel"}  # 엑스 영, 엑스 제로
    assert final_sound("params") == set()  # not determinable: only the spacing is checked
