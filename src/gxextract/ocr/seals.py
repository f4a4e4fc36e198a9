"""Seals stamped over the numbers, taken out before anything is read.

A red or blue seal on a colour scan is taken out by its hue: the page is read in the channel of
that hue (red, or blue), where the seal's ink is near paper, and what is left of it is made paper.
A seal that a black-and-white (or greyscale) scan turned grey is told from print by its shape and
its tone: a ring (found by the Hough transform, at a seal's size for the page, in the page's grey or,
where a faint seal left specks, in its ink alone, and inked all round on one thin circle, as print a
circle crosses is not) in ink of one mid tone, lighter than the print.
Inside the ring, ink lighter than halfway between the two tones is made the paper around it, with
the rims of its strokes (a rim left would be ink to a local threshold); of a seal as dark as the
print, only its ring and its solid star, told by their shape. Either way the print under
the seal stays, and so do the table's rules through it (straight ink that runs on past the seal: a
ring's side is straight over more than half a radius, never past the ring). Print as light as the
seal's ink goes with it: the cells it crossed are read again as scanned (`sealed`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 830
"""The page's short side is reduced to this (100 dpi at A4) to look for rings."""
SEAL_RADIUS = (0.07, 0.13)
"""A seal's radius as a share of the page's short side: official seals are 38–45 mm across, an
A4 page is 210 mm wide."""
RING = (0.88, 1.03)
"""The band of a found circle, in radii, where the seal's ring is looked for."""
RING_VOTES = 0.4
"""The Hough transform's least circle quality (HOUGH_GRADIENT_ALT's param2): low, so that a seal
stamped unevenly (its ring faint on one side) is found; the circles it finds through print are told
from a seal's ring after (`RING_COVER`, `RING_FIT`)."""
RING_COVER = 0.8
"""Share of the ring's sectors that must hold ink for the circle to be a seal's ring."""
SECTORS = 72
REACH = 1.12
"""How far from a grey seal's centre (in radii) its ink is faded: past its ring, as the circle
found may sit a few pixels off it."""
RIM = 2
"""Pixels around a grey seal's stroke faded with it: its blurred rim, which a local threshold would
take for a line (as it would the edge of a disc made paper whole)."""
INK = 25
"""A pixel darker than the paper by this much is ink."""
TONE_GAP = 35
"""Least difference between the ring's tone and the print's darkest tone for the two to be told
apart by tone alone; of a seal as dark as the print only the ring and the star are taken out (told
by their shape), and every cell inside it is read as unsure."""


RING_SEARCH = 0.04
"""How far (in radii) a found circle's centre and radius may sit off the seal's ring: the Hough
transform places it a few pixels off."""
RING_WIDTH = 0.025
"""Half the width (in radii) of the thin circle a seal's ring is looked for on."""
FIT_SECTORS = 90
"""Directions round a circle (4° each) its fit to a ring is counted in."""
RING_FIT = 0.86
"""Share of the directions round a circle in which ink lies on one thin circle for it to be a seal's
ring: a circle the Hough transform finds through a table's rules and digits holds ink in most
directions of its broad band (`RING_COVER`), but at scattered radii: at most 0.83 on the corpus's
pages, against 0.98–1.0 for a seal's ring and 0.90–0.94 for one stamped unevenly."""

SPECKS_BLUR = 1.0
"""A faint seal that a black-and-white scanner left as specks shows the Hough transform no edge in
the page's grey; in its ink alone (every pixel ink or paper, blurred this many pixels at
`WORK_SIDE`) the specks make one ring, found where it lies."""
SPECKS_PAPER = 250
"""Paper this white was thresholded (a black-and-white scan) or drawn: only there has a seal been left
in specks; a grey scan's paper is darker, and its seals show the Hough transform their edges."""
SPECKS_EDGE = 0.06
"""In the ink alone a thick ring is found by its inner or its outer edge, this share of its radius
off its middle (the ring a seventh of the radius wide, blurred): tried there, and either side."""
SPECKS_FIT = 0.95
"""The fit to a ring (`RING_FIT`) a circle found only in the page's ink needs: a speckled seal's
ring holds ink all round (0.99 on the corpus's one-bit scans)."""


SOLID = 0.04
"""Ink deeper than this many seal radii from paper is solid (a seal's star): a stroke of print, bold
or not, is thinner than twice this (at 200 dpi a seal's radius is about 150 px, a stroke 3–6 px)."""


