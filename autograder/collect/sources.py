"""What ``grade`` makes of the folders it is given: one gradable folder and one name per student.

- a submission folder (it has ``exercises/``): graded as it is, named by its path;
- a ``gh teacher download`` folder (``scores.csv`` and one clone per student):
  each clone, named by the student's username, with the push-time score from
  ``scores.csv`` to compare with;
- a folder of clones (``collect``'s DEST): each clone, named by its folder;
- nbgrader's ``submitted/`` (or the course folder above it): each student's
  notebooks converted to ``exercises/*.py`` under ``OUT/notebooks/<student>/``.

With a deadline (:class:`DeadlineRules`: the class's deadline, each
student's extension, the late rule), every git clone is graded as it was at
its last ``submit/*`` tag not after the student's deadline
(``OUT/snapshots/<name>/``) and, when the late rule accepts it and its
``exercises/`` differ, at its latest tag after the deadline
(``OUT/snapshots-late/<name>/``). Each student's :class:`Plan` says which
tags those were; :func:`autograder.grade.late_work.decide` then says which
one counts. A student without a clone (a download folder lists every
student) or without any tag has nothing to grade.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..grade.late import LatePolicy
from ..roster import Roster
from . import CollectError, download, git, notebooks
from .git import GitError, SubmitTag

SNAPSHOTS, LATE_SNAPSHOTS = "snapshots", "snapshots-late"


@dataclass(frozen=True)
class DeadlineRules:
    """``--deadline``, ``--extensions`` and ``--late-policy`` together."""

    deadline: dt.datetime
    policy: LatePolicy = field(default_factory=LatePolicy)
    extensions: dict[str, dt.datetime] = field(default_factory=dict)  # by lower-cased login

    def deadline_for(self, name: str) -> tuple[dt.datetime, bool]:
        """The student's deadline and whether it is an extension."""
        extended = self.extensions.get(name.lower())
        return (extended, True) if extended is not None else (self.deadline, False)


@dataclass
class Plan:
    """One student's submissions under their deadline."""

    deadline: dt.datetime
    extended: bool = False
    on_time: SubmitTag | None = None
    on_time_path: Path | None = None
    late: SubmitTag | None = None  # the latest later tag considered
    late_path: Path | None = None  # None: not graded (the rule refuses it)


@dataclass
class Source:
    path: Path | None  # None: a student with nothing to grade
    label: str | None = None  # None: the path as given
    scores: dict | None = None  # the download folder's scores.csv, by username
    is_git: bool = False  # a clone whose tags can be read

    @property
    def name(self) -> str:
        return self.label or str(self.path)


@dataclass
class Sources:
    paths: list[Path] = field(default_factory=list)  # every folder to grade
    labels: dict[Path, str] = field(default_factory=dict)  # the student of each folder
    students: list[str] = field(default_factory=list)  # each student once, in order
    plans: dict[str, Plan] = field(default_factory=dict)  # by student, with a deadline
    scores: dict[str, dict] = field(default_factory=dict)  # a download folder's scores.csv, by student
    roster: Roster | None = None  # the students a download folder lists
    notes: list[str] = field(default_factory=list)
    folders: dict[str, str] = field(default_factory=dict)  # each student's folder name under OUT

    def folder_name(self, student: str) -> str:
        """A file-name-safe folder name for ``student`` that no other student gets (``kim-minji_`` and
        ``kim-minji`` are two students: one folder for both would grade one on the other's work)."""
        if student not in self.folders:
            taken, name = set(self.folders.values()), _safe(student)
            if name in taken:
                name = f"{name}-{hashlib.sha256(student.encode()).hexdigest()[:8]}"
            while name in taken:
                name += "_"
            self.folders[student] = name
        return self.folders[student]

    def add(self, source: Source, student: bool = True) -> None:
        if source.path is not None:
            self.paths.append(source.path)
            self.labels[source.path] = source.name
        if student and source.name not in self.students:
            self.students.append(source.name)
        if source.scores is not None:
            self.scores[source.name] = source.scores

    def push_time(self, name: str, tag: str | None) -> download.PushTimeScore | None:
        """The runner's score for ``name``'s submission ``tag`` (default: the latest scored)."""
        return download.push_time_score(self.scores[name], name, tag)


