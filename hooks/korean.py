"""The particle after a number the build computed: "λ = 0.003을" but "λ = 0.002를".

A page writes ``{{ name }}을(를)`` (or ``{{ name }}\\)을(를)`` after a formula) and
:func:`choose` keeps the particle that fits how the value is read aloud in
Korean: the last digit (영 일 이 삼 사 오 육 칠 팔 구), 십/백/천/만 for trailing
zeros of a whole number, 승 after a power (10^{-4}), 퍼센트 after %.
"""

from __future__ import annotations

import re

#: "을(를)" and its kind: (after a final consonant, after a vowel).
PAIRS = {"을(를)": ("을", "를"), "이(가)": ("이", "가"), "은(는)": ("은", "는"), "과(와)": ("과", "와"),
         "으로(로)": ("으로", "로")}
CHOICE = re.compile(r"(\{\{ *([a-z0-9_]+) *\}\}(?:\\\))?)(" + "|".join(re.escape(p) for p in PAIRS) + ")")
DIGIT_ENDS = {"0": "consonant", "1": "ㄹ", "2": "vowel", "3": "consonant", "4": "vowel", "5": "vowel",
              "6": "consonant", "7": "ㄹ", "8": "ㄹ", "9": "vowel"}


def ending(value: str) -> str:
    """How a number (as the page shows it) ends when read: "vowel", "consonant" or "ㄹ"."""
    text = value.strip().rstrip(")")
    if text.endswith("%"):
        return "vowel"  # 퍼센트
    if re.search(r"\^\{?-?\d+\}?$", text):
        return "consonant"  # 10^{-4}: 10의 -4승
    number = re.search(r"(\d+)(\.\d+)?$", text)
    if not number:
        raise ValueError(f"cannot tell how {value!r} is read aloud")
    whole, fraction = number.group(1), number.group(2)
    if fraction or not whole.strip("0"):
        return DIGIT_ENDS[text[-1]]
    zeros = len(whole) - len(whole.rstrip("0"))
    return DIGIT_ENDS[whole[-1]] if zeros == 0 else "consonant"  # 십 백 천 만


def particle(value: str, pair: str) -> str:
    after_consonant, after_vowel = PAIRS[pair]
    sound = ending(value)
    if sound == "vowel" or (sound == "ㄹ" and after_consonant == "으로"):
        return after_vowel
    return after_consonant


def choose(markdown: str, values: dict) -> str:
    """Every ``{{ name }}을(를)`` with the particle that fits the value of ``name``."""
    def pick(match):
        name = match.group(2)
        return match.group(0) if name not in values else match.group(1) + particle(values[name], match.group(3))

    return CHOICE.sub(pick, markdown)
