"""The one leak scanner: solution code or hidden-test names in anything meant for students.

Every channel runs it on what it is about to hand out (the student template,
the hidden-tests repository and the Classroom 50 bundle, the nbgrader
release) and the docs build runs it on the built site (``hooks/leaks.py``).
What counts as a leak:

- a solution **line**: a code line between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` in ``solutions/*.py`` whose whitespace-free form, comment
  removed, has at least :data:`MIN_LINE` characters;
- a solution **expression** inside any longer text: every expression of a
  solution statement (found with :mod:`ast`) that does at least
  :data:`MIN_OPERATIONS` operations (calls, arithmetic, comparisons, indexing)
  and is at least :data:`MIN_EXPRESSION` characters long without whitespace,
  such as ``(f(x + h) - f(x - h)) / (2 * h)`` in the middle of another statement;
- the name of a hidden test (``numerical_gradient_restores_x``), with or
  without its ``test_`` prefix.

Code is compared with all whitespace removed, so re-indenting, re-spacing or
re-wrapping (as a notebook's JSON does with ``\\n``) hides nothing. A notebook
is also read as its cell sources, an HTML page as its text (tags removed,
entities decoded: syntax highlighting splits code into many tags) and a JSON
file as its strings (the site's search index).
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

# What counts as solution code and hidden names lives with the grader, which keeps it out of feedback too.
from ..grade.hidden import (MIN_EXPRESSION, MIN_LINE, MIN_OPERATIONS, hidden_test_names,  # noqa: F401
                            solution_expressions, solution_lines, solution_regions, squeeze)
from .common import SOLUTIONS, ReleaseError

#: Solution code that legitimately appears in one released or published file, with the reason.
#: Keyed by the file's path (its end) and the code as found by the scanner.
ALLOWED = {
    ("autograder/suites/diagnose.py", "for idx in np.ndindex(x.shape):"):
        "the public mistake diagnosis computes a forward difference element by element",
}

TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Needle:
    code: str  # as written in the solution
    kind: str  # "solution line" or "solution expression"

    @property
    def squeezed(self) -> str:
        return squeeze(self.code)


@dataclass(frozen=True)
class Leak:
    path: Path
    kind: str  # "solution line", "solution expression" or "hidden test"
    needle: str

    def __str__(self) -> str:
        return f"{self.path}: {KIND_LABELS[self.kind]} {self.needle!r}"


KIND_LABELS = {"solution line": "참조 구현의 코드 줄", "solution expression": "참조 구현의 식",
               "hidden test": "숨은 테스트 이름"}


# --- what to look for -------------------------------------------------------------


def solution_needles(solutions_dir: Path = SOLUTIONS) -> list[Needle]:
    return ([Needle(c, "solution line") for c in solution_lines(solutions_dir)]
            + [Needle(c, "solution expression") for c in solution_expressions(solutions_dir)])


# --- reading what is handed out ---------------------------------------------------------


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


def texts(path: Path) -> list[str]:
    """Every way a person could read ``path``: as it is, and decoded (notebook, HTML, JSON)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    out = [raw]
    if path.suffix in (".ipynb", ".json"):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        cells = data.get("cells") if isinstance(data, dict) and path.suffix == ".ipynb" else None
        decoded = [s for c in cells if isinstance(c, dict) for s in _strings(c.get("source", ""))] \
            if isinstance(cells, list) else []
        out.append("\n".join(decoded or _strings(data)))
    if path.suffix in (".html", ".htm", ".json"):
        out += [html.unescape(TAG.sub("", text)) for text in list(out)]
    return out


def _allowed(where: str, code: str) -> bool:
    return any(where.endswith(file) and code == allowed for file, allowed in ALLOWED)


def _leaks_in(path: Path, where: str, needles: list[Needle], hidden_names) -> list[Leak]:
    readings = texts(path)
    squeezed = [squeeze(t) for t in readings]
    found = [n for n in needles if any(n.squeezed in s for s in squeezed) and not _allowed(where, n.code)]
    # Report the largest pieces found: an expression inside a leaked line (or a larger expression) adds nothing.
    leaks = [Leak(path, n.kind, n.code) for i, n in enumerate(found)
             if not any(n.squeezed in m.squeezed and (n.squeezed != m.squeezed or j < i) for j, m in enumerate(found)
                        if j != i)]
    named = _names_in(readings, tuple(hidden_names))
    leaks += [Leak(path, "hidden test", name) for name in hidden_names if name in named]
    return leaks


def _names_in(readings: list[str], names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` stand as whole identifiers (``test_`` before them or not) in any of ``readings``.

    One pattern for all names, one pass per text: identifiers cannot overlap, so this finds what a
    search per name would.
    """
    if not names:
        return set()
    pattern = _names_pattern(names)
    return {match.group(1) for text in readings for match in pattern.finditer(text)}


@functools.lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:test_)?({alternatives})(?![A-Za-z0-9_])")


def find_leaks(folder: Path, needles: list[Needle] | None = None, hidden_names=()) -> list[Leak]:
    """Every leak in the text files under ``folder`` (``.git`` excluded)."""
    folder = Path(folder)
    needles = solution_needles() if needles is None else needles
    leaks = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(folder).parts:
            leaks += _leaks_in(path, path.relative_to(folder).as_posix(), needles, hidden_names)
    return leaks


def require_no_leaks(folder: Path, hidden_allowed: bool = False) -> None:
    """Raise :class:`ReleaseError` listing every leak in ``folder`` (hidden-test names
    are not leaks where ``hidden_allowed``: the hidden-tests repository, the grader bundle)."""
    leaks = find_leaks(folder, hidden_names=() if hidden_allowed else hidden_test_names())
    if leaks:
        raise ReleaseError(f"{folder}: 학생에게 나갈 결과물에 유출이 있습니다. 공개하지 마세요:\n  "
                           + "\n  ".join(str(leak) for leak in leaks))
