"""``release OUTDIR``: the student template repository, and what goes beside it.

With ``--hidden-repo`` also the content of the private hidden-tests repository
(the template's own workflow grades the hidden tests); with ``--classroom50
BUNDLEDIR`` the autograder bundle for Classroom 50 instead (Classroom 50's
runner grades, so the template has no workflow of its own).
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from .common import OK, ROOT, USAGE

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,38}")


def add_parser(commands) -> None:
    parser = commands.add_parser("release", help="학생용 템플릿 저장소를 만듭니다 (강사용; write the student template)")
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "release", metavar="OUTDIR",
                        help="템플릿을 쓸 폴더 (기본 release/)")
    parser.add_argument("--force", action="store_true",
                        help="비어 있지 않은 폴더의 내용을 바꿉니다 (그 안의 .git 폴더는 그대로 둡니다)")
    parser.add_argument("--docs-url", metavar="URL",
                        help="README에 넣을 강의 사이트 주소 (기본: mkdocs.yml의 site_url, 없으면 origin 저장소의 GitHub Pages 주소)")
    parser.add_argument("--hidden-repo", metavar="OWNER/NAME",
                        help="템플릿의 워크플로가 체크아웃해 숨은 테스트로 채점할 비공개 저장소")
    parser.add_argument("--hidden-out", type=Path, metavar="DIR",
                        help="그 저장소의 내용을 쓸 폴더 (기본: OUTDIR-hidden)")
    parser.add_argument("--classroom50", type=Path, metavar="BUNDLEDIR",
                        help="Classroom 50 채점기 묶음을 쓸 폴더 (설정 저장소의 <classroom>/autograders/<slug>/ 로 복사)")
    parser.add_argument("--slug", default="lecture04", help="Classroom 50 과제 이름(slug) (기본 lecture04)")
    parser.set_defaults(run=run, check_args=check_args)


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def check_args(parser, args) -> None:
    if args.hidden_repo and not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", args.hidden_repo):
        parser.error(f"--hidden-repo는 OWNER/NAME 모양이어야 합니다: {args.hidden_repo!r}")
    if args.hidden_out and not args.hidden_repo:
        parser.error("--hidden-out은 --hidden-repo와 함께만 쓸 수 있습니다")
    if args.classroom50 and args.hidden_repo:
        parser.error("--classroom50과 --hidden-repo는 함께 쓸 수 없습니다 (Classroom 50 묶음에 숨은 테스트가 들어 있습니다)")
    if not SLUG.fullmatch(args.slug):
        parser.error(f"--slug에는 영문 소문자, 숫자, '-'만 쓸 수 있습니다 (2~39자): {args.slug!r}")
    if args.docs_url and not re.match(r"https?://", args.docs_url):
        parser.error(f"--docs-url은 http:// 또는 https://로 시작해야 합니다: {args.docs_url!r}")
    outdir, hidden, bundle = folders(args)
    if hidden is not None and _overlap(hidden, outdir):
        parser.error("--hidden-out은 OUTDIR 바깥이어야 합니다")
    if bundle is not None and _overlap(bundle, outdir):
        parser.error("--classroom50 폴더는 OUTDIR 바깥이어야 합니다")


def folders(args) -> tuple[Path, Path | None, Path | None]:
    """The template's folder, the hidden repository's (with --hidden-repo) and the Classroom 50 bundle's, resolved."""
    outdir = args.outdir.resolve()
    hidden = (args.hidden_out or outdir.with_name(outdir.name + "-hidden")).resolve() if args.hidden_repo else None
    return outdir, hidden, args.classroom50.resolve() if args.classroom50 else None


def run(args, console: Console) -> int:
    from ..assign import classroom50_bundle
    from ..assign.common import ReleaseError
    from ..lecture_site import course_site
    from ..assign.release import Release, build

    outdir, hidden, bundle = folders(args)
    docs_url = args.docs_url or course_site()
    channel = "classroom50" if bundle else "actions"
    try:
        build(Release(outdir, docs_url, args.hidden_repo, hidden, args.force, channel))
        if bundle:
            classroom50_bundle.build(classroom50_bundle.Bundle(bundle, args.force, args.slug, docs_url))
    except ReleaseError as exc:
        console.print(f"오류: {exc}", style="red", markup=False)
        return USAGE
    except ImportError as exc:
        console.print(f"오류: 필요한 패키지가 없습니다 ({exc.name}). nox -s release 로 실행하세요.", style="red", markup=False)
        return USAGE
    report(args, console, docs_url)
    return OK


def report(args, console: Console, docs_url: str | None) -> None:
    outdir, hidden, bundle = folders(args)
    console.print(f"학생용 템플릿을 {outdir} 에 만들었습니다.", markup=False)
    if docs_url and not args.docs_url:
        console.print(f"강의 사이트 주소: {docs_url} (다르면 mkdocs.yml의 site_url이나 --docs-url로 정하세요)", markup=False)
    if not docs_url:
        console.print("주의: --docs-url도, mkdocs.yml의 site_url도, GitHub의 origin 저장소도 없어 README에 강의 사이트 주소가 없습니다.", style="yellow")
    if hidden:
        console.print(f"숨은 테스트 저장소의 내용을 {hidden} 에 만들었습니다 "
                      f"(비공개 저장소 {args.hidden_repo}에 푸시하세요).", markup=False)
    if bundle:
        console.print(f"Classroom 50 채점기 묶음을 {bundle} 에 만들었습니다 (설정 저장소의 "
                      f"<classroom>/autograders/{args.slug}/ 로 복사하고, runtime.json 을 과제의 runtime으로 쓰세요).",
                      markup=False)
