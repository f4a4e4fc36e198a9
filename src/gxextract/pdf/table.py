"""A ruled table read from one page: grid cells filled with their characters."""

from __future__ import annotations

from ..confidence import UNCLEAN_SCORE
from ..tables import Table, TableCell
from .cells import read_cell
from .grid import Grid
from .objects import Char

SLIVER = 4.0
"""An empty cell narrower or lower than this (points) is an artefact of stray rules."""


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
        cell = TableCell(text, page, tuple(round(v, 2) for v in c.bbox), c.col, c.colspan, c.rowspan)
        cell.score = 1.0 if clean or not cell.numeric else UNCLEAN_SCORE
        rows[c.row].append(cell)
    # a grid row holding only empty cells is a sliver row too, when thin
    table = Table(page, grid.xs, grid.ys[0], grid.ys[-1])
    for i, row in enumerate(rows):
        if not row:
            continue
        if all(not c.text for c in row) and grid.ys[i + 1] - grid.ys[i] < SLIVER:
            continue
        table.rows.append(sorted(row, key=lambda c: c.col))
    return table, outside
