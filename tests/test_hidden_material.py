"""No hidden material reaches any output through what a child sends, and a child holds only what it needs.

A student's error message once carried the ``gradient`` stand-in's source
(``repr(request["standins"])`` found by walking the child's frames) into
``feedback/*.md``. Now the child drops the stand-ins' source before any
student code runs, and every text a child sends (error messages, returned
strings) is cleared of solution code, stand-in code and hidden test names
before it reaches feedback, the gradebook, Gradescope results or the report,
with a Korean note instead. What the student's own files contain stays
readable to them.
"""

from __future__ import annotations

import base64
import json

from autograder.grade.hidden import NOTE, solution_lines, standin_lines
from conftest import ROOT, build, make_submission, rendered, run_cli, sse_prefix

LOOK_FOR_SOURCE = """
import sys
frame, found = sys._getframe(), []
while frame is not None:
    for value in list(frame.f_locals.values()):
        if isinstance(value, dict) and "standins" in value:
            found.append(repr(value["standins"]))
    frame = frame.f_back
raise ImportError(" | ".join(found)[:480] or "nothing")
"""


def hidden_samples() -> dict[str, str]:
    """A stand-in line, a solution line and a hidden test's name this test's attacker sends back."""
    return {"standin": next(line for line in standin_lines() if "probes.Probe" in line),
            "solution": next(line for line in solution_lines() if "picked + DELTA" in line),
            "name": "numerical_gradient_restores_x"}


def encoded(text: str) -> str:
    """``text`` as the attacker's file holds it: not readable there (so it is not the student's own)."""
    return f"__import__('base64').b64decode({base64.b64encode(text.encode()).decode()!r}).decode()"


