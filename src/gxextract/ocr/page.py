"""One page image → rows of cells, in reading order.

    straighten            upright (quarter turns) and level (skew up to ±3°), first of all
    table_grids           ruled tables → cells with spans (`rules.py`)
    cells                 each cell's lines read by the recognizer alone, all in one batch
    text outside tables   section headings, the title, running text: detected and read in the
                          bands of the page the tables leave free; a line of several boxes with
                          numbers in it is a row of an unruled table (boxes clustered into rows)
    running text          lines of prose, and pages with neither rules nor columns of numbers,
                          hold none of the statistics: they are left unread (`lines.py`), all but
                          a first page's title lines

The page comes out as its items top to bottom: each ruled table as a `tables.Table` (cells in
points, boxes on the page as given), the other lines as rows, structured where they are rows of
an unruled table. `stitch.assemble` joins tables across pages and lays them out as rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..models import Cell, Row
from ..tables import PageItems, Table, TableCell
from .cells import CellText, blank_score, cell_reading, crop_line, line_boxes
from .engines import Engine, Recognition, second_engine
from .images import PageImage, ink_mask
from .lines import free_between, print_lines, worth_reading
from .seals import reading_gray, seal_share
from .rules import PixelGrid, table_grids, text_height
from .second import reread

_LABEL_TAIL = re.compile(r"[\u4e00-\u9fff”\"'）)]([0-9]{1,3}[a-zA-Z]{0,2}|[0-9]{0,3}[a-zA-Z]{1,2})$")
DET_TEXT_PX = 26.0
"""Text height the detector is given (pages are scaled to it), in pixels."""
SMALL_PRINT_PX = 20.0
DET_MAX_UPSCALE = 2.0
"""Print smaller than `SMALL_PRINT_PX` (a page scanned at 120-150 dpi) is enlarged for the detector,
up to this much; larger print is only ever reduced."""
DET_TILE = 1800
"""Tallest piece of page the detector sees at once (long pictures are cut at blank rows)."""


@dataclass
class PageRows:
    items: PageItems = field(default_factory=list)
    """The page's ruled tables and its other lines, by their top in pixels, top to bottom."""
    tables: int = 0
    quality: float = 1.0
    """Mean score of the page's non-empty readings."""

    @property
    def rows(self) -> list[Row]:
        """The page alone as rows (tables laid out, none stitched to another page)."""
        return [r for _, it in self.items for r in (it.to_rows() if isinstance(it, Table) else [it])]


def read_page(page: PageImage, engine: Engine) -> PageRows:
    """The rows of an upright, straightened page."""
    return _read(page, engine)


