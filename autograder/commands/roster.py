"""``grade``'s roster and LMS options: ``--roster FILE``, ``--export canvas|moodle FILE``, ``--assignment-name``.

:func:`read_roster_option` reads the roster before anything is graded;
without ``--roster``, :func:`roster_of_sources` takes the students a ``gh
teacher download`` folder lists; :func:`join_roster` adds a missing result
for each student with no submission; :func:`report_roster` says who is not
on the roster and who did not submit; :func:`write_exports` writes the
Canvas and Moodle import files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ..report.lms import DEFAULT_ASSIGNMENT, FORMATS
from .grade_run import GradeRun, Refused


class ExportAction(argparse.Action):
    """``--export FORMAT FILE``, repeatable; an unknown FORMAT is a usage error."""

    def __call__(self, parser, namespace, values, option_string=None):
        kind, path = values
        if kind.lower() not in FORMATS:
            parser.error(f"--export 형식은 {' 또는 '.join(FORMATS)} 입니다: {kind!r}")
        exports = list(getattr(namespace, self.dest, None) or [])
        exports.append((kind.lower(), Path(path)))
        setattr(namespace, self.dest, exports)


def add_options(parser) -> None:
    group = parser.add_argument_group("학생 명단과 LMS 성적 파일 (roster and LMS gradebook files)")
    group.add_argument("--roster", type=Path, metavar="FILE",
                       help="학생 명단 CSV: Classroom 50의 roster.csv 또는 login,student_id,name 열 "
                            "(학번·이름을 grades.csv에 넣고, 제출하지 않은 학생을 미제출 0점으로 기록합니다)")
    group.add_argument("--export", nargs=2, action=ExportAction, default=[], metavar=("canvas|moodle", "FILE"),
                       help="Canvas 또는 Moodle 성적 가져오기(import)용 CSV를 씁니다 (여러 번 줄 수 있음)")
    group.add_argument("--missing-blank", action="store_true",
                       help="LMS 성적 파일에서 미제출 학생의 점수 칸을 0 대신 비워 둡니다")
    group.add_argument("--assignment-name", default=DEFAULT_ASSIGNMENT, metavar="이름",
                       help=f"LMS 성적 파일의 과제 열 이름 (기본 {DEFAULT_ASSIGNMENT!r}; "
                            "Canvas의 기존 과제에 넣으려면 '과제 이름 (과제 번호)')")


def read_roster_option(path: Path | None, console: Console):
    """The roster of ``--roster`` (None without one); Refused when it cannot be used."""
    from ..report.roster import RosterError, read_roster

    if path is None:
        return None
    try:
        roster = read_roster(path)
    except RosterError as exc:
        raise Refused(str(exc), "아무것도 채점하지 않았습니다.") from None
    if roster.skipped:
        lines = ", ".join(map(str, roster.skipped))
        console.print(f"참고: 명단 {path} 의 {lines}번째 줄에는 GitHub 아이디가 없어 건너뜁니다.", markup=False)
    if roster.staff:
        console.print(f"참고: 명단에 교사·조교로 적힌 {', '.join(roster.staff)} 은(는) 학생에서 뺐습니다.", markup=False)
    return roster


def roster_of_sources(sources, console: Console):
    """Without ``--roster``, the students of a ``gh teacher download`` folder are the roster (None without one)."""
    if sources.roster is None:
        return None
    console.print(f"명단: {sources.roster.path} 의 학생 {len(sources.roster.students)}명 (--roster 로 바꿀 수 있습니다)",
                  markup=False)
    if sources.roster.staff:
        console.print(f"  교사·조교로 적힌 {', '.join(sources.roster.staff)} 은(는) 학생에서 뺐습니다.", markup=False)
    return sources.roster


def folder_name(label: str) -> str:
    """The last part of a submission's label, as :attr:`SubmissionResult.name` reads it."""
    return label.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def join_roster(roster, results: list, submitted=()) -> list:
    """``results`` plus a missing result (0 points) for every roster student with neither a result nor a
    submission among ``submitted`` (labels of the folders given, graded or not: after Ctrl-C some are not)."""
    from ..catalog import points
    from ..grade.result import SubmissionResult

    if roster is None:
        return results
    names = [r.name for r in results] + [folder_name(label) for label in submitted]
    return results + [SubmissionResult.missing(s.login, points()) for s in roster.absent(names)]


def report_roster(roster, console: Console, results: list) -> None:
    """Submissions not on the roster, and the roster's students who did not submit (or only late)."""
    from ..grade.result import Standing

    if roster is None:
        return
    strangers = roster.not_on_roster(r.name for r in results)
    missing = [roster.find(r.name) for r in results if r.standing is Standing.MISSING and roster.find(r.name)]
    console.print(f"명단: 학생 {len(roster.students)}명, 미제출 {len(missing)}명, 명단에 없는 제출물 {len(strangers)}개",
                  markup=False)
    if strangers:
        console.print(f"  명단에 없는 제출물 (학번·이름 없음): {', '.join(strangers)}", style="yellow", markup=False)
    if missing:
        console.print(f"  미제출: {', '.join(s.label for s in missing)}", markup=False)


def write_exports(run: GradeRun, console: Console, results: list, interrupted: bool = False) -> None:
    """The ``--export`` files, each with its warnings (none after an interruption: grades would be missing)."""
    from ..report.lms import write_export

    exports, roster = run.exports, run.roster
    if exports and interrupted:
        console.print("채점이 끝나지 않아 LMS 성적 파일은 쓰지 않았습니다.", style="yellow")
        return
    if exports and roster is None:
        console.print("주의: --roster 없이 LMS 파일을 씁니다. LMS는 학번으로 학생을 찾으므로 GitHub 아이디만으로는 "
                      "대부분 연결되지 않습니다 (--roster 로 학번이 있는 명단을 주세요).", style="yellow", markup=False)
    for kind, path in exports:
        exported = write_export(kind, run.summary.results if run.summary else results, path, roster,
                                run.assignment_name, run.missing_blank)
        run.output.keep(path)
        console.print(f"{kind.capitalize()} 성적 파일: {path} ({exported.rows}줄)", markup=False)
        if exported.ungraded:
            console.print(f"  주의: 채점기 문제로 점수가 없는 제출물은 점수 칸을 비워 두었습니다(0점 아님): "
                          f"{', '.join(exported.ungraded)}. 다시 채점한 뒤 파일을 새로 만드세요.",
                          style="yellow", markup=False)
        if roster is not None and exported.unidentified:
            console.print(f"  주의: 학번이 없어 LMS에서 찾지 못할 수 있는 행: {', '.join(exported.unidentified)}",
                          style="yellow", markup=False)
