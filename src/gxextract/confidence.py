"""The confidence policy: every number that sets, caps or raises a confidence or decides whether a
field goes to review, named once here with its reason, and the couplings between them checked.

docs/confidence.md prints these numbers (`policy_table`); a test keeps the two the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Review
REVIEW_BELOW = 0.9
"""A field less sure than this is flagged for review."""
FLAGGED_CAP = 0.85
"""A field flagged for review is never more sure than this: confidence ≥ REVIEW_BELOW means unflagged."""
INFO_FLAGS = {"derived", "dot_grouping", "split_from_run", "forced_zero", "explained_by_proposal", "printed_blank",
              "blank_row", "row_confirms", "prose_confirmed", "converted_unit", "cross_year_confirmed"}
"""Flags that inform and call for no review; any other flag sends its field to review."""
UNSURE_FLAGS = frozenset({"fuzzy_label", "low_confidence", "ambiguous_split", "unconfirmed_split", "short_row",
                          "extra_values", "merged_labels", "label_of_another_row", "values_after_blank_row",
                          "unverified"})
"""Flags that say a value may be misplaced or misread, not that it is wrong or absent: what an
independent reading of the same number settles. A broken relation, a blank, a dash, a row printed
twice or a derived value is not settled by one sentence."""

# Labels: how close a row's printed label is to the form's (a similarity in [0, 1])
MIN_SIMILARITY = 0.6
"""Below this a segment's label is not taken for a template row at all."""
FUZZY_LABEL = 0.8
"""Below this a match is kept but its fields are flagged for review (fuzzy_label)."""
LABEL_SURE = 0.95
"""A label matched this closely counts as exact (label confidence 1.0); below it the similarity is the confidence."""
TAIL_DISCOUNT = 0.97
"""A label matched only by the end of a longer one (a group header run into it) is this much less similar."""
SHORT_TAIL = 0.88
"""A short label (规章) found only at the end of a longer one: matched, but below review confidence."""
OUT_OF_ORDER = 0.95
"""A segment left over by the ordered pass fills an empty row only with a label this close to it."""
PINNED = 1.0
"""A loose label pinned between two exact ones, every row in its place, is as sure as an exact one."""
SWALLOWED = 0.9
"""A label part this close to an unmatched neighbouring row's label means two rows ran together (merged_labels)."""
CLOSER_MARGIN = 0.02
"""A matched label this much closer to another row of the form is flagged (label_of_another_row)."""
COPY_LABEL = OUT_OF_ORDER
"""A segment whose label matches a row this closely is that row printed again (printed_twice)."""

# Cells: how cleanly the value parsed and how sure its reading is
PLACEHOLDER_CELL = 0.3
"""A placeholder (—, /, 无) read as written: no number to check."""
NEGATIVE_COUNT = 0.3
"""A count read below zero: a sign misread or a value out of place."""
FRACTIONAL_COUNT = 0.5
"""A count read with a fraction: a separator misread as a decimal point, or a value out of place."""
DOT_GROUPED = 0.85
"""A count whose thousands a dot groups (3.818 read as 3818): the only count it can be, but a dot
is also what a misread stray mark looks like; accepted when its relations hold."""
UNCLEAN_SCORE = 0.5
"""A text layer's cell read unclean (overlapping characters, text across a rule, two numbers in one cell)."""
STRAY_INK = 0.5
"""A scanned cell with no line in it but a mark too small to read (a dash, a broken digit): never a sure blank."""
SEAL_CAP = 0.85
"""The most a scanned reading scores with a seal stroke over it."""
SEALED_ZERO = 0.5
"""The most a 0 scores that only a reading as a number finds under a seal's characters (read as
words): the cell may have been printed blank, so it is reviewed even when its relations hold."""
SEAL_PENALTY = 0.25
"""A seal over a reading lowers its score by the share of the box it covers, by at most this."""
FOLDED_GLYPH = 0.9
"""A reading whose letters were folded into the digits they look like (O as 0) scores this much of its own."""
MALFORMED_NUMBER = 0.5
"""The most a numeric cell scores when its digit reading is no well-formed number."""
AGREED = REVIEW_BELOW - 0.01
"""A scanned cell two independent recognizers read alike: just unsure, so that its relations decide."""
RIVAL_READING = REVIEW_BELOW - 0.01
"""A cell whose reader's second reading is another number (a 9 read 4, with 9 second): just unsure,
so that its relations decide; a field no relation checks (section 二's) is reviewed."""
UNSURE_COLUMN = 0.5
"""A space-aligned cell whose column is not certain: under review even when every relation it is in holds."""

