"""Submission by submission in the class report: the ones that need a look, and a row per student."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from ..analysis.summary import standing_text
from ..grade.result import Standing, Status, SubmissionResult, SubmissionStatus, TestResult
from ..report.timing import timing_lines
from .context import Context
from .html import Html, cell, element, join, table
from .stats import TROUBLE, exercise_order

MESSAGE_CHARS = 300


def problems_section(results: list[SubmissionResult], context: Context) -> Html:
    internal = [r for r in results if r.status is SubmissionStatus.INTERNAL]
    invalid = [r for r in results if r.status is SubmissionStatus.INVALID]
    missing = [r for r in results if r.status is SubmissionStatus.MISSING]
    late = [r for r in results if r.standing is Standing.LATE]
    trouble = [r for r in results if r.status is SubmissionStatus.GRADED and r.statuses() & set(TROUBLE)]
    return join([
        element("h2", "확인이 필요한 제출물", id="problems"),
        _subsection(f"채점기 문제 ({len(internal)}명)", internal, _internal_rows, context,
                    "학생의 잘못이 아닙니다. 채점기나 채점 환경이 끝까지 채점하지 못했으니 "
                    "--fresh로 다시 채점해 보고, 되풀이되면 아래 내용을 채점기 관리자에게 알려 주세요.", grader=True),
        _subsection(f"실행 중 오류·시간 초과·메모리 초과 ({len(trouble)}명)", trouble, _trouble_rows, context,
                    "학생 코드가 예외를 냈거나, 제한 시간·메모리를 넘긴 테스트입니다 (그 테스트는 0점)."),
        _subsection(f"채점 불가 ({len(invalid)}명)", invalid, _note_rows, context,
                    "채점할 수 있는 제출물이 아니었습니다 (0점)."),
        _subsection(f"지각 ({len(late)}명)", late, _late_rows, context,
                    "마감(연장한 학생은 그 마감) 뒤에 낸 제출이 있고, 지각 규칙에 따라 감점해 채점했거나 받지 않았습니다."),
        _subsection(f"미제출 ({len(missing)}명)", missing, _note_rows, context,
                    "명단에는 있지만 마감까지 낸 제출물이 없습니다 (0점)."),
    ])


def _subsection(title: str, results, rows: Callable, context: Context, note: str, grader: bool = False) -> Html:
    parts = [element("h3", title)]
    if not results:
        return join(parts + [element("p", "없음", class_="note")])
    parts.append(element("p", note, class_="grader" if grader else "note"))
    return join(parts + [table(["제출물", "내용"], [[context.person(r.name), rows(r)] for r in results])])


def _message(text: str) -> Html:
    text = str(text).strip()
    return element("div", text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + " …", class_="msg")


def _where(result: SubmissionResult, test: TestResult) -> str:
    exercise = result.exercise(test.exercise)
    return f"{exercise.title if exercise else test.exercise} · {test.title}"


def _internal_rows(result: SubmissionResult) -> Html:
    tests = [t for t in result.tests() if t.status is Status.INTERNAL]
    return join([_message(e) for e in result.internal_errors] +
                [element("div", f"{_where(result, t)}: ", _message(t.message)) for t in tests])


def _trouble_rows(result: SubmissionResult) -> Html:
    """One line per distinct problem: an untouched stub's 35 NotImplementedError tests are a handful of lines."""
    groups: dict[tuple[Status, str], list[TestResult]] = {}
    for test in result.tests():
        if test.status in TROUBLE:
            groups.setdefault((test.status, test.message), []).append(test)
    return element("ul", *[element("li", element("b", status.label),
                                   f" 테스트 {len(tests)}개: " if len(tests) > 1 else " ",
                                   ", ".join(_where(result, t) for t in tests),
                                   element("details", element("summary", "메시지"), _message(message))
                                   if message else None)
                           for (status, message), tests in groups.items()], class_="compact")


def _late_rows(result: SubmissionResult) -> Html:
    """How late, the submissions and what counts (the deadline too when it is the student's own extension)."""
    lines = timing_lines(result)
    lines = lines[:1] + lines[2:] if result.timing.extended else lines[2:]
    return join([element("div", element("b", standing_text(result))),
                 *[element("div", line.removeprefix("- ").replace("`", "")) for line in lines]])


def _note_rows(result: SubmissionResult) -> Html:
    return join([_message(n) for n in result.notes] or ["—"])


def students_section(results: list[SubmissionResult], context: Context, feedback: Callable) -> Html:
    columns = exercise_order(results)
    titles = {e.name: e.title for r in results for e in r.exercises}
    headers = (["학번", "이름"] if context.has_people else []) + ["제출물", "상태", "총점"] + \
        [titles[n] for n in columns] + ["통과한 테스트", "피드백"]
    first = 4 if context.has_people else 2
    rows = [_student_row(r, columns, context, feedback(r)) for r in sorted(results, key=lambda r: r.name)]
    return join([element("h2", "학생별 결과", id="students"),
                 element("p", "머리글을 누르면 그 열로 정렬합니다. 피드백 파일은 학생에게 돌려줄 수 있는 "
                              "Markdown입니다 (숨은 테스트의 결과도 들어 있습니다).", class_="note"),
                 table(headers, rows, sortable=True, numeric=range(first, len(headers) - 1))])


def _student_row(result: SubmissionResult, columns: list[str], context: Context, slug: str | None) -> list:
    known = context.who(result.name) or ("", "")
    trouble = sorted({t.status.label for t in result.tests() if t.status in TROUBLE})
    kind = "late" if result.standing is Standing.LATE else result.status.value
    status = element("span", standing_text(result), class_=f"status-{kind}")
    cells = ([known[0], known[1]] if context.has_people else []) + [
        result.name, cell(join([status, (" · " + ", ".join(trouble)) if trouble else ""]), sort=result.standing.label),
        cell(f"{result.score}/{result.max_score}", sort=result.score, numeric=True)]
    for name in columns:
        exercise = result.exercise(name)
        cells.append(cell(f"{exercise.score}/{exercise.max_score}", sort=exercise.score, numeric=True)
                     if exercise else cell("—", sort=-1, numeric=True))
    tests = list(result.tests())
    cells.append(cell(f"{sum(t.passed for t in tests)}/{len(tests)}", sort=sum(t.passed for t in tests), numeric=True))
    cells.append(element("a", f"{slug}.md", href=f"feedback/{quote(slug)}.md") if slug else "—")
    return cells

