"""MkDocs hook: each exercise page's «교재 코드와 다른 점» table, from grading a textbook-style sample.

``examples/textbook/`` is a submission written to behave like the book's
published code (with the stubs' names and arguments). At build time it is
graded against the reference with every suite (cached like the site's other
runs, hooks/cache.py); each test it fails is a place where the assignment's
contract differs from the book's code. The line ``<!-- book-differences -->``
in an exercise page becomes a table of those tests: the test's title and the
points it costs, what the book's code does and why the assignment asks
otherwise (``examples/textbook/differences.toml``), and the grader's own
message. A failing test without an entry there stops the build.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "textbook"
REASONS = SAMPLE / "differences.toml"
MARKER = "<!-- book-differences -->"
if str(ROOT) not in sys.path:  # MkDocs loads this file by its path: the hooks package lives in the repository
    sys.path.insert(0, str(ROOT))
from hooks import cache  # noqa: E402

#: Parts of the grader that do not change a graded result (how results are shown and written).
NOT_GRADING = ("report", "classpage", "exports", "analysis")

_graded: list | None = None


def grade_sample() -> list[dict]:
    """The sample's failed tests as plain data (exercise, title, points, message), graded or from the cache."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    files = sorted(SAMPLE.rglob("*.py")) + sorted((ROOT / "solutions").glob("*.py"))
    files += sorted(p for p in (ROOT / "autograder").rglob("*.py")
                    if p.relative_to(ROOT / "autograder").parts[0] not in NOT_GRADING)
    path = cache.path_for("textbook-sample", {}, files)
    failed = cache.load(path)
    if failed is None:
        from autograder.grade.engine import Grader

        with Grader() as grader:
            result = grader.grade(SAMPLE, label="textbook")
        failed = [{"exercise": t.exercise, "name": t.name, "title": t.title, "points": t.max_score,
                   "message": t.message} for e in result.exercises for t in e.tests if not t.passed]
        cache.store(path, failed)
    return failed


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(exercise: str, failed: list[dict], reasons: dict) -> str:
    rows = [t for t in failed if t["exercise"] == exercise]
    missing = [t["name"] for t in rows if t["name"] not in reasons]
    if missing:
        raise PluginError(f"examples/textbook/differences.toml: no reason for {', '.join(missing)}")
    if not rows:
        return "교재 코드처럼 쓴 표본은 이 과제의 채점 항목을 모두 통과합니다: 과제의 약속이 교재 코드와 같습니다."
    lines = [f"교재의 코드를 과제의 함수 이름과 인수로 옮겨 적은 표본(`examples/textbook/`)을 채점하면 이 과제에서 "
             f"{sum(t['points'] for t in rows)}점을 잃습니다. 아래가 그 전부이고, 하나하나가 과제가 교재와 다르게 "
             "약속한 곳입니다.", "",
             "| 채점 항목 (감점) | 교재 코드는 | 과제의 약속과 이유 | 채점기의 설명 |", "|---|---|---|---|"]
    groups: dict[tuple, list[dict]] = {}  # tests that fail for one deviation (same reason) share a row
    for t in rows:
        groups.setdefault((reasons[t["name"]]["book"], reasons[t["name"]]["why"]), []).append(t)
    for (book, why), tests in groups.items():
        titles = "; ".join(cell(t["title"]) for t in tests)
        lines.append(f"| {titles} (−{sum(t['points'] for t in tests)}점) | {cell(book)} | {cell(why)} "
                     f"| {cell(tests[0]['message'])} |")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    global _graded
    if MARKER not in markdown:
        return markdown
    if _graded is None:
        _graded = grade_sample()
    reasons = tomllib.loads(REASONS.read_text(encoding="utf-8"))
    exercise = Path(page.file.src_uri).stem
    return markdown.replace(MARKER, render(exercise, _graded, reasons))
