"""Pages photographed at a slant: a table's frame, square on paper, comes out a trapezoid.

A sheet photographed from below or from one side (a phone held over a desk) is seen in perspective:
the rules of a table that run down the page lean towards each other, those that run across it
fan out, and the rows slant differently at the top and the bottom of the table. Deskewing turns the
page as a whole and cannot square them; rows then cut across cells, a label's row and its values
part. The page's outermost long rules are found (straight lines, `cv2.HoughLinesP`), and where
they lean against each other the page is warped so that they stand square (`keystone`).
"""

from __future__ import annotations

import cv2
import numpy as np

from .images import components, ink_mask

WORK_SIDE = 800
"""The page's short side is reduced to this to look for rules: a rule's leaning is measured to a
pixel over its length, so a long picture (a whole report in one) is not reduced to a sliver."""
LONG = 0.25
"""Least length of a frame rule, as a share of the page's side it runs along: a table's outer
rules; a line of print or a short cell rule is shorter."""
PIECE = 0.06
"""Least length of a piece of a rule, as a share of the page's short side: the side of a small
table (the rows of section 二's tables), which joins the same side of the tables above and below
it into one frame rule."""
NEAR_AXIS = 12.0
"""Degrees from the page's axes within which a line counts as running across or down it."""
LEANS = 1.0
"""Least difference, in degrees, between the leaning of two opposite frame rules for the page to be
squared: a flat scan's rules, measured to a pixel or two over a few hundred, differ by less; a page
photographed with its top 2 % of the width narrower on each side leans 1.6° (and reads as it is)."""
GAP = 6
"""Pixels of a rule's break (a scan's noise, a crossing cleared of print) that do not cut it."""
ON_LINE = 3.0
"""Pixels from a rule's line within which another piece's both ends lie for it to be a piece of it."""
MOST_SHIFT = 0.12
"""The most any corner may move, as a share of the page's width: a farther one is no frame."""


def keystone(gray: np.ndarray) -> np.ndarray | None:
    """The 3×3 map that squares the page's table frame (from the page's pixels to the squared
    page's), or None where the frame's rules already stand square or no frame is found."""
    scale = min(1.0, WORK_SIDE / min(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    frame = _frame(_long_ink(ink_mask(small)))
    if frame is None:
        return None
    top, bottom, left, right = frame
    if max(_between(top, bottom), _between(left, right)) < LEANS:
        return None
    corners = np.float32([_cross(top, left), _cross(top, right), _cross(bottom, right), _cross(bottom, left)])
    x0, x1 = (corners[0, 0] + corners[3, 0]) / 2, (corners[1, 0] + corners[2, 0]) / 2
    y0, y1 = (corners[0, 1] + corners[1, 1]) / 2, (corners[2, 1] + corners[3, 1]) / 2
    square = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    h, w = small.shape
    if x1 - x0 < LONG * w or y1 - y0 < LONG * h or np.abs(corners - square).max() > MOST_SHIFT * w:
        return None  # one rule taken for two sides, or no frame of a table
    to_small = np.diag([scale, scale, 1.0])
    return np.linalg.inv(to_small) @ cv2.getPerspectiveTransform(corners, square) @ to_small


def _long_ink(ink: np.ndarray) -> np.ndarray:
    """The pieces of ``ink`` that reach across or down a `LONG` share of the page: a table's rules,
    which hang together; not print, whose characters stand apart."""
    h, w = ink.shape
    n, labels, stats, _ = components(ink)
    long = (stats[:, cv2.CC_STAT_WIDTH] >= LONG * w) | (stats[:, cv2.CC_STAT_HEIGHT] >= LONG * h)
    long[0] = False
    return (long[labels] * 255).astype(np.uint8)


def _frame(ink: np.ndarray):
    """The outermost long rules running across (top, bottom) and down (left, right) the page, each
    as its two end points; None unless all four are found."""
    h, w = ink.shape
    piece = PIECE * min(h, w)
    found = cv2.HoughLinesP(ink, 1, np.pi / 180, threshold=int(piece), minLineLength=piece, maxLineGap=GAP)
    if found is None:
        return None
    across, down = [], []
    for x0, y0, x1, y1 in found.reshape(-1, 4).astype(float):
        a = np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 180
        if min(a, 180 - a) <= NEAR_AXIS:
            across.append(((x0, y0), (x1, y1)) if x0 <= x1 else ((x1, y1), (x0, y0)))
        elif abs(a - 90) <= NEAR_AXIS:
            down.append(((x0, y0), (x1, y1)) if y0 <= y1 else ((x1, y1), (x0, y0)))
    top = _outermost(across, lambda p: p[1], LONG * w, first=True)
    bottom = _outermost(across, lambda p: p[1], LONG * w, first=False)
    left = _outermost(down, lambda p: p[0], LONG * h, first=True)
    right = _outermost(down, lambda p: p[0], LONG * h, first=False)
    return None if None in (top, bottom, left, right) else (top, bottom, left, right)


def _outermost(lines, offset, least: float, first: bool):
    """Of ``lines`` (pieces of rules), the outermost rule at least ``least`` long (its pieces joined
    where they lie on one line), by ``offset`` of its middle; as its two end points."""
    ranked = sorted(lines, key=lambda s: offset(((s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2)),
                    reverse=not first)
    for s in ranked:
        pieces = [t for t in lines if _same_line(s, t)]
        ends = np.array([p for t in pieces for p in t])
        span = np.ptp(ends, axis=0).max()
        if span >= least:
            return _fit(ends)
    return None


def _same_line(s, t) -> bool:
    """Whether piece ``t`` lies on the line through piece ``s`` (`ON_LINE`)."""
    (x0, y0), (x1, y1) = s
    n = np.array([y0 - y1, x1 - x0], float)
    n /= np.hypot(*n)
    return all(abs(np.dot(np.subtract(p, (x0, y0)), n)) <= ON_LINE for p in t)


def _fit(points: np.ndarray):
    """The line through ``points`` (least squares) as its two extreme points."""
    vx, vy, cx, cy = cv2.fitLine(points.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    t = (points - (cx, cy)) @ (vx, vy)
    return (cx + t.min() * vx, cy + t.min() * vy), (cx + t.max() * vx, cy + t.max() * vy)


def _between(a, b) -> float:
    """The angle between lines ``a`` and ``b``, in degrees (0 to 90, whichever way each runs)."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    d = abs(np.degrees(np.arctan2(ay1 - ay0, ax1 - ax0) - np.arctan2(by1 - by0, bx1 - bx0))) % 180
    return float(min(d, 180 - d))


def _cross(a, b) -> tuple[float, float]:
    """Where lines ``a`` and ``b`` meet."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    p = (x1 * y2 - y1 * x2, x3 * y4 - y3 * x4)
    return ((p[0] * (x3 - x4) - (x1 - x2) * p[1]) / d, (p[0] * (y3 - y4) - (y1 - y2) * p[1]) / d)
