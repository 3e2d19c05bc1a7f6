"""The class report (grading-output/report.html): its numbers, its escaping, and the page in Chromium.

Unit tests render synthetic results; one test grades the bundled examples
through the command line; the browser tests (marker ``browser``) open the page
in headless Chromium like tests/test_docs_browser.py does: they skip without
Chromium or Playwright, except when CI=true, where they fail. Screenshots go
to test-artifacts/report/.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html.parser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

from autograder.analysis.summary import summarize
from autograder.classpage.mistakes import docs_link
from autograder.classpage.page import REPORT_NAME, render_report, write_class_report
from autograder.classpage.stats import mistake_ranking, test_stats
from autograder.grade.result import ExerciseResult, Status, SubmissionResult, TestResult, slug_for
from autograder.lecture_site import site_url
from autograder.suites.mistakes import MISTAKES
from chromium import unavailable
from report_screenshot import readme_screenshot

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
DOCS = "https://teacher.example.org/lecture04/"
TITLES = {"losses": "손실 함수", "gradient": "수치 미분과 기울기"}
# exercise, name, visibility, points
SUITE = [("losses", "sse_a", "public", 3), ("losses", "sse_b", "hidden", 2),
         ("gradient", "diff", "public", 4), ("gradient", "grad", "hidden", 1)]


def submission(name: str, **changes) -> SubmissionResult:
    """A graded submission passing every test of :data:`SUITE` but ``changes`` = {test: (status, mistake, answer)}."""
    exercises = []
    for exercise in TITLES:
        tests = []
        for ex, test, visibility, points in SUITE:
            if ex != exercise:
                continue
            status, mistake, answer, message = changes.get(test, (Status.PASSED, "", "", ""))
            tests.append(TestResult(ex, test, f"{test} 테스트", visibility, points if status is Status.PASSED else 0,
                                    points, status, message, mistake, answer))
        exercises.append(ExerciseResult(exercise, TITLES[exercise], tuple(tests)))
    return SubmissionResult.graded(f"submissions/{name}", exercises, 1.0)


def failed(mistake="", answer="", message="값이 다릅니다"):
    return (Status.FAILED, mistake, answer, message)


def results() -> list[SubmissionResult]:
    return [
        submission("alice"),
        # the same mistake in two tests: one student
        submission("bob", sse_a=failed("sse_without_half", "d1"), sse_b=failed("sse_without_half", "d2"),
                   diff=failed("forward_difference", "d3")),
        submission("carol", sse_a=failed("sse_without_half", "d1")),
        submission("dave", diff=(Status.ERROR, "", "", "ZeroDivisionError <script>alert(2)</script>"),
                   grad=(Status.TIMEOUT, "", "", "2초 안에 끝나지 않았습니다")),
        submission(HOSTILE, sse_a=failed("sse_without_half", "d4", message=f"{HOSTILE} 반환")),
        submission("hank", grad=(Status.INTERNAL, "", "", "샌드박스가 응답하지 않았습니다")),
        SubmissionResult.crashed("submissions/erin", "Traceback: worker died"),
        SubmissionResult.invalid("submissions/frank", "exercises/ 폴더가 없습니다", 10),
        SubmissionResult.missing("gina", 10),
    ]


def slugs(rs):
    return slug_for([Path(r.submission) for r in rs])


def render(rs=None, **kwargs) -> str:
    rs = results() if rs is None else rs
    kwargs.setdefault("docs_url", DOCS)
    return render_report(rs, slugs(rs), now=datetime.datetime(2025, 3, 1, 9, 0), **kwargs)


class Page(html.parser.HTMLParser):
    """Tags with their attributes, and table body rows (cell texts) by the section (``h2`` id) they are in."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.rows: dict[str, list[list[str]]] = {}
        self.scripts: list[str] = []
        self._section, self._row, self._cell, self._script, self._head = "", None, None, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "h2":
            self._section = attrs.get("id", "")
        elif tag == "thead":
            self._head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "script":
            self._script = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._head:
                self.rows.setdefault(self._section, []).append(self._row)
            self._row = None
        elif tag == "thead":
            self._head = False
        elif tag == "script":
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._script is not None:
            self._script.append(data)

    def body(self, section: str) -> list[list[str]]:
        """Rows of the section's tables (header rows left out)."""
        return self.rows.get(section, [])

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.tags if tag == "a" and "href" in attrs]