def _read(page: PageImage, engine: Engine) -> PageRows:
    gray, seal_ink = reading_gray(page.image)
    ink = ink_mask(gray)
    h = text_height(ink)
    grids, rule_mask, h = table_grids(gray, ink, h)
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rule_mask, np.ones((5, 5), np.uint8))))

    # ---- every line of every cell, read in one batch
    jobs: list[tuple[int, int]] = []  # (grid, cell) per line crop
    boxes: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(grids):
        for ci, c in enumerate(g.cells):
            for lb in line_boxes(text_ink, c.bbox, h):
                jobs.append((gi, ci))
                boxes.append(lb)

    # ---- text outside the tables: detect in the free bands of the page
    bands = worth_reading(_free_bands(gray.shape, grids, h), print_lines(text_ink, h), h,
                          tables=bool(grids) or page.shown, first_page=page.number == 1)
    det_boxes = _detect_free(gray, bands, engine, h)
    missed = _missed_marks(text_ink, det_boxes, bands, h)
    side_boxes = _detect_sides(gray, text_ink, grids, engine, h)
    crops = [crop_line(gray, b, h) for b in boxes + det_boxes + missed + [b for _, _, b in side_boxes]]
    recs = engine.recognize(crops) if crops else []
    read = iter(recs)
    cell_recs, det_recs, missed_recs, side_recs = (
        [next(read) for _ in group] for group in (boxes, det_boxes, missed, side_boxes))
    for b, rec in zip(missed, missed_recs):
        if cell_reading([rec], [0.0]).numeric:  # a number the detector passed over; other marks are specks
            det_boxes.append(b)
            det_recs.append(rec)
    beside: dict[tuple[int, int], list[tuple[str, tuple, Recognition]]] = {}
    for (gi, where, b), rec in zip(side_boxes, side_recs):
        r = _row_at(grids[gi], (b[1] + b[3]) / 2) if rec.text.strip() else None
        if r is None:
            det_boxes.append(b)
            det_recs.append(rec)
        else:
            beside.setdefault((gi, r), []).append((where, b, rec))

    result = PageRows(tables=len(grids))
    per_cell: dict[tuple[int, int], list[tuple[Recognition, float]]] = {}
    cell_crops: dict[tuple[int, int], list[np.ndarray]] = {}
    for key, lb, rec, crop in zip(jobs, boxes, cell_recs, crops):
        per_cell.setdefault(key, []).append((rec, seal_share(seal_ink, lb)))
        cell_crops.setdefault(key, []).append(crop)
    texts = {key: cell_reading([x[0] for x in got], [x[1] for x in got]) for key, got in per_cell.items()}
    if second := second_engine(engine):
        reread(texts, cell_crops, {key: [x[1] for x in got] for key, got in per_cell.items()}, second)
    points = page.points_per_pixel or 72 / page.dpi  # table geometry in points, as every reader gives it

    def cell(text: str, ct: CellText, box, col: int, colspan: int = 1, rowspan: int = 1, boxed: bool = True):
        return TableCell(text=text, page=page.number, bbox=tuple(round(v * points, 2) for v in box), col=col,
                         colspan=colspan, rowspan=rowspan, score=ct.score, alternative=ct.alternative,
                         boxed=boxed, source_bbox=page.source_box(box))

    for gi, g in enumerate(grids):
        xs = sorted({round(c.bbox[0] * points, 2) for c in g.cells} | {round(g.bbox[2] * points, 2)})
        table = Table(page=page.number, xs=xs, top=g.bbox[1] * points, bottom=g.bbox[3] * points)
        for r in range(g.nrows):
            members = [(ci, c) for ci, c in enumerate(g.cells) if c.row == r]
            row_texts = []
            for ci, c in members:
                ct = texts.get((gi, ci))
                if ct is None:
                    ct = cell_reading([], [])
                    ct.score = blank_score(text_ink, c.bbox, h, seal_share(seal_ink, c.bbox))
                row_texts.append(ct)
            values = sum(ct.numeric for ct in row_texts)
            cells = []
            for (ci, c), ct in zip(members, row_texts):
                if not ct.numeric and values and (m := _LABEL_TAIL.search(ct.text)):
                    # a label's closing quote or bracket misread as digits (稳定” → 稳定99) beside the
                    # row's own value cells: a label cell of a ruled table holds no value
                    ct.text = ct.text[: m.start(1)]
                cells.append(cell(ct.text, ct, c.bbox, c.col, c.colspan, c.rowspan))
            for where, b, rec in sorted(beside.get((gi, r), []), key=lambda t: t[1][0], reverse=True):
                # print just outside the grid, level with a row: a column whose rule the scan lost
                ct = cell_reading([rec], [seal_share(seal_ink, b)])
                if where == "left":
                    cells.insert(0, cell(ct.text, ct, b, -1, boxed=False))
                else:
                    cells.append(cell(ct.text, ct, b, g.ncols, boxed=False))
            if cells:
                table.rows.append(cells)
        result.items.append((g.bbox[1], table))
    result.items += _text_rows(page, seal_ink, det_boxes, det_recs, h)
    result.items.sort(key=lambda t: t[0])
    scored = [r.score for r in recs if r.text.strip()]
    result.quality = float(np.mean(scored)) if scored else 0.0
    return result


def _row_at(g: PixelGrid, y: float) -> int | None:
    """The grid row whose band holds height ``y``."""
    for c in g.cells:
        if c.rowspan == 1 and c.bbox[1] <= y <= c.bbox[3]:
            return c.row
    return None


