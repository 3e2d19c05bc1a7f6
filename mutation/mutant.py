"""One mutant: a changed line of one reference solution file, and which exercise it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.catalog import EXERCISES

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
FILES = {f"{exercise.name}.py": exercise.name for exercise in EXERCISES}


@dataclass(frozen=True)
class Mutant:
    """One changed line of one solution file."""

    file: str  # e.g. "gradient.py"
    function: str  # the function or method the change is in
    operator: str  # cosmic-ray's operator name, or "argument/ignored"
    line: int
    before: str  # the line as the reference has it (stripped)
    after: str  # the line in the mutant (stripped; several lines joined by " ⏎ ")
    source: str  # the whole mutated file

    @property
    def exercise(self) -> str:
        return FILES[self.file]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.file, self.function, self.before, self.after)
