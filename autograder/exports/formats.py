"""Every file a ``grade`` run writes for another system, by name: the one list ``grade`` and ``--export`` read.

Class files (:data:`FORMATS`), one row per student: ``json`` and ``csv``, the
gradebook, written on every run as ``OUT/grades.json`` and ``OUT/grades.csv``
(their :attr:`ClassFormat.standard` name); ``canvas`` and ``moodle``, the LMS
imports, written only where asked. ``--export NAME FILE`` writes any of them
to FILE as well (``--json FILE`` and ``--csv FILE`` are the same as
``--export json FILE`` and ``--export csv FILE``). Student files
(:data:`STUDENT_FILES`), one per student under OUT: the Korean feedback and
Gradescope's results.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..grade.result import SubmissionResult
from ..report.feedback import feedback_markdown
from ..roster import Roster
from .gradebook import write_csv, write_json
from .gradescope import gradescope_results
from .lms import DEFAULT_ASSIGNMENT, Exported, write_export


@dataclass(frozen=True)
class Gradebook:
    """What a class file is made from: the class summary's results, in order, and who the students are."""

    results: list[SubmissionResult]
    roster: Roster | None = None
    assignment: str = DEFAULT_ASSIGNMENT  # the LMS files' grade column
    missing_blank: bool = False  # LMS files: an empty cell, not 0, for a student who submitted nothing


@dataclass(frozen=True)
class ClassFormat:
    name: str  # --export NAME
    write: Callable[[Gradebook, Path], Exported | None]
    standard: str | None = None  # written to OUT/<standard> on every run
    lms: bool = False  # a gradebook import: only from a whole class, and it matches students by roster numbers


def _json(book: Gradebook, path: Path) -> None:
    write_json(book.results, path)


def _csv(book: Gradebook, path: Path) -> None:
    write_csv(book.results, path, book.roster)


def _lms(kind: str) -> Callable[[Gradebook, Path], Exported]:
    return lambda book, path: write_export(kind, book.results, path, book.roster, book.assignment, book.missing_blank)


FORMATS = {f.name: f for f in (ClassFormat("json", _json, "grades.json"), ClassFormat("csv", _csv, "grades.csv"),
                               ClassFormat("canvas", _lms("canvas"), lms=True),
                               ClassFormat("moodle", _lms("moodle"), lms=True))}


@dataclass(frozen=True)
class StudentFile:
    path: str  # under OUT, with {slug}: the student's file name
    text: Callable[[SubmissionResult, str, str | None], str]  # (result, slug, lecture site) -> the file's text


def _gradescope(result: SubmissionResult, slug: str, site: str | None) -> str:
    return json.dumps(gradescope_results(result, site), ensure_ascii=False, indent=2) + "\n"


STUDENT_FILES = (StudentFile("feedback/{slug}.md", feedback_markdown),
                 StudentFile("gradescope/{slug}/results.json", _gradescope))
