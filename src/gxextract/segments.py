"""Rows of cells → segments: the label cells of one table row and the value cells after it.

Every input reaches the aligner as segments, whatever its shape: a tab-separated
row, an HTML ``<tr>``, a cell per line, a pipe-ended stream or a web copy whose
digits ran together. A segment is a run of label cells (a row label with any
merged group headers and wrapped parts before it) followed by its value cells.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from .models import Cell, Document
from .normalize import strip_numbering
from .values import UNITS, Value, is_run, lone_glyphs, parse_value, split_trailing_numbers, split_trailing_run

TokenKind = Literal["value", "blank", "run", "unit"]


class Token(BaseModel):
    """One value slot: a parsed number, a blank cell, a digit run or a unit."""

    kind: TokenKind
    value: Value
    cell: Cell


class Segment(BaseModel):
    labels: list[Cell] = []
    values: list[Token] = []
    structured: bool = True
    continued: bool = False
    """Its only values were blank cells of its own row, and numbers came from the unlabelled row after:
    those may be another row's whose label was lost, so its fields are flagged."""
    own: int = 0
    """How many of its last label parts stand in the row that holds its values (a table row, a line
    of a table without rules); a part before them, in a row above, is another row's label or a
    group's. 0 when its values stand in no row with a label of its own."""

    @property
    def filled(self) -> int:
        return sum(t.kind in ("value", "run") for t in self.values)

    def label_tail(self, parts: int) -> str:
        return "".join(c.text for c in self.labels[-parts:])


def _tokens(cell: Cell) -> tuple[str | None, list[Token]]:
    """Split a cell into an optional label and the value tokens it carries."""
    v = parse_value(cell.text)
    if v.kind == "blank":
        return None, [Token(kind="blank", value=v, cell=cell)] * cell.colspan
    if v.kind in ("number", "placeholder"):
        return None, [Token(kind="value", value=v, cell=cell)]
    if v.kind == "unit":
        return None, [Token(kind="unit", value=v, cell=cell)]
    if is_run(cell.text):  # a row's numbers ran together: 2648-18538, 1,4881560011,510
        return None, [Token(kind="run", value=v, cell=cell)]
    parts = cell.text.split()
    if len(parts) > 1 and all(parse_value(p).kind == "number" for p in parts):
        return None, [Token(kind="value", value=parse_value(p), cell=cell) for p in parts]
    if split := split_trailing_numbers(cell.text):
        label, numbers = split
        return label, [Token(kind="value", value=parse_value(n), cell=cell) for n in numbers]
    if split := split_trailing_run(cell.text):
        label, run = split
        kind = "run" if run.isdigit() and len(run) > 1 else "value"
        return label, [Token(kind=kind, value=parse_value(run), cell=cell)]
    return cell.text, []


def segment(doc: Document) -> list[Segment]:
    segments: list[Segment] = [Segment()]
    closed = False  # the current segment ended with a structured row of its own (values or blanks)
    after_values = False  # the row before was a structured row with numbers in it
    for row in doc.rows:
        items = [_tokens(c) + (c,) for c in row.cells]
        has_label = any(label for label, _, _ in items)
        at_row_start = True
        labelled: Segment | None = None  # the segment this row's labels went to
        for label, tokens, cell in items:
            current = segments[-1]
            if label and row.structured and not at_row_start and lone_glyphs(label):
                # a glyph in a table row's value cell is that cell misread, not a new row's label
                label, tokens = None, [Token(kind="value", value=parse_value(cell.text), cell=cell)]
            elif not label and at_row_start and has_label and not strip_numbering(cell.text):
                # a label's numbering read apart from it (3. 要求…): a value is printed after its label
                label, tokens = cell.text, []
            if label:
                if closed or current.filled or any(t.kind == "unit" for t in current.values):
                    current = Segment(structured=row.structured)
                    segments.append(current)
                elif current.values:  # blanks between labels in running text are layout
                    current.values = []
                closed = False
                current.labels.append(cell.model_copy(update={"text": label}))
                current.own = current.own + 1 if current is labelled else 1
                labelled = current
                at_row_start = False
                current.structured = row.structured
            if tokens:
                if row.structured and has_label and at_row_start and all(t.kind == "blank" for t in tokens):
                    continue  # merged label columns left empty before the row's label
                if after_values and not row.structured and not has_label:
                    # loose numbers after a table row of values (a page number under the table): not that row's
                    current = Segment(structured=False)
                    segments.append(current)
                # numbers with no label of their own (a row without one, or before its label) under a row
                # printed blank
                if (closed and (not has_label or at_row_start) and row.structured and current.values
                        and all(t.kind == "blank" for t in current.values)
                        and any(t.kind != "blank" for t in tokens)):
                    current.continued = True
                if current is not labelled or not row.structured:
                    current.own = 0
                current.values.extend(tokens)
        closed = row.structured and has_label and bool(segments[-1].values)
        after_values = row.structured and any(t.kind != "blank" for _, tokens, _ in items for t in tokens)
    return [s for s in segments if s.labels or s.values]


_DIGITS = re.compile(rf"^(\d+)(?:\.\d+)?(?:{'|'.join(UNITS)})?$")
"""Bare digits, or digits ending in an amount's fraction and unit (``3783000.00元``)."""


def is_digit_run(tokens: list[Token], ncols: int) -> bool:
    """A lone token of bare digits too long for one cell of a multi-column row."""
    filled = [t for t in tokens if t.kind in ("value", "run")]
    if ncols < 2 or len(filled) != 1:
        return False
    t = filled[0]
    if t.kind == "run":
        return True
    raw = t.value.raw.strip()
    m = _DIGITS.match(raw)
    alone = all(t.kind in ("value", "run", "unit") for t in tokens)  # no blank cell beside an amount
    return bool(m) and len(m[1]) >= ncols and (m[0] == m[1] or alone)
