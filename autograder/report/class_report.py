"""The class report: one offline Korean HTML page for the instructor, written by every ``grade`` run.

:func:`write_class_report` writes ``report.html`` next to the gradebook: the
score distributions (matplotlib, drawn at grading time as inline SVG), the
pass rate of every test, the catalogued mistakes ranked by how many students
made them (each linked to the lecture site), the submissions that need a
look (errors, timeouts, grader problems, invalid, missing), a row per student
linking to their feedback file and, when given, pairs of similar answers.

The page loads nothing: no script, style, font or image from anywhere (its
Content-Security-Policy forbids it), so it opens offline. Everything a
submission controls (its folder name, messages, notes) is escaped: markup is
built with :func:`element`, which escapes every string it is given unless it
is already :class:`Html`.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import html
import io
import logging
import re
import statistics
import string
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import quote

from ..catalog import EXERCISES
from ..fsutil import atomic_write
from ..grade.result import Status, SubmissionResult, SubmissionStatus, TestResult
from ..suites.mistakes import MISTAKES

REPORT_NAME = "report.html"
TEMPLATES = Path(__file__).with_name("templates")
MKDOCS = Path(__file__).resolve().parents[2] / "mkdocs.yml"
#: Fonts with Hangul, first found is used to lay out the plots (the browser draws their text in its own).
KOREAN_FONTS = ("NanumGothic", "Malgun Gothic", "AppleGothic", "Apple SD Gothic Neo", "Noto Sans CJK KR",
                "Noto Sans KR")
#: Test outcomes that are the student's code misbehaving (not a wrong value, not the grader).
TROUBLE = (Status.ERROR, Status.TIMEOUT, Status.MEMORY)
MESSAGE_CHARS = 300

People = Mapping[str, tuple[str, str]] | Callable[[str], "tuple[str, str] | None"] | None


# --- markup that escapes by default -------------------------------------------------------


class Html(str):
    """Markup that is already safe: :func:`element` inserts it as it is."""


class Td(Html):
    """A ready ``<td>`` element: :func:`table` uses it as the cell itself."""


def escape(value) -> Html:
    """``value`` as text (``Html`` stays as it is; anything else is escaped, quotes too)."""
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=True))


def join(parts: Iterable, separator: str = "") -> Html:
    return Html(escape(separator).join(escape(part) for part in parts))


def element(tag: str, *children, **attrs) -> Html:
    """``<tag attrs>children</tag>`` with every attribute value and text child escaped.

    ``class_`` stands for ``class``, ``data_sort`` for ``data-sort``; attributes
    whose value is ``None`` or ``False`` are left out.
    """
    rendered = "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
                       for name, value in attrs.items() if value is not None and value is not False)
    return Html(f"<{tag}{rendered}>{join(c for c in children if c is not None)}</{tag}>")


def table(headers: list, rows: list[list], sortable: bool = False, numeric: Iterable[int] = (),
          narrow: bool = False) -> Html:
    """A table; ``rows`` hold cells (text, :class:`Html`, or ready ``<td>`` elements)."""
    numeric = set(numeric)
    head = element("thead", element("tr", *[element("th", h, class_="num" if i in numeric else None)
                                            for i, h in enumerate(headers)]))
    body = element("tbody", *[_row(row, numeric) for row in rows])
    return element("div", element("table", head, body, class_=" ".join(
        c for c, on in (("sortable", sortable), ("narrow", narrow)) if on) or None), class_="scroll")


def _row(row, numeric: set) -> Html:
    cells, attrs = (row.cells, row.attrs) if isinstance(row, Row) else (row, {})
    return element("tr", *[c if isinstance(c, Td) else
                           element("td", c, class_="num" if i in numeric else None)
                           for i, c in enumerate(cells)], **attrs)


@dataclass
class Row:
    cells: list
    attrs: dict = field(default_factory=dict)


def cell(content, sort=None, numeric: bool = False) -> Td:
    """A ``<td>`` that sorts by ``sort`` (a number or text) rather than by what it shows."""
    return Td(element("td", content, data_sort=sort, class_="num" if numeric else None))


# --- who is who -------------------------------------------------------------------------


def people_lookup(people: People) -> Callable[[str], "tuple[str, str] | None"]:
    """A function from submission name to (student number, name), from a mapping or a function."""
    if people is None:
        return lambda name: None
    if isinstance(people, Mapping):
        return people.get
    return people


def people_from_roster(roster) -> Callable[[str], "tuple[str, str] | None"] | None:
    """(student number, name) by submission name from a roster with ``find(login)``, or None without one."""
    if roster is None:
        return None

    def lookup(name: str):
        student = roster.find(name)
        return (str(student.student_id), str(student.name)) if student is not None else None

    return lookup


@dataclass(frozen=True)
class Context:
    """What every section needs besides the results."""

    who: Callable[[str], "tuple[str, str] | None"]
    docs_url: str | None
    has_people: bool

    def person(self, name: str) -> str:
        """How a submission is named in running text: '20231234 홍길동 (login)' or just the login."""
        known = self.who(name)
        return f"{known[0]} {known[1]} ({name})" if known else name


# --- numbers ----------------------------------------------------------------------------


@dataclass
class TestStats:
    """How every submission did on one test."""

    __test__ = False  # not a pytest test class

    exercise: str
    exercise_title: str
    title: str
    visibility: str
    visibility_label: str
    points: int
    outcomes: Counter = field(default_factory=Counter)  # Status -> submissions
    answers: Counter = field(default_factory=Counter)  # digest of a failed answer -> submissions

    @property
    def counted(self) -> int:
        """Submissions this test judged (a grader problem is nobody's result)."""
        return sum(n for status, n in self.outcomes.items() if status is not Status.INTERNAL)

    @property
    def passed(self) -> int:
        return self.outcomes[Status.PASSED]

    @property
    def rate(self) -> float | None:
        return self.passed / self.counted if self.counted else None

    @property
    def same_answer(self) -> int:
        """Students sharing the most common wrong answer (0 when no two do)."""
        most = max(self.answers.values(), default=0)
        return most if most > 1 else 0


def test_stats(results: list[SubmissionResult]) -> list[TestStats]:
    """Per test, in report order (by exercise, public before hidden), how the submissions ended."""
    titles = {e.name: e.title for r in results for e in r.exercises}
    stats: dict[tuple[str, str], TestStats] = {}
    for result in results:
        for test in result.tests():
            key = (test.exercise, test.name)
            if key not in stats:
                stats[key] = TestStats(test.exercise, titles.get(test.exercise, test.exercise), test.title,
                                       test.visibility, test.visibility_label, test.max_score)
            stats[key].outcomes[test.status] += 1
            if test.status is Status.FAILED and test.answer:
                stats[key].answers[test.answer] += 1
    order = {name: i for i, name in enumerate(exercise_order(results))}
    return sorted(stats.values(), key=lambda s: order[s.exercise])  # stable: suite order within an exercise


test_stats.__test__ = False


def exercise_order(results: list[SubmissionResult]) -> list[str]:
    """Exercise names in catalogue order, then any the catalogue does not know in the order met."""
    met = list(dict.fromkeys(e.name for r in results for e in r.exercises))
    return [e.name for e in EXERCISES if e.name in met] + [n for n in met if n not in {e.name for e in EXERCISES}]


@dataclass
class MistakeStats:
    """One catalogued mistake: who made it and in which tests."""

    key: str
    label: str
    docs: str
    students: list[str] = field(default_factory=list)  # submission names, each once
    tests: dict[tuple[str, str], int] = field(default_factory=dict)  # (exercise title, test title) -> students


def mistake_ranking(results: list[SubmissionResult]) -> list[MistakeStats]:
    """Catalogued mistakes by how many distinct students made them, most first."""
    ranking: dict[str, MistakeStats] = {}
    for result in results:
        titles = {e.name: e.title for e in result.exercises}
        for key, tests in _mistakes_of(result).items():
            known = MISTAKES.get(key)  # a key the catalogue no longer has shows as itself, without a link
            stats = ranking.setdefault(key, MistakeStats(key, known.label if known else key,
                                                         known.docs if known else ""))
            stats.students.append(result.name)
            for test in tests:
                where = (titles.get(test.exercise, test.exercise), test.title)
                stats.tests[where] = stats.tests.get(where, 0) + 1
    return sorted(ranking.values(), key=lambda m: (-len(m.students), m.label))


def _mistakes_of(result: SubmissionResult) -> dict[str, list[TestResult]]:
    """The tests of one submission by the mistake they were diagnosed as (each test once per mistake)."""
    found: dict[str, list[TestResult]] = {}
    for test in result.tests():
        if test.mistake and not test.passed:
            found.setdefault(test.mistake, []).append(test)
    return found


def graded(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Submissions with a grade that means something (the grader finished, the folder was gradable)."""
    return [r for r in results if r.status is SubmissionStatus.GRADED]


def tested(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Submissions at least one test ran on."""
    return [r for r in results if r.exercises]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _points(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# --- plots ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def korean_font() -> str | None:
    """The first installed font with Hangul (from :data:`KOREAN_FONTS`), else None.

    Also registers NanumGothic from koreanize-matplotlib when that package is
    installed (the lecture site's setup) and the system has none.
    """
    from matplotlib import font_manager

    quiet = logging.getLogger("matplotlib.font_manager")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        for family in KOREAN_FONTS:
            try:
                font_manager.findfont(family, fallback_to_default=False)
                return family
            except ValueError:
                continue
        return _koreanize_font(font_manager)
    finally:
        quiet.setLevel(level)


def _koreanize_font(font_manager) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    fonts = sorted(Path(spec.submodule_search_locations[0], "fonts").glob("NanumGothic*.ttf"))
    for path in fonts:
        font_manager.fontManager.addfont(str(path))
    return "NanumGothic" if fonts else None


def _rc(salt: str) -> dict:
    font = korean_font()
    return {
        "svg.fonttype": "none",  # text stays text: the browser draws it with the page's Korean fonts
        "svg.hashsalt": f"class-report-{salt}",  # ids unique among the page's figures
        "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "font.size": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _inline_svg(fig, label: str) -> Html:
    """The figure as an ``<svg>`` element for an HTML page (no XML prolog, metadata or namespace URLs)."""
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a Hangul glyph missing from every font: the browser draws it anyway
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    return Html(svg.replace("<svg", f'<svg role="img" aria-label="{escape(label)}"', 1))


def _integer_ticks(ax) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def score_histogram(scores: list[int], max_score: int) -> Html:
    """Histogram of total scores (ten bins over 0..max), with the mean marked."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc("total")):
        fig = Figure(figsize=(7.2, 3.0))
        ax = fig.add_subplot()
        ax.hist(scores, bins=_bins(max_score, 10), color="#3f51b5", edgecolor="white")
        mean = statistics.fmean(scores)
        ax.axvline(mean, color="#cf222e", linestyle="--", linewidth=1.2, label=f"평균 {_points(mean)}점")
        ax.set_xlim(0, max(max_score, 1))
        ax.set_xlabel("총점")
        ax.set_ylabel("학생 수")
        ax.legend(loc="upper left", frameon=False)
        _integer_ticks(ax)
        return _inline_svg(fig, "총점 분포 히스토그램")


def exercise_histograms(columns: list[tuple[str, str, int]], scores: dict[str, list[int]]) -> Html:
    """One small histogram per exercise (``columns`` = (name, title, max score))."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc("exercises")):
        fig = Figure(figsize=(2.6 * len(columns), 2.5))
        axes = fig.subplots(1, len(columns), squeeze=False)[0]
        for ax, (name, title, top) in zip(axes, columns):
            ax.hist(scores[name], bins=_bins(top, 8), color="#5c6bc0", edgecolor="white")
            ax.set_xlim(0, max(top, 1))
            ax.set_title(f"{title} (만점 {top}점)", fontsize=9.5)
            ax.set_xlabel("점수")
            _integer_ticks(ax)
        axes[0].set_ylabel("학생 수")
        fig.tight_layout()
        return _inline_svg(fig, "과제별 점수 분포 히스토그램")


def _bins(top: int, most: int) -> list[float]:
    """Equal bins over 0..top: one per point when there are few points, else ``most`` of them."""
    count = max(1, min(most, top))
    return [top * i / count for i in range(count + 1)] if top else [0, 1]


# --- sections ---------------------------------------------------------------------------


def header(results: list[SubmissionResult], now: datetime.datetime) -> Html:
    counts = Counter(r.status for r in results)
    scores = [r.score for r in graded(results)]
    top = max((r.max_score for r in results), default=0)
    cards = [(f"{len(results)}개", "제출물 (미제출 포함)"), (f"{counts[SubmissionStatus.GRADED]}개", "채점 완료")]
    if scores:
        cards += [(f"{_points(statistics.fmean(scores))}점", "평균"), (f"{_points(statistics.median(scores))}점", "중앙값"),
                  (f"{min(scores)}–{max(scores)}점", "최저–최고")]
    cards += [(f"{counts[s]}개", s.label) for s in (SubmissionStatus.MISSING, SubmissionStatus.INVALID,
                                                   SubmissionStatus.INTERNAL)]
    return join([
        element("h1", "반 전체 채점 보고서"),
        element("p", f"{now:%Y-%m-%d %H:%M}에 만든 보고서 · 만점 {top}점 · 공개 테스트와 숨은 테스트 모두 포함",
                class_="meta"),
        element("div", *[element("div", element("b", value), element("span", label), class_="card")
                         for value, label in cards], class_="cards"),
        element("nav", *[element("a", title, href=f"#{anchor}") for anchor, title in SECTIONS]),
    ])


SECTIONS = (("scores", "점수 분포"), ("tests", "테스트별 통과율"), ("mistakes", "자주 나온 실수"),
            ("problems", "확인이 필요한 제출물"), ("students", "학생별 결과"))


def scores_section(results: list[SubmissionResult]) -> Html:
    done = graded(results)
    counts = Counter(r.status for r in results)
    left_out = [f"{s.label} {counts[s]}개" for s in (SubmissionStatus.MISSING, SubmissionStatus.INVALID,
                                                     SubmissionStatus.INTERNAL) if counts[s]]
    caption = f"채점 완료된 제출물 {len(done)}개의 총점." + (
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
    rows = [[title, _points(statistics.fmean(scores[name])), _points(statistics.median(scores[name])), top,
             f"{_percent(sum(s == top for s in scores[name]), len(scores[name]))} "
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
    rows = [[rank, _mistake_name(m, context.docs_url), cell(f"{len(m.students)}명 ({_percent(len(m.students), whole)})",
                                                             sort=len(m.students), numeric=True),
             _mistake_tests(m), join(sorted(context.person(s) for s in m.students), ", ")]
            for rank, m in zip(ranks([len(m.students) for m in ranking]), ranking)]
    return join(parts + [table(["순위", "실수", "학생 수", "나온 테스트", "학생"], rows, sortable=True, numeric=(0,))])


def ranks(counts: list[int]) -> list[int]:
    """Competition ranks of counts sorted most first: equal counts share a rank (1, 1, 3, ...)."""
    return [counts.index(n) + 1 for n in counts]


def docs_link(docs: str, docs_url: str | None) -> str | None:
    """The lecture-site address of ``page/#anchor``, or None without a site address or a page."""
    if not docs or not docs_url:
        return None
    return docs_url.rstrip("/") + "/" + quote(docs, safe="/#-_.~")


def _mistake_name(mistake: MistakeStats, docs_url: str | None) -> Html:
    href = docs_link(mistake.docs, docs_url)
    return element("a", mistake.label, href=href, rel="noreferrer") if href else escape(mistake.label)


def _mistake_tests(mistake: MistakeStats) -> Html:
    return element("ul", *[element("li", f"{exercise} · {title}", element("span", f" ({n}명)", class_="note"))
                           for (exercise, title), n in mistake.tests.items()], class_="compact")


def problems_section(results: list[SubmissionResult], context: Context) -> Html:
    internal = [r for r in results if r.status is SubmissionStatus.INTERNAL]
    invalid = [r for r in results if r.status is SubmissionStatus.INVALID]
    missing = [r for r in results if r.status is SubmissionStatus.MISSING]
    trouble = [r for r in results if r.status is SubmissionStatus.GRADED and r.statuses() & set(TROUBLE)]
    return join([
        element("h2", "확인이 필요한 제출물", id="problems"),
        _subsection(f"채점기 문제 ({len(internal)}개)", internal, _internal_rows, context,
                    "학생의 잘못이 아닙니다. 채점기나 채점 환경이 끝까지 채점하지 못했으니 "
                    "--fresh로 다시 채점해 보고, 되풀이되면 아래 내용을 채점기 관리자에게 알려 주세요.", grader=True),
        _subsection(f"실행 중 오류·시간 초과·메모리 초과 ({len(trouble)}개)", trouble, _trouble_rows, context,
                    "학생 코드가 예외를 냈거나, 제한 시간·메모리를 넘긴 테스트입니다 (그 테스트는 0점)."),
        _subsection(f"채점 불가 ({len(invalid)}개)", invalid, _note_rows, context,
                    "채점할 수 있는 제출물이 아니었습니다 (0점)."),
        _subsection(f"미제출 ({len(missing)}개)", missing, _note_rows, context, "명단에는 있지만 제출물이 없습니다."),
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
    tests = [t for t in result.tests() if t.status in TROUBLE]
    return element("ul", *[element("li", element("b", t.status.label), f" {_where(result, t)}",
                                   element("details", element("summary", "메시지"), _message(t.message))
                                   if t.message else None) for t in tests], class_="compact")


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
    status = element("span", result.status.label, class_=f"status-{result.status.value}")
    cells = ([known[0], known[1]] if context.has_people else []) + [
        result.name, cell(join([status, (" · " + ", ".join(trouble)) if trouble else ""]), sort=result.status.label),
        cell(f"{result.score}/{result.max_score}", sort=result.score, numeric=True)]
    for name in columns:
        exercise = result.exercise(name)
        cells.append(cell(f"{exercise.score}/{exercise.max_score}", sort=exercise.score, numeric=True)
                     if exercise else cell("—", sort=-1, numeric=True))
    tests = list(result.tests())
    cells.append(cell(f"{sum(t.passed for t in tests)}/{len(tests)}", sort=sum(t.passed for t in tests), numeric=True))
    cells.append(element("a", f"{slug}.md", href=f"feedback/{quote(slug)}.md") if slug else "—")
    return cells


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


# --- the page ---------------------------------------------------------------------------


def render_report(results: list[SubmissionResult], feedback_names: Mapping | None = None, people: People = None,
                  similarity: list[dict] | None = None, docs_url: str | None = None,
                  now: datetime.datetime | None = None) -> str:
    """The class report as one HTML page.

    Parameters
    ----------
    results
        Every submission's result, missing ones included.
    feedback_names
        The feedback file name (without ``.md``) of each submission, keyed by
        ``Path(result.submission)`` (as :func:`autograder.grade.result.slug_for`
        returns it) or by ``result.submission``.
    people
        (student number, name) by submission name: a mapping or a function
        returning None for someone unknown. Adds the two columns when given.
    similarity
        Groups of similar answers (``members``, ``tests``, ``token_similarity``,
        ``note``); the section is left out when None.
    docs_url
        Address of the lecture site; mistakes link to their section under it
        (plain text when None).
    now
        When the report was made (default: now).

    Returns
    -------
    str
        The page, loading nothing from anywhere.
    """
    context = Context(people_lookup(people), docs_url or None, people is not None)
    names = feedback_names or {}

    def feedback(result: SubmissionResult) -> str | None:
        return names.get(Path(result.submission)) or names.get(result.submission)

    body = join([header(results, now or datetime.datetime.now()), scores_section(results), tests_section(results),
                 mistakes_section(results, context), problems_section(results, context),
                 students_section(results, context, feedback), similarity_section(similarity, context)], "\n")
    script = (TEMPLATES / "class_report.js").read_text(encoding="utf-8")
    return string.Template((TEMPLATES / "class_report.html").read_text(encoding="utf-8")).substitute(
        title="반 전체 채점 보고서", csp=content_security_policy(script), body=body, script=script)


def content_security_policy(script: str) -> str:
    """Nothing may load; only the page's own styles and its one script (by hash) run."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def write_class_report(results: list[SubmissionResult], path: Path, feedback_names: Mapping | None = None,
                       people: People = None, similarity: list[dict] | None = None,
                       docs_url: str | None = None) -> Path:
    """Write :func:`render_report` to ``path`` atomically and return ``path``.

    Parameters are those of :func:`render_report`.
    """
    atomic_write(Path(path), render_report(results, feedback_names, people, similarity, docs_url))
    return Path(path)


def site_url(mkdocs: Path = MKDOCS) -> str | None:
    """``site_url`` of the lecture site's mkdocs.yml, or None when it sets none."""
    try:
        text = mkdocs.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^site_url:\s*['\"]?([^'\"#\s]+)", text, flags=re.M)
    return match.group(1) if match else None
