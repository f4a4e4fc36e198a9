"""Our own text fixtures: every shape of the seeds, twice, with non-zero values and slips."""

from pathlib import Path

import pytest

from gxextract import extract

from .conftest import FIXTURES, extract_against_truth, load_truth, mismatches

TEXT = sorted(p for p in (FIXTURES / "text").iterdir() if p.is_file())


@pytest.mark.parametrize("path", TEXT, ids=lambda p: p.stem)
def test_text_fixture(path: Path):
    report, truth, wrong, silent = extract_against_truth(path)
    assert silent == []
    assert (report.template, report.year) == (truth["template"], truth["year"])
    if truth["form"] != "runs" or not truth.get("slip"):
        # a web copy cannot show where a money amount and a count ran together: allowed, flagged
        assert [w for w in wrong if "procurement" not in w] == []
    if truth.get("slip"):
        slip = truth["slip"]
        field = report.fields[slip["field"]]
        assert field.value == slip["printed"] and field.needs_review
        assert any(f.startswith("relation:") for f in field.flags)
        assert field.proposed == slip["consistent"]
        assert sum(f.proposed is not None for f in report.fields.values()) == 1
    else:
        assert all(c.holds is not False for c in report.checks)


def test_every_shape_is_covered_twice_with_non_zero_values():
    shapes = {}
    for path in TEXT:
        truth = load_truth(FIXTURES / "text" / "truth" / f"{path.stem}.json")
        if not truth.get("slip"):
            shapes.setdefault(truth["form"], []).append(sum(bool(v) for v in truth["fields"].values()))
    assert set(shapes) == {"lines", "tabs", "pipes", "markdown", "spaces", "runs", "html"}
    assert all(len(counts) >= 2 and min(counts) >= 10 for counts in shapes.values())


WEB_COPY = """某某市科技局2021年政府信息公开工作年度报告
二、主动公开政府信息情况
信息内容本年制发件数本年废止件数现行有效件数
规章000
行政规范性文件693665
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量640020470
二、上年结转政府信息公开申请数量0000000
三、本年度办理结果
（一）予以公开600020466
（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000
（三）不予公开
1.属于国家秘密0000000
2.其他法律行政法规禁止公开0000000
3.危及“三安全一稳定”0000000
4.保护第三方合法权益0000000
5.属于三类内部事务信息0000000
6.属于四类过程性信息0000000
7.属于行政执法案卷0000000
8.属于行政查询事项0000000
（四）无法提供
1.本机关不掌握相关政府信息3000003
2.没有现成信息需要另行制作0000000
3.补正后申请内容仍不明确0000000
（五）不予处理
1.信访举报投诉类申请0000000
2.重复申请0000000
3.要求提供公开出版物0000000
4.无正当理由大量反复申请0000000
5.要求行政机关确认或重新出具已获取信息0000000
（六）其他处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请0000000
3.其他0000000
（七）总计630020469
四、结转下年度继续办理1000001
"""


def test_web_copy_digit_runs_are_split_by_the_relations():
    report = extract(WEB_COPY.encode("utf-8"))
    cols = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
    row = lambda name: tuple(report.fields[f"requests.{name}.{c}"].value for c in cols)  # noqa: E731
    assert row("new_received") == (64, 0, 0, 2, 0, 4, 70)
    assert row("total") == (63, 0, 0, 2, 0, 4, 69)
    assert row("disclosed") == (60, 0, 0, 2, 0, 4, 66)
    assert not any(report.fields[f"requests.{r}.{c}"].needs_review for r in ("new_received", "total") for c in cols)
    ambiguous = [report.fields[f"active.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")]
    assert all(f.needs_review and "ambiguous_split" in f.flags for f in ambiguous)


def test_page_number_under_a_table_row_is_not_its_value():
    """A page number left between table rows by a copy from a PDF ("3" on its own line) after a row
    of values, the last one included, is not one of that row's values."""
    path = FIXTURES / "text" / "tabs_1_gov2021.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith(("\t四、结转下年度", "2\t0\t72"))]
    assert len(at) == 2
    for i in reversed(at):
        lines.insert(i + 1, "3")
    report = extract("\n".join(lines).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json"))
    assert wrong == [] and silent == []
    assert not any("extra_values" in f.flags for f in report.fields.values())


def test_bracketed_note_cut_short_by_a_lost_wrap_still_names_its_row():
    """（二）部分公开（区分处理的，只计 | 这一情形…）: the second line of a wrapped label lost, its
    bracket left open; the row is still 部分公开, matched in full."""
    path = FIXTURES / "text" / "tabs_1_gov2021.txt"
    text = path.read_text(encoding="utf-8")
    full = next(line.split("\t")[1] for line in text.splitlines() if "部分公开" in line)
    assert "（区分处理的" in full or "(区分处理的" in full
    cut = full[: full.index("只计") + 2]
    report = extract(text.replace(full, cut).encode("utf-8"))
    f = report.fields["requests.partially_disclosed.total"]
    truth = load_truth(FIXTURES / "text" / "truth" / "tabs_1_gov2021.json")
    assert f.value == truth["fields"]["requests.partially_disclosed.total"]
    assert "fuzzy_label" not in f.flags and not f.needs_review
