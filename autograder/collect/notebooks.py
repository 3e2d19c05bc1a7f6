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
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from ..catalog import BY_NAME, EXERCISES

STUBS = Path(__file__).resolve().parents[2] / "exercises"


def _assignment_folder(student: Path) -> Path | None:
    folders = [d for d in sorted(student.iterdir()) if d.is_dir()
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


def solution_cells(notebook: Path) -> dict[str, str]:
    """``grade_id`` -> source of every solution cell of ``notebook`` ({} if it cannot be read)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if meta.get("solution") and meta.get("grade_id"):
            source = cell.get("source", "")
            found[meta["grade_id"]] = "".join(source) if isinstance(source, list) else str(source)
    return found


def _cell_lines(cell: str, stub_lines: list[str], node: ast.FunctionDef | ast.ClassDef, start: int) -> list[str]:
    """The cell's lines; a cell that does not parse becomes the stub's signature raising its SyntaxError,
    so one broken cell costs only its own function (as in the notebook)."""
    try:
        ast.parse(cell)
    except SyntaxError as exc:
        if isinstance(node, ast.ClassDef):  # the stub's class: every method says it is not implemented
            return stub_lines[start - 1:node.end_lineno]
        message = f"노트북의 {node.name} 셀에 문법 오류가 있습니다 ({exc.msg}, {exc.lineno}번째 줄)"
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
                notes.append(f"{notebook.name}: 노트북이 없거나 읽을 수 없어 스텁으로 채점합니다.")
            text = module_source(stub.stem, text, cells)
        (folder / stub.name).write_text(text, encoding="utf-8")
    return notes
