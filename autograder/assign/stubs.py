"""Derive the student stubs in ``exercises/`` from the reference ``solutions/``.

A solution body is wrapped in nbgrader's markers::

    ### BEGIN SOLUTION
    ...
    ### END SOLUTION

Everything outside the markers (module docstring, imports, signatures,
docstrings) is copied verbatim; the marked lines become a Korean
``NotImplementedError``. ``solutions/`` is the only hand-written copy.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..grade.hidden import BEGIN, END  # noqa: F401 - the markers, defined where the grader reads them
from .common import ReleaseError
STUB_BODY = (
    "{indent}# 여기에 코드를 작성하세요.\n"
    '{indent}raise NotImplementedError("{name} 함수를 아직 구현하지 않았습니다.")\n'
)


class StubError(ReleaseError, ValueError):
    """The solution source has unbalanced or misplaced markers."""


def _enclosing_function(tree: ast.AST, lineno: int) -> str:
    """``name`` or ``Class.name`` of the innermost function around ``lineno``."""
    best, owner = None, None
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.lineno <= lineno <= (item.end_lineno or item.lineno):
                    best, owner = item, node.name
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.lineno <= lineno <= (node.end_lineno or node.lineno) and (best is None or node.lineno > best.lineno):
                best, owner = node, None
    if best is None:
        raise StubError(f"{lineno}번째 줄: {BEGIN} 은(는) 함수 안에 있어야 합니다")
    return f"{owner}.{best.name}" if owner else best.name


def make_stub(source: str, filename: str = "<solution>") -> str:
    """Return ``source`` with every marked solution region replaced by a stub."""
    tree = ast.parse(source, filename)
    out: list[str] = []
    begin_line = None
    for lineno, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begin_line is not None:
                raise StubError(f"{filename}:{lineno}: {BEGIN} 이(가) 겹쳐 있습니다 (앞의 것이 아직 끝나지 않았습니다)")
            begin_line = lineno
            indent = re.match(r"\s*", line).group(0)
            name = _enclosing_function(tree, lineno)
            out.append(STUB_BODY.format(indent=indent, name=name))
        elif marker == END:
            if begin_line is None:
                raise StubError(f"{filename}:{lineno}: {BEGIN} 없이 {END} 가 있습니다")
            begin_line = None
        elif begin_line is None:
            out.append(line)
    if begin_line is not None:
        raise StubError(f"{filename}:{begin_line}: {BEGIN} 이(가) 파일 끝까지 {END} 로 닫히지 않습니다")
    return "".join(out)


def stub_files(solutions_dir: Path) -> dict[str, str]:
    """Map each ``*.py`` file name in ``solutions_dir`` to its stub text."""
    return {
        path.name: make_stub(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(Path(solutions_dir).glob("*.py"))
    }


def stale_stubs(solutions_dir: Path, exercises_dir: Path) -> list[str]:
    """Names of the stubs in ``exercises_dir`` that differ from what ``solutions_dir`` gives."""
    return [name for name, text in stub_files(solutions_dir).items()
            if not (exercises_dir / name).is_file() or (exercises_dir / name).read_text(encoding="utf-8") != text]


def write_stubs(solutions_dir: Path, exercises_dir: Path) -> list[Path]:
    """Write the stubs into ``exercises_dir``; return the files that changed."""
    exercises_dir = Path(exercises_dir)
    exercises_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in stub_files(solutions_dir).items():
        target = exercises_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed
