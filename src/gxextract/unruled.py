"""Tables without rules, and the lines around them, from positioned words: one builder for every
geometric reader (a text PDF's characters joined into words, a scan's OCR boxes with their readings).

    lines        words whose heights overlap make a line
    value rows   a line with numbers (two, or one after a label, or one alone where rows of numbers
                 have theirs, unless it is the page's number) is a row of a table; its numbers are
                 the row's values, but for a numbering (3.) left of every column: its label's
    labels       the other words stacked into blocks: narrow words one over another in a column, as
                 close as wrapped lines, are one cell's lines (a wrapped label, 结果 over 维持); a
                 block level with a value row and left of its numbers is that row's label
    columns      a row with fewer values than its table's fullest rows, or than its header's line
                 with the most words, has each value placed under the column it stands in: a column
                 with none is a cell printed blank, known by its place. A table runs until the next
                 one's header, or running text across its numbers
    running text blocks whose heights overlap make one row, left to right (a block under another of
                 the row, as wide, begins the next); a numbered row label
                 amid the table's rows (or any label right after them, ending before their numbers)
                 with no number of its own is a row printed blank, one blank under each column
    blanks       sure where every printed word is known (a text layer), or where the page's pixels
                 show nothing in the blank's place (a scan: ``read_place``, which under a seal
                 reads the place as scanned)

Every box is in points on the page as read; a word keeps the box to report where it differs.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from .chunks import page_number
from .headers import CONFIRMING_ROWS, widths
from .models import Cell, Row
from .pdf.cells import join_lines
from .stitch import numbered
from .tables import Box, PageItems, extent

NUMBER = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*(?:元|万元)?$|^[—–\-－/／]$|^[—–\-－]{2}$")
"""A value as printed: a number (with an amount's unit) or a dash or slash standing for none."""
_SUB_ROW = re.compile(r"^\s*\d{1,2}\s*[、.．]")
"""A numbered sub-row label (1. 2、), not a group header (（三）) or a section (一、)."""
_GROUP_ROW = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]?")
"""A label numbered as the form's rows and groups are (（二）部分公开, （三）不予公开; OCR drops the ``）``)."""

SAME_LINE = 0.5
"""Two words whose heights overlap by more than this share of the smaller are on one line."""
NARROW = 0.35
"""A word narrower than this share of the page can be part of a wrapped table cell."""
WRAP_GAP = 0.8
"""Wrapped lines of one cell lie closer than this many text sizes (rows of a table lie further)."""
ALIGNED = 1.5
"""Wrapped lines start or end within this many sizes of each other (or are centred within twice it)."""
NEAR_ROW = 0.8
"""A label block whose middle lies within this many sizes of a value row's is that row's label."""
HEADER_GAP = 1.5
"""Lines of a table's header lie closer than this many sizes to each other and to its first row."""
HEADER_LINES = 6
"""Lines above a table's first row read as its header, at most (a two-level header of wrapped cells)."""
ACROSS = 0.5
"""A header block stands over a column when it covers more than this share of the narrower one's width."""
HEADING_SPAN = 4
"""A word wider than this many columns is a heading or running text above the header, not part of it."""
PLACE_WITHIN = 0.5
"""A value stands under a column when its middle lies within this share of the columns' spacing."""
TRAILING_PITCH = 1.0
"""A row printed blank after a table's last row of numbers begins within this many of its row pitches
under the row above (running text after a table stands further off, or reaches into its columns)."""

PlaceReader = Callable[[Box, bool], Cell]
"""What a reader sees in a box of the page (points, as the words') where a value would stand and no
word was found: an empty cell, as sure as the page shows nothing there, or, in a row with values of
its own (the flag), what it reads there where a seal may have hidden the print (in a row printed
blank what a seal leaves is no value)."""


@dataclass(frozen=True)
class Word:
    """One positioned word: a PDF's characters joined up to a gap, or an OCR box with its reading."""

    text: str
    box: Box
    """(x0, top, x1, bottom) in points on the page as read."""
    page: int
    size: float
    """Text size in points (a font's size, a scan's text height)."""
    numeric: bool
    """A value as printed (`NUMBER`, or the OCR's reading of digits)."""
    score: float = 1.0
    alternative: str | None = None
    source_box: Box | None = None
    """The box on the page as given, where it differs from ``box`` (pixels of a picture)."""

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2


@dataclass
class _Block:
    """Words one over another: the lines of one cell."""

    words: list[Word] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return extent([w.box for w in self.words])

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    def text(self) -> str:
        return join_lines([w.text for w in sorted(self.words, key=lambda w: (w.box[1], w.box[0]))])

    def cell(self) -> Cell:
        return _cell(self.words, self.text())


def _cell(words: list[Word], text: str) -> Cell:
    box = extent([w.source_box or w.box for w in words])
    return Cell(text=text, page=words[0].page, bbox=tuple(round(v, 2) for v in box),
                score=round(min(w.score for w in words), 4), alternative=words[0].alternative if len(words) == 1 else None)


def lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their heights, top to bottom, each left to right."""
    out: list[list[Word]] = []
    bounds: list[list[float]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.box[0])):
        if out:
            top, bottom = bounds[-1]
            if min(bottom, w.box[3]) - max(top, w.box[1]) > SAME_LINE * min(bottom - top, w.box[3] - w.box[1]):
                out[-1].append(w)
                bounds[-1] = [min(top, w.box[1]), max(bottom, w.box[3])]
                continue
        out.append([w])
        bounds.append([w.box[1], w.box[3]])
    return [sorted(line, key=lambda w: w.box[0]) for line in out]


def _blocks(loose: list[Word], width: float) -> list[_Block]:
    """Narrow words stacked in a column with the gaps of wrapped lines (a wrapped cell) as one block."""
    blocks: list[_Block] = []
    for w in sorted(loose, key=lambda w: (w.box[1], w.box[0])):
        x0, top, x1, _ = w.box
        narrow = x1 - x0 < NARROW * width and not w.numeric  # a number left over is a line of its own
        for b in reversed(blocks[-16:]) if narrow else ():
            last = max(b.words, key=lambda v: v.box[3])
            if last.numeric or last.box[2] - last.box[0] >= NARROW * width:
                continue
            last = last.box
            aligned = abs(last[0] - x0) < ALIGNED * w.size or abs(last[2] - x1) < ALIGNED * w.size \
                or abs((last[0] + last[2]) - (x0 + x1)) < 2 * ALIGNED * w.size
            if aligned and -0.2 * w.size <= top - last[3] < WRAP_GAP * w.size and len(b.words) < 40 \
                    and not numbered(w.text):
                b.words.append(w)
                break
        else:
            blocks.append(_Block([w]))
    return blocks


@dataclass
class _ValueRow:
    values: list[Word]
    labels: list[_Block] = field(default_factory=list)
    cells: list[Word | None] = field(default_factory=list)
    """The values laid on the table's columns (None: printed blank); the values as read otherwise."""
    columns: list[float] = field(default_factory=list)
    """The middles of the columns ``cells`` are laid on, where they were."""

    @property
    def cy(self) -> float:
        return sum(w.cy for w in self.values) / len(self.values)

    @property
    def top(self) -> float:
        return min(w.box[1] for w in self.values)


