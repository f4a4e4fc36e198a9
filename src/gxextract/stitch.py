"""Tables continued on the next page, stitched to their first part, and every page's items laid
out as the document's rows (`assemble`), for every geometric reader.

- header rows repeated on the continuation are dropped;
- a merged cell broken by the page break (its text shared out over the two pages) is
  joined back: a label fragment at the top of the continuation that does not start with
  a numbering and is not the row's own label is appended to the cell above it;
- a row cut in two (label continued, values on one side only) becomes one row.
"""

from __future__ import annotations

import re

from .models import Row
from .tables import PageItems, Table, TableCell

_NUMBERED = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．)）])")
EDGE = 6.0
"""Table outer edges within this (points) on both pages: the same table."""


def numbered(text: str) -> bool:
    return bool(_NUMBERED.match(text))


def _norm(row: list[TableCell]) -> str:
    return "".join("".join(c.text.split()) for c in row)


def same_columns(a: Table, b: Table) -> bool:
    return abs(a.xs[0] - b.xs[0]) <= EDGE and abs(a.xs[-1] - b.xs[-1]) <= EDGE


def _above(cell: TableCell, prev: Table) -> TableCell | None:
    """The cell of ``prev`` reaching its bottom whose columns match ``cell``'s best."""
    best, best_overlap = None, 0.0
    for row in prev.rows:
        for c in row:
            if abs(c.bbox[3] - prev.bottom) > 1.0:
                continue
            overlap = min(c.bbox[2], cell.bbox[2]) - max(c.bbox[0], cell.bbox[0])
            width = max(c.bbox[2] - c.bbox[0], cell.bbox[2] - cell.bbox[0])
            if overlap > 0.8 * width and overlap > best_overlap:
                best, best_overlap = c, overlap
    return best


def _complementary(upper: list[TableCell], lower: list[TableCell]) -> bool:
    """Two halves of one row: apart from the label column, no column has text in both."""
    both = 0
    for c in lower:
        if not c.text:
            continue
        for u in upper:
            overlap = min(u.bbox[2], c.bbox[2]) - max(u.bbox[0], c.bbox[0])
            if u.text and overlap > 0.5 * min(u.bbox[2] - u.bbox[0], c.bbox[2] - c.bbox[0]):
                both += 1
    return both <= 1


def stitch(prev: Table, cont: Table) -> None:
    """Append ``cont`` (the next page's part) to ``prev`` in place."""
    headers = {_norm(r) for r in prev.rows[:6] if not any(c.numeric for c in r)}
    rows = list(cont.rows)
    while rows and not any(c.numeric for c in rows[0]) and _norm(rows[0]) in headers:
        rows.pop(0)
    if rows and prev.rows:
        first = rows[0]
        labels = [c for c in first if c.label]
        last_label = labels[-1] if labels else None
        values_here = any(c.numeric for c in first)
        values_there = any(c.numeric for c in prev.rows[-1])
        split_row = bool(labels) and values_here != values_there \
            and not any(numbered(c.text) for c in labels) and _complementary(prev.rows[-1], first)
        keep = []
        for c in first:
            up = _above(c, prev)
            joins = up is not None and (
                split_row or (c.label and c is not last_label and not numbered(c.text)))
            if joins and up is not None:
                if c.text:
                    sep = "" if not up.text or not c.text else ("" if not (up.text[-1].isascii() and c.text[0].isascii()) else " ")
                    up.text = up.text + sep + c.text
                    up.score = min(up.score, c.score)
                up.rowspan += c.rowspan
            else:
                keep.append(c)
        rows[0] = keep
        if not keep:
            rows.pop(0)
    prev.rows.extend(rows)
    prev.bottom = cont.bottom
    cont.continued = True
    cont.root = prev


def _substantial(row: Row) -> bool:
    """Running text between two tables (a page number or a footer is not)."""
    text = "".join(c.text for c in row.cells)
    return len("".join(ch for ch in text if not (ch.isdigit() or ch in "-—–第页頁/ ."))) > 3


def assemble(per_page: list[PageItems]) -> list[Row]:
    """Stitch tables across page breaks, then flatten into rows in reading order."""
    open_table: Table | None = None
    for items in per_page:
        first = next((k for k, (_, it) in enumerate(items) if isinstance(it, Table)), None)
        if open_table is not None and first is not None:
            cont = items[first][1]
            before = [it for _, it in items[:first] if isinstance(it, Row) and _substantial(it)]
            if not before and same_columns(open_table, cont):
                stitch(open_table, cont)
        last = next((k for k in range(len(items) - 1, -1, -1) if isinstance(items[k][1], Table)), None)
        open_table = None
        if last is not None:
            after = [it for _, it in items[last + 1:] if isinstance(it, Row) and _substantial(it)]
            if not after:
                t = items[last][1]
                open_table = t.root if t.continued else t
    rows: list[Row] = []
    for items in per_page:
        for _, it in items:
            if isinstance(it, Table):
                if not it.continued:
                    rows.extend(it.to_rows())
            else:
                rows.append(it)
    return rows
