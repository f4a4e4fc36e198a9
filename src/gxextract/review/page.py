"""``gxextract review DIR -o review.html``: one self-contained page over a batch's flagged cells.

Each flagged cell (``needs_review`` and not yet ``human_verified``) of the reports the batch's
tables hold gets: a picture of its page around it with its box drawn (PDF, scans and images;
see `crops`), or for text, HTML and DOCX inputs the printed row it was read from; the value
read, the raw text, the second reading, the proposal and the relations it takes part in with
their numbers. Everything (CSS, JS, data, pictures as data: URIs) is inside the one file: it
opens from disk, offline, and can be mailed. Decisions are exported as ``corrections.json``
(see `apply`).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from ..outputs.journal import read_at
from ..outputs.latest import scan, selection
from ..outputs.layout import REPORTS, batch_output
from ..outputs.tables import tabled_documents
from ..templates import PREVIOUS
from .crops import Pages, crop, data_uri, has_picture

_MAX_LINE_CELLS = 12


def _relations(fid: str, f: dict, rec: dict) -> list[dict]:
    names = {x.split(":", 1)[1] for x in f.get("flags") or [] if x.startswith("relation:")}
    values = {k: v.get("value") for k, v in (rec.get("fields") or {}).items() if isinstance(v, dict)}
    out = []
    for c in rec.get("checks") or []:
        if c.get("name") not in names and fid not in (c.get("fields") or []):
            continue
        lhs, _, rhs = (c.get("equation") or "").partition(" = ")
        terms = lambda side: [{"field": t, "value": values.get(t)} for t in side.split(" + ") if t]  # noqa: E731
        out.append({"name": c.get("name"), "equation": c.get("equation"), "holds": c.get("holds"),
                    "lhs": c.get("lhs"), "rhs": c.get("rhs"), "lhs_terms": terms(lhs), "rhs_terms": terms(rhs)})
    out.sort(key=lambda r: r["holds"] is not False)  # broken first
    return out


class _Lines:
    """The printed rows of text-like inputs, read again with the reader that made the report."""

    def __init__(self):
        self._docs: dict[str, list[str] | None] = {}

    def rows(self, path: str) -> list[str] | None:
        if path not in self._docs:
            try:
                from ..readers import read

                doc = read(path)
                self._docs[path] = [" | ".join(c.text for c in r.cells) for r in doc.rows]
            except Exception:  # noqa: BLE001 - the source is gone or unreadable: show the label only
                self._docs[path] = None
        return self._docs[path]

    def line(self, path: str | None, label: str | None, raw: str | None) -> str | None:
        rows = self.rows(path) if path and label else None
        if not rows:
            return None
        for i, text in enumerate(rows):
            if label in text:
                picked = [text]
                j = i + 1
                while sum(t.count(" | ") + 1 for t in picked) < _MAX_LINE_CELLS and j < len(rows) and \
                        (raw is None or raw not in " ".join(picked)):
                    picked.append(rows[j])
                    j += 1
                return "\n".join(picked)
        return None


def _across_years(notes: list, heads: dict, names: dict[str, str]) -> list[dict]:
    """A field's cross-year relations as the page shows a relation, naming the other report."""
    out = []
    for n in notes:
        c = n.check
        lhs, _, rhs = c["equation"].partition(" = ")
        other = n.flag.rpartition(":")[2]
        year = c["previous_year"] if other == c["previous_document"] else c["year"]

        def terms(side: str) -> list[dict]:
            return [{"field": t, "value": heads[c["previous_document"] if t.startswith(PREVIOUS) else c["document"]]
                     .fields[t.removeprefix(PREVIOUS)].value} for t in side.split(" + ")]

        out.append({"name": f"{n.flag.partition(':')[0]} {c['relation']}", "equation": c["equation"],
                    "holds": c["holds"], "lhs": c["lhs"], "rhs": c["rhs"], "lhs_terms": terms(lhs),
                    "rhs_terms": terms(rhs), "other": f"{year}: {names.get(other, other[:16])} ({other[:16]})"})
    return out


def items(out: Path, pictures: bool = True) -> list[dict]:
    """The flagged cells of a batch output folder, in table order (path, then template order), with
    the notes of the relations across years where the folder has a panel (`gxextract.cross_year`)."""
    from ..cross_year import BROKEN, CONFIRMS, noted, table_notes
    from ..panel import PANEL

    out = Path(out)
    latest = scan(out, collect_fields=True)
    tabled = tabled_documents(out)
    notes = table_notes(out, latest, tabled) if (out / PANEL).exists() else {}
    pages, lines = Pages(), _Lines()
    result = []
    selected = selection(latest, tabled)
    names = {key: Path(path).name for key, _, path in selected}
    for key, offset, path in selected:
        rec = read_at(out / REPORTS, offset)
        noted_fields = notes.get(key, {})
        rec["fields"] = {fid: noted(f, noted_fields[fid]) if fid in noted_fields else f
                         for fid, f in (rec.get("fields") or {}).items()}
        source = rec.get("source") or {}
        path = path or (rec.get("batch") or {}).get("path") or source.get("path")
        fmt = source.get("format")
        name = Path(path).name if path else key[:16]
        for fid, f in (rec.get("fields") or {}).items():
            if not isinstance(f, dict) or not f.get("needs_review") or f.get("human_verified"):
                continue
            flags = [str(x) for x in f.get("flags") or []]
            reasons = list(dict.fromkeys(BROKEN if x.startswith(BROKEN + ":") else x for x in flags
                                         if x != "derived" and not x.startswith(CONFIRMS))) or \
                (["missing"] if f.get("value") is None else ["low_confidence"])  # older outputs may give none
            item = {
                "document": key, "name": name, "path": path, "format": fmt, "field": fid,
                "agency": rec.get("agency"), "year": rec.get("year"),
                "value": f.get("value"), "raw": f.get("raw"), "unit": f.get("unit"), "label": f.get("label"),
                "alternative": f.get("alternative"), "proposed": f.get("proposed"),
                "proposed_confidence": f.get("proposed_confidence"), "restores": f.get("restores") or [],
                "confidence": f.get("confidence"), "flags": flags, "reasons": reasons,
                "page": f.get("page"), "bbox": f.get("bbox"),
                "relations": sorted(_relations(fid, f, rec) + _across_years(noted_fields.get(fid, []),
                                                                            latest.heads, names),
                                    key=lambda r: r["holds"] is not False),  # broken first
                "crop": None, "line": None,
            }
            if pictures and has_picture(fmt) and path:
                item["crop"] = data_uri(crop(path, fmt, f.get("page"), f.get("bbox"), pages))
            elif not has_picture(fmt):
                item["line"] = lines.line(path, f.get("label"), f.get("raw"))
            result.append(item)
    return result


def build(out: str | Path, target: str | Path, pictures: bool = True) -> int:
    """Write the review page of ``out`` to ``target``; the number of flagged cells on it."""
    out = batch_output(Path(out))
    found = items(out, pictures=pictures)
    batch_id = hashlib.sha256(
        ("\n".join(sorted({i["document"] for i in found})) + str(out.resolve())).encode()).hexdigest()[:16]
    data = {"batch": out.resolve().name, "batch_id": batch_id, "items": found}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "<\\!--")  # nothing in the data can end the script
    template = resources.files("gxextract.review").joinpath("template.html").read_text(encoding="utf-8")
    title = out.resolve().name.replace("&", "&amp;").replace("<", "&lt;")
    head, _, tail = template.partition("__DATA__")
    html = head.replace("__TITLE__", title) + text + tail
    Path(target).write_text(html, encoding="utf-8")
    return len(found)
