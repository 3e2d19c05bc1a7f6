"""Where the lecture site is: its address, the one setting every link to it starts from.

The address is ``--docs-url`` of ``grade``, ``release`` and ``nbgrader``, else
``site_url`` in the repository's mkdocs.yml, else the GitHub Pages address of
the course repository's ``origin``, where ``.github/workflows/docs.yml``
publishes the site (:func:`pages_address`). What leaves the repository (the
student template, the Classroom 50 bundle, the nbgrader course) carries the
address in :data:`SHIPPED` (written by :func:`store_site`), so ``check``, the
Classroom 50 release body and the notebooks link to the same site as the
feedback files and the class report. It is read here, below everything that
links to the site, so none of them imports another for it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

MKDOCS = Path(__file__).resolve().parents[1] / "mkdocs.yml"
PUBLISHER = Path(".github") / "workflows" / "docs.yml"  # the course repository's Pages workflow
GITHUB_REMOTE = re.compile(r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
                           r"(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$")
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


def pages_address(checkout: Path | None = None) -> str | None:
    """GitHub Pages address of ``checkout``'s ``origin`` when it publishes the site there, else None.

    Only a course repository (one with mkdocs.yml and the Pages workflow) counts:
    a student's clone of the template has neither, and its own Pages address
    would be the wrong site.
    """
    checkout = checkout or MKDOCS.parent
    if not (checkout / "mkdocs.yml").is_file() or not (checkout / PUBLISHER).is_file():
        return None
    try:
        remote = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=checkout, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = GITHUB_REMOTE.match(remote)
    if not match:
        return None
    owner, repo = match["owner"].lower(), match["repo"]
    return f"https://{owner}.github.io/" if repo.lower() == f"{owner}.github.io" else f"https://{owner}.github.io/{repo}/"


def course_site() -> str | None:
    """The address the instructor's commands link to: :func:`configured_site`, else :func:`pages_address`."""
    return configured_site() or pages_address()
