"""Identical unusual wrong answers: submissions worth a second look (instructor only, never a score).

Two students who make the same catalogued mistake (a forward difference, say)
return the same bits honestly, so that is no signal. A wrong answer that no
catalogued mistake explains, returned bit for bit by several submissions on
several hidden tests, is a sign of shared code that token similarity cannot
see in five-line functions. :func:`find_groups` reports such groups, with the
token similarity of the files involved from copydetect (the stubs removed as
boilerplate) as a second, independent signal.

A wrong answer shared by many submissions is more likely a common mistake the
catalogue does not know yet than copying: those are listed apart
(:attr:`Findings.common`), as candidates for the catalogue.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from ..grade.result import Status, SubmissionResult

MIN_SHARED_TESTS = 2  # hidden tests with the same unexplained answer before a pair is reported
COMMON_SHARE = 0.2  # an answer shared by more than this share of the class (and > 3 submissions) is "common"
NOTE = "같은 코드를 나눠 썼다는 증거가 아니라, 직접 확인해 볼 만한 단서입니다."


@dataclass(frozen=True)
class Group:
    members: tuple[str, ...]  # submission names (folder names, usually GitHub logins)
    tests: tuple[str, ...]  # "exercise: title" of the hidden tests with the same unexplained answer
    exercises: tuple[str, ...]
    token_similarity: float | None  # copydetect, mean over pairs and files; None when not computed
    note: str = NOTE

    def as_dict(self) -> dict:
        return {"members": list(self.members), "tests": list(self.tests), "exercises": list(self.exercises),
                "token_similarity": self.token_similarity, "note": self.note}


@dataclass(frozen=True)
class Findings:
    groups: list[Group] = field(default_factory=list)
    common: list[dict] = field(default_factory=list)  # {"test", "count"}: unexplained answers many share

    def as_dict(self) -> dict:
        return {"groups": [g.as_dict() for g in self.groups], "common": self.common}


def unexplained_answers(results: list[SubmissionResult]) -> dict[tuple, list[str]]:
    """(exercise, test, digest) -> names of submissions that failed a hidden test with that exact answer
    and no catalogued mistake explains it."""
    shared: dict[tuple, list[str]] = {}
    for result in results:
        for test in result.tests():
            if test.hidden and test.status is Status.FAILED and test.answer and not test.mistake:
                shared.setdefault((test.exercise, test.name, test.answer), []).append(result.name)
    return shared


def find_groups(results: list[SubmissionResult], sources: dict[str, Path] | None = None,
                stubs: Path | None = None) -> Findings:
    """Groups of submissions sharing unexplained wrong answers on at least :data:`MIN_SHARED_TESTS` tests.

    ``sources`` maps a submission's name to its folder (holding ``exercises/``); with it and ``stubs``
    (the folder of the student stubs) each group gets a token-similarity score.
    """
    titles = {(t.exercise, t.name): f"{t.exercise}: {t.title}" for r in results for t in r.tests()}
    common_cap = max(3, COMMON_SHARE * len(results))
    pairs: dict[tuple[str, str], set[tuple]] = {}
    common = []
    for key, names in unexplained_answers(results).items():
        if len(names) > common_cap:
            common.append({"test": titles[key[:2]], "count": len(names)})
            continue
        for pair in itertools.combinations(sorted(set(names)), 2):
            pairs.setdefault(pair, set()).add(key[:2])
    linked = {pair: tests for pair, tests in pairs.items() if len(tests) >= MIN_SHARED_TESTS}
    groups = []
    for members in _components(linked):
        tests = sorted(set().union(*(t for p, t in linked.items() if p[0] in members)))
        exercises = sorted({exercise for exercise, _ in tests})
        groups.append(Group(tuple(sorted(members)), tuple(titles[t] for t in tests), tuple(exercises),
                            _token_similarity(sorted(members), exercises, sources, stubs)))
    groups.sort(key=lambda g: (-len(g.tests), g.members))
    return Findings(groups, sorted(common, key=lambda c: -c["count"]))


def _components(linked) -> list[set[str]]:
    """Connected groups of submissions (a copied trio is one group, not three pairs)."""
    groups: list[set[str]] = []
    for a, b in linked:
        touching = [g for g in groups if a in g or b in g]
        merged = set().union({a, b}, *touching)
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def _token_similarity(members, exercises, sources, stubs) -> float | None:
    """Mean copydetect similarity over every pair and exercise file (stub code discounted)."""
    if not sources or stubs is None:
        return None
    try:
        from copydetect import CodeFingerprint, compare_files
    except ImportError:
        return None
    scores = []
    for exercise in exercises:
        boilerplate = _fingerprint(CodeFingerprint, stubs / f"{exercise}.py")
        prints = {m: _fingerprint(CodeFingerprint, Path(sources[m]) / "exercises" / f"{exercise}.py",
                                  list(boilerplate.hashes) if boilerplate else None)
                  for m in members if m in sources}
        for a, b in itertools.combinations([p for p in prints.values() if p is not None], 2):
            _, (one, two), _ = compare_files(a, b)
            scores.append((float(one) + float(two)) / 2)
    return round(sum(scores) / len(scores), 3) if scores else None


def _fingerprint(code_fingerprint, path: Path, boilerplate=None):
    try:
        return code_fingerprint(str(path), 25, 1, boilerplate=boilerplate, language="python")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
