"""Readings → checked fields: values, relations, proposals, confidence and flags.

Confidence starts from how the value was found (label similarity, how cleanly the
cell parsed, the reading score of the cell) and is then moved by the relations the
field takes part in: a broken one caps it and flags the field, holding ones raise it.
A value read is kept, and a correction that one cell (or a few) explains is *proposed* beside it —
unless the proposal is the reader's own second reading of the cell, which then becomes the value,
still flagged (`_take_second_readings`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal

from pydantic import BaseModel

from .align import DigitRun, Reading
from .confidence import (AMBIGUOUS_SPLIT, BROKEN_CAP, DOT_GROUPED, ECHO_SURE, FLAGGED_CAP, FRACTIONAL_COUNT, INFO_FLAGS,
                         LABEL_SURE, NEGATIVE_COUNT, PLACEHOLDER_CELL, PROPOSAL_MANY,
                         PROPOSAL_ONE, REVIEW_BELOW, RIVAL_READING, SPLIT_CAP, STRAY_INK, UNCONFIRMED_SPLIT, ZERO_SURE,
                         raised)
from .digitruns import MAX_CANDIDATES, cuts, holds, plausibility, side_sum, solve, within_row
from .models import Check, FieldResult
from .normalize import fold_width
from .templates import Relation
from .values import parse_value, whole

MONEY = {"元": Decimal(1), "万元": Decimal(10000)}
"""Money units and their size in 元: an amount printed in one is converted to the form's."""
_DOT_GROUPED = re.compile(r"^\+?\d{1,3}(?:\.\d{3})+$")
"""A count's thousands grouped by dots (3.818, 1.204.000): a comma a scan's reading took for a dot,
or a grouping some print with; a count has no fraction, so never the decimal it would be."""
MOST_MISREADS = 4
"""The most cells one proposal corrects together: a seal across a table leaves a few misreads in two
rows and two columns; more than that is no longer a few slips that the relations can pin down."""


class Cellular(BaseModel):
    """A field's value with what it was read from, while checks run."""

    value: int | float | None = None
    raw: str | None = None
    unit: str | None = None
    confidence: float = 0.0
    flags: list[str] = []
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    label: str | None = None
    derived_from: list[str] = []
    alternative: str | None = None
    image: str | None = None
    copies: list[str] = []
    veiled: bool = False
    """A ruled cell read blank under a seal's ink, which may hide print (scored `SEAL_CAP`, above a
    blank with a stray mark and below a sure one)."""

    @property
    def checked(self) -> int | float | None:
        return counted(self.value, self.flags)


def counted(value: int | float | None, flags: list[str]) -> int | float | None:
    """The value relations are evaluated with: a cell printed blank or as a dash counts as 0
    there (it stays null in the output); a cell not found is unknown."""
    if value is None and {"blank", "printed_blank", "placeholder"} & set(flags):
        return 0
    return value


