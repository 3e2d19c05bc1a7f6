"""The lecture site's pages, as mkdocs.yml's nav lists them: what the docs tests build, open and check."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def nav_files() -> list[str]:
    """The Markdown files of mkdocs.yml's nav, in order."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text[text.index("\nnav:"):].split("\n\n", 1)[0]
    return re.findall(r":\s*\"?([\w./-]+\.md)\"?\s*$", nav, flags=re.M)


#: Every page's address under the site ("" is the home page).
PAGES = tuple("" if name == "index.md" else name.removesuffix(".md") + "/" for name in nav_files())
#: Lecture pages: all but the home page and the glossary. Each ends with 확인 문제, marks glossary terms and
#: typesets formulas.
LECTURE_PAGES = tuple(page for page in PAGES if page not in ("", "glossary/"))
