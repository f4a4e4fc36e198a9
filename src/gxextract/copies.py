"""Values printed twice: a row repeated with another value, last year's section left at the end of
this year's report, a second report pasted after the first.

The aligner reads each template row from one segment. Any other table row (running text that
restates the tables is prose: `narrative`) that is the same row beyond doubt (its label matches no other row as well) and that holds other values is a second
candidate: the fields get both readings (``Reading.copies``) and the flag ``printed_twice``, so
that the one the aligner took is never silently the wrong one, and the report says which
sections were printed twice. A row read from past a later section's table is flagged
``out_of_place``: sections are printed in order, so it is from a block left at the end.
"""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest
from statistics import median

from .align import SectionAlignment, similarity, trim_blanks, width_names
from .confidence import CLOSER_MARGIN, COPY_LABEL
from .segments import Segment, Token

PROSE_UNITS = {"件", "条", "次", "人次"}
"""Counters prose puts after its numbers; the form's cells print bare numbers."""


def _values(segment: Segment, ncols: int) -> tuple[str, ...]:
    """A row's values as read, one per cell (blank cells as empty text)."""
    return tuple(_text(t) for t in trim_blanks(segment.values, ncols))


def _text(token: Token) -> str:
    return "" if token.kind == "blank" else token.value.raw.strip()


def _counted(segment: Segment) -> bool:
    """Numbers with a counter after them (其中予以公开1202件): running text that restates a table, not a row."""
    return any(t.kind in ("unit", "value") and t.value.unit in PROSE_UNITS for t in segment.values)


def _row_named(seg: Segment, rows: list[tuple[SectionAlignment, int]]) -> tuple[SectionAlignment, int] | None:
    """The row a segment is beyond doubt: by its label (one that matches no other row as well; not 其他,
    总计), or by a count of values only that row has (the appeals row of 15 under its header)."""
    sims = sorted(((similarity(seg, a.form.rows[j])[0], n) for n, (a, j) in enumerate(rows)), reverse=True)
    if sims and sims[0][0] >= COPY_LABEL and (len(sims) == 1 or sims[1][0] <= sims[0][0] - CLOSER_MARGIN):
        return rows[sims[0][1]]
    by_width = [(a, j) for a, j in rows if width_names(a.form.rows, j, seg)]
    return by_width[0] if len(by_width) == 1 else None


def mark_copies(segments: list[Segment], sections: list[SectionAlignment]) -> list[str]:
    """Flag every field printed again with other values; the report's warnings about them."""
    rows = [(a, j) for a in sections for j in range(len(a.form.rows))]
    readings = {r.field: r for a in sections for r in a.readings}
    copied: Counter[str] = Counter()
    for k, seg in enumerate(segments):
        if not seg.labels or not seg.filled or _counted(seg):
            continue
        named = _row_named(seg, rows)
        if named is None:
            continue
        a, j = named
        row = a.form.rows[j]
        if len(trim_blanks(seg.values, len(row.columns))) > len(row.columns):
            continue  # more cells than the row has: another table's row (the appeals' 15 under a header ending 总计)
        theirs = _values(seg, len(row.columns))
        mine = a.used.get(j)  # a segment read for another row (a label out of its place) is a candidate too
        if mine is None or mine == k or theirs == _values(segments[mine], len(row.columns)):
            continue
        for f, text in zip_longest(row.fields, theirs[: len(row.fields)], fillvalue=""):
            readings[f].copies.append(text)
            readings[f].flags.append("printed_twice")
        copied[a.form.section] += 1
    return [f"section {s}: {n} row{'s' if n > 1 else ''} printed again further on with other values "
            f"(flagged printed_twice, both readings kept)" for s, n in copied.items()] + _out_of_place(sections)


def _out_of_place(sections: list[SectionAlignment]) -> list[str]:
    """Flag the rows read from past the middle of a later section's rows: sections are printed in order
    (二, 三, 四), so such a row is from a block left after them (last year's section at the end, an
    appendix), where this report's own row lost its label; the report's warnings about them."""
    warnings = []
    middles = [median(a.used.values()) if a.used else None for a in sections]
    for n, a in enumerate(sections):
        later = [m for m in middles[n + 1:] if m is not None]
        late = [j for j, i in a.used.items() if later and i > min(later)]
        for j in late:
            for r in a.readings:
                if r.field in a.form.rows[j].fields:
                    r.flags.append("out_of_place")
        if late:
            warnings.append(f"section {a.form.section}: {len(late)} row{'s' if len(late) > 1 else ''} read after a "
                            "later section's table (flagged out_of_place)")
    return warnings
