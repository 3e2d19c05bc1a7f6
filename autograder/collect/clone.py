"""Clone (or update) every student's repository of a roster, in parallel, with plain git.

``python -m autograder collect --roster roster.csv --url-template
'https://github.com/ORG/lecture04-{login}.git' DEST`` puts each repository
in ``DEST/<login>``: a shallow clone of the default branch plus the
``submit/*`` tags (each with its own commit), so ``grade --deadline`` can
choose the submission. Run again, it updates every clone in place. A
repository that does not exist (or cannot be read) or has no commit yet is
listed, never a reason to stop.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..roster import RosterError
from ..roster import read_roster as read_students
from . import CollectError
from .git import GitError, git, has_commits, is_repository

TAGS = "+refs/tags/submit/*:refs/tags/submit/*"
MISSING_HINTS = ("not found", "does not appear to be a git repository", "could not read username",
                 "authentication failed", "access denied")
STATUS_LABELS = {"cloned": "새로 받음", "updated": "갱신함", "missing": "저장소 없음", "empty": "빈 저장소",
                 "failed": "실패"}


@dataclass(frozen=True)
class Fetched:
    login: str
    status: str  # a key of STATUS_LABELS
    detail: str = ""


def read_roster(path: Path) -> list[str]:
    """The logins of ``path`` in order (:func:`autograder.roster.read_roster`), CollectError if unusable."""
    try:
        return read_students(path).logins
    except RosterError as exc:
        raise CollectError(str(exc)) from None


def repository_url(template: str, login: str) -> str:
    if "{login}" not in template:
        raise CollectError(f"--url-template 에 {{login}} 자리가 없습니다: {template!r}")
    return template.replace("{login}", login)


def _fetch_tags(dest: Path) -> None:
    """The submission tags, each with its own commit only (a shallow fetch fails when there are none)."""
    if git("ls-remote", "--tags", "origin", "refs/tags/submit/*", cwd=dest).stdout.strip():
        git("fetch", "--quiet", "--depth", "1", "--force", "origin", TAGS, cwd=dest)


def _update(dest: Path) -> str:
    git("fetch", "--quiet", "--depth", "1", "origin", "HEAD", cwd=dest)
    git("reset", "--quiet", "--hard", "FETCH_HEAD", cwd=dest)
    _fetch_tags(dest)
    return "updated"


def _clone(url: str, dest: Path) -> str:
    try:
        git("clone", "--quiet", "--depth", "1", "--", url, str(dest))
    except GitError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    if not has_commits(dest):
        return "empty"
    _fetch_tags(dest)
    return "cloned"


def fetch_one(login: str, url: str, dest: Path) -> Fetched:
    """Clone ``url`` into ``dest``, or update the clone already there."""
    try:
        if is_repository(dest) and has_commits(dest):
            return Fetched(login, _update(dest))
        if dest.exists():
            shutil.rmtree(dest)  # an empty clone from an earlier run: clone again
        return Fetched(login, _clone(url, dest))
    except GitError as exc:
        missing = any(hint in exc.output.lower() for hint in MISSING_HINTS)
        return Fetched(login, "missing" if missing else "failed", str(exc))


def collect(logins: list[str], template: str, dest: Path, jobs: int = 4, on_done=None) -> list[Fetched]:
    """Fetch every login's repository into ``dest/<login>`` with ``jobs`` git processes at a time."""
    dest.mkdir(parents=True, exist_ok=True)
    urls = {login: repository_url(template, login) for login in logins}
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(fetch_one, login, urls[login], dest / login) for login in logins]
        for future in as_completed(futures):
            fetched = future.result()
            results[fetched.login] = fetched
            if on_done:
                on_done(fetched)
    return [results[login] for login in logins]
