"""Reading table cells: each cell's text lines cut out and read by the recognizer alone, in one batch.

    line_boxes(ink, box, h)     the text lines inside a cell (ink rows between the rules)
    read_crops(engine, ...)     every line of every cell recognised in one batched call
    cell_reading(...)           a cell's lines joined; a numeric cell read digit-aware; the score
                                lowered where a seal stroke lay over the print

Digit-aware: when a cell's reading is a number (once the shapes a digit is mistaken for —
O/0, l/1, B/8, S/5 … — are folded back), the digit-constrained decoding of the same crop is
taken, and its score is the least sure digit's probability mass. An engine without
per-character probabilities (PaddleOCR) is folded by character mapping instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from ..confidence import FOLDED_GLYPH, MALFORMED_NUMBER, SEAL_CAP, SEAL_PENALTY, STRAY_INK
from ..values import lone_glyphs
from .engines import TO_DIGIT, Recognition
from .images import components

SEALED = 0.005
"""Share of a line's or a cell's box under seal ink above which the seal is taken to cross it."""
STRAY_MARK = 0.25
"""A mark inside a cell with no line in it at least this long (in text heights) is something
printed there (a short dash is about 0.4); smaller ones are the noise of the scan."""
PRINT_MARK = 0.4
"""Least span (in text heights) of a piece of ink, taken with the pieces within `MARK_GAP` of it,
that a text line is made of: a digit (0.75) even broken into fragments where a seal was taken off;
not the dots and rims a seal's removal leaves (a third of a text height at most)."""
LEAST_INK = 0.5
"""Least ink (pixels per text height) of a line or of a mark in it: a stroke half a text height
long; a trail of a seal's dots spans as far with much less."""
MARK_GAP = 0.15
"""Widest gap (in text heights) across which pieces of ink are taken as one mark: the fragments of
a broken digit, a character's strokes; scattered dots of seal ink lie farther apart."""
_NUMBER = re.compile(r"^[+\-]?\d[\d,，]*(\.\d+)?(万元|元|%)?$|^[+\-]?\d+(\.\d+)?$")
_LEADING_ZERO = re.compile(r"^[+\-]?0\d")
_NUMBERISH = set("0123456789.,，-万元% ") | set(TO_DIGIT)
QUOTE_MARKS = set("“”‘’\"'「」『』")
"""Quotation marks stand above the line, where no digit does: one read alone (a label's closing ”
wrapped on to a line of its own) is no digit misread."""


@dataclass
class CellText:
    text: str
    score: float
    alternative: str | None
    numeric: bool


def line_boxes(ink: np.ndarray, box: tuple[float, float, float, float], h: float,
               inset: float = 0.18) -> list[tuple[int, int, int, int]]:
    """Text lines inside ``box``: bands of rows of its print (`_print`), each trimmed to its columns."""
    X0, Y0, X1, Y1 = _inside(box, h, inset)
    if X1 - X0 < 3 or Y1 - Y0 < 3:
        return []
    sub = _print(ink[Y0:Y1, X0:X1] > 0, h)
    rows = sub.sum(axis=1)
    on = rows >= 1
    bands: list[list[int]] = []
    start = None
    for i, v in enumerate(np.append(on, False)):
        if v and start is None:
            start = i
        elif not v and start is not None:
            bands.append([start, i])
            start = None
    # join bands split inside a line (the gap between 三 strokes, a dot over 于 …)
    merged: list[list[int]] = []
    for b in bands:
        if merged and b[0] - merged[-1][1] < h * 0.25 and b[1] - merged[-1][0] < h * 1.35:
            merged[-1][1] = b[1]
        else:
            merged.append(b)
    out = []
    for a, b in merged:
        if b - a < max(3, h * 0.22) or sub[a:b].sum() < max(6, h * LEAST_INK):
            continue  # specks, rule remnants
        cols = np.nonzero(sub[a:b].any(axis=0))[0]
        if b - a < h * 0.45 and cols[-1] - cols[0] > h * 3:
            continue  # a long thin strip: what is left of a rule or a shaded band's edge, not text
        out.append((X0 + int(cols[0]), Y0 + a, X0 + int(cols[-1]) + 1, Y0 + b))
    return out


def _print(sub: np.ndarray, h: float) -> np.ndarray:
    """``sub`` (bool ink) less the specks of the scan and a seal's leftovers: only the pieces that,
    joined to those within `MARK_GAP` of them, span `PRINT_MARK` with `LEAST_INK` — so a line's
    ends are its print's."""
    r = max(1, int(np.ceil(MARK_GAP * h / 2)))
    near = cv2.dilate(cv2.copyMakeBorder(sub.astype(np.uint8), r, r, r, r, cv2.BORDER_CONSTANT, value=0),
                      np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    n, labels, stats, _ = components(near)
    labels = labels[r:-r, r:-r]
    span = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) - 2 * r
    ink = np.bincount(labels[sub], minlength=n)
    keep = (span >= PRINT_MARK * h) & (ink >= LEAST_INK * h)
    keep[0] = False
    return sub & keep[labels]


