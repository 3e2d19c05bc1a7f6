"""``check [PATH]``: a student checks their own work (public tests; ``--hidden`` adds the hidden suites)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from ..catalog import BY_NAME
from ..protocol import GraderFault, SubmissionError
from ..sandbox import backend
from ..sandbox.workspace import find_exercise_files
from .common import NOT_FULL, OK, USAGE, add_limits, grader_problem, limits

ADVICE = ("다시 실행해 보고, 그래도 같으면 WSL이나 GitHub Codespaces에서 실행하거나, 푸시한 뒤 GitHub의 채점 결과를 "
          "확인하세요.")


def add_parser(commands) -> None:
    parser = commands.add_parser("check", help="내 과제를 공개 테스트로 확인합니다 (학생용; check your work)")
    parser.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH",
                        help="exercises/가 들어 있는 폴더 (기본: 지금 폴더)")
    parser.add_argument("--exercise", action="append", choices=sorted(BY_NAME), metavar="NAME",
                        help="이 과제만 (여러 번 줄 수 있음): " + ", ".join(BY_NAME))
    parser.add_argument("--require-full", action="store_true",
                        help="확인한 테스트를 모두 통과하지 않으면 종료 코드 1")
    parser.add_argument("--hidden", action="store_true",
                        help="숨은 테스트도 실행합니다 (autograder/suites/hidden/ 이 설치되어 있어야 합니다; "
                             "숨은 테스트는 과제마다 통과한 개수와 점수만 보여 줍니다)")
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="같은 결과를 Markdown으로 이 파일 끝에 덧붙입니다 (GitHub Actions: \"$GITHUB_STEP_SUMMARY\"; "
                             "빈 값이면 쓰지 않습니다)")
    add_limits(parser)
    parser.set_defaults(run=run)


def append_summary(path: Path, result, site: str | None) -> None:
    from ..report.student import markdown

    with open(path, "a", encoding="utf-8") as f:
        f.write(markdown(result, "자동 채점 결과 (참고용)", site) + "\n")


def run(args, console: Console) -> int:
    try:
        find_exercise_files(args.path)
    except SubmissionError as exc:
        console.print(f"오류: exercises/ 폴더를 찾을 수 없습니다 ({exc}). 과제 저장소의 맨 위 폴더에서 실행하세요.",
                      style="red", markup=False)
        return USAGE
    try:
        sandbox = backend.start(limits(args).sandbox)  # it boots while the suites and the reference load
        from ..grade.engine import HIDDEN, PUBLIC, Grader
        from ..lecture_site import configured_site
        from ..report import console as report

        visibility = (PUBLIC, HIDDEN) if args.hidden else (PUBLIC,)
        with Grader(limits=limits(args), visibility=visibility, exercises=args.exercise, sandbox=sandbox) as grader:
            result = grader.grade(args.path)
    except SubmissionError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return USAGE
    except GraderFault as exc:
        return grader_problem(console, exc, ADVICE)
    site = configured_site()
    report.print_check(result, console, "전체 테스트" if args.hidden else "공개 테스트", site)
    if args.summary and str(args.summary).strip() not in ("", "."):
        append_summary(args.summary, result, site)
    if args.require_full and result.score < result.max_score:
        return NOT_FULL
    return OK
