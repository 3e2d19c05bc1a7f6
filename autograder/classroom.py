"""One GitHub Classroom grading step: one exercise, exit status 0 only on full marks.

``python -m autograder.classroom losses --hidden`` grades the folder it runs in
on the public suites and the hidden suites the workflow installed from the
private repository, prints every test with its Korean message, and exits 0
only if every test passed (Classroom's command grader is all or nothing).
Without ``--hidden`` only the public suites run, like
``python -m autograder check --exercise losses --require-full``.

Exit status: 0 full marks, 1 not full marks, 2 could not grade (no
``exercises/`` here, or ``--hidden`` but the hidden suites are missing: a
missing checkout must never look like a pass).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from .catalog import BY_NAME


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder.classroom", description=__doc__.split("\n\n")[0])
    parser.add_argument("exercise", choices=sorted(BY_NAME), help="exercise to grade")
    parser.add_argument("--hidden", action="store_true",
                        help="also run the hidden suites (they must have been installed into autograder/suites/hidden)")
    parser.add_argument("--path", type=Path, default=Path("."), help="submission folder (default: here)")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    from .grade.engine import HIDDEN, PUBLIC, SUITES, Grader
    from .report.console import print_graded
    from .sandbox.client import SubmissionError, find_exercise_files

    if args.hidden and not (SUITES / HIDDEN / f"test_{args.exercise}.py").is_file():
        console.print(f"오류: 숨은 테스트(autograder/suites/hidden/test_{args.exercise}.py)가 없습니다. "
                      "워크플로의 숨은 테스트 체크아웃 단계를 확인하세요.", style="red", markup=False)
        return 2
    try:
        find_exercise_files(args.path)
    except SubmissionError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return 2
    visibility = (PUBLIC, HIDDEN) if args.hidden else (PUBLIC,)
    with Grader(visibility=visibility, exercises=[args.exercise]) as grader:
        result = grader.grade(args.path, label=f"{args.exercise} ({BY_NAME[args.exercise].title})")
    # Internal errors carry the grader's traceback: for the instructor's log, not the student's.
    print_graded({**result, "internal_errors": []}, console, verbose=True)
    if result["status"] != "graded" or not result["exercises"]:
        return 2
    return 0 if result["score"] == result["max_score"] else 1


if __name__ == "__main__":
    sys.exit(main())