SEAL_HUE = 22
"""A pixel whose red (or blue) channel stands above both others by more than this, and is bright
(over `SEAL_BRIGHT`), is red (or blue) seal ink: paper and print are grey, a yellowed paper's blue a
little low."""
SEAL_BRIGHT = 110
BLUE_SEALS_SPAN = 2
"""Blue ink is a seal's (a few bodies stamp in blue) only where it all lies within this many seals'
widths: blue print (a web page's links) runs across the page."""
THROUGH = 2.2
"""Length, in seal radii, of straight ink that is a rule through a seal: longer than the seal, as no
stroke of it is."""
BRIDGE = 5
"""Gaps along a faint rule, in pixels, that do not cut it (a scan's noise, a JPEG block)."""
SEAL_PAPER = 150
"""In the seal's channel, its ink over paper is lighter than this; print, under the seal too, darker."""


def seal_mask(rgb: np.ndarray) -> tuple[int, np.ndarray]:
    """The channel of the page's seals' hue, red (0) or blue (2), and the pixels of their ink over
    paper (bool): red, unless there is more blue seal ink than red. Print under a seal stays dark in
    that channel and is not part of it."""
    if rgb.ndim == 2:
        return 0, np.zeros(rgb.shape, bool)
    red, blue = _hue_ink(rgb, 0), _hue_ink(rgb, 2)
    if blue.sum() > red.sum():
        ys, xs = np.nonzero(blue)
        if max(np.ptp(ys), np.ptp(xs)) <= BLUE_SEALS_SPAN * 2 * SEAL_RADIUS[1] * min(rgb.shape[:2]):
            return 2, blue
    return 0, red


def _hue_ink(rgb: np.ndarray, channel: int) -> np.ndarray:
    """Pixels bright in ``channel`` and standing above both other channels there (bool)."""
    v = rgb[..., channel].astype(np.int16)
    others = np.maximum(*(rgb[..., k] for k in range(3) if k != channel))
    return ((v - others) > SEAL_HUE) & (v > SEAL_BRIGHT)


@dataclass
class Reading:
    """A page's grey for reading, every seal taken out of it."""

    gray: np.ndarray
    seal_ink: np.ndarray
    """Where seal ink lay (bool): the readings a seal crossed are less sure (`cells.cell_reading`)."""
    hidden: np.ndarray
    """Where seal ink may hide print (bool): a blank there is never sure (`cells.blank_score`). A grey
    seal's ink; a coloured seal's only where its channel as scanned is darker than the seal's own ink
    (print under it, light enough to go with the seal): elsewhere that channel shows the paper."""
    scanned: np.ndarray
    """The grey as scanned (a colour scan's seal channel), no seal taken out: print as light as a
    seal's ink, which goes with the seal, is whole there (`sealed`)."""


def reading_gray(rgb: np.ndarray) -> Reading:
    """The page's grey for reading (`Reading`)."""
    if rgb.ndim == 2:
        scanned, gray, coloured = rgb, rgb, np.zeros(rgb.shape, bool)
    else:
        channel, coloured = seal_mask(rgb)
        scanned = rgb[..., channel]
        gray = _made_paper(scanned, coloured)
    faded, grey = fade_grey_seals(gray)
    hidden = grey.copy()
    if coloured.any():
        hidden |= coloured & (scanned < np.median(scanned[coloured]) - INK)
    return Reading(faded, coloured | grey, hidden, scanned)


def without_coloured_seals(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The channel of the seals' hue (`seal_mask`), their ink made the paper tone around it; and
    their ink."""
    channel, ink = seal_mask(rgb)
    return _made_paper(rgb[..., channel], ink), ink


def _made_paper(channel: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``channel`` (the seals' own) with their ``ink`` made the paper tone around it."""
    gray = channel.copy()
    if ink.sum() <= 50:
        return gray
    ys, xs = np.nonzero(ink)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    box = gray[y0:y1, x0:x1]
    near = ink[y0:y1, x0:x1]
    r = min(max(y1 - y0, x1 - x0) / 2, SEAL_RADIUS[1] * min(gray.shape))  # two seals on a page: one's size
    # only what is near paper in the seal's channel: print under the seal (rules, digits) is dark there
    seal = cv2.dilate(near.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & (box > SEAL_PAPER)
    around = box[~near & (box > SEAL_PAPER)]
    paper = int(np.median(around)) if around.size else 255  # the paper tone around the seal
    seal &= ~_rules_through(gray, (x0, y0, x1, y1), r, paper)
    box[seal] = paper
    return gray


def _rules_through(gray: np.ndarray, box: tuple[int, int, int, int], r: float, paper: float) -> np.ndarray:
    """The table's rules inside ``box`` (a seal's, of radius ``r``): ink on straight lines that run on
    past the seal (`THROUGH` radii at least), which no stroke of the seal does, however faint the
    rule; as a mask of ``box``."""
    x0, y0, x1, y1 = box
    m = int(r)
    X0, Y0 = max(0, x0 - m), max(0, y0 - m)
    window = (gray[Y0: y1 + m, X0: x1 + m] < paper - INK).astype(np.uint8)
    k = int(r * THROUGH)
    lines = np.zeros_like(window)
    for w, h in ((k, 1), (1, k)):  # across, then down
        joined = cv2.morphologyEx(window, cv2.MORPH_CLOSE, np.ones((min(h, BRIDGE), min(w, BRIDGE)), np.uint8))
        lines |= cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones((h, w), np.uint8))
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8)).astype(bool)
    return lines[y0 - Y0: y1 - Y0, x0 - X0: x1 - X0]


