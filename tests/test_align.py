"""The aligner on its own terms: loose labels pinned between exact ones."""

import pytest

from gxextract import extract

from .conftest import FIXTURES

REPORT = (FIXTURES / "text" / "tabs_1_gov2021.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("printed, as_read", [
    ("2.没有现成信息需要另行制作", "2.没有现成资料须另外制作"),
    ("3.危及“三安全一稳定”", "3.危及三安全"),
    ("2.重复申请", "2.重复提出申请的"),
])
def test_a_loose_label_pinned_between_exact_ones_is_as_sure_as_they_are(printed, as_read):
    report = extract(REPORT.replace(printed, as_read).encode("utf-8"))
    assert not any(f.needs_review for f in report.fields.values())


def test_a_loose_label_is_not_pinned_when_the_rows_between_the_anchors_do_not_count_out():
    """A row of values more than the form has between the anchors: the loose label stays flagged."""
    text = REPORT.replace("2.没有现成信息需要另行制作", "2.没有现成资料须另外制作").replace(
        "\t3.补正后申请内容仍不明确", "\t另有说明事项\t1\t0\t0\t0\t0\t0\t1\n\t3.补正后申请内容仍不明确")
    report = extract(text.encode("utf-8"))
    assert "fuzzy_label" in report.fields["requests.unavailable.needs_creation.natural_person"].flags


def test_apply_derives_as_extract_does():
    """A derived field (gov2021's single (六) row) is the same after a review decision as extract
    gave it, with one of its sources printed blank (a blank counts as 0 in both)."""
    import json

    from gxextract.review.apply import Correction, apply_to_record

    text = REPORT.replace("再处理其政府信息公开申请\t0\t0", "再处理其政府信息公开申请\t\t0", 1)
    report = extract(text.encode("utf-8"))
    derived = report.fields["requests.other.natural_person"]
    assert derived.derived and derived.value == 3  # blank + 0 + 3
    record = json.loads(report.model_dump_json())
    decision = Correction(document="d", field="active.licensing.decisions", decision="correct", value=16)
    assert apply_to_record(record, {"active.licensing.decisions": decision})
    assert record["fields"]["requests.other.natural_person"]["value"] == derived.value
