"""The template aligner: segments → canonical fields, for every input form.

Each section is aligned on its own against every form that prints it, by a
monotone dynamic-programming alignment of the observed segments against the
form's sequence of rows, scored by fuzzy label similarity and by whether the
number of values fits the row. The best-scoring form of each section wins, so a
report that mixes templates is read as printed. Values are then laid onto the
row's columns by position; what cannot be placed with certainty is flagged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel
from rapidfuzz import fuzz

from .confidence import (CLOSER_MARGIN, FUZZY_LABEL, MIN_SIMILARITY, OUT_OF_ORDER, PINNED, SHORT_TAIL, SWALLOWED,
                         TAIL_DISCOUNT)
from .normalize import fold_width, label_key
from .segments import Segment, Token, is_digit_run
from .templates import SECTIONS, SectionForm, TemplateRow, section_form, templates

_MATCH_COST = 0.5
_SUFFIX_PARTS = 3
_TAIL_MIN = 4
DISTINCT_WIDTH = 10
"""A row of this many cells or more is recognised by its count of values alone when it has no rival."""
_CUTOFF = 50.0
"""Ratios (in %) below this are 0: under MIN_SIMILARITY, they never decide anything."""
HEADER_REACH = 4
"""Label-only segments looked through above a row for its column header."""
_MONEY_UNIT = re.compile(r"[(（]\s*(?:单位\s*[:：]?\s*)?(万元|元)\s*[)）]")
"""A money unit in a column header: （单位：万元）, (元)."""
_PARENS = re.compile(r"[（(][^（()）]*(?:[)）]|$)")
"""A bracketed note, or one cut short by a wrap that lost its second line (部分公开（区分处理的，只计)."""


class Reading(BaseModel):
    """One field as read from the page, before checks."""

    field: str
    token: Token | None = None
    label: str | None = None
    similarity: float = 0.0
    flags: list[str] = []
    unit: str | None = None
    form_unit: str | None = None
    """The money unit the form prints the column in (本年收费金额（单位：万元）): values come out in it."""
    signed: bool = False
    copies: list[str] = []
    """Other values printed for the field further on (a row or a section printed twice), as read."""


class DigitRun(BaseModel):
    """A row whose values ran together into one string of digits."""

    fields: list[str]
    token: Token
    signed: list[bool]


class SectionAlignment(BaseModel):
    form: SectionForm
    score: float
    matched: int
    readings: list[Reading]
    runs: list[DigitRun]
    used: dict[int, int] = {}
    """Template row (index in ``form.rows``) → the segment (index) its values were read from."""


@lru_cache(maxsize=65536)
def _keys(text: str) -> tuple[str, ...]:
    keys = {label_key(text), label_key(_PARENS.sub("", text))}
    return tuple(k for k in keys if k)


def _ratio(key: str, variant: str) -> float:
    """Fuzzy ratio; a long variant may also match the end of a key that carries a group header."""
    # a ratio is at most 2·min/(len+len): past 3× the variant's length a label is under the cutoff, so a huge
    # label costs nothing; below the cutoff a ratio never decides anything
    score = fuzz.ratio(key, variant, score_cutoff=_CUTOFF) / 100 if len(key) <= 3 * len(variant) else 0.0
    if len(variant) >= _TAIL_MIN and len(key) > len(variant):
        score = max(score, TAIL_DISCOUNT * fuzz.ratio(key[-len(variant):], variant, score_cutoff=_CUTOFF) / 100)
    elif len(key) > len(variant) and key.endswith(variant):  # a short label run into the header before it
        score = max(score, SHORT_TAIL)
    return score


def similarity(segment: Segment, row: TemplateRow) -> tuple[float, int]:
    """Best ratio of the segment's last label parts against the row's variants, and how many parts."""
    tails = tuple(segment.label_tail(parts) for parts in range(1, min(_SUFFIX_PARTS, len(segment.labels)) + 1))
    return _best_ratio(tails, tuple(row.labels))


@lru_cache(maxsize=1 << 16)
def _best_ratio(tails: tuple[str, ...], labels: tuple[str, ...]) -> tuple[float, int]:
    """`similarity` of label tails (the last part, the last two …) against a row's labels (kept:
    reports print the same labels, so the aligner asks the same pairs again and again)."""
    best, best_parts = 0.0, 1
    variants = [k for v in labels for k in _keys(v)]
    for parts, tail in enumerate(tails, start=1):
        for key in _keys(tail):
            for variant in variants:
                score = _ratio(key, variant)
                if score > best:
                    best, best_parts = score, parts
    return best, best_parts


def _fit(segment: Segment, ncols: int) -> float:
    if not segment.filled:
        return -0.1
    if is_digit_run(segment.values, ncols) or segment.filled == ncols:
        return 0.1
    if len(trim_blanks(segment.values, ncols)) == ncols:
        return 0.05
    return -0.1 * min(1.0, abs(segment.filled - ncols) / ncols)


def trim_blanks(tokens: list[Token], ncols: int) -> list[Token]:
    """Drop layout blanks: trailing ones first, then leading, while there are too many."""
    tokens = [t for t in tokens if t.kind != "unit"]
    while len(tokens) > ncols and tokens[-1].kind == "blank":
        tokens.pop()
    while len(tokens) > ncols and tokens[0].kind == "blank":
        tokens.pop(0)
    return tokens


def _dp(segments: list[Segment], rows: list[TemplateRow]) -> list[tuple[int, int, float]]:
    """Monotone alignment maximising the summed match weight: [(segment, row, similarity)]."""
    n, m = len(segments), len(rows)
    weight: dict[tuple[int, int], tuple[float, float]] = {}
    for i, seg in enumerate(segments):
        if not seg.labels or not any(t.kind != "unit" for t in seg.values):
            continue
        for j, row in enumerate(rows):
            sim, _ = similarity(seg, row)
            if sim >= MIN_SIMILARITY:
                weight[i, j] = (sim + _fit(seg, len(row.columns)) - _MATCH_COST, sim)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            if (i - 1, j - 1) in weight:
                best = max(best, score[i - 1][j - 1] + weight[i - 1, j - 1][0])
            score[i][j] = best
    pairs = []
    i, j = n, m
    while i and j:
        w = weight.get((i - 1, j - 1))
        if w and abs(score[i][j] - (score[i - 1][j - 1] + w[0])) < 1e-12:
            pairs.append((i - 1, j - 1, w[1]))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def label_keys(segments: list[Segment]) -> set[str]:
    """The keys of every label of the document's segments (as printed, and without its brackets)."""
    return {k for s in segments for c in s.labels for k in _keys(c.text)}