def seal_share(seal_ink: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Share of ``box`` where seal ink lay."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    sub = seal_ink[y0:y1, x0:x1]
    return float(sub.mean()) if sub.size else 0.0


def _rings(gray: np.ndarray, paper: float) -> list[tuple[list[tuple[float, float, float]], float]]:
    """Circles of a seal's size on the page, (x, y, r) in pixels of ``gray``, with the fit to a ring
    (`_ring_fit`) they need to be a seal's: those of the page as it is (`RING_FIT`), then, on white
    paper (`SPECKS_PAPER`), those of its ink alone, every pixel ink or paper (`SPECKS_FIT`)."""
    short = min(gray.shape[:2])
    scale = min(1.0, WORK_SIDE / short)
    lo, hi = (int(f * short * scale) for f in SEAL_RADIUS)

    def circles(page: np.ndarray, blur: float = 0.0) -> list[tuple[float, float, float]]:
        small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else page
        found = cv2.HoughCircles(cv2.GaussianBlur(small, (0, 0), blur) if blur else small, cv2.HOUGH_GRADIENT_ALT,
                                 dp=1.5, minDist=lo, param1=100, param2=RING_VOTES, minRadius=lo, maxRadius=hi)
        return [] if found is None else [(x / scale, y / scale, r / scale) for x, y, r in found[0]]

    found = [(circles(gray), RING_FIT)]
    if paper >= SPECKS_PAPER:
        _, ink = cv2.threshold(gray, paper - INK - 1, 255, cv2.THRESH_BINARY)  # ink black, paper white
        found.append(([(x, y, r * k) for x, y, r in circles(ink, SPECKS_BLUR)
                       for k in (1 - SPECKS_EDGE, 1, 1 + SPECKS_EDGE)], SPECKS_FIT))
    return found


def _solid(ink: np.ndarray, r: float) -> np.ndarray:
    """Ink of ``ink`` in solid shapes (a seal's star), thicker than any stroke of print: within
    `SOLID` radii of a pixel lying deeper than that in ink."""
    depth = int(SOLID * r)
    core = cv2.distanceTransform(ink.astype(np.uint8), cv2.DIST_L2, 3) > depth
    return ink & cv2.dilate(core.astype(np.uint8), cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (2 * depth + 1, 2 * depth + 1))).astype(bool)


def _ring_fit(ink: np.ndarray, x: float, y: float, r: float) -> tuple[float, tuple[float, float, float]]:
    """The thin circle (`RING_WIDTH`) within `RING_SEARCH` radii of the circle (x, y, r) on which
    ``ink`` lies in the most directions round it, and the share of directions: a seal's ring is inked
    all round at one radius, print that a circle happens to cross is not."""
    ys, xs = np.nonzero(ink[::2, ::2])
    ys, xs = ys * 2.0, xs * 2.0
    near = np.abs(np.hypot(xs - x, ys - y) / r - 1) <= 2 * RING_SEARCH + RING_WIDTH
    xs, ys = xs[near], ys[near]
    best = (0.0, (x, y, r))
    steps = np.linspace(-RING_SEARCH, RING_SEARCH, 5) * r
    for cx in x + steps:
        for cy in y + steps:
            d = np.hypot(xs - cx, ys - cy)
            a = (np.arctan2(ys - cy, xs - cx) / (2 * np.pi) * FIT_SECTORS).astype(int) % FIT_SECTORS
            for cr in r + steps:  # at least 2 px either side: the ink is taken every other pixel
                share = np.count_nonzero(np.bincount(a[np.abs(d - cr) <= max(2.0, RING_WIDTH * r)],
                                                     minlength=FIT_SECTORS)) / FIT_SECTORS
                if share > best[0]:
                    best = (share, (cx, cy, cr))
    return best


