"""Hover definitions for the key terms (Korean–English glossary), from one file: includes/glossary.md.

The file uses the abbreviation syntax of Python-Markdown's ``abbr`` extension::

    *[기울기]: gradient — 모든 변수의 편미분을 모은 벡터 ∇f.

Markdown's own ``abbr`` only matches a term that stands alone (``\\bterm\\b``);
in Korean a particle follows the noun (기울기**를**, 에폭**마다**), so almost
no occurrence would match. This extension keeps the ``abbr`` syntax and
elements (Material shows their ``title`` as a tooltip) but matches a term
wherever it starts a word, and marks only its **first** occurrence on a page,
outside headings, links, code and formulas. The glossary page lists every
entry (``entries()``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.extensions.abbr import AbbrExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "includes" / "glossary.md"
ENTRY = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<english>[^—]+?)\s*—\s*(?P<meaning>.+)$")
SKIP = {"code", "pre", "a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
#: Occurrences that are not the glossary's sense of the term (a scalar slope is not the gradient).
NOT_AFTER = {"기울기": "접선의 "}


def entries(path: Path = GLOSSARY) -> list[dict]:
    """[{"term", "english", "meaning", "title"}] in the file's order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line.strip())
        if match:
            row = match.groupdict()
            row["title"] = f"{row['english']}: {row['meaning']}"
            rows.append(row)
    return rows


class FirstOccurrenceTreeprocessor(Treeprocessor):
    def __init__(self, md, abbrs: dict):
        super().__init__(md)
        self.abbrs = abbrs

    def run(self, root):
        if not self.abbrs or self._inside_api_reference():
            return
        terms = sorted(self.abbrs, key=len, reverse=True)
        pattern = "|".join(
            (f"(?<!{re.escape(NOT_AFTER[t])})" if t in NOT_AFTER else "") + re.escape(t) for t in terms)
        self.regex = re.compile(rf"(?<![\w-])(?:{pattern})")
        self.seen: set[str] = set()
        self.created: set[int] = set()
        self._walk(root)

    def _inside_api_reference(self) -> bool:
        """mkdocstrings converts each docstring on its own: no hover marks there (they would repeat)."""
        return any(type(ext).__name__ == "MkdocstringsInnerExtension" for ext in self.md.registeredExtensions)

    def _skip(self, element) -> bool:
        return element.tag in SKIP or "arithmatex" in (element.get("class") or "").split()

    def _wrap(self, text: str):
        """(text before the first new term, [abbr elements with their tails]) or None."""
        if not text or isinstance(text, AtomicString):
            return None
        for match in self.regex.finditer(text):
            term = match.group(0)
            if term in self.seen:
                continue
            self.seen.add(term)
            abbr = etree.Element("abbr", {"title": self.abbrs[term]})
            abbr.text = AtomicString(term)
            self.created.add(id(abbr))
            rest = text[match.end():]
            more = self._wrap(rest)
            if more is None:
                abbr.tail = rest
                return text[: match.start()], [abbr]
            abbr.tail, others = more
            return text[: match.start()], [abbr, *others]
        return None

    def _walk(self, element):
        if self._skip(element):
            return
        wrapped = self._wrap(element.text)
        if wrapped:
            element.text, new = wrapped
            for i, child in enumerate(new):
                element.insert(i, child)
        for child in list(element):
            if id(child) in self.created:  # its tail was searched when it was made
                continue
            self._walk(child)
            wrapped = self._wrap(child.tail)
            if wrapped:
                child.tail, new = wrapped
                index = list(element).index(child) + 1
                for offset, item in enumerate(new):
                    element.insert(index + offset, item)


class KoreanGlossaryExtension(AbbrExtension):
    """``abbr`` with the glossary loaded and Korean-aware, first-occurrence matching."""

    def __init__(self, **kwargs):
        kwargs.setdefault("glossary", {row["term"]: row["title"] for row in entries()})
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(FirstOccurrenceTreeprocessor(md, self.abbrs), "abbr", 7)
