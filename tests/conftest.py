"""Shared helpers: build submission folders from the reference or the stubs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.grade.engine import Grader
from autograder.protocol import Limits

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
FAST = Limits(call_timeout=2.0, submission_timeout=60.0)


def make_submission(folder: Path, base: str = "solutions", replace: dict | None = None,
                    files: dict | None = None) -> Path:
    """A student's repository: ``exercises/`` copied from ``base`` ("solutions" or
    "exercises"), then ``replace`` = {file: [(old, new), ...]} applied (each old
    text must occur) and ``files`` = {relative path: text} written."""
    target = folder / "exercises"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / base).glob("*.py")):
        shutil.copyfile(source, target / source.name)
    for name, edits in (replace or {}).items():
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{name}: {old!r} not found (did the reference change?)"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for rel, text in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def failing(result: dict) -> dict[str, dict]:
    """Tests that did not pass, by name."""
    return {t.name: t for e in result.exercises for t in e.tests if t.status != "passed"}


def scores(result: dict) -> dict[str, int]:
    return {e.name: e.score for e in result.exercises}


@pytest.fixture(scope="session")
def grader():
    with Grader(limits=FAST) as g:
        yield g
