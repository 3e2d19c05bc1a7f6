"""Where a student reads about a test that did not pass: one lecture-site address per test result.

The site's address is one setting: ``site_url`` in the repository's
mkdocs.yml, or ``--docs-url`` of ``grade``, ``release`` and ``nbgrader``.
What leaves the repository (the student template, the Classroom 50 bundle,
the nbgrader course) carries the address in :data:`SHIPPED` (written by
:func:`store_site`), so ``check``, the Classroom 50 release body and the
notebooks link to the same site as the feedback files and the class report.

:func:`section` turns a test result into ``page/#anchor``: the section of its
catalogued mistake (``autograder/suites/mistakes.py``), else the section of
its exercise that explains the concept (``autograder/catalog.py``).
:func:`test_link` puts the site's address in front.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from ..catalog import BY_NAME
from ..grade.result import Status, TestResult
from ..suites.mistakes import MISTAKES

MKDOCS = Path(__file__).resolve().parents[2] / "mkdocs.yml"
SHIPPED = Path(__file__).with_name("docs_url.txt")
#: Statuses whose test gets a link: the student's own failures (a grader problem is never theirs).
LINKED = (Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.MEMORY)


def site_url(mkdocs: Path = MKDOCS) -> str | None:
    """``site_url`` of the lecture site's mkdocs.yml, or None when it sets none."""
    try:
        text = mkdocs.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^site_url:\s*['\"]?([^'\"#\s]+)", text, flags=re.M)
    return match.group(1) if match else None


def configured_site() -> str | None:
    """The address a release shipped with this grader, else mkdocs.yml's ``site_url``, else None."""
    try:
        shipped = SHIPPED.read_text(encoding="utf-8").strip()
    except OSError:
        shipped = ""
    return shipped or site_url(MKDOCS)


def store_site(target: Path, url: str | None) -> None:
    """Record ``url`` in ``target/autograder/`` (a release's copy of the grader); nothing without one."""
    if url:
        (Path(target) / SHIPPED.relative_to(SHIPPED.parents[2])).write_text(url.strip() + "\n", encoding="utf-8")


def page_link(docs: str, site: str | None) -> str | None:
    """The address of ``page/#anchor`` on the site, or None without a site address or a page."""
    if not docs or not site:
        return None
    return site.rstrip("/") + "/" + quote(docs, safe="/#-_.~")


def section(test: TestResult) -> str:
    """``page/#anchor`` explaining why ``test`` did not pass ("" for an exercise the catalogue lacks)."""
    mistake = MISTAKES.get(test.mistake)
    if mistake is not None and mistake.docs:
        return mistake.docs
    exercise = BY_NAME.get(test.exercise)
    if exercise is None or not exercise.docs_page:
        return ""
    return exercise.docs_page + (f"#{exercise.theory}" if exercise.theory else "")


def test_link(test: TestResult, site: str | None) -> str | None:
    """The address a student should read for ``test``; None when it passed, was the grader's problem, or
    no site address is known."""
    if test.status not in LINKED:
        return None
    return page_link(section(test), site)


test_link.__test__ = False  # a helper, not a test, when imported into a test module
