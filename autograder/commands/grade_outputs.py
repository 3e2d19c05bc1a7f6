"""What a ``grade`` run writes into its output folder and where ``--export`` asks: one list of formats.

:func:`write_outputs` writes every student's files and the class files every
run has (:mod:`autograder.exports.formats`), the similarity findings and the
class page; :func:`write_exports` then writes the LMS imports ``--export``
asks for, with their warnings. ``--json FILE``, ``--csv FILE`` and
``--export NAME FILE`` all name a format of the same list.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from ..exports.formats import FORMATS, STUDENT_FILES, Gradebook
from ..exports.lms import DEFAULT_ASSIGNMENT
from ..grade.result import SubmissionResult
from .grade_run import GradeRun


def _names(formats) -> str:
    names = list(formats)
    return ", ".join(names[:-1]) + f" 또는 {names[-1]}"


class ExportAction(argparse.Action):
    """``--export FORMAT FILE``, repeatable; an unknown FORMAT is a usage error."""

    def __call__(self, parser, namespace, values, option_string=None):
        kind, path = values
        if kind.lower() not in FORMATS:
            parser.error(f"--export 형식은 {_names(FORMATS)} 입니다: {kind!r}")
        exports = list(getattr(namespace, self.dest, None) or [])
        exports.append((kind.lower(), Path(path)))
        setattr(namespace, self.dest, exports)


def add_options(parser) -> None:
    parser.add_argument("--json", type=Path, metavar="FILE", help="모든 결과를 JSON으로 여기에도 씁니다 (--export json FILE)")
    parser.add_argument("--csv", type=Path, metavar="FILE",
                        help="성적표(제출물마다 한 줄)를 여기에도 씁니다 (--export csv FILE)")
    group = parser.add_argument_group("성적 파일 내보내기 (exports)")
    group.add_argument("--export", nargs=2, action=ExportAction, default=[], metavar=("|".join(FORMATS), "FILE"),
                       help="이 형식의 성적 파일을 FILE에 씁니다 (여러 번 줄 수 있음): canvas·moodle은 LMS 성적 "
                            "가져오기(import)용 CSV, json·csv는 grades.json·grades.csv와 같은 것")
    group.add_argument("--missing-blank", action="store_true",
                       help="LMS 성적 파일에서 미제출 학생의 점수 칸을 0 대신 비워 둡니다")
    group.add_argument("--assignment-name", default=DEFAULT_ASSIGNMENT, metavar="이름",
                       help=f"LMS 성적 파일의 과제 열 이름 (기본 {DEFAULT_ASSIGNMENT!r}; "
                            "Canvas의 기존 과제에 넣으려면 '과제 이름 (과제 번호)')")


def requested_exports(args) -> list[tuple[str, Path]]:
    """(format, file) of ``--json``, ``--csv`` and every ``--export``, in that order."""
    return [(kind, path) for kind, path in (("json", args.json), ("csv", args.csv)) if path is not None] \
        + list(args.export)


def gradebook(run: GradeRun, results) -> Gradebook:
    """What the class files of ``run`` are made from: ``results`` (the class summary's, in its order)."""
    return Gradebook(list(results), run.roster, run.assignment_name, run.missing_blank)


def write_outputs(results: list[SubmissionResult], run: GradeRun) -> None:
    """Every student's files, the gradebook (and its requested copies), the similarity findings, the class page.

    Every writer reads the one class summary (``run.summary``, made here when absent)."""
    from ..analysis.summary import summarize
    from ..classpage.context import people_from_roster
    from ..classpage.page import REPORT_NAME, write_class_report

    output, out, site = run.output, run.out, run.site
    summary = run.summary or summarize(results)
    book = gradebook(run, summary.results)
    names = write_student_files(summary.results, run, site)
    standard = [(name, out / f.standard) for name, f in FORMATS.items() if f.standard]
    for kind, path in standard + [(kind, path) for kind, path in run.exports if not FORMATS[kind].lms]:
        FORMATS[kind].write(book, path)
        output.keep(path)
    findings = run.similarity
    if findings is not None:
        output.write(out / "similarity.json", json.dumps(findings.as_dict(), ensure_ascii=False, indent=2) + "\n")
    output.keep(write_class_report(summary.results, out / REPORT_NAME, names, people_from_roster(run.roster),
                                   similarity=findings.as_dict() if findings is not None else None,
                                   docs_url=site, summary=summary))


def write_student_files(results: list[SubmissionResult], run: GradeRun, site: str | None = None) -> dict:
    """Each student's files (:data:`~autograder.exports.formats.STUDENT_FILES`), failed tests linked to their
    sections under ``site``; returns the file name of each."""
    from ..grade.result import slug_for

    names = slug_for([Path(r.submission) for r in results])
    for result in results:
        slug = names[Path(result.submission)]
        for file in STUDENT_FILES:
            run.output.write(run.out / file.path.format(slug=slug), file.text(result, slug, site))
    return names


def write_exports(run: GradeRun, console: Console, results: list, interrupted: bool = False) -> None:
    """The LMS files ``--export`` asks for, each with its warnings (none after an interruption: grades would be
    missing)."""
    exports, roster = [(k, p) for k, p in run.exports if FORMATS[k].lms], run.roster
    if exports and interrupted:
        console.print("채점이 끝나지 않아 LMS 성적 파일은 쓰지 않았습니다.", style="yellow")
        return
    if exports and roster is None:
        console.print("주의: --roster 없이 LMS 파일을 씁니다. LMS는 학번으로 학생을 찾으므로 GitHub 아이디만으로는 "
                      "대부분 연결되지 않습니다 (--roster 로 학번이 있는 명단을 주세요).", style="yellow", markup=False)
    book = gradebook(run, run.summary.results if run.summary else results)
    for kind, path in exports:
        exported = FORMATS[kind].write(book, path)
        run.output.keep(path)
        _report_export(console, kind, path, exported, roster is not None)


def _report_export(console: Console, kind: str, path: Path, exported, with_roster: bool) -> None:
    console.print(f"{kind.capitalize()} 성적 파일: {path} ({exported.rows}줄)", markup=False)
    if exported.ungraded:
        console.print(f"  주의: 채점기 문제로 점수가 없는 제출물은 점수 칸을 비워 두었습니다(0점 아님): "
                      f"{', '.join(exported.ungraded)}. 다시 채점한 뒤 파일을 새로 만드세요.",
                      style="yellow", markup=False)
    if with_roster and exported.unidentified:
        console.print(f"  주의: 학번이 없어 LMS에서 찾지 못할 수 있는 행: {', '.join(exported.unidentified)}",
                      style="yellow", markup=False)
