"""Gradebook files: the JSON of every result and a CSV row per student.

Beside the scores, a CSV row says where the student stands (``standing``:
제출, 지각, 미제출, 채점 불가, 채점기 문제, the words of every output) and, when
graded by a deadline, how late the late work was (``late_hours``), the late
penalty in points, the scores of the on-time and the late submission before
any penalty, and the submission tag that counts.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..catalog import EXERCISES
from ..fsutil import atomic_write
from ..grade.result import Status, SubmissionResult, to_json
from ..roster import Roster, defang

SCHEMA = Path(__file__).with_name("result.schema.json")
CSV_FIELDS = ["submission", "score", "max_score", *[e.name for e in EXERCISES], "status", "standing", "late_hours",
              "penalty", "on_time_score", "late_score", "tag", "problems", "elapsed"]
ROSTER_FIELDS = ["student_id", "name"]  # after "submission" when a roster is given


def write_json(results: list[SubmissionResult], path: Path) -> None:
    atomic_write(path, json.dumps([to_json(r) for r in results], ensure_ascii=False, indent=2) + "\n")


def csv_row(result: SubmissionResult) -> dict:
    row = {"submission": result.submission, "score": result.score, "max_score": result.max_score,
           "status": result.status.value, "standing": result.standing.label, "penalty": result.penalty,
           "elapsed": result.elapsed}
    row.update({e.name: e.score for e in result.exercises})
    row["problems"] = " ".join(sorted(s.value for s in result.statuses() - {Status.PASSED, Status.FAILED}))
    return row | timing_columns(result)


def timing_columns(result: SubmissionResult) -> dict:
    """How late, the on-time and late scores before any penalty, and the tag that counts (empty when unknown)."""
    timing = result.timing
    if timing is None:
        return {}
    late_by = result.late_by
    counted = timing.counted
    return {"late_hours": "" if late_by is None else round(late_by / 3600, 2),
            "on_time_score": _score(timing.on_time), "late_score": _score(timing.late),
            "tag": counted.tag if counted else ""}


def _score(attempt) -> str | int:
    return "" if attempt is None or attempt.score is None else attempt.score


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
        writer.writerow({key: defang(value) for key, value in row.items()})
    atomic_write(path, buffer.getvalue())
