"""Markdown with moved blocks: what a PDF-to-Markdown tool gives of a report, made from the document.

Headings are ``#`` lines (or bold, or plain paragraphs), prose is paragraphs, every table is a pipe
table whose first row is the header row, followed by a ``|---|`` separator row. Merged cells are
repeated in every slot they cover (``merged_repeat``) or printed in their first slot with the
others blank; a value is never repeated, so every value is printed exactly once and the truth is
the document's. Long label cells may carry ``<br>`` where the PDF wrapped them (``br_labels``).
As in the real example (``fixtures/text/markdown_0_gov2019.md``), section 三's three label columns
may come as two, a row's innermost group beside its label (``collapsed_labels``); a table whose
first row is a column header may print only that row's own cells (``ragged_header``: ``| （本列数据…）
| 申请人情况 |`` over rows of nine); section 四 may lack its ``|---|`` row (``appeals_no_rule``).

The tool's reading order moves blocks (named in ``MdMovedOptions.quirks``):

- ``active_moved``: the first block of section 二 (第二十条第（一）项: 规章 / 规范性文件, with the
  band and column header, with the header only, or the two rows alone) printed as its own table
  after the rest of section 二;
- ``requests_header_split``: the first one or two rows of section 三's column header printed as
  paragraphs, the next header row as the table's header row;
- ``appeals_header_para``: section 四's header printed as paragraphs, its numbers row alone as a
  table; ``table_after_heading``: a section's last table printed after the next section's heading;
- ``footer_in_table``: the page footer (``- 3 -``) inside a table: as a row of its own, or as a
  paragraph that cuts the table in two (the rest a new table, its first row as header).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import NamedTuple

from .document import Para, Report, Table

ACTIVE_MOVES = ("block", "header_rows", "rows")
"""What of section 二's first block is moved: band + header + rows, header + rows, or the rows alone."""
_MOVE_FROM = {"block": 0, "header_rows": 1, "rows": 2}
"""Grid row of the first block where the moved part starts (band 0, column header 1, 规章 2)."""
FIRST_BLOCK_ROWS = 4
"""Band, column header, 规章, 规范性文件: the grid rows of 第二十条第（一）项 in both templates."""
SHORT_MOVES = ("appeals_header_para", "table_after_heading")
FOOTER_KINDS = ("row", "line")
FOOTERS = ("- {n} -", "— {n} —", "第{n}页")
"""Page footers as converters keep them: text, never a bare number (a bare number is another shape)."""
HEADING_STYLES = ("atx", "bold", "plain")
BR_WIDTHS = (8, 14)
"""Characters per line of a wrapped label cell: a PDF table column holds about this many."""
LAYOUT_ODDS = {"merged_repeat": 0.5, "br_labels": 0.3, "collapsed_labels": 0.3, "ragged_header": 0.3,
               "appeals_no_rule": 0.2}
"""Odds of each way of printing per document (independent of the moves)."""
LABEL_COLUMNS = 3
"""Section 三's label columns in the grid: the outer group, the inner group, the row label."""
MOVE_ODDS = {"active": 0.6, "requests_header": 0.5, "short": 0.5, "footer": 0.45}
"""Odds of each move per document: each variant occurs in a set of 40; a document with none gets (a)."""
FOOTER_SECTIONS = ("requests", "requests", "requests", "active")
"""The table the page break falls in: mostly section 三's (the long one)."""


@dataclass
class MdMovedOptions:
    """How one document is printed: the moves (a)–(d) it gets and the tool's way with tables."""

    active_moved: str | None = None  # one of ACTIVE_MOVES
    requests_header_split: int = 0  # header rows of section 三 printed as paragraphs (0, 1 or 2)
    short_move: str | None = None  # one of SHORT_MOVES
    after_heading: str = "requests"  # the section whose table follows the next heading
    footer: str | None = None  # one of FOOTER_KINDS
    footer_table: str = "requests"
    footer_at: float = 0.5  # where in the table's body the page break falls (share of its rows)
    footer_text: str = "- 3 -"
    merged_repeat: bool = False
    br_width: int = 0  # 0: no <br> in labels
    collapsed_labels: bool = False
    ragged_header: bool = False
    appeals_no_rule: bool = False
    headings: str = "atx"  # one of HEADING_STYLES

    @property
    def quirks(self) -> list[str]:
        q = []
        if self.active_moved:
            q.append(f"active_moved_{self.active_moved}")
        if self.requests_header_split:
            q.append(f"requests_header_split_{self.requests_header_split}")
        if self.short_move:
            q.append(self.short_move + (f"_{self.after_heading}" if self.short_move == "table_after_heading" else ""))
        if self.footer:
            q.append(f"footer_in_table_{self.footer}_{self.footer_table}")
        if self.merged_repeat:
            q.append("merged_repeat")
        if self.br_width:
            q.append("br_labels")
        return q + [k for k in ("collapsed_labels", "ragged_header", "appeals_no_rule") if getattr(self, k)]


