"""The tables of an output folder, rebuilt from the latest reports of its journal.

- ``fields.parquet``  long form, one row per (document, field): the columns of `gxextract.longform`
- ``reports.csv``     wide form, one row per report, one column per field id (UTF-8 with BOM)
- ``review.csv``      every cell that needs review, with the reason (UTF-8 with BOM)
- ``narrative.parquet`` one row per statement of a report's prose (``document``, ``path``, then the
  columns of `gxextract.narrative.schema`)
- ``json/NAME.json``  one output-contract JSON per report, named after its file (for ``gxextract score``)

Each is written atomically (`files.atomic_path`), so a killed rebuild leaves it as it was or whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from .. import longform
from ..narrative import schema as narrative_schema
from .files import atomic_path, atomic_write_text
from .latest import Latest, compact, scan, selection
from .layout import FIELDS, JSON_DIR, NARRATIVE, REPORTS, REVIEW, WIDE
from .names import csv_text, json_names, plain_name
from .records import ReportLine, dumps

WIDE_HEAD = ["document", "path", "agency", "year", "template", "fields_found", "needs_review"]
REVIEW_COLUMNS = ["document", "path", "agency", "year", "template", "field", "value", "raw", "unit", "proposed",
                  "confidence", "page", "reason"]
LONG_ROWS = 50_000
"""Long-form rows handed to Parquet at a time."""


def write_tables(out: Path, latest: Latest, write_json: bool = True, only: dict[str, str] | None = None,
                 notes: dict | None = None) -> int:
    """fields.parquet, reports.csv, review.csv, narrative.parquet and json/ from the latest reports (see
    `latest.selection`); the number of reports written. ``notes``: the cross-year relations' notes on
    their fields (`gxextract.cross_year.table_notes`), written with them."""
    selected = selection(latest, only)
    names = json_names(selected) if write_json else {}
    if write_json:
        (out / JSON_DIR).mkdir(exist_ok=True)
    wide_cols = wide_columns(latest)
    with contextlib.ExitStack() as stack:
        long = stack.enter_context(_LongForm(stack.enter_context(atomic_path(out / FIELDS))))
        wide = _csv(stack, out / WIDE, wide_cols)
        review = _csv(stack, out / REVIEW, REVIEW_COLUMNS)
        narrative_tmp = stack.enter_context(atomic_path(out / NARRATIVE))
        statements: list[str] = []
        for key, path, rec, line in _reports(out, selected, notes):
            long.add(key, path, rec)
            wide.writerow(_wide_row(key, path, rec, wide_cols))
            review.writerows(_review_rows(key, path, rec))
            statements += [dumps({"document": key, "path": path, **s}) for s in rec.get("narrative") or []]
            if write_json:
                _write_json(out / JSON_DIR / names[key], ReportLine.parse(line).contract())
        long.flush()
        _write_parquet(narrative_tmp, narrative_schema(), statements)
    if write_json:
        _prune_json(out / JSON_DIR, set(names.values()))
    return len(selected)


def wide_columns(latest: Latest) -> list[str]:
    """reports.csv's columns: the report's, then each field id (and its unit, where one has a unit)."""
    cols = list(WIDE_HEAD)
    for fid in _canonical_order(latest.field_ids):
        cols.append(fid)
        if fid in latest.unit_fields:
            cols.append(f"{fid} [unit]")
    return cols


def _canonical_order(found: dict[str, None]) -> list[str]:
    """Field ids in template order (gov2019, gov2021, legacy2018), then any others as found."""
    try:
        from ..templates import templates

        order = {f: None for t in templates().values() for f in t.fields}
    except Exception:  # noqa: BLE001 - ordering is cosmetic
        order = {}
    return [f for f in order if f in found] + [f for f in found if f not in order]


def _reports(out: Path, selected: list[tuple[str, int, str]], notes: dict | None
             ) -> Iterator[tuple[str, str | None, dict, str]]:
    """Each selected report: its key, its path, its record and journal line, with its fields'
    cross-year notes (`gxextract.cross_year.noted`)."""
    with open(out / REPORTS, "rb") as fh:
        for key, offset, path in selected:
            fh.seek(offset)
            line = fh.readline().decode("utf-8").rstrip("\n")
            rec = json.loads(line)
            if notes and key in notes:
                from ..cross_year import noted

                rec["fields"] = {fid: noted(f, notes[key][fid]) if fid in notes[key] else f
                                 for fid, f in (rec.get("fields") or {}).items()}
                line = dumps(rec)
            yield key, path or (rec.get("source") or {}).get("path"), rec, line


def _csv(stack: contextlib.ExitStack, target: Path, columns: list[str]):
    """A CSV writer (UTF-8 with BOM, for Excel) onto an atomic file, its header written."""
    tmp = stack.enter_context(atomic_path(target))
    writer = csv.writer(stack.enter_context(open(tmp, "w", encoding="utf-8-sig", newline="")))
    writer.writerow(columns)
    return writer


def _wide_row(key: str, path: str | None, rec: dict, columns: list[str]) -> list:
    fields = rec.get("fields") or {}
    row = {"document": key, "path": csv_text(path), "agency": csv_text(rec.get("agency")), "year": rec.get("year"),
           "template": rec.get("template"),
           "fields_found": sum(1 for f in fields.values() if f.get("value") is not None),
           "needs_review": sum(1 for f in fields.values() if f.get("needs_review"))}
    for fid, f in fields.items():
        row[fid] = f.get("value")
        if f.get("unit"):
            row[f"{fid} [unit]"] = f.get("unit")
    return [row.get(c) for c in columns]


def _review_rows(key: str, path: str | None, rec: dict) -> Iterator[list]:
    """review.csv's rows of a report: its fields that need review, each with why."""
    for fid, f in (rec.get("fields") or {}).items():
        if not f.get("needs_review"):
            continue
        value = f.get("value")
        # every flagged field says why; outputs of older versions may not
        reason = "; ".join(map(str, f.get("flags") or [])) or ("missing" if value is None else "low_confidence")
        yield [key, csv_text(path), csv_text(rec.get("agency")), rec.get("year"), rec.get("template"), fid, value,
               csv_text(f.get("raw")), f.get("unit"), f.get("proposed"), f.get("confidence"), f.get("page"),
               csv_text(reason)]


