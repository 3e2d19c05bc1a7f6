"""The suite modules of an exercise: ``public/test_<name>.py`` and ``hidden/test_<name>.py``, found by name."""

from __future__ import annotations

import importlib
from types import ModuleType


def suite_module(exercise: str, visibility: str) -> ModuleType | None:
    """The ``visibility`` ("public" or "hidden") suite of ``exercise``; None where it is not shipped
    (the student template has no hidden suites)."""
    name = f"{__package__}.{visibility}.test_{exercise}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if name.startswith(exc.name or "?"):
            return None
        raise