def random_options(rng: random.Random) -> MdMovedOptions:
    """One document's draws; at least one move, so that every document is Markdown with moved blocks."""
    o = MdMovedOptions(
        active_moved=rng.choice(ACTIVE_MOVES) if rng.random() < MOVE_ODDS["active"] else None,
        requests_header_split=rng.choice((1, 2)) if rng.random() < MOVE_ODDS["requests_header"] else 0,
        short_move=rng.choice(SHORT_MOVES) if rng.random() < MOVE_ODDS["short"] else None,
        after_heading=rng.choice(("active", "requests", "appeals")),
        footer=rng.choice(FOOTER_KINDS) if rng.random() < MOVE_ODDS["footer"] else None,
        footer_table=rng.choice(FOOTER_SECTIONS),
        footer_at=rng.random(),
        footer_text=rng.choice(FOOTERS).format(n=rng.randint(2, 6)),
        merged_repeat=rng.random() < LAYOUT_ODDS["merged_repeat"],
        br_width=rng.randint(*BR_WIDTHS) if rng.random() < LAYOUT_ODDS["br_labels"] else 0,
        collapsed_labels=rng.random() < LAYOUT_ODDS["collapsed_labels"],
        ragged_header=rng.random() < LAYOUT_ODDS["ragged_header"],
        appeals_no_rule=rng.random() < LAYOUT_ODDS["appeals_no_rule"],
        headings=rng.choice(HEADING_STYLES),
    )
    if not (o.active_moved or o.requests_header_split or o.short_move or o.footer):
        o.active_moved = rng.choice(ACTIVE_MOVES)
    return o


# ------------------------------------------------------------------ blocks

class Slot(NamedTuple):
    """One slot of a table's grid: its text as printed in the pipe table, and the cell's own text
    where the cell starts here ("" in the slots a merged cell only covers)."""

    text: str
    own: str


@dataclass
class MdTable:
    """A pipe table as printed: rows of slots, the first one the header row."""

    name: str
    rows: list[list[Slot]]
    header_rows: int = 0  # the grid's header rows still at the top (section 三, 四)
    ragged: bool = False  # a header row on top is printed with its own cells only
    rule: bool = True  # the |---| row under the first row


@dataclass
class Section:
    """A heading (None before the first) and the blocks after it, in print order."""

    heading: Para | None
    blocks: list = field(default_factory=list)  # Para | MdTable

    def table(self, name: str) -> MdTable | None:
        return next((b for b in self.blocks if isinstance(b, MdTable) and b.name == name), None)


def _wrap(text: str, width: int) -> str:
    """A label cell wrapped as the PDF wrapped it, its lines joined by ``<br>``."""
    if not width or len(text) <= width:
        return text
    return "<br>".join(text[k:k + width] for k in range(0, len(text), width))


def grid_rows(t: Table, o: MdMovedOptions) -> list[list[Slot]]:
    """The table's grid as rows of slots: a merged cell's text in its first slot, repeated in the
    slots it covers on ``merged_repeat`` documents (never a value: each value is printed once)."""
    rows = [[Slot("", "")] * t.ncols for _ in range(t.nrows)]
    for c in t.cells:
        text = c.text if c.role == "value" else _wrap(c.text, o.br_width)
        for r in range(c.r, c.r + c.rs):
            for k in range(c.c, c.c + c.cs):
                if (r, k) == (c.r, c.c):
                    rows[r][k] = Slot(text, c.text)
                elif o.merged_repeat and c.role != "value":
                    rows[r][k] = Slot(text, "")
    return rows


def sections_of(report: Report, o: MdMovedOptions) -> list[Section]:
    """The report's blocks grouped under their headings; section 二's split tables joined in one list."""
    out = [Section(None)]
    for b in report.blocks:
        if isinstance(b, Para) and b.kind == "heading":
            out.append(Section(b))
        elif isinstance(b, Table):
            out[-1].blocks.append(MdTable(b.name, grid_rows(b, o), b.header_rows, ragged=o.ragged_header,
                                          rule=not (o.appeals_no_rule and b.name == "appeals")))
        else:
            out[-1].blocks.append(b)
    return out


def _section_with(sections: list[Section], name: str) -> int:
    return next(k for k, s in enumerate(sections) if s.table(name))


# ------------------------------------------------------------------ moves

def _collapsed(row: list[Slot], header: bool) -> list[Slot]:
    """A row of section 三 with its label columns as two: the innermost group (as printed in the slot
    before the label) and the label; a header row drops its third label slot."""
    labels, values = row[:LABEL_COLUMNS], row[LABEL_COLUMNS:]
    if header:
        return labels[:2] + values
    at = max((k for k, s in enumerate(labels) if s.own), default=0)
    return [labels[at - 1] if at else Slot("", ""), labels[at]] + values


