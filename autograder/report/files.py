"""Gradebook files: the JSON of every result and a CSV row per submission."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..catalog import EXERCISES
from ..fsutil import atomic_write
from ..grade.result import Status, SubmissionResult, to_json
from .roster import Roster

SCHEMA = Path(__file__).with_name("result.schema.json")
CSV_FIELDS = ["submission", "score", "max_score", *[e.name for e in EXERCISES], "status", "problems", "elapsed"]
ROSTER_FIELDS = ["student_id", "name"]  # after "submission" when a roster is given


def write_json(results: list[SubmissionResult], path: Path) -> None:
    atomic_write(path, json.dumps([to_json(r) for r in results], ensure_ascii=False, indent=2) + "\n")


def csv_row(result: SubmissionResult) -> dict:
    row = {"submission": result.submission, "score": result.score, "max_score": result.max_score,
           "status": result.status.value, "elapsed": result.elapsed}
    row.update({e.name: e.score for e in result.exercises})
    row["problems"] = " ".join(sorted(s.value for s in result.statuses() - {Status.PASSED, Status.FAILED}))
    return row


def csv_fields(roster: Roster | None = None) -> list[str]:
    """The columns of ``grades.csv``: :data:`CSV_FIELDS`, with the student number and name after the submission
    when there is a roster."""
    return CSV_FIELDS[:1] + ROSTER_FIELDS + CSV_FIELDS[1:] if roster is not None else list(CSV_FIELDS)


def roster_columns(result: SubmissionResult, roster: Roster) -> dict:
    student = roster.find(result.name)
    return {"student_id": student.student_id, "name": student.name} if student else {}


def write_csv(results: list[SubmissionResult], path: Path, roster: Roster | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_fields(roster), extrasaction="ignore")
    writer.writeheader()
    for result in results:
        row = csv_row(result)
        if roster is not None:
            row.update(roster_columns(result, roster))
        writer.writerow(row)
    atomic_write(path, buffer.getvalue())
