"""The class as a whole in the class report: the header, the score distributions and the pass rate of every test."""

from __future__ import annotations

import datetime
import statistics

from ..analysis.summary import STANDINGS, ClassSummary
from ..grade.result import Standing, Status, SubmissionResult, SubmissionStatus
from ..report.timing import when
from .html import Html, Row, cell, element, join, table
from .plots import exercise_histograms, score_histogram
from .stats import TestStats, exercise_order, graded, percent, points, test_stats


def header(summary: ClassSummary, now: datetime.datetime) -> Html:
    """Title, the deadline and late rule (when graded by one), and the class summary's numbers as cards."""
    top = max((r.max_score for r in summary.results), default=0)
    return join([
        element("h1", "반 전체 채점 보고서"),
        element("p", f"{now:%Y-%m-%d %H:%M}에 만든 보고서 · 만점 {top}점 · 공개 테스트와 숨은 테스트 모두 포함",
                class_="meta"),
        _policy(summary),
        _cards(summary.count_cards(), "students"),
        _cards(summary.grade_cards(), "grades"),
        element("nav", *[element("a", title, href=f"#{anchor}") for anchor, title in SECTIONS]),
    ])


def _cards(cards: list[tuple[str, str]], kind: str) -> Html:
    return element("div", *[element("div", element("b", value), element("span", label), class_="card")
                            for value, label in cards], class_="cards", data_summary=kind)


def _policy(summary: ClassSummary) -> Html | None:
    if summary.deadline is None:
        return None
    extended = f" · 마감을 연장한 학생 {summary.extensions}명" if summary.extensions else ""
    return element("p", element("b", "마감 "), f"{when(summary.deadline)}{extended} · ", element("b", "지각 규칙 "),
                   summary.rule, class_="policy", id="late-policy")


SECTIONS = (("scores", "점수 분포"), ("tests", "테스트별 통과율"), ("mistakes", "자주 나온 실수"),
            ("problems", "확인이 필요한 제출물"), ("students", "학생별 결과"))


def scores_section(results: list[SubmissionResult], summary: ClassSummary) -> Html:
    done = graded(results)
    left_out = [f"{s.label} {summary.counts[s]}명" for s in STANDINGS
                if s not in (Standing.SUBMITTED, Standing.LATE) and summary.counts[s]]
    refused = sum(1 for r in results if r.status is SubmissionStatus.LATE)
    left_out += [f"받지 않은 지각 {refused}명"] if refused else []
    caption = f"채점한 제출물 {len(done)}개의 총점 (지각 감점 뒤)." + (
        f" 그래프에 넣지 않은 것: {', '.join(left_out)} (아래 「확인이 필요한 제출물」)." if left_out else "")
    parts = [element("h2", "점수 분포", id="scores")]
    if not done:
        return join(parts + [element("p", "채점 완료된 제출물이 없어 그릴 점수가 없습니다.", class_="note")])
    top = max(r.max_score for r in done)
    parts.append(element("figure", score_histogram([r.score for r in done], top), element("figcaption", caption)))
    columns, scores = _exercise_scores(done)
    if columns:
        parts += [element("h3", "과제별 점수 분포"),
                  element("figure", exercise_histograms(columns, scores)),
                  _exercise_table(columns, scores)]
    return join(parts)


def _exercise_scores(done: list[SubmissionResult]) -> tuple[list[tuple[str, str, int]], dict[str, list[int]]]:
    columns, scores = [], {}
    for name in exercise_order(done):
        found = [e for e in (r.exercise(name) for r in done) if e is not None]
        columns.append((name, found[0].title, max(e.max_score for e in found)))
        scores[name] = [e.score for e in found]
    return columns, scores


def _exercise_table(columns, scores) -> Html:
    rows = [[title, points(statistics.fmean(scores[name])), points(statistics.median(scores[name])), top,
             f"{percent(sum(s == top for s in scores[name]), len(scores[name]))} "
             f"({sum(s == top for s in scores[name])}/{len(scores[name])})"]
            for name, title, top in columns]
    return table(["과제", "평균", "중앙값", "만점", "만점 받은 학생"], rows, numeric=(1, 2, 3, 4), narrow=True)


def tests_section(results: list[SubmissionResult]) -> Html:
    stats = test_stats(results)
    parts = [element("h2", "테스트별 통과율", id="tests"),
             element("p", "공개 테스트는 학생도 제출 전에 돌려 볼 수 있고, 숨은 테스트는 채점할 때만 돕니다. "
                          "통과율의 분모는 그 테스트가 채점된 제출물 수입니다 (채점기 문제로 끝난 테스트는 빼고). "
                          "「같은 오답」은 틀린 학생들 가운데 똑같은 값을 돌려준 가장 큰 무리의 크기입니다.",
                     class_="note")]
    if not stats:
        return join(parts + [element("p", "채점된 테스트가 없습니다.", class_="note")])
    rows = [_test_row(s) for s in stats]
    headers = ["과제", "테스트", "종류", "배점", "통과율", "통과하지 못한 까닭", "같은 오답"]
    return join(parts + [table(headers, rows, sortable=True, numeric=(3, 6))])


def _test_row(stats: TestStats) -> Row:
    rate = stats.rate
    bar = element("span", Html(f'<i style="width:{0 if rate is None else round(100 * rate)}%"></i>'), class_="bar")
    shown = "—" if rate is None else f"{100 * rate:.0f}% ({stats.passed}/{stats.counted})"
    reasons = [f"{status.label} {stats.outcomes[status]}" for status in Status
               if status is not Status.PASSED and stats.outcomes[status]]
    level = None if rate is None else "low" if rate < 0.5 else "mid" if rate < 0.8 else None
    return Row([stats.exercise_title, stats.title,
                element("span", stats.visibility_label, class_=f"tag {stats.visibility}"),
                stats.points,
                cell(join([bar, shown]), sort=-1 if rate is None else f"{rate:.4f}"),
                " · ".join(reasons) or "—",
                f"{stats.same_answer}명" if stats.same_answer else "—"],
               {"class_": level})