def _signature(form: SectionForm, doc_keys: set[str]) -> float:
    """Share of the form's column headers found among (or inside) the document's labels."""
    labels = form.column_labels
    if not labels or not doc_keys:
        return 0.0
    found = sum(
        any((len(k) >= 4 and k in d) or fuzz.ratio(k, d, score_cutoff=80) >= 80 for k in _keys(label) for d in doc_keys)
        for label in labels
    )
    return found / len(labels)


def _readings(row: TemplateRow, segment: Segment | None, sim: float) -> tuple[list[Reading], list[DigitRun]]:
    ncols = len(row.columns)
    label = segment.label_tail(similarity(segment, row)[1]) if segment else None
    base = dict(label=label, similarity=sim)
    readings = [
        Reading(field=f, unit=c.unit or row.unit, form_unit=c.unit if c.money else None, signed=c.signed, **base)
        for f, c in zip(row.fields, row.columns)
    ]
    if segment is None:
        for r in readings:
            r.flags.append("missing")
        return readings, []
    units = [t.value.unit for t in segment.values if t.kind == "unit"]
    if units:
        for r in readings:
            r.unit = units[0]
    if sim < FUZZY_LABEL:
        for r in readings:
            r.flags.append("fuzzy_label")
    if segment.continued:
        for r in readings:
            r.flags.append("values_after_blank_row")
    if is_digit_run(segment.values, ncols):
        token = next(t for t in segment.values if t.kind in ("value", "run"))
        return readings, [DigitRun(fields=row.fields, token=token, signed=[c.signed for c in row.columns])]
    tokens = trim_blanks(segment.values, ncols)
    if tokens and len(tokens) != ncols and all(t.kind == "blank" for t in tokens):
        tokens = [min(tokens, key=lambda t: t.cell.score)] * ncols  # a row printed blank: as sure as its least
    short, extra = len(tokens) < ncols, len(tokens) > ncols
    # more cells than columns, cut down to blanks at the start: which of them was layout is a guess
    extra |= bool(tokens) and tokens[0].kind == "blank" and sum(t.kind != "unit" for t in segment.values) > ncols
    for k, r in enumerate(readings):
        r.token = tokens[k] if k < len(tokens) else None
        if r.token is None:
            r.flags.append("missing")
        elif short:
            r.flags.append("short_row")
        if extra:
            r.flags.append("extra_values")
    return readings, []


