"""Find solution code or hidden-test names in a folder meant for students.

Everything a student can read (the Classroom template, the private repo of
hidden suites a student-edited workflow could print, the nbgrader release)
is scanned before it leaves the instructor's machine; the tests run the same
scan and also prove that it catches a planted leak.

What counts as a leak:

- a *non-trivial* line of a solution body (between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` in ``solutions/*.py``): any code line whose
  whitespace-free form has at least :data:`MIN_SIGNIFICANT` characters, with
  trailing comments removed, compared with all whitespace squeezed out (so a
  line matches however it is indented, spaced or commented);
- the name of a hidden test (``numerical_gradient_restores_x``), with or
  without its ``test_`` prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .stubs import BEGIN, END

#: Shorter lines (``else:``, ``return x``) say nothing about the solution.
MIN_SIGNIFICANT = 12

#: Solution lines that legitimately appear in one released file, with the reason.
#: Keyed by the file's path relative to the scanned folder's grader package.
ALLOWED = {
    ("autograder/suites/diagnose.py", "for idx in np.ndindex(x.shape):"):
        "the public mistake diagnosis computes a forward difference element by element",
}


@dataclass(frozen=True)
class Leak:
    path: Path
    kind: str  # "solution" or "hidden test"
    needle: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind} {self.needle!r}"


def _code_part(line: str) -> str:
    """``line`` without its comment, stripped (``#`` inside strings is kept)."""
    out, quote = [], None
    for char in line:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        out.append(char)
    return "".join(out).strip()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def solution_lines(solutions_dir: Path) -> list[str]:
    """The non-trivial code lines of every solution body, comments removed."""
    lines = []
    for path in sorted(Path(solutions_dir).glob("*.py")):
        inside = False
        for line in path.read_text(encoding="utf-8").splitlines():
            marker = line.strip()
            if marker == BEGIN:
                inside = True
            elif marker == END:
                inside = False
            elif inside:
                code = _code_part(line)
                if len(_squeeze(code)) >= MIN_SIGNIFICANT and code not in lines:
                    lines.append(code)
    return lines


def hidden_test_names(inventory: list[dict]) -> list[str]:
    """Names of the hidden tests in ``inventory`` (as from ``catalog.test_inventory``)."""
    return [t["name"] for t in inventory if t["visibility"] == "hidden"]


def _readable(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def find_leaks(folder: Path, solution_code: list[str], hidden_names: list[str] = ()) -> list[Leak]:
    """Every leak in the text files under ``folder`` (``.git`` excluded).

    Solution lines are compared with all whitespace removed, so re-indenting
    or re-wrapping a line (as a notebook's JSON does with ``\\n``) does not hide
    it. A notebook is scanned both as its raw JSON and as its cell sources.
    """
    needles = [(_squeeze(code), code) for code in solution_code]
    leaks = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or ".git" in path.relative_to(folder).parts:
            continue
        text = _readable(path)
        if text is None:
            continue
        if path.suffix == ".ipynb":
            text += "\n" + _notebook_sources(text)
        squeezed = _squeeze(text)
        where = path.relative_to(folder).as_posix()
        for needle, code in needles:
            if needle in squeezed and not any(where.endswith(f) and code == c for f, c in ALLOWED):
                leaks.append(Leak(path, "solution", code))
        for name in hidden_names:
            if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) or f"test_{name}" in text:
                leaks.append(Leak(path, "hidden test", name))
    return leaks


def _notebook_sources(text: str) -> str:
    import json

    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return ""
    sources = []
    for cell in cells:
        source = cell.get("source", "")
        sources.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(sources)
