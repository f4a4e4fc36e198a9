"""Tables as the geometric readers (text PDF, scan) hand them over: one ruled table on one page,
its cells on a grid with spans, in points on the page as read (a scan's pixels are taken to
points by its resolution). `stitch.assemble` joins them across page breaks and lays them out as
structured rows, a merged cell in its first row.

A cell keeps two boxes: ``bbox`` for the geometry (page-break stitching compares edges in
points whatever the reader) and ``source_bbox``, the box reported to the user on the page as
given (PDF points, or pixels of a picture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import Cell, Row, TableRegion

Box = tuple[float, float, float, float]
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMERIC = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．\s]*(?:元|万元)?$")


@dataclass
class TableCell:
    text: str
    page: int
    bbox: Box
    """(x0, top, x1, bottom) in points on the page as read."""
    col: int
    colspan: int = 1
    rowspan: int = 1
    score: float = 1.0
    """How sure the reading is (1.0 for a clean text layer)."""
    alternative: str | None = None
    boxed: bool = True
    """Inside the table's rules (print beside the table, level with a row, is not)."""
    source_bbox: Box | None = None
    """The box on the page as given, where it differs from ``bbox`` (a turned or straightened scan)."""

    @property
    def given_bbox(self) -> Box:
        """The box on the page as given: what the user is told."""
        return self.source_bbox or self.bbox

    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC.match(self.text))

    @property
    def label(self) -> bool:
        """Label text: two CJK characters at least (a number with a unit or a stray glyph is none)."""
        return not self.numeric and len(_CJK.findall(self.text)) >= 2

    def cell(self) -> Cell:
        return Cell(text=self.text, page=self.page, bbox=self.given_bbox, colspan=self.colspan,
                    rowspan=self.rowspan, score=round(self.score, 4), alternative=self.alternative,
                    boxed=self.boxed)


@dataclass
class Table:
    page: int
    xs: list[float]
    """Column edges, in points."""
    top: float
    bottom: float
    rows: list[list[TableCell]] = field(default_factory=list)
    continued: bool = False
    """True for a part stitched onto the table of an earlier page."""
    root: "Table | None" = None
    """For a continued part: the first part, that holds the stitched rows."""

    def to_rows(self) -> list[Row]:
        return [Row(cells=[c.cell() for c in r], structured=True) for r in self.rows if r]

    def region(self) -> TableRegion | None:
        """Where it stands on its page as given: the extent of its cells inside the rules (the rows a
        part continued on the next page added are not on this page)."""
        boxes = [c.given_bbox for r in self.rows for c in r if c.boxed and c.page == self.page]
        return TableRegion(page=self.page, bbox=extent(boxes)) if boxes else None


PageItems = list[tuple[float, "Row | Table"]]
"""A page's tables and lines of running text, each with its top, top to bottom."""


def regions(per_page: list[PageItems]) -> list[TableRegion]:
    """Every table's region, page by page: a ruled table's (one a page when it is continued over a page
    break), and the extent of each run of structured rows between them (a table without rules)."""
    out: list[TableRegion] = []
    for items in per_page:
        run: list[Row] = []
        for _, it in [*items, (0.0, None)]:
            if isinstance(it, Row) and it.structured:
                run.append(it)
                continue
            if (unruled := _unruled_region(run)) is not None:
                out.append(unruled)
            run = []
            if isinstance(it, Table) and (r := it.region()):
                out.append(r)
    return out


def _unruled_region(rows: list[Row]) -> TableRegion | None:
    """The extent of a run of structured rows' boxed cells, where it holds two rows at least."""
    boxes = [c.bbox for r in rows for c in r.cells if c.bbox is not None]
    if len(rows) < 2 or not boxes:
        return None
    page = next(c.page for r in rows for c in r.cells if c.bbox is not None)
    return TableRegion(page=page or 1, ruled=False, bbox=extent(boxes))


def extent(boxes: list[Box]) -> Box:
    """The smallest box that holds ``boxes``."""
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