def page_items(words: list[Word], width: float, blanks_known: bool, read_place: PlaceReader | None = None
               ) -> PageItems:
    """The rows of the page's words, each with its top, top to bottom: a value row of an unruled
    table as a structured row (its label blocks, then its values on the table's columns), running
    text as rows of its blocks. ``blanks_known``: every printed word is among ``words`` (a text
    layer), so a column with no value is a cell printed blank beyond doubt; else ``read_place``, if
    given, tells from the page itself how sure a blank is, or what stands there (a scan's pixels)."""
    rows: list[_ValueRow] = []
    lone: list[Word] = []
    loose: list[Word] = []
    for ws in lines(words):
        if _folio(ws, words):
            continue  # the page's number (- 2 -), no row nor value
        nums = [w for w in ws if w.numeric]
        labels = [w for w in ws if not w.numeric]
        if len(nums) == 1 and labels and nums[0].box[0] < labels[0].box[0]:
            nums, labels = [], ws  # a number before the labels is their numbering (3. read apart)
        if len(ws) == 1 and nums:
            lone.append(ws[0])
        elif nums and (len(nums) >= 2 or labels):
            rows.append(_ValueRow(nums))
            loose.extend(labels)
        else:
            loose.extend(ws)
    for r in rows:  # a row's first "value" a numbering (3.) left of every other row's numbers: its label's
        others = [w for o in rows if o is not r for w in o.values]
        if len(r.values) > 1 and _SUB_ROW.fullmatch(r.values[0].text.strip()) and not _under(r.values[0], others):
            loose.append(r.values.pop(0))
    columns = [w for r in rows if len(r.values) > 1 for w in r.values]
    for w in lone:  # a number alone on its line where no row of numbers has them: a label's
        if _under(w, columns):  # numbering (1、 read 11), not a row
            rows.append(_ValueRow([w]))
        else:
            loose.append(w)
    rows.sort(key=lambda r: r.cy)
    free: list[_Block] = []
    for b in _blocks(loose, width):
        best = min(range(len(rows)), key=lambda k: abs(rows[k].cy - b.cy), default=None)
        near = best is not None and abs(rows[best].cy - b.cy) <= max(NEAR_ROW * b.size, 0.3 * (b.box[3] - b.box[1]))
        if near and b.box[2] < rows[best].values[0].box[0] + 1:
            rows[best].labels.append(b)
        else:
            free.append(b)
    bands = _bands(free)
    _columns(rows, bands)
    out: PageItems = []
    for r in rows:
        cells = [b.cell() for b in sorted(r.labels, key=lambda b: b.box[0])]
        cells += [_blank(r.values[0].page, _slot(r, k), blanks_known, read_place, True) if w is None
                  else _cell([w], w.text) for k, w in enumerate(r.cells)]
        out.append((r.cy, Row(cells=cells, structured=True)))
    last = None  # the blank row just laid after a table's last row of numbers, if any
    for band in bands:
        cells = [b.cell() for b in band]
        label = band[-1]
        text = label.text()
        sub_row = bool(_SUB_ROW.match(text))
        # a sub-row's place is its own label's, not a taller group label's level with it (三、本年度办理结果)
        top = label.box[1] if sub_row else min(b.box[1] for b in band)
        above = [r for r in rows if r.cy < top]
        others = [b for b in bands if b is not band]
        below = [r for r in rows if r.cy > top and not _header_between(others, top, r.top)]  # this table's
        # （二）部分公开 is a row where it stands among the rows' labels; （三）不予公开 left of them heads a group
        grouped = bool(_GROUP_ROW.match(text))
        sub_row = sub_row or (grouped and _among_labels(label, above[-1:] + below[:1]))
        # after the last row of numbers no group begins: a label there is a row's (四、结转下年度继续办理,
        # its numbering maybe lost), if it lies as close as a row and ends before the numbers
        trailing = bool(above) and not below and _trails(label, above, last)
        last = label if trailing else None
        if (sub_row and above and below) or trailing:
            # a numbered row label amid the value rows (or right after them) with no number of its
            # own: a row printed blank, known when the rows beside it have their labels (none lost its
            # numbers), or when the page shows nothing right of the label
            sure = blanks_known and bool(above[-1].labels) and all(r.labels for r in below[:1])
            blanks = [_blank(label.words[0].page, where, sure, read_place, False)
                      for where in _blank_slots(label, above[-1:] + below[:1])]
            out.append((top, Row(cells=[*cells, *blanks])))
        else:
            out.append((top, Row(cells=cells, structured=False)))
    out.sort(key=lambda item: item[0])
    return out


def _blank(page: int, where: Box, sure: bool, read_place: PlaceReader | None, among_values: bool) -> Cell:
    """The cell whose value would stand at ``where`` and no word was found: a sure blank when ``sure``
    (every printed word known), else what ``read_place`` finds there, if it can tell; ``among_values``:
    its row has values of its own."""
    if sure or read_place is None:
        return Cell(text="", page=page, boxed=sure)
    return read_place(where, among_values)


def _slot(r: _ValueRow, k: int) -> Box:
    """Where the value of ``r``'s column ``k`` would stand: its column's width, between the words
    beside it, level with the row's values."""
    half = _half_step(r.columns)
    left = max([w.box[2] for w in r.cells[:k] if w] + [b.box[2] for b in r.labels] + [r.columns[k] - half])
    right = min([w.box[0] for w in r.cells[k + 1:] if w] + [r.columns[k] + half])
    return left, min(w.box[1] for w in r.values), right, max(w.box[3] for w in r.values)


