"""The lecture site: strict build, offline, and every number, example and claim tied to the reference.

The site is built once per test run (``mkdocs build --strict`` into a temporary
folder, the session fixture ``built_site`` the browser tests share);
the expected values are computed here from ``solutions/`` and
``autograder.catalog``, never copied from a previous build.
"""

from __future__ import annotations

import doctest
import html
import importlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from autograder.assign.leaks import find_leaks, hidden_test_names, solution_expressions, solution_lines
from autograder.catalog import EXERCISES, test_inventory
from autograder.suites.textbook import (DESCENT_LR, DESCENT_START, DESCENT_STEPS, DIFF_POINTS,
                                         GRADIENT_POINTS, LABEL, T_ONE_HOT, Y_RIGHT, Y_WRONG)
from solutions import digits as ref_digits
from solutions import functions as ref_functions
from solutions import gradient as ref_gradient
from solutions import gradient_descent as ref_descent
from solutions import losses as ref_losses
from solutions import two_layer_net as ref_net

import particles
from site_pages import LECTURE_PAGES, PAGES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(built_site):
    """The site, built once per test run and shared with the browser tests (conftest.built_site)."""
    return built_site


class Elements(HTMLParser):
    """Text of the whole page, of every element matching ``want(tag, attrs)``, and every tag's attributes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, want=lambda tag, attrs: False):
        super().__init__(convert_charrefs=True)
        self.want = want
        self.tags: list[tuple[str, dict]] = []
        self.matches: list[str] = []
        self.text: list[str] = []
        self._open: list[list] = []  # [tag, depth, parts] of matching elements being read
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in self.VOID:
            return
        self._depth += 1
        if self.want(tag, attrs):
            self._open.append([tag, self._depth, []])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self._open and self._open[-1][0] == tag and self._open[-1][1] == self._depth:
            self.matches.append("".join(self._open.pop()[2]))
        self._depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        for element in self._open:
            element[2].append(data)


def parse(path: Path, want=lambda tag, attrs: False) -> Elements:
    parser = Elements(want)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_text(site: Path, page: str) -> str:
    return " ".join(parse(site / page / "index.html").text)


def has_class(name):
    return lambda tag, attrs: name in (attrs.get("class") or "").split()


# --- the build ---------------------------------------------------------------------------------------


def test_every_page_and_exercise_page_is_built(site):
    for page in PAGES:
        assert (site / page / "index.html").is_file(), page
    for exercise in EXERCISES:  # the grader's reports link to these pages
        assert (site / exercise.docs_page / "index.html").is_file(), exercise.docs_page


def test_no_placeholder_is_left(site):
    for page in PAGES:
        assert not re.search(r"\{\{ *\w+ *\}\}", (site / page / "index.html").read_text(encoding="utf-8")), page


def test_figures_are_made_at_build_time_and_need_no_font(site):
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if tracked:  # a source tarball has no git metadata; a checkout must not track images
        assert not [p for p in tracked if p.endswith((".svg", ".png", ".jpg"))]
    images = []
    for page in PAGES:
        for tag, attrs in parse(site / page / "index.html").tags:
            if tag == "img":
                target = (site / page / attrs["src"]).resolve()
                assert target.is_file(), f"{page}: {attrs['src']}"
                assert attrs.get("alt"), f"{page}: {attrs['src']} has no alt text"
                images.append(target)
    assert len({p.name for p in images}) >= 17
    for svg in set(images):
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert not any(el.tag.endswith("}text") for el in root.iter()), f"{svg.name}: text not stored as paths"


# --- offline -----------------------------------------------------------------------------------------

LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
           "embed": "src", "object": "data"}


def _remote(url: str) -> bool:
    url = url.strip()
    return bool(urlparse(url).netloc) or url.startswith("//")


def test_site_loads_nothing_from_another_host(site):
    for page in site.rglob("*.html"):
        for tag, attrs in parse(page).tags:
            url = attrs.get(LOADING.get(tag, ""), "") or ""
            if tag == "link" and attrs.get("rel") != "canonical":
                url = attrs.get("href", "")
            assert not _remote(url), f"{page.relative_to(site)}: <{tag}> loads {url}"
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", page.read_text(encoding="utf-8")):
            assert not _remote(url), f"{page.relative_to(site)}: style loads {url}"
        assert "@import" not in page.read_text(encoding="utf-8")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            assert not _remote(url), f"{css.relative_to(site)} loads {url}"


def test_katex_is_vendored_with_its_licence_and_fonts(site):
    vendor = site / "assets" / "vendor" / "katex"
    licence = (ROOT / "docs" / "assets" / "vendor" / "katex" / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Khan Academy" in licence
    css = (vendor / "katex.min.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)
    assert len(fonts) >= 10
    for font in fonts:
        assert (vendor / font).is_file(), font
    scripts = {attrs["src"] for tag, attrs in parse(site / "losses" / "index.html").tags if tag == "script" and "src" in attrs}
    assert {"../assets/vendor/katex/katex.min.js", "../assets/vendor/katex/contrib/auto-render.min.js"} <= scripts


# --- numbers quoted in the text ----------------------------------------------------------------------


def r4(value) -> str:
    return repr(round(float(value), 4))


def test_loss_values_are_the_references(site):
    text = page_text(site, "losses")
    batch = np.stack([Y_RIGHT, Y_WRONG])
    expected = {
        "SSE, right": ref_losses.sum_squared_error(Y_RIGHT, T_ONE_HOT),
        "SSE, wrong": ref_losses.sum_squared_error(Y_WRONG, T_ONE_HOT),
        "CEE, right": ref_losses.cross_entropy_error(Y_RIGHT, T_ONE_HOT),
        "CEE, wrong": ref_losses.cross_entropy_error(Y_WRONG, T_ONE_HOT),
        "CEE, batch of labels": ref_losses.cross_entropy_error(batch, np.array([LABEL, LABEL])),
        "SSE, batch": ref_losses.sum_squared_error(batch, np.stack([T_ONE_HOT, T_ONE_HOT])),
    }
    for what, value in expected.items():
        assert r4(value) in text, what
    for what in ("SSE, right", "SSE, wrong", "CEE, right", "CEE, wrong"):  # quoted in formulas: E = … = 0.5108
        assert re.search(rf"E = (?:[^()=]*= )?{re.escape(r4(expected[what]))}\\\)", text), what


def test_derivative_and_gradient_values_are_the_references(site):
    text = page_text(site, "gradient")
    f1 = lambda x: 0.01 * x**2 + 0.1 * x  # noqa: E731
    for x in DIFF_POINTS:
        assert repr(ref_gradient.numerical_diff(f1, x)) in text
    for point in GRADIENT_POINTS:
        assert repr(ref_gradient.numerical_gradient(lambda v: v[0] ** 2 + v[1] ** 2, point.copy())) in text


def test_descent_values_are_the_references(site):
    text = page_text(site, "gradient_descent")
    f2 = lambda v: v[0] ** 2 + v[1] ** 2  # noqa: E731
    x, history = ref_descent.gradient_descent(f2, DESCENT_START.copy(), lr=DESCENT_LR, step_num=DESCENT_STEPS)
    assert str(x) in text
    assert " ".join(repr(history[:3]).split()) in " ".join(text.split())
    for lr in (10.0, 1e-10):  # the textbook's too-large and too-small learning rates
        x, _ = ref_descent.gradient_descent(f2, DESCENT_START.copy(), lr=lr, step_num=DESCENT_STEPS)
        assert np.array2string(x, precision=8) in text


def test_grading_table_matches_the_suites(site):
    inventory = test_inventory()
    rows = parse(site / "index.html", lambda tag, attrs: tag == "tr").matches
    for exercise in EXERCISES:
        tests = [t for t in inventory if t["exercise"] == exercise.name]
        public = sum(t["points"] for t in tests if t["visibility"] == "public")
        hidden = sum(t["points"] for t in tests if t["visibility"] == "hidden")
        row = [r.split() for r in rows if exercise.name in r.split() and r.split()[-1].isdigit()]
        assert row, exercise.name
        assert row[0][-3:] == [str(public), str(hidden), str(public + hidden)], exercise.name
        # Each exercise page lists every test with its points.
        text = page_text(site, exercise.docs_page.rstrip("/"))
        for test in tests:
            assert test["title"] in text, test["title"]
        assert f"{public + hidden}점" in text
    total = sum(t["points"] for t in inventory)
    assert f"{total}점 만점" in page_text(site, "")


def test_sample_feedback_is_the_graders_output(site):
    """The home page shows what the grader really prints for a sample submission."""
    from autograder.grade.engine import PUBLIC, Grader

    with Grader(visibility=(PUBLIC,)) as grader:
        result = grader.grade(ROOT / "examples" / "submissions" / "lee-junho")
    blocks = parse(site / "index.html", has_class("terminal")).matches
    assert len(blocks) == 2, "the check output and the hidden-test feedback are terminal blocks"
    text = " ".join(" ".join(blocks).split()) + " " + " ".join(page_text(site, "").split())
    failed = [t for e in result.exercises for t in e.tests if t.status != "passed"]
    assert failed, "the sample submission should fail a public test, or the example shows nothing"
    for test in failed:  # the console wraps long lines at spaces: compare with whitespace normalised
        assert " ".join(test.message.split()) in text, test.message
    assert f"{result.score}/{result.max_score}" in text


# --- claims made in the text -------------------------------------------------------------------------


def slide_function(x):
    return x[0] ** 3 + 7 * x[0] ** 2 + 8 * x[1] ** 3 - 2 * x[1] + 7


def test_slide_partials_correction_is_right(site):
    """The slides' f1, f2 are not the partials of function (1); the page's corrected ones are."""
    rng = np.random.default_rng(0)
    for point in rng.uniform(-2, 2, size=(5, 2)):
        numerical = ref_gradient.numerical_gradient(slide_function, point.copy())
        x1, x2 = point
        corrected = np.array([3 * x1**2 + 14 * x1, 24 * x2**2 - 2])
        printed = np.array([6 * x1 * x2 - x2**3, 3 * x1**2 - 3 * x1 * x2**2])
        origin = ref_gradient.numerical_gradient(lambda v: 3 * v[0] ** 2 * v[1] - v[0] * v[1] ** 3, point.copy())
        assert np.allclose(numerical, corrected, rtol=1e-6, atol=1e-6)
        assert not np.allclose(numerical, printed, rtol=1e-2)
        assert np.allclose(origin, printed, rtol=1e-6, atol=1e-6)
    source = (ROOT / "docs" / "gradient.md").read_text(encoding="utf-8")
    assert r"3x_1^2 + 14x_1" in source and r"24x_2^2 - 2" in source
    assert "슬라이드 예제 바로잡기" in page_text(site, "gradient")


@pytest.fixture(scope="module")
def experiments():
    from hooks import experiments as module

    return module, module.load_reference()


def test_overfitting_experiment_shows_what_the_page_says(site, experiments):
    E, ref = experiments
    result = E.overfitting(ref)
    base = result["base"]
    test_curve, train_curve = base["test_curve"], base["train_curve"]
    assert base["best_step"] < base["steps"][-1] // 10  # test loss bottoms out early ...
    assert base["test"] > 5 * base["best_test"]  # ... and then grows
    assert train_curve[-1] < train_curve[0] and np.all(np.diff(train_curve) <= 1e-12)  # train loss keeps falling
    assert base["train"] < result["noise_floor"] < base["test"]
    for remedy in ("more_data", "simpler", "weight_decay"):
        assert result[remedy]["test"] < base["test"] / 10, remedy
    assert result["more_data"]["train"] > base["train"]
    text = page_text(site, "overfitting")
    for value in (base["train"], base["test"], base["best_test"], result["more_data"]["test"],
                  result["simpler"]["test"], result["weight_decay"]["test"]):
        assert r4(value) in text
    assert str(base["best_step"]) in text
    # The losses plotted are the reference's sum_squared_error of the fitted polynomial.
    assert np.isclose(test_curve[-1], base["test"]) and np.isclose(train_curve[-1], base["train"])


def test_learning_rate_claims(site, experiments):
    E, ref = experiments
    text = page_text(site, "gradient_descent")
    ratios = {}
    for path in E.descent_paths(ref):
        h = path["history"]
        ratio = h[1:, 0] / h[:-1, 0]
        assert np.allclose(ratio, 1 - 2 * path["lr"], rtol=1e-4), path["lr"]  # x ← (1 − 2η) x, every step
        ratios[path["key"]] = ratio[0]
        assert f"{ratio[0]:.4g}" in text
    assert 0 < ratios["good"] < 1 and -1 < ratios["zigzag"] < 0 and ratios["diverge"] < -1
    assert 0.9 < ratios["small"] < 1
    minimum = E.local_minimum(ref)
    small, large = minimum["runs"]
    slope = lambda x: 4 * x**3 - 6 * x + 1  # noqa: E731 - f'(x) of x⁴ − 3x² + x
    assert small["x"] > 0 and large["x"] < 0  # small η stays in the right valley, large η crosses the hill
    assert abs(slope(small["x"])) < 1e-3 and abs(slope(large["x"])) < 1e-3
    assert E.bumpy(np.array([large["x"]])) < E.bumpy(np.array([small["x"]]))
    assert f"{small['x']:.4f}" in text and f"{large['x']:.4f}" in text


def test_accuracy_has_no_slope_but_the_loss_has(site, experiments):
    E, ref = experiments
    data = E.why_loss(ref)
    assert data["d_accuracy"] == 0.0 and data["d_loss"] < 0
    assert len(set(data["accuracy"])) < 10  # a staircase: only a few distinct values
    assert np.all(np.abs(np.diff(data["loss"])) < 0.05)  # the loss changes smoothly
    text = page_text(site, "why-loss")
    assert r4(data["d_loss"]) in text and repr(float(data["d_accuracy"])) in text


# --- examples, grader quotes, API --------------------------------------------------------------------


def test_page_examples_run_against_the_reference(site):
    """Every ``pycon`` example on the site (API docstrings included) gives the shown output."""
    parser = doctest.DocTestParser()
    ran = 0
    for page in PAGES:
        blocks = parse(site / page / "index.html", has_class("language-pycon")).matches
        globs = {"np": np, **{n: getattr(m, n) for m in (ref_losses, ref_gradient, ref_descent, ref_functions,
                                                          ref_digits, ref_net)
                              for n in dir(m) if not n.startswith("_")}}
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        for i, block in enumerate(blocks):
            source = html.unescape(block).replace("from exercises.", "from solutions.")
            test = parser.get_doctest(source, globs, f"{page or 'index'}#{i}", None, 0)
            runner.run(test, clear_globs=False)
            globs.update(test.globs)  # a page's examples share one session, like a reader's Python
        result = runner.summarize(verbose=False)
        assert result.failed == 0, f"{page}: {result.failed} example(s) differ from the reference (see output)"
        ran += result.attempted
    assert ran >= 60


def test_quoted_grader_messages_are_the_graders(site):
    """Every grader message quoted on the site stands in a «자주 하는 실수» table, made at build time by
    grading an example submission (the next test grades them again and compares)."""
    quotes = [q for page in PAGES for q in parse(site / page / "index.html", has_class("grader")).matches]
    in_tables = [row[3] for exercise in EXERCISES for row in mistake_rows(site, exercise.docs_page)]
    assert len(quotes) >= 30 and sorted(" ".join(q.split()) for q in quotes) == sorted(in_tables)


def heading_ids(site: Path, page: str) -> set[str]:
    return {attrs.get("id") for tag, attrs in parse(site / page / "index.html").tags
            if re.fullmatch(r"h[1-6]", tag) and attrs.get("id")}


def test_every_link_of_the_graders_messages_is_a_heading_of_the_site(site):
    """A failed test links to its catalogued mistake's section, else to its exercise's theory section
    (autograder/report/links.py): every possible target is a real heading of the built site."""
    from autograder.grade.result import Status, TestResult
    from autograder.report.links import page_link, section, test_link
    from autograder.suites.mistakes import MISTAKES

    targets = set()
    for exercise in EXERCISES:
        for key in ("", *MISTAKES):
            test = TestResult(exercise.name, "t", "제목", "public", 0, 1, Status.FAILED, "설명", key)
            targets.add(section(test))
            assert test_link(test, "https://site.example/x/") == page_link(section(test), "https://site.example/x/")
    assert len(targets) >= 15
    for target in sorted(targets):
        page, _, anchor = target.partition("#")
        assert anchor and anchor in heading_ids(site, page), f"{target}: no such heading on the built site"


MISTAKES_HEADING = "자주-하는-실수와-채점기가-알아채는-방법"


def mistake_rows(site: Path, page: str) -> list[list[str]]:
    """The cells (text) of each row of the page's «자주 하는 실수» table."""
    source = (site / page / "index.html").read_text(encoding="utf-8")
    start = source.index(f'id="{MISTAKES_HEADING}"')
    table = source[source.index("<table>", start):source.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in cells] + [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split())
            for m in re.findall(r'<q class="grader">(.*?)</q>', row, flags=re.S)])
    return rows


