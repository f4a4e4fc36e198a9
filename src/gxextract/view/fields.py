"""``gxextract fields``: a template's fields with the labels the form prints, as a table or as
tab-separated lines."""

from __future__ import annotations

from rich import box
from rich.table import Table

from ..templates import PrintedField

HEAD = ("field", "section", "row", "column", "unit")


def _cells(f: PrintedField) -> tuple[str, ...]:
    unit = f.unit or ("元 or 万元, as printed" if f.money else "")
    return f.id, f.section, f.row, f.column_label, unit


def table(fields: list[PrintedField]) -> Table:
    out = Table(*HEAD, box=box.SIMPLE_HEAD)
    for f in fields:
        out.add_row(*_cells(f))
    return out


def tsv(fields: list[PrintedField]) -> str:
    return "".join("\t".join(cells) + "\n" for cells in [HEAD, *map(_cells, fields)])
