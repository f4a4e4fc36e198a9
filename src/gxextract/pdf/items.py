"""One page of positioned characters and rule segments → its items (tables and lines, top to bottom).

Every reader of a fixed-layout page with a text layer (text PDF, OFD) hands its characters and
path pieces, on the page as read (points, origin top left), to `page_items`: grids from the
rules are filled (`table.fill`), the rest is read by alignment or as lines (`unruled.rows`).
"""

from __future__ import annotations

from ..models import Cell, Row
from ..tables import PageItems
from . import grid as pdfgrid
from . import rules, table, unruled
from .objects import Char, Segment

TITLE_LINES = 8
"""Lines of running text before the first table row that may hold the report's title."""


def page_items(chars: list[Char], segments: list[Segment], width: float, page: int) -> PageItems:
    """The tables and lines of page ``page`` (1-based) of width ``width``, top to bottom."""
    hs, vs = rules.rules(segments)
    items: PageItems = []
    rest = chars
    for g in pdfgrid.grids(hs, vs):
        t, rest = table.fill(g, rest, page)
        if t.rows:
            items.append((t.top, t))
    items += unruled.rows(rest, page, width)
    items.sort(key=lambda it: it[0])
    return items


def line_rows(text: str, page: int) -> list[Row]:
    """A page without tables: each line of its text a row of running text."""
    return [Row(cells=[Cell(text=" ".join(t.split()), page=page)], structured=False)
            for t in text.splitlines() if t.strip()]


def title_lines(rows: list[Row]) -> list[str]:
    """The lines of running text before the first structured row (at most `TITLE_LINES`)."""
    title: list[str] = []
    for r in rows:
        if r.structured:
            break
        title.append(" ".join(c.text for c in r.cells))
        if len(title) >= TITLE_LINES:
            break
    return title
