"""Text outside ruled grids: running text, and tables drawn with only horizontal rules or none.

Lines are split into words at wide gaps. A table row without rules is anchored by its
numbers: numbers sharing a line form a value row, and each block of label text (lines
of one column close enough to be one wrapped label) joins the value row nearest its
middle, if near enough. Everything else is running text, one line a row, in reading order.
Value rows are handed over unstructured (their cell boundaries are guessed), with the
label blocks first, left to right, then the numbers left to right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Cell, Row
from .cells import UNCLEAN_SCORE, dedupe, lines, overlapping
from .objects import Char
from ..stitch import numbered

_SUB_ROW = re.compile(r"^\s*\d{1,2}\s*[、.．]")
"""A numbered sub-row label (1. 2、), not a group header (（三）) or a section (一、)."""

_NUMERIC = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*(?:元|万元)?$|^[—–\-－/／]$|^[—–\-－]{2}$")
WORD_GAP = 1.2
CELL_GAP = 0.4
"""Without a space character, a gap wider than this many sizes splits words: CJK text is set tight."""
NARROW = 0.35
"""A word narrower than this share of the page can be part of a wrapped table cell."""
"""A gap wider than this many character sizes splits a line into words (table cells)."""


@dataclass
class Word:
    chars: list[Char]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    clean: bool = True

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC.match(self.text))


def _word(chars: list[Char]) -> Word | None:
    text = "".join(c.text for c in chars).strip()
    if not text:
        return None
    text = " ".join(text.split())
    return Word(chars, text, min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars),
                max(c.bottom for c in chars), max(c.size for c in chars), not overlapping(chars))


def words(line: list[Char]) -> list[Word]:
    out: list[Word] = []
    cur: list[Char] = []
    prev: Char | None = None
    spaced = False
    for c in line:
        gap = WORD_GAP if spaced else CELL_GAP
        if prev is not None and cur and c.text != " " and c.x0 - prev.x1 > gap * max(c.size, prev.size, 1.0):
            if w := _word(cur):
                out.append(w)
            cur = []
        cur.append(c)
        spaced = c.text == " " if c.text == " " or prev is None else False
        if c.text != " ":
            prev = c
    if cur and (w := _word(cur)):
        out.append(w)
    return out


@dataclass
class _Block:
    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    def text(self) -> str:
        from .cells import join_lines

        return join_lines([w.text for w in sorted(self.words, key=lambda w: (w.top, w.x0))])


def _cell(text: str, x0: float, top: float, x1: float, bottom: float, page: int, clean: bool = True) -> Cell:
    return Cell(text=text, page=page, bbox=(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)),
                score=1.0 if clean else UNCLEAN_SCORE)


def rows(chars: list[Char], page: int, width: float = 595.0) -> list[tuple[float, Row]]:
    """(top, row) pairs for the characters outside grids, in reading order."""
    text_lines = [ws for line in lines(dedupe(chars)) if (ws := words(line))]
    # value rows: lines holding at least one number-only word
    value_rows: list[list[Word]] = []
    loose: list[Word] = []
    for ws in text_lines:
        nums = [w for w in ws if w.numeric]
        labels = [w for w in ws if not w.numeric]
        if nums and (len(nums) >= 2 or labels or len(ws) == 1):
            value_rows.append(nums)
            loose.extend(labels)
        else:
            loose.extend(ws)
    # label blocks: narrow words of a column stacked with line-spacing gaps (a wrapped cell)
    blocks: list[_Block] = []
    for w in sorted(loose, key=lambda w: (w.top, w.x0)):
        narrow = w.x1 - w.x0 < NARROW * width
        for b in reversed(blocks[-16:]) if narrow else ():
            last = max(b.words, key=lambda v: v.bottom)
            if last.x1 - last.x0 >= NARROW * width:
                continue
            if (abs(last.x0 - w.x0) < 1.5 * w.size or abs(last.x1 - w.x1) < 1.5 * w.size
                    or abs((last.x0 + last.x1) - (w.x0 + w.x1)) < 3 * w.size) \
                    and -0.2 * w.size <= w.top - last.bottom < 0.8 * w.size and len(b.words) < 40 \
                    and not numbered(w.text):
                b.words.append(w)
                break
        else:
            blocks.append(_Block([w]))
    attached: dict[int, list[_Block]] = {}
    free: list[_Block] = []
    centers = [sum(w.cy for w in r) / len(r) for r in value_rows]
    for b in blocks:
        best = min(range(len(centers)), key=lambda k: abs(centers[k] - b.cy), default=None)
        near = best is not None and abs(centers[best] - b.cy) <= max(0.8 * b.size, 0.3 * (b.bottom - b.top))
        if near and b.x1 < min(w.x0 for w in value_rows[best]) + 1:
            attached.setdefault(best, []).append(b)
        else:
            free.append(b)
    out: list[tuple[float, Row]] = []
    for k, nums in enumerate(value_rows):
        labels = sorted(attached.get(k, []), key=lambda b: b.x0)
        cells = [_cell(b.text(), b.x0, b.top, b.x1, b.bottom, page) for b in labels]
        cells += [_cell(w.text, w.x0, w.top, w.x1, w.bottom, page, w.clean) for w in sorted(nums, key=lambda w: w.x0)]
        out.append((centers[k], Row(cells=cells, structured=False)))
    # free text: blocks whose heights overlap make one row, left to right
    band: list[_Block] = []
    bottom = -1e9
    span = (min(centers), max(centers)) if centers else (0.0, 0.0)
    for b in sorted(free, key=lambda b: (b.top, b.x0)) + [None]:
        if b is None or (band and b.top > bottom - 0.2 * b.size):
            if band:
                band.sort(key=lambda b: b.x0)
                cells = [_cell(x.text(), x.x0, x.top, x.x1, x.bottom, page) for x in band]
                top = min(x.top for x in band)
                if _SUB_ROW.match(band[-1].text()) and span[0] < top < span[1]:
                    # a numbered sub-row label amid the value rows with no number of its own: a row
                    # printed blank (blank cells leave no trace without rules)
                    out.append((top, Row(cells=[*cells, Cell(text="", page=page)])))
                else:
                    out.append((top, Row(cells=cells, structured=False)))
            band, bottom = [], -1e9
        if b is not None:
            band.append(b)
            bottom = max(bottom, b.bottom)
    out.sort(key=lambda item: item[0])
    return out