def _from_reading(r: Reading) -> Cellular:
    c = Cellular(unit=r.unit, flags=list(r.flags), label=r.label, copies=r.copies)
    label_conf = 1.0 if r.similarity >= LABEL_SURE else r.similarity
    t = r.token
    if t is None:
        return c
    c.raw, c.page, c.bbox, c.image, c.alternative = t.value.raw, t.cell.page, t.cell.bbox, t.cell.image, \
        t.cell.alternative
    parse_conf = 1.0
    if t.kind == "blank" and t.cell.boxed and t.cell.score >= REVIEW_BELOW:
        c.flags.append("printed_blank")  # a real cell with nothing in it: null, as printed
    elif t.kind == "blank":
        c.flags.append("blank")
        c.veiled = t.cell.boxed and t.cell.score > STRAY_INK
        parse_conf = 1.0 if c.veiled else 0.0  # the flag reviews it; `_blank_row` may clear it
    elif t.value.kind == "placeholder":
        c.flags.append("placeholder")
        parse_conf = PLACEHOLDER_CELL
    elif t.value.number is None:  # a value slot whose text is no number (1.2.3, a 400-digit string): never silent
        c.flags.append("unparsed")
        parse_conf = 0.0
    else:
        c.value = t.value.number
        c.unit = t.value.unit if t.value.unit and t.value.unit not in ("件", "条") else c.unit
        _to_form_unit(c, r.form_unit)
        if isinstance(c.value, (int, float)) and c.value < 0 and not r.signed:
            c.flags.append("negative")
            parse_conf = NEGATIVE_COUNT
        printed = fold_width(t.value.raw).strip()
        if isinstance(c.value, float) and c.unit is None and _DOT_GROUPED.match(printed):
            c.value = int(printed.replace(".", ""))  # 3.818: a count, its thousands grouped
            c.flags.append("dot_grouping")
            parse_conf = DOT_GROUPED
        elif isinstance(c.value, float) and c.unit is None and not c.value.is_integer():
            c.flags.append("not_integer")
            parse_conf = FRACTIONAL_COUNT
    c.confidence = min(label_conf, parse_conf, t.cell.score)
    if c.value is not None and _alternative_number(c) not in (None, c.value):
        c.confidence = min(c.confidence, RIVAL_READING)  # the reader's second reading is another number
    return c


def _to_form_unit(c: Cellular, form_unit: str | None) -> None:
    """An amount printed in another money unit than the form's (7644100 under 本年收费金额（单位：元）)
    comes out in the form's, flagged ``converted_unit:<printed unit>``; one in a unit that is no money
    unit cannot be converted and is flagged ``unknown_unit``."""
    if form_unit is None or c.unit in (None, form_unit) or not isinstance(c.value, (int, float)):
        return
    if c.unit not in MONEY:
        c.flags.append("unknown_unit")
        return
    amount = Decimal(str(c.value)) * MONEY[c.unit] / MONEY[form_unit]
    c.value = int(amount) if amount == amount.to_integral_value() else float(amount)
    c.flags.append(f"converted_unit:{c.unit}")
    c.unit = form_unit


def _cuts_of(run: DigitRun, parts: int):
    """The cuts of a run into its row's cells, or into fewer (a sign then allowed in any of them)."""
    signed = run.signed if parts == len(run.fields) else [any(run.signed)] * parts
    return cuts(run.token.value.raw.strip(), parts, signed)


def _reads_short(run: DigitRun) -> bool:
    """Whether the run also reads as one cell fewer than its row's: a cell may have been lost from it."""
    return next(_cuts_of(run, len(run.fields) - 1), None) is not None


def _resolve_runs(runs: list[DigitRun], cells: dict[str, Cellular], relations: list[Relation]) -> None:
    """Split every digit run; a split is trusted only where a relation confirms it."""
    if not runs:
        return
    prepared = []
    for run in runs:
        candidates = list(itertools.islice(_cuts_of(run, len(run.fields)), MAX_CANDIDATES))
        candidates = within_row(run.fields, candidates, relations) or candidates
        prepared.append((run.fields, sorted(candidates, key=plausibility)))
    fixed = {f: c.checked for f, c in cells.items()}
    solutions, complete = solve(prepared, fixed, relations)
    undecided = {f for fields, cands in prepared if len(cands) > 1 for f in fields}
    if not solutions:  # the report's own sums are broken somewhere: each run on its own
        solutions = [{f: v for fields, cands in prepared if cands for f, v in zip(fields, cands[0])}]
        ambiguous = undecided
    elif not complete:  # the search stopped early: only what each run's own row decides is certain
        ambiguous = undecided
    else:
        ambiguous = {f for f in solutions[0] if len({s[f] for s in solutions}) > 1}
    if any("blank" in c.flags for c in cells.values()):
        # a row seen with no number where the form prints one: cells printed blank vanish from a run
        # without a trace, so a cut is not certain where the run also reads as one cell fewer
        ambiguous |= {f for run in runs if _reads_short(run) for f in run.fields}
    chosen = solutions[0]
    # one way to cut it, and none into a cell fewer (a lost cell would leave that): certain
    unique = {f for run, (fields, cands) in zip(runs, prepared) if len(cands) == 1 and not _reads_short(run)
              for f in fields}
    values = {**fixed, **chosen}
    for run in runs:
        for f in run.fields:
            c = cells[f]
            c.raw, c.page, c.bbox, c.image = (run.token.value.raw, run.token.cell.page, run.token.cell.bbox,
                                              run.token.cell.image)
            if f not in chosen:
                c.flags.append("unsplittable_run")
                c.confidence = 0.0
                continue
            c.value = chosen[f]
            confirmed = any(holds(r, values) for r in relations if f in r.fields) or f in unique
            if f in ambiguous:
                c.flags.append("ambiguous_split")
                c.confidence = AMBIGUOUS_SPLIT
            elif confirmed:
                c.flags.append("split_from_run")
                c.confidence = min(c.confidence or 1.0, SPLIT_CAP, run.token.cell.score)
            else:
                c.flags.append("unconfirmed_split")
                c.confidence = UNCONFIRMED_SPLIT


