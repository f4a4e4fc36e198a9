"""A blank cell is null, never 0. It is flagged unless the reader saw a real cell with nothing in
it (a ruled grid's cell, an HTML or Word table cell): blanks between separators of plain text
may be text that was lost, and stay flagged."""

from __future__ import annotations

import pytest

from gxextract import extract

from .conftest import FIXTURES, load_truth, mismatches

TEXT = FIXTURES / "text"
CORPUS = FIXTURES / "corpus"


def _blanks(name: str, folder=TEXT) -> tuple:
    path = next(folder.glob(f"{name}.*"))
    truth = load_truth(folder / "truth" / f"{name}.json")
    report = extract(path)
    wrong, silent = mismatches(report, truth)
    assert silent == [], silent
    blanks = [report.fields[f] for f, v in truth["fields"].items() if v is None]
    assert blanks and all(f.value is None for f in blanks)
    return report, blanks


def test_empty_table_cells_of_html_are_printed_blanks_not_flagged():
    report, blanks = _blanks("html_0_gov2019")
    assert all(f.flags == ["printed_blank"] and not f.needs_review and f.confidence >= 0.9 for f in blanks)
    # relations read a printed blank as 0, so the values beside it are confirmed
    assert all(c.holds is not False for c in report.checks)


@pytest.mark.parametrize("name", ["tabs_0_gov2019", "pipes_0_gov2019", "markdown_0_gov2019"])
def test_blanks_between_separators_of_text_stay_flagged(name):
    _, blanks = _blanks(name)
    assert all(f.needs_review and "printed_blank" not in f.flags for f in blanks)
    assert any("blank" in f.flags for f in blanks)


@pytest.mark.parametrize("name", ["004_pdf_gov2021", "003_docx_gov2021"])
def test_ruled_pdf_and_word_cells_seen_empty_are_printed_blanks(name):
    _, blanks = _blanks(name, CORPUS)
    assert all(f.flags == ["printed_blank"] and not f.needs_review for f in blanks)


@pytest.mark.slow
def test_scanned_ruled_cells_seen_empty_are_printed_blanks():
    report, blanks = _blanks("018_tiff_gov2021", CORPUS)
    assert len(blanks) == 22 and all(f.flags == ["printed_blank"] and not f.needs_review for f in blanks)
    assert sum(f.needs_review for f in report.fields.values()) <= 2
