"""Small parts on their own: values, labels, digit-run cuts, templates, metadata."""

from pathlib import Path

import pytest

from gxextract import extract
from gxextract.digitruns import cuts
from gxextract.metadata import read_metadata
from gxextract.normalize import MISREAD_GLYPHS, label_key
from gxextract.templates import get_template
from gxextract.values import parse_value

from .conftest import FIXTURES, load_truth


@pytest.mark.parametrize("text, number, unit", [
    ("1,887", 1887, None), ("1，887", 1887, None), ("１２３", 123, None), ("123000.00元", 123000.0, "元"),
    ("-3", -3, None), ("0。", 0, None), ("  7 ", 7, None), ("12.5万元", 12.5, "万元"),
])
def test_numbers(text, number, unit):
    v = parse_value(text)
    assert (v.kind, v.number, v.unit) == ("number", number, unit)


@pytest.mark.parametrize("text, kind", [("", "blank"), ("—", "placeholder"), ("/", "placeholder"),
                                         ("无", "placeholder"), ("件", "unit"), ("9 2", "text"), ("规章", "text")])
def test_non_numbers(text, kind):
    assert parse_value(text).kind == kind


def test_label_key_folds_numbering_punctuation_and_traditional_characters():
    assert label_key("（三）不予公開") == label_key("(三) 不予公开") == "不予公开"
    assert label_key("4.無正當理由大量反覆申請") == "无正当理由大量反复申请"


def test_label_key_folds_glyphs_a_recognizer_misreads_that_no_form_prints():
    assert label_key("尚末审结") == label_key("尚未审结")
    assert label_key("规童") == label_key("规堂") == label_key("规章")
    printed = "".join((Path(__file__).parents[1] / "src/gxextract/templates").joinpath(name).read_text("utf-8")
                      for name in ("active.toml", "requests.toml", "appeals.toml", "legacy.toml", "templates.toml"))
    assert not any(chr(glyph) in printed for glyph in MISREAD_GLYPHS)


def test_cuts_have_no_leading_zeros():
    assert list(cuts("100", 2)) == [(10, 0)]  # "1|00" would need a leading zero
    assert (64, 0, 0, 2, 0, 4, 70) in set(cuts("640020470", 7))


def test_templates_carry_the_spec_counts_and_relations():
    g19, g21 = get_template("gov2019"), get_template("gov2021")
    assert len(g19.fields) == 198 and len(set(g19.fields)) == 198
    assert len(g21.fields) == 200 + 7  # plus the derived single (六) row
    names = {r.name.split(":")[0] for r in g21.relations}
    assert names == {"row_total", "column_total", "balance", "appeal_total"}
    assert "requests.other.misc.total" in g21.fields and "requests.other.total" in g19.fields


@pytest.mark.parametrize("lines, year, agency", [
    (["貴陽市科技局2020年政府信息公開工作年度報告"], 2020, "貴陽市科技局"),
    (["# 吴忠市科学技术局", "## 2019 年政府信息公开工作年度报告"], 2019, "吴忠市科学技术局"),
    (["一、总体情况", "2024年,朝阳区科技局认真贯彻落实《条例》"], 2024, "朝阳区科技局"),
])
def test_metadata(lines, year, agency):
    meta = read_metadata(lines, "\n".join(lines))
    assert (meta["year"].value, meta["agency"].value) == (year, agency)


@pytest.mark.parametrize("lines, year, agency, flagged", [
    (["\ufeff玉林市教育局", "2021年政府信息公开工作年度报告"], 2021, "玉林市教育局", False),
    (["延边州商务局政府信息公开工作年度报告",
      "根据《中华人民共和国政府信息公开条例》要求,现公布延边州商务局2022年政府信息公开工作年度报告。"],
     2022, "延边州商务局", True),
    (["政府信息公开工作年度报告", "一、总体情况", "今年,延边州商务局认真贯彻《条例》"], None, "延边州商务局", True),
])
def test_metadata_is_cleaned_and_flagged_where_unsure(lines, year, agency, flagged):
    """A byte-order mark never reaches the name; a body cut out of a sentence, or named only in the
    text, is flagged like any unsure field."""
    meta = read_metadata(lines, "\n".join(lines))
    assert (meta["year"].value, meta["agency"].value) == (year, agency)
    assert meta["agency"].needs_review is flagged and meta["year"].needs_review is (year is None or flagged)


FEES = (FIXTURES / "text" / "tabs_1_gov2021.txt").read_text(encoding="utf-8")
PROCUREMENT = (FIXTURES / "text" / "html_0_gov2019.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("header, cell, value, flags", [
    ("（单位：万元）", "7644100元", 764.41, ["converted_unit:元"]),    # the cell's unit wins over the header's
    ("（单位：元）", "7644100", 764.41, ["converted_unit:元"]),        # the header's unit, the cell bare
    ("（单位：元）", "764.41万元", 764.41, []),                       # the cell in the form's unit
])
def test_a_fee_comes_out_in_the_forms_unit(header, cell, value, flags):
    """The 2021 form prints fees in 万元: an amount printed in 元 is converted, the factor told by the
    flag (converted_unit:元) and the printed text kept in ``raw``."""
    text = FEES.replace("（单位：万元）", header).replace("764.41", cell)
    f = extract(text.encode("utf-8")).fields["active.fees.amount"]
    assert (f.value, f.unit, f.raw, f.flags, f.needs_review) == (value, "万元", cell, flags, False)


def test_an_amount_in_a_unit_that_is_no_money_unit_is_flagged():
    f = extract(FEES.replace("764.41", "764个").encode("utf-8")).fields["active.fees.amount"]
    assert f.needs_review and "unknown_unit" in f.flags


def test_an_amount_the_form_gives_no_unit_keeps_the_unit_printed():
    """The 2019 form names no unit for procurement: the amount is read as printed, with its unit."""
    f = extract(PROCUREMENT.replace("223000.00元", "22.3万元").encode("utf-8")).fields["active.procurement.amount"]
    assert (f.value, f.unit, f.needs_review) == (22.3, "万元", False)


@pytest.mark.parametrize("fixture", ["lines_0_gov2019.txt", "tabs_2_gov2019.txt", "html_0_gov2019.html"])
def test_a_title_without_its_year_leaves_year_and_body_right_or_flagged(fixture):
    """The title printed without its year: the year is read from a sentence (flagged), and the body's
    name cut out of a traditional-script sentence (現公佈…) carries no word of it."""
    truth = load_truth(FIXTURES / "text" / "truth" / f"{Path(fixture).stem}.json")
    lines = (FIXTURES / "text" / fixture).read_text(encoding="utf-8").splitlines()
    k = next(k for k, line in enumerate(lines) if f"{truth['year']}年政府" in line)
    lines[k] = lines[k].replace(f"{truth['year']}年", "")
    meta = extract("\n".join(lines).encode("utf-8")).meta
    assert meta["year"].value == truth["year"] and meta["year"].needs_review
    assert label_key(meta["agency"].value) == label_key(truth["agency"])


def test_a_title_whose_body_is_cut_short_is_flagged():
    """The words before the year that do not end as a body's name (a label cut in the title) are flagged;
    the year beside them is not."""
    meta = read_metadata(["遵义市农业农2021年政府信息公开工作年度报告"], "")
    assert (meta["agency"].value, meta["agency"].needs_review, meta["agency"].flags) == ("遵义市农业农", True, ["not_a_name"])
    assert (meta["year"].value, meta["year"].needs_review) == (2021, False)