def _swallowed_neighbour(segment: Segment, j: int, rows: list[TemplateRow], matched: set[int]) -> bool:
    """Whether the label part just before the one matched is the label of an unmatched neighbouring
    row: two rows' labels ran into one and only one row's values may be here."""
    used = similarity(segment, rows[j])[1]
    if len(segment.labels) <= used or segment.own == used:
        return False  # the part before stands in a row above the values' own: a row printed blank
    before = Segment(labels=[segment.labels[-used - 1]])
    return any(0 <= k < len(rows) and k not in matched and similarity(before, rows[k])[0] >= SWALLOWED
               for k in (j - 1, j + 1))


def _closer_to_another_row(segment: Segment, j: int, sim: float, rows: list[TemplateRow]) -> bool:
    """Whether the label read matches another row of the form better than the row it was aligned to:
    a label out of its place (or cut) that the monotone alignment gave to a look-alike row (上年结转 for
    本年新收); its values may be the other row's, and the relations cannot tell when they are symmetric."""
    return any(k != j and similarity(segment, row)[0] > sim + CLOSER_MARGIN for k, row in enumerate(rows))


def width_names(rows: list[TemplateRow], j: int, segment: Segment) -> bool:
    """Whether exactly as many value cells as row ``j`` has name it (numbers, and cells printed blank
    between them): a count of at least DISTINCT_WIDTH that no other row of the form has (the appeals
    row of 15 under a scrambled header)."""
    width = len(rows[j].columns)
    return (len(trim_blanks(segment.values, width)) == width >= DISTINCT_WIDTH
            and all(len(r.columns) != width for k, r in enumerate(rows) if k != j))


