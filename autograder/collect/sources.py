"""What ``grade`` makes of the folders it is given: one gradable folder and one name per student.

- a submission folder (it has ``exercises/``): graded as it is, named by its path;
- a ``gh teacher download`` folder (``scores.csv`` and one clone per student):
  each clone, named by the student's username, with the push-time score from
  ``scores.csv`` to compare with;
- a folder of clones (``collect``'s DEST): each clone, named by its folder;
- nbgrader's ``submitted/`` (or the course folder above it): each student's
  notebooks converted to ``exercises/*.py`` under ``OUT/notebooks/<student>/``.

With a deadline, every git clone is graded as it was at its last
``submit/*`` tag not after the deadline (``OUT/snapshots/<name>/``); a
clone with no such tag has nothing to grade and is recorded as missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import CollectError, download, git, notebooks
from .git import GitError


@dataclass
class Source:
    path: Path
    label: str | None = None  # None: the path as given
    scores: dict | None = None  # the download folder's scores.csv, by username
    tag: str | None = None  # the submission tag graded (with a deadline)
    is_git: bool = False  # a clone whose tags can be read

    @property
    def name(self) -> str:
        return self.label or str(self.path)


@dataclass
class Sources:
    paths: list[Path] = field(default_factory=list)
    labels: dict[Path, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # nothing submitted before the deadline
    push_time: dict[str, download.PushTimeScore | None] = field(default_factory=dict)  # by label
    notes: list[str] = field(default_factory=list)

    def add(self, source: Source) -> None:
        self.paths.append(source.path)
        self.labels[source.path] = source.name
        if source.scores is not None:
            self.push_time[source.name] = download.push_time_score(source.scores, source.name, source.tag)


def _children(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _is_class_folder(path: Path) -> bool:
    """A folder of clones or submissions (``collect``'s DEST), not a submission itself."""
    return path.is_dir() and not (path / "exercises").exists() \
        and any(git.is_repository(c) or (c / "exercises").is_dir() for c in _children(path))


def _expand(path: Path, out: Path) -> list[Source]:
    if download.is_download_folder(path):
        scores = download.read_scores(path)
        names = [rows[0].username for rows in scores.values()]
        return [Source(clone, label, scores, is_git=git.is_repository(clone))
                for clone, label in download.repositories(path, names).items()]
    submitted = notebooks.submitted_folder(path)
    if submitted is not None:
        sources = []
        for student, folder in notebooks.submissions(submitted).items():
            target = out / "notebooks" / _safe(student)
            notebooks.convert(folder, target)
            sources.append(Source(target, student))
        return sources
    if _is_class_folder(path):
        return [Source(c, c.name, is_git=git.is_repository(c)) for c in _children(path)]
    return [Source(path, is_git=git.is_repository(path))]


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "submission"


def _at_deadline(source: Source, deadline: dt.datetime, out: Path, sources: Sources) -> Source | None:
    """``source`` as it was at its last submission tag not after ``deadline`` (None: nothing on time)."""
    if not source.is_git:
        raise CollectError(f"{source.path}: git 저장소가 아니라 --deadline 으로 제출 시각을 고를 수 없습니다")
    try:
        tags, ignored = git.submit_tags(source.path)
        chosen = git.last_before(tags, deadline)
        sources.notes += [f"{source.name}: 제출 태그로 인정하지 않은 태그 {name}" for name in ignored]
        if chosen is None:
            return None
        target = out / "snapshots" / _safe(source.name)
        sources.notes += [f"{source.name}: {note}" for note in git.snapshot_exercises(source.path, chosen.commit, target)]
    except GitError as exc:
        raise CollectError(f"{source.path}: 제출 태그를 읽을 수 없습니다 ({exc})") from None
    return Source(target, source.name, source.scores, chosen.name, True)


def expand(paths: list[Path], deadline: dt.datetime | None, out: Path) -> Sources:
    """Every folder to grade, with its student's name (CollectError on input that cannot be used)."""
    sources = Sources()
    for path in paths:
        for source in _expand(Path(path), Path(out)):
            if deadline is None:
                sources.add(source)
                continue
            graded = _at_deadline(source, deadline, Path(out), sources)
            if graded is None:
                sources.missing.append(source.name)
                if source.scores is not None:
                    sources.push_time[source.name] = None
            else:
                sources.add(graded)
    return sources


def push_time_rows(results, sources: Sources) -> list[dict]:
    """Instructor's grade against the runner's push-time score, per student of a download folder."""
    rows = []
    for result in results:
        if result.submission not in sources.push_time:
            continue
        pushed = sources.push_time[result.submission]
        score = None if pushed is None else pushed.score
        rows.append({"username": result.submission, "submission_tag": pushed.tag if pushed else "",
                     "push_time_score": "" if score is None else score, "grade": result.score,
                     "max_score": result.max_score, "differs": score is not None and score != result.score})
    return rows
