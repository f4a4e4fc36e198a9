"""Ruling lines in a page image → table grids with spans.

    ink_mask(gray)            dark print (the red channel, so a red seal is paper)
    line_masks(ink, h)        horizontal / vertical strokes: gaps closed, then opened with
                              kernels longer than any character stroke
    segments(mask, axis)      each stroke as a `Rule` (position, start, end) in pixels
    _without_lone(...)        short horizontal strokes that meet no vertical one and line up with no
                              other left to the print (a long number's serifed feet)
    off_seals(rules, seal)    strokes within a seal that line up with no rule outside it, and are
                              not long and straight as only a rule is, dropped
    join_gaps(rules, gap)     collinear pieces across a break (a seal, a faded scan) made one
    table_grids(...)          the rules handed, in point-like units, to the one pure-geometry
                              rules → cells function of the PDF reader (`gxextract.pdf.grid.grids`),
                              and the grids it finds brought back to pixels

The geometry (snapping, crossings, spans) is shared with the vector-PDF reader, so a scanned
table and a born-digital one are cut into cells by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..pdf.grid import Grid, GridCell, grids
from ..pdf.rules import Rule
from .images import components, ink_mask

SEAL_REACH = 1.0
"""Text heights around a seal's ink that are still the seal: a stroke of it faded only in part, or
left whole, lies within that of the ink that was."""
SEAL_INSIDE = 0.9
"""Share of a stroke's length within a seal for it to lie within it."""
SEAL_STROKE = 2.5
"""Longest straight stroke a seal leaves, in text heights: its characters' strokes (a 42 mm seal's
characters stand about two text heights) and the near-straight stretch of its ring (measured on
faded and one-bit seals: straight ones at most 2.2, longer ones, to 3.4, bowed; the rules of a
table's last rows inside a seal 2.85 and longer)."""
STRAIGHT = 0.05
"""Most a rule's middle strays from a straight line, in text heights: a rule's within a pixel, a seal's
stroke as long as `SEAL_STROKE` bows its ring's curve (1.5 pixels and more)."""
LONE_STROKE = 8.0
"""Longest horizontal stroke, in text heights, that is print's and not a rule where it meets no
vertical stroke and lines up with no other: the feet of a long number in a serifed face, blurred
into one line along its baseline (682000.00: 3.3), as a twelve-digit amount is shorter than this."""
MEET = 0.6
"""Text heights a scanned rule may stop short of the one it meets."""
TEXT_PT = 9.0
"""Taken height of a table character, in points, to express pixel rules in point-like units."""


@dataclass
class PixelGrid:
    """A ruled table found in a page image: its cells in pixels, row by row."""

    cells: list[GridCell]
    bbox: tuple[float, float, float, float]
    nrows: int
    ncols: int


def text_height(ink: np.ndarray) -> float:
    """Median height of character-sized ink blobs, in pixels (the page's type size)."""
    n, _, stats, _ = components(ink)
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (hs >= 6) & (hs <= 120) & (ws <= 3 * hs) & (ws >= 2)
    if keep.sum() < 10:
        return 20.0
    # characters of several strokes are the tallest blobs; strokes of one character are smaller
    return float(max(8.0, np.percentile(hs[keep], 75)))


