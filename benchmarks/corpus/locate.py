"""Where things are printed on a rendered text PDF: pages, headings, the numbers of a section's table.

Read from the PDF's own characters (pdfplumber), so a renderer that post-processes the PDF
(a seal stamped over the numbers, table pages turned sideways) places its change where the
report really prints it. Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber

DISCLOSURE_HEADING = "二、主动公开政府信息情况"
REQUESTS_HEADING = "三、收到和处理政府信息公开申请情况"
APPEALS_HEADING = "四、政府信息公开行政复议、行政诉讼情况"
AFTER_APPEALS_HEADING = "五、存在的主要问题及改进情况"
FIRST_NUMBER_COLUMN = "自然人"
# A section's table: its heading, the next section's heading, and the header of its first column of
# numbers (None: every digit between the two headings is the table's).
TABLES = {
    "disclosure": (DISCLOSURE_HEADING, REQUESTS_HEADING, None),
    "requests": (REQUESTS_HEADING, APPEALS_HEADING, FIRST_NUMBER_COLUMN),
    "appeals": (APPEALS_HEADING, AFTER_APPEALS_HEADING, None),
}
# The page number (``- 3 -``) sits at half the bottom margin (≤ 36 pt from the foot); a page's
# content keeps to the margin (≥ 60 pt): digits this close to the foot are not table numbers.
FOOTER_BAND_PT = 48.0
# The 自然人 header is centred in its column: a number of that column can start a little to its left.
COLUMN_SLACK_PT = 12.0


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    chars: tuple[Char, ...]  # printed characters in content order, whitespace left out

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    def find(self, text: str) -> list[Char] | None:
        """The characters of the first occurrence of ``text`` (whitespace ignored), or None."""
        needle = "".join(text.split())
        at = self.text.find(needle)
        return None if at < 0 else list(self.chars[at: at + len(needle)])


def pages(pdf: bytes) -> list[Page]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [Page(float(p.width), float(p.height),
                     tuple(Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"])
                           for c in p.chars if c["text"].strip()))
                for p in doc.pages]


def section_pages(pdf: bytes) -> list[int]:
    """Indices of the pages that hold sections 三 and 四 (their heading pages through the page of 五)."""
    ps = pages(pdf)
    first = next(i for i, p in enumerate(ps) if p.find(REQUESTS_HEADING))
    last = next((i for i, p in enumerate(ps) if p.find(AFTER_APPEALS_HEADING)), len(ps) - 1)
    return list(range(first, last + 1))


def table_numbers(pdf: bytes, table: str = "requests") -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, box x0, top, x1, bottom) of the digits of a section's table (`TABLES`: section 三's
    by default) on the page that holds most of them; None if the section is not found."""
    heading, next_heading, first_column = TABLES[table]
    best: tuple[int, list[Char]] | None = None
    inside, column_x = False, None
    for i, page in enumerate(pages(pdf)):
        start, end = page.find(heading), page.find(next_heading)
        header = page.find(first_column) if first_column else None
        if header and (inside or start):
            column_x = header[0].x0 - COLUMN_SLACK_PT
        if not (inside or start):
            continue
        top = start[-1].bottom if start else 0.0
        bottom = end[0].top if end else page.height - FOOTER_BAND_PT
        digits = [c for c in page.chars if c.text.isdigit() and top < c.top and c.bottom < bottom
                  and (first_column is None or column_x is not None and c.x0 >= column_x)]
        if digits and (best is None or len(digits) > len(best[1])):
            best = (i, digits)
        inside = end is None
        if end:
            break
    if best is None:
        return None
    i, digits = best
    return i, (min(c.x0 for c in digits), min(c.top for c in digits),
               max(c.x1 for c in digits), max(c.bottom for c in digits))
