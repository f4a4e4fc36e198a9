"""The five real seed reports: every field as the hand-read truth says."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gxextract import extract

from .conftest import FIXTURES, load_truth, mismatches, mixed_2021_report

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_matches_truth(path: Path):
    truth = load_truth(FIXTURES / "seeds" / "truth" / f"{path.stem}.json")
    report = extract(path)
    wrong, _ = mismatches(report, truth)
    assert wrong == []
    assert (report.template, report.year, report.agency) == (truth["template"], truth["year"], truth["agency"])
    assert set(truth["fields"]) <= set(report.fields)


def test_seed_blank_review_cells_are_null_and_flagged():
    report = extract(FIXTURES / "seeds" / "004_0e4b22ae01ee104b.txt")
    review = {k: f for k, f in report.fields.items() if k.startswith("appeals.review.")}
    assert len(review) == 5
    assert all(f.value is None and f.needs_review and "blank" in f.flags for f in review.values())
    litigation = [f for k, f in report.fields.items() if k.startswith("appeals.litigation")]
    assert all(f.value == 0 and not f.needs_review for f in litigation)


def test_seed_money_keeps_its_unit():
    field = extract(FIXTURES / "seeds" / "000_7f6e3dc8283013a4.txt").fields["active.procurement.amount"]
    assert (field.value, field.unit, field.raw) == (123000.0, "元", "123000.00元")


def test_legacy_seed_reads_every_indicator_with_its_unit():
    report = extract(FIXTURES / "seeds" / "002_0f258da4c2a9d132.txt")
    assert report.template == "legacy2018"
    f = report.fields
    assert (f["legacy.active.published"].value, f["legacy.active.published"].unit) == (200, "条")
    assert (f["legacy.response.interpretation_articles"].value, f["legacy.response.interpretation_articles"].unit) == (2, "篇")
    assert (f["legacy.capacity.staff"].value, f["legacy.capacity.staff_part_time"].value) == (1, 1)
    assert f["legacy.training.trainees"].unit == "人次"
    blank = f["legacy.requests.in_person"]
    assert blank.value is None and blank.needs_review and "blank" in blank.flags


def test_mixed_2021_report_keeps_its_single_other_row(tmp_path):
    """Section 二 in the 2021 form, section 三 with the single (六) row of 2019."""
    doc = mixed_2021_report(tmp_path)
    report = extract(doc)
    assert report.template == "gov2021"
    assert report.sections["requests"] == "gov2019"
    assert report.fields["requests.other.total"].value == 0
    assert not report.fields["requests.other.total"].derived
    sub = report.fields["requests.other.misc.natural_person"]
    assert sub.value == 0 and "forced_zero" in sub.flags and not sub.needs_review


def test_sub_rows_whose_labels_are_printed_are_never_forced_to_zero(tmp_path):
    """The same report with the labels of two of (六)'s sub-rows printed under the single row, their
    numbers lost: the report does print the sub-rows, so they are missing and flagged, not forced to 0
    by the (六) row's zeros."""
    doc = mixed_2021_report(tmp_path)
    text = doc.read_text(encoding="utf-8")
    other = next(line for line in text.splitlines() if "其他处理" in line)
    doc.write_text(text.replace(other, other + "\n\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
                                "\n\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), encoding="utf-8")
    report = extract(doc)
    assert report.sections["requests"] == "gov2019"
    for row in ("no_correction", "unpaid_fee", "misc"):
        sub = report.fields[f"requests.other.{row}.natural_person"]
        assert sub.value is None and sub.needs_review and "missing" in sub.flags


def test_cli_output_scores_exact(tmp_path):
    for path in SEEDS:
        out = subprocess.run([sys.executable, "-m", "gxextract", "extract", str(path), "--json"],
                             capture_output=True, text=True, check=True).stdout
        json.loads(out)
        (tmp_path / f"{path.stem}.json").write_text(out, encoding="utf-8")
    score = subprocess.run([sys.executable, "-m", "gxextract", "score", str(FIXTURES / "seeds" / "truth"),
                            str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert "accuracy=1.0000" in score and "silent_errors=0" in score
