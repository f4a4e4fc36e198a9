"""Pure geometry: rules → snapped rules → tables → cells with row and column spans.

Like pdfplumber's table chain, each step is a plain function of plain values:

    snap(rules)          positions within SNAP points become one (the longest rule's) —
                         a stray short rule beside a real one makes no sliver column
    tables(h, v)         connected groups of crossing rules, each a candidate grid
    cells(h, v)          the grid's positions, and its elementary cells joined wherever
                         no rule separates them: merged cells with their spans
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .rules import Rule

SNAP = 3.5
"""Rules closer than this (points) are one rule; no real cell is this narrow."""
JOIN = 2.0
"""Collinear pieces with a gap below this are one rule; a rule this near a crossing touches it."""
COVER = 0.5
"""A boundary exists where rules cover at least this share of it."""


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """The elementary (row, col) holding a point, if inside."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        return (min(bisect_right(self.ys, y) - 1, len(self.ys) - 2),
                min(bisect_right(self.xs, x) - 1, len(self.xs) - 2))


def snap(rules: list[Rule], tol: float = SNAP) -> list[Rule]:
    """Rules moved onto the position of the longest-covering rule within ``tol``."""
    if not rules:
        return []
    order = sorted(rules, key=lambda r: r.pos)
    groups: list[list[Rule]] = [[order[0]]]
    for r in order[1:]:
        if r.pos - groups[-1][-1].pos <= tol and r.pos - groups[-1][0].pos <= 2 * tol:
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for g in groups:
        cover: dict[float, float] = {}
        for r in g:
            cover[r.pos] = cover.get(r.pos, 0.0) + (r.end - r.start)
        pos = max(cover, key=lambda p: cover[p])
        out.extend(Rule(pos, r.start, r.end) for r in g)
    return out


def join(rules: list[Rule], gap: float = JOIN) -> list[Rule]:
    """Collinear overlapping or nearly touching pieces merged."""
    out: list[Rule] = []
    for r in sorted(rules):
        if out and out[-1].pos == r.pos and r.start <= out[-1].end + gap:
            if r.end > out[-1].end:
                out[-1] = Rule(r.pos, out[-1].start, r.end)
        else:
            out.append(r)
    return out


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def tables(hs: list[Rule], vs: list[Rule], tol: float = JOIN) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of horizontal and vertical rules that cross or touch one another."""
    u = _Union(len(hs) + len(vs))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol:
                u.union(i, len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(u.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(u.find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _covered(rules: list[Rule], a: float, b: float) -> bool:
    need = (b - a) * COVER
    got = 0.0
    for r in rules:
        got += max(0.0, min(r.end, b) - max(r.start, a))
        if got >= need:
            return True
    return False


def build(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    """The grid of one group of rules (already snapped and joined), or None if it is no table."""
    xs = sorted({v.pos for v in vs})
    ys = sorted({h.pos for h in hs})
    if len(xs) < 2 or len(ys) < 2:
        return None
    by_x: dict[float, list[Rule]] = {}
    for v in vs:
        by_x.setdefault(v.pos, []).append(v)
    by_y: dict[float, list[Rule]] = {}
    for h in hs:
        by_y.setdefault(h.pos, []).append(h)
    nr, nc = len(ys) - 1, len(xs) - 1
    u = _Union(nr * nc)
    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not _covered(by_x.get(xs[j + 1], []), ys[i], ys[i + 1]):
                u.union(i * nc + j, i * nc + j + 1)
            if i + 1 < nr and not _covered(by_y.get(ys[i + 1], []), xs[j], xs[j + 1]):
                u.union(i * nc + j, (i + 1) * nc + j)
    spans: dict[int, list[int]] = {}
    for i in range(nr):
        for j in range(nc):
            root = u.find(i * nc + j)
            s = spans.setdefault(root, [i, j, i, j])
            s[0], s[1] = min(s[0], i), min(s[1], j)
            s[2], s[3] = max(s[2], i), max(s[3], j)
    cells = [GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
             for r0, c0, r1, c1 in spans.values()]
    cells.sort(key=lambda c: (c.row, c.col))
    if len(cells) < 2:
        return None
    return Grid(xs, ys, cells)


def grids(hs: list[Rule], vs: list[Rule]) -> list[Grid]:
    """Every ruled table of a page, top to bottom."""
    hs, vs = join(snap(hs)), join(snap(vs))
    out = [g for group in tables(hs, vs) if (g := build(*group))]
    return sorted(out, key=lambda g: (g.ys[0], g.xs[0]))
