"""Plain ``git`` for student repositories: shallow clones, ``submit/*`` tags, a tree at one tag.

Submission tags are the ones Classroom 50's runner (and the template's own
workflow) writes on every graded push: ``submit/<UTC time>-<short sha>``,
for example ``submit/2026-11-30T14-32-05Z-a1b2c3d``. The time in the name is
when the push was graded, which a student does not choose the way they
choose commit dates; a tag whose short sha is not the commit it points to is
not one of those and is ignored.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

TAG = re.compile(r"submit/(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z-([0-9a-f]{7,40})")
MAX_FILE_BYTES = 512 * 1024
GIT_TIMEOUT = 300


class GitError(RuntimeError):
    """git failed; the message is git's first error line, ``output`` all it said."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output or message


def git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "LC_ALL": "C"}
    try:
        process = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise GitError("git 명령을 찾을 수 없습니다 (git을 설치하세요)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]}이(가) {GIT_TIMEOUT}초 안에 끝나지 않았습니다") from None
    if check and process.returncode != 0:
        output = process.stderr.decode("utf-8", "replace").strip()
        errors = [line for line in output.splitlines() if line.startswith(("fatal:", "error:"))] or output.splitlines()
        raise GitError(errors[0] if errors else f"git {args[0]} 실패 (종료 코드 {process.returncode})", output)
    return process


def is_repository(path: Path) -> bool:
    return (Path(path) / ".git").exists()


def has_commits(path: Path) -> bool:
    return git("rev-parse", "--verify", "--quiet", "HEAD", cwd=path, check=False).returncode == 0


# --- submission tags --------------------------------------------------------------


@dataclass(frozen=True)
class SubmitTag:
    name: str
    time: dt.datetime  # UTC, from the tag's name
    commit: str  # what the tag points to


def parse_tag(name: str) -> dt.datetime | None:
    match = TAG.fullmatch(name)
    if not match:
        return None
    day, hour, minute, second, _ = match.groups()
    try:
        return dt.datetime.fromisoformat(f"{day}T{hour}:{minute}:{second}+00:00")
    except ValueError:
        return None


def submit_tags(repo: Path) -> tuple[list[SubmitTag], list[str]]:
    """The repository's submission tags, oldest first, and the names of ``submit/*`` tags that are not."""
    out = git("for-each-ref", "--format=%(refname:strip=2) %(*objectname) %(objectname)", "refs/tags/submit/",
              cwd=repo).stdout.decode()
    tags, ignored = [], []
    for line in out.splitlines():
        name, *objects = line.split()
        commit = objects[0]  # the peeled commit of an annotated tag, else the tag's own object
        when = parse_tag(name)
        if when is None or not commit.startswith(TAG.fullmatch(name).group(5)):
            ignored.append(name)
        else:
            tags.append(SubmitTag(name, when, commit))
    return sorted(tags, key=lambda t: (t.time, t.name)), ignored


def last_before(tags: list[SubmitTag], deadline: dt.datetime) -> SubmitTag | None:
    on_time = [t for t in tags if t.time <= deadline]
    return on_time[-1] if on_time else None


def exercises_tree(repo: Path, commit: str) -> str | None:
    """The object id of ``exercises/`` at ``commit`` (None without one): equal ids, equal files."""
    process = git("rev-parse", "--verify", "--quiet", f"{commit}:exercises", cwd=repo, check=False)
    return process.stdout.decode().strip() or None if process.returncode == 0 else None


# --- the graded tree ----------------------------------------------------------------


def snapshot_exercises(repo: Path, commit: str, target: Path) -> list[str]:
    """Write ``exercises/*.py`` as committed at ``commit`` into ``target/exercises/`` (fresh);
    return the notes on files left out (links, oversized files)."""
    folder = Path(target) / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    listing = git("ls-tree", "-l", "-z", commit, "exercises/", cwd=repo).stdout.decode("utf-8", "replace")
    notes = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob, size = meta.split()
        name = path.rsplit("/", 1)[-1]
        if kind != "blob" or not name.endswith(".py"):
            continue
        if mode not in ("100644", "100755") or int(size) > MAX_FILE_BYTES:
            notes.append(f"{name}: 링크이거나 너무 큰 파일이라 채점에 쓰지 않습니다.")
            continue
        (folder / name).write_bytes(git("cat-file", "blob", blob, cwd=repo).stdout)
    return notes
