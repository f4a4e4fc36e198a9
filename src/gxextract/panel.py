"""From a batch's reports to a panel: one row per issuing body and year, and the relations that
hold across a body's consecutive years.

    reports          the record that counts for each document of a batch output (fields.parquet)
    body_name        the body's name normalised (script, width, spaces, 人民政府办公室 → 人民政府,
                     the year and the report's title words stripped), or as a names file maps it
    panel rows       one per body × year × document: two reports of one body and year (a
                     re-publication, a corrected version) are both kept and marked ``duplicate``
    cross-year       every relation of `templates/cross_year.toml` between consecutive years of
                     a body, with both years' values and documents, ``holds`` true or false

Written to the batch's folder: ``panel.parquet``, ``panel.csv`` (UTF-8 with BOM, for Excel),
``cross_year.parquet`` and ``cross_year.csv``. Values are never changed; a broken relation is a
row of ``cross_year`` with ``holds`` false.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .metadata import DISCLOSURE, YEAR_DIGITS
from .normalize import fold_width, simplify
from .outputs.files import atomic_path
from .outputs.layout import FIELDS
from .templates import PREVIOUS, Relation, cross_year, templates

_TITLE_WORDS = re.compile(rf"{YEAR_DIGITS}年?度?|关于|{DISCLOSURE}(?:工作)?年度报告|年度报告|工作报告")
"""A report title's words in a body's name (spaces taken out first)."""
_OFFICE = re.compile(r"人民政府办公室$|人民政府办公厅$")
PANEL = "panel.parquet"
NAMES = "names.csv"
"""The names file kept in a batch output folder: every later rebuild of its tables groups bodies by it."""
TOLERANCE = 1e-6
"""Two sums closer than this are equal (money amounts carry decimals)."""


@dataclass
class PanelReport:
    """One report of the batch, as the panel sees it."""

    document: str
    path: str
    body: str
    agency: str | None
    year: int
    template: str
    values: dict[str, float | int | None]
    flagged: int
    duplicate: bool = False


@dataclass
class Panel:
    rows: list[PanelReport] = field(default_factory=list)
    cross_year: list[dict] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    """Documents without a body or a year: in no row."""


def body_name(agency: str, names: dict[str, str] | None = None) -> str:
    """The key that groups a body's reports: ``names`` (as printed or normalised → body) first."""
    names = names or {}
    if agency in names:
        return names[agency]
    key = _OFFICE.sub("人民政府", _TITLE_WORDS.sub("", simplify(fold_width(re.sub(r"\s+", "", agency)))))
    return names.get(key, key)


def stored_names(out: Path) -> dict[str, str] | None:
    """The names file a batch output folder keeps (``gxextract panel OUT --names FILE`` stores it there)."""
    return read_names(out / NAMES) if (out / NAMES).is_file() else None


