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