def _half_step(middles: list[float]) -> float:
    """Half the least spacing of columns' middles (0 for one column): a column's half width."""
    return min((b - a for a, b in zip(middles, middles[1:])), default=0.0) / 2


def _among_labels(label: _Block, beside: list[_ValueRow]) -> bool:
    """Whether ``label`` reaches over the label of a row beside it: it stands in the column of the
    rows' labels, where a group header stands in a column of its own left of its rows'."""
    return any(_overlap(label.box, b.box) > 0 for r in beside for b in r.labels)


def _blank_slots(label: _Block, beside: list[_ValueRow]) -> list[Box]:
    """Where the values of a row printed blank would stand, level with its label: under each column
    of the fuller row beside it, so that a mark (or a seal) in one column's place makes that cell
    alone unsure; one box across them all where that row has a single column."""
    row = max(beside, key=lambda r: len(r.columns or r.values))
    middles = row.columns or sorted(w.cx for w in row.values)
    if len(middles) < 2:
        right = max(w.box[2] for r in beside for w in r.values)
        return [(label.box[2], label.box[1], right, label.box[3])]
    half = _half_step(middles)
    return [(max(label.box[2], m - half), label.box[1], m + half, label.box[3]) for m in middles]


def _trails(label: _Block, above: list[_ValueRow], last: _Block | None) -> bool:
    """Whether a label below a table's last row of numbers is a row of that table: it ends
    before the table's numbers begin, and its top lies within `TRAILING_PITCH` row pitches of the
    bottom of the row above (the last row of numbers, or the blank row laid after it)."""
    if label.box[2] >= min(w.box[0] for w in above[-1].values):
        return False
    cys = [r.cy for r in above]
    pitch = statistics.median_low(b - a for a, b in zip(cys, cys[1:])) if len(cys) > 1 else 0.0
    row = above[-1]
    bottom = last.box[3] if last else extent([*(w.box for w in row.values), *(b.box for b in row.labels)])[3]
    return label.box[1] - bottom <= TRAILING_PITCH * pitch


def _bands(free: list[_Block]) -> list[list[_Block]]:
    """Blocks whose heights overlap, as one row left to right each, top to bottom; a block under
    one of the row's, as wide, begins the next (two sub-rows' labels that a group label beside both
    spans; a group's column header over its columns' stays one row with them)."""
    out: list[list[_Block]] = []
    band: list[_Block] = []
    bottom = -1e9
    for b in sorted(free, key=lambda b: (b.box[1], b.box[0])):
        if band and (b.box[1] > bottom - 0.2 * b.size or any(_stacked(b.box, o.box) for o in band)):
            out.append(sorted(band, key=lambda b: b.box[0]))
            band, bottom = [], -1e9
        band.append(b)
        bottom = max(bottom, b.box[3])
    if band:
        out.append(sorted(band, key=lambda b: b.box[0]))
    return out


def _columns(rows: list[_ValueRow], bands: list[list[_Block]]) -> None:
    """Lay each row's values on its table's columns: those of its fullest rows (as many cells as a
    table of the form, two rows or more), else of its header's line with the most words. A table's
    rows run until a line of several cells between them (the next table's header), or running text
    across its columns of numbers (the prose after it)."""
    tables: list[list[_ValueRow]] = []
    for r in sorted(rows, key=lambda r: r.cy):
        between = tables and (_header_between(bands, tables[-1][-1].cy, r.top)
                              or _text_between(bands, tables[-1], r.top))
        if not tables or between:
            tables.append([])
        tables[-1].append(r)
    for table in tables:
        header = _header(table[0], bands)
        counts = [len(r.values) for r in table]
        full = max((n for n in set(counts) if n in widths() and counts.count(n) >= CONFIRMING_ROWS), default=0)
        for r in table:
            r.cells = list(r.values)
            if full > len(r.values):
                columns = [w.cx for w in next(t for t in table if len(t.values) == full).values]
            elif len(header) > len(r.values) and len(header) in widths():
                columns = header
            else:
                continue
            if (placed := _placed(r.values, columns)) is not None:
                r.cells, r.columns = placed, columns