# --- numbers ----------------------------------------------------------------------------


def test_mistakes_count_distinct_students_most_first():
    ranking = mistake_ranking(results())
    assert [(m.key, sorted(m.students)) for m in ranking] == [
        ("sse_without_half", sorted(["bob", "carol", HOSTILE])), ("forward_difference", ["bob"])]
    assert ranking[0].tests == {("손실 함수", "sse_a 테스트"): 3, ("손실 함수", "sse_b 테스트"): 1}


def test_mistake_table_links_each_mistake_to_its_lecture_section():
    page = Page(render())
    rows = page.body("mistakes")
    # percentages of the 6 submissions tests ran on
    assert [(r[0], r[1], r[2]) for r in rows] == [("1", MISTAKES["sse_without_half"].label, "3명 (50%)"),
                                                  ("2", MISTAKES["forward_difference"].label, "1명 (17%)")]
    assert "sse_a 테스트 (3명)" in rows[0][3] and "sse_b 테스트 (1명)" in rows[0][3]
    assert rows[0][4] == ", ".join(sorted(["bob", "carol", HOSTILE]))
    docs = MISTAKES["sse_without_half"].docs
    href = DOCS + quote(docs, safe="/#-_.~")
    assert href in page.links()
    assert unquote(href) == DOCS + docs  # the anchor survives: 오차제곱합-sum-of-squared-errors-sse


def test_a_mistake_the_catalogue_does_not_know_shows_its_key_without_a_link():
    rs = [submission("a", sse_a=failed("renamed_since"))]
    page = Page(render(rs))
    assert page.body("mistakes")[0][1:3] == ["renamed_since", "1명 (100%)"]
    assert not [link for link in page.links() if link.startswith(DOCS)]


def test_equal_counts_share_a_rank():
    rs = [submission("a", sse_a=failed("sse_without_half")), submission("b", diff=failed("forward_difference"))]
    assert [r[0] for r in Page(render(rs)).body("mistakes")] == ["1", "1"]


def test_mistakes_are_plain_text_without_a_site_address():
    page = Page(render(docs_url=None))
    assert not [link for link in page.links() if link.startswith("http")]
    assert page.body("mistakes")[0][1] == MISTAKES["sse_without_half"].label
    assert "--docs-url" in render(docs_url=None)
    assert docs_link("", DOCS) is None and docs_link("losses/#x", None) is None


def test_pass_rate_per_test_leaves_grader_problems_out():
    stats = {s.title: s for s in test_stats(results())}
    # alice dave hank pass; bob carol HOSTILE fail (erin crashed with no tests; frank, gina have none)
    assert (stats["sse_a 테스트"].passed, stats["sse_a 테스트"].counted) == (3, 6)
    assert stats["sse_a 테스트"].same_answer == 2  # bob and carol returned the same wrong value
    # hank's grader problem is nobody's result: 4 of 5, not of 6
    assert (stats["grad 테스트"].passed, stats["grad 테스트"].counted) == (4, 5)
    rows = {r[1]: r for r in Page(render()).body("tests")}
    assert rows["sse_a 테스트"][:5] == ["손실 함수", "sse_a 테스트", "공개", "3", "50% (3/6)"]
    assert rows["sse_a 테스트"][5:] == ["실패 3", "2명"]
    assert rows["sse_b 테스트"][2] == "숨은"
    assert rows["grad 테스트"][4:6] == ["80% (4/5)", "시간 초과 1 · 채점기 오류 1"]


def test_score_distributions_are_inline_svg_of_graded_submissions():
    text = render()
    assert text.count("<svg") == 2
    assert 'aria-label="총점 분포 히스토그램"' in text and 'aria-label="과제별 점수 분포 히스토그램"' in text
    assert "채점한 제출물 5개의 총점" in text  # hank (grader problem), erin, frank, gina are left out
    assert "미제출 1명, 채점 불가 1명, 채점기 문제 2명" in text
    assert not re.search(r"<svg[^>]*\bid=", text)  # nothing for two figures to share


