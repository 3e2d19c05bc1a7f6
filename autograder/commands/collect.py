"""``collect --roster roster.csv --url-template URL DEST``: every student's repository, cloned or updated."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .common import OK, USAGE


def add_parser(commands) -> None:
    parser = commands.add_parser("collect", help="명단의 학생 저장소를 모두 받거나 갱신합니다 (강사용; clone student repositories)")
    parser.add_argument("dest", type=Path, metavar="DEST", help="저장소를 받을 폴더 (학생마다 DEST/<login>)")
    parser.add_argument("--roster", type=Path, required=True, metavar="CSV",
                        help="학생 명단 CSV (login, github_username 또는 username 열; Classroom 50의 roster.csv도 됩니다)")
    parser.add_argument("--url-template", required=True, metavar="URL",
                        help="저장소 주소, {login} 자리에 아이디가 들어갑니다 "
                             "(예: 'https://github.com/ORG/lecture04-{login}.git')")
    parser.add_argument("--jobs", type=int, default=4, metavar="N", help="동시에 받을 저장소 수 (기본 4)")
    parser.set_defaults(run=run, check_args=check_args)


def check_args(parser, args) -> None:
    if args.jobs <= 0:
        parser.error("--jobs는 0보다 커야 합니다")


def run(args, console: Console) -> int:
    from ..collect import CollectError
    from ..collect.clone import collect, read_roster, repository_url

    try:
        logins = read_roster(args.roster)
        repository_url(args.url_template, "x")
    except CollectError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return USAGE
    if not logins:
        console.print(f"오류: 명단 {args.roster} 에 아이디가 하나도 없습니다.", style="red", markup=False)
        return USAGE
    if args.dest.exists() and not args.dest.is_dir():
        console.print(f"오류: {args.dest} 는 폴더가 아닙니다 (저장소를 받을 폴더를 주세요).", style="red", markup=False)
        return USAGE
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console)
    with progress:
        task = progress.add_task("저장소 받는 중", total=len(logins))
        fetched = collect(logins, args.url_template, args.dest, args.jobs,
                          on_done=lambda f: progress.update(task, advance=1, description=f"받음: {escape(f.login)}"))
    summarize(console, fetched, args.dest)
    return OK


def summarize(console: Console, fetched, dest: Path) -> None:
    from ..collect.clone import STATUS_LABELS

    counts = {status: sum(f.status == status for f in fetched) for status in STATUS_LABELS}
    console.print(" · ".join(f"{label} {counts[s]}개" for s, label in STATUS_LABELS.items()))
    for f in fetched:
        if f.status in ("missing", "empty", "failed"):
            detail = f" ({f.detail})" if f.detail else ""
            console.print(f"  {STATUS_LABELS[f.status]}: {f.login}{detail}", markup=False)
    console.print(f"채점: python -m autograder grade {dest} [--deadline 2026-12-01T23:59:59+09:00]", markup=False)
