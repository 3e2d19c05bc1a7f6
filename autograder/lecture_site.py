"""Where the lecture site is: its address, the one setting every link to it starts from.

The address is ``site_url`` in the repository's mkdocs.yml, or ``--docs-url``
of ``grade``, ``release`` and ``nbgrader``. What leaves the repository (the
student template, the Classroom 50 bundle, the nbgrader course) carries the
address in :data:`SHIPPED` (written by :func:`store_site`), so ``check``, the
Classroom 50 release body and the notebooks link to the same site as the
feedback files and the class report. It is read here, below everything that
links to the site, so none of them imports another for it.
"""

from __future__ import annotations

import re
from pathlib import Path

MKDOCS = Path(__file__).resolve().parents[1] / "mkdocs.yml"
SHIPPED = Path(__file__).with_name("docs_url.txt")


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
        (Path(target) / SHIPPED.relative_to(SHIPPED.parents[1])).write_text(url.strip() + "\n", encoding="utf-8")
