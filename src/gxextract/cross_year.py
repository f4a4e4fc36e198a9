"""The relations across a body's years as evidence on the fields of a batch's outputs.

The panel (`gxextract.panel`) evaluates every relation of ``templates/cross_year.toml`` between a
body's consecutive years. Here each one becomes a note on the fields it takes part in, in both
reports, naming the other report; the value is never changed:

- **broken**: every field of it gets ``cross_year:<relation>:<other document>`` and ``needs_review``
  (confidence at most that of a flagged field, `confidence.FLAGGED_CAP`);
- **confirmed**: a relation that holds, all of whose fields were read, exactly one of them in doubt
  and that one only for being unsure (`confidence.UNSURE_FLAGS`: a loose label, a low reading score,
  nothing in its own report to confirm it), not derived, no correction proposed and not 0, while every
  other field of it is sure (not flagged, in no broken cross-year relation), confirms that one:
  ``cross_year_confirmed:<relation>:<other document>``, ``needs_review`` false, confidence
  `confidence.CONFIRMED`, its flags of doubt kept beside it. A 0 is never confirmed this way: most cells
  of these tables are 0, so a misplaced or misread cell agrees with a 0 as often as not. A field a
  reviewer decided (``human_verified``) is left as decided.

`head` is what a journal record gives the checks (`outputs.latest.scan` keeps it for each document),
`notes` what they give each (document, field), `noted` a field's JSON with its notes applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .confidence import CONFIRMED, FLAGGED_CAP, INFO_FLAGS, UNSURE_FLAGS
from .panel import PanelReport, body_name, build, stored_names
from .templates import PREVIOUS, cross_year

BROKEN = "cross_year"
CONFIRMS = "cross_year_confirmed"


@dataclass(frozen=True)
class State:
    """What the checks need of one field of a report."""

    value: float | int | None
    needs_review: bool
    verified: bool
    unsure_only: bool
    """flagged only for being unsure, read, not derived, no correction proposed, not 0: what a
    confirmation may clear"""


@dataclass(frozen=True)
class Head:
    """What the checks need of one report: its body's name as printed, its year, form and fields."""

    agency: str | None
    year: int | None
    template: str | None
    fields: dict[str, State]


@dataclass(frozen=True)
class Note:
    """One cross-year relation on one field: the flag it gets and the relation as the panel has it."""

    flag: str
    check: dict


@cache
def watched() -> frozenset[str]:
    """The field ids some cross-year relation reads."""
    return frozenset(t.removeprefix(PREVIOUS) for r in cross_year() for t in r.fields)


def _state(f: dict) -> State:
    flags = [str(x).partition(":")[0] for x in f.get("flags") or []]
    unsure = (bool(f.get("needs_review")) and f.get("value") not in (None, 0) and not f.get("derived")
              and f.get("proposed") is None and all(x in INFO_FLAGS or x in UNSURE_FLAGS for x in flags))
    return State(value=f.get("value"), needs_review=bool(f.get("needs_review")),
                 verified=bool(f.get("human_verified")), unsure_only=unsure)


def head(rec: dict) -> Head:
    """The checks' view of a journal record."""
    fields = rec.get("fields") or {}
    year = rec.get("year")
    return Head(agency=rec.get("agency"), year=year if isinstance(year, int) else None,
                template=rec.get("template"),
                fields={fid: _state(f) for fid in watched() if isinstance(f := fields.get(fid), dict)})


def notes(heads: dict[str, Head], selected: list[tuple[str, str]],
          names: dict[str, str] | None = None) -> dict[str, dict[str, list[Note]]]:
    """document → field → its notes, over the reports ``selected`` (document, path)."""
    found = [PanelReport(document=doc, path=path, body=body_name(h.agency, names), agency=h.agency, year=h.year,
                         template=h.template or "", values={f: s.value for f, s in h.fields.items()}, flagged=0)
             for doc, path in selected if (h := heads.get(doc)) and h.agency and h.year is not None]
    _, checks = build(found)
    relations = {r.name: r for r in cross_year()}
    out: dict[str, dict[str, list[Note]]] = {}
    held = []
    for c in checks:
        terms = [(c["previous_document"] if t.startswith(PREVIOUS) else c["document"], t.removeprefix(PREVIOUS))
                 for t in relations[c["relation"]].fields]
        if c["holds"]:
            held.append((c, terms))
            continue
        for doc, fid in terms:
            if not heads[doc].fields[fid].verified:
                _add(out, doc, fid, Note(f"{BROKEN}:{c['relation']}:{_other(c, doc)}", c))
    contradicted = {(doc, fid) for doc, notes_of in out.items() for fid in notes_of}
    for c, terms in held:
        states = [heads[doc].fields[fid] for doc, fid in terms]
        doubtful = [k for k, s in enumerate(states) if s.needs_review]
        if len(doubtful) != 1 or not states[doubtful[0]].unsure_only or contradicted & set(terms):
            continue
        doc, fid = terms[doubtful[0]]
        _add(out, doc, fid, Note(f"{CONFIRMS}:{c['relation']}:{_other(c, doc)}", c))
    return out


def _add(out: dict, doc: str, fid: str, note: Note) -> None:
    out.setdefault(doc, {}).setdefault(fid, []).append(note)


def _other(check: dict, doc: str) -> str:
    return check["previous_document"] if doc == check["document"] else check["document"]


def table_notes(out: Path, latest, only: dict[str, str] | None) -> dict[str, dict[str, list[Note]]]:
    """The notes of the reports a batch's tables hold (``latest`` scanned with ``collect_fields``;
    ``only`` as `outputs.latest.selection` takes it), bodies grouped with the folder's names file."""
    from .outputs.latest import selection

    return notes(latest.heads, [(key, path) for key, _, path in selection(latest, only)], stored_names(out))


def noted(f: dict, field_notes: list[Note]) -> dict:
    """The field's JSON with its notes: a broken relation flags it for review; a confirmation alone
    clears the unsure flag it had."""
    g = dict(f, flags=[*(f.get("flags") or []), *(n.flag for n in field_notes)])
    if any(n.flag.startswith(BROKEN + ":") for n in field_notes):
        g["needs_review"] = True
        g["confidence"] = min(f.get("confidence") or 0.0, FLAGGED_CAP)
    else:
        g["needs_review"] = False
        g["confidence"] = CONFIRMED
    return g
