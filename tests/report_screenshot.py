"""The README's screenshot of the class report: a generated class of 100, graded, seen in Chromium.

Makes the class of ``tests/classgen.py`` (97 submissions with catalogued
mistakes, a copying pair, 3 missing students, one not on the roster), grades
it with ``python -m autograder grade <folders> --roster roster.csv`` (and a
lecture-site address, so the mistakes are links) and shows ``report.html`` in
Chromium, 1200 pixels wide. The image is the top of the page (summary cards,
score distributions) and, below a dashed band marking the cut, the start of
the ranking of mistakes; the pass rate of every test, a long table between
the two, is left out. It is saved in 64 colours::

    python tests/report_screenshot.py examples/report-screenshot.png

Needs Debian's ``/usr/bin/chromium`` (with ``fonts-nanum``) and Playwright's
Python package, as the browser tests do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]  # tests/, the project

from classgen import make_class  # noqa: E402
import chromium  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WIDTH, MOST_HEIGHT = 1200, 2400
BAND = 28  # pixels between the parts
#: mkdocs.yml sets no site_url; with an address, the mistakes link to the lecture site as they would in a course.
DOCS_URL = "https://teacher.example.org/lecture04/"
CLASS_SIZE = 100


def grade_class(folder: Path, n: int = CLASS_SIZE) -> Path:
    """Grade a generated class of ``n`` in ``folder``; the path of its report."""
    paths = make_class(folder / "class", n)
    out = folder / "grading-output"
    command = [sys.executable, "-m", "autograder", "grade", *map(str, paths), "--out", str(out), "-q",
               "--roster", str(folder / "class" / "roster.csv"), "--docs-url", DOCS_URL]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                         env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)})
    if run.returncode != 0:
        raise RuntimeError(f"grade failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    return out / "report.html"


def regions(page) -> list[tuple[int, int]]:
    """(top, bottom) of the two parts shown: the page down to the pass rates, then the mistakes ranking.

    The second part ends after the last row of the ranking that keeps the image within :data:`MOST_HEIGHT`.
    """
    top = {name: _top(page, f"#{name}") for name in ("tests", "mistakes")}
    first = (0, top["tests"] - 16)
    last = top["mistakes"] - 16 + MOST_HEIGHT - (first[1] - first[0]) - BAND
    rows = page.evaluate("() => [...document.querySelectorAll('#mistakes ~ div table tbody tr')]"
                         ".map(r => r.getBoundingClientRect().bottom + window.scrollY)")
    bottom = max([round(b) + 1 for b in rows if b + 1 <= last], default=last)  # the row's lower border included
    return [first, (top["mistakes"] - 16, bottom)]


def _top(page, selector: str) -> int:
    return round(page.evaluate(f"() => document.querySelector('{selector}').getBoundingClientRect().top"
                               " + window.scrollY"))


def stitch(parts: list[Path], target: Path) -> Path:
    """The parts one under another, each cut marked by a light band with a dashed line."""
    from PIL import Image, ImageDraw

    images = []
    for path in parts:
        with Image.open(path) as image:
            images.append(image.convert("RGB"))
    height = sum(i.height for i in images) + BAND * (len(images) - 1)
    sheet = Image.new("RGB", (WIDTH, height), "#f6f8fa")
    draw, y = ImageDraw.Draw(sheet), 0
    for number, image in enumerate(images):
        if number:
            for x in range(24, WIDTH - 24, 16):
                draw.line([(x, y - BAND // 2), (x + 8, y - BAND // 2)], fill="#8c959f", width=2)
        sheet.paste(image, (0, y))
        y += image.height + BAND
    sheet.save(target)
    return target


def readme_screenshot(source: Path, target: Path) -> Path:
    """The screenshot in 64 colours (a page of flat colours and text loses nothing), for the README."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
            .save(target, optimize=True)
    return target


def screenshot(report: Path, target: Path) -> Path:
    """What the module describes, from ``report``, saved in 64 colours to ``target``."""
    from playwright.sync_api import sync_playwright

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="report-shots-") as folder, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900}, locale="ko-KR")
            page.goto(report.resolve().as_uri())
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready")
            parts = [Path(folder, f"part-{i}.png") for i in range(2)]
            for path, (top, bottom) in zip(parts, regions(page)):
                page.screenshot(path=str(path), full_page=True,
                                clip={"x": 0, "y": top, "width": WIDTH, "height": bottom - top})
        finally:
            browser.close()
        return readme_screenshot(stitch(parts, Path(folder, "whole.png")), target)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/report_screenshot.py OUTPUT.png", file=sys.stderr)
        return 2
    target = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="report-screenshot-") as folder:
        screenshot(grade_class(Path(folder)), target)
    print(f"{target}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
