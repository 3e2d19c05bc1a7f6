"""Where a student reads about a test that did not pass: one lecture-site address per test result.

The site's address is one setting (:mod:`autograder.lecture_site`).

:func:`section` turns a test result into ``page/#anchor``: the section of its
catalogued mistake (``autograder/suites/mistakes.py``), else the section of
its exercise that explains the concept (``autograder/catalog.py``).
:func:`test_link` puts the site's address in front.
"""

from __future__ import annotations

from urllib.parse import quote

from ..catalog import BY_NAME
from ..grade.result import Status, TestResult
from ..suites.mistakes import MISTAKES

#: Statuses whose test gets a link: the student's own failures (a grader problem is never theirs).
LINKED = (Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.MEMORY)


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
