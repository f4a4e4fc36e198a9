"""A report as the form prints it: sections 二, 三 and 四 (or the 2018 table) as tables with the
form's row and column labels, each flagged cell marked and explained under its table, then the
report's warnings, the relations that do not hold and what the flags seen mean."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..flags import meaning
from ..models import FieldResult, Report
from ..templates import SectionForm, TemplateRow, get_template, section_form, section_spec

LABEL_WIDTH = 12
"""Terminal columns a row label keeps however narrow the terminal: headings are cut first."""
HEADING_CHARS = 4
"""A table too wide for the terminal has its headings cut into lines of this many characters."""


@dataclass
class Line:
    """One printed row: its label, the merged headers printed before it, a field per column."""

    label: str
    groups: list[str]
    fields: list[str | None]


@dataclass
class Grid:
    """One printed table: its title, the header cells above each column (outermost first), its rows."""

    title: str
    columns: list[list[str]]
    lines: list[Line]


def grids(form: SectionForm) -> list[Grid]:
    """The tables of a section as ``form`` prints them, one per block."""
    out = []
    for block, rows in groupby(form.rows, key=lambda r: r.block):
        rows = list(rows)
        if len(rows) == 1 and not rows[0].row:
            out.append(_by_header(block, rows[0]))
        else:
            out.append(Grid(block, [c.printed for c in rows[0].columns],
                            [Line(r.labels[0], r.groups, r.fields) for r in rows]))
    return out


def _by_header(block: str, row: TemplateRow) -> Grid:
    """One unlabelled row under a stacked header (section 四): a line per header group, so that
    fifteen columns fit a terminal."""
    columns: dict[str, None] = {}
    lines: dict[tuple[str, ...], dict[str, str]] = {}
    for fid, column in zip(row.fields, row.columns):
        *head, last = column.printed
        columns.setdefault(last)
        lines.setdefault(tuple(head), {})[last] = fid
    return Grid(block, [[c] for c in columns],
                [Line(head[-1], list(head[:-1]), [cells.get(c) for c in columns]) for head, cells in lines.items()])


@dataclass
class _Note:
    number: int
    field: FieldResult
    cells: int = 0


class _Notes:
    """The flagged cells of a table, numbered through the report: cells with the same flags share a
    note, a cell with a proposal has its own."""

    def __init__(self) -> None:
        self.count = 0
        self.table: dict[tuple, _Note] = {}
        self.flags: dict[str, None] = {}
        """Every flag noted so far (``relation:<name>`` as ``relation``), for the legend."""

    def mark(self, f: FieldResult) -> int:
        key = (tuple(f.flags), f.raw, f.proposed) if f.proposed is not None else tuple(f.flags)
        note = self.table.get(key)
        if note is None:
            self.count += 1
            note = self.table[key] = _Note(self.count, f)
            self.flags.update(dict.fromkeys(x.partition(":")[0] for x in f.flags))
        note.cells += 1
        return note.number

    def close_table(self) -> list[Text]:
        """The notes of the table just drawn."""
        texts = [_note_text(n) for n in self.table.values()]
        self.table = {}
        return texts


def _note_text(n: _Note) -> Text:
    f = n.field
    text = Text(f"[{n.number}] ", style=_style(f))
    text.append(", ".join(f.flags))
    if n.cells > 1:
        text.append(f" ({n.cells} cells)")
    if f.proposed is not None:
        text.append(f": read {f.raw!r}, proposed {_number(f.proposed)}", style="bold")
    return text


def _style(f: FieldResult) -> str:
    return "bold red" if any(x.startswith("relation:") for x in f.flags) else "bold yellow"


def _number(v: int | float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _value(f: FieldResult | None) -> str:
    if f is None or f.value is None:
        return ""
    return f"{_number(f.value)} {f.unit}" if f.unit else _number(f.value)


def _headings(columns: list[list[str]], chars: int | None) -> list[list[str]]:
    """The lines above each column: the header cells a group of columns shares shown once, above its
    first column; cut into lines of ``chars`` characters when given."""
    out = []
    for i, column in enumerate(columns):
        cells = [part if i == 0 or columns[i - 1][:k + 1] != column[:k + 1] else ""
                 for k, part in enumerate(column[:-1])] + column[-1:]
        out.append([cell[j:j + chars] for cell in cells for j in range(0, len(cell), chars)] if chars else cells)
    depth = max(map(len, out))
    return [[""] * (depth - len(lines)) + lines for lines in out]


def _table(grid: Grid, fields: dict[str, FieldResult], notes: _Notes, width: int) -> tuple[Table, int]:
    """The table of ``grid`` and the width it needs: ``width`` if it fits (its headings cut to
    `HEADING_CHARS` where they are too wide), else its least width: a value is never cut."""
    rows: list[list[Text]] = []
    shown: list[str] = []
    for line in grid.lines:
        if line.groups and line.groups != shown:
            rows.append([Text(" / ".join(line.groups), style="bold")] + [Text()] * len(grid.columns))
            shown = line.groups
        cells = [Text(line.label)]
        for fid in line.fields:
            f = fields.get(fid) if fid else None
            cell = Text(_value(f))
            if f is not None and f.needs_review:
                cell.append(f"[{notes.mark(f)}]", style=_style(f))
            cells.append(cell)
        rows.append(cells)
    values = [max(r[k].cell_len for r in rows) for k in range(1, len(grid.columns) + 1)]
    for chars in (None, HEADING_CHARS):
        headings = _headings(grid.columns, chars)
        widths = [max(v, *map(cell_len, h)) for v, h in zip(values, headings)]
        need = LABEL_WIDTH + sum(widths) + 2 * len(widths)  # a space either side of each value column
        if need <= width:
            break
    table = Table(title=grid.title, title_justify="left", box=None, pad_edge=False, header_style="bold")
    table.add_column("", overflow="fold", min_width=LABEL_WIDTH)
    for lines, w in zip(headings, widths):
        table.add_column("\n".join(lines), justify="right", min_width=w)
    for cells in rows:
        table.add_row(*cells)
    return table, max(width, need)


@contextlib.contextmanager
def _wide(console: Console, width: int):
    """The console at least ``width`` wide while open (rich never prints wider than its console)."""
    narrow = console.width
    console.width = max(narrow, width)
    try:
        yield
    finally:
        console.width = narrow


def show(report: Report, console: Console) -> None:
    """Print ``report`` to ``console``: a title, its tables with notes, warnings, broken relations, flags."""
    console.print(Text(str(report), style="bold"))
    for name, meta in report.meta.items():
        if meta.needs_review:
            console.print(f"{name} {meta.value!r} needs review: {', '.join(meta.flags)}", style="yellow")
    notes = _Notes()
    for section, form in _printed(report):
        console.rule(section_spec(section).heading, align="left")
        for grid in grids(form):
            table, width = _table(grid, report.fields, notes, console.width)
            with _wide(console, width):
                console.print(table)
            for text in notes.close_table():
                console.print(text)
    if report.warnings:
        console.rule("warnings", align="left")
        for w in report.warnings:
            console.print(f"- {w}")
    broken = [c for c in report.checks if c.holds is False]
    if broken:
        console.rule("relations that do not hold", align="left")
        for c in broken:
            console.print(f"- {c.name}: {_number(c.lhs)} ≠ {_number(c.rhs)}", style="red")
    if notes.flags:
        console.rule("flags", align="left")
        for flag in notes.flags:
            console.print(f"- {flag}: {meaning(flag)}")


def _printed(report: Report) -> list[tuple[str, SectionForm]]:
    """Each section of the report's template in the form the report printed it (its template's if not found)."""
    out = []
    for s in get_template(report.template).sections:
        form = section_form(s.section, report.sections.get(s.section, report.template))
        out.append((s.section, form or s))
    return out
