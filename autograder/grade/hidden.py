"""What of the grader a student never sees, and how to keep it out of anything a child sends back.

Hidden material is the code of the reference solutions (every non-trivial
line between the solution markers, and every significant expression in
them), every line of the stand-ins (``suites/standins/``: the grader's own
exact versions of the exercises, run in the children of the exercises that
import them) and the names of the hidden tests. :mod:`autograder.assign.leaks`
scans released files for the solutions and the names; :class:`Hidden` clears
it from the texts children send (error messages, returned strings, a
frame's line) before any message, feedback, release body, gradebook or report
can show them. What a student's own files already contain is not hidden from
that student: their own line in their own traceback stays readable.

Code is compared with all whitespace removed, so re-indenting, re-spacing or
re-wrapping hides nothing; a text is also read with Python's string escapes
undone (``repr`` of a source is a source), and, where it is not ASCII, as a
reader sees it (:func:`as_read`: fullwidth forms folded, invisible characters
dropped), so a word joiner between every character hides nothing either.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

from ..catalog import test_inventory

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
STANDINS = Path(__file__).resolve().parents[1] / "suites" / "standins"
NOTE = "〔채점기의 숨은 자료(참조 구현이나 채점용 대체 모듈의 코드, 숨은 테스트 이름)가 들어 있어 가렸습니다〕"
ESCAPES = (("\\n", "\n"), ("\\t", "\t"), ("\\'", "'"), ('\\"', '"'), ("\\\\", "\\"))
#: Shorter lines (``else:``, ``return x``) say nothing about the solution.
MIN_LINE = 12
#: An expression is significant from this many operations and this many characters on:
#: ``f(x + h)`` (2 operations) or ``np.zeros_like(x)`` (1) are everyday numpy, while a formula
#: of three operations or more is the answer.
MIN_OPERATIONS = 3
MIN_EXPRESSION = 16
OPERATIONS = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Subscript, ast.IfExp, ast.Lambda,
              ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


# --- what to look for -------------------------------------------------------------


def squeeze(text: str) -> str:
    """``text`` without any whitespace (``str.split`` splits on exactly what ``\\s`` matches)."""
    return "".join(text.split())


#: Characters a page shows as nothing: format characters (word joiner, soft hyphen, zero-width no-break
#: space, tags), combining and enclosing marks on their own, and the Hangul fillers.
INVISIBLE = frozenset({"Cf", "Mn", "Me"})
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def as_read(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms folded (``ｒｅｔｕｒｎ`` is ``return``, NFKC) and
    characters a page shows as nothing dropped. ASCII text is already so."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if c not in FILLERS and unicodedata.category(c) not in INVISIBLE)


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


def solution_regions(source: str) -> list[tuple[int, int]]:
    """Line ranges (1-based, inclusive) between the solution markers of ``source``."""
    regions, start = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN:
            start = number + 1
        elif line.strip() == END and start is not None:
            regions.append((start, number - 1))
            start = None
    return regions


def _sources(solutions_dir: Path):
    for path in sorted(Path(solutions_dir).glob("*.py")):
        source = path.read_text(encoding="utf-8")
        yield source, solution_regions(source)


def solution_lines(solutions_dir: Path = SOLUTIONS) -> list[str]:
    """The non-trivial code lines of every solution body, comments removed."""
    lines = []
    for source, regions in _sources(solutions_dir):
        text = source.splitlines()
        for start, end in regions:
            for line in text[start - 1:end]:
                code = _code_part(line)
                if len(squeeze(code)) >= MIN_LINE and code not in lines:
                    lines.append(code)
    return lines


def _operations(node: ast.AST) -> int:
    return sum(isinstance(n, OPERATIONS) for n in ast.walk(node))


def solution_expressions(solutions_dir: Path = SOLUTIONS) -> list[str]:
    """The significant expressions of every solution statement, as written."""
    found = []
    for source, regions in _sources(solutions_dir):
        lines = [line.encode("utf-8") for line in LINE.findall(source)]
        for node in ast.walk(ast.parse(source)):
            inside = isinstance(node, ast.expr) and any(a <= node.lineno and node.end_lineno <= b for a, b in regions)
            if not inside or _operations(node) < MIN_OPERATIONS:
                continue
            code = source_segment(lines, node)
            if code and len(squeeze(code)) >= MIN_EXPRESSION and code not in found:
                found.append(code)
    return found


#: A line with its end, split where :func:`ast.get_source_segment` splits (``\r\n``, ``\r``, ``\n`` only).
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def source_segment(lines: list[bytes], node: ast.AST) -> str | None:
    """What :func:`ast.get_source_segment` gives for ``node`` of a source split once into UTF-8 ``lines``
    (``LINE``); that function splits the whole source again, character by character, for every node."""
    if getattr(node, "end_lineno", None) is None or getattr(node, "end_col_offset", None) is None:
        return None
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first][node.col_offset:node.end_col_offset].decode("utf-8")
    return b"".join([lines[first][node.col_offset:], *lines[first + 1:last],
                     lines[last][:node.end_col_offset]]).decode("utf-8")


def hidden_test_names(inventory: list[dict] | None = None) -> list[str]:
    """Names of the hidden tests in ``inventory`` (default: the catalogue's)."""
    return [t["name"] for t in (test_inventory() if inventory is None else inventory) if t["visibility"] == "hidden"]




# --- clearing it from what children send ---------------------------------------------------


def standin_lines(standins_dir: Path = STANDINS) -> list[str]:
    """Every line of the stand-ins (docstrings and comments included) long enough to say something."""
    lines = []
    for path in sorted(Path(standins_dir).glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for text in (line.strip(), _code_part(line)):
                if len(squeeze(text)) >= MIN_LINE and text not in lines:
                    lines.append(text)
    return lines


class Hidden:
    """The grader's hidden material, and :meth:`redact`, which replaces a text that holds any with :data:`NOTE`."""

    def __init__(self, code: list[str], names: list[str]):
        self.code = sorted({squeeze(c) for c in code if squeeze(c)}, key=len, reverse=True)
        self.names = list(names)
        self._pattern = _names_pattern(self.names)
        self._shortest = min([len(c) for c in self.code] + [len(n) for n in self.names], default=0)

    @classmethod
    def of_this_checkout(cls) -> "Hidden":
        solutions = solution_lines() + solution_expressions() if SOLUTIONS.is_dir() else []
        return cls(solutions + standin_lines(), hidden_test_names())

    def without(self, own_texts) -> "Hidden":
        """What stays hidden from a student whose own files are ``own_texts``."""
        own = "\n".join(t for t in own_texts if t)
        squeezed, named = squeeze(own), self._named(own)
        return Hidden([c for c in self.code if c not in squeezed], [n for n in self.names if n not in named])

    def _named(self, text: str) -> set[str]:
        """The names ``text`` holds as whole identifiers (with ``test_`` before them or not): from the set
        of its identifiers, one pass over a long text, where no name itself starts with ``test_`` (then
        each identifier can be read one way only, as :data:`_pattern` reads it)."""
        if any(n.startswith("test_") for n in self.names):
            return _names_in(self._pattern, text)
        identifiers = set(IDENTIFIER.findall(text))
        return {n for n in self.names if n in identifiers or f"test_{n}" in identifiers}

    def found(self, text: str) -> bool:
        if not (self.code or self.names) or (text.isascii() and len(text) < self._shortest):
            return False  # too short to hold any of it (a compatibility form can stand for several letters)
        readings = [text, _unescaped(text)]
        if not text.isascii():
            readings += [as_read(t) for t in readings]
        squeezed = [squeeze(t) for t in readings]
        return any(c in s for c in self.code for s in squeezed) or (self._pattern is not None
                                                                     and any(self._pattern.search(t) for t in readings))

    def redact(self, text: str) -> str:
        return NOTE if isinstance(text, str) and self.found(text) else text


IDENTIFIER = re.compile(r"[A-Za-z0-9_]+")  # a run the names pattern's look-arounds bound


def _names_pattern(names: list[str]):
    """One pattern finding any of ``names`` as a whole identifier (with ``test_`` before it or not)."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:test_)?({alternatives})(?![A-Za-z0-9_])")


def _names_in(pattern, text: str) -> set[str]:
    return {match.group(1) for match in pattern.finditer(text)} if pattern is not None else set()


def _unescaped(text: str) -> str:
    for escaped, plain in ESCAPES:
        text = text.replace(escaped, plain)
    return text
