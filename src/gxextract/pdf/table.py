"""A ruled table read from one page: grid cells filled with their characters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import read_cell
from .grid import Grid
from .objects import Char

SLIVER = 4.0
"""An empty cell narrower or lower than this (points) is an artefact of stray rules."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMERIC = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．\s]*(?:元|万元)?$")


@dataclass
class TCell:
    text: str
    page: int
    bbox: tuple[float, float, float, float]
    col: int
    colspan: int = 1
    rowspan: int = 1
    clean: bool = True

    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC.match(self.text))

    @property
    def label(self) -> bool:
        """Label text: two CJK characters at least (a number with a unit or a stray glyph is none)."""
        return not self.numeric and len(_CJK.findall(self.text)) >= 2


@dataclass
class Table:
    page: int
    xs: list[float]
    top: float
    bottom: float
    rows: list[list[TCell]] = field(default_factory=list)
    continued: bool = False
    """True for a part stitched onto the table of an earlier page."""
    root: "Table | None" = None
    """For a continued part: the first part, that holds the stitched rows."""


def fill(grid: Grid, chars: list[Char], page: int) -> tuple[Table, list[Char]]:
    """The table of ``grid`` with its characters, and the characters lying outside it."""
    index = {}
    for k, c in enumerate(grid.cells):
        for i in range(c.row, c.row + c.rowspan):
            for j in range(c.col, c.col + c.colspan):
                index[i, j] = k
    inside: list[list[Char]] = [[] for _ in grid.cells]
    outside: list[Char] = []
    for ch in chars:
        at = grid.locate(ch.cx, ch.cy)
        if at is None:
            outside.append(ch)
        else:
            inside[index[at]].append(ch)
    nrows = len(grid.ys) - 1
    rows: list[list[TCell]] = [[] for _ in range(nrows)]
    for c, cs in zip(grid.cells, inside):
        text, clean = read_cell(cs, c.bbox) if cs else ("", True)
        x0, top, x1, bottom = c.bbox
        if not text and (x1 - x0 < SLIVER or bottom - top < SLIVER):
            continue
        rows[c.row].append(TCell(text, page, tuple(round(v, 2) for v in c.bbox), c.col, c.colspan, c.rowspan, clean))
    # a grid row holding only empty cells is a sliver row too, when thin
    table = Table(page, grid.xs, grid.ys[0], grid.ys[-1])
    for i, row in enumerate(rows):
        if not row:
            continue
        if all(not c.text for c in row) and grid.ys[i + 1] - grid.ys[i] < SLIVER:
            continue
        table.rows.append(sorted(row, key=lambda c: c.col))
    return table, outside