def _around(shape: tuple[int, ...], x: float, y: float, r: float):
    """The window of a circle's seal (to `REACH` radii) in a page of ``shape``: its bounds, and each
    pixel's distance from the centre in radii and its direction."""
    H, W = shape[:2]
    x0, x1 = max(0, int(x - r * REACH)), min(W, int(x + r * REACH) + 1)
    y0, y1 = max(0, int(y - r * REACH)), min(H, int(y + r * REACH) + 1)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    return (x0, y0, x1, y1), np.hypot(xx - x, yy - y) / r, np.arctan2(yy - y, xx - x)


def _seal_rings(gray: np.ndarray, paper: float) -> list[tuple[float, float, float]]:
    """The seals' rings: circles of a seal's size (`_rings`) inked in most directions of their band
    (`RING_COVER`) and on one thin circle (`RING_FIT`, `SPECKS_FIT`); of such circles one inside
    another (a seal's ring and the circle of its characters), the one that fits best. Circles found
    in the page's ink alone count only where the page as it is shows no seal."""
    seals: list[tuple[float, float, float]] = []
    for candidates, least in _rings(gray, paper):
        fits = []
        for x, y, r in candidates:
            (x0, y0, x1, y1), dist, angle = _around(gray.shape, x, y, r)
            ink = gray[y0:y1, x0:x1] < paper - INK
            band = ink & (dist >= RING[0]) & (dist <= RING[1])
            if len(np.unique((angle[band] / (2 * np.pi) * SECTORS).astype(int) % SECTORS)) < RING_COVER * SECTORS:
                continue
            fit, (cx, cy, cr) = _ring_fit(ink, x - x0, y - y0, r)
            if fit >= least:
                fits.append((fit, cx + x0, cy + y0, cr))
        for _, x, y, r in sorted(fits, reverse=True):
            if all(math.hypot(x - a, y - b) > max(r, c) for a, b, c in seals):
                seals.append((x, y, r))
    return seals


def _paper_tone(gray: np.ndarray) -> float:
    """The page's paper: the tone 90 % of its pixels are as dark as or darker (a histogram's, as
    `np.percentile` takes a page's sort)."""
    counts = np.cumsum(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel())
    return float(np.searchsorted(counts, 0.9 * counts[-1]))


def fade_grey_seals(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``gray`` with the ink of every grey seal lighter than the print made paper, and of the ring of
    one as dark as the print; and where those seals' ink lay (all a dark one's disc holds)."""
    seal_ink = np.zeros(gray.shape, bool)
    paper = _paper_tone(gray)
    ink = gray < paper - INK
    rings = _seal_rings(gray, paper) if ink.any() else []
    if not rings:
        return gray, seal_ink
    print_tone = float(np.percentile(gray[ink], 5))
    out = gray.copy()
    for x, y, r in rings:
        (x0, y0, x1, y1), dist, _ = _around(gray.shape, x, y, r)
        patch = gray[y0:y1, x0:x1]
        seal_tone = float(np.median(patch[(dist >= RING[0]) & (dist <= RING[1]) & (patch < paper - INK)]))
        region = out[y0:y1, x0:x1]
        disc = dist <= REACH
        inked = region < paper - INK
        if seal_tone - print_tone >= TONE_GAP:
            seal = disc & inked & (region > (seal_tone + print_tone) / 2)
        else:  # as dark as the print: its ring and star are told apart by their shape; any ink inside may be it
            seal = inked & (((dist >= RING[0]) & (dist <= REACH)) | _solid(inked & (dist < RING[0]), r))
            seal_ink[y0:y1, x0:x1] |= disc & inked
        seal &= ~_rules_through(gray, (x0, y0, x1, y1), r, paper)
        seal_ink[y0:y1, x0:x1] |= seal
        near = cv2.dilate(seal.astype(np.uint8), np.ones((2 * RIM + 1, 2 * RIM + 1), np.uint8)).astype(bool)
        around = region[disc & ~inked]  # the paper here; the page's where ink fills the disc
        region[seal | (near & ~inked)] = int(np.median(around)) if around.size else int(paper)
    return out, seal_ink