def test_the_histograms_count_every_graded_submission_once():
    """Bars are hand-built SVG: each bar's tooltip says its range and count, the counts add up, the mean is marked."""
    rs = [submission(f"s{i}", **({"sse_a": failed()} if i % 3 else {})) for i in range(7)]  # 10 or 7 of 10 points
    text = render(rs)
    total = text[text.index('aria-label="총점 분포 히스토그램"'):text.index("</svg>")]
    bars = re.findall(r"<title>([\d.]+)–([\d.]+)점: (\d+)명</title>", total)
    assert sorted((float(low), int(n)) for low, _, n in bars) == [(7.0, 4), (9.0, 3)]  # bins of one point each
    assert "평균 8.3점" in total and "학생 수" in total and "총점" in total
    per_exercise = text[text.index('aria-label="과제별 점수 분포 히스토그램"'):]
    per_exercise = per_exercise[:per_exercise.index("</svg>")]
    assert "손실 함수 (만점 5점)" in per_exercise and "수치 미분과 기울기 (만점 5점)" in per_exercise
    assert sum(int(n) for n in re.findall(r"점: (\d+)명</title>", per_exercise)) == 2 * len(rs)


def test_the_report_is_drawn_without_matplotlib():
    """No plotting library on the grading path: nothing to import, no font cache, no glyph warnings."""
    script = ("import sys, datetime; sys.path.insert(0, 'tests'); import test_class_report as t; "
              "t.render(); print('matplotlib' in sys.modules)")
    run = subprocess.run([sys.executable, "-W", "error", "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stdout + run.stderr


def test_one_untouched_stub_is_a_few_lines_not_one_per_test():
    """35 NotImplementedError tests from one stub: one line per distinct message, each naming its tests."""
    message = "아직 구현하지 않았습니다: exercises/losses.py의 sum_squared_error 함수를 완성하세요 (NotImplementedError)."
    stub = submission("stub", **{name: (Status.ERROR, "", "", message) for name in ("sse_a", "sse_b")},
                      diff=(Status.ERROR, "", "", "다른 메시지"), grad=(Status.ERROR, "", "", "다른 메시지"))
    text = render([stub, submission("alice")])
    trouble = text[text.index("실행 중 오류·시간 초과·메모리 초과 (1명)"):text.index("채점 불가 (")]
    assert trouble.count("<li>") == 2 and "테스트 2개: 손실 함수 · sse_a 테스트, 손실 함수 · sse_b 테스트" in trouble
    assert trouble.count(message) == 1


def test_the_header_shows_the_summary_the_console_prints():
    summary = summarize(results())
    line = summary.line()
    assert line.startswith("학생 9명: 제출 5명 · 지각 0명 · 미제출 1명 · 채점 불가 1명 · 채점기 문제 2명 | ")
    cards = re.findall(r'<div class="card"><b>([^<]+)</b><span>([^<]+)</span></div>', render(summary=summary))
    assert [f"{label} {value}" for value, label in cards] == re.split(r": | · | \| ", line)[:-2]  # all but 오류, 시간 초과
    assert 'id="late-policy"' not in render() and "지각 규칙" not in render()  # no deadline, no rule to show


def test_nothing_graded_gives_no_plot():
    text = render([SubmissionResult.missing("gina", 10)])
    assert "<svg" not in text and "그릴 점수가 없습니다" in text


# --- the people, the problems, the pairs ---------------------------------------------------


def test_students_link_to_their_feedback_files():
    rs = results()
    page = Page(render(rs))
    for result, slug in zip(rs, slugs(rs).values()):
        assert f"feedback/{quote(slug)}.md" in page.links(), result.name
    rows = {r[0]: r for r in page.body("students")}
    assert rows["bob"][1:4] == ["제출", "1/10", "0/5"]
    assert rows["dave"][1] == "제출 · 시간 초과, 오류"
    assert rows["gina"][1:3] == ["미제출", "0/10"] and rows["gina"][3] == "—"
    assert rows["hank"][1] == "채점기 문제"


def test_student_number_and_name_come_from_people():
    people = {"bob": ("20250001", "김밥"), HOSTILE: ("20250002", "<b>이름</b>")}
    for given in (people, people.get):
        page = Page(render(people=given))
        rows = {r[2]: r for r in page.body("students")}
        assert rows["bob"][:2] == ["20250001", "김밥"]
        assert rows["alice"][:2] == ["", ""]
        assert rows[HOSTILE][:2] == ["20250002", "<b>이름</b>"]
        assert "20250001 김밥 (bob)" in page.body("mistakes")[0][4]
    assert "학번" not in render()


def test_problems_are_sorted_and_grader_problems_are_not_the_students_fault():
    text = render()
    section = text[text.index('id="problems"'):text.index('id="students"')]
    internal = section[section.index("채점기 문제 (2명)"):section.index("실행 중 오류")]
    assert "학생의 잘못이 아닙니다" in internal
    assert "erin" in internal and "Traceback: worker died" in internal
    assert "hank" in internal and "샌드박스가 응답하지 않았습니다" in internal
    trouble = section[section.index("실행 중 오류·시간 초과·메모리 초과 (1명)"):section.index("채점 불가 (")]
    assert "dave" in trouble and "시간 초과" in trouble and "오류" in trouble and "bob" not in trouble
    assert "frank" in section[section.index("채점 불가 (1명)"):] and "exercises/ 폴더가 없습니다" in section
    assert "gina" in section[section.index("미제출 (1명)"):]


def test_similar_pairs_only_when_analysed_and_in_neutral_words():
    assert "확인해 볼 만한 쌍" not in render()
    pairs = [{"members": ["bob", HOSTILE], "tests": ["sse_a 테스트"], "token_similarity": 0.873, "note": "<i>주석</i>까지 같음"},
             {"members": ["carol", "dave"], "tests": [], "token_similarity": None, "note": ""}]
    text = render(similarity={"groups": pairs, "common": []})
    assert "같은 코드를 나눠 썼다는 증거가 아니라, 직접 확인해 볼 만한 단서입니다" in text
    assert "<!-- 확인해 볼 만한 쌍: 시작 -->" in text and "<!-- 확인해 볼 만한 쌍: 끝 -->" in text
    rows = Page(text).body("pairs")
    assert rows[0] == [f"bob, {HOSTILE}", "sse_a 테스트", "87%", "<i>주석</i>까지 같음"]
    assert rows[1][2] == "—" and len(rows) == 2
    assert "<i>주석</i>" not in text
    assert "알려진 실수로 설명되지 않는 오답" not in text  # no common answers, no table for them
    assert "비슷한 답안이 없습니다" in render(similarity={"groups": [], "common": []})


def test_common_unexplained_answers_are_shown_as_a_likely_unknown_mistake():
    common = [{"test": "losses: sse_b 테스트", "count": 31}, {"test": f"gradient: {HOSTILE}", "count": 5}]
    text = render(similarity={"groups": [], "common": common})
    section = text[text.index("<!-- 확인해 볼 만한 쌍: 시작 -->"):text.index("<!-- 확인해 볼 만한 쌍: 끝 -->")]
    assert "<h3 id=\"common-answers\">여러 학생이 똑같이 낸, 알려진 실수로 설명되지 않는 오답</h3>" in section
    assert "베끼기보다는 채점기가 아직 이름을 모르는 흔한 실수일 가능성이 큽니다" in section
    assert "비슷한 답안이 없습니다" in section  # no pair, yet the common answers show
    assert Page(text).body("pairs") == [["losses: sse_b 테스트", "31명"], [f"gradient: {HOSTILE}", "5명"]]
    assert HOSTILE not in text


# --- safety ---------------------------------------------------------------------------------


def test_submission_text_is_escaped():
    text = render(people={HOSTILE: ("1", HOSTILE)})
    assert HOSTILE not in text and "<script>alert(2)" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text
    page = Page(text)
    assert [tag for tag, _ in page.tags if tag in ("img", "iframe", "object", "embed", "link")] == []
    assert len(page.scripts) == 1
    assert not [attrs for tag, attrs in page.tags if any(name.startswith("on") for name in attrs)]


def test_the_page_loads_nothing_from_anywhere():
    text = render()
    page = Page(text)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if value and re.match(r"\s*(https?:)?//", value):
                assert (tag, name) == ("a", "href") and value.startswith(DOCS), (tag, name, value)
    assert not re.search(r"url\((?!#)|@import|<script[^>]*\bsrc=|<link\b", text)
    assert not [m for m in re.findall(r"https?://[^\s\"'<>]+", text) if not m.startswith(DOCS)]
    policy = next(attrs["content"] for tag, attrs in page.tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy  # the one script the page has may run


def test_written_atomically_where_asked(tmp_path):
    path = write_class_report(results(), tmp_path / "out" / REPORT_NAME, docs_url=None)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in path.parent.iterdir()] == [REPORT_NAME]


def test_site_url_from_mkdocs(tmp_path):
    (tmp_path / "with.yml").write_text('site_name: x\nsite_url: "https://a.example/b/"  # 주석\n', encoding="utf-8")
    (tmp_path / "without.yml").write_text("site_name: x\n# site_url: https://no.example/\n", encoding="utf-8")
    assert site_url(tmp_path / "with.yml") == "https://a.example/b/"
    assert site_url(tmp_path / "without.yml") is None
    assert site_url(tmp_path / "absent.yml") is None


def test_three_hundred_submissions_are_counted_as_students():
    """The cost of the page is in ``nox -s bench`` (the batch of 100 writes it); here only the counts."""
    rs = [submission(f"s{i:03d}", **({"sse_a": failed("sse_without_half", f"d{i % 7}")} if i % 3 else {}))
          for i in range(300)]
    assert Page(render(rs)).body("mistakes")[0][2] == "200명 (67%)"


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def graded_examples(tmp_path_factory):
    """``grade`` on the bundled examples: (output folder, its stdout)."""
    out = tmp_path_factory.mktemp("grade") / "out"
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "--out", str(out), "-q",
                          "--docs-url", DOCS], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "COLUMNS": "120", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    return out, run.stdout


def test_grade_writes_the_report_of_the_bundled_examples(graded_examples):
    out, stdout = graded_examples
    report = out / REPORT_NAME
    text = report.read_text(encoding="utf-8")
    names = sorted(p.name for p in (ROOT / "examples" / "submissions").iterdir() if p.is_dir())
    rows = Page(text).body("students")
    assert sorted(r[0] for r in rows) == names
    for link in Page(text).links():
        if not urlparse(link).scheme and not link.startswith("#"):
            assert (out / unquote(link)).is_file(), link  # every feedback link reaches its file
    assert "feedback/lee-junho.md" in Page(text).links()
    assert MISTAKES["forward_difference"].label in text  # lee-junho's central difference is a forward one
    assert "report.html" in stdout.splitlines()[-1]


# --- in the browser ---------------------------------------------------------------------------

ARTIFACTS = ROOT / "test-artifacts" / "report"


class WatchedReport:
    """A browser tab that records what a report does: requests, script errors, dialogs, CSP violations.

    Judged by what the page does, not by the browser's console wording (which moves between Chromium
    versions): a Content-Security-Policy violation is recorded by the page's own DOM event.
    """

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ko-KR")
        self.requests, self.events = [], []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.events.append(f"error: {exc}"))
        self.page.on("dialog", lambda dialog: (self.events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.page.add_init_script("""document.addEventListener('securitypolicyviolation', e =>
            (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));""")

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate("document.fonts.ready")
        return self.page

    def problems(self) -> list[str]:
        """Everything the page did beyond showing itself (empty for a well-behaved report)."""
        violations = self.page.evaluate("window.__violations || []")
        foreign = [url for url in self.requests if urlparse(url).scheme not in ("file", "data")]
        return self.events + [f"CSP violation: {v}" for v in violations] + [f"request: {u}" for u in foreign]


@pytest.fixture
def open_report(browser):
    """Opens a report file; afterwards asserts it asked for nothing but itself and ran no foreign code."""
    watched = WatchedReport(browser)
    yield watched.open
    problems = watched.problems()
    watched.context.close()
    assert watched.requests and not problems, problems


def korean_families() -> set[str]:
    listing = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True) \
        if shutil.which("fc-list") else None
    if listing is None or not listing.stdout.strip():
        unavailable("no Korean font (apt-get install fonts-nanum)")
    return {name.strip() for line in listing.stdout.splitlines() for name in line.split(",")}


def rendered_fonts(page, selector: str) -> set[str]:
    """The fonts Chromium actually drew the element's text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.browser
def test_report_in_chromium(open_report, graded_examples):
    page = open_report(graded_examples[0] / REPORT_NAME)
    sizes = page.evaluate("() => [...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect())"
                          ".map(r => [r.width, r.height])")
    assert len(sizes) == 2 and all(w > 200 and h > 100 for w, h in sizes), sizes
    assert page.locator("figure svg text", has_text="학생 수").count() >= 1
    fonts = rendered_fonts(page, "h1")
    assert fonts and fonts <= korean_families(), fonts  # every glyph of the title from a Korean font
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    small = readme_screenshot(ARTIFACTS / "report.png", ARTIFACTS / "report-small.png")
    assert small.stat().st_size < 400_000  # the README's is made the same way (tests/report_screenshot.py)


@pytest.mark.browser
def test_hangul_in_the_plots_is_drawn_with_a_korean_font(open_report, graded_examples):
    page = open_report(graded_examples[0] / REPORT_NAME)
    label = page.evaluate("""() => {
        const text = [...document.querySelectorAll('figure svg text')].find(t => t.textContent.includes('학생 수'));
        text.id = 'probe';
        return text.textContent;
    }""")
    assert "학생 수" in label
    fonts = rendered_fonts(page, "#probe")
    assert fonts & korean_families(), fonts


@pytest.mark.browser
def test_students_sort_by_a_clicked_column(open_report, graded_examples):
    page = open_report(graded_examples[0] / REPORT_NAME)
    table = page.locator("#students ~ div table")
    scores = "() => [...document.querySelectorAll('#students ~ div table tbody tr')].map(r => r.cells[2].dataset.sort)"
    table.locator("th", has_text="총점").click()
    ascending = [int(s) for s in page.evaluate(scores)]
    table.locator("th", has_text="총점").click()
    descending = [int(s) for s in page.evaluate(scores)]
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)
    assert ascending != descending


@pytest.mark.browser
def test_hostile_names_stay_text_in_chromium(open_report, tmp_path):
    path = write_class_report(results(), tmp_path / REPORT_NAME, slugs(results()), docs_url=DOCS,
                              similarity={"groups": [{"members": [HOSTILE, "bob"], "tests": [HOSTILE],
                                                      "token_similarity": 0.5, "note": "<script>alert(3)</script>"}],
                                          "common": [{"test": f"losses: {HOSTILE}", "count": 4}]})
    page = open_report(path)
    assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 1
    assert HOSTILE in page.inner_text("#students ~ div table")
    assert "<script>alert(3)</script>" in page.inner_text("#pairs + p + div table")
    assert HOSTILE in page.inner_text("#common-answers + p + div table")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)


@pytest.mark.browser
def test_the_browser_check_sees_what_the_policy_blocks(browser, tmp_path):
    """The check behind open_report can fail: a report with a foreign image and script is caught."""
    path = write_class_report(results(), tmp_path / REPORT_NAME, slugs(results()))
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace("</body>", '<img src="https://example.org/x.png"><script>window.ran = 1</script>'
                                            '</body>'), encoding="utf-8")
    watched = WatchedReport(browser)
    page = watched.open(path)
    problems = watched.problems()
    script_ran = page.evaluate("window.ran !== undefined")
    watched.context.close()
    assert not script_ran
    assert any("img-src" in p for p in problems) and any("script-src" in p for p in problems), problems
    assert any(p == "request: https://example.org/x.png" for p in problems), problems
