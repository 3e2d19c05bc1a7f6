"""Gradebook files: the JSON of every result and a CSV row per submission."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ..catalog import EXERCISES
from ..fsutil import atomic_write  # noqa: F401 - re-exported for the writers

SCHEMA = Path(__file__).with_name("result.schema.json")


def write_json(results: list[dict], path: Path) -> None:
    atomic_write(path, json.dumps(results, ensure_ascii=False, indent=2) + "\n")


CSV_FIELDS = ["submission", "score", "max_score", *[e.name for e in EXERCISES], "status", "problems", "elapsed"]


def csv_row(result: dict) -> dict:
    row = {"submission": result["submission"], "score": result["score"], "max_score": result["max_score"],
           "status": result["status"], "elapsed": result["elapsed"]}
    for exercise in result["exercises"]:
        row[exercise["name"]] = exercise["score"]
    kinds = sorted({t["status"] for e in result["exercises"] for t in e["tests"]} - {"passed", "failed"})
    row["problems"] = " ".join(kinds)
    return row


def write_csv(results: list[dict], path: Path) -> None:
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for result in results:
        writer.writerow(csv_row(result))
    atomic_write(path, buffer.getvalue())
