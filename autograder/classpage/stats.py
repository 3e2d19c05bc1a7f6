"""The numbers of the class report: how the class did on each test, and which catalogued mistakes it made."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..catalog import EXERCISES
from ..grade.result import Status, SubmissionResult, SubmissionStatus, TestResult
from ..suites.mistakes import MISTAKES

#: Test outcomes that are the student's code misbehaving (not a wrong value, not the grader).
TROUBLE = (Status.ERROR, Status.TIMEOUT, Status.MEMORY)


@dataclass
class TestStats:
    """How every submission did on one test."""

    __test__ = False  # not a pytest test class

    exercise: str
    exercise_title: str
    title: str
    visibility: str
    visibility_label: str
    points: int
    outcomes: Counter = field(default_factory=Counter)  # Status -> submissions
    answers: Counter = field(default_factory=Counter)  # digest of a failed answer -> submissions

    @property
    def counted(self) -> int:
        """Submissions this test judged (a grader problem is nobody's result)."""
        return sum(n for status, n in self.outcomes.items() if status is not Status.INTERNAL)

    @property
    def passed(self) -> int:
        return self.outcomes[Status.PASSED]

    @property
    def rate(self) -> float | None:
        return self.passed / self.counted if self.counted else None

    @property
    def same_answer(self) -> int:
        """Students sharing the most common wrong answer (0 when no two do)."""
        most = max(self.answers.values(), default=0)
        return most if most > 1 else 0


def test_stats(results: list[SubmissionResult]) -> list[TestStats]:
    """Per test, in report order (by exercise, public before hidden), how the submissions ended."""
    titles = {e.name: e.title for r in results for e in r.exercises}
    stats: dict[tuple[str, str], TestStats] = {}
    for result in results:
        for test in result.tests():
            key = (test.exercise, test.name)
            if key not in stats:
                stats[key] = TestStats(test.exercise, titles.get(test.exercise, test.exercise), test.title,
                                       test.visibility, test.visibility_label, test.max_score)
            stats[key].outcomes[test.status] += 1
            if test.status is Status.FAILED and test.answer:
                stats[key].answers[test.answer] += 1
    order = {name: i for i, name in enumerate(exercise_order(results))}
    return sorted(stats.values(), key=lambda s: order[s.exercise])  # stable: suite order within an exercise


test_stats.__test__ = False


def exercise_order(results: list[SubmissionResult]) -> list[str]:
    """Exercise names in catalogue order, then any the catalogue does not know in the order met."""
    met = list(dict.fromkeys(e.name for r in results for e in r.exercises))
    return [e.name for e in EXERCISES if e.name in met] + [n for n in met if n not in {e.name for e in EXERCISES}]


@dataclass
class MistakeStats:
    """One catalogued mistake: who made it and in which tests."""

    key: str
    label: str
    docs: str
    students: list[str] = field(default_factory=list)  # submission names, each once
    tests: dict[tuple[str, str], int] = field(default_factory=dict)  # (exercise title, test title) -> students


def mistake_ranking(results: list[SubmissionResult]) -> list[MistakeStats]:
    """Catalogued mistakes by how many distinct students made them, most first."""
    ranking: dict[str, MistakeStats] = {}
    for result in results:
        titles = {e.name: e.title for e in result.exercises}
        for key, tests in _mistakes_of(result).items():
            known = MISTAKES.get(key)  # a key the catalogue no longer has shows as itself, without a link
            stats = ranking.setdefault(key, MistakeStats(key, known.label if known else key,
                                                         known.docs if known else ""))
            stats.students.append(result.name)
            for test in tests:
                where = (titles.get(test.exercise, test.exercise), test.title)
                stats.tests[where] = stats.tests.get(where, 0) + 1
    return sorted(ranking.values(), key=lambda m: (-len(m.students), m.label))


def _mistakes_of(result: SubmissionResult) -> dict[str, list[TestResult]]:
    """The tests of one submission by the mistake they were diagnosed as (each test once per mistake)."""
    found: dict[str, list[TestResult]] = {}
    for test in result.tests():
        if test.mistake and not test.passed:
            found.setdefault(test.mistake, []).append(test)
    return found


def ranks(counts: list[int]) -> list[int]:
    """Competition ranks of counts sorted most first: equal counts share a rank (1, 1, 3, ...)."""
    return [counts.index(n) + 1 for n in counts]


def graded(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Submissions with a grade that means something (the grader finished, the folder was gradable)."""
    return [r for r in results if r.status is SubmissionStatus.GRADED]


def tested(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Submissions at least one test ran on."""
    return [r for r in results if r.exercises]


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage ('67%'), or '—' of nothing."""
    return f"{100 * part / whole:.0f}%" if whole else "—"


def points(value: float) -> str:
    """A score with one decimal, without a trailing '.0' ('7.5', '8')."""
    return f"{value:.1f}".removesuffix(".0")
