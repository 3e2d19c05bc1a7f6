"""Grade mutants as submissions: two worker processes, each with one grader per exercise."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .mutant import SOLUTIONS, Mutant

_graders: dict = {}
_folder: Path | None = None


@dataclass(frozen=True)
class Outcome:
    """How a mutant was graded: the tests it failed (name -> (status, mistake, message))."""

    score: int
    max_score: int
    failed: dict
    error: str = ""  # the grader itself failed: neither killed nor survived

    @property
    def killed(self) -> bool:
        return not self.error and self.score < self.max_score


def _start(visibility: tuple[str, ...]) -> None:
    from autograder.catalog import EXERCISES
    from autograder.grade.engine import Grader
    from autograder.protocol import Limits

    global _folder
    limits = Limits(call_timeout=2.0, submission_timeout=60.0)
    for exercise in EXERCISES:
        _graders[exercise.name] = Grader(limits=limits, visibility=visibility, exercises=[exercise.name])
    _folder = Path(tempfile.mkdtemp(prefix="mutant-"))
    (_folder / "exercises").mkdir()
    for source in SOLUTIONS.glob("*.py"):
        shutil.copyfile(source, _folder / "exercises" / source.name)


def _grade(exercise: str, file: str, source: str) -> Outcome:
    target = _folder / "exercises" / file
    target.write_text(source, encoding="utf-8")
    try:
        result = _graders[exercise].grade(_folder, label="mutant")
    except Exception as exc:  # noqa: BLE001 - reported as a grader problem, never as a killed mutant
        return Outcome(0, 0, {}, f"{type(exc).__name__}: {exc}")
    finally:
        shutil.copyfile(SOLUTIONS / file, target)
    tests = [t for e in result.exercises for t in e.tests]
    return Outcome(sum(t.score for t in tests), sum(t.max_score for t in tests),
                   {t.name: (t.status.value, t.mistake, t.message) for t in tests if not t.passed})


def grade_all(mutants: list[Mutant], visibility=("hidden",), workers: int = 2, progress=None) -> list[Outcome]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(visibility,)) as pool:
        futures = [pool.submit(_grade, m.exercise, m.file, m.source) for m in mutants]
        outcomes = []
        for future in futures:
            outcomes.append(future.result())
            if progress:
                progress(len(outcomes), len(mutants))
    return outcomes