def _detect_sides(gray: np.ndarray, text_ink: np.ndarray, grids: list[PixelGrid], engine: Engine, h: float
                  ) -> list[tuple[int, str, tuple[int, int, int, int]]]:
    """Text left or right of a grid, level with it (a first column whose outer rule was lost):
    (grid, "left" | "right", box)."""
    out = []
    W = gray.shape[1]
    scale = _det_scale(h)
    for gi, g in enumerate(grids):
        x0, y0, x1, y1 = (int(v) for v in g.bbox)
        for where, a, b in (("left", 0, x0 - 3), ("right", x1 + 3, W)):
            if b - a < h or text_ink[y0:y1, a:b].sum() / 255 < h * h * 0.5:
                continue
            out += [(gi, where, box) for box in _detect_in(engine, gray, (a, y0, b, y1), scale)]
    return out


def _detect_in(engine: Engine, gray: np.ndarray, area: tuple[int, int, int, int], scale: float
               ) -> list[tuple[int, int, int, int]]:
    """Text boxes the detector finds in ``area`` of the page, scaled by ``scale``, in page pixels."""
    x0, y0, x1, y1 = area
    piece = gray[y0:y1, x0:x1]
    if scale != 1:
        piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    pad = 16  # the detector misses text touching the border
    piece = cv2.copyMakeBorder(piece, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    out = []
    for bx0, by0, bx1, by1 in engine.detect(piece):
        box = (int((bx0 - pad) / scale) + x0, int((by0 - pad) / scale) + y0,
               int(np.ceil((bx1 - pad) / scale)) + x0, int(np.ceil((by1 - pad) / scale)) + y0)
        if box[2] - box[0] >= 3 and box[3] - box[1] >= 3:
            out.append(box)
    return out


def _det_scale(h: float) -> float:
    """How much the page is scaled for the detector, given its text height."""
    return min(DET_MAX_UPSCALE if h < SMALL_PRINT_PX else 1.0, DET_TEXT_PX / max(h, 1.0))


def _free_bands(shape: tuple[int, int], grids: list[PixelGrid], h: float) -> list[tuple[int, int]]:
    """Vertical extents of the page no table covers (tables are taken full width)."""
    H = shape[0]
    taken = sorted((max(0, int(g.bbox[1] - h * 0.2)), min(H, int(g.bbox[3] + h * 0.2))) for g in grids)
    return free_between(0, H, taken, h * 0.8)


def _tiles(ink_rows: np.ndarray, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    """[a, b) cut into pieces no taller than ``limit``, at blank rows where possible."""
    out = []
    while b - a > limit:
        window = ink_rows[a + limit // 2: a + limit]
        blank = np.nonzero(window == 0)[0]
        cut = a + limit // 2 + (int(blank[-1]) if len(blank) else len(window) - 1)
        out.append((a, cut))
        a = cut
    out.append((a, b))
    return out


def _detect_free(gray: np.ndarray, bands: list[tuple[int, int]], engine: Engine, h: float
                 ) -> list[tuple[int, int, int, int]]:
    """Text boxes in the given bands of the page."""
    scale = _det_scale(h)
    ink = ink_mask(gray) > 0
    ink_rows = ink.sum(axis=1)
    margin = int(h)
    boxes = []
    for a, b in bands:
        if ink_rows[a:b].sum() < h * 2:
            continue
        for ta, tb in _tiles(ink_rows, a, b, int(DET_TILE / scale)):
            # only the part of the band with print on it: the detector's time goes with its area
            rows = np.nonzero(ink_rows[ta:tb])[0]
            cols = np.nonzero(ink[ta:tb].any(axis=0))[0]
            if len(rows) == 0 or len(cols) == 0:
                continue
            y0, y1 = max(ta, ta + int(rows[0]) - margin), min(tb, ta + int(rows[-1]) + margin + 1)
            x0, x1 = max(0, int(cols[0]) - margin), min(gray.shape[1], int(cols[-1]) + margin + 1)
            boxes += _detect_in(engine, gray, (x0, y0, x1, y1), scale)
    return boxes


def _missed_marks(text_ink: np.ndarray, found: list[tuple[int, int, int, int]], bands: list[tuple[int, int]],
                  h: float) -> list[tuple[int, int, int, int]]:
    """Marks of a digit's size in the free bands that no detected box covers, joined into words:
    a lone "0" in an unruled table, which the detector (trained on words) passes over."""
    covered = np.zeros(text_ink.shape, bool)
    m = int(h * 0.2)
    for x0, y0, x1, y1 in found:
        covered[max(0, y0 - m): y1 + m, max(0, x0 - m): x1 + m] = True
    marks = []
    for a, b in bands:
        n, _, stats, _ = cv2.connectedComponentsWithStats(text_ink[a:b], connectivity=8)
        for x, y, w, hh, area in stats[1:n]:
            if h * 0.45 <= hh <= h * 1.2 and w <= h * 1.2 and area >= h * 0.6 and not covered[a + y + hh // 2, x + w // 2]:
                marks.append([int(x), int(a + y), int(x + w), int(a + y + hh)])
    marks.sort(key=lambda q: q[0])
    words: list[list[int]] = []
    for q in marks:
        for wd in words:
            same_line = min(wd[3], q[3]) - max(wd[1], q[1]) >= 0.5 * min(wd[3] - wd[1], q[3] - q[1])
            if same_line and 0 <= q[0] - wd[2] < h * 0.35:
                wd[:] = [wd[0], min(wd[1], q[1]), max(wd[2], q[2]), max(wd[3], q[3])]
                break
        else:
            words.append(q)
    return [tuple(wd) for wd in words]


def _text_rows(page: PageImage, seal_ink: np.ndarray, boxes, recs, h: float) -> list[tuple[float, Row]]:
    """Detected text boxes clustered into lines; a line of several boxes with numbers is a table row."""
    items = [(b, r) for b, r in zip(boxes, recs) if r.text.strip()]
    items.sort(key=lambda t: ((t[0][1] + t[0][3]) / 2, t[0][0]))
    lines: list[list] = []
    for b, r in items:
        cy = (b[1] + b[3]) / 2
        for line in lines:
            ly0 = np.median([x[0][1] for x in line])
            ly1 = np.median([x[0][3] for x in line])
            if ly0 - h * 0.15 <= cy <= ly1 + h * 0.15:
                line.append((b, r))
                break
        else:
            lines.append([(b, r)])
    lines.sort(key=lambda ln: min(b[1] for b, _ in ln))
    readings = [[(_union([b for b, _ in col]), cell_reading([r for _, r in col], [seal_share(seal_ink, b) for b, _ in col]))
                 for col in _stacked(line, h)] for line in lines]
    numeric = [len(ln) > 1 and any(ct.numeric for _, ct in ln) for ln in readings]
    stacked = _stack_headers(page, readings, numeric, h)
    out = []
    for k, line in enumerate(readings):
        top = min(b[1] for b, _ in line)
        if k in stacked:
            if stacked[k] is not None:
                out.append((top, stacked[k]))
            continue
        cells = [Cell(text=ct.text, page=page.number, bbox=page.source_box(b), score=round(ct.score, 4),
                      alternative=ct.alternative) for b, ct in line]
        if numeric[k]:
            out.append((top, Row(cells=cells, structured=True)))
        else:
            out.append((top, Row(cells=[Cell(text=" ".join(c.text for c in cells), page=page.number,
                                              bbox=page.source_box(_union([b for b, _ in line])),
                                              score=min(c.score for c in cells))], structured=False)))
    return out


def _stacked(line: list, h: float) -> list[list]:
    """A line's boxes left to right as cells, those stacked over one another and aligned left or
    centred (a label wrapped in its column) taken together, top to bottom, as one cell's lines."""
    cols: list[list] = []
    for b, r in sorted(line, key=lambda t: t[0][0]):
        for col in cols:
            q = col[0][0]
            over = min(q[2], b[2]) - max(q[0], b[0]) >= 0.5 * min(q[2] - q[0], b[2] - b[0])
            aligned = abs(q[0] - b[0]) < h * 0.5 or abs(q[0] + q[2] - b[0] - b[2]) < h
            if over and aligned and all(min(c[0][3], b[3]) - max(c[0][1], b[1]) < h * 0.3 for c in col):
                col.append((b, r))
                break
        else:
            cols.append([(b, r)])
    return [sorted(col, key=lambda t: t[0][1]) for col in cols]


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _pieces(line: list) -> list:
    """A line's boxes, those the detector ran across several columns (their reading spaced: 结果 其他)
    cut at the spaces, each piece given its share of the box by its characters."""
    out = []
    for b, ct in line:
        words = ct.text.split()
        if len(words) < 2:
            out.append((b, ct))
            continue
        n, at, width = len(ct.text), 0, b[2] - b[0]
        for w in words:
            start = ct.text.index(w, at)
            at = start + len(w)
            box = (b[0] + width * start // n, b[1], b[0] + width * at // n, b[3])
            out.append((box, CellText(w, ct.score, None, ct.numeric)))
    return out


def _stack_headers(page: PageImage, readings, numeric: list[bool], h: float) -> dict[int, Row | None]:
    """An unruled table's header of wrapped column labels (结果 / 维持 on two lines) read as one row
    of column labels: the lines just above a row of numbers (two of them of three boxes or more; a
    line spanning many columns ends it), stacked into columns — those of the line with the most boxes. A row of numbers alone under such a header
    gets its values placed by column, so that a blank cell stays a blank.
    {line index: the row that replaces it, or None (merged away)}."""
    out: dict[int, Row | None] = {}

    def cell(col, text=None) -> Cell:
        if not col:
            return Cell(text="", page=page.number, score=1.0)
        return Cell(text="".join(ct.text for _, ct in col) if text is None else text, page=page.number,
                    bbox=page.source_box(_union([b for b, _ in col])), score=round(min(ct.score for _, ct in col), 4),
                    alternative=col[0][1].alternative if len(col) == 1 else None)

    for k, is_row in enumerate(numeric):
        if not is_row or (k > 0 and numeric[k - 1]):
            continue
        below = [(b[0] + b[2]) / 2 for b, _ in readings[k]]
        step = min((b - a for a, b in zip(below, below[1:])), default=h * 4)
        run = []
        j = k - 1
        while j >= 0 and not numeric[j] and len(run) < 6 and j not in out:
            gap = min(b[1] for b, _ in readings[j + 1]) - max(b[3] for b, _ in readings[j])
            if gap > h * 1.5 or any(b[2] - b[0] > step * 4 for b, _ in _pieces(readings[j])):
                break  # past the header: a heading or running text spans many columns
            run.insert(0, j)
            j -= 1
        if sum(len(readings[i]) >= 3 for i in run) < 2:
            continue
        model = max(run + [k], key=lambda i: len(readings[i]))
        centres = [(b[0] + b[2]) / 2 for b, _ in readings[model]]
        spacing = min((b - a for a, b in zip(centres, centres[1:])), default=h * 4)

        def nearest(b) -> int:
            return min(range(len(centres)), key=lambda i: abs(centres[i] - (b[0] + b[2]) / 2))

        cols: list[list] = [[] for _ in centres]
        for j in run:
            for b, ct in _pieces(readings[j]):
                cols[nearest(b)].append((b, ct))
        if sum(not col for col in cols) > len(cols) // 5:
            continue  # the header does not cover the columns: leave it as lines
        for j in run[:-1]:
            out[j] = None
        out[run[-1]] = Row(cells=[cell(col) for col in cols if col], structured=True)
        values = readings[k]
        if len(values) < len(centres) and all(ct.numeric for _, ct in values):
            placed: list[list] = [[] for _ in centres]
            ok = True
            for b, ct in values:
                i = nearest(b)
                if placed[i] or abs(centres[i] - (b[0] + b[2]) / 2) > spacing * 0.5:
                    ok = False
                placed[i].append((b, ct))
            if ok:
                out[k] = Row(cells=[cell(col) for col in placed], structured=True)
    return out
