"""Cells under a seal, read again from the page as it was scanned.

A seal is taken out before the page is read (`seals`: a red or blue one by its hue, a grey one by
its tone), and print as light as the seal's ink goes with it: on a pale scan, what is left of a
thin digit under the seal reads as another digit or not at all. So each cell a seal crossed is read a
second time in the grey as scanned, where its column's print stands in the cells the seal left
alone (the same place in the cell, the same height and width): a crop that holds the digits and
little of the seal (a number of an unruled table: in the box the detector found it in). That
reading counts only if it is a number as read (a seal's stroke read as a letter, folded into a digit,
is none). A piece of a stroke at the edge of that place reads as a digit of its own (a 0 read 20):
where the place without the ink that reaches its edge (`_cleared`) reads as a number of fewer digits,
all held by the first reading, that is the reading. Of the two readings the surer is the cell's
text and the other its alternative (but one that strokes make, 1s and 7s, not over one they do
not, as `_surer` tells); a number stands over a blank, unless the faded page showed no number in the
cell (nothing, or the seal's characters), its print's place holds no ink but strokes running on past
it and the reading is a stroke's (the seal's ring across a cell printed blank, read as 1): then it is
an unsure blank; so too where fading left nothing and the reading, faint (`FAINT_READING`), is of ink
that closes no loop (the ring read 8).
The seal still lowers the cell (`cells.cell_reading`): the relations of the form decide. Words read
under a seal in a column of numbers are the seal's own characters: the cell is an unsure blank, the
words its alternative; but where the scanned cell, read as a number, is 0 and its column prints its
zeros, an unsure 0 (`SEALED_ZERO`): a character's strokes over a 0 read as words (or, faded, as a
faint 1).
"""

from __future__ import annotations

from collections.abc import Hashable

import cv2
import numpy as np

from ..confidence import SEAL_CAP, SEALED_ZERO
from .cells import SEALED, CellText, cell_reading, crop_line, fold_digits, looks_numeric
from .engines import Engine, Recognition
from .images import components, ink_mask
from .rules import PixelGrid
from .seals import Reading, seal_share

Box = tuple[int, int, int, int]

STROKE_SHARE = 0.8
"""Share of the ink in a cell's place that must run on past it for that ink to be a seal's stroke."""
PRINT_HEIGHT = 0.6
"""Share of the height of a cell's print's place that a piece of ink spans to be print: a bit of a
seal's stroke cut off by the place's edge is shorter."""
STROKE_DIGITS = set("17")
"""Digits a seal's stroke running through a cell's place reads as: a line, straight or bent. A 0 or
an 8 is no stroke's, however much of the seal runs through it."""
FAINT_READING = 0.5
"""A number read no surer than this as scanned, where the faded page shows nothing and the print's
place holds ink that closes no loop, is a seal's stroke read as a digit (a ring read 8)."""
PRINT_TALL = (0.5, 1.5)
"""How tall, in text heights, the ink of a number under a seal is to be print (digits stand 0.7–1.0
high): taller, it is a seal's character run into the digit under it (read 8); shorter, a bit of a
seal's stroke (a dot read 1) — unless, as scanned, it closes a loop: a 0 whose top and bottom went
with a grey seal's fading."""
LEAST_SAMPLES = 3
"""Cells of a column, one line each and clear of the seal, that place its print: fewer, and the
column's layout is not known."""


def reread(texts: dict[Hashable, CellText], lines: dict[Hashable, list[Box]], grids: list[PixelGrid],
           reading: Reading, engine: Engine, h: float) -> None:
    """The cells of ``grids`` under a seal read again as scanned, into ``texts``; ``lines``: each
    cell's text lines in the faded page. Both are keyed by (grid, cell)."""
    sealed = {(gi, ci) for gi, g in enumerate(grids) for ci, c in enumerate(g.cells)
              if seal_share(reading.seal_ink, c.bbox) > SEALED}
    jobs = [(key, b) for key in sorted(sealed) if (b := _expected(key, grids, lines, sealed)) is not None]
    again = _again([b for _, b in jobs], [texts.get(key) for key, _ in jobs], reading, engine, h,
                   [_prints_zeros(key, grids, texts, sealed) for key, _ in jobs])
    texts.update({key: ct for (key, _), ct in zip(jobs, again) if ct is not None})
    for key in sealed:
        ct = texts.get(key)
        if ct is not None and not ct.numeric and ct.text.strip() and _of_numbers(key, grids, texts, sealed):
            # words in a column of numbers, under a seal: the seal's characters, read where no print showed
            texts[key] = CellText(text="", score=SEAL_CAP, alternative=ct.text, numeric=False)


