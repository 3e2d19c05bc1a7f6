"""The lecture site as a reader sees it: headless Chromium on the built site served from 127.0.0.1.

Needs Debian's ``/usr/bin/chromium`` (with ``fonts-nanum`` for Korean glyphs)
and Playwright's Python package, which drives that browser (no browser is
downloaded). Without them the tests skip, except when CI=true, where they fail.
Screenshots go to test-artifacts/docs/.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import inspect
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from autograder.catalog import BY_NAME, EXERCISES
from site_pages import LECTURE_PAGES, PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "docs"
MATH_PAGES = LECTURE_PAGES  # every page but the home page and the glossary typesets formulas


@pytest.fixture(scope="module")
def server(built_site):
    """The site built for this test run (conftest.built_site) on http://127.0.0.1:<free port>/."""
    site = built_site

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(browser, server):
    """A page whose every request to a host other than 127.0.0.1 is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    foreign = []

    def guard(route):
        url = route.request.url
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not foreign, f"the site tried to load from other hosts: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


def screenshot(page, name, full_page=True):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def open_page(page, server, path):
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


def test_chromium_has_a_korean_font(playwright_api):
    """Without one (apt-get install fonts-nanum) every Hangul glyph in the screenshots is a box."""
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True) \
        if shutil.which("fc-list") else None
    assert fonts is not None and fonts.stdout.strip(), "no Korean font: apt-get install fonts-nanum"


@pytest.mark.parametrize("path", MATH_PAGES)
def test_math_is_typeset_with_the_vendored_katex(page, server, path):
    open_page(page, server, path)
    page.wait_for_selector(".arithmatex .katex", timeout=15_000)
    state = page.evaluate("""() => ({
        formulas: document.querySelectorAll('.arithmatex').length,
        typeset: document.querySelectorAll('.arithmatex .katex').length,
        raw: [...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'))
               .map(e => e.textContent.slice(0, 60)),
        errors: document.querySelectorAll('.katex-error').length,
        katexFonts: [...document.fonts].filter(f => f.family.includes('KaTeX'))
               .map(f => f.status).reduce((n, s) => ({...n, [s]: (n[s] || 0) + 1}), {}),
    })""")
    assert state["formulas"] > 0
    assert not state["raw"], f"formulas left as source: {state['raw']}"
    assert state["typeset"] >= state["formulas"]
    assert state["errors"] == 0
    text = page.inner_text(".md-content")
    assert not [d for d in ("$$", "\\(", "\\[") if d in text], "formula delimiters left in the text"
    assert state["katexFonts"].get("loaded", 0) > 0 and not state["katexFonts"].get("error"), state["katexFonts"]
    screenshot(page, path.strip("/"))


@pytest.mark.parametrize("path", PAGES)
def test_figures_load(page, server, path):
    open_page(page, server, path)
    images = page.evaluate("""() => [...document.querySelectorAll('.md-content img')].map(
        img => ({src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0}))""")
    assert all(image["ok"] for image in images), [i["src"] for i in images if not i["ok"]]
    if path in MATH_PAGES:
        assert images, f"{path} shows no figure"
    if not path:
        screenshot(page, "index")


@pytest.mark.parametrize("exercise", [e.name for e in EXERCISES])
def test_api_reference_shows_the_stub_signature(page, server, exercise):
    open_page(page, server, BY_NAME[exercise].docs_page)
    module = importlib.import_module(f"exercises.{exercise}")
    headings = page.evaluate("() => [...document.querySelectorAll('.doc-heading')].map(h => h.innerText)")
    for name in BY_NAME[exercise].functions:
        signature = f"{name}{inspect.signature(getattr(module, name))}".replace(" ", "")
        assert any(signature in h.replace(" ", "").replace("\n", "") for h in headings), (signature, headings)
    labels = page.evaluate("() => [...document.querySelectorAll('.doc-contents')].map(e => e.innerText).join(' ')")
    assert "인수:" in labels and "반환값:" in labels


def search(page, query):
    """Type ``query`` into Material's search box; the result links, best first."""
    page.click("label.md-search__icon, .md-search__input", timeout=10_000)
    page.locator("input.md-search__input").press_sequentially(query, delay=20)  # Material listens to keys
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.wait_for_timeout(300)  # results update once more as the last keys arrive
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item > a')]
        .map(a => new URL(a.href).pathname)""")


@pytest.mark.parametrize("query, expected, artifact, within", [
    ("경사 하강법", "/gradient_descent/", "search-korean", 1),
    ("numerical_gradient", "/gradient/", "search-code", 2),  # exercise 4's page uses it a lot, too
    # A word typed alone stays in the Korean IME's composition until a space commits it.
    ("일반화 ", "/overfitting/", "search-generalization", 3),  # issue 12, fix 4: the term is on the page
    ("에폭 ", "/two_layer_net/", "search-epoch", 3),
])
def test_search_finds_the_right_page(page, server, query, expected, artifact, within):
    open_page(page, server, "")
    results = search(page, query)
    screenshot(page, artifact, full_page=False)
    assert results, query
    pages = list(dict.fromkeys(results))  # a page and its sections, best first
    assert expected in pages[:within], (query, pages)
    shown = page.inner_text(".md-search-result")
    assert "\\(" not in shown and "\\[" not in shown, "formulas in the search results were not typeset"


def test_glossary_term_shows_its_definition_on_hover(page, server):
    open_page(page, server, "two_layer_net/")
    term = page.locator(".md-content abbr", has_text="미니배치").first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")  # Material's tooltip (feature content.tooltips)
    tooltip.wait_for(state="visible", timeout=10_000)
    assert "mini-batch" in tooltip.inner_text()
    screenshot(page, "glossary-tooltip", full_page=False)


def test_figure_opens_enlarged(page, server):
    open_page(page, server, "two_layer_net/")
    figure = page.locator(".md-content a.glightbox").first
    figure.scroll_into_view_if_needed()
    width_on_page = figure.locator("img").bounding_box()["width"]
    figure.click()
    enlarged = page.locator(".gslide.current img")
    enlarged.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(500)  # the opening animation
    assert enlarged.bounding_box()["width"] > width_on_page
    screenshot(page, "lightbox", full_page=False)


def test_terminal_table_columns_line_up(page, server):
    """The check output's box table: every row ends at the same x, in the browser's fonts (Hangul too)."""
    open_page(page, server, "")
    ends = page.evaluate("""() => {
        const block = document.querySelector('.terminal pre');
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        const chars = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode())
            for (let i = 0; i < node.data.length; i++) chars.push([node, i, node.data[i]]);
        const lines = [[]];
        for (const c of chars) c[2] === '\\n' ? lines.push([]) : lines[lines.length - 1].push(c);
        return lines.filter(l => l.length && '┏┃┡│└'.includes(l[0][2])).map(l => {
            const [node, i] = l[l.length - 1], range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            return {right: range.getBoundingClientRect().right, text: l.map(c => c[2]).join('')};
        });
    }""")
    assert len(ends) >= 6, ends
    rights = [e["right"] for e in ends]
    assert max(rights) - min(rights) < 1.5, ends
    screenshot(page, "terminal", full_page=False)


def test_answers_are_folded_until_opened(page, server):
    open_page(page, server, "two_layer_net/")
    answer = page.locator("#확인-문제 ~ ol details.success").first
    answer.scroll_into_view_if_needed()
    body = answer.locator("p").first
    assert not body.is_visible()
    answer.locator("summary").click()
    body.wait_for(state="visible", timeout=5_000)
    assert body.inner_text().strip()


@pytest.mark.parametrize("path", PAGES)
def test_every_table_shows_all_its_columns_at_1280_px(page, server, path):
    """A wide table (the network overfitting lab had 9 columns) hid the columns the text cites behind a scroll bar."""
    open_page(page, server, path)
    tables = page.evaluate("""() => [...document.querySelectorAll('.md-content table')].map(t => {
        const frame = t.closest('.md-typeset__table, .md-typeset__scrollwrap') || t.parentElement;
        return {columns: t.rows[0] ? t.rows[0].cells.length : 0, width: t.scrollWidth,
                visible: Math.min(frame.clientWidth, document.querySelector('.md-content').clientWidth),
                head: t.rows[0] ? t.rows[0].innerText.slice(0, 60) : ''};
    })""")
    hidden = [t for t in tables if t["width"] > t["visible"] + 1]
    assert not hidden, hidden


def test_hangul_in_the_terminal_block_is_not_spread_apart(page, server):
    """Each Hangul run keeps its terminal width (2 columns a syllable), but its syllables sit together."""
    open_page(page, server, "")
    runs = page.evaluate("""() => [...document.querySelectorAll('.terminal .cells.wide')].filter(
        s => s.textContent.length >= 3).slice(0, 20).map(s => {
        const node = s.firstChild, gaps = [];
        for (let i = 0; i + 1 < node.data.length; i++) {
            const a = document.createRange(), b = document.createRange();
            a.setStart(node, i); a.setEnd(node, i + 1); b.setStart(node, i + 1); b.setEnd(node, i + 2);
            const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
            gaps.push((rb.left - ra.right) / parseFloat(getComputedStyle(s).fontSize));
        }
        return {text: s.textContent, spacing: getComputedStyle(s).letterSpacing, gaps: gaps};
    })""")
    assert runs
    for run in runs:
        assert run["spacing"] == "normal" and max(run["gaps"]) < 0.05, run  # in em


def explorer_state(page) -> dict:
    return page.evaluate("""() => ({
        rate: document.querySelector('.descent-explorer .rate').textContent,
        points: Number(document.querySelector('.descent-explorer .path').dataset.points),
        start: document.querySelector('.descent-explorer .path').dataset.start,
        first: [...document.querySelectorAll('.descent-explorer .path circle')].slice(0, 1)
               .map(c => [Number(c.getAttribute('cx')), -Number(c.getAttribute('cy'))])[0],
        lossPoints: Number(document.querySelector('.descent-explorer .loss-chart').dataset.points),
        brokenMarks: document.querySelectorAll('.descent-explorer .loss-chart .mark.broken').length,
        readout: document.querySelector('.descent-explorer .readout').textContent,
    })""")


def set_rate(page, rates, rate):
    page.locator("#descent-explorer-rate").evaluate(
        "(e, i) => { e.value = String(i); e.dispatchEvent(new Event('input')); }", rates.index(rate))


def test_learning_rate_explorer_works_offline(page, server):
    """The slider and the start change the path, the loss curve and the readout; every number shown is the
    reference's (recomputed here); η = 10 marks where the numerical gradient breaks down. The page fixture
    fails the test on any request to another host and on any script error."""
    import re

    import numpy as np

    from solutions.gradient_descent import gradient_descent

    open_page(page, server, "gradient_descent/")
    page.wait_for_selector(".descent-explorer .controls", timeout=10_000)
    data = page.evaluate("() => window.DESCENT_EXPLORER")
    rates, steps = data["rates"], data["steps"]
    f2 = lambda v: v[0] ** 2 + v[1] ** 2  # noqa: E731
    for rate in (rates[0], 0.1, 0.95, 1.1, 10.0):
        set_rate(page, rates, rate)
        state = explorer_state(page)
        assert state["rate"] == f"{rate:g}" and state["points"] == state["lossPoints"] == steps + 1
        end = [float(v) for v in re.search(r"x = \(([^,]+), ([^)]+)\)", state["readout"]).groups()]
        x, _ = gradient_descent(f2, np.array(data["starts"][0]), lr=rate, step_num=steps)
        assert np.allclose(end, x, rtol=2e-3), (rate, end, x)
        assert (state["brokenMarks"] == 1) == (rate == 10.0), (rate, state["readout"])
    from solutions.gradient import numerical_gradient

    _, history = gradient_descent(f2, np.array(data["starts"][0]), lr=10.0, step_num=steps)
    broken = next(k for k, p in enumerate(history) if np.max(np.abs(numerical_gradient(f2, p.copy()) - 2 * p)
                                                              / np.abs(2 * p)) > 0.01)
    assert f"{broken}번째 위치에서 참값 2x와 1% 넘게" in state["readout"], state["readout"]
    page.locator(".descent-explorer").scroll_into_view_if_needed()
    screenshot(page, "descent-explorer-lr10", full_page=False)
    page.select_option("#descent-explorer-start", "2")
    state = explorer_state(page)
    assert state["start"] == ",".join(f"{v:g}" for v in data["starts"][2]) and np.allclose(state["first"],
                                                                                           data["starts"][2])
    target = data["starts"][3]  # a click on the contour plot picks the nearest start
    box = page.locator(".descent-explorer svg.contour").bounding_box()
    page.mouse.click(box["x"] + box["width"] * (target[0] + 5) / 10, box["y"] + box["height"] * (5 - target[1]) / 10)
    assert page.locator("#descent-explorer-start").input_value() == "3"
    assert explorer_state(page)["start"] == ",".join(f"{v:g}" for v in target)
