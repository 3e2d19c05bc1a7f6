"""Generated blocks of README.md, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.S)


def block(name: str, text: str | None = None) -> str:
    """The generated block ``name`` as README.md has it now."""
    text = README.read_text(encoding="utf-8") if text is None else text
    found = _pattern(name).search(text)
    if not found:
        raise KeyError(f"README.md has no block {name!r}")
    return found.group(2)


def write_block(name: str, content: str) -> None:
    text = README.read_text(encoding="utf-8")
    block(name, text)  # it must exist
    README.write_text(_pattern(name).sub(lambda m: m.group(1) + content + m.group(3), text), encoding="utf-8")
