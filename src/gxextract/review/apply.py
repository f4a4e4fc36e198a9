"""Reviewed values merged into a batch's outputs: ``gxextract apply DIR corrections.json``.

The review page exports ``corrections.json``::

    {"version": 1, "batch": "...", "exported_at": "...",
     "corrections": [{"document": "<sha256>", "field": "requests.total.total",
                      "decision": "accept_value" | "accept_proposal" | "correct",
                      "value": 12, "read": 21, "reviewer": "...", "timestamp": "2026-...Z"}]}

``apply`` appends every decision to ``DIR/corrections.jsonl`` (the record that survives re-runs:
the latest decision for a (document, field) wins), then rewrites the lines of ``reports.jsonl``
they touch (the field gets the reviewed ``value``, ``human_verified`` true, ``needs_review``
false, ``confidence`` 1 and a ``review`` note with the decision and the value read; the report's
derived fields and ``checks`` are recomputed with the reviewed values) and rebuilds the tables.

Every ``gxextract batch`` run calls `reapply_stored` before it rebuilds its tables (the command line
hands it to the batch), so a document extracted again (``--force``) gets its reviewed values back,
and nothing a reviewer decided is lost.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from ..errors import GxError
from ..outputs.files import atomic_path, locked
from ..outputs.journal import Journal, now_iso, read_records
from ..outputs.layout import CORRECTIONS, REPORTS, batch_output
from ..outputs.records import dumps
from ..outputs.tables import refresh

Decision = Literal["accept_value", "accept_proposal", "correct"]


class BadCorrections(GxError):
    code = "bad_corrections"


class Correction(BaseModel):
    """One reviewer decision on one field of one document."""

    document: str
    field: str
    decision: Decision
    value: int | float | None = None
    """The value the reviewer settled on (the value read, the proposal, or the typed correction)."""
    read: int | float | None = None
    """The value that was read, for the record."""
    reviewer: str | None = None
    timestamp: str | None = None


def load_export(path: str | Path) -> list[Correction]:
    """The decisions of a ``corrections.json`` from the review page (or a bare list of them)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadCorrections(f"{path}: not a readable JSON file ({exc})") from None
    items = data.get("corrections") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BadCorrections(f"{path}: no list of corrections")
    out = []
    for i, item in enumerate(items):
        try:
            c = Correction.model_validate(item)
        except ValidationError as exc:
            raise BadCorrections(f"{path}: correction {i}: {exc.errors()[0]['msg']}") from None
        if isinstance(c.value, bool):
            raise BadCorrections(f"{path}: correction {i}: value is not a number")
        out.append(c)
    return out


def stored(out: Path) -> dict[tuple[str, str], Correction]:
    """The decisions kept in ``out/corrections.jsonl``: the latest one for each (document, field)."""
    latest: dict[tuple[str, str], Correction] = {}
    for _, rec in read_records(Path(out) / CORRECTIONS):
        try:
            c = Correction.model_validate(rec)
        except ValidationError:
            continue
        latest[(c.document, c.field)] = c
    return latest


def record_corrections(out: Path, corrections: list[Correction]) -> None:
    with Journal(Path(out) / CORRECTIONS) as journal:
        for c in corrections:
            journal.append(c.model_dump() | {"applied_at": now_iso()})


# ---------------------------------------------------------------- one record

def _number(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def apply_to_record(rec: dict, decisions: dict[str, Correction]) -> bool:
    """Put the reviewed values (field id → decision) into one reports.jsonl record; True if it changed."""
    fields = rec.setdefault("fields", {})
    changed = False
    for fid, c in decisions.items():
        f = fields.get(fid)
        if not isinstance(f, dict):
            f = fields[fid] = {"value": None, "flags": ["missing"], "needs_review": True}
        value = c.value
        if c.decision == "accept_proposal" and value is None:
            value = _number(f.get("proposed"))
        if c.decision == "accept_value" and value is None and c.read is None:
            value = _number(f.get("value"))
        read = f["review"]["read"] if isinstance(f.get("review"), dict) else _number(f.get("value"))
        note = {"decision": c.decision, "reviewer": c.reviewer, "timestamp": c.timestamp, "read": read}
        want = {"value": value, "human_verified": True, "needs_review": False, "confidence": 1.0, "review": note}
        if any(f.get(k) != v for k, v in want.items()):
            f.update(want)
            changed = True
    if changed:
        _recheck(rec)
    return changed


def _recheck(rec: dict) -> None:
    """Derived fields and the relations of a record, evaluated again with its (reviewed) values."""
    from ..checks import Cellular, derived_value, evaluate
    from ..templates import rules_for

    try:
        rules = rules_for(rec.get("template"), rec.get("sections") or {})  # as extract chooses them
    except Exception:  # noqa: BLE001 - an unknown template: values are merged, relations left as they were
        return
    fields = rec["fields"]
    cells = {fid: Cellular(value=_number(f.get("value")), flags=[str(x) for x in f.get("flags") or []])
             for fid, f in fields.items() if isinstance(f, dict)}  # flags: a blank counts as 0 (Cellular.checked)
    for rule in rules.derived:  # as extract derives them (checks.derived_value)
        target = fields.get(rule.lhs[0])
        if not isinstance(target, dict) or not target.get("derived") or target.get("human_verified"):
            continue
        target["value"] = derived_value(rule, cells)
        cells[rule.lhs[0]] = Cellular(value=target["value"], flags=["derived"])
        sources = [fields.get(s) if isinstance(fields.get(s), dict) else {} for s in rule.rhs]
        if target["value"] is not None and all(s.get("human_verified") or not s.get("needs_review") for s in sources):
            target["needs_review"] = False
    rec["checks"] = [c.model_dump() for c in evaluate(rules.relations, cells)]


# ---------------------------------------------------------------- the output folder

def reapply_stored(out: Path) -> int:
    """Merge the stored decisions into ``reports.jsonl`` (the caller holds the folder's lock);
    the number of records changed. Cheap when there is nothing to do."""
    out = Path(out)
    decisions = stored(out)
    if not decisions or not (out / REPORTS).exists():
        return 0
    by_doc: dict[str, dict[str, Correction]] = {}
    for (doc, fid), c in decisions.items():
        by_doc.setdefault(doc, {})[fid] = c
    new_lines: dict[int, bytes] = {}
    for offset, rec in read_records(out / REPORTS):
        doc = rec.get("document")
        if isinstance(doc, str) and doc in by_doc and apply_to_record(rec, by_doc[doc]):
            new_lines[offset] = (dumps(rec) + "\n").encode()
    if not new_lines:
        return 0
    src = out / REPORTS
    with atomic_path(src) as tmp, open(src, "rb") as fin, open(tmp, "wb") as fout:
        offset = 0
        for line in fin:
            if not line.endswith(b"\n"):
                break  # a torn tail is not a record
            fout.write(new_lines.get(offset, line))
            offset += len(line)
    return len(new_lines)


def apply(out: str | Path, export: str | Path) -> tuple[int, int]:
    """Store the decisions of ``export`` in ``out`` and merge them; (decisions, reports changed)."""
    out = batch_output(Path(out))
    corrections = load_export(export)
    with locked(out):
        known = {rec.get("document") for _, rec in read_records(out / REPORTS)}
        unknown = sorted({c.document for c in corrections} - known)
        if unknown:
            raise BadCorrections(f"{export}: {len(unknown)} document(s) not in {out}: {unknown[0][:16]}…")
        record_corrections(out, corrections)
        changed = reapply_stored(out)
        refresh(out)
    return len(corrections), changed
