"""Print showing through from the back of the sheet, faded before anything reads the page.

Thin paper printed on both sides scans with the back's print showing through: a faint, blurred,
mirrored page under the front's. To the local threshold that finds ink it is ink: its rules split
the front's cells, its digits stand in cells printed blank.

It is told by tone. Print, however pale the scan or blurred the stroke, has a core well on the way
from the paper's tone to the print's; show-through stays within `GHOST` of that way. A page on
which `PIECES` pieces of ink that light stand away from print (and from grey fills: a shaded header
band is as light) has show-through, and there every pixel lighter than print and `NEAR` pixels or
more from it is made paper: the show-through and the haze its blur leaves, for fading its strokes
alone would leave their rims to be found as ink again. Print and the rims of its strokes are
never touched, and a page without show-through is not changed at all.
"""

from __future__ import annotations

import cv2
import numpy as np

from .images import components, ink_mask

GHOST = 0.3
"""Share of the way from the paper's tone to the print's that show-through does not reach and every
piece of print does. Measured on 200 dpi scans of 4 reports (blurred, noisy, pale and greyscale):
pieces of print of 20 pixels and more reach 0.75 at least; a back page showing through at 12-20 %
of its darkness, 0.1-0.2."""
NEAR = 3
"""Pixels round print where lighter ink is its own (a blurred stroke's rim): left alone. On the pale
and blurred OCR fixtures no piece of `SPECK` pixels lighter than print lies further from it."""
SPECK = 20
"""Pieces of ink of fewer pixels are the scan's noise, whatever their tone: left as they are."""
PIECES = 6
"""Pieces of show-through that tell a page has print on its back: what a seal's removal or a stray
mark leaves makes 1-3 (on the scans of the corpus and the OCR fixtures); a back page's print 9-220
(reports scanned with a back page showing through at 20 % of its darkness)."""
FILL_STEP = 12
"""Grey levels under the paper's tone (the local threshold's own step) of a grey fill: a table's
shaded header band is as light as show-through, and the threshold finds ink along its edge."""
FILL_SIDES = 120
"""A grey fill holds squares of the page's short side / this (13 pixels at 200 dpi, where a
stroke of print is 2-5 wide): noise and the strokes of show-through hold none."""
PRINT_SHARE = 0.005
"""Share of the page's pixels at least as dark as its print's tone (the darkest strokes)."""


def show_through(gray: np.ndarray) -> np.ndarray | None:
    """Where ``gray`` is paper with print of the back showing through it: every pixel lighter than
    print, `NEAR` pixels from it or more, on a page where pieces of show-through stand (None on a
    page with none). Looked for at half size first: most pages have none, and that costs a quarter."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if not _ghosts(small, 0.5)[0]:
        return None
    found, away = _ghosts(gray, 1.0)
    return away if found else None


def _ghosts(gray: np.ndarray, scale: float) -> tuple[bool, np.ndarray]:
    """Whether ``gray`` holds `PIECES` pieces of ink lighter than print, away from print and grey
    fills, of `SPECK` pixels or more (``scale``: the page's size to its full size); and its pixels
    lighter than print, away from it."""
    counts = np.cumsum(np.bincount(gray.ravel(), minlength=256))
    paper, ink_tone = _tone(counts, 0.5), _tone(counts, PRINT_SHARE)
    dark = (gray < paper - GHOST * (paper - ink_tone)).astype(np.uint8)
    near = cv2.dilate(dark, _square(max(1, round(NEAR * scale)))) > 0
    side = max(3, min(gray.shape) // FILL_SIDES)
    fill = cv2.morphologyEx((gray < paper - FILL_STEP).astype(np.uint8), cv2.MORPH_OPEN,
                            np.ones((side, side), np.uint8))
    light = (ink_mask(gray) > 0) & ~near & ~(fill > 0)
    _, _, stats, _ = components(light.astype(np.uint8))
    return int((stats[1:, cv2.CC_STAT_AREA] >= SPECK * scale * scale).sum()) >= PIECES, ~near


def _square(r: int) -> np.ndarray:
    return np.ones((2 * r + 1, 2 * r + 1), np.uint8)


def made_paper(image: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``image`` (grey or RGB) with the pixels ``where`` made the paper's tone, channel by channel."""
    out = image.copy()
    for c in range(1 if image.ndim == 2 else image.shape[2]):
        plane = out if image.ndim == 2 else out[..., c]
        plane[where] = _tone(np.cumsum(np.bincount(plane.ravel(), minlength=256)), 0.5)
    return out


def _tone(counts: np.ndarray, share: float) -> int:
    """The grey level below which ``share`` of the pixels lie (``counts``: cumulative histogram)."""
    return int(np.searchsorted(counts, counts[-1] * share))
