"""The record that counts for each document of an output folder, read from the journals.

Only the latest record of a document counts (a ``--force`` run or a retried failure adds a newer
one): its failure, or its reports (one per part of a compilation). `compact` rewrites the journals
to those records when they hold more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compilations import document_of
from .files import atomic_path
from .journal import read_records
from .layout import ERRORS, REPORTS


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
    """Read both journals (tolerantly) and keep the latest record of each document; with
    ``collect_fields``, also the field ids, those with units and the reports' heads."""
    latest = Latest()
    for offset, rec in read_records(out / REPORTS):
        latest.report_lines += 1
        newer = _keep(latest.reports, offset, rec, (rec.get("batch") or {}).get("path"))
        if collect_fields and newer is not None:
            _collect(latest, rec, newer)
    for offset, rec in read_records(out / ERRORS):
        latest.error_lines += 1
        _keep(latest.errors, offset, rec, rec.get("path"))
    _drop_superseded(latest)
    return latest


def _keep(records: dict[str, tuple[int, str, str]], offset: int, rec: dict, path: str | None) -> bool | None:
    """Note ``rec`` in ``records`` if it is the newest of its key so far; whether it was (None: no key)."""
    key = rec.get("document")
    if not isinstance(key, str):
        return None
    stamp = _stamp(rec)
    if key in records and stamp < records[key][1]:
        return False
    records[key] = (offset, stamp, path or "")
    return True


def _collect(latest: Latest, rec: dict, newest: bool) -> None:
    """The field ids of a report, those with a unit, and its head if it is the newest of its key."""
    if newest:
        from ..cross_year import head  # it imports the panel, which imports this package

        latest.heads[rec["document"]] = head(rec)
    for fid, f in (rec.get("fields") or {}).items():
        latest.field_ids.setdefault(fid)
        if isinstance(f, dict) and f.get("unit"):
            latest.unit_fields.setdefault(fid)


def _drop_superseded(latest: Latest) -> None:
    """A document's latest outcome counts: its failure, or its reports (one per part of a compilation)."""
    newest: dict[str, str] = {}
    for records in (latest.reports, latest.errors):
        for key, (_, stamp, _) in records.items():
            newest[document_of(key)] = max(newest.get(document_of(key), ""), stamp)
    for records in (latest.reports, latest.errors):
        for key in [k for k, (_, stamp, _) in records.items() if stamp < newest[document_of(k)]]:
            del records[key]
    for key in set(latest.reports) & set(latest.errors):  # the same time: the report
        del latest.errors[key]


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
