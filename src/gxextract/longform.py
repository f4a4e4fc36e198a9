"""Reports in long form, one row per field: the batch's ``fields.parquet``, `Report.to_pandas`
and ``gxextract extract --format csv`` share these columns.

``label`` is the row label as the report printed it (what the value was aligned by) and
``column`` the column label as the form prints it (header cells joined by `` / ``).
"""

from __future__ import annotations

from functools import cache

from .templates import printed_fields, templates

REPORT_COLUMNS = ["document", "path", "agency", "year", "template"]
FIELD_COLUMNS = ["field", "value", "raw", "unit", "confidence", "needs_review", "flags", "page", "proposed",
                 "derived", "label", "column", "human_verified"]
COLUMNS = REPORT_COLUMNS + FIELD_COLUMNS


@cache
def schema():
    """The Arrow schema of the long form (``value`` a double: counts are exact in it)."""
    import pyarrow as pa

    types = {"year": pa.int32(), "value": pa.float64(), "confidence": pa.float64(), "needs_review": pa.bool_(),
             "flags": pa.list_(pa.string()), "page": pa.int32(), "proposed": pa.float64(), "derived": pa.bool_(),
             "human_verified": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])


def column_label(template: str | None, field: str) -> str | None:
    """The column label the form of ``template`` prints above ``field`` (None for an unknown field)."""
    printed = printed_fields(template).get(field) if template in templates() else None
    return printed.column_label if printed else None


def rows(report: dict, document: str | None = None, path: str | None = None) -> list[dict]:
    """The long-form rows of a report's JSON (`Report.to_dict`); ``document`` and ``path`` default
    to its source's sha256 and path."""
    source = report.get("source") or {}
    head = {"document": document or source.get("sha256"), "path": path or source.get("path"),
            "agency": report.get("agency"), "year": report.get("year"), "template": report.get("template")}
    out = []
    for fid, f in (report.get("fields") or {}).items():
        row = dict(head, field=fid, column=column_label(head["template"], fid))
        row.update({c: f.get(c) for c in FIELD_COLUMNS if c in f})
        out.append({c: row.get(c) for c in COLUMNS})
    return out