def reread_words(read: list[tuple[Box, Box, CellText]], reading: Reading, engine: Engine, h: float
                 ) -> list[tuple[Box, Box, CellText]]:
    """``read`` (the ink box, the detected box and the reading of each word outside the ruled tables)
    with the numbers under a seal read again as scanned, in their own boxes: an unruled table has no
    column of cells to place them by, but the detector found them. A number whose ink is not as tall
    as print (`PRINT_TALL`) is the seal's and is left out: its place is read as the table's
    (`reread_place`)."""
    sealed = [k for k, (_, b, ct) in enumerate(read) if ct.numeric and seal_share(reading.seal_ink, b) > SEALED]
    strokes = {k for k in sealed if _seals_own(*read[k][:2], reading, h)}
    sealed = [k for k in sealed if k not in strokes]
    again = _again([read[k][1] for k in sealed], [read[k][2] for k in sealed], reading, engine, h,
                   [False] * len(sealed))  # no column to tell whether its table prints its zeros
    out = list(read)
    for k, ct in zip(sealed, again):
        out[k] = (*read[k][:2], ct)
    return [x for k, x in enumerate(out) if k not in strokes]


def _seals_own(ink: Box, box: Box, reading: Reading, h: float) -> bool:
    """Whether a number read under a seal, its ink box ``ink`` in its detected ``box``, is the seal's
    by its height (`PRINT_TALL`)."""
    tall = ink[3] - ink[1]
    return tall > PRINT_TALL[1] * h or tall < PRINT_TALL[0] * h and not _loop(_inked(reading.scanned, box))


def reread_place(box: tuple[float, float, float, float], reading: Reading, engine: Engine, h: float
                 ) -> CellText | None:
    """The place ``box`` (pixels) of a value of an unruled table where the page with its seals faded
    shows no word, under a seal, read as scanned: print as light as the seal's ink went with it."""
    return _again([tuple(int(round(v)) for v in box)], [None], reading, engine, h, [False])[0]


def _again(boxes: list[Box], faded: list[CellText | None], reading: Reading, engine: Engine, h: float,
           zeros: list[bool]) -> list[CellText | None]:
    """Each box read again as scanned: where that reading is a number as read, the surer of it and
    the faded page's reading (`_surer`); else the faded page's, but where neither shows a number and
    the scanned one read as a number is 0, in a column that prints its zeros (``zeros``), an unsure 0."""
    crops = [crop_line(reading.scanned, b, h) for b in boxes]
    clear = [_cleared(c, b[3] - b[1]) for c, b in zip(crops, boxes)]
    recs = engine.recognize(crops + [c for c in clear if c is not None], numbers=True) if boxes else []
    cleared = iter(recs[len(boxes):])
    out = []
    for b, rec, c, first, zero in zip(boxes, recs, clear, faded, zeros):
        share = seal_share(reading.seal_ink, b)
        scanned = cell_reading([rec], [share])
        if c is not None and _fewer_digits(rec, got := next(cleared)):
            scanned = cell_reading([got], [share])
            scanned.alternative, rec = rec.text, got
        if not (scanned.numeric and looks_numeric(rec.text)):
            if zero and _no_number(first) and rec.digits and rec.digits.text.strip() == "0":
                # the seal's characters over a 0: read as words, as a number they read 0
                words = first.text if first is not None and first.text.strip() else rec.text
                out.append(CellText(text="0", score=min(rec.digits.score, SEALED_ZERO), alternative=words,
                                    numeric=True))
            else:
                out.append(first)
        elif (first is None and scanned.score < FAINT_READING and not _loop(_inked(reading.scanned, b))
              or (first is None or not first.numeric) and _strokes(rec.text) and _seal_only(reading.scanned, b)):
            # no number left once the seal faded (nothing, or its characters), and no ink in the print's
            # place but what runs on past it, or, faded to nothing, a faint reading of ink that closes
            # no loop: the seal's ring or a stroke, read as a digit (1, 8), the cell blank
            out.append(CellText(text="", score=SEAL_CAP, alternative=scanned.text, numeric=False))
        else:
            out.append(_surer(first, scanned))
    return out