def _inside(box: tuple[float, float, float, float], h: float, inset: float) -> tuple[int, int, int, int]:
    """``box`` less a margin along its rules."""
    x0, y0, x1, y1 = box
    pad = max(2, int(h * inset))
    return int(x0) + pad, int(y0) + pad, int(x1) - pad, int(y1) - pad


def blank_score(ink: np.ndarray, box: tuple[float, float, float, float], h: float, seal: float = 0.0,
                inset: float = 0.18) -> float:
    """How sure it is that a cell in which no line was found holds nothing: 1.0 when no mark is left
    inside it, `STRAY_INK` when one is (a dash, a faint or broken digit too small to be a line), and
    `SEAL_CAP` where a seal's ink may hide print, marks or none (a mark there may be the seal's;
    ``seal``: the share of the cell where it may, `seals.Reading.hidden`)."""
    X0, Y0, X1, Y1 = _inside(box, h, inset)
    if seal > SEALED:
        return SEAL_CAP
    sub = ink[max(0, Y0):Y1, max(0, X0):X1]
    if sub.size == 0 or not sub.any():
        return 1.0
    n, _, stats, _ = components(sub)
    marks = [max(w, hh) for _, _, w, hh, _ in stats[1:n]]
    return STRAY_INK if max(marks, default=0) >= STRAY_MARK * h else 1.0


def crop_line(gray: np.ndarray, box: tuple[int, int, int, int], h: float) -> np.ndarray:
    """The line with a margin of paper around it, as the recognizer was trained on."""
    x0, y0, x1, y1 = box
    m = max(2, int(round(h * 0.25)))
    H, W = gray.shape[:2]
    return gray[max(0, y0 - m): min(H, y1 + m), max(0, x0 - m): min(W, x1 + m)]


def fold_digits(text: str) -> str:
    return "".join(TO_DIGIT.get(c, c) for c in text)


def looks_numeric(text: str) -> bool:
    t = text.strip()
    if not t or not set(t) <= _NUMBERISH:
        return False
    folded = fold_digits(t).replace(" ", "")
    return bool(folded) and any(c.isdigit() for c in folded) and bool(_NUMBER.match(folded.replace("，", ",")))


def _nearly_numeric(free: str, recs: list[Recognition]) -> bool:
    """A number with one odd glyph in it (a smudged separator read as ■), or a lone glyph that is no
    Chinese nor a quotation mark (a blurred 0 read as à): numeric if the digit reading of every line is
    a well-formed number (its score then tells how sure that is)."""
    t = free.replace(" ", "")
    odd = [c for c in t if c not in _NUMBERISH]
    lone = lone_glyphs(t) and not QUOTE_MARKS & set(t)
    if not lone and (len(odd) != 1 or sum(c.isdigit() for c in t) < 2):
        return False
    return all(r.digits is not None and looks_numeric(r.digits.text) for r in recs)


def _well_formed(text: str) -> bool:
    """Whether ``text`` is a number as a table prints it: no leading zero (01 is a stroke beside a 0
    read as a digit)."""
    t = text.replace("，", ",").replace(" ", "")
    return bool(_NUMBER.match(t)) and not _LEADING_ZERO.match(t)


def cell_reading(recs: list[Recognition], seals: list[float]) -> CellText:
    """A cell's lines joined into its text, with one score and the second-best reading."""
    if not recs:
        return CellText("", 1.0, None, False)
    free = "".join(r.text for r in recs).strip()
    numeric = looks_numeric(free) or _nearly_numeric(free, recs)
    parts: list[tuple[str, float, str | None]] = []
    for r in recs:
        if numeric and r.digits is not None:
            parts.append((r.digits.text.strip(), r.digits.score, r.digits.alternative))
        elif numeric:
            folded = fold_digits(r.text).replace(" ", "")
            changed = folded != r.text
            parts.append((folded, min(r.min_prob if r.min_prob is not None else r.score, r.score)
                          * (FOLDED_GLYPH if changed else 1.0), r.text if changed else r.alternative))
        else:
            parts.append((r.text.strip(), r.score, r.alternative))
    text = "".join(p[0] for p in parts)
    score = min(p[1] for p in parts)
    weakest = min(range(len(parts)), key=lambda k: parts[k][1])
    alt = parts[weakest][2]
    alternative = None
    if alt is not None:
        alternative = "".join(alt if k == weakest else p[0] for k, p in enumerate(parts))
        if alternative == text:
            alternative = None
    if numeric and not _well_formed(text):
        score = min(score, MALFORMED_NUMBER)  # the digit reading is not a number as printed
        if _LEADING_ZERO.match(text.replace(" ", "")) and alternative is not None and _well_formed(alternative):
            # a stroke beside a 0 read as a digit: the recognizer's next reading is the number (a
            # numbering such as 3. is left as read: the label it starts is told by it)
            text, alternative = alternative, text
    seal = max(seals or [0.0])
    if seal > SEALED:
        score = min(score * (1 - min(SEAL_PENALTY, seal)), SEAL_CAP)
    return CellText(text, float(max(0.0, min(1.0, score))), alternative, numeric)
