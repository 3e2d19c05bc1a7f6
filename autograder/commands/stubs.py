"""``stubs``: regenerate ``exercises/`` from ``solutions/`` (``--check`` only compares)."""

from __future__ import annotations

from rich.console import Console

from .common import NOT_FULL, OK, ROOT


def add_parser(commands) -> None:
    parser = commands.add_parser("stubs", help="solutions/에서 exercises/ 스텁을 다시 만듭니다 (regenerate stubs)")
    parser.add_argument("--check", action="store_true", help="exercises/가 최신인지 확인만 합니다")
    parser.set_defaults(run=run)


def run(args, console: Console) -> int:
    from ..assign.stubs import stale_stubs, write_stubs

    solutions, exercises = ROOT / "solutions", ROOT / "exercises"
    if args.check:
        stale = stale_stubs(solutions, exercises)
        if stale:
            console.print(f"exercises/가 solutions/와 맞지 않습니다: {', '.join(stale)} (nox -s stubs로 다시 만드세요)",
                          style="red")
            return NOT_FULL
        console.print("exercises/가 solutions/와 맞습니다.")
        return OK
    changed = write_stubs(solutions, exercises)
    console.print(f"exercises/의 파일 {len(changed)}개를 다시 만들었습니다." if changed else "exercises/는 이미 최신입니다.")
    return OK
