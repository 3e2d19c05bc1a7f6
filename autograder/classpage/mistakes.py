"""The catalogued mistakes of the class report, ranked by how many students made them, linked to the lecture site."""

from __future__ import annotations

from ..grade.result import SubmissionResult
from ..report.links import page_link as docs_link
from .context import Context
from .html import Html, cell, element, escape, join, table
from .stats import MistakeStats, mistake_ranking, percent, ranks, tested


def mistakes_section(results: list[SubmissionResult], context: Context) -> Html:
    ranking = mistake_ranking(results)
    whole = len(tested(results))
    parts = [element("h2", "자주 나온 실수", id="mistakes"),
             element("p", "채점기가 알아본 전형적인 실수를 그 실수를 한 학생 수로 줄 세웠습니다. "
                          "한 학생이 같은 실수로 여러 테스트를 틀려도 한 번만 셉니다. "
                          "실수 이름을 누르면 그 개념을 설명하는 강의 사이트 절로 갑니다.", class_="note")]
    if context.docs_url is None:
        parts.append(element("p", "강의 사이트 주소를 몰라 링크 없이 보여 줍니다: grade --docs-url 주소 "
                                  "또는 mkdocs.yml의 site_url로 알려 주세요.", class_="note"))
    if not ranking:
        return join(parts + [element("p", "채점기가 알아본 실수가 없습니다.", class_="note")])
    rows = [[rank, _mistake_name(m, context.docs_url), cell(f"{len(m.students)}명 ({percent(len(m.students), whole)})",
                                                             sort=len(m.students), numeric=True),
             _mistake_tests(m), join(sorted(context.person(s) for s in m.students), ", ")]
            for rank, m in zip(ranks([len(m.students) for m in ranking]), ranking)]
    return join(parts + [table(["순위", "실수", "학생 수", "나온 테스트", "학생"], rows, sortable=True, numeric=(0,))])


def _mistake_name(mistake: MistakeStats, docs_url: str | None) -> Html:
    href = docs_link(mistake.docs, docs_url)
    return element("a", mistake.label, href=href, rel="noreferrer") if href else escape(mistake.label)


def _mistake_tests(mistake: MistakeStats) -> Html:
    return element("ul", *[element("li", f"{exercise} · {title}", element("span", f" ({n}명)", class_="note"))
                           for (exercise, title), n in mistake.tests.items()], class_="compact")

