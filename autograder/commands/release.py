"""``release OUTDIR``: the student template repository (and the content of the hidden-tests repository)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from .common import OK, ROOT, USAGE


def add_parser(commands) -> None:
    parser = commands.add_parser("release", help="학생용 템플릿 저장소를 만듭니다 (강사용; write the student template)")
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "release", metavar="OUTDIR",
                        help="템플릿을 쓸 폴더 (기본 release/)")
    parser.add_argument("--force", action="store_true",
                        help="비어 있지 않은 OUTDIR의 내용을 바꿉니다 (그 안의 .git 폴더는 그대로 둡니다)")
    parser.add_argument("--docs-url", metavar="URL",
                        help="README에 넣을 강의 사이트 주소 (기본: mkdocs.yml의 site_url)")
    parser.add_argument("--hidden-repo", metavar="OWNER/NAME",
                        help="워크플로가 체크아웃해 숨은 테스트로 채점할 비공개 저장소")
    parser.add_argument("--hidden-out", type=Path, metavar="DIR",
                        help="그 저장소의 내용을 쓸 폴더 (기본: OUTDIR-hidden)")
    parser.set_defaults(run=run, check_args=check_args)


def check_args(parser, args) -> None:
    if args.hidden_repo and not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", args.hidden_repo):
        parser.error(f"--hidden-repo는 OWNER/NAME 모양이어야 합니다: {args.hidden_repo!r}")
    if args.hidden_out and not args.hidden_repo:
        parser.error("--hidden-out은 --hidden-repo와 함께만 쓸 수 있습니다")
    if args.docs_url and not re.match(r"https?://", args.docs_url):
        parser.error(f"--docs-url은 http:// 또는 https://로 시작해야 합니다: {args.docs_url!r}")
    outdir = args.outdir.resolve()
    hidden = (args.hidden_out or outdir.with_name(outdir.name + "-hidden")).resolve() if args.hidden_repo else None
    if hidden is not None and (hidden == outdir or hidden.is_relative_to(outdir) or outdir.is_relative_to(hidden)):
        parser.error("--hidden-out은 OUTDIR 바깥이어야 합니다")
    args.outdir, args.hidden_out = outdir, hidden


def run(args, console: Console) -> int:
    from ..assign.release import Release, ReleaseError, build, site_url_from_mkdocs

    docs_url = args.docs_url or site_url_from_mkdocs()
    try:
        build(Release(args.outdir, docs_url, args.hidden_repo, args.hidden_out, args.force))
    except ReleaseError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return USAGE
    console.print(f"학생용 템플릿을 {args.outdir} 에 만들었습니다.", markup=False)
    if not docs_url:
        console.print("주의: --docs-url도 mkdocs.yml의 site_url도 없어 README에 강의 사이트 주소가 없습니다.", style="yellow")
    if args.hidden_out:
        console.print(f"숨은 테스트 저장소의 내용을 {args.hidden_out} 에 만들었습니다 "
                      f"(비공개 저장소 {args.hidden_repo}에 푸시하세요).", markup=False)
    return OK
