"""One ``grade`` run on a generated class of 100: report, roster join, LMS files and similar answers together."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from autograder.exports.lms import DEFAULT_ASSIGNMENT
import chromium
from classgen import make_class
from conftest import ROOT

N, MISSING = 100, 3
ARTIFACTS = ROOT / "test-artifacts" / "report"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    paths = make_class(folder, N, missing=MISSING)
    out = folder / "grading-output"
    command = [sys.executable, "-m", "autograder", "grade", *map(str, paths), "--out", str(out), "-q",
               "--roster", str(folder / "roster.csv"), "--export", "canvas", str(out / "canvas.csv"),
               "--export", "moodle", str(out / "moodle.csv")]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    roster = list(csv.DictReader(open(folder / "roster.csv", encoding="utf-8")))
    return out, proc.stdout, roster


def rows(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_every_roster_student_has_a_row_and_the_stranger_is_named(graded):
    out, stdout, roster = graded
    gradebook = {r["submission"].rstrip("/").rsplit("/", 1)[-1]: r for r in rows(out / "grades.csv")}
    assert {s["login"] for s in roster} <= set(gradebook)
    missing = [s["login"] for s in roster[N - MISSING:]]
    assert all(gradebook[login]["status"] == "missing" and gradebook[login]["score"] == "0" for login in missing)
    assert all(gradebook[s["login"]]["name"] == s["name"] for s in roster)
    assert "not-on-roster" in stdout


def test_both_lms_files_hold_the_whole_roster(graded):
    out, _, roster = graded
    canvas = [r for r in rows(out / "canvas.csv") if r["Student"] != "Points Possible"]
    moodle = rows(out / "moodle.csv")
    graded_scores = {r["submission"].rstrip("/").rsplit("/", 1)[-1]: r["score"] for r in rows(out / "grades.csv")}
    by_id = {s["student_id"]: graded_scores[s["login"]] for s in roster}
    assert {r["SIS User ID"]: r[list(r)[-1]] for r in canvas if r["SIS User ID"]} == by_id
    assert {r["ID number"]: r[DEFAULT_ASSIGNMENT] for r in moodle if r["ID number"]} == by_id
    assert {r["ID number"]: r["상태"] for r in moodle if r["ID number"]} == \
        {s["student_id"]: "미제출" if s in roster[N - MISSING:] else "제출" for s in roster}


def test_the_report_shows_the_class_mistakes_and_the_copying_pair(graded):
    out, _, roster = graded
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count("<svg") >= 2
    for student in roster:
        assert student["login"] in report and student["name"] in report
    assert "미제출" in report and "확인해 볼 만한 쌍" in report
    groups = json.loads((out / "similarity.json").read_text(encoding="utf-8"))["groups"]
    assert [g["members"] for g in groups] == [[roster[0]["login"], roster[1]["login"]]]


@pytest.mark.browser
def test_the_readme_screenshot_shows_the_top_and_the_start_of_the_mistakes_ranking(graded):
    """What ``tests/report_screenshot.py`` commits as examples/report-screenshot.png, from this class."""
    chromium.require()
    from PIL import Image

    from report_screenshot import MOST_HEIGHT, WIDTH, screenshot

    path = screenshot(graded[0] / "report.html", ARTIFACTS / "class-of-100.png")
    with Image.open(path) as image:
        assert image.width == WIDTH and MOST_HEIGHT // 2 < image.height <= MOST_HEIGHT, image.size
        assert len(image.getcolors(256)) <= 64
    assert path.stat().st_size < 400_000