def _header_between(bands: list[list[_Block]], top: float, bottom: float) -> bool:
    """Whether a line of several cells (the next table's header) begins between the two heights."""
    return any(len(band) > 1 and top < band[0].box[1] < bottom for band in bands)


def _text_between(bands: list[list[_Block]], table: list[_ValueRow], bottom: float) -> bool:
    """Whether a line of one block reaching into the table's columns of numbers begins between its
    last row and ``bottom``: running text, where a row's label stays left of the numbers."""
    numbers = min(w.box[0] for r in table for w in r.values)
    return any(len(band) == 1 and table[-1].cy < band[0].box[1] < bottom and band[0].box[2] > numbers
               for band in bands)


def _header(first: _ValueRow, bands: list[list[_Block]]) -> list[float]:
    """The column middles of a table's header, read from the rows of blocks right above its first
    row, bottom up, right of the row's labels: a block over no column is a column of its own, one
    over a column a part of it; one over several is a group header, and no row from there up adds
    a column. A heading or running text (a block wider than `HEADING_SPAN` columns) ends it. A block
    over two of the row's numbers or more heads each of them (two headers read as one)."""
    middles = sorted(w.cx for w in first.values)
    step = min((b - a for a, b in zip(middles, middles[1:])), default=4 * first.values[0].size)
    left = max((b.box[2] for b in first.labels), default=-1e9)
    columns: list[Box] = []
    edge = first.top
    above = [band for band in bands if max(b.box[3] for b in band) <= first.top]
    for band in reversed(above[-HEADER_LINES:]):
        if edge - max(b.box[3] for b in band) > HEADER_GAP * band[0].size \
                or any(b.box[2] - b.box[0] > HEADING_SPAN * step for b in band):
            break
        group = False
        for b in sorted(band, key=lambda b: -b.box[3]):  # a band's lower blocks first: columns under groups
            over = [c for c in columns if _across(b.box, c)]
            group = group or len(over) > 1
            if not over and (b.box[0] + b.box[2]) / 2 > left:
                columns.append(b.box)
        if group:
            break
        edge = min(b.box[1] for b in band)
    out = []
    for c in columns:  # a block over two of the row's numbers is two headers read as one (其他结果 尚未审结)
        inside = [w.cx for w in first.values if c[0] <= w.cx <= c[2]]
        out += inside if len(inside) > 1 else [(c[0] + c[2]) / 2]
    return sorted(out)


def _stacked(a: Box, b: Box) -> bool:
    """Whether two boxes stand in one column, one as wide as the other (more than `ACROSS` of the
    wider one's width shared)."""
    return _overlap(a, b) > ACROSS * max(a[2] - a[0], b[2] - b[0])


def _across(a: Box, b: Box) -> bool:
    """Whether two boxes share more than `ACROSS` of the narrower one's width: one stands over the
    other (an OCR box that reaches a little into its neighbour's does not)."""
    return _overlap(a, b) > ACROSS * min(a[2] - a[0], b[2] - b[0])


def _folio(line: list[Word], words: list[Word]) -> bool:
    """Whether a line of the page's ``words`` is its page number: a bare number (its dashes maybe lost
    or read apart) on the page's first or last line."""
    top, bottom = min(w.box[1] for w in line), max(w.box[3] for w in line)
    return page_number(" ".join(w.text for w in line)) and (all(x.cy <= bottom for x in words)
                                                            or all(x.cy >= top for x in words))


def _under(w: Word, numbers: list[Word]) -> bool:
    """Whether ``w`` stands in a column of ``numbers`` (overlaps one of them across)."""
    return any(_overlap(w.box, n.box) > 0 for n in numbers)


def _overlap(a: Box, b: Box) -> float:
    """How far two boxes overlap across (negative: the gap between them)."""
    return min(a[2], b[2]) - max(a[0], b[0])


def _placed(values: list[Word], columns: list[float]) -> list[Word | None] | None:
    """The values under the columns (None where a column has none), or None when one stands under
    no column or two under one."""
    spacing = min((b - a for a, b in zip(columns, columns[1:])), default=0.0)
    out: list[Word | None] = [None] * len(columns)
    for w in values:
        k = min(range(len(columns)), key=lambda i: abs(columns[i] - w.cx))
        if out[k] is not None or abs(columns[k] - w.cx) > PLACE_WITHIN * spacing:
            return None
        out[k] = w
    return out
