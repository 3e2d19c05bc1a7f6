"""The class report: one offline Korean HTML page for the instructor, written by every ``grade`` run.

:func:`write_class_report` writes ``report.html`` next to the gradebook: the
score distributions (inline SVG drawn at grading time), the
pass rate of every test, the catalogued mistakes ranked by how many students
made them (each linked to the lecture site), the submissions that need a
look (errors, timeouts, grader problems, invalid, late, missing), a row per student
linking to their feedback file and, when given, pairs of similar answers and
the wrong answers many students share that no catalogued mistake explains.

The page loads nothing: no script, style, font or image from anywhere (its
Content-Security-Policy forbids it), so it opens offline. Everything a
submission controls (its folder name, messages, notes) is escaped: markup is
built with :func:`.html.element`, which escapes every string it is given
unless it is already :class:`.html.Html`.

The sections live in modules of their own: :mod:`.summary` (header, score
distributions, pass rates), :mod:`.mistakes`, :mod:`.submissions` (problems,
a row per student) and :mod:`.similarity`; their numbers come from
:mod:`.stats`.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import string
from pathlib import Path
from typing import Mapping

from ..analysis.summary import ClassSummary, summarize
from ..fsutil import atomic_write
from ..grade.result import SubmissionResult
from .context import Context, People, people_lookup
from .html import join
from .mistakes import mistakes_section
from .similarity import similarity_section
from .submissions import problems_section, students_section
from .summary import header, scores_section, tests_section

REPORT_NAME = "report.html"
TEMPLATES = Path(__file__).with_name("templates")


def render_report(results: list[SubmissionResult], feedback_names: Mapping | None = None, people: People = None,
                  similarity: Mapping | None = None, docs_url: str | None = None,
                  now: datetime.datetime | None = None, summary: ClassSummary | None = None) -> str:
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
        What :func:`autograder.analysis.similarity.find_groups` found, as
        ``Findings.as_dict()`` gives it: ``{"groups": [...], "common": [...]}``
        (groups with ``members``, ``tests``, ``token_similarity``, ``note``;
        common unexplained answers with ``test``, ``count``). The section is
        left out when None.
    docs_url
        Address of the lecture site; mistakes link to their section under it
        (plain text when None).
    now
        When the report was made (default: now).
    summary
        The class summary every output reads (:func:`autograder.analysis.summary.summarize`
        of ``results`` when None): the header's numbers, the deadline and the late rule.

    Returns
    -------
    str
        The page, loading nothing from anywhere.
    """
    context = Context(people_lookup(people), docs_url or None, people is not None)
    names = feedback_names or {}

    def feedback(result: SubmissionResult) -> str | None:
        return names.get(Path(result.submission)) or names.get(result.submission)

    summary = summary or summarize(results)
    body = join([header(summary, now or datetime.datetime.now()), scores_section(results, summary),
                 tests_section(results), mistakes_section(results, context), problems_section(results, context),
                 students_section(results, context, feedback), similarity_section(similarity, context)], "\n")
    script = (TEMPLATES / "page.js").read_text(encoding="utf-8")
    return string.Template((TEMPLATES / "page.html").read_text(encoding="utf-8")).substitute(
        title="반 전체 채점 보고서", csp=content_security_policy(script), body=body, script=script)


def content_security_policy(script: str) -> str:
    """Nothing may load; only the page's own styles and its one script (by hash) run."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def write_class_report(results: list[SubmissionResult], path: Path, feedback_names: Mapping | None = None,
                       people: People = None, similarity: Mapping | None = None,
                       docs_url: str | None = None, summary: ClassSummary | None = None) -> Path:
    """Write :func:`render_report` to ``path`` atomically and return ``path``.

    Parameters are those of :func:`render_report`.
    """
    atomic_write(Path(path), render_report(results, feedback_names, people, similarity, docs_url, summary=summary))
    return Path(path)
