"""Lines of print found from the ink alone, before any detector runs: which parts of a page are
worth detecting and reading.

The statistics come from tables. Running text (a line of prose across the whole width and the
shorter last line of its paragraph, a page with neither rules nor columns of numbers) holds none
of them, and its detection and reading are most of the time a prose page costs, so it is left
unread — except the first lines of a first page, which carry the title, the issuing body and the
year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .orientation import joined_pieces

NUMBER_WIDTH = 4.0
"""A piece of a line at most this many text heights wide is number-sized (a cell of digits)."""
TABLE_ROWS = 3
"""Lines of a label and numbers that make a page without rules a table page."""
TITLE_LINES = 4
"""Lines always read at the top of a first page: the title, the issuing body, the year."""
RUNNING = 0.8
"""A line at least this share of the page's print width, with no gap wider than `WORD_GAP`, is
running text (headings and a paragraph's last line are shorter, table rows have column gaps)."""
WORD_GAP = 1.5
"""Widest gap in running text, in text heights (small punctuation is not a piece: it leaves one)."""
LEADING = 1.2
"""Most blank between two lines of one paragraph, in text heights (print is set at 1.5 to 2 lines' pitch)."""


@dataclass(frozen=True)
class PrintLine:
    top: int
    bottom: int
    pieces: tuple[tuple[int, int], ...]
    """(x0, x1) left to right: characters closer than `orientation.JOIN` text heights make one piece, so a
    line of running text is one piece and a row of an unruled table is its label and its numbers."""


def print_lines(text_ink: np.ndarray, h: float) -> list[PrintLine]:
    """The lines of print of a mask of text ink (rules taken out), top to bottom."""
    blobs = sorted((int(y + t / 2), int(x), int(x + w), int(y), int(y + t))
                   for x, y, w, t in joined_pieces(text_ink, h) if 0.5 * h <= t <= 1.8 * h)
    groups: list[list[tuple[int, int, int, int, int]]] = []
    for b in blobs:
        if groups and b[0] - groups[-1][0][0] <= h * 0.5:
            groups[-1].append(b)
        else:
            groups.append([b])
    return [PrintLine(min(b[3] for b in g), max(b[4] for b in g), tuple(sorted((b[1], b[2]) for b in g)))
            for g in groups]


def has_columns(lines: list[PrintLine], h: float) -> bool:
    """Whether a page holds an unruled table: `TABLE_ROWS` lines or more of three pieces or more,
    two of them number-sized."""
    rows = sum(1 for line in lines
               if len(line.pieces) >= 3 and sum(x1 - x0 <= NUMBER_WIDTH * h for x0, x1 in line.pieces) >= 2)
    return rows >= TABLE_ROWS


def _running(line: PrintLine, h: float, width: float) -> bool:
    return line.pieces[-1][1] - line.pieces[0][0] >= width and _gapless(line, h)


def _gapless(line: PrintLine, h: float) -> bool:
    """No gap in ``line`` wider than running text leaves (a row of a table has its column gaps)."""
    return max((b[0] - a[1] for a, b in zip(line.pieces, line.pieces[1:])), default=0) <= WORD_GAP * h


def _closes(above: PrintLine, line: PrintLine, h: float, margin: int) -> bool:
    """Whether ``line`` is the last line of the paragraph whose running line ``above`` is: right under
    it, starting at the ``margin`` of running text (a heading or a paragraph begins further in), with
    no column gap."""
    return line.top - above.bottom <= LEADING * h and line.pieces[0][0] <= margin + h / 2 and _gapless(line, h)


def worth_reading(bands: list[tuple[int, int]], lines: list[PrintLine], h: float, *, tables: bool,
                  first_page: bool) -> list[tuple[int, int]]:
    """The parts of ``bands`` (vertical extents free of ruled tables) to detect and read: every line
    but running text and the last lines of its paragraphs, and a first page's title lines whatever they are."""
    title_end = lines[min(TITLE_LINES, len(lines)) - 1].bottom if (first_page and lines) else -1
    if not tables and not has_columns(lines, h):
        return [(0, title_end + int(h))] if title_end >= 0 else []
    left = min((ln.pieces[0][0] for ln in lines), default=0)
    right = max((ln.pieces[-1][1] for ln in lines), default=0)
    running = [ln for ln in lines if ln.top > title_end and _running(ln, h, RUNNING * (right - left))]
    margin = min((ln.pieces[0][0] for ln in running), default=0)
    running += [ln for above, ln in zip(lines, lines[1:]) if above in running and _closes(above, ln, h, margin)]
    running.sort(key=lambda ln: ln.top)
    out = []
    for a, b in bands:
        cuts = [(max(a, ln.top - int(h * 0.2)), min(b, ln.bottom + int(h * 0.2))) for ln in running
                if a <= (ln.top + ln.bottom) / 2 < b]
        out += free_between(a, b, cuts, h * 0.8)
    return out


def free_between(a: int, b: int, taken: list[tuple[int, int]], least: float) -> list[tuple[int, int]]:
    """The parts of [a, b) that the sorted extents ``taken`` leave free, those taller than ``least``."""
    out, at = [], a
    for t0, t1 in taken:
        if t0 - at > least:
            out.append((at, t0))
        at = max(at, t1)
    if b - at > least:
        out.append((at, b))
    return out
