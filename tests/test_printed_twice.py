"""Reports that print a row, a section or a whole report twice, and units printed in a column header:
every value that may be the wrong one of two is flagged with both readings, never taken silently."""

import pytest

from gxextract import extract

from .conftest import FIXTURES, load_truth, mismatches

REPORT = FIXTURES / "text" / "tabs_1_gov2021.txt"
OTHER = FIXTURES / "text" / "tabs_0_gov2019.txt"


def _text() -> str:
    return REPORT.read_text(encoding="utf-8")


def _section_two(text: str) -> str:
    return text[text.index("二、主动公开政府信息情况"): text.index("三、收到和处理政府信息公开申请情况")]


def test_a_row_repeated_with_another_value_is_flagged_with_both():
    report = extract(_text().replace("行政强制\t0\n", "行政强制\t66\n行政强制\t65\n").encode("utf-8"))
    f = report.fields["active.coercion.decisions"]
    assert f.needs_review and "printed_twice" in f.flags
    assert {f.raw, *f.copies} == {"66", "65"}
    assert any("printed again" in w for w in report.warnings)


def test_a_row_printed_twice_with_the_same_value_is_not_a_conflict():
    report = extract(_text().replace("行政强制\t0\n", "行政强制\t0\n行政强制\t0\n").encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json"))
    assert wrong == [] and not report.fields["active.coercion.decisions"].needs_review


@pytest.mark.parametrize("appended", ["last year's section", "another report's tables"])
def test_a_second_copy_after_the_report_leaves_no_silent_error(appended):
    """(A whole second report, its title and 一、总体情况 with it, is a compilation: test_compilations.py.)"""
    text = _text()
    if appended == "last year's section":
        tail = "".join(str(int(c) + 3) if c.isdigit() else c for c in _section_two(text))
    else:
        other = OTHER.read_text(encoding="utf-8")
        tail = other[other.index("二、主动公开政府信息情况"):]
    report = extract((text + "\n" + tail).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json"))
    assert silent == [] and wrong
    assert any("printed again" in w for w in report.warnings)
    assert (report.year, report.agency) == (2022, "遵义市自然资源局")


def test_a_money_unit_in_the_column_header_is_the_values_unit():
    text = _text().replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）").replace("764.41", "7644100")
    f = extract(text.encode("utf-8")).fields["active.fees.amount"]
    assert (f.value, f.unit) == (7644100, "元")
    procurement = OTHER.read_text(encoding="utf-8").replace("采购总金额", "采购总金额（万元）")
    assert extract(procurement.encode("utf-8")).fields["active.procurement.amount"].unit == "万元"