def test_mistake_tables_are_the_catalogue_in_the_graders_words(site, grader, tmp_path):
    """Each exercise page's table lists catalogued mistakes only, in the catalogue's order, with the catalogue's
    label and "how"; together the pages list the whole catalogue. Each quoted message is what the sandboxed
    grader says, here and now, about the example submission that makes the mistake."""
    from autograder.suites.mistakes import MISTAKES
    from conftest import make_submission
    from hooks.mistake_examples import EXAMPLES as examples

    by_label = {m.label: key for key, m in MISTAKES.items()}
    order = list(MISTAKES)
    shown = set()
    for exercise in EXERCISES:
        rows = mistake_rows(site, exercise.docs_page)
        keys = [by_label[row[0]] for row in rows]  # a label the catalogue lacks fails here
        assert keys == sorted(keys, key=order.index) and len(set(keys)) == len(keys), exercise.name
        mine = {key: edits for key, name, edits in examples if name == exercise.name}
        assert set(keys) == set(mine), exercise.name
        for key, row in zip(keys, rows):
            assert row[1] == " ".join(MISTAKES[key].how.replace("`", "").split()), row
            folder = make_submission(tmp_path / f"{exercise.name}-{key}", replace={f"{exercise.name}.py": mine[key]})
            said = [t for t in grader.grade(folder).tests() if t.exercise == exercise.name and t.mistake == key]
            assert said and row[3] == " ".join(said[0].message.split()), (key, row[3])
            assert said[0].title in row[2]
        shown |= set(keys)
    assert shown == set(MISTAKES)


