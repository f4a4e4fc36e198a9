"""Re-cutting a stream of text at the form's own labels: web text whose layout was lost.

A web scraper's copy of a report page often holds the whole body on one line: the tables'
labels, column headers and numbers run together with no separator
(``…（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000…``). Such a line is
cut at every label that the templates know (row labels, groups, column headers, block names,
headings), found in the character stream whatever the spaces, punctuation, width or script; a
label's numbering is taken back from the digits it was glued to (``…00000002.其他…``), and the
numbers between a label and the next one become that label's value cells, split after units and
at the stray spaces only where those spaces give the row's number of cells. What stays a run of
digits is split later under the relations (digitruns). Lines that are not such streams pass as
they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import TooLarge
from .models import Cell, Document, Row
from .normalize import fold_width, simplify, strip_numbering
from .templates import SECTIONS, section_spec
from .values import UNITS

MIN_ANCHORS = 2
"""A line is a lost-layout stream when it holds at least this many labels, one of them followed by
numbers; a line of a cell-per-line copy holds one (``（一）予以公开600020466``), and is left as it is."""
MAX_STREAM = 1_000_000
"""A line longer than this is refused (TooLarge): a report's whole web text is some tens of thousands."""
MIN_KEY = 2
"""Shorter labels (one character) are no anchors: they occur inside every word."""

_DROP = re.compile(r"[\s\u3000，,、。；;：:“”\"'‘’()（）《》〈〉【】\[\]/／|｜·•*#_—\-－~～.．]")
_NUMBERING_BEFORE = re.compile(
    r"(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d\s*[、.．])\s*$")
"""A row's numbering right before its label; a digit numbering takes one digit only, the
digits before it being the last row's values (``00000002.其他…``)."""
NUMBERING_SPAN = 12
"""Characters before a label searched for its numbering (（十）, 十二、 and the spaces around them)."""
_UNIT_ALT = "|".join(UNITS)
_NUMBER = rf"[+\-−]?\d(?:[\d,，]*\d)?(?:\.\d+)?(?:{_UNIT_ALT})?"
_VALUES = re.compile(rf"^[\s)）”\"：:]*((?:\s*{_NUMBER})+)\s*[。；;，,]?")
_NEXT_HEADING = re.compile(r"\s|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]")
"""What may follow a row's numbers when no known label does: a space, or the next heading's numbering
(``…000000000000000 五、存在的主要问题…``); prose goes on with a comma (``2602条，其中…``)."""
_AFTER_UNIT = re.compile(rf"(?<=[{''.join(u[-1] for u in UNITS)}])")


@dataclass(frozen=True)
class Anchor:
    """A known label found in the stream: [start, end) in the original text (numbering included)."""

    start: int
    end: int
    widths: frozenset[int]
    """How many value cells the rows of this label have (empty for headers and headings)."""


def _norm_char(ch: str) -> str:
    return "" if _DROP.fullmatch(ch) else simplify(fold_width(ch))


@cache
def vocabulary() -> dict[str, frozenset[int]]:
    """Every label the templates print, as a stream key, with the value counts of its rows."""
    widths: dict[str, set[int]] = {}

    def add(label: str, width: int | None = None) -> None:
        key = "".join(map(_norm_char, strip_numbering(label)))
        if len(key) >= MIN_KEY:
            widths.setdefault(key, set()).update([width] if width else [])

    for section in SECTIONS:
        spec = section_spec(section)
        for heading in spec.headings:
            add(heading)
        for block in spec.blocks:
            add(block.name)
            for column in block.columns:
                for label in column.labels:
                    add(label)
            for row in block.rows:
                for label in row.labels + row.groups:
                    add(label, len(block.columns) if label in row.labels else None)
    return {k: frozenset(v) for k, v in widths.items()}


def anchors(text: str) -> list[Anchor]:
    """The known labels in ``text``, longest first where they overlap, in reading order."""
    norm, where = [], []
    for i, ch in enumerate(text):
        for c in _norm_char(ch):
            norm.append(c)
            where.append(i)
    stream = "".join(norm)
    found = []
    for key, widths in vocabulary().items():
        at = stream.find(key)
        while at >= 0:
            found.append((at, at + len(key), widths))
            at = stream.find(key, at + 1)
    taken = [False] * len(stream)
    chosen = []
    for a, b, widths in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if not any(taken[a:b]):
            taken[a:b] = [True] * (b - a)
            chosen.append((a, b, widths))
    out = []
    for a, b, widths in sorted(chosen):
        start = where[a]
        if m := _NUMBERING_BEFORE.search(text, max(0, start - NUMBERING_SPAN), start):
            start = m.start()
        if out and start < out[-1].end:
            start = where[a]
        out.append(Anchor(start=start, end=where[b - 1] + 1, widths=widths))
    return out


def value_cells(region: str, widths: frozenset[int]) -> tuple[list[str], str] | None:
    """The value cells of the text after a label and the text after them, or None when the
    label is not followed by numbers (then a heading or nothing).

    Stray spaces are cell boundaries only when they give one of the row's cell counts;
    otherwise the numbers ran together and are one run. A unit ends a cell (``1个246900元``)."""
    region = fold_width(region)
    m = _VALUES.match(region)
    rest = region[m.end():] if m else ""
    if not m or (rest.strip() and not _NEXT_HEADING.match(rest)):
        return None
    parts = m[1].split()
    if len(parts) in widths and all(re.fullmatch(_NUMBER, p) for p in parts):
        return parts, rest
    return [p for p in _AFTER_UNIT.split("".join(parts)) if p], rest


def _stream_rows(text: str, cell: Cell) -> list[Row] | None:
    if len(text) > MAX_STREAM:
        raise TooLarge(f"a line of {len(text)} characters, over the limit of {MAX_STREAM} for one report "
                       "(several reports in one file? split it)")
    found = anchors(text)
    bounds = [a.start for a in found[1:]] + [len(text)]
    pieces = [(a, text[a.end:end]) for a, end in zip(found, bounds)]
    valued = [k for k, (a, region) in enumerate(pieces) if a.widths and value_cells(region, a.widths)]
    if len(found) < MIN_ANCHORS or not valued:
        return None
    first, last = valued[0], valued[-1]

    def row(*texts: str) -> Row:
        return Row(cells=[cell.model_copy(update={"text": t}) for t in texts if t.strip()], structured=False)

    rows = [row(text[:found[first].start])]
    for a, region in pieces[first:last + 1]:
        label = text[a.start:a.end]
        read = value_cells(region, a.widths) if a.widths else None
        if a.widths and not region.strip():  # a row label and at once the next: its cells were printed blank
            rows.append(Row(cells=[cell.model_copy(update={"text": label}), cell.model_copy(update={"text": ""})]))
        else:
            rows += [row(label, *read[0]), row(read[1])] if read else [row(label), row(region)]
    rows.append(row(text[bounds[last]:]))
    return [r for r in rows if r.cells]


def restream(doc: Document) -> Document:
    """The document with every line of lost layout cut at the form's labels."""
    rows: list[Row] = []
    changed = False
    for r in doc.rows:
        recut = None
        if not r.structured and len(r.cells) == 1:
            recut = _stream_rows(r.cells[0].text, r.cells[0])
        changed |= recut is not None
        rows += recut or [r]
    return doc.model_copy(update={"rows": rows}) if changed else doc