def _out_of_order(segments: list[Segment], rows: list[TemplateRow],
                  pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Rows the ordered pass left empty, given the one unused segment with values whose label is theirs
    beyond doubt (or whose count of values only that row has): a block moved in the reading order (a
    converter's table printed after the rest of its section), a header scrambled by a converter above
    its row. A segment as close to another empty row, or a row with two such segments, stays apart."""
    used_rows, used_segments = {j for _, j, _ in pairs}, {i for i, _, _ in pairs}
    free = [j for j in range(len(rows)) if j not in used_rows]
    found: dict[int, list[tuple[int, float]]] = {}
    for i, seg in enumerate(segments):
        if i in used_segments or not seg.labels or not seg.filled:
            continue
        close = [(j, sim) for j in free if (sim := similarity(seg, rows[j])[0]) >= OUT_OF_ORDER]
        close += [(j, OUT_OF_ORDER) for j in free if j not in dict(close) and width_names(rows, j, seg)]
        if len(close) == 1:
            found.setdefault(close[0][0], []).append((i, close[0][1]))
    return [(hits[0][0], j, hits[0][1]) for j, hits in found.items() if len(hits) == 1]


def header_unit(segments: list[Segment], i: int) -> str | None:
    """The money unit the column header above segment ``i`` prints (本年收费金额（单位：元）,
    采购总金额（万元）): the header is in the labels run into the row's, or in the label-only
    segments just before it."""
    for k in range(i, max(-1, i - HEADER_REACH - 1), -1):
        seg = segments[k]
        if k < i and seg.filled:
            return None  # the row before: past the header
        for cell in reversed(seg.labels):
            if m := _MONEY_UNIT.search(fold_width(cell.text)):
                return m.group(1)
    return None


def _pinned(ordered: list[tuple[int, int, float]], segments: list[Segment]) -> set[int]:
    """Rows matched with a loose label that two exact anchors pin down: between the anchors, as many
    rows of values as the form has rows, each in its place (a label a converter wrapped or cut)."""
    rows_of_values = [i for i, s in enumerate(segments) if s.labels and s.values]
    place = {i: k for k, i in enumerate(rows_of_values)}
    anchors = [(i, j) for i, j, sim in ordered if sim >= OUT_OF_ORDER and i in place]
    out: set[int] = set()
    for (ia, ja), (ib, jb) in zip(anchors, anchors[1:]):
        if place[ib] - place[ia] == jb - ja:
            out |= {j for i, j, sim in ordered
                    if ja < j < jb and sim < OUT_OF_ORDER and place.get(i, -1) - place[ia] == j - ja}
    return out


def align_section(segments: list[Segment], form: SectionForm, doc_keys: set[str]) -> SectionAlignment:
    ordered = _dp(segments, form.rows)
    by_segment, loose = {j: i for i, j, _ in ordered}, {j: sim for _, j, sim in ordered}
    pinned = {j for j in _pinned(ordered, segments)
              if not _closer_to_another_row(segments[by_segment[j]], j, loose[j], form.rows)}
    ordered = [(i, j, PINNED if j in pinned else sim) for i, j, sim in ordered]
    pairs = ordered + _out_of_order(segments, form.rows, ordered)
    by_row = {j: (i, sim) for i, j, sim in pairs}
    readings: list[Reading] = []
    runs: list[DigitRun] = []
    for j, row in enumerate(form.rows):
        i, sim = by_row.get(j, (None, 0.0))
        rs, rn = _readings(row, segments[i] if i is not None else None, sim)
        if i is not None and (unit := header_unit(segments, i)):
            for r, c in zip(rs, row.columns):
                if c.money:
                    r.unit = unit
        if i is not None and _swallowed_neighbour(segments[i], j, form.rows, set(by_row)):
            for r in rs:
                r.flags.append("merged_labels")
        if i is not None and _closer_to_another_row(segments[i], j, sim, form.rows):
            for r in rs:
                r.flags.append("label_of_another_row")
        readings += rs
        runs += rn
    score = sum(sim + _fit(segments[i], len(form.rows[j].columns)) - _MATCH_COST for i, j, sim in ordered)
    score += 2.0 * _signature(form, doc_keys)
    return SectionAlignment(form=form, score=score, matched=len(pairs), readings=readings, runs=runs,
                            used={j: i for j, (i, _) in by_row.items()})


def forms_of(section: str) -> list[SectionForm]:
    """Every distinct printed form of ``section``, named by the first template that prints it."""
    forms: list[SectionForm] = []
    for tid in templates():
        form = section_form(section, tid)
        if form and all(f.rows != form.rows for f in forms):
            forms.append(form)
    return forms


def align(segments: list[Segment]) -> dict[str, SectionAlignment]:
    """The best alignment of every section, keyed by section."""
    doc_keys = label_keys(segments)
    best: dict[str, SectionAlignment] = {}
    for section in SECTIONS:
        for form in forms_of(section):
            result = align_section(segments, form, doc_keys)
            if section not in best or result.score > best[section].score:
                best[section] = result
    return best