def _sum(fields: list[str], cells: dict[str, Cellular]) -> float | None:
    return side_sum(fields, {f: cells[f].checked for f in fields if f in cells})


def evaluate(relations: list[Relation], cells: dict[str, Cellular]) -> list[Check]:
    checks = []
    for rel in relations:
        values = {f: cells[f].checked for f in rel.fields if f in cells}
        checks.append(Check(name=rel.name, equation=rel.equation, holds=holds(rel, values),
                            lhs=side_sum(rel.lhs, values), rhs=side_sum(rel.rhs, values), fields=rel.fields))
    return checks


def _sources(field: str, cells: dict[str, Cellular]) -> list[str]:
    c = cells.get(field)
    return c.derived_from if c and c.derived_from else [field]


def _alternative_number(c: Cellular | None) -> int | float | None:
    if c is None or not c.alternative:
        return None
    v = parse_value(c.alternative)
    return v.number if v.kind == "number" else None


def _fix(f: str, rel: Relation, cells: dict[str, Cellular]) -> float | None:
    """The value of ``f`` that makes ``rel`` hold, the other cells as read (a blank as 0); None if none can."""
    cell = cells.get(f)
    if cell is None or cell.checked is None or cell.derived_from:
        return None
    other = _sum([x for x in rel.lhs if x != f], cells) if f in rel.lhs else _sum([x for x in rel.rhs if x != f], cells)
    side = _sum(rel.rhs, cells) if f in rel.lhs else _sum(rel.lhs, cells)
    if other is None or side is None:
        return None
    value = side - other
    return None if value < 0 or value == cell.checked else value


def _holding(fixes: dict[str, float], relations: list[Relation], cells: dict[str, Cellular]) -> bool:
    """Whether every relation the fixed cells are in holds (or lacks a value) with ``fixes`` in place."""
    trial = {**cells, **{f: cells[f].model_copy(update={"value": v}) for f, v in fixes.items()}}
    involved = [r for r in relations if any(f in r.fields for f in fixes)]
    return all(c.holds is not False for c in evaluate(involved, trial))


def _propose(relations: list[Relation], checks: list[Check], cells: dict[str, Cellular]) -> dict[str, float]:
    """Cells whose corrected values would make every broken relation hold: the one cell that can,
    or, when several can, the one whose second-best reading (OCR) is that value, if exactly one is;
    failing one cell, the one smallest group of cells that can (`_propose_several`)."""
    broken = [r for r, c in zip(relations, checks) if c.holds is False]
    if not broken:
        return {}
    singles = {}
    for f in set.intersection(*(set(r.fields) for r in broken)):
        value = _fix(f, broken[0], cells)
        if value is not None and _holding({f: value}, relations, cells):
            singles[f] = whole(value)
    if not singles:
        return _propose_several(relations, broken, cells)
    if len(singles) > 1:
        singles = {f: v for f, v in singles.items() if _alternative_number(cells.get(f)) == v}
    return singles if len(singles) == 1 else {}