class Prose(HTMLParser):
    """A page's running text: code spans marked (tests/particles.py), code blocks and display formulas left out."""

    BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "dd", "dt", "summary", "tr",
              "table", "ul", "ol", "dl", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or tag in ("pre", "script", "style") or (tag == "div" and "arithmatex" in classes):
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "code":
            self.parts.append(particles.CODE_START)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
        elif tag == "code":
            self.parts.append(particles.CODE_END)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def test_particles_attach_to_code_formulas_and_numbers(site):
    """"`x`를", not "`x` 를"; "\\(\\lambda = 0.003\\)을", not "…를" (where the reading decides): on every page,
    API reference, quoted grader messages and test titles included."""
    found = []
    for page in PAGES:
        prose = Prose()
        prose.feed((site / page / "index.html").read_text(encoding="utf-8"))
        found += [f"{page or 'index'}: {problem}" for problem in particles.problems("".join(prose.parts))]
    assert not found, "\n".join(found)


def test_api_reference_documents_the_stubs_in_korean(site):
    for exercise in EXERCISES:
        module = importlib.import_module(f"exercises.{exercise.name}")
        text = " ".join(page_text(site, exercise.docs_page.rstrip("/")).split())
        for name in exercise.functions:  # e.g. numerical_diff(f, x, h=0.0001), as the stub defines it
            signature = f"{name}{inspect.signature(getattr(module, name))}"
            assert signature.replace(" ", "") in text.replace(" ", ""), signature
        assert "인수:" in text and "반환값:" in text and "예시:" in text
        assert "Parameters:" not in text and "Returns:" not in text


def test_site_contains_no_solution_code_or_hidden_test_names(site):
    """The build's own hook already refused leaks; the same scanner finds none in the built site."""
    assert len(solution_lines()) >= 10 and len(solution_expressions()) >= 10 and hidden_test_names()
    assert list(site.rglob("*.html")) and (site / "search" / "search_index.json").is_file()
    assert not find_leaks(site, hidden_names=hidden_test_names())