def collapse_label_columns(sections: list[Section]) -> None:
    """Section 三's three label columns printed as two, as the real example's tool did."""
    t = sections[_section_with(sections, "requests")].table("requests")
    t.rows = [_collapsed(row, k < t.header_rows) for k, row in enumerate(t.rows)]


def move_active_block(sections: list[Section], how: str) -> None:
    """(a) Section 二's first block, from ``how``'s row on, as its own table after the rest of 二."""
    sec = sections[_section_with(sections, "active")]
    first = sec.table("active")
    start = _MOVE_FROM[how]
    moved = MdTable("active", first.rows[start:FIRST_BLOCK_ROWS])
    first.rows[start:FIRST_BLOCK_ROWS] = []
    if not first.rows:
        sec.blocks.remove(first)
    sec.blocks.append(moved)


def _header_paragraphs(t: MdTable, n: int) -> list[Para]:
    """The first ``n`` rows of ``t`` printed as paragraphs (each cell's own text, in slot order), cut from it."""
    paras = [Para(" ".join(s.own for s in row if s.own)) for row in t.rows[:n]]
    t.rows[:n] = []
    t.header_rows -= n
    return paras


def split_header(sections: list[Section], name: str, n: int) -> None:
    """(b, c) The first ``n`` header rows of table ``name`` as paragraphs before the rest of it."""
    sec = sections[_section_with(sections, name)]
    t = sec.table(name)
    k = sec.blocks.index(t)
    sec.blocks[k:k] = _header_paragraphs(t, n)


def table_after_next_heading(sections: list[Section], name: str) -> None:
    """(c) The last table of the section holding ``name`` printed first under the next heading."""
    k = _section_with(sections, name)
    if k + 1 >= len(sections):
        return
    sec = sections[k]
    last = [b for b in sec.blocks if isinstance(b, MdTable)][-1]
    sec.blocks.remove(last)
    sections[k + 1].blocks.insert(0, last)


def footer_in_table(sections: list[Section], o: MdMovedOptions) -> None:
    """(d) The page footer inside the table ``o.footer_table``, after a row of its body."""
    sec = sections[_section_with(sections, o.footer_table)]
    t = sec.table(o.footer_table)
    body = range(max(t.header_rows, 1) + 1, len(t.rows))  # never between the header row and its separator
    if not body:
        return
    cut = body[int(o.footer_at * len(body))]
    if o.footer == "row":
        t.rows.insert(cut, [Slot(o.footer_text, o.footer_text)] + [Slot("", "")] * (len(t.rows[0]) - 1))
        return
    rest = MdTable(t.name, t.rows[cut:])
    t.rows[cut:] = []
    k = sec.blocks.index(t)
    sec.blocks[k + 1:k + 1] = [Para(o.footer_text), rest]


def apply_moves(sections: list[Section], o: MdMovedOptions) -> None:
    """Every move ``o`` asks for, in an order that keeps each one's meaning."""
    if o.collapsed_labels:
        collapse_label_columns(sections)
    if o.active_moved:
        move_active_block(sections, o.active_moved)
    if o.footer:
        footer_in_table(sections, o)
    if o.requests_header_split:
        split_header(sections, "requests", o.requests_header_split)
    if o.short_move == "appeals_header_para":
        split_header(sections, "appeals", sections[_section_with(sections, "appeals")].table("appeals").header_rows)
    elif o.short_move == "table_after_heading":
        table_after_next_heading(sections, o.after_heading)


# ------------------------------------------------------------------ text

def _pipe_row(row: list[Slot]) -> str:
    return "| " + " | ".join(s.text for s in row) + " |"


def table_text(t: MdTable) -> str:
    """A pipe table: the first row as the header, the ``|---|`` separator, the other rows."""
    head = t.rows[0]
    if t.ragged and t.header_rows > 0:
        head = [s for s in head if s.own]
    rule = ["|" + "---|" * len(head)] if t.rule else []
    return "\n".join([_pipe_row(head)] + rule + [_pipe_row(r) for r in t.rows[1:]])


def para_text(p: Para, headings: str) -> str:
    level = {"title": "#", "heading": "##"}.get(p.kind)
    if not level or headings == "plain":
        return p.text
    return f"{level} {p.text}" if headings == "atx" else f"**{p.text}**"


def render(report: Report, o: MdMovedOptions | None = None) -> bytes:
    """The report as a PDF-to-Markdown tool prints it, with the moves ``o`` asks for; UTF-8 bytes."""
    o = o or MdMovedOptions()
    sections = sections_of(report, o)
    apply_moves(sections, o)
    blocks = []
    for sec in sections:
        if sec.heading:
            blocks.append(para_text(sec.heading, o.headings))
        for b in sec.blocks:
            if isinstance(b, MdTable):
                blocks.append(table_text(b))
            else:
                blocks.append(para_text(b, o.headings))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