def line_masks(ink: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) stroke masks: short breaks closed, then anything shorter than a
    line (character strokes, digits) opened away."""
    gap = 3  # JPEG and scan noise; longer breaks are bridged between segments (join_gaps)
    hk = max(15, int(h * 3.0))
    vk = max(15, int(h * 1.6))
    hclosed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    horiz = cv2.morphologyEx(hclosed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vclosed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    vert = cv2.morphologyEx(vclosed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    return horiz, vert


def segments(mask: np.ndarray, horizontal: bool, max_thick: float) -> list[Rule]:
    """Every stroke of a line mask as a rule in pixels: (y, x0, x1) or (x, y0, y1)."""
    n, labels, stats, cents = components(mask)
    out = []
    for i in range(1, n):
        x, y, w, hh = stats[i, :4]
        if horizontal:
            # a slightly slanted long line is taller than thick; judge thickness per column
            if hh > max_thick and stats[i, cv2.CC_STAT_AREA] / max(1, w) > max_thick:
                continue
            out.append(Rule(float(cents[i][1]), float(x), float(x + w - 1)))
        else:
            if w > max_thick and stats[i, cv2.CC_STAT_AREA] / max(1, hh) > max_thick:
                continue
            out.append(Rule(float(cents[i][0]), float(y), float(y + hh - 1)))
    return out


def clear_sides(rules: list[Rule], ink: np.ndarray, horizontal: bool, h: float, limit: float = 0.12) -> list[Rule]:
    """Rules with paper on at least one side: strokes of a line of characters that happen to
    line up have ink on both sides all along, a rule has text beside it only here and there."""
    out = []
    near, far = max(2, int(h * 0.2)), max(4, int(h * 0.55))
    H, W = ink.shape
    for r in rules:
        p, a, b = int(round(r.pos)), int(r.start), int(r.end) + 1
        if horizontal:
            above = ink[max(0, p - far): max(0, p - near), a:b]
            below = ink[min(H, p + near): min(H, p + far), a:b]
        else:
            above = ink[a:b, max(0, p - far): max(0, p - near)]
            below = ink[a:b, min(W, p + near): min(W, p + far)]
        dens = [float(x.mean()) / 255 if x.size else 0.0 for x in (above, below)]
        if min(dens) <= limit:
            out.append(r)
    return out


def join_gaps(rules: list[Rule], gap: float, tol: float, across: list[Rule] | None = None) -> list[Rule]:
    """Collinear pieces (positions within ``tol``) whose gap is under ``gap`` made one rule — unless
    a crossing rule ends each side of the gap: that is where one table stops and the next begins,
    not a break in a line."""
    across = across or []

    def meets(at: float, pos: float) -> bool:
        return any(abs(c.pos - at) <= gap * 0.3 and c.start - tol <= pos <= c.end + tol for c in across)

    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: (r.start, r.pos)):
        for k, o in enumerate(out):
            if abs(o.pos - r.pos) <= tol and r.start <= o.end + gap and r.end >= o.start - gap:
                if r.start > o.end + tol and meets(o.end, r.pos) and meets(r.start, r.pos):
                    continue
                out[k] = Rule((o.pos * (o.end - o.start) + r.pos * (r.end - r.start)) / max(1.0, (o.end - o.start) + (r.end - r.start)),
                              min(o.start, r.start), max(o.end, r.end))
                break
        else:
            out.append(r)
    return out


def reach_crossings(rules: list[Rule], across: list[Rule], reach: float) -> list[Rule]:
    """Each end of a rule carried onto the nearest crossing rule within ``reach`` (and a little past
    it), so that lines a scan left just short still meet — and only the line they were meant to."""
    out = []
    for r in rules:
        start, end = r.start, r.end
        near = _across(r, across, reach)
        before = [p for p in near if r.start - reach <= p <= r.start + reach]
        after = [p for p in near if r.end - reach <= p <= r.end + reach]
        if before:
            start = min(start, min(before, key=lambda p: abs(p - r.start)) - 1.0)
        if after:
            end = max(end, min(after, key=lambda p: abs(p - r.end)) + 1.0)
        out.append(Rule(r.pos, start, end))
    return out


def _across(r: Rule, rules: list[Rule], reach: float) -> list[float]:
    """The positions of ``rules`` (crossing ``r``'s way) whose span reaches ``r``, ``reach`` past their ends."""
    return [c.pos for c in rules if c.start - reach <= r.pos <= c.end + reach]


def off_seals(rules: list[Rule], seal: np.ndarray, mask: np.ndarray, horizontal: bool, tol: float, h: float
              ) -> list[Rule]:
    """``rules`` (strokes of the line ``mask``) without those that lie within a seal (``seal``: its
    ink), line up with no rule outside it and are short or bowed: a character's stroke or a piece of
    the ring left by fading. A table's rule under a seal runs on past it, or its pieces either side
    line up with it, or (a last row's column rules, wholly under the seal) it is long and straight."""
    if not seal.any():
        return rules
    within = _within(rules, seal, horizontal, h)
    outside = [r.pos for r, w in zip(rules, within) if not w]
    return [r for r, w in zip(rules, within)
            if not w or any(abs(r.pos - q) <= tol for q in outside) or _ruled(mask, r, horizontal, h)]


def _within(rules: list[Rule], seal: np.ndarray, horizontal: bool, h: float) -> list[bool]:
    """Whether each of ``rules`` lies within a seal (`SEAL_INSIDE` of it within `SEAL_REACH` of its ink)."""
    near = max(3, int(h * SEAL_REACH)) | 1
    around = cv2.dilate(seal.astype(np.uint8), np.ones((near, near), np.uint8)).astype(bool)

    def inside(r: Rule) -> bool:
        p, a, b = int(round(r.pos)), int(r.start), int(r.end) + 1
        line = around[p, a:b] if horizontal else around[a:b, p]
        return line.size > 0 and line.mean() >= SEAL_INSIDE

    return [inside(r) for r in rules]


def _ruled(mask: np.ndarray, r: Rule, horizontal: bool, h: float) -> bool:
    """Whether stroke ``r`` of ``mask`` is longer than a seal's (`SEAL_STROKE`) and straight (`STRAIGHT`)."""
    return r.end - r.start >= SEAL_STROKE * h and _bow(mask, r, horizontal, h / 2) <= STRAIGHT * h


def _bow(mask: np.ndarray, r: Rule, horizontal: bool, reach: float) -> float:
    """How far the middle of stroke ``r`` of ``mask`` strays from the straight line fitted to it, in
    pixels: a rule's stays within one."""
    line = mask if horizontal else mask.T
    a, b = int(r.start), int(r.end) + 1
    lo = max(0, int(r.pos - reach))
    band = line[lo: int(r.pos + reach) + 1, a:b] > 0
    weight = band.sum(axis=0)
    along = np.nonzero(weight)[0]
    if along.size < 2:
        return 0.0
    middle = (np.arange(band.shape[0])[:, None] * band).sum(axis=0)[along] / weight[along]
    fitted = np.polyval(np.polyfit(along, middle, 1), along)
    return float(np.abs(middle - fitted).max())


def _without_lone(hs: list[Rule], horiz: np.ndarray, vs: list[Rule], h: float, tol: float, thick: float
                  ) -> tuple[list[Rule], np.ndarray]:
    """Horizontal strokes ``hs`` (of the mask ``horiz``) less those print makes (`LONE_STROKE`): short,
    meeting no vertical stroke ``vs`` and in line with no other horizontal one; such a stroke is
    taken out of the mask too, so that the print it is part of is read whole."""
    reach = h * MEET
    lone = [r.end - r.start < LONE_STROKE * h
            and not any(r.start - reach <= p <= r.end + reach for p in _across(r, vs, reach))
            and not any(o is not r and abs(o.pos - r.pos) <= tol for o in hs) for r in hs]
    if not any(lone):
        return hs, horiz
    mask = horiz.copy()
    for r in (r for r, alone in zip(hs, lone) if alone):
        mask[max(0, int(r.pos - thick)): int(r.pos + thick) + 1, int(r.start): int(r.end) + 1] = 0
    return [r for r, alone in zip(hs, lone) if not alone], mask


def table_grids(gray: np.ndarray, ink: np.ndarray | None = None, h: float | None = None,
                seal: np.ndarray | None = None) -> tuple[list[PixelGrid], np.ndarray, float]:
    """The ruled tables of a page (top to bottom), the mask of their rules, and the text height;
    ``seal``: where seal ink lay (`off_seals`)."""
    ink = ink_mask(gray) if ink is None else ink
    h = h or text_height(ink)
    horiz, vert = line_masks(ink, h)
    thick = max(4.0, h * 0.35)
    tol = max(3.0, h * 0.2)
    hs0 = clear_sides(segments(horiz, True, thick), ink, True, h)
    vs0 = segments(vert, False, thick)  # (narrow columns have text close on both sides of their rules)
    hs0, horiz = _without_lone(hs0, horiz, vs0, h, tol, thick)
    if seal is not None:
        hs0, vs0 = off_seals(hs0, seal, horiz, True, tol, h), off_seals(vs0, seal, vert, False, tol, h)
    hs = join_gaps(hs0, gap=h * 1.5, tol=tol, across=vs0)
    vs = join_gaps(vs0, gap=h * 1.5, tol=tol, across=hs0)
    hs, vs = reach_crossings(hs, vs, h * MEET), reach_crossings(vs, hs, h * MEET)
    unit = TEXT_PT / h  # pixels → point-like units, so the PDF geometry's tolerances apply
    hs_u = [Rule(r.pos * unit, r.start * unit, r.end * unit) for r in hs]
    vs_u = [Rule(r.pos * unit, r.start * unit, r.end * unit) for r in vs]
    out = []
    for g in grids(hs_u, vs_u):
        px = _to_pixels(g, 1 / unit)
        if px.nrows >= 2 and px.ncols >= 2 and len(px.cells) >= 4:
            out.append(px)
    return out, cv2.bitwise_or(horiz, vert), h


def _to_pixels(g: Grid, k: float) -> PixelGrid:
    cells = [GridCell(c.row, c.col, c.rowspan, c.colspan, tuple(v * k for v in c.bbox)) for c in g.cells]
    return PixelGrid(cells=cells, bbox=tuple(v * k for v in g.bbox), nrows=len(g.ys) - 1, ncols=len(g.xs) - 1)