def _leak_hook():
    from hooks import leaks

    return leaks


@pytest.mark.parametrize("planted", [
    # a solution expression inside a highlighted code block: one <span> per token
    '<pre><code><span class="n">d</span> <span class="o">=</span> <span class="p">(</span>f(x <span class="o">+</span> h)'
    ' <span class="o">-</span> f(x <span class="o">-</span> h)) <span class="o">/</span> (<span class="mi">2</span> * h)'
    '</code></pre>',
    "<p>numerical_gradient_restores_x 테스트</p>",  # a hidden test's name
])
def test_docs_build_stops_when_the_site_would_leak(site, tmp_path, planted):
    """``hooks/leaks.py`` runs after every build (mkdocs.yml): a leaking site is an error, a clean one is not."""
    from mkdocs.exceptions import PluginError

    hook = _leak_hook()
    assert "hooks/leaks.py" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    copy = shutil.copytree(site, tmp_path / "site")
    hook.on_post_build({"site_dir": str(copy)})  # the real site passes
    page = copy / "gradient" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1),
                    encoding="utf-8")
    with pytest.raises(PluginError, match="드러납니다"):
        hook.on_post_build({"site_dir": str(copy)})


def test_instructor_guide_is_not_on_the_student_site(site):
    """The instructor guide says where hidden tests can be read: it lives in the private repository only."""
    assert (ROOT / "INSTRUCTOR.md").is_file() and not (ROOT / "docs" / "instructor.md").exists()
    assert not (site / "instructor").exists()
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "instructor" not in text.lower() and "강사용" not in text, path.relative_to(site)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if "instructor" in d["location"] or "강사용" in d["title"]]


# --- search and anchors ------------------------------------------------------------------------------


def test_korean_headings_have_readable_anchors(site):
    ids = [attrs.get("id", "") for tag, attrs in parse(site / "losses" / "index.html").tags if tag in ("h2", "h3")]
    assert "손실-함수란" in ids and "채점-항목" in ids
    assert not [i for i in ids if re.fullmatch(r"_\d*", i)]


def test_search_index_splits_code_names(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    assert [w for w in separator.split("gradient_descent(f, init_x)") if w] == ["gradient", "descent", "f", "init", "x"]
    assert [w for w in separator.split("numerical_gradient") if w] == ["numerical", "gradient"]
    by_location = {doc["location"]: doc for doc in index["docs"]}
    assert "경사 하강법" in by_location["gradient_descent/"]["title"]
    assert any("numerical_gradient" in doc["text"] for loc, doc in by_location.items() if loc.startswith("gradient/"))


# --- publishing --------------------------------------------------------------------------------------


def test_pages_workflow_is_valid_and_builds_with_nox():
    workflow = ROOT / ".github" / "workflows" / "docs.yml"
    check = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                            str(workflow)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    import yaml

    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    steps = jobs["build"]["steps"]
    assert any(step.get("run") == "nox -s docs" for step in steps)
    uses = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert "actions/checkout@v6" in uses and "actions/setup-python@v6" in uses  # Node 24 majors
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in jobs["deploy"]["steps"])


# --- exercise 4: the training page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(site):
    """The runs the build used (hooks/training.py reads them from the cache the build just filled)."""
    from hooks import training

    return training, training.results()


def r4s(values):
    return [r4(v) for v in values]


def test_learning_curves_are_the_reference_train(site, runs):
    """The whole page run, recomputed here with the reference TwoLayerNet and train()."""
    training, results = runs
    cfg = training.MAIN
    (x_train, t_train), (x_test, t_test) = ref_digits.load_digits()
    net = ref_net.TwoLayerNet(64, cfg["hidden"], 10, weight_init_std=cfg["init_std"],
                              rng=np.random.default_rng(cfg["seed"]))
    history = ref_net.train(net, x_train, t_train, x_test, t_test, iters=cfg["iters"], batch_size=cfg["batch"],
                            lr=cfg["lr"], rng=np.random.default_rng(cfg["seed"] + 1))
    for key, value in history.items():
        assert np.array_equal(results["main"][key], value), key  # what the figures were drawn from
    text = page_text(site, "two_layer_net")
    per_epoch = len(x_train) // cfg["batch"]
    assert f"= {per_epoch}" in text and f"{len(history['test_acc'])}번" in text
    for value in (history["train_loss"][0], history["train_loss"][-1], history["train_acc"][-1],
                  history["test_acc"][-1], history["test_loss"][-1], history["train_acc"][0], history["test_acc"][0]):
        assert r4(value) in text
    # The claims next to the curves.
    assert history["train_loss"][-10:].mean() < 0.3 * history["train_loss"][:10].mean()
    assert history["test_acc"][-1] > 0.9 and abs(history["train_acc"][-1] - history["test_acc"][-1]) < 0.03
    assert f"{len(x_train)}장" in text and f"{len(x_test)}장" in text


def test_examples_on_the_training_page_are_the_references(site):
    (x_train, t_train), (x_test, t_test) = ref_digits.load_digits()
    net = ref_net.TwoLayerNet(64, 3, 10, rng=np.random.default_rng(0))
    text = " ".join(page_text(site, "two_layer_net").split())
    assert repr(round(net.loss(x_train[:100], t_train[:100]), 4)) in text
    net.numerical_gradient(x_train[:10], t_train[:10])
    history = ref_net.train(net, x_train[:100], t_train[:100], x_test, t_test, iters=4, batch_size=50, lr=2.0,
                            rng=np.random.default_rng(1))
    assert " ".join(repr(history["train_loss"].round(4)).split()) in text


def test_timing_table_and_its_claims(site, runs):
    training, results = runs
    timing = results["timing"]
    text = page_text(site, "two_layer_net")
    n_params = 75 * training.MAIN["hidden"] + 10
    assert timing["n_params"] == n_params and f"{2 * n_params:,}" in text
    # One numerical gradient is 2·(parameters) losses: it cannot be faster than that many forward passes / 2.
    assert timing["numerical"] > n_params * timing["forward"]
    assert timing["numerical"] > 100 * timing["backprop"]
    for value in (timing["numerical"] * 1e3, timing["forward"] * 1e6, timing["backprop"] * 1e6):
        assert f"{value:.3g}" in text
    assert f"{timing['numerical'] / timing['forward']:,.0f}배" in text
    assert f"{784 * 50 + 50 + 50 * 10 + 10:,}개" in text and timing["book_params"] == 39760
    for condition in (timing["machine"]["python"], timing["machine"]["numpy"], timing["machine"]["cpu"]):
        assert condition in text


