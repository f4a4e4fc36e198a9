"""Text outside ruled grids: a page's characters joined into words for the shared builder of tables
without rules and running text (`gxextract.unruled`).

Characters are grouped into lines by their heights (`cells.lines`), and a line is split into words
at wide gaps: after a space character at `WORD_GAP` sizes, else at `CELL_GAP` (CJK text is set tight).
"""

from __future__ import annotations

from .. import unruled
from ..confidence import UNCLEAN_SCORE
from ..tables import PageItems
from .cells import dedupe, lines, overlapping
from .objects import Char

WORD_GAP = 1.2
"""After a space character, a gap wider than this many character sizes splits words."""
CELL_GAP = 0.4
"""Without a space character, a gap wider than this many sizes splits words: CJK text is set tight."""


def _word(chars: list[Char], page: int) -> unruled.Word | None:
    text = " ".join("".join(c.text for c in chars).split())
    if not text:
        return None
    box = (min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars), max(c.bottom for c in chars))
    return unruled.Word(text=text, box=box, page=page, size=max(c.size for c in chars),
                        numeric=bool(unruled.NUMBER.match(text)),
                        score=UNCLEAN_SCORE if overlapping(chars) else 1.0)


def words(line: list[Char], page: int) -> list[unruled.Word]:
    """The words of one line of characters, left to right."""
    out: list[unruled.Word] = []
    cur: list[Char] = []
    prev: Char | None = None
    spaced = False
    for c in line:
        gap = WORD_GAP if spaced else CELL_GAP
        if prev is not None and cur and c.text != " " and c.x0 - prev.x1 > gap * max(c.size, prev.size, 1.0):
            if w := _word(cur, page):
                out.append(w)
            cur = []
        cur.append(c)
        spaced = c.text == " " if c.text == " " or prev is None else False
        if c.text != " ":
            prev = c
    if cur and (w := _word(cur, page)):
        out.append(w)
    return out


def rows(chars: list[Char], page: int, width: float = 595.0) -> PageItems:
    """(top, row) pairs for the characters outside grids, in reading order."""
    found = [w for line in lines(dedupe(chars)) for w in words(line, page)]
    return unruled.page_items(found, width, blanks_known=True)