# Relations
BROKEN_CAP = 0.3
"""A field in a broken relation is at most this sure: one of the relation's values is wrong."""
ZERO_SURE = 0.99
"""A 0 read this surely is not put in doubt by a broken relation that contains a cell read unsurely (that
cell accounts for the break) where a relation that holds confirms it: every cell of it read as surely,
none of its numbers in a broken relation (else a seal's misread sends its column's zeros to review)."""
HOLD_GAIN = 0.7
"""The share of its distance to 1 a field gains when every relation it is in holds."""
ECHO_SURE = 0.99
"""Two readings this sure that repeat one value are not taken for the same misreading twice."""
SPLIT_CAP = 0.97
"""A value cut from a run of digits and confirmed by a relation: never quite as sure as a cell read alone."""
UNCONFIRMED_SPLIT = 0.5
"""A value cut from a run of digits that no relation confirms."""
AMBIGUOUS_SPLIT = BROKEN_CAP
"""A run of digits that cuts several valid ways: as unsure as a field of a broken relation."""

# Proposals: how sure a proposed correction is (FieldResult.proposed_confidence)
PROPOSAL_ONE = 0.5
"""The arithmetic of one broken relation alone."""
PROPOSAL_MANY = 0.8
"""The arithmetic of several broken relations, which cross at one cell only."""

# The prose as a witness
CONFIRMED = 0.92
"""A doubtful value an independent reading states too (the prose, another year): sure enough not to review."""
DISAGREES_CAP = 0.5
"""A value the prose contradicts and nothing else confirms: two readings, nothing to say which is right."""
PROSE_REPAIR = 0.97
"""A proposal the prose states too: two independent sources, the arithmetic and the prose, give the same number."""
PROSE_CONFIDENCE = 0.9
"""A fees field read from a sentence: a clean reading that no table or relation can confirm."""

# Metadata: how sure each way of finding the year, the body and the template is
TITLE_SURE = 0.99
"""Year and body both in a title line (…局2022年政府信息公开工作年度报告)."""
LINE_ABOVE = 0.95
"""The body on its own line just above a title that names only the year."""
FROM_SENTENCE = 0.7
"""A title matched inside a sentence (根据《条例》要求，现公布…局2022年…报告): the body cut out of it."""
NOT_A_NAME = 0.7
"""A title whose words before the year do not end as a body's name (局, 委员会 …): cut short or garbled."""
FROM_BODY = 0.6
"""Nothing in a title: the year of the first sentences, the body named most often."""
BY_YEAR = 0.5
"""A template chosen by the report's year alone, its rows not telling."""


def raised(confidence: float) -> float:
    """``confidence`` once every relation it takes part in holds."""
    return confidence + (1 - confidence) * HOLD_GAIN


assert FLAGGED_CAP < REVIEW_BELOW, "a flagged field would look unflagged"
assert MIN_SIMILARITY < FUZZY_LABEL < LABEL_SURE <= PINNED
assert SHORT_TAIL < REVIEW_BELOW, "a short tail match is reviewed unless its relations hold"
assert SEAL_CAP < REVIEW_BELOW <= raised(SEAL_CAP), "a sealed value is reviewed unless its relations hold"
assert AGREED < REVIEW_BELOW <= raised(AGREED), "two readings alike are accepted when their relations hold"
assert DOT_GROUPED < REVIEW_BELOW <= raised(DOT_GROUPED), "a dot-grouped count is reviewed unless its relations hold"
assert RIVAL_READING < REVIEW_BELOW <= raised(RIVAL_READING), "a rival reading is reviewed unless its relations hold"
assert max(STRAY_INK, UNCLEAN_SCORE, UNSURE_COLUMN) < REVIEW_BELOW, "never a sure blank or cell"
assert raised(max(UNCLEAN_SCORE, UNSURE_COLUMN, SEALED_ZERO)) < REVIEW_BELOW, "reviewed even when every relation holds"
assert SPLIT_CAP >= REVIEW_BELOW, "a split a relation confirms needs no review"
assert PROPOSAL_ONE < PROPOSAL_MANY < PROSE_REPAIR
assert min(CONFIRMED, PROSE_CONFIDENCE) >= REVIEW_BELOW > DISAGREES_CAP
assert min(TITLE_SURE, LINE_ABOVE) >= REVIEW_BELOW, "metadata without a flag is not reviewed"
assert max(FROM_SENTENCE, NOT_A_NAME, FROM_BODY, BY_YEAR) < REVIEW_BELOW, "metadata with a flag is reviewed"


def policy_table() -> str:
    """The policy's numbers as a markdown table: name, value and reason, in the order above."""
    body = ast.parse(Path(__file__).read_text(encoding="utf-8")).body
    lines = ["| name | value | why |", "| --- | ---: | --- |"]
    for node, doc in zip(body, body[1:]):
        if not (isinstance(node, ast.Assign) and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)):
            continue
        name = node.targets[0].id
        value = globals()[name]
        if isinstance(value, float):
            shown = str(value) if isinstance(node.value, ast.Constant) else f"{value} (`{ast.unparse(node.value)}`)"
            lines.append(f"| `{name}` | {shown} | {' '.join(doc.value.value.split())} |")
    return "\n".join(lines) + "\n"
