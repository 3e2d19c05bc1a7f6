"""``grade``'s roster: ``--roster FILE``.

:func:`read_roster_option` reads the roster before anything is graded;
without ``--roster``, :func:`roster_of_sources` takes the students a ``gh
teacher download`` folder lists; :func:`join_roster` adds a missing result
for each student with no submission; :func:`report_roster` says who is not
on the roster and who did not submit.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from .grade_run import Refused


def add_options(parser) -> None:
    group = parser.add_argument_group("학생 명단 (roster)")
    group.add_argument("--roster", type=Path, metavar="FILE",
                       help="학생 명단 CSV: Classroom 50의 roster.csv 또는 login,student_id,name 열 "
                            "(학번·이름을 grades.csv에 넣고, 제출하지 않은 학생을 미제출 0점으로 기록합니다)")


def read_roster_option(path: Path | None, console: Console):
    """The roster of ``--roster`` (None without one); Refused when it cannot be used."""
    from ..roster import RosterError, read_roster

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
