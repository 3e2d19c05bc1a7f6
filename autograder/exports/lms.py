"""Gradebook import files for learning management systems: Canvas and Moodle.

Both are CSV in UTF-8 with a byte-order mark (so Excel shows Korean names),
one row per submission or missing student, one grade column named after the
assignment.

Canvas (Grades > Import): the columns ``Student, ID, SIS User ID, SIS Login
ID, Section`` and the assignment; the second row is ``Points Possible`` with
the maximum score (Canvas uses it for an assignment the import creates).
Canvas matches a row to a student by ``ID`` (Canvas's own number, unknown
here, left empty), ``SIS User ID`` (the roster's student number) or ``SIS
Login ID`` (the roster's e-mail when there is one; without a student number
the GitHub login, the only identifier left). ``Student`` is only shown:
Canvas writes "Last, First", a Korean name is written as one string, as the
roster has it. An assignment column named ``Name (123)`` updates Canvas
assignment 123; a new name creates an assignment.

Moodle (Grade administration > Import > CSV file): the columns ``ID
number, Email address, Name, GitHub username``, the assignment and ``상태``
(the student's standing in the class summary's words, with how late: 제출,
``지각 (19시간 늦음, 10% 감점)``, 미제출, ...). On the import page, map "ID
number" to ``useridnumber`` (the student number) or "Email address" to
``useremail``, the assignment column to a grade item (or a new one) and,
if students should read it, ``상태`` to that item's feedback (an unmapped
column is ignored). Canvas's import has no such column: an unknown column
would become an assignment.

The rows are the class summary's (:mod:`.summary`): every student once, in
the same order as the gradebook and the report. A student marked missing gets
0 (or, with ``missing_blank``, an empty cell); late work gets its grade after
the late penalty (0 when the late rule refused it); a submission the grader
could not grade (internal error) gets an empty cell, which neither system
reads as 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..analysis.summary import standing_text
from ..catalog import points
from ..fsutil import atomic_write
from ..grade.result import SubmissionResult, SubmissionStatus
from ..roster import Roster, Student, defang

DEFAULT_ASSIGNMENT = "신경망 학습 (4강)"
CANVAS_FIELDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "Points Possible"
MOODLE_FIELDS = ["ID number", "Email address", "Name", "GitHub username"]
MOODLE_STANDING = "상태"
ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class Exported:
    """What one export wrote, for the console: rows without a grade or without a student number."""

    path: Path
    kind: str
    rows: int
    ungraded: tuple[str, ...]  # internal errors: grade cell left empty
    unidentified: tuple[str, ...]  # no student number: the LMS may not match them


def grade_cell(result: SubmissionResult, missing_blank: bool = False) -> str:
    """The score as the LMS should read it; empty when the grader could not grade the submission
    (or, with ``missing_blank``, when the student submitted nothing)."""
    blank = result.status is SubmissionStatus.INTERNAL or (missing_blank and result.status is SubmissionStatus.MISSING)
    return "" if blank else str(result.score)


def student_of(result: SubmissionResult, roster: Roster | None) -> Student:
    """The roster's student for ``result`` (its folder name is the GitHub login), or one with the login only."""
    found = roster.find(result.name) if roster else None
    return found or Student(result.name)


def canvas_row(student: Student, grade: str) -> list[str]:
    login_id = student.email or ("" if student.student_id else student.login)
    return [student.name or student.login, "", student.student_id, login_id, student.section, grade]


def moodle_row(student: Student, grade: str, standing: str = "") -> list[str]:
    return [student.student_id, student.email, student.name, student.login, grade, standing]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[defang(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def canvas_csv(results: list[SubmissionResult], roster: Roster | None, assignment: str,
               missing_blank: bool = False) -> str:
    """The Canvas gradebook import file (text; write it with :data:`ENCODING`)."""
    rows = [CANVAS_FIELDS + [assignment], [CANVAS_POINTS_ROW, "", "", "", "", str(points())]]
    rows += [canvas_row(student_of(r, roster), grade_cell(r, missing_blank)) for r in results]
    return _csv(rows)


def moodle_csv(results: list[SubmissionResult], roster: Roster | None, assignment: str,
               missing_blank: bool = False) -> str:
    """The Moodle grade import file (text; write it with :data:`ENCODING`)."""
    rows = [MOODLE_FIELDS + [assignment, MOODLE_STANDING]]
    rows += [moodle_row(student_of(r, roster), grade_cell(r, missing_blank), standing_text(r)) for r in results]
    return _csv(rows)


WRITERS = {"canvas": canvas_csv, "moodle": moodle_csv}


def write_export(kind: str, results: list[SubmissionResult], path: Path, roster: Roster | None = None,
                 assignment: str = DEFAULT_ASSIGNMENT, missing_blank: bool = False) -> Exported:
    """Write the ``kind`` (``canvas`` or ``moodle``) import file to ``path``."""
    atomic_write(path, WRITERS[kind](results, roster, assignment, missing_blank).encode(ENCODING))
    ungraded = tuple(r.name for r in results if not grade_cell(r))
    unidentified = tuple(r.name for r in results if not student_of(r, roster).student_id)
    return Exported(Path(path), kind, len(results), ungraded, unidentified)
