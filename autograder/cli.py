"""Command line: ``python -m autograder {grade,check,stubs} ...``.

- ``grade PATH...``: the instructor grades submission folders (public + hidden tests).
- ``check [PATH]``: a student checks their own work against the public tests.
- ``stubs``: regenerate ``exercises/`` from ``solutions/`` (``--check`` only compares).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console

from .catalog import BY_NAME
from .protocol import GraderFault, Limits, SubmissionError
from .sandbox.client import find_exercise_files, read_source

GRADER_PROBLEM = 3  # exit status when the grader itself cannot work (never the student's doing)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUBMISSIONS = ROOT / "examples" / "submissions"


def _limits_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("limits for student code")
    defaults = Limits()
    group.add_argument("--call-timeout", type=float, default=defaults.call_timeout, metavar="SEC",
                       help=f"seconds per call into student code (default {defaults.call_timeout:g})")
    group.add_argument("--submission-timeout", type=float, default=defaults.submission_timeout, metavar="SEC",
                       help=f"seconds for a whole submission (default {defaults.submission_timeout:g})")
    group.add_argument("--memory-mb", type=int, default=defaults.memory_mb, metavar="MB",
                       help=f"memory a child may allocate (default {defaults.memory_mb})")
    group.add_argument("--output-kb", type=int, default=defaults.output_kb, metavar="KB",
                       help=f"largest output file a child may write (default {defaults.output_kb})")
    group.add_argument("--disk-mb", type=int, default=defaults.disk_mb, metavar="MB",
                       help=f"everything a submission may write into its work folder (default {defaults.disk_mb})")
    group.add_argument("--sandbox-user", default=os.environ.get("AUTOGRADER_SANDBOX_USER"), metavar="NAME",
                       help="when run as root: run student code as this unprivileged user "
                            "(default: $AUTOGRADER_SANDBOX_USER)")


def _limits(args) -> Limits:
    return Limits(call_timeout=args.call_timeout, submission_timeout=args.submission_timeout,
                  memory_mb=args.memory_mb, output_kb=args.output_kb, disk_mb=args.disk_mb,
                  sandbox_user=args.sandbox_user)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade submission folders (instructor)")
    grade.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="submission folders, each containing exercises/ "
                            f"(default: every folder in {DEFAULT_SUBMISSIONS.relative_to(ROOT)})")
    grade.add_argument("--out", type=Path, default=Path("grading-output"), metavar="DIR",
                       help="gradebook, feedback/, gradescope/ and resumable state (default: grading-output)")
    grade.add_argument("--json", type=Path, metavar="FILE", help="also write every result as JSON here")
    grade.add_argument("--csv", type=Path, metavar="FILE", help="also write the gradebook (a row per submission) here")
    grade.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                       help="submissions graded in parallel (default: 2)")
    grade.add_argument("--fresh", action="store_true", help="regrade everything, ignoring saved results")
    grade.add_argument("-q", "--quiet", action="store_true", help="print only the gradebook and summary")
    grade.add_argument("--skip-invalid", action="store_true",
                       help="grade the valid folders and list invalid ones as 0 instead of stopping")
    grade.add_argument("-v", "--verbose", action="store_true", help="show passed tests too")
    _limits_arguments(grade)

    check = commands.add_parser("check", help="check your exercises against the public tests (students)")
    check.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH",
                       help="folder containing exercises/ (default: current folder)")
    check.add_argument("--exercise", action="append", choices=sorted(BY_NAME), metavar="NAME",
                       help="only this exercise (repeatable): " + ", ".join(BY_NAME))
    check.add_argument("--require-full", action="store_true",
                       help="exit with status 1 unless every checked test passes")
    _limits_arguments(check)

    stubs = commands.add_parser("stubs", help="regenerate exercises/ from solutions/")
    stubs.add_argument("--check", action="store_true", help="only report whether exercises/ is up to date")
    return parser


def _default_submissions() -> list[Path]:
    return sorted(p for p in DEFAULT_SUBMISSIONS.iterdir() if p.is_dir()) if DEFAULT_SUBMISSIONS.is_dir() else []


def invalid_result(path: Path, reason: str) -> dict:
    return {"submission": str(path), "score": 0, "max_score": 100, "status": "invalid", "elapsed": 0.0,
            "notes": [reason], "internal_errors": [], "exercises": []}


def validate(path: Path) -> None:
    """Raise SubmissionError unless ``path`` is a submission whose files can all be read."""
    for file in find_exercise_files(path).values():
        read_source(file)


def grader_problem(console: Console, exc: Exception) -> int:
    console.print(f"채점기 문제: {exc}", style="magenta", markup=False)
    console.print("채점기 자체가 동작하지 않아 아무것도 채점하지 않았습니다 (학생의 잘못이 아닙니다).")
    return GRADER_PROBLEM


def isolation_notice(console: Console, level: str | None) -> None:
    if not level:
        return
    console.print(f"격리 수준: {level}", markup=False)
    if "landlock" not in level or "pidns" not in level:
        console.print("이 기계에서는 커널 격리(Landlock과 네임스페이스)를 모두 쓸 수 없어, 학생 코드는 파이썬 감시 훅과 "
                      "자원 제한으로만 막습니다. 악의적인 제출물이 있을 수 있는 수업은 컨테이너나 전용 사용자 계정에서 "
                      "채점하세요.", style="yellow")


def cmd_grade(args, console: Console) -> int:
    from filelock import FileLock, Timeout

    from .grade.engine import preflight

    paths = args.paths or _default_submissions()
    if not paths:
        console.print("error: no submission folders given", style="red")
        return 2
    problems = {}
    for path in paths:
        try:
            validate(path)
        except SubmissionError as exc:
            problems[path] = str(exc)
    if problems and not args.skip_invalid:
        for reason in problems.values():
            console.print(f"error: {reason}", style="red", markup=False)
        console.print("nothing was graded (use --skip-invalid to grade the other folders)")
        return 2
    try:
        preflight()
    except GraderFault as exc:
        return grader_problem(console, exc)
    args.out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(args.out / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        console.print(f"다른 채점이 이미 {args.out}/ 에 결과를 쓰고 있습니다. 그 채점이 끝난 뒤 다시 실행하거나 "
                      "--out으로 다른 폴더를 고르세요.", style="red", markup=False)
        return 2
    try:
        return _grade_locked(args, console, paths, problems)
    finally:
        lock.release()


def _grade_locked(args, console: Console, paths: list[Path], problems: dict) -> int:
    from .grade.batch import Batch
    from .report import console as report

    valid = [p for p in paths if p not in problems]
    batch = Batch(valid, limits=_limits(args), workers=args.workers, state_dir=args.out / "state",
                  fresh=args.fresh)
    progress = report.batch_progress(console, len(valid))
    running: set = set()

    def on_start(path):
        running.add(path)
        progress.describe(running)

    def on_result(path, result):
        running.discard(path)
        progress.advance(running)
        if not args.quiet:
            report.print_graded(result, progress.console, verbose=args.verbose)

    interrupted = False
    try:
        batch.run(on_start, on_result, display=progress.live)
    except KeyboardInterrupt:
        interrupted = True
    except GraderFault as exc:
        return grader_problem(console, exc)
    everything = [batch.results[p] if p in batch.results else invalid_result(p, problems[p])
                  for p in paths if p in batch.results or p in problems]
    write_outputs(everything, args)
    isolation_notice(console, batch.isolation or next((r.get("isolation") for r in everything if r.get("isolation")), None))
    console.print(report.gradebook_table(everything) if not args.quiet or len(everything) <= 50 else "")
    console.print(report.summary_line(everything))
    if batch.reused:
        console.print(f"이전 실행에서 채점한 제출물 {batch.reused}개는 다시 채점하지 않았습니다 (--fresh로 모두 다시 채점).")
    console.print(f"결과: {args.out}/ (grades.csv, grades.json, feedback/, gradescope/)")
    if interrupted:
        done = sum(1 for p in valid if p in batch.results)
        console.print(f"중단됨: {done}/{len(valid)}개 채점 완료. 같은 명령을 다시 실행하면 이어서 채점합니다.")
        return 130
    return 0


def write_outputs(results: list[dict], args) -> None:
    """Gradebook (JSON, CSV), Korean feedback and Gradescope results for every submission."""
    from .grade.batch import slug_for
    from .report.feedback import feedback_markdown
    from .report.files import atomic_write, write_csv, write_json
    from .report.gradescope import gradescope_results

    out: Path = args.out
    names = slug_for([Path(r["submission"]) for r in results])
    write_json(results, out / "grades.json")
    write_csv(results, out / "grades.csv")
    for result in results:
        slug = names[Path(result["submission"])]
        atomic_write(out / "feedback" / f"{slug}.md", feedback_markdown(result, slug))
        atomic_write(out / "gradescope" / slug / "results.json",
                     json.dumps(gradescope_results(result), ensure_ascii=False, indent=2) + "\n")
    if args.json:
        write_json(results, args.json)
    if args.csv:
        write_csv(results, args.csv)


def cmd_check(args, console: Console) -> int:
    from .grade.engine import PUBLIC, Grader
    from .report import console as report

    try:
        find_exercise_files(args.path)
    except SubmissionError as exc:
        console.print(f"오류: exercises/ 폴더를 찾을 수 없습니다 ({exc}). 과제 저장소의 맨 위 폴더에서 실행하세요.",
                      style="red", markup=False)
        return 2
    try:
        with Grader(limits=_limits(args), visibility=(PUBLIC,), exercises=args.exercise) as grader:
            result = grader.grade(args.path)
    except SubmissionError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return 2
    except GraderFault as exc:
        return grader_problem(console, exc)
    report.print_check(result, console)
    if args.require_full and result["score"] < result["max_score"]:
        return 1
    return 0


def cmd_stubs(args, console: Console) -> int:
    from .assign.stubs import stub_files, write_stubs

    solutions, exercises = ROOT / "solutions", ROOT / "exercises"
    if args.check:
        stale = [name for name, text in stub_files(solutions).items()
                 if not (exercises / name).is_file() or (exercises / name).read_text(encoding="utf-8") != text]
        if stale:
            console.print(f"exercises/ is out of date: {', '.join(stale)} (run: nox -s stubs)", style="red")
            return 1
        console.print("exercises/ matches solutions/")
        return 0
    changed = write_stubs(solutions, exercises)
    console.print(f"regenerated {len(changed)} file(s) in exercises/" if changed else "exercises/ already up to date")
    return 0


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("call_timeout", "submission_timeout", "memory_mb", "output_kb", "disk_mb", "workers"):
        if getattr(args, name, 1) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    console = Console()
    handler = {"grade": cmd_grade, "check": cmd_check, "stubs": cmd_stubs}[args.command]
    try:
        return handler(args, console)
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
