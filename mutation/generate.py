"""Every mutant of the reference solutions: cosmic-ray's operators, then the argument mutants."""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from .arguments import argument_mutants
from .mutant import FILES, SOLUTIONS, Mutant


def changed_lines(original: str, mutated: str) -> tuple[int, str, str]:
    """(first changed line, old text, new text) of a one-place edit."""
    old, new = original.splitlines(), mutated.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return (i1 + 1, " ⏎ ".join(s.strip() for s in old[i1:i2]),
                    " ⏎ ".join(s.strip() for s in new[j1:j2]))
    raise ValueError("the mutant changes nothing")


def operator_mutants(path: Path) -> list[Mutant]:
    """cosmic-ray's mutants of one file (its init command lists them, its mutator applies them)."""
    from cosmic_ray.commands.init import init
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator
    from cosmic_ray.work_db import WorkDB, use_db

    original = path.read_text(encoding="utf-8")
    mutants = []
    with tempfile.TemporaryDirectory() as scratch, use_db(Path(scratch) / "work.sqlite", WorkDB.Mode.create) as db:
        init([path], db, {})
        for item in db.work_items:
            (spec,) = item.mutations
            operator = get_operator(spec.operator_name)(**spec.operator_args)
            mutated = mutate_code(original, operator, spec.occurrence)
            if mutated is None or mutated == original:
                continue
            line, before, after = changed_lines(original, mutated)
            mutants.append(Mutant(path.name, spec.definition_name or "<module>", spec.operator_name,
                                  line, before, after, mutated))
    return sorted(mutants, key=lambda m: (m.line, m.operator, m.after))


def all_mutants() -> list[Mutant]:
    mutants = []
    for name in FILES:
        mutants += operator_mutants(SOLUTIONS / name)
        mutants += argument_mutants(SOLUTIONS / name)
    return mutants
