"""One page image → rows of cells, in reading order.

    straighten            upright (quarter turns) and level (skew up to ±3°), first of all
    table_grids           ruled tables → cells with spans (`rules.py`)
    cells                 each cell's lines read by the recognizer alone, all in one batch;
                          the cells under a seal read again as scanned (`sealed.py`)
    text outside tables   section headings, the title, running text: detected and read in the
                          bands of the page the tables leave free; the boxes, as words, make the
                          rows of unruled tables and the lines (`gxextract.unruled`, shared with
                          the PDF reader)
    running text          lines of prose (a paragraph's last line too), and pages with neither
                          rules nor columns of numbers, hold none of the statistics: they are
                          left unread (`lines.py`), all but a first page's title lines

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
from .. import unruled
from ..stitch import numbered
from ..tables import PageItems, Table, TableCell
from .cells import SEALED, CellText, blank_score, cell_reading, crop_line, line_boxes, looks_numeric
from .engines import Engine, Recognition, second_engine
from .images import PageImage, components, ink_mask
from .lines import free_between, print_lines, worth_reading
from .seals import Reading, reading_gray, seal_share
from .rules import PixelGrid, table_grids, text_height
from .sealed import reread as reread_sealed, reread_place, reread_words as reread_sealed_words
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
VALUE_HALF = 1.5
"""Half the width of an unruled table's widest count, in text heights (five digits)."""
BLANK_SPLIT = 3.0
"""Blank rows, in text heights, that part two pieces of a band for the detector: more than the
space between paragraphs, so a table or paragraph is never cut."""


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
    reading = reading_gray(page.image)
    gray, seal_ink = reading.gray, reading.seal_ink
    ink = ink_mask(gray)
    h = text_height(ink)
    grids, rule_mask, h = table_grids(gray, ink, h, seal_ink)
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
    det_boxes = _detect_free(gray, ink, bands, engine, h)
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
    cell_lines: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for key, lb, rec, crop in zip(jobs, boxes, cell_recs, crops):
        per_cell.setdefault(key, []).append((rec, seal_share(seal_ink, lb)))
        cell_crops.setdefault(key, []).append(crop)
        cell_lines.setdefault(key, []).append(lb)
    texts = {key: cell_reading([x[0] for x in got], [x[1] for x in got]) for key, got in per_cell.items()}
    reread_sealed(texts, cell_lines, grids, reading, engine, h)
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
                    ct.score = blank_score(text_ink, c.bbox, h, seal_share(reading.hidden, c.bbox))
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
    result.items += _text_rows(page, text_ink, reading, det_boxes, det_recs, h, engine)
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
    piece = _stretched(gray[y0:y1, x0:x1])
    if scale != 1:
        piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    pad = 16  # the detector misses text touching the border
    piece = cv2.copyMakeBorder(piece, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    out = []
    for bx0, by0, bx1, by1 in engine.detect(piece):
        # cut to the area: a box may reach into the border added for the detector
        box = (max(x0, int((bx0 - pad) / scale) + x0),
               max(y0, int((by0 - pad) / scale) + y0),
               min(x1, int(np.ceil((bx1 - pad) / scale)) + x0),
               min(y1, int(np.ceil((by1 - pad) / scale)) + y0))
        if box[2] - box[0] >= 3 and box[3] - box[1] >= 3:
            out.append(box)
    return out


PAPER_SHARE = 60
"""Percentile of a piece of page that is paper (text covers far less than 40 % of any piece)."""
INK_SHARE = 0.5
"""Percentile of a piece of page that is its darkest print."""
FLAT = 10
"""Grey levels between print and paper below which a piece has nothing to stretch."""


def _stretched(piece: np.ndarray) -> np.ndarray:
    """``piece`` with its darkest print black and its paper white: faint print of a pale scan lies near
    the detector's threshold, where its boxes come and go with the piece's size and scale."""
    ink, paper = np.percentile(piece, [INK_SHARE, PAPER_SHARE])
    if paper - ink < FLAT:
        return piece
    return cv2.convertScaleAbs(piece, alpha=255.0 / (paper - ink), beta=-ink * 255.0 / (paper - ink))


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


def _detect_free(gray: np.ndarray, ink: np.ndarray, bands: list[tuple[int, int]], engine: Engine, h: float
                 ) -> list[tuple[int, int, int, int]]:
    """Text boxes in the given bands of the page (``ink``: its `ink_mask`)."""
    scale = _det_scale(h)
    ink = ink > 0
    ink_rows = ink.sum(axis=1)
    margin = int(h)
    boxes = []
    for a, b in bands:
        if ink_rows[a:b].sum() < h * 2:
            continue
        for ta, tb in _tiles(ink_rows, a, b, int(DET_TILE / scale)):
            for ya, yb in _printed(ink_rows, ta, tb, h):
                # only the part of the band with print on it: the detector's time goes with its area
                cols = np.nonzero(ink[ya:yb].any(axis=0))[0]
                y0, y1 = max(ta, ya - margin), min(tb, yb + margin)
                x0, x1 = max(0, int(cols[0]) - margin), min(gray.shape[1], int(cols[-1]) + margin + 1)
                boxes += _detect_in(engine, gray, (x0, y0, x1, y1), scale)
    return boxes


def _printed(ink_rows: np.ndarray, a: int, b: int, h: float) -> list[tuple[int, int]]:
    """The runs of rows of [a, b) with print on them, split where `BLANK_SPLIT` text heights or more
    are blank (a signature block far above the page number is two pieces, not one tall one)."""
    rows = np.nonzero(ink_rows[a:b])[0]
    if len(rows) == 0:
        return []
    cuts = np.nonzero(np.diff(rows) > BLANK_SPLIT * h)[0]
    starts = [rows[0]] + [rows[k + 1] for k in cuts]
    ends = [rows[k] for k in cuts] + [rows[-1]]
    return [(a + int(s), a + int(e) + 1) for s, e in zip(starts, ends)]


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
        n, _, stats, _ = components(text_ink[a:b])
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


RULE_SHARE = 0.85
"""A row or column of a detected box inked across more than this share of it is a rule, not print."""
LINE_GAP = 0.25
"""Blank rows wider than this many text heights part a detected box's line of ink from other ink in
it (the parts of one character lie closer, at any resolution)."""


def _text_rows(page: PageImage, text_ink: np.ndarray, reading: Reading, boxes, recs, h: float,
               engine: Engine) -> list[tuple[float, Row]]:
    """Detected text boxes with their readings as words for the builder of unruled tables and running
    text (`gxextract.unruled`); the rows' tops in pixels, as the page's tables'."""
    points = page.points_per_pixel or 72 / page.dpi
    read = [(_inked(text_ink, b, h), b, cell_reading([r], [seal_share(reading.seal_ink, b)])) for b, r in zip(boxes, recs)
            if r.text.strip()]
    read = reread_sealed_words(read, reading, engine, h)
    heights = [ink[3] - ink[1] for ink, _, ct in read if not ct.numeric] or [ink[3] - ink[1] for ink, _, _ in read]
    size = float(np.median(heights)) * points if heights else h * points
    found = [w for ink, b, ct in read for w in _words(page, ink, b, ct, size, points)]

    def place(box: unruled.Box, among_values: bool) -> Cell:
        """What is printed in ``box`` (points), where no word was found: in a row with values, under a
        seal, what the page as scanned shows there (`reread_place`); else nothing, as sure as a ruled
        cell seen empty."""
        px = tuple(v / points for v in box)
        if (among_values and seal_share(reading.seal_ink, px) > SEALED
                and (ct := reread_place(_middle(px, h), reading, engine, h)) and ct.text):
            return Cell(text=ct.text, page=page.number, bbox=page.source_box(px), score=ct.score,
                        alternative=ct.alternative, boxed=True)
        return Cell(text="", page=page.number, boxed=True, score=blank_score(text_ink, px, h, seal_share(reading.hidden, px)))

    items = unruled.page_items(found, page.image.shape[1] * points, False, place)
    return [(top / points, row) for top, row in items]


def _middle(box: tuple[float, float, float, float], h: float) -> tuple[float, float, float, float]:
    """The middle of a value's place in an unruled table (its column's pitch), `VALUE_HALF` text
    heights either side: where a centred number stands, short of the seal strokes beside it."""
    x0, top, x1, bottom = box
    mid, half = (x0 + x1) / 2, min((x1 - x0) / 2, VALUE_HALF * h)
    return mid - half, top, mid + half, bottom


def _inked(text_ink: np.ndarray, box, h: float) -> tuple[int, int, int, int]:
    """A detected box cut to the ink of its line (a rule across it, or print of the next line
    caught at its edge, left out): the detector pads its boxes, a text layer's are the glyphs'.
    The page's ink, thresholded over the page: a box's own threshold keeps only its darkest strokes."""
    x0, y0, x1, y1 = (int(v) for v in box)
    ink = text_ink[y0:y1, x0:x1] > 0
    ink[ink.mean(axis=1) > RULE_SHARE] = False
    ink[:, ink.mean(axis=0) > RULE_SHARE] = False
    rows = np.nonzero(ink.any(axis=1))[0]
    if len(rows) == 0:
        return x0, y0, x1, y1
    runs = np.split(rows, np.nonzero(np.diff(rows) > LINE_GAP * h)[0] + 1)
    mid = len(ink) / 2
    run = min(runs, key=lambda r: 0 if r[0] <= mid <= r[-1] else min(abs(r[0] - mid), abs(r[-1] - mid)))
    cols = np.nonzero(ink[run[0]: run[-1] + 1].any(axis=0))[0]
    return x0 + int(cols[0]), y0 + int(run[0]), x0 + int(cols[-1]) + 1, y0 + int(run[-1]) + 1


def _words(page: PageImage, ink, box, ct: CellText, size: float, points: float) -> list[unruled.Word]:
    """One detected box as words in points, cut to its ink; a box of labels run across several columns
    (its reading spaced: 结果 其他) cut at the spaces, each piece given its share of the box by its
    characters."""
    x0, top, x1, bottom = ink
    parts = ct.text.split()
    if len(parts) < 2 or numbered(ct.text) or any(looks_numeric(p) for p in parts):
        # spaces in a numbered label (1. 属于国家秘密) or among numbers (- 3 -) cut no columns
        pieces = [(ct.text, x0, x1, ct.numeric, ct.alternative)]
    else:
        pieces, at, n = [], 0, len(ct.text)
        for part in parts:
            start = ct.text.index(part, at)
            at = start + len(part)
            pieces.append((part, x0 + (x1 - x0) * start // n, x0 + (x1 - x0) * at // n, False, None))
    return [unruled.Word(text=text, box=(a * points, top * points, b * points, bottom * points), page=page.number,
                         size=size, numeric=numeric, score=ct.score, alternative=alternative,
                         source_box=page.source_box(box if len(pieces) == 1 else (a, box[1], b, box[3])))
            for text, a, b, numeric, alternative in pieces]
