"""``nbgrader [COURSE]``: the nbgrader course of lecture 4 and ``nbgrader generate_assignment``."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from .common import OK, ROOT, USAGE


DEFAULT_COURSE_ID, DEFAULT_TIMEOUT = "dl-seminar", 60


def add_parser(commands) -> None:
    parser = commands.add_parser("nbgrader", help="JupyterHub용 nbgrader 코스를 만듭니다 (강사용; nbgrader course)")
    parser.add_argument("course", nargs="?", type=Path, default=ROOT / "course", metavar="COURSE",
                        help="코스 폴더 (기본 course/); 전에 만든 코스는 그 자리에서 갱신합니다")
    parser.add_argument("--force", action="store_true", help="이 도구가 만들지 않은, 비어 있지 않은 폴더에도 만듭니다")
    parser.add_argument("--docs-url", metavar="URL", help="강의 사이트 주소 (기본: mkdocs.yml의 site_url, 없으면 origin 저장소의 GitHub Pages 주소)")
    parser.add_argument("--course-id", default=DEFAULT_COURSE_ID, help=f"nbgrader 코스 ID (기본 {DEFAULT_COURSE_ID})")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="초",
                        help=f"nbgrader가 노트북을 실행할 때 셀 하나의 시간 제한 (기본 {DEFAULT_TIMEOUT})")
    parser.add_argument("--no-generate", action="store_true",
                        help="source/만 쓰고 nbgrader generate_assignment는 실행하지 않습니다")
    parser.set_defaults(run=run, check_args=check_args)


def check_args(parser, args) -> None:
    if args.timeout <= 0:
        parser.error("--timeout은 0보다 커야 합니다")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.course_id):
        parser.error(f"--course-id에는 영문자, 숫자, '.', '_', '-'만 쓸 수 있습니다: {args.course_id!r}")
    if args.docs_url and not re.match(r"https?://", args.docs_url):
        parser.error(f"--docs-url은 http:// 또는 https://로 시작해야 합니다: {args.docs_url!r}")


def run(args, console: Console) -> int:
    from ..assign.common import ReleaseError
    from ..lecture_site import course_site
    from ..assign.nbgrader_course import ASSIGNMENT, Course, build

    course, docs_url = args.course.resolve(), args.docs_url or course_site()
    try:
        build(Course(course, docs_url, args.course_id, args.timeout, args.force, generate=not args.no_generate))
    except ReleaseError as exc:  # CourseError included
        console.print(f"오류: {exc}", style="red", markup=False)
        return USAGE
    console.print(f"nbgrader 코스를 {course} 에 만들었습니다.", markup=False)
    if not args.no_generate:
        console.print(f"  학생에게 나갈 과제: {course / 'release' / ASSIGNMENT} "
                      f"(nbgrader release_assignment {ASSIGNMENT})", markup=False)
    if not docs_url:
        console.print("주의: --docs-url도, mkdocs.yml의 site_url도, GitHub의 origin 저장소도 없어 노트북에 강의 사이트 주소가 없습니다.", style="yellow")
    return OK
