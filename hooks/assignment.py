"""The exercises as the home page and the README list them: what ``exercises/<name>.py`` asks a student to write."""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.catalog import Exercise

ROOT = Path(__file__).resolve().parents[1]


def implemented(exercise: Exercise) -> str:
    """```f`, `g``` or ```TwoLayerNet` (`__init__`, `predict`, ...), `train```: the functions, a class with its
    methods (those a student writes: public ones and ``__init__``)."""
    tree = ast.parse((ROOT / "exercises" / f"{exercise.name}.py").read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    parts = []
    for name in exercise.functions:
        methods = [m.name for m in getattr(classes.get(name), "body", ())
                   if isinstance(m, ast.FunctionDef) and (not m.name.startswith("_") or m.name == "__init__")]
        parts.append(f"`{name}`" + (f" ({', '.join(f'`{m}`' for m in methods)})" if methods else ""))
    return ", ".join(parts)


def files_table(exercises) -> str:
    """The home page's table: each exercise's file and what it asks for."""
    rows = ["| 파일 | 구현할 함수 |", "|---|---|"]
    rows += [f"| `exercises/{e.name}.py` | {implemented(e)} |" for e in exercises]
    return "\n".join(rows)
