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


@pytest.mark.parametrize("appended", ["last year's section", "another report's section 三"])
def test_a_second_copy_after_the_report_leaves_no_silent_error(appended):
    """(A second report with its title, 一、总体情况 or section 二 is a compilation: test_compilations.py.)"""
    text = _text()
    if appended == "last year's section":
        tail = "".join(str(int(c) + 3) if c.isdigit() else c for c in _section_two(text))
    else:
        other = OTHER.read_text(encoding="utf-8")
        tail = other[other.index("三、收到和处理政府信息公开申请情况"):]
    report = extract((text + "\n" + tail).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json"))
    assert silent == [] and wrong
    assert any("printed again" in w for w in report.warnings)
    assert (report.year, report.agency) == (2022, "遵义市自然资源局")


def test_a_money_unit_in_the_column_header_is_the_values_unit():
    """Printed in 元 under its header, the fee comes out in the form's 万元, the factor told by the flag."""
    text = _text().replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）").replace("764.41", "7644100")
    f = extract(text.encode("utf-8")).fields["active.fees.amount"]
    assert (f.value, f.unit, f.raw, f.flags, f.needs_review) == (764.41, "万元", "7644100", ["converted_unit:元"], False)
    procurement = OTHER.read_text(encoding="utf-8").replace("采购总金额", "采购总金额（万元）")
    assert extract(procurement.encode("utf-8")).fields["active.procurement.amount"].unit == "万元"


HTML = FIXTURES / "text" / "html_1_gov2021.html"


@pytest.mark.parametrize("first, second", [("38", "39"), ("39", "38")])
def test_a_table_row_repeated_in_html_is_a_conflict_whichever_comes_first(first, second):
    """A duplicated ``<tr>`` with another value in section 二, where no relation can tell: flagged with both
    readings, whether the report's own value is printed first or last."""
    row = "<tr><td>行政强制</td><td>{}</td></tr>"
    html = HTML.read_text(encoding="utf-8").replace(row.format(38), row.format(first) + row.format(second))
    report = extract(html.encode("utf-8"))
    f = report.fields["active.coercion.decisions"]
    assert f.needs_review and "printed_twice" in f.flags and {f.raw, *f.copies} == {"38", "39"}
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "html_1_gov2021.json"))
    assert silent == []


def test_a_row_repeated_after_a_row_printed_blank_is_caught():
    """In a stream of cells ended by `` |``, a row printed blank runs into the next labels: the row
    repeated after them must not be read for the blank row, nor its copy taken silently."""
    lines = (FIXTURES / "text" / "pipes_0_gov2019.txt").read_text(encoding="utf-8").splitlines()
    k = lines.index("1.信访举报投诉类申请 |")
    lines[k + 8:k + 8] = ["1.信访举报投诉类申请 |"] + ["8 |"] + ["7 |"] * 5 + ["8 |"]
    report = extract("\n".join(lines).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "pipes_0_gov2019.json"))
    assert silent == [] and wrong
    assert "printed_twice" in report.fields["requests.not_processed.petition.total"].flags


def test_a_row_from_a_block_left_after_the_last_section_is_flagged():
    """The report's own 行政强制 row lost its label; the same rows of another year left at the end hold
    one: read from past the later sections' tables, it is flagged out_of_place."""
    seed = (FIXTURES / "seeds" / "004_0e4b22ae01ee104b.txt").read_text(encoding="utf-8")
    tail = "第二十条第（六）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政处罚\t3\t3\t3\n行政强制\t3\t3\t3\n"
    report = extract((seed.replace("行政强制\t0\t0\t0", "\t0\t0\t0") + tail).encode("utf-8"))
    f = report.fields["active.coercion.decisions"]
    assert f.value == 3 and f.needs_review and "out_of_place" in f.flags
    wrong, silent = mismatches(report, load_truth(FIXTURES / "seeds" / "truth" / "004_0e4b22ae01ee104b.json"))
    assert silent == []


def test_a_cell_only_its_broken_row_checks_is_not_cleared_by_a_proposal():
    """A stream whose row lost a cell (its values shifted, the total taking the next row's number), with
    the rows of the column sums not found: a proposal for the total explains the row, but nothing checks
    the shifted cells, which stay flagged (a fuzz case: drop_cell, swap_cells, swap_lines, page_break)."""
    lines = (FIXTURES / "text" / "pipes_0_gov2019.txt").read_text(encoding="utf-8").splitlines()
    lines[87], lines[113] = "|0 ", ""
    lines[117], lines[218] = lines[218], lines[117]
    lines.insert(227, "- 3 -")
    report = extract("\n".join(lines).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "pipes_0_gov2019.json"))
    assert silent == [] and any(w.startswith("requests.partially_disclosed.other_org") for w in wrong)


@pytest.mark.parametrize("first", ["copy", "own"])
def test_the_appeals_row_printed_twice_is_a_conflict(first):
    """The appeals row has no label of its own (15 numbers under its header): printed again with other
    numbers, it is known by its count of values, and both readings are kept."""
    lines = (FIXTURES / "text" / "html_0_gov2019.html").read_text(encoding="utf-8").splitlines()
    header, own = lines[46], lines[47].replace("</table></body></html>", "")
    copy = own.replace("<td>6</td>", "<td>7</td>")
    rows = [header, copy, header, own] if first == "copy" else [header, own, header, copy]
    lines[46:48] = rows + ["</table></body></html>"]
    report = extract("\n".join(lines).encode("utf-8"))
    f = report.fields["appeals.review.corrected"]
    assert f.needs_review and "printed_twice" in f.flags and {f.raw, *f.copies} == {"6", "7"}
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "html_0_gov2019.json"))
    assert silent == []


def test_numbers_before_a_label_under_a_row_printed_blank_are_flagged():
    """A row's cells swapped around its label (0 0 0 0 3.危及… 0 0 0) under a row printed blank: the
    numbers before the label may be the blank row's, so that row's fields are flagged."""
    text = (FIXTURES / "text" / "tabs_0_gov2019.txt").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("\t3.危及"))
    cells = row.split("\t")
    text = text.replace(row, "\t".join(cells[2:6] + [cells[1]] + cells[6:]))
    report = extract(text.encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "tabs_0_gov2019.json"))
    assert silent == []
    assert "values_after_blank_row" in report.fields["requests.withheld.prohibited_by_law.total"].flags


def test_a_row_cut_down_to_blanks_at_its_start_is_flagged():
    """The appeals row prints its review cells blank (five blanks, then ten numbers); one number printed
    twice makes a cell too many, and which leading blank was layout is a guess: the row is flagged."""
    path = FIXTURES / "seeds" / "004_0e4b22ae01ee104b.txt"
    row = "\t\t\t\t\t" + "\t".join(["0"] * 10)
    text = path.read_text(encoding="utf-8").replace(row + "\n", row + "\t0\n", 1)
    assert text != path.read_text(encoding="utf-8")
    report = extract(text.encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "seeds" / "truth" / "004_0e4b22ae01ee104b.json"))
    assert silent == [] and "extra_values" in report.fields["appeals.review.total"].flags