def _propose_several(relations: list[Relation], broken: list[Relation], cells: dict[str, Cellular]
                     ) -> dict[str, float]:
    """A few misread cells in one table (a seal across two rows and two columns): the smallest group
    of cells, at most `MOST_MISREADS`, whose corrections (`_peeled`) make every broken relation hold —
    kept only if exactly one group of that size can. A group of n cells needs n + 1 broken relations
    at least: n settle its values, the others check them, so a group that fits by chance is as
    unlikely as one cell that does."""
    mine = {f: sum(1 << i for i, r in enumerate(broken) if f in r.fields) for r in broken for f in r.fields}
    names = sorted(mine)
    for size in range(2, min(MOST_MISREADS, len(broken) - 1) + 1):
        groups = []
        for chosen in _covers([mine[f] for f in names], size, (1 << len(broken)) - 1):
            group = tuple(names[k] for k in chosen)
            fixes = _peeled(group, broken, cells)
            if fixes is not None and _holding(fixes, relations, cells):
                groups.append(fixes)
        if groups:
            return {f: whole(v) for f, v in groups[0].items()} if len(groups) == 1 else {}
    return {}


def _covers(masks: list[int], size: int, everything: int) -> Iterator[tuple[int, ...]]:
    """Every ``size`` of the ``masks`` (the broken relations each cell is in, as bits) that together
    are in all of them (``everything``), as their indices in order; a branch is left as soon as its
    cells to come, each in as many relations as the widest, could not make up what it misses."""
    widest = max(m.bit_count() for m in masks)

    def grow(start: int, chosen: tuple[int, ...], covered: int) -> Iterator[tuple[int, ...]]:
        left = size - len(chosen)
        if left == 0:
            if covered == everything:
                yield chosen
            return
        if (everything & ~covered).bit_count() > left * widest:
            return
        for k in range(start, len(masks) - left + 1):
            yield from grow(k + 1, (*chosen, k), covered | masks[k])

    return grow(0, (), 0)


def _peeled(group: tuple[str, ...], broken: list[Relation], cells: dict[str, Cellular]) -> dict[str, float] | None:
    """The values of ``group``'s cells found one at a time: a cell is settled by the broken relations
    in which it is the only one of the group still unknown (all of them agreeing), the cells settled
    before it in place. None when some cell is never settled so."""
    fixes: dict[str, float] = {}
    while len(fixes) < len(group):
        trial = {**cells, **{f: cells[f].model_copy(update={"value": v}) for f, v in fixes.items()}}
        found = {}
        for f in (f for f in group if f not in fixes):
            alone = frozenset(i for i, r in enumerate(broken)
                              if f in r.fields and all(g == f or g in fixes for g in group if g in r.fields))
            if alone:
                found[f] = _settled(f, alone, broken, trial)
        if not found or None in found.values():
            return None
        fixes.update(found)
    return fixes


def _settled(f: str, own: frozenset[int], broken: list[Relation], cells: dict[str, Cellular]) -> float | None:
    """The one value of ``f`` that makes each broken relation in ``own`` hold; None when they disagree
    or one cannot."""
    values = {_fix(f, broken[i], cells) for i in own}
    return values.pop() if len(values) == 1 and None not in values else None


def _echo(field: str, fields: list[str], cells: dict[str, Cellular]) -> bool:
    """Whether a relation that holds checks nothing of how ``field`` was read: one other cell repeats
    its value and every other cell is 0 (a total over one non-zero term), so the same misreading of
    both (7 read as 1 twice) keeps it holding — unless both readings are sure (`ECHO_SURE`: a text
    layer, a clean scan). It then neither confirms nor clears the field."""
    value = cells[field].checked
    others = {f: cells[f].checked for f in fields if f != field and f in cells}
    partners = [f for f, o in others.items() if o == value]
    if not value or len(partners) != 1 or any(o not in (0, value) for o in others.values()):
        return False
    return min(cells[field].confidence, cells[partners[0]].confidence) < ECHO_SURE