def read_names(path: Path) -> dict[str, str]:
    """A names file: CSV rows ``name,body`` (a header row ``name,body`` is allowed)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {row[0].strip(): row[1].strip() for row in csv.reader(fh)
                if len(row) >= 2 and row[0].strip() and row[0].strip() != "name"}


def reports(out: Path, names: dict[str, str] | None = None) -> tuple[list[PanelReport], list[str]]:
    """The reports of a batch output folder (its ``fields.parquet``: the record that counts for each
    document), and the documents without body or year."""
    import pyarrow.parquet as pq

    table = pq.read_table(out / FIELDS, columns=["document", "path", "agency", "year", "template", "field",
                                                   "value", "needs_review"])
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    found: dict[str, PanelReport] = {}
    unplaced: dict[str, None] = {}
    for k, doc in enumerate(cols["document"]):
        report = found.get(doc)
        if report is None:
            agency, year = cols["agency"][k], cols["year"][k]
            if not agency or year is None:
                unplaced.setdefault(doc)
                continue
            report = found[doc] = PanelReport(
                document=doc, path=cols["path"][k] or "", body=body_name(agency, names), agency=agency,
                year=int(year), template=cols["template"][k] or "", values={}, flagged=0)
        report.values[cols["field"][k]] = cols["value"][k]
        report.flagged += bool(cols["needs_review"][k])
    return list(found.values()), list(unplaced)


def _side(terms: list[str], now: PanelReport, before: PanelReport) -> float | None:
    total = 0.0
    for t in terms:
        report, fid = (before, t[len(PREVIOUS):]) if t.startswith(PREVIOUS) else (now, t)
        v = report.values.get(fid)
        if v is None:
            return None
        total += v
    return total


def evaluate(relation: Relation, now: PanelReport, before: PanelReport) -> dict | None:
    """One cross-year relation between two reports; None where either does not print a field of it."""
    lhs, rhs = _side(relation.lhs, now, before), _side(relation.rhs, now, before)
    if lhs is None or rhs is None:
        return None
    return {"relation": relation.name, "equation": relation.equation, "body": now.body, "year": now.year,
            "previous_year": before.year, "lhs": lhs, "rhs": rhs, "holds": abs(lhs - rhs) <= TOLERANCE,
            "document": now.document, "previous_document": before.document,
            "fields": [t[len(PREVIOUS):] if t.startswith(PREVIOUS) else t for t in relation.fields]}


def build(found: list[PanelReport]) -> tuple[list[PanelReport], list[dict]]:
    """Mark duplicates and evaluate the cross-year relations: (rows sorted, cross-year rows)."""
    by_body: dict[str, dict[int, list[PanelReport]]] = defaultdict(lambda: defaultdict(list))
    for r in found:
        by_body[r.body][r.year].append(r)
    rows, checks = [], []
    relations = cross_year()
    for body in sorted(by_body):
        years = by_body[body]
        for year in sorted(years):
            same = years[year]
            for r in same:
                r.duplicate = len(same) > 1
            rows += sorted(same, key=lambda r: r.document)
            for now in same:
                for before in years.get(year - 1, []):
                    checks += [c for rel in relations if (c := evaluate(rel, now, before)) is not None]
    return rows, checks


def field_columns(rows: list[PanelReport]) -> list[str]:
    """Every canonical field printed by some report, in template order (gov2019, gov2021, legacy2018)."""
    seen = {f for r in rows for f in r.values}
    order = dict.fromkeys(f for t in templates().values() for f in t.fields)
    return [f for f in order if f in seen] + sorted(seen - set(order))


def make_panel(out: Path, names: dict[str, str] | None = None) -> Panel:
    """The panel of a batch output folder; bodies grouped by ``names``, else by the folder's names file."""
    found, unplaced = reports(out, names if names is not None else stored_names(out))
    rows, checks = build(found)
    return Panel(rows=rows, cross_year=checks, unplaced=unplaced)


_PANEL_HEAD = ["body", "year", "agency", "template", "document", "path", "duplicate", "flagged"]
_CROSS_HEAD = ["body", "year", "previous_year", "relation", "equation", "lhs", "rhs", "holds", "document",
               "previous_document", "fields"]


def write(out: Path, panel: Panel) -> list[Path]:
    """The panel and the cross-year checks as Parquet and CSV in ``out``; the paths written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = field_columns(panel.rows)
    table = [[getattr(r, h) for h in _PANEL_HEAD] + [r.values.get(f) for f in columns] for r in panel.rows]
    cross = [[c[h] if h != "fields" else " ".join(c[h]) for h in _CROSS_HEAD] for c in panel.cross_year]
    written = []
    for name, head, data in (("panel", _PANEL_HEAD + columns, table), ("cross_year", _CROSS_HEAD, cross)):
        cols = {h: [row[k] for row in data] for k, h in enumerate(head)}
        arrow = pa.table({h: pa.array(v, type=_arrow_type(h, v)) for h, v in cols.items()})
        with atomic_path(out / f"{name}.parquet") as tmp:
            pq.write_table(arrow, tmp)
        with atomic_path(out / f"{name}.csv") as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(head)
            w.writerows(data)
        written += [out / f"{name}.parquet", out / f"{name}.csv"]
    return written


def _arrow_type(name: str, values: list):
    """Field columns as float64 (ints and decimals side by side, nulls kept); the rest inferred."""
    import pyarrow as pa

    if "." in name:
        return pa.float64()
    if all(v is None for v in values):
        return pa.string()
    return None
