"""The «자주 하는 실수» table of each exercise page, from the mistake catalogue and the grader's own words.

Rows follow the catalogue (autograder/suites/mistakes.py): the mistake's label,
how the grader recognises it (its ``how``) and what the grader says. What it
says is not written by hand: each example of hooks/mistake_examples.py (the
reference with that mistake put in) is graded by the real grader, sandbox and
suites included, exactly as ``check`` and ``grade`` do, and the first failing
test that names the mistake is quoted as the grader formats it, values included.
"""

from __future__ import annotations

import html
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
VISIBILITY = {"public": "공개", "hidden": "숨은"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    how: str
    test: str  # the test's title
    visibility: str
    message: str


def with_mistake(folder: Path, exercise: str, edits) -> Path:
    """A submission at ``folder``: the reference, with ``edits`` applied to ``exercises/<exercise>.py``."""
    target = folder / "exercises"
    target.mkdir(parents=True)
    for source in (ROOT / "solutions").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.stem == exercise:
            for old, new in edits:
                if old not in text:
                    raise ValueError(f"solutions/{exercise}.py no longer contains {old!r}")
                text = text.replace(old, new)
        (target / source.name).write_text(text, encoding="utf-8")
    return folder


def diagnose(grader, key: str, exercise: str, edits, folder: Path) -> Row:
    """Grade the example of ``key``; the first test of ``exercise`` that names ``key``."""
    from autograder.suites.mistakes import MISTAKES

    result = grader.grade(with_mistake(folder, exercise, edits))
    tests = [t for t in result.tests() if t.exercise == exercise]
    named = [t for t in tests if t.mistake == key]
    if not named:
        said = [f"{t.name}: {t.mistake or t.message[:60]}" for t in tests if not t.passed]
        raise ValueError(f"the example of {key!r} ({exercise}) is not diagnosed as {key!r}: {said}")
    first = named[0]
    return Row(key, MISTAKES[key].label, MISTAKES[key].how, first.title, first.visibility, first.message)


def rows_by_exercise(examples) -> dict[str, list[Row]]:
    """Each exercise's rows, in the catalogue's order (every example graded in the sandbox, as ``check`` does)."""
    from autograder.catalog import EXERCISES
    from autograder.grade.engine import Grader
    from autograder.suites.mistakes import MISTAKES

    order = {key: i for i, key in enumerate(MISTAKES)}
    rows: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for exercise in EXERCISES:
            mine = sorted((e for e in examples if e[1] == exercise.name), key=lambda e: order[e[0]])
            with Grader(exercises=(exercise.name,)) as grader:
                rows[exercise.name] = [diagnose(grader, key, exercise.name, edits, Path(temporary) / f"{i}-{key}")
                                       for i, (key, _, edits) in enumerate(mine)]
    return rows


def text_cell(text: str) -> str:
    """Plain text inside a Markdown table cell: nothing in it is read as Markdown, HTML or a cell border."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    for char in "|*_`[]\\$":
        escaped = escaped.replace(char, f"&#{ord(char)};")
    return escaped


def table(rows: list[Row]) -> str:
    lines = ["| 실수 | 채점기가 알아채는 방법 | 채점기의 설명 (예시 제출물에서) |", "|---|---|---|"]
    for row in rows:
        where = f"{VISIBILITY.get(row.visibility, row.visibility)} 테스트 «{text_cell(row.test)}»"
        lines.append(f"| {text_cell(row.label)} | {row.how} | <q class=\"grader\">{text_cell(row.message)}</q> "
                     f"<span class=\"grader-test\">{where}</span> |")
    return "\n".join(lines)