def backprop(params, x, labels, exact_delta=True):
    z1 = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    a2 = z1 @ params["W2"] + params["b2"]
    y = np.exp(a2 - a2.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    n = len(x)
    da2 = (y - np.eye(10)[labels]) / n
    if exact_delta:
        picked = y[np.arange(n), labels]
        da2 *= (picked / (picked + ref_losses.DELTA))[:, None]
    da1 = da2 @ params["W2"].T * z1 * (1 - z1)
    return {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ da2, "b2": da2.sum(axis=0)}


def test_gradient_check_section_is_the_relative_error_of_the_reference(site, runs):
    training, results = runs
    cfg = training.MAIN
    (x_train, t_train), _ = ref_digits.load_digits()
    x, t = x_train[:cfg["batch"]], t_train[:cfg["batch"]]
    worst = {True: 0.0, False: 0.0}
    scale_at_worst = 0.0
    for params in ("initial", "trained"):
        net = ref_net.TwoLayerNet(64, cfg["hidden"], 10, weight_init_std=cfg["init_std"],
                                  rng=np.random.default_rng(cfg["seed"]))
        if params == "trained":
            for key, value in results["main"]["params"].items():
                net.params[key][...] = value
        numerical = net.numerical_gradient(x, t)
        for exact in (True, False):
            analytic = backprop(net.params, x, t, exact)
            for key in numerical:
                a, b = analytic[key].ravel(), numerical[key].ravel()
                scale = np.maximum(np.abs(a), np.abs(b))
                errors = np.abs(a - b)[scale > 0] / scale[scale > 0]
                if exact and errors.max() > worst[True]:
                    scale_at_worst = float(scale[scale > 0][np.argmax(errors)])
                worst[exact] = max(worst[exact], float(errors.max()))
    text = page_text(site, "two_layer_net")
    assert worst[True] < 1e-4 < worst[False] * 1e4  # δ-aware backprop agrees; the textbook's (y − t)/N less so
    assert worst[False] > worst[True]
    assert f"{worst[True]:.1e}" in text and f"{worst[False]:.1e}" in text
    assert scale_at_worst < 1e-5 and f"{scale_at_worst:.1e}" in text  # "기울기 자체가 아주 작은 원소"
    assert "CS231n" in text and "상대 오차" in text


def test_api_reference_of_exercise_four(site):
    from exercises import two_layer_net as stub

    text = " ".join(page_text(site, "two_layer_net").split()).replace(" ", "")
    assert f"TwoLayerNet{inspect.signature(stub.TwoLayerNet)}".replace(" ", "") in text
    assert f"train{inspect.signature(stub.train)}".replace(" ", "") in text
    for name in ("predict", "loss", "accuracy", "numerical_gradient", "sigmoid", "softmax", "load_digits"):
        assert name in text
    assert "인수:" in page_text(site, "two_layer_net") and "Parameters:" not in page_text(site, "two_layer_net")


def test_network_overfitting_lab(site, runs):
    """The base run is recomputed in full; the remedies are checked against a replay of their first steps."""
    training, results = runs
    cfg = training.settings(training.LAB)
    (x_train, t_train), (x_test, t_test) = ref_digits.load_digits()
    n = cfg["n_train"]
    net = ref_net.TwoLayerNet(64, cfg["hidden"], 10, weight_init_std=cfg["init_std"],
                              rng=np.random.default_rng(cfg["seed"]))
    base = ref_net.train(net, x_train[:n], t_train[:n], x_test, t_test, iters=cfg["iters"], batch_size=cfg["batch"],
                         lr=cfg["lr"], rng=np.random.default_rng(cfg["seed"] + 1))
    for key, value in base.items():
        assert np.array_equal(results["lab_base"][key], value), key
    ref = training.load_reference()
    for name, changes in training.LAB_RUNS.items():
        short = training.settings(training.LAB, **changes, iters=4)
        replay = training.run(short)
        assert np.array_equal(replay["train_loss"], results[f"lab_{name}"]["train_loss"][:4]), name
        assert results[f"lab_{name}"]["config"] == training.settings(training.LAB, **changes)
    del ref
    runs_ = {k: results[f"lab_{k}"] for k in training.LAB_RUNS}
    best = int(np.argmin(base["test_loss"]))
    per_epoch = max(n // cfg["batch"], 1)
    # Test loss falls, then rises; train loss goes to ~0 and every training image is right.
    assert 0 < best < len(base["test_loss"]) // 2
    assert base["test_loss"][-1] > 1.15 * base["test_loss"][best] and base["test_loss"][0] > base["test_loss"][best]
    assert base["train_acc"][-1] == 1.0 and base["train_loss"][-1] < 0.1
    assert abs(base["test_acc"][-1] - base["test_acc"][best]) < 0.05  # accuracy barely moves
    # The page's verdict on each remedy.
    assert runs_["more_data"]["test_loss"][-1] < base["test_loss"][best]
    assert runs_["weight_decay"]["test_loss"][-1] < base["test_loss"][-1]
    assert runs_["weight_decay"]["test_acc"][-1] > base["test_acc"][-1]
    assert runs_["smaller"]["test_loss"][-1] > base["test_loss"][-1] and runs_["smaller"]["train_acc"][-1] < 1
    assert runs_["dropout"]["test_loss"].min() >= base["test_loss"][best]  # no better here
    text = page_text(site, "overfitting")
    # Record i is taken after update i, the (i + 1)-th update by the exercise 4 page's own convention.
    assert f"{best * per_epoch + 1}번째 갱신" in text and f"{best * per_epoch}번째" not in text
    for run in runs_.values():
        for value in (run["test_loss"][-1], run["test_loss"].min(), run["test_acc"][-1]):
            assert r4(value) in text
    assert "조기 종료" in text and "가중치 감소" in text and "과소적합" in text
    assert '"가중치 규제 → ??"의 답이 이것입니다' in text  # the slide's question gets its answer


# --- the numbered fixes of issue 12 ------------------------------------------------------------------


def sci(value, digits=2):
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def test_fix1_large_learning_rate_is_a_numerical_gradient_artefact(site):
    f2 = lambda v: v[0] ** 2 + v[1] ** 2  # noqa: E731
    h = 1e-4
    _, history = ref_descent.gradient_descent(f2, DESCENT_START.copy(), lr=10.0, step_num=DESCENT_STEPS)
    exact, _ = ref_descent.gradient_descent(f2, DESCENT_START.copy(), lr=10.0, step_num=DESCENT_STEPS,
                                            grad=lambda p: 2 * p)
    text = page_text(site, "gradient_descent")
    source = (site / "gradient_descent" / "index.html").read_text(encoding="utf-8")
    for i, name in ((0, "x₀"), (1, "x₁")):
        moved = np.flatnonzero(history[1:, i] != history[:-1, i])
        frozen = int(moved.max() + 1)
        value = history[frozen, i]
        assert np.all(history[frozen:, i] == value)
        assert np.spacing(abs(value)) > 2 * h > np.spacing(abs(history[frozen - 2, i]))  # x ± h rounds to x
        assert value + h == value and value - h == value
        assert f"{frozen}번째 위치" in text
        assert sci(value) in source
    assert np.all(np.abs(exact) > 1e127)  # the exact gradient follows x ← (1 − 2η) x = −19 x
    assert np.allclose(exact, DESCENT_START * 19.0 ** DESCENT_STEPS, rtol=1e-9)
    for v in exact:
        assert sci(v) in source
    assert "발산한 결과가 아닙니다" in text


def test_fix2_why_loss_example_argument_holds(site, experiments):
    E, ref = experiments
    cfg = E.WHY_LOSS
    x, t = cfg["x"], cfg["t"]

    def parts(w, b):
        p = 1 / (1 + np.exp(-(w * x + b)))
        accuracy = np.mean((p > 0.5) == t)
        loss = -np.mean(np.log(np.where(t == 1, p, 1 - p) + 1e-7))
        return accuracy, loss

    ws = np.linspace(-3, 4, 701)
    for b, holds in ((cfg["b"], True), (cfg["b_mismatch"], False)):
        acc, loss = np.array([parts(w, b) for w in ws]).T
        assert (acc[np.argmin(loss)] == acc.max()) == holds, b
    acc, loss = np.array([parts(w, cfg["b"]) for w in ws]).T
    w0 = cfg["w0"]
    d_acc = (parts(w0 + 1e-4, cfg["b"])[0] - parts(w0 - 1e-4, cfg["b"])[0]) / 2e-4
    d_loss = (parts(w0 + 1e-4, cfg["b"])[1] - parts(w0 - 1e-4, cfg["b"])[1]) / 2e-4
    assert d_acc == 0 and d_loss < 0 and parts(w0, cfg["b"])[0] < acc.max()
    w_end, _ = ref_descent.gradient_descent(lambda v: parts(v[0], cfg["b"])[1], np.array([w0]), lr=cfg["lr"],
                                            step_num=cfg["steps"])
    assert parts(w_end[0], cfg["b"])[0] == acc.max()
    text = page_text(site, "why-loss")
    assert f"{w_end[0]:.4f}" in text and f"{acc.max():g}" in text
    assert r4(d_loss) in text
    assert "|x|" in text.replace("\\(", "").replace("\\)", "") or "\\(|x|\\)" in text
    assert "ReLU" in text


def test_fix3_noise_floor_is_an_expectation_and_extrapolation_is_named(site, experiments):
    E, ref = experiments
    base = E.overfitting(ref)["base"]
    x_test, y_test = base["x_test"], base["y_test"]
    true_loss = 0.5 * np.mean((np.sin(np.pi * x_test) - y_test) ** 2)
    from numpy.polynomial import legendre

    errors = 0.5 * (legendre.legvander(x_test, base["degree"]) @ base["w_final"] - y_test) ** 2
    assert np.isclose(errors.mean(), base["test"])
    lo, hi = base["x_train"].min(), base["x_train"].max()
    outside = (x_test < lo) | (x_test > hi)
    share = errors[outside].sum() / errors.sum()
    assert share > 0.5  # the page's point: most of the final test loss is extrapolation
    inside_final = errors[~outside].mean()
    text = " ".join(parse(site / "overfitting" / "index.html", has_class("md-content__inner")).matches)
    assert r4(true_loss) in text and f"{100 * share:.0f}%" in text and str(int(outside.sum())) in text
    assert r4(inside_final) in text and inside_final > base["inside_best"]
    assert "기댓값" in text and "외삽" in text
    # Forward references before η, gradient_descent and the regularised update are used.
    head = text[: text.index("가중치 규제")]
    assert "미리보기" in head and "과제 3" in head


def test_fix4_terms(site):
    for page in PAGES:
        assert "범화" not in page_text(site, page), page
    overfitting = page_text(site, "overfitting")
    assert "일반화" in overfitting and "범용 능력" in overfitting
    gradient = page_text(site, "gradient")
    assert "접선의 기울기" in gradient and "미분값" in gradient
    # A scalar slope is never called just "기울기" next to a tangent in the figures' labels either.
    assert "(기울기 " not in gradient


def test_fix5_h_in_float64_and_float32(site):
    x = 1.0
    exact = np.exp(1.0)

    def errors(dtype, h):
        xs, hs = dtype(x), dtype(h)
        central = abs(float((np.exp(xs + hs) - np.exp(xs - hs)) / (2 * hs)) - exact)
        forward = abs(float((np.exp(xs + hs) - np.exp(xs)) / hs) - exact)
        return central, forward

    text = page_text(site, "gradient")
    hs = np.logspace(-13, -1, 49)
    for dtype in (np.float64, np.float32):
        central, forward = errors(dtype, 1e-4)
        assert f"{central:.1e}" in text and f"{forward:.1e}" in text
        best = hs[np.argmin([errors(dtype, h)[0] for h in hs])]
        if dtype is np.float64:
            assert 1e-7 <= best <= 1e-5  # "10⁻⁵ ~ 10⁻⁷ 근처"
        else:
            assert central > forward  # "중심 차분의 오차가 전방 차분보다도 큽니다"
            assert best > 1e-4
    assert "float32" in text and "기계 엡실론" in text


def _label_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {}
    for ax in fig.axes:
        boxes[ax] = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "step-label"]
    return boxes


def test_fix6_zigzag_on_the_elongated_valley_and_labels_never_overlap(site, experiments):
    E, ref = experiments
    from hooks import figures

    figures.use_korean_font()
    valley = E.valley_path(ref)
    h = valley["history"]
    assert np.all(np.sign(h[1:, 1]) == -np.sign(h[:-1, 1]))  # y changes side at every step: zigzag
    assert np.all(np.abs(h[1:, 0]) < np.abs(h[:-1, 0]))  # x creeps towards 0
    round_bowl = E.descent_paths(ref)[1]["history"]  # η = 0.95 on x₀² + x₁²: one straight line
    assert np.allclose(round_bowl[:, 0] / round_bowl[0, 0], round_bowl[:, 1] / round_bowl[0, 1])
    import matplotlib.pyplot as plt

    for fig in (figures.descent_paths_figure(E.descent_paths(ref)), figures.valley_figure(valley)):
        for ax, boxes in _label_boxes(fig).items():
            assert boxes, "every panel numbers its first step"
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    assert not a.overlaps(b), "step labels overlap"
        plt.close(fig)
    text = page_text(site, "gradient_descent")
    assert "지그재그" in text and "x^2}{20}" in (site / "gradient_descent" / "index.html").read_text(encoding="utf-8")
    assert f"{1 - 2 * valley['lr']:.4g}" in text and f"{1 - valley['lr'] / 10:.4g}" in text


def test_fix7_terminal_output_lines_up_and_figures_zoom(site):
    import unicodedata

    source = (site / "index.html").read_text(encoding="utf-8")
    spans = re.findall(r'<span class="cells( wide)?" style="width:(\d+)ch">([^<]+)</span>', source)
    assert spans
    for wide, width, chars in spans:
        chars = html.unescape(chars)
        cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in chars)
        assert int(width) == cells, chars
        assert bool(wide) == all(unicodedata.east_asian_width(c) in "WF" for c in chars)
    assert "┏" in source and "공개 테스트 결과" in " ".join(parse(site / "index.html", has_class("terminal")).matches)
    # Every figure opens in the lightbox; its script and style come from this site.
    for page in LECTURE_PAGES:
        tags = parse(site / page / "index.html").tags
        links = [a for tag, a in tags if tag == "a" and "glightbox" in (a.get("class") or "")]
        images = [a for tag, a in tags if tag == "img" and a.get("src", "").endswith(".svg")]
        assert images and len(links) >= len(images), page
    assert list(site.rglob("glightbox*.js")) and list(site.rglob("glightbox*.css"))
    for page in PAGES:
        text = page_text(site, page)
        for phrase in ("함수의 약속", "대역으로", "바꿔 끼"):
            assert phrase not in text, (page, phrase)


