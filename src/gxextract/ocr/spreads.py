"""Two pages side by side on one picture (a bound report or a booklet scanned open), cut apart.

A spread read as one page interleaves its two pages' lines by height, and its two halves of a
table that runs on read as two reports. It is told by its gutter: a band down the middle of a
page wider than it is tall in which no ink stands, as wide as two pages' margins; a landscape
table's rules and a landscape page's lines of text cross it. Each half is then read as a page
of its own, left first, with the map back to the picture as given (`readers.image` sets each
half upright and level on its own: a landscape table is printed on its side in a booklet).
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from .images import PageImage, ink_mask

WIDE = (1.2, 1.8)
"""Width over height of a spread: two A4 pages side by side are 1.41 (a strip of table is wider)."""
MIDDLE = (0.3, 0.7)
"""Where, across the picture, the gutter between the pages lies."""
GUTTER = 0.06
"""The least width of the gutter, of the picture's: two pages' inner margins are 0.1-0.15 of a
spread of A4 pages; between a landscape page's columns of print there is far less."""
SPECKS = 0.005
"""Share of a column of the gutter that may be ink all the same: specks of the scan."""
WORK_WIDTH = 800
"""The picture is looked at this many pixels wide."""


def pages_of(page: PageImage) -> list[PageImage]:
    """``page`` (upright and straightened) as its left and right pages where it is a spread, else
    alone; a picture a web page shows is no spread (a table's picture may leave its middle blank)."""
    h, w = page.image.shape[:2]
    if page.shown or not WIDE[0] * h <= w <= WIDE[1] * h:
        return [page]
    cut = _gutter(page.image)
    if cut is None:
        return [page]
    shift = np.array([[1, 0, cut], [0, 1, 0], [0, 0, 1]], float)
    return [dataclasses.replace(page, image=np.ascontiguousarray(page.image[:, :cut])),
            dataclasses.replace(page, image=np.ascontiguousarray(page.image[:, cut:]),
                                to_source=page.to_source @ shift)]


def _gutter(rgb: np.ndarray) -> int | None:
    """The column (pixels of ``rgb``) down the middle of the band without ink nearest the picture's
    middle that is as wide as a gutter (`GUTTER`); None where there is none. (A page printed on its
    side in a booklet may leave a wider band inside it.)"""
    gray = rgb if rgb.ndim == 2 else rgb[..., 0]
    scale = WORK_WIDTH / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blank = np.r_[(ink_mask(small) > 0).mean(axis=0) <= SPECKS, False]
    lo, hi = (int(f * (len(blank) - 1)) for f in MIDDLE)
    bands, start = [], None
    for x in range(lo, hi + 1):
        if blank[x] and x < hi:
            start = x if start is None else start
        elif start is not None:
            bands.append((start, x))
            start = None
    middle = (len(blank) - 1) / 2
    inked = ~blank[:-1]
    wide = [(a + b) / 2 for a, b in bands  # print on both sides: a page, or a page beside paper, is no spread
            if b - a >= GUTTER * (len(blank) - 1) and inked[:a].any() and inked[b:].any()]
    if not wide:
        return None
    return int(min(wide, key=lambda c: abs(c - middle)) / scale)
