"""Space-aligned text: a table's columns told by where its characters stand on the line.

``pdftotext -layout``, pdfplumber's ``layout=True`` and fixed-width text exports keep every word at
the x position of its column, counted in characters: a CJK character one column wide (converters)
or two (a fixed-width export), whichever count lines the document's numbers up. A line that ends in
numbers is a value line (`chunks`). Value lines, with label lines between them, make a table until
a line reaches into the numbers' columns (the next table's header, prose) or a page ends (``\\f``).

A table's columns are its header's (`headers`) when the header heads its rows: each number is
placed under its column, and a column with no number on a row is a cell printed blank, known by
its place. Failing that, the columns are where the numbers of two full rows or more stand. A lone
row that lost cells under a header that does not head it is laid on the header's columns as near as
it fits, and its cells carry `UNSURE_COLUMN`: every field read from them is flagged. Any other row is
left as it is. Labels wrapped around their numbers are joined back to their rows (`wraps`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from .chunks import Chunk, chunks, ends_in_value, near, page_number, split_values
from .confidence import UNSURE_COLUMN
from .headers import CONFIRMING_ROWS, clusters, heads, nearest, stack, under, widths
from .models import Cell, Row
from .stitch import numbered
from .wraps import MAX_GAP, join

HEADER_LINES = 10
"""Lines above a table's first value line searched for its column headers (a two-level header with
wrapped cells takes up to eight)."""
MAX_VALUE_LINES = 2000
"""More lines of numbers than this are no report's tables (a report prints about sixty rows): the text
is read line by line, as any other, and the limits downstream judge it."""
MIN_ALIGNED = 0.5
"""Share of the value lines with two numbers or more that keep them two spaces apart or more for a
document to be read as space-aligned (else its spaces are single separators)."""


@dataclass
class _Table:
    header: list[list[Chunk]]
    rows: list[tuple[int, list[Chunk], list[Chunk]]] = field(default_factory=list)
    """(line index, label chunks, value chunks)."""
    labels: dict[int, list[Chunk]] = field(default_factory=dict)
    """The label pieces of its lines (the words left of its numbers), by line index."""
    left: float = math.inf
    """Where its numbers begin."""

    def add(self, k: int, labels: list[Chunk], values: list[Chunk] | None = None) -> None:
        if values is not None:
            self.rows.append((k, labels, values))
            self.left = min(self.left, values[0].start)
        self.labels[k] = [w for c in labels for w in c.words]  # one space may part two labels (不 益)


def _tables(texts: list[str], line: Callable[[int], list[Chunk]], values: set[int], breaks: set[int]) -> list[_Table]:
    """The tables of the lines (``line``: a line's chunks; ``values``: the value lines), each with the
    lines above it (its header) and its label lines; the label lines right above its first value
    line are its first row's."""
    tables: list[_Table] = []
    table: _Table | None = None
    above: deque[int] = deque(maxlen=HEADER_LINES)
    for k, text in enumerate(texts):
        if k in breaks:
            table = None
            above.clear()
        if page_number(text):
            continue
        if k in values:
            labels, numbers = split_values(line(k))
            if table is None:
                table = _Table(header=[])
                tables.append(table)
                table.add(k, labels, numbers)
                lead = [j for j in above if j >= k - MAX_GAP and all(c.end <= table.left for c in line(j))]
                table.header = [line(j) for j in above if j not in lead]
                for j in range(lead[0], k) if lead else ():
                    table.add(j, line(j))
            else:
                table.add(k, labels, numbers)
        elif table is not None and any(c.end > table.left for c in line(k)):
            table = None  # the next table's header, or prose
            above.clear()
        elif table is not None:
            table.add(k, line(k))
        if text.strip() and table is None:
            above.append(k)
    for t in tables:  # a table ends at its last value line or label line
        end = max(j for j, pieces in t.labels.items() if pieces or j == t.rows[-1][0])
        t.labels = {j: pieces for j, pieces in t.labels.items() if j <= end}
    return tables


@dataclass
class _Placed:
    """A value line as laid on its table's columns."""

    labels: list[Chunk]
    cells: list[Chunk | None]
    """The row's values on the table's columns, None for a cell printed blank."""
    header: list[Chunk] = field(default_factory=list)
    """The header's columns, for a row that they alone name."""
    sure: bool = True


def _place(table: _Table) -> dict[int, _Placed]:
    """Every row of the table laid on its columns, or as it is when nothing places it. The header is
    read four ways (chunks or words, up to a group header or to the top of its stacked headers); it
    places the rows when the readings that head them all place them alike."""
    rows = [values for _, _, values in table.rows]
    left = max((c.end for _, labels, _ in table.rows for c in labels), default=0)
    readings = [stack(table.header, left, words, band) for band in (False, True) for words in (True, False)]
    heading = [h for h in readings if heads(h, rows)]
    header = heading[0] if len({_layout(h, rows) for h in heading}) == 1 else []
    numbers = clusters([v for values in rows for v in values])
    full = sum(len(values) == len(numbers) for values in rows)
    columns = header or (numbers if not heading and len(numbers) in widths() and full >= CONFIRMING_ROWS else [])
    unlabelled = not any(labels for _, labels, _ in table.rows)  # then named by its header alone
    out = {}
    for k, labels, values in table.rows:
        guess = next((h for h in readings if len(h) in widths() and len(h) > len(values)), None)
        if (placed := under(values, columns)) is not None:
            out[k] = _Placed(labels, _laid(values, placed, len(columns)), header if unlabelled else [])
        elif guess and len(values) not in widths() and len(rows) < CONFIRMING_ROWS:
            out[k] = _Placed(labels, _laid(values, nearest(values, guess), len(guess)),
                             guess if unlabelled else [], sure=False)
        else:
            out[k] = _Placed(labels, list(values))
    return out


def _layout(header: list[Chunk], rows: list[list[Chunk]]) -> tuple:
    """Where a header lays the rows: its count of columns, and each row's value columns."""
    return len(header), *(tuple(under(values, header) or ()) for values in rows)


def _laid(values: list[Chunk], placed: list[int], width: int) -> list[Chunk | None]:
    cells: list[Chunk | None] = [None] * width
    for v, j in zip(values, placed):
        cells[j] = v
    return cells


def _table_rows(table: _Table) -> dict[int, list[Row]]:
    """The rows that stand for the table's lines, by line: a value line's row (its labels joined
    back from their wraps, its values on the columns), after its header's column names when they
    alone name it (the appeals row); a label that names no value line where it starts, as a row
    printed blank when it is a numbered row below the table's first (known blank, boxed, when it
    stands above the last: the table's columns are known on both sides of it)."""
    placed = _place(table)
    named, free = join(table.labels, set(placed))
    out: dict[int, list[Row]] = {k: [] for k in table.labels}
    for k, p in placed.items():
        if p.header:
            out[k].append(Row(cells=[Cell(text=h.text) for h in p.header], structured=False))
        score = 1.0 if p.sure else UNSURE_COLUMN
        cells = [Cell(text="", boxed=p.sure, score=score) if c is None else Cell(text=c.text, score=score)
                 for c in p.cells]
        out[k].append(Row(cells=[Cell(text=t) for t in named.get(k, [])] + cells, structured=False))
    first, last = table.rows[0][0], table.rows[-1][0]
    for k, texts in free.items():
        blank = numbered(texts[-1]) and first < k
        cells = [Cell(text=t) for t in texts] + [Cell(text="", boxed=k < last)] * blank
        out[k].append(Row(cells=cells, structured=blank))
    return out


def _agreement(lines: list[list[Chunk]]) -> int:
    """Numbers standing near the number of the same place on the value line before with as many."""
    count, before = 0, None
    for line in lines:
        values = split_values(line)[1]
        if before is not None and len(before) == len(values) > 1:
            count += sum(near(a.span, b.span) for a, b in zip(before, values))
        before = values
    return count


def _space_aligned(lines: list[list[Chunk]]) -> bool:
    gaps = [[b.start - a.end for a, b in zip(values, values[1:])]
            for line in lines if len(values := split_values(line)[1]) > 1]
    return bool(gaps) and sum(min(g) >= 2 for g in gaps) >= MIN_ALIGNED * len(gaps)


def value_rows(text: str) -> dict[int, list[Row]]:
    """The rows that stand for the table lines of space-aligned text, by their index in
    ``text.splitlines()`` (none for a line joined to another's row). Text that parts its cells by
    tabs or pipes says where they are: none. Lines are cut into chunks only where they are looked at
    (value lines, and the lines of and above a table)."""
    raw = text.splitlines(keepends=True)
    if any("\t" in line or "|" in line for line in raw):
        return {}
    texts = [line.rstrip("\r\n\f") for line in raw]
    narrow = cache(lambda k: chunks(texts[k]))
    valued = [k for k, t in enumerate(texts) if ends_in_value(t) and split_values(narrow(k))]
    if len(valued) > MAX_VALUE_LINES or not _space_aligned([narrow(k) for k in valued]):
        return {}
    wide = cache(lambda k: chunks(texts[k], wide=True))
    line = wide if _agreement([wide(k) for k in valued]) > _agreement([narrow(k) for k in valued]) else narrow
    breaks = {k + 1 for k, t in enumerate(raw) if t.endswith("\f")}
    tables = _tables(texts, line, set(valued), breaks)
    return {k: rows for table in tables for k, rows in _table_rows(table).items()}
