"""The files of an output folder, and the final tables rebuilt from the journals.

Journals (append-only, see `journal`): ``reports.jsonl`` (one report a line: the output
contract's JSON plus ``document``, the sha256 of its bytes, and ``batch``: path, time)
and ``errors.jsonl`` (one failed document a line: ``document``, ``path``, ``code``,
``message``). Every other file is rebuilt from them at the end of a run and written
atomically (temporary file, fsync, ``os.replace``), so a killed run leaves each file
either as it was or whole:

- ``fields.parquet``  long form, one row per (document, field): the columns of `gxextract.longform`
- ``reports.csv``     wide form, one row per report, one column per field id (UTF-8 with BOM)
- ``review.csv``      every cell that needs review, with the reason (UTF-8 with BOM)
- ``narrative.parquet`` one row per statement of a report's prose (``document``, ``path``, then the
  columns of `gxextract.narrative.schema`)
- ``json/NAME.json``  one output-contract JSON per report, named after its file (for ``gxextract score``)

Only the latest record of a document counts (a ``--force`` run or a retried failure adds
a newer one); the journals are compacted to that when they hold more.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import longform
from ..compilations import document_of, part_of
from ..errors import GxError
from ..narrative import schema as narrative_schema
from .journal import read_records

REPORTS = "reports.jsonl"
ERRORS = "errors.jsonl"
FIELDS = "fields.parquet"
WIDE = "reports.csv"
REVIEW = "review.csv"
JSON_DIR = "json"
NARRATIVE = "narrative.parquet"
HASHES = ".hashes.json"
LOCK = ".lock"


class BatchBusy(GxError):
    """Another batch (or an apply) is writing to the same output folder."""

    code = "busy"


class NotABatchOutput(GxError):
    """A folder no batch has written to."""

    code = "not_a_batch_output"


def batch_output(out: Path) -> Path:
    """``out``, if a batch has written its journals there (else `NotABatchOutput`)."""
    if not ((out / REPORTS).is_file() or (out / ERRORS).is_file()):
        raise NotABatchOutput(f"{out}: not a batch output folder (no {REPORTS} or {ERRORS}): "
                              f"make one with gxextract batch REPORTS/ --out {out}")
    return out


@contextlib.contextmanager
def locked(out: Path):
    """The output folder's lock: one batch or apply writes to it at a time."""
    fd = os.open(Path(out) / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchBusy(f"{out}: another gxextract batch is writing to this folder") from None
        yield
    finally:
        os.close(fd)
TMP_PREFIX = ".tmp-"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


# ---------------------------------------------------------------- atomic files

@contextlib.contextmanager
def atomic_path(target: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target``; on success it replaces ``target`` atomically.

    ``durable``: fsync the file and the folder too (skipped for files that are cheap to rebuild)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes 0600: give outputs the usual mode
    try:
        yield tmp_path
        if durable:
            with open(tmp_path, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp_path, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def atomic_write_text(target: Path, text: str, encoding: str = "utf-8", durable: bool = True) -> None:
    with atomic_path(target, durable) as tmp:
        tmp.write_text(text, encoding=encoding)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temporaries(folder: Path) -> int:
    """Temporary files a killed run left behind (never read: they are not outputs)."""
    n = 0
    for sub in (folder, folder / JSON_DIR):
        if sub.is_dir():
            for p in sub.glob(TMP_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    p.unlink()
                    n += 1
    return n


# ---------------------------------------------------------------- names from untrusted input

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME_BYTES = 120


def safe_stem(path: str) -> str:
    """A file name made from the last part of ``path``, its suffix dropped, that is safe to
    create in our folder: no separators, no control characters, no leading dots or dashes, bounded length.
    Empty when nothing usable is left (the caller then uses the content hash)."""
    name = re.split(r"[/\\]", path)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE.sub("_", stem).strip(" ._-")
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem


_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.,\s]*$))")


def csv_text(value):
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


# ---------------------------------------------------------------- state from the journals

@dataclass
class Latest:
    """The record that counts for each document, and where it is."""

    reports: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    """key → (offset in reports.jsonl, processed_at, path)"""
    errors: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    report_lines: int = 0
    error_lines: int = 0
    field_ids: dict[str, None] = field(default_factory=dict)
    unit_fields: dict[str, None] = field(default_factory=dict)
    heads: dict = field(default_factory=dict)
    """key → what the cross-year checks need of its latest report (`gxextract.cross_year.head`)"""

    @property
    def done(self) -> set[str]:
        return set(self.reports) | set(self.errors)

    @property
    def needs_compaction(self) -> bool:
        return self.report_lines != len(self.reports) or self.error_lines != len(self.errors)


def _stamp(record: dict) -> str:
    return (record.get("batch") or {}).get("processed_at") or record.get("processed_at") or ""


def scan(out: Path, collect_fields: bool = False) -> Latest:
    """Read both journals (tolerantly) and keep the latest record of each document."""
    latest = Latest()
    for offset, rec in read_records(out / REPORTS):
        latest.report_lines += 1
        key = rec.get("document")
        if not isinstance(key, str):
            continue
        stamp = _stamp(rec)
        if key not in latest.reports or stamp >= latest.reports[key][1]:
            latest.reports[key] = (offset, stamp, (rec.get("batch") or {}).get("path") or "")
            if collect_fields:
                from ..cross_year import head  # imports the panel, which imports this module

                latest.heads[key] = head(rec)
        if collect_fields:
            for fid, f in (rec.get("fields") or {}).items():
                latest.field_ids.setdefault(fid)
                if isinstance(f, dict) and f.get("unit"):
                    latest.unit_fields.setdefault(fid)
    for offset, rec in read_records(out / ERRORS):
        latest.error_lines += 1
        key = rec.get("document")
        if not isinstance(key, str):
            continue
        stamp = _stamp(rec)
        if key not in latest.errors or stamp >= latest.errors[key][1]:
            latest.errors[key] = (offset, stamp, rec.get("path") or "")
    # a document's latest outcome counts: its failure, or its reports (one per part of a compilation)
    newest: dict[str, str] = {}
    for records in (latest.reports, latest.errors):
        for key, (_, stamp, _) in records.items():
            newest[document_of(key)] = max(newest.get(document_of(key), ""), stamp)
    for records in (latest.reports, latest.errors):
        for key in [k for k, (_, stamp, _) in records.items() if stamp < newest[document_of(k)]]:
            del records[key]
    for key in set(latest.reports) & set(latest.errors):  # the same time: the report
        del latest.errors[key]
    return latest


def compact(out: Path, latest: Latest) -> None:
    """Rewrite the journals with only the records that count (atomically, reports first)."""
    for name, keep in ((REPORTS, latest.reports), (ERRORS, latest.errors)):
        src = out / name
        if not src.exists():
            continue
        offsets = sorted(v[0] for v in keep.values())
        with atomic_path(src) as tmp, open(src, "rb") as fin, open(tmp, "wb") as fout:
            for off in offsets:
                fin.seek(off)
                fout.write(fin.readline())
    # offsets changed: read them again
    fresh = scan(out, collect_fields=bool(latest.field_ids))
    latest.reports, latest.errors = fresh.reports, fresh.errors
    latest.report_lines, latest.error_lines = fresh.report_lines, fresh.error_lines


# ---------------------------------------------------------------- final tables

def _canonical_order(found: dict[str, None]) -> list[str]:
    """Field ids in template order (gov2019, gov2021, legacy2018), then any others as found."""
    try:
        from ..templates import templates

        order = {f: None for t in templates().values() for f in t.fields}
    except Exception:  # noqa: BLE001 - ordering is cosmetic
        order = {}
    return [f for f in order if f in found] + [f for f in found if f not in order]


def selection(latest: Latest, only: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
    """``(key, offset, path)`` of the reports that go into the tables, ordered by path then key.

    ``only`` (key → the path where this run found it): the collection the inputs name now,
    under its current names; None: every report of the journal, under the name it was done by.
    """
    rows = []
    for key, (offset, _, path) in latest.reports.items():
        doc = key if only is None or key in only else document_of(key)  # a report of a compilation
        if only is None:
            rows.append((key, offset, path))
        elif doc in only:
            rows.append((key, offset, only[doc]))
    return sorted(rows, key=lambda r: (r[2], r[0]))


def json_names(selected: list[tuple[str, int, str]]) -> dict[str, str]:
    """document key → file name in json/, from the document's file name (made safe), unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key, _, path in selected:
        stem = (safe_stem(path) or key[:16]) + (f"_part{part_of(key)}" if part_of(key) else "")
        name = f"{stem}.json"
        if name.lower() in used:
            name = f"{stem}-{key[:12]}.json"
        used.add(name.lower())
        names[key] = name
    return names


def plain_name(name: str) -> bool:
    """``name`` names a direct child of a folder: it has no way out of it."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\x00" not in name)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


_DECODER = json.JSONDecoder()
_BATCH_KEY = ',"batch":'


def _without_batch(line: str, rec: dict) -> str:
    """The journal line less its ``batch`` object: the output contract's JSON plus ``document``,
    cut out of the text rather than encoded again."""
    i = line.find(_BATCH_KEY)
    if i > 0 and line.startswith('{"document":'):
        try:
            _, end = _DECODER.raw_decode(line, i + len(_BATCH_KEY))
            return line[:i] + line[end:]
        except ValueError:
            pass
    return json.dumps({k: v for k, v in rec.items() if k != "batch"}, ensure_ascii=False)


def _same_content(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _write_statements(path: Path, lines: list[str]) -> None:
    """``narrative.parquet`` from the statements' JSON lines."""
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    schema = narrative_schema()
    table = schema.empty_table()
    if lines:
        data = ("\n".join(lines) + "\n").encode("utf-8")
        table = pa_json.read_json(io.BytesIO(data), read_options=pa_json.ReadOptions(block_size=len(data) + 1),
                                  parse_options=pa_json.ParseOptions(explicit_schema=schema,
                                                                     unexpected_field_behavior="ignore"))
    pq.write_table(table, path, compression="zstd")


def write_tables(out: Path, latest: Latest, write_json: bool = True, only: dict[str, str] | None = None,
                 notes: dict | None = None) -> int:
    """fields.parquet, reports.csv, review.csv and json/ from the latest reports (see `selection`);
    the number of reports written. ``notes``: the cross-year relations' notes on their fields
    (`gxextract.cross_year.table_notes`), written with them."""
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    schema = longform.schema()
    fields = _canonical_order(latest.field_ids)
    head = ["document", "path", "agency", "year", "template", "fields_found", "needs_review"]
    wide_cols = list(head)
    for fid in fields:
        wide_cols.append(fid)
        if fid in latest.unit_fields:
            wide_cols.append(f"{fid} [unit]")
    review_cols = ["document", "path", "agency", "year", "template", "field", "value", "raw", "unit",
                   "proposed", "confidence", "page", "reason"]
    selected = selection(latest, only)
    names = json_names(selected) if write_json else {}
    json_dir = out / JSON_DIR
    if write_json:
        json_dir.mkdir(exist_ok=True)

    with contextlib.ExitStack() as stack:
        pq_tmp = stack.enter_context(atomic_path(out / FIELDS))
        wide_tmp = stack.enter_context(atomic_path(out / WIDE))
        review_tmp = stack.enter_context(atomic_path(out / REVIEW))
        narrative_tmp = stack.enter_context(atomic_path(out / NARRATIVE))
        statements: list[str] = []
        writer = stack.enter_context(pq.ParquetWriter(pq_tmp, schema, compression="zstd"))
        wide_fh = stack.enter_context(open(wide_tmp, "w", encoding="utf-8-sig", newline=""))
        review_fh = stack.enter_context(open(review_tmp, "w", encoding="utf-8-sig", newline=""))
        wide = csv.writer(wide_fh)
        review = csv.writer(review_fh)
        wide.writerow(wide_cols)
        review.writerow(review_cols)
        long_rows: list[str] = []
        field_json: dict[tuple[str | None, str], str] = {}  # (template, field) → its id and column label

        def flush() -> None:
            # rows → Arrow by pyarrow's JSON reader: C++ all the way (pa.array would import pandas)
            if long_rows:
                data = ("\n".join(long_rows) + "\n").encode("utf-8")
                writer.write_table(pa_json.read_json(
                    io.BytesIO(data),
                    read_options=pa_json.ReadOptions(use_threads=False, block_size=max(1 << 20, len(data) + 1)),
                    parse_options=pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")))
                long_rows.clear()

        reports_fh = stack.enter_context(open(out / REPORTS, "rb"))
        for key, offset, path in selected:
            reports_fh.seek(offset)
            line = reports_fh.readline().decode("utf-8").rstrip("\n")
            rec = json.loads(line)
            path = path or (rec.get("source") or {}).get("path")
            agency, year, template = rec.get("agency"), rec.get("year"), rec.get("template")
            rfields = rec.get("fields") or {}
            if notes and key in notes:
                from ..cross_year import noted

                rec["fields"] = rfields = {fid: noted(f, notes[key][fid]) if fid in notes[key] else f
                                           for fid, f in rfields.items()}
                line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            row = {"document": key, "path": csv_text(path), "agency": csv_text(agency), "year": year,
                   "template": template,
                   "fields_found": sum(1 for f in rfields.values() if f.get("value") is not None),
                   "needs_review": sum(1 for f in rfields.values() if f.get("needs_review"))}
            # one Parquet row per field: the document's columns, the field's id and column label, then
            # the field's own JSON as read (keys the schema lacks, such as bbox, are ignored by the reader)
            prefix = _dumps({"document": key, "path": path, "agency": agency, "year": year,
                             "template": template})[:-1] + ',"field":'
            for fid, f in rfields.items():
                value, unit = f.get("value"), f.get("unit")
                row[fid] = value
                if unit:
                    row[f"{fid} [unit]"] = unit
                ids = field_json.get((template, fid)) or field_json.setdefault(
                    (template, fid), f'{_dumps(fid)},"column":{_dumps(longform.column_label(template, fid))}')
                long_rows.append(f"{prefix}{ids},{_dumps(f)[1:]}")
                if f.get("needs_review"):
                    flags = f.get("flags") or []
                    # every flagged field says why; outputs of older versions may not
                    reason = "; ".join(map(str, flags)) or ("missing" if value is None else "low_confidence")
                    review.writerow([key, csv_text(path), csv_text(agency), year, template, fid, value,
                                     csv_text(f.get("raw")), unit, f.get("proposed"),
                                     f.get("confidence"), f.get("page"), csv_text(reason)])
            wide.writerow([row.get(c) for c in wide_cols])
            statements += [_dumps({"document": key, "path": path, **s}) for s in rec.get("narrative") or []]
            if len(long_rows) >= 50_000:
                flush()
            if write_json:
                target = json_dir / names[key]
                text = _without_batch(line, rec)
                if plain_name(names[key]) and not _same_content(target, text):  # the last guard
                    atomic_write_text(target, text, durable=False)  # rebuilt from the journal if lost
        flush()
        _write_statements(narrative_tmp, statements)

    if write_json:
        keep = set(names.values())
        for p in json_dir.glob("*.json"):
            if p.name not in keep:
                with contextlib.suppress(OSError):
                    p.unlink()
    return len(selected)
