"""Griffe extension: read Korean numpydoc section titles (인수, 반환값, 예시).

The exercises' docstrings title their sections in Korean; griffe's numpy parser
only knows the English titles. Renaming them before parsing gives real
parameter/return tables, which the Korean template
(docs/templates/python/material/languages/ko.html.jinja) labels in Korean again.
"""

import re

import griffe

SECTION_TITLES = {"인수": "Parameters", "반환값": "Returns", "예시": "Examples", "예외": "Raises"}
SECTION = re.compile(r"^([ \t]*)(" + "|".join(SECTION_TITLES) + r")[ \t]*\n(\1-{3,}[ \t]*)$", re.MULTILINE)


class KoreanSections(griffe.Extension):
    def on_object(self, *, obj, loader, **kwargs):
        docstring = obj.docstring
        if docstring is not None and isinstance(docstring.value, str):
            docstring.value = SECTION.sub(lambda m: f"{m[1]}{SECTION_TITLES[m[2]]}\n{m[3]}", docstring.value)
