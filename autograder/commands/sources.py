"""``grade``'s view of GitHub and nbgrader inputs: download folders, clones, ``--deadline``, notebooks.

:func:`expand_sources` turns the paths ``grade`` was given into folders to
grade and the students' names (:mod:`autograder.collect.sources`);
:func:`report_sources` compares each grade with the score Classroom 50 gave
at push time.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .grade_run import GradeRun, Refused

PUSH_TIME_FILE = "push-time-scores.csv"
PUSH_TIME_FIELDS = ["username", "submission_tag", "push_time_score", "grade", "before_penalty", "max_score",
                    "differs"]


def deadline(text: str) -> dt.datetime:
    """``--deadline``: an ISO 8601 time with its time zone (2026-12-01T23:59:59+09:00)."""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"마감 시각을 읽을 수 없습니다: {text!r} (예: 2026-12-01T23:59:59+09:00)") from None
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"마감 시각에 시간대가 없습니다: {text!r} (예: 2026-12-01T23:59:59+09:00)")
    return when


def add_options(parser) -> None:
    parser.add_argument("--deadline", type=deadline, metavar="시각",
                        help="git 저장소마다 이 시각 전의 마지막 submit/ 태그를 채점합니다 (예: 2026-12-01T23:59:59+09:00)")


def expand_sources(paths: list[Path], rules, out: Path, console: Console):
    """The expanded inputs (:class:`autograder.collect.sources.Sources`); Refused when they cannot be used."""
    from ..collect import CollectError
    from ..collect.sources import expand

    try:
        sources = expand(paths, rules, out)
    except CollectError as exc:
        raise Refused(str(exc)) from None
    for note in sources.notes:
        console.print(f"참고: {note}", markup=False)
    return sources


def report_sources(run: GradeRun, console: Console, results) -> None:
    """Compare with the push-time scores of a download folder (printed, and ``OUT/push-time-scores.csv``)."""
    from ..collect.sources import push_time_rows
    from ..roster import defang

    rows = push_time_rows(results, run.sources)
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PUSH_TIME_FIELDS)
    writer.writeheader()
    writer.writerows([{key: defang(value) for key, value in row.items()} for row in rows])
    run.output.write(run.out / PUSH_TIME_FILE, buffer.getvalue())
    differs = [r for r in rows if r["differs"]]
    console.print(f"푸시 때 점수와 이 채점이 다른 제출물: {len(differs)}개 (전체 비교: {run.out}/{PUSH_TIME_FILE})")
    for row in differs:
        console.print(f"  [yellow]![/] {escape(row['username'])}: 푸시 때 {row['push_time_score']}점, "
                      f"강사 채점 {row['before_penalty']}점{' (지각 감점 전)' if row['grade'] != row['before_penalty'] else ''}"
                      f" ({escape(row['submission_tag'])})")