def _children(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _is_class_folder(path: Path) -> bool:
    """A folder of clones or submissions (``collect``'s DEST), not a submission itself."""
    return path.is_dir() and not (path / "exercises").exists() \
        and any(git.is_repository(c) or (c / "exercises").is_dir() for c in _children(path))


def _expand(path: Path, out: Path, sources: Sources) -> list[Source]:
    if download.is_download_folder(path):
        scores = download.read_scores(path)
        sources.roster = _merged(sources.roster, download.roster(path))
        names = [rows[0].username for rows in scores.values()]
        return [Source(clone, label, scores, is_git=git.is_repository(clone))
                for clone, label in download.repositories(path, names).items()]
    submitted = notebooks.submitted_folder(path)
    if submitted is not None:
        converted = []
        for student, folder in notebooks.submissions(submitted).items():
            target = out / "notebooks" / sources.folder_name(student)
            refused = [n for n in notebooks.convert(folder, target) if n.endswith(notebooks.REFUSED)]
            sources.notes += [f"{student}: {note}" for note in refused]  # the instructor sees what was not read
            converted.append(Source(target, student))
        return converted
    if _is_class_folder(path):
        return [Source(c, c.name, is_git=git.is_repository(c)) for c in _children(path)]
    return [Source(path, is_git=git.is_repository(path))]


def _merged(first: Roster | None, second: Roster) -> Roster:
    """The students of several download folders, each once."""
    if first is None:
        return second
    known = {s.login.lower() for s in first.students}
    return Roster(first.students + tuple(s for s in second.students if s.login.lower() not in known),
                  f"{first.path}, {second.path}", staff=first.staff + second.staff)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "submission"


def _late_tag(tags: list[SubmitTag], on_time: SubmitTag | None, deadline: dt.datetime, policy: LatePolicy,
              repo: Path) -> SubmitTag | None:
    """The latest tag after ``deadline`` the rule accepts (else the latest one at all), unless its
    ``exercises/`` are the on-time tag's: then nothing graded changed and the student was not late."""
    later = [t for t in tags if t.time > deadline]
    accepted = [t for t in later if policy.accepts(t.time - deadline)]
    late = (accepted or later or [None])[-1]
    if late is not None and on_time is not None and \
            git.exercises_tree(repo, late.commit) == git.exercises_tree(repo, on_time.commit):
        return None
    return late


def _recorded(source: Source, tags: list[SubmitTag], sources: Sources) -> list[SubmitTag]:
    """``tags`` that the runner recorded in the download folder's ``scores.csv`` for this student, where it
    records any: a student can push a ``submit/`` tag of the right shape (an early time, the late commit's
    hash) by hand, but never add a row to ``scores.csv``."""
    recorded = {row.tag for row in (source.scores or {}).get(source.name.lower(), []) if row.tag}
    if not recorded:
        return tags
    sources.notes += [f"{source.name}: scores.csv에 없는 제출 태그라 인정하지 않습니다: {t.name}"
                      for t in tags if t.name not in recorded]
    return [t for t in tags if t.name in recorded]


def _plan(source: Source, rules: DeadlineRules, out: Path, sources: Sources) -> Plan:
    """Which tags of ``source`` count under ``rules``, their snapshots written (CollectError if unreadable)."""
    if not source.is_git:
        raise CollectError(f"{source.path}: git 저장소가 아니라 --deadline 으로 제출 시각을 고를 수 없습니다")
    deadline, extended = rules.deadline_for(source.name)
    plan = Plan(deadline, extended)
    try:
        tags, ignored = git.submit_tags(source.path)
        sources.notes += [f"{source.name}: 제출 태그로 인정하지 않은 태그 {name}" for name in ignored]
        tags = _recorded(source, tags, sources)
        plan.on_time = git.last_before(tags, deadline)
        plan.late = _late_tag(tags, plan.on_time, deadline, rules.policy, source.path)
        if plan.on_time is not None:
            plan.on_time_path = _snapshot(source, plan.on_time, out / SNAPSHOTS, sources)
        if plan.late is not None and rules.policy.accepts(plan.late.time - deadline):
            plan.late_path = _snapshot(source, plan.late, out / LATE_SNAPSHOTS, sources)
    except GitError as exc:
        raise CollectError(f"{source.path}: 제출 태그를 읽을 수 없습니다 ({exc})") from None
    return plan


def _snapshot(source: Source, tag: SubmitTag, folder: Path, sources: Sources) -> Path:
    target = folder / sources.folder_name(source.name)
    sources.notes += [f"{source.name}: {note}" for note in git.snapshot_exercises(source.path, tag.commit, target)]
    return target


def expand(paths: list[Path], rules: DeadlineRules | None, out: Path) -> Sources:
    """Every folder to grade, with its student's name (CollectError on input that cannot be used)."""
    sources = Sources()
    for path in paths:
        for source in _expand(Path(path), Path(out), sources):
            if rules is None:
                sources.add(source)
                continue
            plan = sources.plans[source.name] = _plan(source, rules, Path(out), sources)
            sources.add(Source(None, source.name, source.scores))
            if plan.on_time_path is not None:
                sources.add(Source(plan.on_time_path, source.name), student=False)
            if plan.late_path is not None:
                sources.add(Source(plan.late_path, f"{source.name} (마감 뒤 제출)"), student=False)
    return sources


def push_time_rows(results, sources: Sources) -> list[dict]:
    """Instructor's grade against the runner's push-time score, per student of a download folder
    (compared before any late penalty: the runner knows none)."""
    rows = []
    for result in results:
        if result.submission not in sources.scores:
            continue
        counted = result.timing.counted if result.timing else None
        pushed = None if result.timing and counted is None else \
            sources.push_time(result.submission, counted.tag if counted else None)
        score = None if pushed is None else pushed.score
        rows.append({"username": result.submission, "submission_tag": pushed.tag if pushed else "",
                     "push_time_score": "" if score is None else score, "grade": result.score,
                     "before_penalty": result.raw_score, "max_score": result.max_score,
                     "differs": score is not None and score != result.raw_score})
    return rows
