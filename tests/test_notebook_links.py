"""``grade COURSE`` reads only the notebooks a student handed in, each student's own, beside honest twins.

An nbgrader course holds the reference solution cells in ``source/`` (and every
student's notebooks in ``submitted/``); a student who hands in a symbolic link
to one of those (what a git clone or ``cp -a`` keeps) must not be graded on it,
and a notebook that is a FIFO must not stop the grader from grading anyone.
The honest twins (kim-minji, 100; lee-junho, 71, as notebooks) score the same
whatever the attacker beside them handed in.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

import pytest

from autograder.assign.nbgrader_course import ASSIGNMENT, Course, build
from autograder.collect import notebooks
from conftest import ROOT, run_cli

TWINS = {"kim-minji": 100, "lee-junho": 71}


def _functions(py: Path) -> dict[str, str]:
    text = py.read_text(encoding="utf-8")
    return {n.name: ast.get_source_segment(text, n) for n in ast.parse(text).body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _hand_in(source: Path, folder: Path, student: str) -> None:
    """The example submission ``student`` as nbgrader notebooks (its functions in the solution cells)."""
    folder.mkdir(parents=True)
    for notebook in sorted(source.glob("*.ipynb")):
        data = json.loads(notebook.read_text(encoding="utf-8"))
        functions = _functions(ROOT / "examples" / "submissions" / student / "exercises" / f"{notebook.stem}.py")
        for cell in data["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution"):
                cell["source"] = functions.get(meta["grade_id"].split("-", 1)[1], "pass")  # a pasted cell: unused
        (folder / notebook.name).write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course (source/ only, nbgrader not run), the twins, and the attackers in submitted/."""
    path = tmp_path_factory.mktemp("notebook-links") / "course"
    build(Course(path, generate=False))
    source, submitted = path / "source" / ASSIGNMENT, path / "submitted"
    for student in TWINS:
        _hand_in(source, submitted / student / ASSIGNMENT, student)
    linked = submitted / "aa-linked" / ASSIGNMENT
    linked.mkdir(parents=True)
    for notebook in source.glob("*.ipynb"):  # relative links, as a clone of the student's repository keeps them
        os.symlink(Path("..", "..", "..", "source", ASSIGNMENT, notebook.name), linked / notebook.name)
    (submitted / "ab-folder-link").mkdir()
    os.symlink(submitted / "kim-minji" / ASSIGNMENT, submitted / "ab-folder-link" / ASSIGNMENT)
    shutil.copytree(submitted / "lee-junho", submitted / "kim-minji_")  # a name the hub let them pick: its safe
    # form is kim-minji's, so one converted folder for both would grade kim-minji on these notebooks
    fifo = submitted / "ac-fifo" / ASSIGNMENT
    fifo.mkdir(parents=True)
    (fifo / "losses.ipynb").write_bytes((submitted / "lee-junho" / ASSIGNMENT / "losses.ipynb").read_bytes())
    os.mkfifo(fifo / "gradient.ipynb")  # nobody ever writes it: reading it would wait forever
    deep_cell = json.loads((submitted / "lee-junho" / ASSIGNMENT / "losses.ipynb").read_text(encoding="utf-8"))
    for cell in deep_cell["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = "-" * 100000 + "1"  # too deeply nested for Python's parser (MemoryError, not SyntaxError)
    for name, text in (("ad-shape", '{"cells": [{"metadata": []}, 7, {"metadata": {"nbgrader": "x"}}]}'),
                       ("ae-deep", "[" * 100000 + "]" * 100000), ("af-deep-cell", json.dumps(deep_cell))):
        shutil.copytree(submitted / "lee-junho", submitted / name)
        (submitted / name / ASSIGNMENT / "losses.ipynb").write_text(text, encoding="utf-8")
    return path


def test_linked_or_special_notebooks_are_not_read_and_twins_score_the_same(course, tmp_path):
    out = tmp_path / "out"
    done = run_cli("grade", course, "--out", out, "--workers", "1", "--fresh", timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["submission"]: row for row in json.loads((out / "grades.json").read_text(encoding="utf-8"))}
    assert {name: rows[name]["score"] for name in TWINS} == TWINS
    assert rows["aa-linked"]["score"] == 0  # the stubs: not the solution cells of source/
    assert rows["kim-minji_"]["score"] == 71  # graded on its own notebooks, kim-minji on hers
    assert "ab-folder-link" not in rows or rows["ab-folder-link"]["score"] == 0  # not kim-minji's notebooks
    fifo = {e["name"]: e["score"] for e in rows["ac-fifo"]["exercises"]}
    assert fifo["losses"] == 18 and fifo["gradient"] == 0  # its own losses notebook graded, the FIFO skipped
    assert "aa-linked: gradient.ipynb: 심볼릭 링크" in done.stdout and "ac-fifo: gradient.ipynb" in done.stdout
    for name in ("ad-shape", "ae-deep", "af-deep-cell"):  # a notebook of the wrong shape costs only its own losses
        assert {e["name"]: e["score"] for e in rows[name]["exercises"]} == {
            "losses": 0, "gradient": 17, "gradient_descent": 16, "two_layer_net": 20}, name


def test_read_notebook_refuses_links_fifos_and_oversized_files(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_text('{"cells": []}', encoding="utf-8")
    (tmp_path / "link.ipynb").symlink_to(real)
    os.mkfifo(tmp_path / "fifo.ipynb")
    with open(tmp_path / "big.ipynb", "wb") as fh:
        fh.truncate(notebooks.MAX_NOTEBOOK_BYTES + 1)
    assert notebooks.read_notebook(real) == b'{"cells": []}'
    for name in ("link", "fifo", "big", "missing"):
        assert notebooks.read_notebook(tmp_path / f"{name}.ipynb") is None, name


def test_a_folder_given_twice_is_one_submission_to_name(tmp_path):
    """The same folder twice (or two students once sharing one) must never stop the whole run."""
    from autograder.grade.result import slug_for

    folder = tmp_path / "kim-minji"
    assert slug_for([folder, folder, tmp_path / "lee-junho"]) == {folder: "kim-minji", tmp_path / "lee-junho": "lee-junho"}