def _cleared(crop: np.ndarray, height: int) -> np.ndarray | None:
    """``crop`` (a cell's print's place, ``height`` high, with its margin) with the pieces of ink that
    reach its edge and are shorter than print made paper: bits of a seal's strokes running through
    the place, which the print, inside its margin, does not reach (a digit of a number wider than
    the place reaches it whole); None where there are none, or no print is left."""
    ink = ink_mask(crop)
    _, labels, stats, _ = components(ink)
    edge = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])).tolist()) - {0}
    short = {k for k in edge if stats[k, cv2.CC_STAT_HEIGHT] < PRINT_HEIGHT * height}
    if not short or not any(stats[k, cv2.CC_STAT_HEIGHT] >= PRINT_HEIGHT * height
                            for k in range(1, len(stats)) if k not in short):
        return None
    out = crop.copy()
    out[np.isin(labels, list(short))] = int(np.median(crop[ink == 0]))
    return out


def _fewer_digits(scanned: Recognition, cleared: Recognition) -> bool:
    """Whether the reading of the cleared crop (`_cleared`) is a number whose digits the scanned crop's
    reading holds, and more: the strokes through the cell read as digits of their own."""
    a, b = scanned.text.replace(" ", ""), cleared.text.replace(" ", "")
    return looks_numeric(b) and len(b) < len(a) and b in a


def _no_number(faded: CellText | None) -> bool:
    """Whether the faded page shows no number in a cell: nothing, words, or a stroke read faintly
    (a 1 under `FAINT_READING`: what fading left of a stroke)."""
    return faded is None or not faded.numeric or faded.score < FAINT_READING and _strokes(faded.text)


def _strokes(text: str) -> bool:
    """Whether a reading is one a seal's strokes make: line digits only (`STROKE_DIGITS`)."""
    digits = fold_digits(text).replace(" ", "")
    return bool(digits) and set(digits) <= STROKE_DIGITS


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in fold_digits(text))


def _seal_only(gray: np.ndarray, box: Box) -> bool:
    """Whether ``box`` (where a cell's print would stand) holds no ink, or ink that is, most of it,
    strokes running on past the box by its height and more, closing no loop: a seal's, not a digit's
    (a 0 the ring runs through still closes its counter)."""
    x0, y0, x1, y1 = box
    m = y1 - y0
    ink, place = _place(gray, box)
    n, labels, stats, _ = components(ink)
    inside = labels[place]
    ids, counts = np.unique(inside[inside > 0], return_counts=True)
    if not len(ids):
        return True
    reach = (stats[ids, cv2.CC_STAT_WIDTH] > (x1 - x0) + m) | (stats[ids, cv2.CC_STAT_HEIGHT] > 2 * m)
    return counts[reach].sum() >= STROKE_SHARE * counts.sum() and not _loop(ink[place])


def _place(gray: np.ndarray, box: Box) -> tuple[np.ndarray, tuple[slice, slice]]:
    """The ink around ``box`` (a box's height on every side), and where the box lies in it."""
    x0, y0, x1, y1 = box
    m = y1 - y0
    top, left = max(0, y0 - m), max(0, x0 - m)
    return ink_mask(gray[top: y1 + m, left: x1 + m]), (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))


def _inked(gray: np.ndarray, box: Box) -> np.ndarray:
    """The ink in ``box`` (as `_place` finds it)."""
    ink, place = _place(gray, box)
    return ink[place]