def test_fix8_glossary_questions_and_gradient_check(site):
    from hooks import glossary

    entries = glossary.entries()
    assert len(entries) >= 25
    glossary_text = page_text(site, "glossary")
    for entry in entries:
        assert entry["term"] in glossary_text and entry["english"] in glossary_text
    terms = {e["term"]: e["title"] for e in entries}
    for page in LECTURE_PAGES:
        abbrs = parse(site / page / "index.html", lambda tag, attrs: tag == "abbr")
        titles = [a.get("title") for tag, a in abbrs.tags if tag == "abbr"]
        marked = abbrs.matches
        assert len(marked) >= 3, page
        assert len(set(marked)) == len(marked), f"{page}: a term is marked more than once"
        for term, title in zip(marked, titles):
            assert terms[term] == title
        # 2-3 questions at the end, each with a collapsible answer.
        source = (site / page / "index.html").read_text(encoding="utf-8")
        ids = [a.get("id") for tag, a in parse(site / page / "index.html").tags if tag in ("h2",)]
        assert "확인-문제" in ids, page
        after = source[source.index('id="확인-문제"'):]
        answers = re.findall(r'<details class="success"', after)
        assert 2 <= len(answers) <= 3, page
    tln = page_text(site, "two_layer_net")
    assert "기울기 확인" in tln and "5장" in tln


