"""Characters into text: lines by geometry (never the content-stream order), wrapped lines
joined, and a verdict on whether the reading is clean.

Numbers may be set larger or in another font than labels, so the stream order is not the
reading order; lines are found from the characters' vertical extents instead.
"""

from __future__ import annotations

import re

from .objects import Char

_NUM = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*(?:元|万元)?$")
_LATIN = re.compile(r"[0-9A-Za-z０-９.,%]")


def dedupe(chars: list[Char]) -> list[Char]:
    """Drop characters drawn twice at the same place (fake bold, shadow)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in chars:
        key = (c.text, round(c.x0 * 2), round(c.top * 2))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into text lines, top to bottom, each left to right."""
    out: list[list[Char]] = []
    bounds: list[list[float]] = []
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if out:
            top, bottom = bounds[-1]
            overlap = min(bottom, c.bottom) - max(top, c.top)
            if overlap > 0.5 * min(bottom - top, c.bottom - c.top) or c.text == " ":
                out[-1].append(c)
                bounds[-1] = [min(top, c.top), max(bottom, c.bottom)]
                continue
        out.append([c])
        bounds.append([c.top, c.bottom])
    return [sorted(line, key=lambda c: c.x0) for line in out]


def line_text(line: list[Char]) -> str:
    """A line's text; a space where a gap wider than half a character separates two pieces."""
    parts: list[str] = []
    prev: Char | None = None
    for c in line:
        if prev is not None and c.text != " " and prev.text != " ":
            gap = c.x0 - prev.x1
            if gap > 0.5 * max(c.size, prev.size, 1.0):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return " ".join("".join(parts).split())


def join_lines(texts: list[str]) -> str:
    """Wrapped lines joined: CJK runs directly, Latin/digit runs with a space."""
    out = ""
    for t in texts:
        if not t:
            continue
        if out and _LATIN.match(out[-1]) and _LATIN.match(t[0]):
            out += " "
        out += t
    return out


def overlapping(line: list[Char]) -> bool:
    """Two different characters of one line drawn over each other."""
    for a, b in zip(line, line[1:]):
        if a.text == " " or b.text == " ":
            continue
        w = min(a.x1 - a.x0, b.x1 - b.x0)
        if w > 0 and a.x1 - b.x0 > 0.45 * w:
            return True
    return False


def read_cell(chars: list[Char], bbox: tuple[float, float, float, float] | None = None) -> tuple[str, bool]:
    """(text, clean) of the characters of one cell."""
    ls = lines(dedupe(chars))
    texts = [line_text(line) for line in ls]
    text = join_lines(texts)
    clean = not any(overlapping(line) for line in ls)
    if bbox is not None and clean:
        x0, top, x1, bottom = bbox
        for c in chars:
            w = (c.x1 - c.x0) * 0.35
            if c.text != " " and (c.x0 < x0 - w or c.x1 > x1 + w):
                clean = False
                break
    parts = text.split()
    if len(parts) > 1 and sum(bool(_NUM.match(p)) for p in parts) >= 2:
        clean = False
    return text, clean
