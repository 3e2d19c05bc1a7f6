"""The reviewed list of equivalent mutants (``mutation/equivalent.toml``).

A mutant is equivalent when no input the stub's docstring allows can tell it
from the reference. Each entry names the mutant by its file, function and the
line before and after the change, with a one-line reason.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .mutant import Mutant

LIST = Path(__file__).resolve().parent / "equivalent.toml"


@dataclass(frozen=True)
class Equivalent:
    file: str
    function: str
    before: str
    after: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.file, self.function, self.before, self.after)


def load(path: Path = LIST) -> list[Equivalent]:
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    return [Equivalent(e["file"], e["function"], e["before"], e["after"], e["reason"]) for e in entries]


def unmatched(equivalents: list[Equivalent], mutants: list[Mutant]) -> list[Equivalent]:
    """Entries that name no mutant the tools make any more (the list must be edited)."""
    keys = {m.key for m in mutants}
    return [e for e in equivalents if e.key not in keys]