def test_hidden_material_sent_by_a_child_reaches_no_output(tmp_path):
    samples = hidden_samples()
    leak = " / ".join(encoded(v) for v in samples.values()).replace(" / ", " + ' / ' + ")
    attacker = build(tmp_path / "class" / "attacker", {
        "prepend": {"gradient_descent.py": LOOK_FOR_SOURCE},
        **sse_prefix(f"if y.ndim == 1:\n    raise ValueError({leak})\nreturn {encoded(samples['standin'])}")})
    own_line = "return float(0.5 * np.sum((y - t) ** 2))"  # a solution line, and this student's own
    honest = make_submission(tmp_path / "class" / "honest", replace={"losses.py": [
        (f"    if y.ndim == 1:\n        {own_line}", f"    if y.ndim == 1:\n        t = np.zeros(3)\n        {own_line}")]})
    out = tmp_path / "out"
    done = run_cli("grade", attacker.parent / "attacker", honest, "--out", out, "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()}
    for what in ("standin", "solution"):  # anywhere: gradebook, state, Gradescope, report, feedback
        sample = samples[what]
        assert not [p for p, t in texts.items() if sample in t or json.dumps(sample)[1:-1] in t], what
    messages = [t["message"] for r in json.loads(texts[out / "grades.json"]) for e in r["exercises"] for t in e["tests"]]
    shown = messages + [t for p, t in texts.items() if p.suffix == ".md"]  # names are the gradebook's own fields
    assert not [t for t in shown if samples["name"] in t]
    feedback = texts[out / "feedback" / "attacker.md"]
    assert NOTE in feedback and "gradient_descent.py를 불러오다가" in feedback
    assert "'gradient': None" in feedback or "nothing" in feedback  # the child no longer holds the source
    own = texts[out / "feedback" / "honest.md"]  # the student's own line, equal to a solution line, is shown
    assert NOTE not in own and own_line in rendered(own)


def test_a_students_own_code_is_never_hidden_from_them():
    from autograder.grade.hidden import Hidden

    hidden = Hidden.of_this_checkout()
    solution = (ROOT / "solutions" / "losses.py").read_text(encoding="utf-8")
    line = hidden_samples()["solution"]
    assert hidden.redact(f"오류: {line}") == NOTE
    assert hidden.redact(repr({"x": f"def f():\n    {line}\n"})) == NOTE  # repr'd source is source
    assert hidden.without([solution]).redact(f"오류: {line}") == f"오류: {line}"
    assert hidden.redact("ValueError: operands could not be broadcast together") == \
        "ValueError: operands could not be broadcast together"


INVISIBLE_JOINS = ("\u2060", "\u00ad", "\ufeff", "\u034f", "\U000e0020")  # word joiner, soft hyphen, BOM, ...


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_hidden_material_read_as_a_page_shows_it_is_cleared():
    from autograder.grade.hidden import Hidden

    hidden = Hidden.of_this_checkout()
    samples = hidden_samples()
    for sample in samples.values():
        shown = [join.join(sample) for join in INVISIBLE_JOINS] + [fullwidth(sample)]
        assert [hidden.redact(f"오류: {text}") for text in shown] == [NOTE] * len(shown), sample
    # shorter than anything hidden, until read: ⅸ is "ix", ﬅ "st", ㍲ "da"
    assert [hidden.redact(text) for text in ("matrⅸ_ﬅart", "up㍲te_rule")] == [NOTE, NOTE]
    honest = "ValueError: 배치 크기가 맞지 않습니다 (ｙ의 모양 (2, 3))"  # Korean, a fullwidth letter: nothing hidden
    assert hidden.redact(honest) == honest


def test_hidden_material_cut_between_the_texts_of_one_reply_is_cleared():
    from autograder.grade.hidden import Hidden
    from autograder.sandbox.replies import scrub

    redact = Hidden.of_this_checkout().redact
    line = hidden_samples()["standin"]
    half = len(line) // 2
    error = {"type": line[:half], "message": line[half:], "frames": [["exercises/losses.py", 3, "f", "raise E"]]}
    assert scrub(error, redact) == {"type": NOTE, "message": NOTE, "frames": [[NOTE, 3, NOTE, NOTE]]}
    assert scrub([line[:half], line[half:]], redact) == [NOTE, NOTE]
    assert scrub({line[:half]: 1, line[half:]: 2}, redact) == {NOTE: 2}
    honest = {"type": "ValueError", "message": "값이 틀렸습니다", "frames": [["exercises/losses.py", 3, "f", "raise E"]]}
    assert scrub(honest, redact) == honest
    assert scrub(["x", {"a": (1, 2.0, None)}], redact) == ["x", {"a": (1, 2.0, None)}]


CUT_AND_JOINED = """
import builtins
calls = builtins.__dict__.setdefault("calls", [])
calls.append(1)
line = {line}
half = len(line) // 2
shown = ["\\u2060".join(line), line.replace("e", "&#101;"), line.replace("a", "`a`"), line.replace("(", "\\\\(")]
if len(calls) <= len(shown):
    raise ValueError(shown[len(calls) - 1])
raise type(line[:half], (Exception,), {{}})(line[half:])
"""


def test_hidden_material_joined_by_invisible_characters_or_cut_in_two_reaches_no_output(tmp_path):
    line = hidden_samples()["standin"]
    attacker = build(tmp_path / "class" / "attacker", sse_prefix(CUT_AND_JOINED.format(line=encoded(line))))
    own = "raise ValueError('ｙ와 ｔ의 모양이 다릅니다: 배치를 확인하세요')"  # the honest twin's own (fullwidth) message
    honest = make_submission(tmp_path / "class" / "honest", replace={"losses.py": [
        ("    if y.ndim == 1:\n        return", f"    if y.ndim == 1:\n        {own}\n"
                                              "    if y.ndim == 1:\n        return")]})
    out = tmp_path / "out"
    done = run_cli("grade", attacker, honest, "--out", out, "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()}
    squeezed = "".join(line.split())
    pages = {p: rendered(t) if p.suffix == ".md" else t for p, t in texts.items()}  # as GitHub shows them
    shown = {p: "".join(t.replace("\u2060", "").replace("\\u2060", "").split()) for p, t in pages.items()}
    assert not [p for p, t in shown.items() if squeezed in t or squeezed[:len(squeezed) // 2] in t]
    feedback = texts[out / "feedback" / "attacker.md"]
    assert NOTE in feedback
    honest_feedback = texts[out / "feedback" / "honest.md"]
    assert NOTE not in honest_feedback and "ｙ와 ｔ의 모양이 다릅니다" in honest_feedback
    assert feedback.count("&#101;") + feedback.count("`a`") >= 2  # written into the page, shown as written
