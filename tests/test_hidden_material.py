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
from conftest import ROOT, build, make_submission, run_cli, sse_prefix

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
    assert NOTE not in own and own_line in own


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
