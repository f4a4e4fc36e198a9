"""The journals' records of one document: a line of ``reports.jsonl`` per report, a line of
``errors.jsonl`` per failure or file left out.

A report line is the report's output-contract JSON with the document's key put first and the
batch's `Stamp` second: ``{"document":KEY,"batch":{…},"source":…}``. The report's JSON is kept as
the text the extractor wrote, never decoded and encoded again, so ``json/NAME.json`` (the same
text less the stamp, `ReportLine.contract`) is what `Report.model_dump_json` gave.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ValidationError

from ..names import escaped, shown

dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON with its text unescaped: how every record is written."""
_DECODER = json.JSONDecoder()
_HEAD = '{"document":'
_BATCH = ',"batch":'


def _where(path: str) -> dict:
    """A path as records keep it: ``path`` escaped (`gxextract.names.escaped`), and ``display``
    where a person would read it otherwise."""
    name, display = escaped(path), shown(path)
    return {"path": name} | ({"display": display} if display != name else {})


class Stamp(BaseModel):
    """Where and when a batch extracted a document: a report line's ``batch`` object."""

    path: str = ""
    display: str | None = None
    processed_at: str = ""
    seconds: float | None = None

    @classmethod
    def of(cls, path: str, processed_at: str, seconds: float) -> "Stamp":
        return cls(**_where(path), processed_at=processed_at, seconds=seconds)


class ReportLine(BaseModel):
    """One line of ``reports.jsonl``."""

    document: str
    """The report's key: the document's sha256, ``:N`` added for part N of a compilation."""
    batch: Stamp
    report: str
    """The report's JSON object, as extracted."""

    def line(self) -> str:
        return f"{_HEAD}{dumps(self.document)}{_BATCH}{dumps(self.batch.model_dump(exclude_none=True))}{self._rest()}"

    def contract(self) -> str:
        """What ``json/NAME.json`` holds: the report's JSON with ``document`` first."""
        return f"{_HEAD}{dumps(self.document)}{self._rest()}"

    def _rest(self) -> str:
        """The report's members after a comma, and its closing brace."""
        body = self.report.strip()
        return ("," if body != "{}" else "") + body[1:]

    @classmethod
    def parse(cls, line: str) -> "ReportLine":
        """A journal line back (as `line` wrote it, or as rewritten with `dumps`, which keeps the
        order of its members); raises ValueError on a line that holds no JSON object."""
        at = line.find(_BATCH)
        if at > 0 and line.startswith(_HEAD):
            try:
                stamp, end = _DECODER.raw_decode(line, at + len(_BATCH))
                rest = line[end:].rstrip()
                return cls(document=json.loads(line[len(_HEAD):at]), batch=Stamp.model_validate(stamp),
                           report="{" + rest[1:] if rest.startswith(",") else "{}")
            except (ValueError, ValidationError):
                pass
        return cls.of_record(json.loads(line))

    @classmethod
    def of_record(cls, rec: dict) -> "ReportLine":
        """A line from its decoded record (a record changed after it was read)."""
        stamp = rec.get("batch")
        return cls(document=str(rec.get("document")),
                   batch=Stamp.model_validate(stamp) if isinstance(stamp, dict) else Stamp(),
                   report=dumps({k: v for k, v in rec.items() if k not in ("document", "batch")}))


class Failure(BaseModel):
    """One line of ``errors.jsonl``: a document that failed (``code`` its `GxError`'s, or the
    batch's own), or a file left out (code ``skipped``, with its ``reason``; its ``document`` is
    ``path:`` and the escaped path)."""

    document: str
    path: str
    display: str | None = None
    code: str
    reason: str | None = None
    message: str
    processed_at: str
    seconds: float | None = None
    traceback: str | None = None

    @classmethod
    def of(cls, document: str, path: str, **fields) -> "Failure":
        return cls(document=document, **_where(path), **fields)

    def line(self) -> str:
        return dumps(self.model_dump(exclude_none=True))
