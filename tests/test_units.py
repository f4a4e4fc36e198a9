"""Small parts on their own: values, labels, digit-run cuts, templates, metadata."""

import pytest

from gxextract.digitruns import cuts
from gxextract.metadata import read_metadata
from gxextract.normalize import label_key
from gxextract.templates import get_template
from gxextract.values import parse_value


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
