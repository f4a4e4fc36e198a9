"""Web text whose layout was lost: real scraped pages (the whole body on one line) held to hand-read truth."""

from pathlib import Path

import pytest

from gxextract import extract
from gxextract.digitruns import cuts
from gxextract.errors import TooLarge
from gxextract.models import Cell, Document, Row, Source
from gxextract.restream import MAX_STREAM, restream, value_cells

from .conftest import FIXTURES, extract_against_truth

WEBTEXT = sorted((FIXTURES / "webtext").glob("*.txt"))


@pytest.mark.parametrize("path", WEBTEXT, ids=lambda p: p.stem)
def test_real_web_text_on_one_line(path: Path):
    report, truth, wrong, silent = extract_against_truth(path)
    assert silent == []
    assert (report.template, report.year) == (truth["template"], truth["year"])
    # every request and appeal is decided by the relations; section 二 runs have none to decide them
    assert [w for w in wrong if not w.startswith("active.")] == []
    assert len(wrong) <= 0.03 * len(truth["fields"])


def _cut(line: str) -> list[list[str]]:
    doc = Document(source=Source(format="text"), rows=[Row(cells=[Cell(text=line)], structured=False)])
    return [[c.text for c in r.cells] for r in restream(doc).rows]


def test_numbering_glued_to_the_last_row_goes_with_its_label():
    rows = _cut("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
                "3.危及“三安全一稳定”1000001（七）总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议")
    assert ["1.属于国家秘密", "0000000"] in rows
    assert ["2.其他法律行政法规禁止公开", "0000000"] in rows
    assert ["（七）总计", "630020469"] in rows
    assert ["四、结转下年度继续办理", "1000001"] in rows


def test_a_line_with_one_labelled_run_is_left_as_it_is():
    assert _cut("（一）予以公开600020466") == [["（一）予以公开600020466"]]


def test_stray_spaces_are_cells_only_when_they_give_the_row_its_cells():
    seven = frozenset({7})
    assert value_cells("4 0 0 0 0 0 4", seven) == (["4", "0", "0", "0", "0", "0", "4"], "")
    assert value_cells("200 000121", seven) == (["200000121"], "")
    assert value_cells("1个246900元", frozenset({2})) == (["1个", "246900元"], "")
    assert value_cells("类信息80条，", seven) is None
    assert value_cells("2602条，其中", seven) is None


def test_signed_runs_are_cut_at_the_sign_of_a_signed_column():
    assert (20, 17, 37) in set(cuts("20+1737", 3, [False, True, False]))
    assert all(c[1] < 0 for c in cuts("2648-18538", 3, [False, True, False]))
    assert list(cuts("5-3", 2)) == []  # no signed column: no cut


def test_a_line_longer_than_any_report_is_refused():
    line = "规章000行政规范性文件693665第二十条第（五）项" * (MAX_STREAM // 20)
    with pytest.raises(TooLarge):
        extract(line.encode("utf-8"))