def _spared(field: str, members: list[tuple[Check, set[str]]], broken: set[str], cells: dict[str, Cellular]
            ) -> bool:
    """Whether the broken relations ``field`` is in are no reason to doubt it: it is a 0 read surely
    (`ZERO_SURE`), in a relation that holds whose every cell was read as surely and whose every other
    number is in no broken relation (a misreading, or a value moved within it, would break it or
    another), and each broken relation it is in contains a cell read unsurely, or not at all, that
    accounts for the break. ``members``: each check with the cells it reads; ``broken``: the cells of
    the broken ones."""
    def sure(f: str) -> bool:
        c = cells.get(f)
        return (c is not None and c.checked is not None and c.confidence >= ZERO_SURE and not c.derived_from
                and (c.checked == 0 or f not in broken))

    def suspect(f: str) -> bool:
        c = cells.get(f)
        return c is None or c.checked is None or c.confidence < REVIEW_BELOW

    if not sure(field) or cells[field].checked != 0:
        return False
    mine = [(c, fs) for c, fs in members if field in fs]
    return (any(c.holds is True and all(sure(f) for f in fs) for c, fs in mine)
            and all(any(suspect(f) for f in fs - {field}) for c, fs in mine if c.holds is False))


def _blank_row(field: str, members: list[tuple[Check, set[str]]], broken: set[str], cells: dict[str, Cellular]
               ) -> bool:
    """Whether a cell seen empty under a seal (``veiled``) is blank as printed: it is in no broken
    relation, and in one that holds whose every other cell was read blank too, one at least surely
    (`printed_blank`): a row printed blank, which a report prints whole (a number hidden in it would
    break the row's total, a 0 would be printed where the rest of its row is not)."""
    def empty(f: str) -> bool:
        c = cells.get(f)
        return c is not None and c.value is None and bool({"printed_blank", "blank"} & set(c.flags))

    if field in broken:
        return False
    return any(check.holds is True and all(empty(f) for f in fs - {field})
               and any("printed_blank" in cells[f].flags for f in fs - {field})
               for check, fs in members if field in fs)


def _take_second_readings(proposals: dict[str, float], cells: dict[str, Cellular]) -> set[str]:
    """Take as the value a scanned cell's second reading where it is what the relations propose: the
    reader saw that number too, and the arithmetic asks for it and no other (a seal's ring that made a
    0 read 6, with 0 second). The field stays flagged (``second_reading``), its first reading in
    ``raw``. The cells taken, whose proposals are now their values."""
    taken = {f for f, v in proposals.items() if _alternative_number(cells[f]) == v}
    for f in taken:
        cells[f].value = proposals[f]
        cells[f].flags.append("second_reading")
    return taken


def derived_value(rule: Relation, cells: dict[str, Cellular]) -> float | None:
    """A derived field's value: the sum of its sources, a source printed blank counting as 0."""
    return _sum(rule.rhs, cells)


def derive(derived: list[Relation], cells: dict[str, Cellular]) -> None:
    for rule in derived:
        target = rule.lhs[0]
        total = derived_value(rule, cells)
        cells[target] = Cellular(
            value=total, flags=["derived"] + (["missing"] if total is None else []),
            confidence=min([cells[f].confidence for f in rule.rhs if f in cells] or [0.0]),
            derived_from=rule.rhs, label=None,
        )


