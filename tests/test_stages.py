"""The stages after the readers, each on its own, on a real report with its truth: `segments.segment`
(rows → labelled values), `align.align` (segments → template fields) and `checks.finish` (readings →
checked fields)."""

from __future__ import annotations

import pytest

from gxextract.align import align
from gxextract.checks import finish
from gxextract.readers import read
from gxextract.restream import restream
from gxextract.segments import segment
from gxextract.templates import get_template
from gxextract.values import Value

from .conftest import FIXTURES, load_truth

REPORT = FIXTURES / "text" / "tabs_1_gov2021.txt"
TRUTH = load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json")["fields"]


@pytest.fixture(scope="module")
def segments():
    return segment(restream(read(REPORT)))


@pytest.fixture(scope="module")
def sections(segments):
    return align(segments)


def test_segment_keeps_each_rows_label_with_its_values_in_order(segments):
    row = next(s for s in segments if "".join(c.text for c in s.labels).endswith("重复申请"))
    want = [TRUTH[f"requests.not_processed.duplicate.{col}"] for col in
            ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")]
    assert [t.value.number for t in row.values] == want


def test_align_reads_every_printed_field_of_its_sections_to_truth(sections):
    template = get_template("gov2021")
    readings = [r for s in template.sections for r in sections[s.section].readings]
    assert sections["requests"].form.form == "gov2021"
    assert {r.field for r in readings} >= {f for f in TRUTH if not f.startswith("requests.other.")}
    wrong = [r.field for r in readings if r.token and r.token.value.number != TRUTH.get(r.field, r.token.value.number)]
    assert wrong == []


def test_finish_checks_the_readings_and_flags_a_broken_sum_with_its_repair(sections):
    template = get_template("gov2021")
    readings = [r.model_copy(deep=True) for s in template.sections for r in sections[s.section].readings]
    runs = [run for s in template.sections for run in sections[s.section].runs]
    fields, checks = finish(readings, runs, template.relations, template.derived)
    assert all(c.holds is not False for c in checks)
    assert {f: v.value for f, v in fields.items() if f in TRUTH} == TRUTH

    slipped = "requests.new_received.business"
    read_as = next(r for r in readings if r.field == slipped)
    read_as.token.value.number += 10  # one cell misread: the row's total no longer holds
    fields, checks = finish(readings, runs, template.relations, template.derived)
    assert any(c.holds is False and slipped in c.fields for c in checks)
    assert fields[slipped].needs_review and "proposed_correction" in fields[slipped].flags
    assert any(f.startswith("relation:row_total") for f in fields[slipped].flags)
    assert fields[slipped].proposed == TRUTH[slipped]


def _finish_with_slips(sections, slips: dict[str, int | None]):
    """``finish`` on the report's readings with ``slips`` added to some cells (misreads); a slip of
    None reads the cell as an unsure blank (a seal's character over its digit, read as no number)."""
    template = get_template("gov2021")
    readings = [r.model_copy(deep=True) for s in template.sections for r in sections[s.section].readings]
    runs = [run for s in template.sections for run in sections[s.section].runs]
    for r in readings:
        if r.field in slips and slips[r.field] is None:
            r.token = r.token.model_copy(update={"kind": "blank", "value": Value(kind="blank", raw="")})
            r.token.cell = r.token.cell.model_copy(update={"text": "", "score": 0.0})
        elif r.field in slips:
            r.token.value.number += slips[r.field]
    return finish(readings, runs, template.relations, template.derived)


@pytest.mark.parametrize("slips, broken, bystander", [
    # different rows and columns: each cell settled by its row's sum and its column's
    ({"requests.new_received.business": 10, "requests.disclosed.natural_person": 2}, 4,
     "requests.new_received.research"),
    # one row (a seal across it): each cell settled by its column's sum, the row's checking both
    ({"requests.disclosed.natural_person": 1, "requests.disclosed.business": 7}, 3, "requests.disclosed.research"),
    # three cells in two rows and two columns (a seal across them): one settled by its row's sum, one
    # by its column's, the third by either once those are in place, the fourth sum checking all three
    ({"requests.disclosed.natural_person": 6, "requests.partially_disclosed.natural_person": 1,
      "requests.partially_disclosed.business": 1}, 4, "requests.disclosed.research"),
    # the same with one digit read as no number at all (a seal's character over it): an unsure blank,
    # counted as 0 by the sums, is proposed its value as a misread number is
    ({"requests.disclosed.business": None, "requests.partially_disclosed.business": 3,
      "requests.partially_disclosed.research": 20}, 4, "requests.disclosed.other_org"),
])
def test_finish_proposes_the_one_group_that_explains_a_few_misreads_in_one_table(sections, slips, broken, bystander):
    """Two or three cells misread in one table: no one cell repairs the broken sums, the group does;
    each is proposed, and the other cells of those sums, checked by the sums that hold, are not flagged."""
    fields, checks = _finish_with_slips(sections, slips)
    assert sum(c.holds is False for c in checks) == broken
    for f in slips:
        assert fields[f].needs_review and "proposed_correction" in fields[f].flags
        assert fields[f].proposed == TRUTH[f]
    assert "explained_by_proposal" in fields[bystander].flags and not fields[bystander].needs_review