class _LongForm:
    """fields.parquet: one row per field, the document's columns, the field's id and column label,
    then the field's own JSON as read (keys the schema lacks, such as bbox, are ignored)."""

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        self.schema = longform.schema()
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.rows: list[str] = []
        self.ids: dict[tuple[str | None, str], str] = {}
        """(template, field) → its id and column label, as JSON members."""

    def __enter__(self) -> "_LongForm":
        return self

    def __exit__(self, *exc) -> None:
        self.writer.close()

    def add(self, key: str, path: str | None, rec: dict) -> None:
        template = rec.get("template")
        prefix = dumps({"document": key, "path": path, "agency": rec.get("agency"), "year": rec.get("year"),
                        "template": template})[:-1] + ',"field":'
        for fid, f in (rec.get("fields") or {}).items():
            ids = self.ids.get((template, fid)) or self.ids.setdefault(
                (template, fid), f'{dumps(fid)},"column":{dumps(longform.column_label(template, fid))}')
            self.rows.append(f"{prefix}{ids},{dumps(f)[1:]}")
        if len(self.rows) >= LONG_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(_arrow(self.rows, self.schema))
            self.rows.clear()


def _arrow(lines: list[str], schema):
    """JSON lines → an Arrow table by pyarrow's JSON reader: C++ all the way (pa.array would import pandas)."""
    import pyarrow.json as pa_json

    data = ("\n".join(lines) + "\n").encode("utf-8")
    return pa_json.read_json(
        io.BytesIO(data), read_options=pa_json.ReadOptions(use_threads=False, block_size=max(1 << 20, len(data) + 1)),
        parse_options=pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"))


def _write_parquet(path: Path, schema, lines: list[str]) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_arrow(lines, schema) if lines else schema.empty_table(), path, compression="zstd")


def _write_json(target: Path, text: str) -> None:
    """One report's JSON file, unless it holds that already (rebuilt from the journal if lost)."""
    if plain_name(target.name) and not _same_content(target, text):  # the last guard
        atomic_write_text(target, text, durable=False)


def _same_content(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _prune_json(folder: Path, keep: set[str]) -> None:
    """The JSON files of reports no longer in the tables."""
    for p in folder.glob("*.json"):
        if p.name not in keep:
            with contextlib.suppress(OSError):
                p.unlink()


def tabled_documents(out: Path) -> dict[str, str] | None:
    """document → path of the reports the current tables hold (so a rebuild keeps the same set)."""
    try:
        import pyarrow.parquet as pq

        t = pq.read_table(out / FIELDS, columns=["document", "path"]).to_pydict()
    except Exception:  # noqa: BLE001 - no table yet: every report of the journal
        return None
    return {d: p for d, p in zip(t["document"], t["path"])}


def rebuild(out: Path, only: dict[str, str] | None, write_json: bool = True, panel: bool = True
            ) -> tuple[Latest, int]:
    """The tables of the reports ``only`` names (see `latest.selection`), the journals compacted first
    where they hold more than the latest records, and with ``panel`` the panel and its cross-year notes;
    the journals' latest records and the number of reports written. The caller holds the folder's lock."""
    from ..cross_year import table_notes
    from ..panel import make_panel, write

    latest = scan(out, collect_fields=True)
    if latest.needs_compaction:
        compact(out, latest)
    notes = table_notes(out, latest, only) if panel else None
    written = write_tables(out, latest, write_json=write_json, only=only, notes=notes)
    if panel and written:
        write(out, make_panel(out))
    return latest, written


def refresh(out: Path, panel: bool | None = None) -> None:
    """The tables again, for the same documents, as they were written: json/ where the folder has
    it, the panel where it has one (or ``panel``). The caller holds the folder's lock."""
    from ..panel import PANEL

    rebuild(out, tabled_documents(out), write_json=(out / JSON_DIR).is_dir(),
            panel=(out / PANEL).exists() if panel is None else panel)