def finish(
    readings: list[Reading],
    runs: list[DigitRun],
    relations: list[Relation],
    derived: list[Relation],
    forced: dict[str, Cellular] | None = None,
) -> tuple[dict[str, FieldResult], list[Check]]:
    """Check every field and build the output records."""
    cells = {r.field: _from_reading(r) for r in readings}
    cells.update(forced or {})
    _resolve_runs(runs, cells, relations)
    derive(derived, cells)
    checks = evaluate(relations, cells)
    proposals = _propose(relations, checks, cells)
    if taken := _take_second_readings(proposals, cells):
        proposals = {f: v for f, v in proposals.items() if f not in taken}
        derive(derived, cells)
        checks = evaluate(relations, cells)
    # With a proposal, one cell (or one group) explains every broken relation: the others in them are
    # judged by the relations as they are with the proposal in place (see docs/confidence.md, "Proposals").
    explained: dict[str, list[bool | None]] = {}
    if proposals:
        trial = {**cells, **{f: cells[f].model_copy(update={"value": v}) for f, v in proposals.items()}}
        for check in evaluate(relations, trial):
            for f in {s for field in check.fields for s in _sources(field, cells)}:
                explained.setdefault(f, []).append(check.holds)
    members = [(check, {s for field in check.fields for s in _sources(field, cells)}) for check in checks]
    broken = set().union(*(fs for check, fs in members if check.holds is False))
    in_relations: dict[str, list[bool | None]] = {}
    for check, fs in members:
        for f in fs:
            echo = check.holds and f in check.fields and _echo(f, check.fields, cells)
            in_relations.setdefault(f, []).append(None if echo else check.holds)
            if check.holds is False and f in cells:
                cells[f].flags.append(f"relation:{check.name}")
    blank_rows = {f for f, c in cells.items() if c.veiled and _blank_row(f, members, broken, cells)}
    out = {}
    for f, c in cells.items():
        held = in_relations.get(f, [])
        conf = c.confidence
        # the proposal clears a cell only where a relation that holds as printed (its column sum) checks it too
        if (False in held and True in held and f not in proposals and f in explained
                and False not in explained[f]):
            held = explained[f]
            c.flags = [x for x in c.flags if not x.startswith("relation:")] + ["explained_by_proposal"]
        if f in blank_rows:  # its row's total, seen blank, confirms it whatever else lacks a value
            c.flags = [x for x in c.flags if x != "blank"] + ["blank_row"]
            held = [True]
        if False in held and _spared(f, members, broken, cells):
            held = [h for h in held if h is not False]
            c.flags = [x for x in c.flags if not x.startswith("relation:")] + ["row_confirms"]
        if False in held:
            conf = min(conf, BROKEN_CAP)
        elif held and all(h is True for h in held):
            conf = raised(conf)
        elif held and all(h is None for h in held) and c.value is not None:
            c.flags.append("unverified")  # every relation it is in lacks a value: nothing confirms it
        flags = list(dict.fromkeys(c.flags))
        restores: list[str] = []
        proposal_conf = None
        if f in proposals:  # with the other proposal, if any, it makes every broken relation hold (see _propose)
            flags.append("proposed_correction")
            restores = [c.name for c in checks if c.holds is False and f in c.fields]
            proposal_conf = PROPOSAL_MANY if len(restores) > 1 else PROPOSAL_ONE
        review = conf < REVIEW_BELOW or any(x.partition(":")[0] not in INFO_FLAGS for x in flags)
        if review:
            conf = min(conf, FLAGGED_CAP)
            if all(x.partition(":")[0] in INFO_FLAGS for x in flags):
                flags.append("low_confidence")  # flagged by its confidence alone: every flagged field says why
        out[f] = FieldResult(
            value=c.value, raw=c.raw, unit=c.unit, confidence=round(max(0.0, min(1.0, conf)), 4),
            needs_review=review, flags=flags, page=c.page, bbox=c.bbox, image=c.image, proposed=proposals.get(f),
            proposed_confidence=proposal_conf, restores=restores, alternative=c.alternative,
            label=c.label, derived=bool(c.derived_from), copies=c.copies,
        )
    for f, c in cells.items():  # a derived field is as unsure as its least sure source, once checked
        if c.derived_from and any(out[s].needs_review for s in c.derived_from if s in out):
            out[f].needs_review = True
            out[f].confidence = min(out[f].confidence, FLAGGED_CAP)
            out[f].flags.append("unsure_source")
    return out, checks
