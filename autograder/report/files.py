"""Gradebook files: the JSON of every result and a CSV row per submission."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..catalog import EXERCISES
from ..fsutil import atomic_write
from ..grade.result import Status, SubmissionResult, to_json

SCHEMA = Path(__file__).with_name("result.schema.json")
CSV_FIELDS = ["submission", "score", "max_score", *[e.name for e in EXERCISES], "status", "problems", "elapsed"]


def write_json(results: list[SubmissionResult], path: Path) -> None:
    atomic_write(path, json.dumps([to_json(r) for r in results], ensure_ascii=False, indent=2) + "\n")


def csv_row(result: SubmissionResult) -> dict:
    row = {"submission": result.submission, "score": result.score, "max_score": result.max_score,
           "status": result.status.value, "elapsed": result.elapsed}
    row.update({e.name: e.score for e in result.exercises})
    row["problems"] = " ".join(sorted(s.value for s in result.statuses() - {Status.PASSED, Status.FAILED}))
    return row


def write_csv(results: list[SubmissionResult], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for result in results:
        writer.writerow(csv_row(result))
    atomic_write(path, buffer.getvalue())