def _loop(ink: np.ndarray) -> bool:
    """Whether ink holds paper it closes all round (the counter of a 0, 6, 8 or 9): a digit's, which a
    seal's stroke running by does not make."""
    n, _, stats, _ = components(cv2.bitwise_not(ink))
    h, w = ink.shape
    return any(stats[k, cv2.CC_STAT_LEFT] > 0 and stats[k, cv2.CC_STAT_TOP] > 0
               and stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] < w
               and stats[k, cv2.CC_STAT_TOP] + stats[k, cv2.CC_STAT_HEIGHT] < h for k in range(1, n))


def _left_alone(key: tuple[int, int], grids: list[PixelGrid], sealed: set[Hashable]) -> list[tuple[int, int]]:
    """The cells of ``key``'s column (the same span) that the seal left alone."""
    gi, ci = key
    cell = grids[gi].cells[ci]
    return [(gi, k) for k, c in enumerate(grids[gi].cells)
            if c.col == cell.col and c.colspan == cell.colspan and (gi, k) not in sealed]


def _of_numbers(key: tuple[int, int], grids: list[PixelGrid], texts: dict[Hashable, CellText],
                sealed: set[Hashable]) -> bool:
    """Whether most of the cells of ``key``'s column that the seal left alone and that hold print
    (its header aside) are numbers, `LEAST_SAMPLES` of them at least."""
    read = [ct for k in _left_alone(key, grids, sealed) if (ct := texts.get(k)) is not None and ct.text.strip()]
    numbers = sum(ct.numeric for ct in read)
    return numbers >= LEAST_SAMPLES and numbers > len(read) / 2


def _prints_zeros(key: tuple[int, int], grids: list[PixelGrid], texts: dict[Hashable, CellText],
                  sealed: set[Hashable]) -> bool:
    """Whether a cell of ``key``'s column that the seal left alone reads 0: its table prints its
    zeros (others print them blank)."""
    return any((ct := texts.get(k)) is not None and ct.text.strip() == "0" for k in _left_alone(key, grids, sealed))


def _expected(key: tuple[int, int], grids: list[PixelGrid], lines: dict[Hashable, list[Box]],
              sealed: set[Hashable]) -> Box | None:
    """Where a one-line cell's print would stand: as in the other cells of its column that the seal
    left alone (the same place in the cell, the height and width of their lines, at the median)."""
    gi, ci = key
    where = []
    for k in _left_alone(key, grids, sealed):
        if (got := lines.get(k)) and len(got) == 1:
            (a, b, e, d), (x0, y0, x1, y1) = got[0], grids[gi].cells[k[1]].bbox
            where.append((((a + e) / 2 - x0) / (x1 - x0), ((b + d) / 2 - y0) / (y1 - y0), e - a, d - b))
    if len(where) < LEAST_SAMPLES:
        return None
    fx, fy, w, hh = (float(np.median([t[i] for t in where])) for i in range(4))
    x0, y0, x1, y1 = grids[gi].cells[ci].bbox
    cx, cy = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
    return int(cx - w / 2), int(cy - hh / 2), int(np.ceil(cx + w / 2)), int(np.ceil(cy + hh / 2))


def _surer(faded: CellText | None, scanned: CellText) -> CellText:
    """The cell's reading, of the faded page's and the scanned page's (a number): the surer, but one
    that strokes make (`_strokes`: the seal's as scanned, the sides of a 0 that fading left as faded,
    read 11) never over a number they do not make of no more digits."""
    if faded is None or not faded.numeric:
        if faded is not None and faded.text.strip():
            scanned.alternative = faded.text
        return scanned
    if faded.text.replace(" ", "") == scanned.text.replace(" ", ""):
        faded.score = max(faded.score, scanned.score)
        return faded
    if _strokes(scanned.text) != _strokes(faded.text):
        made, other = (scanned, faded) if _strokes(scanned.text) else (faded, scanned)
        if _digits(other.text) <= _digits(made.text):  # strokes add no digits
            other.alternative = made.text
            return other
    first, other = (scanned, faded) if scanned.score > faded.score else (faded, scanned)
    first.alternative = other.text
    return first