def test_run_cache_is_keyed_by_inputs_and_file_bytes(tmp_path, monkeypatch):
    from hooks import cache, training

    # The training runs depend on every reference module they import and on the data.
    names = {p.name for p in training.SOURCES}
    assert {"two_layer_net.py", "gradient.py", "losses.py", "functions.py", "digits.py", "digits.npz"} <= names
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    source = tmp_path / "solution.py"
    source.write_text("x = 1\n")
    key = cache.key({"lr": 2.0}, [source])
    assert cache.key({"lr": 2.0}, [source]) == key
    assert cache.key({"lr": 2.5}, [source]) != key
    source.write_text("x = 2\n")
    assert cache.key({"lr": 2.0}, [source]) != key  # an edit of the reference is a new entry
    monkeypatch.setenv("LECTURE_SITE_CACHE", str(tmp_path / "c"))
    entry = cache.path_for("run", {"lr": 2.0}, [source])
    assert cache.load(entry) is None
    cache.store(entry, {"loss": np.arange(3.0)})
    assert np.array_equal(cache.load(entry)["loss"], np.arange(3.0))
    entry.write_bytes(b"not a pickle")
    assert cache.load(entry) is None  # a broken entry is recomputed, not trusted
    monkeypatch.setenv("LECTURE_SITE_CACHE", "off")
    assert cache.path_for("run", {"lr": 2.0}, [source]) is None


# --- the page fixes of issue 19 ----------------------------------------------------------------------


def section_text(site: Path, page: str, heading_id: str) -> str:
    """The text from the heading with ``heading_id`` to the next heading of the same or a higher level."""
    source = (site / page / "index.html").read_text(encoding="utf-8")
    start = source.index(f'id="{heading_id}"')
    level = source.rfind("<h", 0, start) + 2
    end = re.search(rf"<h[1-{source[level]}][ >]", source[start:])
    inline = r"</?(span|code|a|em|strong|abbr|q|small)\b[^>]*>"
    text = re.sub(r"<[^>]+>", " ", re.sub(inline, "", source[start:start + end.start() if end else None]))
    return " ".join(html.unescape(text).split())


def test_exercise_four_says_the_update_is_in_place_and_why(site):
    """A hidden test requires it (the catalogued mistake params_replaced), so the task says it, and why."""
    from autograder.suites.mistakes import MISTAKES

    task = section_text(site, "two_layer_net", "할-일")
    assert "network.params[key] -= lr * grads[key]" in task and "그 자리에서" in task
    assert "새 배열" in task and "같은 배열" in task and "숨은 테스트" in task
    assert MISTAKES["params_replaced"].docs == "two_layer_net/#할-일"


def test_examples_say_where_and_with_which_python_to_run(site):
    """Students installed nox only: the examples run in the numpy of nox's check session, from the top folder."""
    for exercise in EXERCISES:
        text = section_text(site, exercise.docs_page, "예제로-확인하기")
        for phrase in ("nox -s check", ".nox/check/bin/python", ".nox\\check\\Scripts\\python", "맨 위 폴더"):
            assert phrase in text, (exercise.name, phrase)


def test_home_page_installs_nox_the_way_that_works_under_pep_668(site):
    text = section_text(site, "", "준비하기")
    assert "pipx install nox" in text and "uv tool install nox" in text and "uvx nox" in text
    assert "python3 -m pip install nox" not in text and "PEP 668" in text


def test_learning_curve_plateau_and_learning_rate_are_explained(site, runs):
    """The flat start is read off the run and explained by the first gradient, recomputed here."""
    training, results = runs
    main = results["main"]
    cfg = main["config"]
    text = page_text(site, "two_layer_net")
    near_log10 = main["test_loss"] >= np.log(10) - 0.05
    last = int(np.argmin(near_log10)) - 1  # the last record of the flat start
    assert last >= 1 and near_log10[: last + 1].all()
    assert f"i = {main['epoch_iters'][last]}" in text and f"i = {main['epoch_iters'][last + 1]}" in text
    assert r4(main["test_loss"][last]) in text and r4(main["test_loss"][last + 1]) in text
    (x_train, t_train), _ = ref_digits.load_digits()
    net = ref_net.TwoLayerNet(64, cfg["hidden"], 10, weight_init_std=cfg["init_std"],
                              rng=np.random.default_rng(cfg["seed"]))
    rows = np.random.default_rng(cfg["seed"] + 1).choice(len(x_train), cfg["batch"])
    grads = {k: np.abs(v).max() for k, v in net.numerical_gradient(x_train[rows], t_train[rows]).items()}
    assert grads["W1"] < grads["W2"] / 5  # "W1의 기울기는 작은 W2를 곱해서 전해지므로 더 작습니다"
    source = (site / "two_layer_net" / "index.html").read_text(encoding="utf-8")
    for value in (grads["W1"], grads["W2"], max(grads.values()), 0.1 * max(grads.values())):
        assert f"{value:.1e}" in source
    assert "학습률 2가 교재(0.1)보다" in text


