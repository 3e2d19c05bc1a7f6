"""nbgrader submissions back to ``exercises/*.py``, so ``grade`` scores them in the sandbox.

``nbgrader autograde`` runs a student's notebook and the tests in one
unconfined kernel, minutes per student. For the authoritative score, each
``submitted/<student>/<assignment>/<exercise>.ipynb`` becomes
``exercises/<exercise>.py``: the stub of this repository (module docstring,
imports, constants) with each function replaced by the student's solution
cell for it (cell ``<exercise>-<function>``). Nothing else of the notebook is
used: not the test cells, not the cell where ``gradient_descent``'s notebook
takes a pasted ``numerical_gradient`` (graded with an exact stand-in anyway),
not outputs. A missing notebook or cell leaves the stub, which scores 0 as
it would in nbgrader.

Only what the student handed in is read: a notebook or an assignment folder
that is a symbolic link (to the course's ``source/`` notebooks, which hold the
solution cells, or to another student's) is not followed, and a
notebook that is not a regular file (a FIFO, a device) or is too big is never
opened for reading: such a notebook counts as missing (its stub is graded), and the
instructor is told.
"""

from __future__ import annotations

import ast
import json
import os
import stat
from pathlib import Path

from ..catalog import BY_NAME, EXERCISES

STUBS = Path(__file__).resolve().parents[2] / "exercises"
MAX_NOTEBOOK_BYTES = 8 * 1024 * 1024  # a lecture notebook with its outputs is far smaller
REFUSED = "심볼릭 링크이거나 일반 파일이 아니거나 너무 큰 노트북이라 읽지 않고 스텁으로 채점합니다."


def _own_folder(path: Path) -> bool:
    """A folder of the submission itself (never a link to one elsewhere)."""
    return path.is_dir() and not path.is_symlink()


def _assignment_folder(student: Path) -> Path | None:
    folders = [d for d in sorted(student.iterdir()) if _own_folder(d)
               and any((d / f"{e.name}.ipynb").is_file() for e in EXERCISES)] if student.is_dir() else []
    return folders[0] if len(folders) == 1 else None


def submitted_folder(path: Path) -> Path | None:
    """``path`` (a course or its ``submitted/``) as nbgrader's ``submitted/`` folder, if it is one."""
    for candidate in (Path(path) / "submitted", Path(path)):
        if candidate.is_dir() and not (candidate / "exercises").exists() \
                and any(_assignment_folder(s) for s in candidate.iterdir()):
            return candidate
    return None


def submissions(submitted: Path) -> dict[str, Path]:
    """Student id -> their assignment folder (the one holding the exercise notebooks)."""
    found = {}
    for student in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
        folder = _assignment_folder(student)
        if folder is not None:
            found[student.name] = folder
    return found


def read_notebook(notebook: Path) -> bytes | None:
    """The bytes of ``notebook`` if it is a regular file of at most :data:`MAX_NOTEBOOK_BYTES`, not reached
    through a symbolic link; None otherwise (opened without blocking and checked before reading)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        if notebook.is_symlink():
            return None
        fd = os.open(notebook, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_NOTEBOOK_BYTES:
            return None
        data = fh.read(MAX_NOTEBOOK_BYTES + 1)
    return data if len(data) <= MAX_NOTEBOOK_BYTES else None


def solution_cells(notebook: Path) -> dict[str, str]:
    """``grade_id`` -> source of every solution cell of ``notebook`` ({} if it cannot be read, or is not
    shaped like a notebook: what one student hands in never stops the others' grading)."""
    data = read_notebook(notebook)
    try:
        return _solution_cells(json.loads(data.decode("utf-8"))) if data is not None else {}
    except (ValueError, RecursionError, MemoryError):  # not JSON, or nested deeper than it can be read
        return {}


def _solution_cells(document) -> dict[str, str]:
    cells = document.get("cells", []) if isinstance(document, dict) else []
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        grading = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        if isinstance(grading, dict) and grading.get("solution") and isinstance(grading.get("grade_id"), str):
            source = cell.get("source", "")
            found[grading["grade_id"]] = "".join(map(str, source)) if isinstance(source, list) else str(source)
    return found


def _cell_lines(cell: str, stub_lines: list[str], node: ast.FunctionDef | ast.ClassDef, start: int) -> list[str]:
    """The cell's lines; a cell that does not parse becomes the stub's signature raising its SyntaxError,
    so one broken cell costs only its own function (as in the notebook)."""
    try:
        ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # nested too deep: no syntax either
        if isinstance(node, ast.ClassDef):  # the stub's class: every method says it is not implemented
            return stub_lines[start - 1:node.end_lineno]
        where = f", {exc.lineno}번째 줄" if isinstance(exc, SyntaxError) else ""
        message = f"노트북의 {node.name} 셀에 문법 오류가 있습니다 ({getattr(exc, 'msg', '너무 깊게 중첩된 식')}{where})"
        return stub_lines[start - 1:node.body[0].lineno - 1] + [f"    raise SyntaxError({message!r})"]
    return cell.rstrip("\n").splitlines()


def module_source(exercise: str, stub: str, cells: dict[str, str]) -> str:
    """``stub`` with each of ``exercise``'s functions replaced by its solution cell."""
    stub_lines = stub.splitlines()
    lines = list(stub_lines)
    nodes = [n for n in ast.parse(stub).body
             if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and f"{exercise}-{n.name}" in cells]
    for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        lines[start - 1:node.end_lineno] = _cell_lines(cells[f"{exercise}-{node.name}"], stub_lines, node, start)
    return "\n".join(lines) + "\n"


def convert(assignment: Path, target: Path) -> list[str]:
    """Write ``target/exercises/`` from the notebooks in ``assignment``; return notes on what was missing."""
    folder = Path(target) / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    notes = []
    for stub in sorted(STUBS.glob("*.py")):
        text = stub.read_text(encoding="utf-8")
        notebook = Path(assignment) / f"{stub.stem}.ipynb"
        if stub.stem in BY_NAME:
            cells = solution_cells(notebook)
            if not cells:
                refused = notebook.is_symlink() or (notebook.exists() and read_notebook(notebook) is None)
                notes.append(f"{notebook.name}: " + (REFUSED if refused else "노트북이 없거나 읽을 수 없어 스텁으로 채점합니다."))
            text = module_source(stub.stem, text, cells)
        (folder / stub.name).write_text(text, encoding="utf-8")
    return notes
