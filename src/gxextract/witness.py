"""The prose as evidence: what a statement that holds confirms, what one that fails puts in doubt.

A statement speaks of a field only when it was read apart from the field's cell (`apart`): a prose
number equal to a table number proves nothing when both are the same print.

- **Confirm**: a statement that holds, all of whose fields were read (and apart from it), exactly one
  of them in doubt and that one only for being unsure (`UNSURE_FLAGS`: a loose label, a cut or a placement
  in question, a low reading score, nothing to confirm it), confirms that one: flag ``prose_confirmed``,
  no longer ``needs_review``, the statement's ``confirms`` names it. A sum with two addends in doubt
  confirms neither; a field another statement contradicts is not confirmed, nor a 0 that may be a
  cell printed blank (the prose's 0 does not tell them apart).
- **Doubt**: a statement that fails lowers the fields of it that no relation of the form confirms
  (a sentence that agrees does not: two sentences disagree): flag ``prose_disagrees``, needs_review.
- **Repair**: a statement that fails as printed but holds with a broken relation's one-cell repair in
  place (``proposed``) confirms the proposal: flag ``prose_agrees``, ``proposed_confidence`` up. The value
  printed stays the value; that statement then lowers nothing else, the repair explaining it.
"""

from __future__ import annotations

import math
import re

from .checks import counted
from .confidence import CONFIRMED, DISAGREES_CAP, INFO_FLAGS, PROSE_REPAIR, REVIEW_BELOW, UNSURE_FLAGS
from .models import Check, FieldResult, Statement
from .normalize import fold_width, simplify, strip_numbering

LABEL_TAIL = 2
"""Characters of a field's printed label that, followed at once by its reading, mark a clause as
where the cell itself may have been read: few, so that a label read with its group or cut short shows."""
_UNITS = ("件", "条", "元")
_PUNCT = re.compile(r"[\W_]")


def _key(text: str) -> str:
    return _PUNCT.sub("", simplify(fold_width(text)))


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def apart(s: Statement, f: FieldResult) -> bool:
    """Whether ``s`` was read elsewhere than ``f``'s cell: by their boxes where both have one; else by
    the text, the cell's reading neither carrying a unit (the statement's number may be that cell) nor
    following its own label in the statement's clause."""
    if s.bbox and f.bbox:
        return s.page != f.page or not _overlap(s.bbox, f.bbox)
    raw = _key(f.raw or "")
    if not raw:
        return True
    label = _key(strip_numbering(f.label or ""))[-LABEL_TAIL:]
    return not raw.endswith(_UNITS) and label + raw not in _key(s.phrase)


def _witness(s: Statement, fields: dict[str, FieldResult]) -> bool:
    """Whether ``s`` can vouch for its fields: read surely (an OCR line below `REVIEW_BELOW` may share
    the cell's misreading, the same glyph mistaken twice) and apart from every one of them."""
    return s.score >= REVIEW_BELOW and all(apart(s, fields[f]) for f in s.fields)


def _unsure_only(f: FieldResult) -> bool:
    return (f.needs_review and f.value is not None and not f.derived and f.proposed is None
            and all(x in INFO_FLAGS or x in UNSURE_FLAGS for x in f.flags))


def _maybe_blank(f: FieldResult, blanks: bool) -> bool:
    """Whether a 0 read for ``f`` may stand for a cell printed blank, which the prose's 0 does not tell
    apart: a row that lost cells, or a report that prints blank cells (``blanks``)."""
    return f.value == 0 and (blanks or "short_row" in f.flags)


def _confirm(fields: dict[str, FieldResult], statements: list[Statement]) -> None:
    contradicted = {f for s in statements if s.holds is False for f in s.fields}
    blanks = any({"blank", "printed_blank"} & set(f.flags) for f in fields.values())
    changed = True
    while changed:  # a field confirmed by one statement may leave another's sum with one doubt only
        changed = False
        for s in statements:
            if not s.holds or not _witness(s, fields):
                continue
            doubt = [f for f in s.fields if fields[f].needs_review]
            if len(doubt) != 1 or doubt[0] in contradicted or not _unsure_only(fields[doubt[0]]):
                continue
            f = fields[doubt[0]]
            if _maybe_blank(f, blanks):
                continue
            fields[doubt[0]] = f.model_copy(update={"needs_review": False, "confidence": max(f.confidence, CONFIRMED),
                                                    "flags": [*f.flags, "prose_confirmed"]})
            s.confirms.append(doubt[0])
            changed = True


def _repair(fields: dict[str, FieldResult], s: Statement) -> str | None:
    """The field whose proposed repair makes the failing ``s`` hold, the statement's other fields sure."""
    for fid in s.fields:
        f = fields[fid]
        if f.proposed is None or any(fields[o].needs_review for o in s.fields if o != fid):
            continue
        repaired = s.table - counted(f.value, f.flags) + f.proposed
        if math.isclose(repaired, s.value, abs_tol=1e-6) and _witness(s, fields):
            return fid
    return None


def _confirmed_by_relation(fid: str, f: FieldResult, checks: list[Check]) -> bool:
    return "unverified" not in f.flags and any(c.holds and fid in c.fields for c in checks)


def weigh(fields: dict[str, FieldResult], checks: list[Check], statements: list[Statement]) -> dict[str, FieldResult]:
    """``fields`` with the prose's statements (``table`` and ``holds`` set) used as evidence; values unchanged."""
    fields = dict(fields)
    mapped = [s for s in statements if s.holds is not None]
    _confirm(fields, mapped)
    for s in mapped:
        if s.holds:
            continue
        if fid := _repair(fields, s):
            f = fields[fid]
            fields[fid] = f.model_copy(update={"proposed_confidence": max(f.proposed_confidence or 0.0, PROSE_REPAIR),
                                               "flags": list(dict.fromkeys([*f.flags, "prose_agrees"]))})
            s.confirms.append(fid)
            continue
        for fid in s.fields:
            f = fields[fid]
            if _confirmed_by_relation(fid, f, checks) or "prose_disagrees" in f.flags:
                continue
            fields[fid] = f.model_copy(update={"needs_review": True, "confidence": min(f.confidence, DISAGREES_CAP),
                                               "flags": [*f.flags, "prose_disagrees"]})
    return fields
