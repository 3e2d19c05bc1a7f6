"""A ``gh teacher download`` folder (Classroom 50): one clone per student and ``scores.csv``.

``gh teacher download <org> <classroom> <assignment>`` clones every
submission repository, named ``<classroom>-<assignment>-<username>``, into
one folder and writes ``scores.csv`` there, with the 13 columns
``username, first_name, last_name, email, section, score, max_score,
datetime, submission_tag, submitted_by, review_url, late, override``: for
every member of the classroom's team, one row per graded submission (newest
first), or one blank row for a student who never submitted. ``grade`` grades
each clone under its username and compares its grade with that push-time
score: a difference is the sign of a tampered workflow or autograder run (or
of a regrade since).

The folder is also the class roster (:func:`roster`): every student of
``scores.csv``, with the student numbers and names of Classroom 50's
``roster.csv`` when the instructor copied it into the folder.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..roster import Roster, RosterError, Student, full_name, read_roster, undefang
from . import CollectError

SCORES = "scores.csv"
ROSTER = "roster.csv"


@dataclass(frozen=True)
class PushTimeScore:
    username: str
    tag: str
    score: int | None  # None: no score recorded for that submission
    max_score: int | None


def is_download_folder(path: Path) -> bool:
    return (Path(path) / SCORES).is_file() and not (Path(path) / "exercises").is_dir()


def _number(text: str | None) -> int | None:
    try:
        return int(float(text)) if text and text.strip() else None
    except ValueError:
        return None


def _rows(folder: Path) -> list[dict]:
    path = Path(folder) / SCORES
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CollectError(f"{path} 을(를) 읽을 수 없습니다: {exc}") from None
    if rows and "username" not in rows[0]:
        raise CollectError(f"{path} 에 username 열이 없습니다 (gh teacher download 가 쓴 파일이 맞나요?)")
    return rows


def _cell(row: dict, key: str) -> str:
    return undefang((row.get(key) or "").strip())


def read_scores(folder: Path) -> dict[str, list[PushTimeScore]]:
    """``scores.csv`` by lower-cased username, each student's rows newest first (as written)."""
    scores: dict[str, list[PushTimeScore]] = {}
    for row in _rows(folder):
        username = (row.get("username") or "").strip().lstrip("'")
        if username:
            scores.setdefault(username.lower(), []).append(PushTimeScore(
                username, (row.get("submission_tag") or "").strip().lstrip("'"), _number(row.get("score")),
                _number(row.get("max_score"))))
    return scores


def _common_prefix(names: list[str]) -> str:
    if len(names) < 2:
        return ""
    prefix = os.path.commonprefix([n.lower() for n in names])
    return prefix[:prefix.rfind("-") + 1]


def _assignment_prefix(names: list[str], usernames: list[str]) -> str:
    """``<classroom>-<assignment>-`` (lower case): what most clone names have before a username of the
    download. Every clone has it; a login that ends another's clone name (``lecture04-kim``, ending
    ``dl-seminar-lecture04-kim``) gives only the clones it reaches another reading."""
    readings = Counter()
    for name in names:
        readings.update({name[:-len(u)] for u in usernames if name.endswith("-" + u)})
    return max(readings, key=lambda prefix: (readings[prefix], len(prefix))) if readings else ""


def repositories(folder: Path, usernames: list[str]) -> dict[Path, str]:
    """Each clone in ``folder`` and its student's username (``<classroom>-<assignment>-<username>``): the
    username after the prefix the clones share, never a longer login that merely ends the clone's name."""
    clones = sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith("."))
    lowered = {u.lower(): u for u in usernames}
    assignment = _assignment_prefix([p.name.lower() for p in clones], list(lowered))
    exact = {c: lowered[c.name.lower()[len(assignment):]] for c in clones
             if assignment and c.name.lower().startswith(assignment) and c.name.lower()[len(assignment):] in lowered}
    prefix = _common_prefix([p.name for p in clones])
    found = {}
    for clone in clones:
        matches = [u for u in usernames if clone.name.lower().endswith("-" + u.lower()) and u not in exact.values()]
        if clone in exact:
            found[clone] = exact[clone]
        elif matches:
            found[clone] = max(matches, key=len)
        else:
            found[clone] = clone.name[len(prefix):] if prefix and clone.name.lower().startswith(prefix) else clone.name
    return found


def push_time_score(scores: dict[str, list[PushTimeScore]], username: str, tag: str | None = None
                    ) -> PushTimeScore | None:
    """The runner's score for ``username``'s submission ``tag`` (default: the latest scored one)."""
    rows = scores.get(username.lower(), [])
    if tag is not None:
        return next((r for r in rows if r.tag == tag), None)
    return next((r for r in rows if r.score is not None), None)


def roster(folder: Path) -> Roster:
    """The students of the download, in ``scores.csv``'s order (each once), with ``roster.csv``'s details.

    A ``roster.csv`` beside ``scores.csv`` (Classroom 50's, or any file ``--roster``
    reads) gives each student their number, name, e-mail and section, and adds its
    students ``scores.csv`` does not list.
    """
    listed: dict[str, Student] = {}
    for row in _rows(folder):
        login = _cell(row, "username").lstrip("@")
        if login and login.lower() not in listed:
            listed[login.lower()] = Student(login, "", full_name(_cell(row, "first_name"), _cell(row, "last_name")),
                                            _cell(row, "email"), _cell(row, "section"))
    path = Path(folder) / ROSTER
    if not path.is_file():
        return Roster(tuple(listed.values()), str(Path(folder) / SCORES))
    try:
        details = read_roster(path)
    except RosterError as exc:
        raise CollectError(str(exc)) from None
    staff = {login.lower() for login in details.staff}
    students = [details.find(s.login) or s for key, s in listed.items() if key not in staff]
    students += [s for s in details.students if s.login.lower() not in listed]
    return Roster(tuple(students), str(path), details.skipped, details.staff)
