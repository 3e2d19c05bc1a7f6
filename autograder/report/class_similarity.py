"""Similar answers in the class report: clues worth a look, never a verdict."""

from __future__ import annotations

from .class_context import Context
from .html import Html, cell, element, join, table


def similarity_section(similarity: list[dict] | None, context: Context) -> Html:
    """Pairs (or groups) of similar answers, as clues to look at; nothing when not analysed."""
    if similarity is None:
        return Html("")
    parts = [Html("<!-- 확인해 볼 만한 쌍: 시작 -->"),
             element("h2", "확인해 볼 만한 쌍", id="pairs"),
             element("p", "확인해 볼 만한 쌍 — 같은 코드를 나눠 썼다는 증거가 아니라, 직접 확인해 볼 만한 단서입니다.",
                     class_="note")]
    if not similarity:
        parts.append(element("p", "눈에 띄게 비슷한 답안이 없습니다.", class_="note"))
    else:
        rows = [[join([context.person(m) for m in group.get("members", ())], ", "),
                 element("ul", *[element("li", t) for t in group.get("tests", ())], class_="compact"),
                 _similarity_cell(group.get("token_similarity")), group.get("note", "")]
                for group in similarity]
        parts.append(table(["학생", "같은 답을 낸 테스트", "코드 유사도", "메모"], rows, sortable=True, numeric=(2,)))
    return join(parts + [Html("<!-- 확인해 볼 만한 쌍: 끝 -->")])


def _similarity_cell(value) -> Html:
    if value is None:
        return cell("—", sort=-1, numeric=True)
    return cell(f"{100 * float(value):.0f}%", sort=f"{float(value):.4f}", numeric=True)

