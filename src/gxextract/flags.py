"""The flags a field or the report's metadata can carry and what each says, in a few words
(docs/confidence.md has the full table; a test keeps the two the same). Which flags call for review
is `confidence.INFO_FLAGS`."""

from __future__ import annotations

MEANINGS = {
    "missing": "the row or cell was not found",
    "printed_blank": "a real cell printed empty: null, as printed",
    "blank": "an empty cell that may not be one",
    "blank_row": "seen empty under a seal, in a row (or column) printed blank whose relation holds",
    "placeholder": "a dash, slash or 无 read as written",
    "unparsed": "a value cell whose text is no number",
    "short_row": "the row had fewer values than columns; placed by position",
    "extra_values": "the row had more values than columns; placed by position",
    "fuzzy_label": "the row label matched only loosely",
    "merged_labels": "two rows' labels ran together; the values may be either row's",
    "label_of_another_row": "the label read is closer to another row of the form",
    "values_after_blank_row": "values under a row printed blank, without a label of their own",
    "printed_twice": "the row is printed again further on with other values (see copies)",
    "out_of_place": "read from past a later section's table: may be a copy left at the end",
    "negative": "a count below zero",
    "not_integer": "a count with a fraction",
    "dot_grouping": "a count whose thousands a dot groups (3.818), read as 3818",
    "relation": "takes part in a relation that does not hold",
    "proposed_correction":
        "one value here would make every broken relation hold (proposed; for a group, with the other cells')",
    "second_reading": "the value is the reader's second reading, the one the relations call for (raw: its first)",
    "explained_by_proposal": "its broken relation holds with another cell's proposal",
    "row_confirms": "a 0 read surely, in a broken relation an unsure cell accounts for, and in a sure row that holds",
    "split_from_run": "cut from a run of digits, confirmed by a relation",
    "unconfirmed_split": "cut from a run of digits that no relation confirms",
    "ambiguous_split": "a run of digits that cuts several valid ways",
    "unsplittable_run": "a run of digits that cuts no valid way",
    "converted_unit": "printed in the money unit named, converted to the form's unit",
    "unknown_unit": "printed with a unit that is no money unit: not converted",
    "derived": "computed from other fields",
    "forced_zero": "a sub-row the report does not print, 0 because its total is 0",
    "not_printed": "a sub-row the report does not print, whose total is not 0",
    "unsure_source": "computed from a field that needs review",
    "unverified": "no relation confirms the value",
    "low_confidence": "read with low confidence (label, cell text or reading score)",
    "cross_year": "a relation with the body's report of the year before or after does not hold",
    "cross_year_confirmed": "a relation with the body's report of another year, its other fields sure, confirms it",
    "prose_confirmed": "the report's prose states this value, read apart from the cell",
    "prose_disagrees": "the report's prose states another number and nothing else confirms the value",
    "prose_agrees": "the report's prose states the proposed value",
    "from_sentence": "the report's title was found inside a sentence",
    "not_a_name": "the title's words before the year are no body's name",
    "from_body": "no title: read from the report's text",
    "by_year": "the template was chosen by the report's year alone",
}


def meaning(flag: str) -> str:
    """What ``flag`` says; ``relation:<name>`` by its relation's name."""
    kind, _, name = flag.partition(":")
    text = MEANINGS.get(kind, flag)
    return f"{text} ({name})" if name else text