def test_network_overfitting_remedies_are_named_for_what_they_change(site):
    text = page_text(site, "overfitting")
    assert "은닉층 줄이기" not in text and "은닉 뉴런 줄이기" in text


def test_estimated_times_are_computed_from_the_measurements(site, runs):
    """"약 1분" was 79,520 × 1.04 ms = 1분 23초: the page shows the product, rounded to 10 s."""
    training, results = runs
    timing = results["timing"]
    step = 2 * timing["book_params"] * timing["book_loss"]
    minutes, seconds = divmod(int(round(step / 10)) * 10, 60)
    shown = (f"{minutes}분" + (f" {seconds}초" if seconds else "")) if step >= 59.5 else f"{step:.2g}초"
    text = page_text(site, "two_layer_net")
    assert f"갱신 한 번에 약 {shown}({2 * timing['book_params']:,} × {timing['book_loss'] * 1e3:.3g} ms)" in text


def test_api_reference_labels_are_korean_and_each_argument_has_its_own_description(site):
    for page in PAGES:
        labels = parse(site / page / "index.html", has_class("doc-label")).matches
        assert not [label for label in labels if label.strip().isascii()], (page, labels)
    assert "모듈 변수" in parse(site / "losses" / "index.html", has_class("doc-label")).matches[0]
    source = (site / "two_layer_net" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="doc-section-item">\s*<td>\s*<code>(\w+)</code>.*?doc-md-description">(.*?)</div>',
                      source, flags=re.S)
    descriptions = {name: " ".join(re.sub(r"<[^>]+>", "", text).split()) for name, text in rows
                    if name in ("x_train", "t_train", "x_test", "t_test")}
    assert len(descriptions) == 4 and len(set(descriptions.values())) == 4 and all(descriptions.values()), rows



# --- the learning-rate explorer ------------------------------------------------------------------------


def explorer_data(site: Path) -> dict:
    text = (site / "assets" / "javascripts" / "descent-explorer-data.js").read_text(encoding="utf-8")
    prefix = "window.DESCENT_EXPLORER = "
    assert text.startswith(prefix) and text.rstrip().endswith(";")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def test_explorer_paths_are_the_references(site):
    """Every path the explorer can show is the reference gradient_descent's (numerical gradient), and the
    breakdown it marks is where the reference numerical_gradient first differs from 2x by more than 1%."""
    data = explorer_data(site)
    rates = data["rates"]
    assert min(rates) <= 1e-3 and 1.1 in rates and 10.0 in rates and len(data["starts"]) >= 4
    f2 = lambda v: v[0] ** 2 + v[1] ** 2  # noqa: E731
    for start, runs in zip(data["starts"], data["runs"]):
        for lr, run in zip(rates, runs):
            _, history = ref_descent.gradient_descent(f2, np.array(start, dtype=float), lr=lr,
                                                      step_num=data["steps"])
            assert np.allclose(run["path"], history, rtol=1e-5, atol=1e-300), (start, lr)
            assert np.allclose(run["f"], [f2(p) for p in history], rtol=1e-5, atol=1e-300)
            errors = []
            for p in history[:-1]:
                g = ref_gradient.numerical_gradient(f2, p.copy())
                with np.errstate(divide="ignore", invalid="ignore"):
                    e = np.where(p != 0, np.abs(g - 2 * p) / np.abs(2 * p), np.where(g != 0, np.inf, 0.0))
                errors.append(e.max())
            broken = next((k for k, e in enumerate(errors) if e > data["broken"]), None)
            assert run["broken"] == broken, (start, lr)
            if lr == 10.0:  # the textbook's: positions blow up until x ± h rounds to x, then x stops
                assert run["kind"] == "large" and run["frozen"] is not None and run["frozen"] >= broken
                assert np.any(np.all(history[run["frozen"]:] == history[run["frozen"]], axis=0))
            elif 0.05 <= lr <= 1.1 and broken is not None:  # only ever after f has all but vanished
                assert run["kind"] == "small" and f2(history[broken]) < 1e-30, (start, lr)
            else:
                assert broken is None, (start, lr)


def test_explorer_is_on_the_gradient_descent_page_and_loads_nothing_else(site):
    source = (site / "gradient_descent" / "index.html").read_text(encoding="utf-8")
    assert '<div class="descent-explorer">' in source
    scripts = [a["src"] for tag, a in parse(site / "gradient_descent" / "index.html").tags
               if tag == "script" and "src" in a]
    assert "../assets/javascripts/descent-explorer-data.js" in scripts
    assert "../assets/javascripts/descent-explorer.js" in scripts
    code = (ROOT / "docs" / "assets" / "javascripts" / "descent-explorer.js").read_text(encoding="utf-8")
    assert "fetch(" not in code and "XMLHttpRequest" not in code and "http" not in code.replace(SVG_NS, "")


SVG_NS = "http://www.w3.org/2000/svg"


# --- build speed: what the site cache is keyed by ------------------------------------------------------


def test_site_cache_is_keyed_by_every_file_the_site_is_made_from(tmp_path, monkeypatch):
    """hooks/lecture.py caches all it computes (values, figures, the explorer's data) under a key of these
    files' bytes: a rebuild after editing a page is fast, an edit of anything the numbers come from is not
    served stale."""
    from hooks import cache, lecture

    files = {p.relative_to(ROOT).as_posix() for p in lecture.input_files()}
    for needed in ("includes/glossary.md", "data/digits.npz", "solutions/gradient.py",
                   "hooks/figures.py", "hooks/mistake_examples.py", "autograder/suites/mistakes.py",
                   "autograder/grade/runner.py", "examples/submissions/lee-junho/exercises/gradient.py"):
        assert needed in files, needed
    assert not [f for f in files if "__pycache__" in f or f.startswith("docs/")]
    assert {"python", "numpy", "matplotlib"} <= set(lecture.environment())
    monkeypatch.setenv("LECTURE_SITE_CACHE", str(tmp_path))
    entries = []
    for i in range(6):
        entries.append(tmp_path / f"site-{i}.pkl")
        cache.store(entries[-1], {"i": i})
        os.utime(entries[-1], (1000 + i, 1000 + i))
    cache.prune("site", keep=entries[0], newest=3)
    assert sorted(p.name for p in tmp_path.glob("site-*.pkl")) == ["site-0.pkl", "site-3.pkl", "site-4.pkl",
                                                                    "site-5.pkl"]
