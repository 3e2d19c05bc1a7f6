"""Student-influenced text written into Markdown so that it renders as written.

A child's error message is checked for hidden material as plain text
(``grade/hidden.py``), but a Markdown renderer (GitHub, Gradescope) turns
``v&#97;lues``, ``v`a`lues``, ``v*a*lues`` or ``out\\[i\\]`` into ``values``
and ``out[i]``: every character that can vanish when rendered (escapes,
entities, tags, code spans, emphasis, links) is escaped, so the page shows
exactly the text that was checked. An underscore inside a word never starts
emphasis and stays as it is (``sum_squared_error``).
"""

from __future__ import annotations

import re

#: Characters a renderer can make vanish, and an underscore at either edge of a word.
VANISHING = re.compile(r"[\\`*~\[\]<>&!|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def literal(text: str) -> str:
    """``text`` on one line (it cannot start a heading or a list of its own), rendering as written."""
    return VANISHING.sub(lambda m: "\\" + m.group(), " ".join(str(text).split()))
