"""A table's column headers read from space-aligned lines, and values laid under them.

The header's chunks (or their words) are stacked from its bottom line up: one over no column is a
column of its own, one over a column is a part of it (结果 over 维持: 结果维持). A word over several
columns is a group header, and no line from there up adds a column: a group header centred
between its columns would be taken for one. Stopping instead at the top of the stacked column
headers (the first line, going up, that only adds to columns below it) leaves out a group header
that stands over no column at all.
"""

from __future__ import annotations

import math
import statistics
from functools import cache

from .chunks import Chunk, Span, center, header_words, near
from .restream import vocabulary

CROWDED = 0.75
"""A header column over no number nearer a neighbour than this share of the usual distance between
columns is a piece of the neighbour's header (其他结 | 果), no column."""
LEFT_OF_HEADER = 10
"""How much worse a value left of a header column's centre fits it than one as far right of it: a
converter that packs a header's words moves them left of the numbers under them, never right."""
CONFIRMING_ROWS = 2
"""Rows enough to confirm columns: on a table of as many, a header column over no number of any row
is no column."""


@cache
def widths() -> frozenset[int]:
    """How many cells a row of one of the form's tables has: a table has as many columns."""
    return frozenset().union(*vocabulary().values())


def stack(header: list[list[Chunk]], left: int, words: bool, band: bool) -> list[Chunk]:
    """The header's columns right of ``left``, each named by the text stacked in it, from its chunks
    (``words``: their words) up to a group header (``band``: up to the top of the stacked headers)."""
    columns: list[tuple[Span, list[str]]] = []
    for line in reversed(header):
        line = [c for c in line if c.end > left]
        if any(len(_over(w.span, columns)) > 1 for c in line for w in header_words(c)):
            break
        parts = [p for c in line for p in (header_words(c) if words else (c,))]
        new = [p for p in parts if not _over(p.span, columns)]
        for part in parts:
            if over := _over(part.span, columns):
                over[0][1].insert(0, part.text)
        columns += [(p.span, [p.text]) for p in new]
        if len(columns) > max(widths()) or band and parts and not new and columns:
            break  # wider than any table of the form: no header of one
    return [Chunk("".join(texts), *span) for span, texts in sorted(columns)]


def _over(span: Span, columns: list[tuple[Span, list[str]]]) -> list[tuple[Span, list[str]]]:
    return [c for c in columns if span[0] < c[0][1] and c[0][0] < span[1]]


def under(values: list[Chunk], columns: list[Chunk]) -> list[int] | None:
    """The column each value stands under, or None when one stands under none or several, or two
    under one."""
    placed = []
    for v in values:
        hits = [k for k, c in enumerate(columns) if near(v.span, c.span)]
        if len(hits) != 1:
            return None
        placed.append(hits[0])
    return placed if len(set(placed)) == len(placed) else None


def heads(header: list[Chunk], rows: list[list[Chunk]]) -> bool:
    """Whether the header heads rows of values: as many columns as a table of the form, every value
    under one column of its own, every column over a value of some row when the rows are enough to
    tell, and a column over no value not crowding its neighbours."""
    placed = [under(values, header) for values in rows]
    if len(header) not in widths() or any(p is None for p in placed):
        return False
    blank = set(range(len(header))) - {j for p in placed if p for j in p}
    if blank and len(rows) >= CONFIRMING_ROWS:
        return False
    gaps = [center(b.span) - center(a.span) for a, b in zip(header, header[1:])]
    least = CROWDED * statistics.median(gaps) if gaps else 0
    return all(gaps[g] >= least for j in blank for g in (j - 1, j) if 0 <= g < len(gaps))


def nearest(values: list[Chunk], columns: list[Chunk]) -> list[int]:
    """The columns, in order and one each, that the values fit best (`LEFT_OF_HEADER`)."""
    def cost(v: Chunk, c: Chunk) -> float:
        d = center(v.span) - center(c.span)
        return d if d >= -1 else LEFT_OF_HEADER * -d

    n, m = len(values), len(columns)
    total = [[0.0] * (m + 1)] + [[math.inf] * (m + 1) for _ in range(n)]
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            total[i][j] = min(total[i][j - 1], total[i - 1][j - 1] + cost(values[i - 1], columns[j - 1]))
    placed, j = [], m
    for i in range(n, 0, -1):
        while total[i][j] == total[i][j - 1]:
            j -= 1
        placed.append(j - 1)
        j -= 1
    return placed[::-1]


def clusters(values: list[Chunk]) -> list[Chunk]:
    """The columns numbers stand in: the spans of numbers that overlap or touch, together."""
    out: list[Chunk] = []
    for v in sorted(values, key=lambda c: c.span):
        if out and near(out[-1].span, v.span):
            out[-1] = Chunk("", out[-1].start, max(out[-1].end, v.end))
        else:
            out.append(Chunk("", v.start, v.end))
    return out
