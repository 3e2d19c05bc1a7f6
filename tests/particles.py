"""Korean particles after code, formulas and numbers: attached, and the right one of each pair.

A particle (조사) belongs to the word before it, also when that word is code
(`x`), a formula (\\(2h\\)) or a number: "`x`를", not "`x` 를". And the choice
between 을/를, 이/가, 은/는, 과/와 and 으로/로 follows how the word is read
aloud: 받침 or not (ㄹ takes 로). :func:`problems` finds both mistakes in a
text; :func:`final_sound` says how a word ends when that can be known (a
single letter, a number, a Greek letter, a superscript, a Hangul syllable),
and None otherwise (``params`` could be read several ways), where only the
spacing is checked.
"""

from __future__ import annotations

import re

CODE_START, CODE_END = "\x01", "\x02"  # around inline code in the extracted text

#: Particles that attach to the word before them (longest first).
PARTICLES = ("으로는", "으로의", "으로", "로는", "로의", "에서의", "에서는", "에서도", "에서", "에게", "이라는",
             "이라고", "이라면", "이어야", "이어도", "이므로", "입니다", "이거나", "이나", "이고", "이면", "이며",
             "이다", "이라", "처럼", "보다", "부터", "까지", "마다", "만큼", "에는", "에도", "에만", "와는", "과는",
             "와의", "과의", "라는", "라고", "라면", "여야", "여도", "인지", "인데", "을", "를", "이", "가", "은",
             "는", "와", "과", "로", "의", "에", "도", "인", "면", "나")
#: The pairs whose choice depends on the last sound: (after a 받침, after a vowel).
PAIRS = {"을": ("을", "를"), "를": ("을", "를"), "이": ("이", "가"), "가": ("이", "가"), "은": ("은", "는"),
         "는": ("은", "는"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로"),
         "으로는": ("으로는", "로는"), "로는": ("으로는", "로는")}

VOWEL, CONSONANT, RIEUL = "vowel", "consonant", "ㄹ"
V, C, R = {VOWEL}, {CONSONANT}, {RIEUL}
#: How a letter's name ends (에이, 비, ..., 엘, 엠, 엔, ..., 알, ...; z is 제트 or 지).
LETTERS = {**dict.fromkeys("abcdefghijkopqstuvwxy", V), "l": R, "r": R, "m": C, "n": C, "z": V | C}
#: A number read in Sino-Korean (영 일 이 삼 사 오 육 칠 팔 구).
DIGITS = {"0": C, "1": R, "2": V, "3": C, "4": V, "5": V, "6": C, "7": R, "8": R, "9": V}
#: The last digit of a name such as W1 or x_0, read in Korean or in English (원, 제로, 쓰리, ...).
NAME_DIGITS = {"0": C | V, "1": R | C, "2": V, "3": C | V, "4": V, "5": V, "6": C | V, "7": R | C, "8": R | C,
               "9": V | C}
TENS = {1: C, 2: C, 3: C}  # 십 백 천; 만 and above end in ㄴ as well
SYMBOLS = {"λ": V, "η": V, "δ": V, "σ": V, "α": V, "β": V, "θ": V, "π": V, "μ": V, "ε": C, "∞": V, "²": C, "³": C,
           "ˣ": V, "ₖ": V, "ᵢ": V, "%": V}
TEX = {"lambda": V, "eta": V, "delta": V, "sigma": V, "alpha": V, "beta": V, "theta": V, "pi": V, "mu": V,
       "infty": V, "nabla": V, "varepsilon": C, "epsilon": C}
WORDS = {"none": C, "true": V, "false": V, "numpy": V}


def _hangul(char: str) -> set[str]:
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return set()
    final = code % 28
    return V if final == 0 else R if final == 8 else C


def _number(text: str, in_name: bool) -> set[str]:
    if in_name:
        return NAME_DIGITS[text[-1]]
    whole, _, fraction = text.partition(".")
    if not (whole + fraction).strip("0"):
        return C | V  # 영, 제로, 공
    if fraction:
        return DIGITS[text[-1]]
    zeros = len(whole) - len(whole.rstrip("0"))
    return DIGITS[whole[-1]] if zeros == 0 else TENS.get(zeros, C)


def final_sound(word: str) -> set[str]:
    """The ways ``word`` can end when read aloud (VOWEL, CONSONANT, RIEUL); empty when not determinable."""
    word = word.strip().rstrip(")]}'\"`").strip()
    if not word:
        return set()
    if re.search(r"\^(\{[^{}]*\}|\w)$", word):  # x^2, 10^{-4}: 제곱, 승
        return C
    tex = re.search(r"\\([A-Za-z]+)\s*$", word)
    if tex:
        return TEX.get(tex.group(1), set())
    last = word[-1]
    if _hangul(last):
        return _hangul(last)
    if last in SYMBOLS:
        return SYMBOLS[last]
    number = re.search(r"(?<![\d.])(\d+(\.\d+)?)$", word)
    if number:
        return _number(number.group(1), in_name=bool(re.search(r"[A-Za-z_]$", word[:number.start()])))
    token = re.search(r"[A-Za-z]+$", word)
    if not token:
        return set()
    name = token.group(0)
    if len(name) == 1 or not re.search(r"[aeiouyAEIOUY]", name):  # x, W, rng, lr: read letter by letter
        return LETTERS[name[-1].lower()]
    return WORDS.get(name.lower(), set())


def fits(particle: str, sounds: set[str]) -> bool:
    """Whether ``particle`` is right after a word ending in one of ``sounds`` (True when not a pair)."""
    pair = PAIRS.get(particle)
    if pair is None or not sounds:
        return True
    rights = {pair[1] if s == VOWEL or (s == RIEUL and pair[0].startswith("으로")) else pair[0] for s in sounds}
    return particle in rights


PARTICLE = "|".join(PARTICLES)
#: Code, a formula, or a word of Latin letters, digits and symbols; then a particle.
ATTACHED = re.compile(r"(\x01[^\x01\x02]*\x02|\\\((?:(?!\\\)).)*\\\)|[A-Za-z0-9_.²³ˣₖᵢληδσαβθπμε∞%)\]}'\"]+)"
                      r"([ \t]*)(" + PARTICLE + r")(?=[\s.,;:!?)\]」』»”]|$)")


def _gloss(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with a parenthesis opened right after a Hangul word: "픽셀 수(0~16)"."""
    if not text[:end].endswith(")"):
        return False
    depth = 0
    for i in range(end - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return i > 0 and bool(re.match(r"[가-힣]", text[i - 1]))
    return False


def problems(text: str) -> list[str]:
    """Each particle in ``text`` that is separated from, or does not fit, the code, formula or number before it."""
    found = []
    for match in ATTACHED.finditer(text):
        word, space, particle = match.groups()
        start = match.start()
        if start and re.match(r"[가-힣]", text[start - 1]) and not word.startswith(("\x01", "\\(")):
            continue  # the Latin letters end a Korean word (e.g. "x축"): not a word of their own
        context = text[max(0, start - 30):match.end() + 10].replace(CODE_START, "`").replace(CODE_END, "`")
        context = " ".join(context.split())
        if space:
            found.append(f"separated particle: …{context}…")
            continue
        if _gloss(text, start + len(word)):
            continue  # "수(0.8)가": the particle goes with the word before the parenthesis
        if not fits(particle, final_sound(word.strip("\x01\x02").removeprefix("\\(").removesuffix("\\)"))):
            found.append(f"{particle} does not fit: …{context}…")
    return found
