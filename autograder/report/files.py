"""Gradebook files: the JSON of every result and a CSV row per submission."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

from ..catalog import EXERCISES

SCHEMA = Path(__file__).with_name("result.schema.json")


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


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
