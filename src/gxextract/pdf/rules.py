"""Visible ruling lines from path segments.

A stroked segment in a visible colour is a rule; so is a thin filled rectangle (Word and
WPS draw many borders that way). A large filled rectangle is a cell background or a
shaded band, and a white one is paper: neither is a rule, whatever its edges.
"""

from __future__ import annotations

from typing import NamedTuple

from .objects import Segment

THIN = 2.0
"""A filled rectangle no thicker than this (points) is drawn as a line."""
MIN_LENGTH = 2.0


class Rule(NamedTuple):
    """A horizontal rule at ``pos`` = y (``start``..``end`` along x), or a vertical one at x."""

    pos: float
    start: float
    end: float


def _white(rgb: tuple[float, float, float]) -> bool:
    return min(rgb) > 0.9


def rules(segments: list[Segment]) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) rules of a page."""
    hs: list[Rule] = []
    vs: list[Rule] = []
    for s in segments:
        if s.rect:
            if _white(s.fill_rgb) or s.width > THIN:
                continue
        elif s.stroked:
            if _white(s.stroke_rgb):
                continue
        elif not s.filled or _white(s.fill_rgb):
            continue
        w, h = s.x1 - s.x0, s.bottom - s.top
        if h <= THIN and w >= MIN_LENGTH and w > h:
            hs.append(Rule((s.top + s.bottom) / 2, s.x0, s.x1))
        elif w <= THIN and h >= MIN_LENGTH and h > w:
            vs.append(Rule((s.x0 + s.x1) / 2, s.top, s.bottom))
    return hs, vs
