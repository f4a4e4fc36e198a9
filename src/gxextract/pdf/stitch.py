"""A table continued on the next page, stitched to its first part.

- header rows repeated on the continuation are dropped;
- a merged cell broken by the page break (its text shared out over the two pages) is
  joined back: a label fragment at the top of the continuation that does not start with
  a numbering and is not the row's own label is appended to the cell above it;
- a row cut in two (label continued, values on one side only) becomes one row.
"""

from __future__ import annotations

import re

from .table import Table, TCell

_NUMBERED = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．)）])")
EDGE = 6.0
"""Table outer edges within this (points) on both pages: the same table."""


def numbered(text: str) -> bool:
    return bool(_NUMBERED.match(text))


def _norm(row: list[TCell]) -> str:
    return "".join("".join(c.text.split()) for c in row)


def same_columns(a: Table, b: Table) -> bool:
    return abs(a.xs[0] - b.xs[0]) <= EDGE and abs(a.xs[-1] - b.xs[-1]) <= EDGE


def _above(cell: TCell, prev: Table) -> TCell | None:
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


def _complementary(upper: list[TCell], lower: list[TCell]) -> bool:
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
                    up.clean = up.clean and c.clean
                up.rowspan += c.rowspan - (0 if split_row else 0)
            else:
                keep.append(c)
        rows[0] = keep
        if not keep:
            rows.pop(0)
    prev.rows.extend(rows)
    prev.bottom = cont.bottom
    cont.continued = True
    cont.root = prev
