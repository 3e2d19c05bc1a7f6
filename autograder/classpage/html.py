"""HTML that escapes by default: the building blocks of the class report.

Markup is built with :func:`element`, which escapes every string it is given
unless it is already :class:`Html`, so text a submission controls (its folder
name, messages, notes) can only ever show as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Iterable


class Html(str):
    """Markup that is already safe: :func:`element` inserts it as it is."""


class Td(Html):
    """A ready ``<td>`` element: :func:`table` uses it as the cell itself."""


def escape(value) -> Html:
    """``value`` as text (``Html`` stays as it is; anything else is escaped, quotes too)."""
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=True))


def join(parts: Iterable, separator: str = "") -> Html:
    """The parts one after another, each escaped unless it is :class:`Html`."""
    return Html(escape(separator).join(escape(part) for part in parts))


def element(tag: str, *children, **attrs) -> Html:
    """``<tag attrs>children</tag>`` with every attribute value and text child escaped.

    ``class_`` stands for ``class``, ``data_sort`` for ``data-sort``; attributes
    whose value is ``None`` or ``False`` are left out, and so are ``None`` children.
    """
    rendered = "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
                       for name, value in attrs.items() if value is not None and value is not False)
    return Html(f"<{tag}{rendered}>{join(c for c in children if c is not None)}</{tag}>")


@dataclass
class Row:
    """A table row with attributes of its own (``{"class_": "low"}``, say)."""

    cells: list
    attrs: dict = field(default_factory=dict)


def cell(content, sort=None, numeric: bool = False) -> Td:
    """A ``<td>`` that sorts by ``sort`` (a number or text) rather than by what it shows."""
    return Td(element("td", content, data_sort=sort, class_="num" if numeric else None))


def table(headers: list, rows: list, sortable: bool = False, numeric: Iterable[int] = (),
          narrow: bool = False) -> Html:
    """A table in a horizontally scrolling box.

    Parameters
    ----------
    headers
        The column headings.
    rows
        Lists of cells (text, :class:`Html`, or ready ``<td>`` elements from
        :func:`cell`), or :class:`Row` objects.
    sortable
        Whether clicking a heading sorts by that column (the page's script).
    numeric
        Indexes of the columns aligned right as numbers.
    narrow
        Only as wide as its content (at least half the page), not the page.
    """
    numeric = set(numeric)
    head = element("thead", element("tr", *[element("th", h, class_="num" if i in numeric else None)
                                            for i, h in enumerate(headers)]))
    body = element("tbody", *[_row(row, numeric) for row in rows])
    return element("div", element("table", head, body, class_=" ".join(
        c for c, on in (("sortable", sortable), ("narrow", narrow)) if on) or None), class_="scroll")


def _row(row, numeric: set) -> Html:
    cells, attrs = (row.cells, row.attrs) if isinstance(row, Row) else (row, {})
    return element("tr", *[c if isinstance(c, Td) else
                           element("td", c, class_="num" if i in numeric else None)
                           for i, c in enumerate(cells)], **attrs)
