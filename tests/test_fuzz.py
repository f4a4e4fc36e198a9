"""Property-based tests over the readers and the aligner (hypothesis).

A valid report in each text shape (fixtures/text/* and the seeds, with their truths) is
mutated: lines and cells dropped, duplicated or swapped, digits changed, junk lines
inserted, labels cut, the table broken across a "page". Required of every mutated report:

1. no exception but a `GxError` (a typed refusal such as NotAReport is fine);
2. no silent error: every field whose value differs from the truth is ``needs_review``.

The oracle for (2), in full in benchmarks/fuzz.py: mutations that leave the printed values
in place (drop/duplicate/cut/insert/page break) keep the truth, so any difference must be
flagged, and a dropped row's fields must be null and flagged or flagged otherwise. A
mutation that changes what is printed under a label changes the truth of the document:
a changed digit lets one field whose truth is the old value read the new one; a swap lets
at most as many fields as values were moved read one of the moved values instead of
theirs (another of the moved values). Nothing else may differ unflagged. Whole-document
oracles are run on the unmutated fixtures too (no mutation, no difference).

Year, issuing body and template are held to the truth too, while the title stands as printed.
The larger seeded campaign is ``python -m benchmarks.fuzz --cases 5000``.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import KINDS, Case, load_cases, mutate
from gxextract import GxError, extract
from gxextract.readers.text import _common_share, decode, split_line

CASES = load_cases()
SHAPES = sorted({c.shape for c in CASES})

op = st.tuples(st.sampled_from(KINDS), st.integers(0, 1 << 16), st.integers(0, 1 << 16))
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _check(case: Case, ops, seed: int) -> None:
    text, oracle = mutate(case, ops, random.Random(seed))
    try:
        report = extract(text.encode("utf-8"))
    except GxError:
        return
    silent = oracle.silent_errors(report, case.truth) + oracle.meta_errors(report, case.truth, text)
    if silent and oracle.several:
        pytest.xfail(f"two reports in one file, not told apart (SeveralReports): {case.name} {silent[:2]}")
    assert silent == [], f"{case.name} after {oracle.applied}: {silent[:5]}"


@pytest.mark.parametrize("kind", ["repeat_row", "append_copy", "append_report", "unit", "meta"])
@FUZZ
@given(data=st.data())
def test_printed_twice_units_and_titles_leave_no_silent_error(kind: str, data):
    """A row or a section printed again with other numbers, a second report after the first, an amount
    in the other money unit, a title with a byte-order mark, boilerplate or no year: fields and the
    report's year, body and template right or flagged (with up to two other mutations)."""
    case = data.draw(st.sampled_from(CASES), label="case")
    first = data.draw(st.tuples(st.just(kind), st.integers(0, 1 << 16), st.integers(0, 1 << 16)), label="op")
    ops = [first] + data.draw(st.lists(op, max_size=2), label="more ops")
    _check(case, data.draw(st.permutations(ops), label="order"), data.draw(st.integers(0, 1 << 20), label="seed"))


@pytest.mark.parametrize("shape", SHAPES)
@FUZZ
@given(data=st.data())
def test_mutated_report_has_no_silent_error(shape: str, data):
    case = data.draw(st.sampled_from([c for c in CASES if c.shape == shape]), label="case")
    ops = data.draw(st.lists(op, min_size=1, max_size=4), label="ops")
    _check(case, ops, data.draw(st.integers(0, 1 << 20), label="seed"))


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(CASES), rows=st.lists(st.integers(0, 1 << 16), min_size=1, max_size=6))
def test_dropped_rows_are_null_and_flagged(case: Case, rows):
    """Lines that carry values dropped: their fields are flagged (null, or read from elsewhere
    correctly); nothing else changes."""
    _check(case, [("drop_line", r, 0) for r in rows], 0)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_unmutated_fixture_passes_the_oracle(case: Case):
    _check(case, [], 0)


# ------------------------------------------------------------------ readers on arbitrary bytes


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_report_or_gxerror(data: bytes):
    try:
        extract(data)
    except GxError:
        pass


_alphabet = st.sampled_from(list("规章规范性文件行政许可本年新收总计一二三（）()、.0123456789 \t|\n<>/tdrable#-—０１２"))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_alphabet, max_size=600))
def test_report_like_text_gives_a_report_or_gxerror(text: str):
    for form in (text, f"<table><tr><td>{text}</td></tr></table>"):
        try:
            extract(form.encode("utf-8"))
        except GxError:
            pass


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), max_size=300))
def test_text_reader_round_trips_any_text(text: str):
    """UTF-8 and UTF-16 with a BOM decode exactly; GB18030 too, unless its bytes are also valid
    UTF-8, or Big5 that reads as more common Chinese (then the file is ambiguous and read as
    that). (NUL and a leading BOM character are not text a report holds.)"""
    assert decode(text.encode("utf-8")) == text
    assert decode(text.encode("utf-16")) == text
    data = text.encode("gb18030")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        got = decode(data)
        assert got == text or (got == data.decode("cp950") and _common_share(got) > _common_share(text))
    for line in text.splitlines():
        split_line(line)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(CASES), encoding=st.sampled_from(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"]))
def test_report_in_any_encoding(case: Case, encoding: str):
    """A report re-encoded is read exactly as in UTF-8 (where the encoding can hold its text)."""
    try:
        data = case.text.encode(encoding)
    except UnicodeEncodeError:
        return
    report, base = extract(data), extract(case.text.encode("utf-8"))
    assert {k: f.value for k, f in report.fields.items()} == {k: f.value for k, f in base.fields.items()}
