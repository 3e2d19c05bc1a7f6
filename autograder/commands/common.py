"""What several verbs share: limits options, Korean notices, exit statuses."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from ..protocol import Limits, SubmissionError
from ..sandbox.backend import AUTO, BACKENDS
from ..sandbox.workspace import find_exercise_files, read_source

ROOT = Path(__file__).resolve().parents[2]
OK, NOT_FULL, USAGE, GRADER_PROBLEM, INTERRUPTED = 0, 1, 2, 3, 130
#: Tests only: run the Windows or macOS code paths on Linux (see sandbox/portable.py).
SIMULATE = "AUTOGRADER_SIMULATE"


def add_limits(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("학생 코드의 제한 (limits for student code)")
    defaults = Limits()
    group.add_argument("--call-timeout", type=float, default=defaults.call_timeout, metavar="초",
                       help=f"학생 함수 호출 한 번의 시간 제한 (기본 {defaults.call_timeout:g})")
    group.add_argument("--submission-timeout", type=float, default=defaults.submission_timeout, metavar="초",
                       help=f"제출물 하나 전체의 시간 제한 (기본 {defaults.submission_timeout:g})")
    group.add_argument("--memory-mb", type=int, default=defaults.memory_mb, metavar="MB",
                       help=f"자식 프로세스가 더 쓸 수 있는 메모리 (기본 {defaults.memory_mb})")
    group.add_argument("--output-kb", type=int, default=defaults.output_kb, metavar="KB",
                       help=f"출력 파일 하나의 최대 크기 (기본 {defaults.output_kb})")
    group.add_argument("--disk-mb", type=int, default=defaults.disk_mb, metavar="MB",
                       help=f"작업 폴더에 쓸 수 있는 전체 크기 (기본 {defaults.disk_mb})")
    group.add_argument("--sandbox-user", default=os.environ.get("AUTOGRADER_SANDBOX_USER"), metavar="이름",
                       help="root로 실행할 때 학생 코드를 이 사용자로 실행 (기본: $AUTOGRADER_SANDBOX_USER)")
    group.add_argument("--backend", choices=(AUTO, *BACKENDS), default=AUTO,
                       help="학생 코드를 실행하는 방식: " + ", ".join(f"{b.name}({b.help})" for b in BACKENDS.values())
                            + f", {AUTO}(이 컴퓨터에서 되는 첫 방식; 기본)")


def limits(args) -> Limits:
    return Limits(call_timeout=args.call_timeout, submission_timeout=args.submission_timeout,
                  memory_mb=args.memory_mb, output_kb=args.output_kb, disk_mb=args.disk_mb,
                  sandbox_user=args.sandbox_user, backend=args.backend,
                  simulate=os.environ.get(SIMULATE) or None)


def check_positive(parser: argparse.ArgumentParser, args) -> None:
    for name in ("call_timeout", "submission_timeout", "memory_mb", "output_kb", "disk_mb", "workers"):
        if getattr(args, name, 1) <= 0:
            parser.error(f"--{name.replace('_', '-')}은(는) 0보다 커야 합니다 (must be positive)")


def validate(path: Path) -> None:
    """Raise SubmissionError unless ``path`` is a submission whose files can all be read."""
    for file in find_exercise_files(path).values():
        read_source(file)


def grader_problem(console: Console, exc: BaseException, advice: str = "") -> int:
    console.print(f"채점기 문제: {exc}", style="magenta", markup=False)
    console.print("채점기 자체가 동작하지 않아 채점하지 못했습니다 (제출한 코드의 잘못이 아닙니다)." + (f" {advice}" if advice else ""))
    return GRADER_PROBLEM
