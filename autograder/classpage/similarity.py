"""Similar answers in the class report: clues worth a look, never a verdict.

The section shows what :func:`autograder.analysis.similarity.find_groups` found
(as ``Findings.as_dict()`` gives it, the content of ``similarity.json``):
groups of students sharing unusual wrong answers, and wrong answers so common
in the class that they are more likely a mistake the catalogue does not know
yet than copying.
"""

from __future__ import annotations

from typing import Mapping

from ..analysis.similarity import COMMON_SHARE
from .context import Context
from .html import Html, cell, element, join, table

COMMON_TITLE = "여러 학생이 똑같이 낸, 알려진 실수로 설명되지 않는 오답"


def similarity_section(similarity: Mapping | None, context: Context) -> Html:
    """Groups of similar answers and common unexplained answers; nothing when not analysed.

    Parameters
    ----------
    similarity
        ``{"groups": [...], "common": [...]}``: each group with ``members``,
        ``tests``, ``token_similarity`` and ``note``; each common answer with
        ``test`` and ``count``. Either list may be missing. None leaves the
        section out.
    context
        Who is who, for the members' names.
    """
    if similarity is None:
        return Html("")
    return join([Html("<!-- 확인해 볼 만한 쌍: 시작 -->"),
                 element("h2", "확인해 볼 만한 쌍", id="pairs"),
                 element("p", "확인해 볼 만한 쌍 — 같은 코드를 나눠 썼다는 증거가 아니라, 직접 확인해 볼 만한 단서입니다.",
                         class_="note"),
                 _groups(similarity.get("groups") or [], context),
                 _common(similarity.get("common") or []),
                 Html("<!-- 확인해 볼 만한 쌍: 끝 -->")])


def _groups(groups: list[dict], context: Context) -> Html:
    if not groups:
        return element("p", "눈에 띄게 비슷한 답안이 없습니다.", class_="note")
    rows = [[join([context.person(m) for m in group.get("members", ())], ", "),
             element("ul", *[element("li", t) for t in group.get("tests", ())], class_="compact"),
             _similarity_cell(group.get("token_similarity")), group.get("note", "")]
            for group in groups]
    return table(["학생", "같은 답을 낸 테스트", "코드 유사도", "메모"], rows, sortable=True, numeric=(2,))


def _similarity_cell(value) -> Html:
    if value is None:
        return cell("—", sort=-1, numeric=True)
    return cell(f"{100 * float(value):.0f}%", sort=f"{float(value):.4f}", numeric=True)


def _common(common: list[dict]) -> Html:
    """Wrong answers many students returned bit for bit that no catalogued mistake explains (nothing if none)."""
    if not common:
        return Html("")
    rows = [[entry.get("test", ""), cell(f"{entry.get('count', 0)}명", sort=entry.get("count", 0), numeric=True)]
            for entry in common]
    return join([element("h3", COMMON_TITLE, id="common-answers"),
                 element("p", f"숨은 테스트에서 반의 {100 * COMMON_SHARE:.0f}%가 넘는 학생(적어도 4명)이 똑같이 "
                              "돌려준 오답입니다. 베끼기보다는 채점기가 아직 이름을 모르는 흔한 실수일 가능성이 "
                              "큽니다. 피드백을 보고 강의에서 다뤄 보세요.", class_="note"),
                 table(["테스트", "같은 오답을 낸 학생"], rows, numeric=(1,), narrow=True)])
