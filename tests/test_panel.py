"""A batch's reports as a panel (body × year) and the relations across a body's consecutive years,
on a series made from a real-shaped report: three years, a duplicate, a name printed another way,
and one deliberate break."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gxextract.batch import BatchOptions, run_batch
from gxextract.panel import body_name, make_panel, write

from .conftest import FIXTURES

REPORT = (FIXTURES / "text" / "tabs_1_gov2021.txt").read_text(encoding="utf-8")  # 遵义市自然资源局, 2022


def _year(text: str, year: int) -> str:
    return text.replace("2022年", f"{year}年")


def _series(folder: Path) -> None:
    """2021, 2022 (twice: a corrected re-publication), 2023. Stocks and carry-overs agree, except
    the carry-over of natural persons into 2023 (5, where 2022 carried forward 0)."""
    y2021 = _year(REPORT, 2021).replace("规章\t0\t74\t2", "规章\t0\t0\t76").replace("行政规范性文件\t1\t0\t5", "行政规范性文件\t0\t0\t4")
    y2021 = y2021.replace("遵义市自然资源局", "遵義市 自然資源局")  # printed in traditional script, a space
    y2023 = _year(REPORT, 2023).replace("规章\t0\t74\t2", "规章\t0\t0\t2").replace("行政规范性文件\t1\t0\t5", "行政规范性文件\t1\t0\t6")
    y2023 = y2023.replace("一、本年新收政府信息公开申请数量\t4813", "一、本年新收政府信息公开申请数量\t4808")
    y2023 = y2023.replace("二、上年结转政府信息公开申请数量\t0", "二、上年结转政府信息公开申请数量\t5")
    corrected = REPORT.replace("行政许可\t15", "行政许可\t16")
    for name, text in (("a_2021.txt", y2021), ("b_2022.txt", REPORT), ("c_2022_corrected.txt", corrected),
                       ("d_2023.txt", y2023)):
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("series")
    out = tmp_path_factory.mktemp("out")
    _series(src)
    run_batch(BatchOptions(inputs=[str(src)], out=out, workers=1, quiet=True))
    return out


def test_names_of_one_body_are_one_key():
    assert body_name("遵義市 自然資源局") == body_name("遵义市自然资源局") == "遵义市自然资源局"
    assert body_name("某县人民政府办公室") == body_name("某县人民政府")
    assert body_name("某县人民政府办公室", {"某县人民政府办公室": "某县政府办"}) == "某县政府办"


def test_panel_rows_are_body_by_year_and_keep_both_copies_of_a_year(batch_out):
    panel = make_panel(batch_out)
    assert [(r.body, r.year, r.duplicate) for r in panel.rows] == [
        ("遵义市自然资源局", 2021, False), ("遵义市自然资源局", 2022, True), ("遵义市自然资源局", 2022, True),
        ("遵义市自然资源局", 2023, False)]
    assert sorted(r.values["active.licensing.decisions"] for r in panel.rows if r.year == 2022) == [15, 16]


def test_cross_year_relations_find_the_break_and_nothing_else(batch_out):
    panel = make_panel(batch_out)
    broken = [(c["relation"], c["year"]) for c in panel.cross_year if not c["holds"]]
    assert broken == [("carried_over:natural_person", 2023)] * 2  # against each copy of 2022
    held = {c["relation"].split(":")[0] for c in panel.cross_year if c["holds"]}
    assert held == {"carried_over", "in_force"}
    stock = next(c for c in panel.cross_year if c["relation"] == "in_force:regulations" and c["year"] == 2022)
    assert (stock["lhs"], stock["rhs"]) == (2 + 74, 76 + 0)


def test_the_batch_writes_the_panel_as_it_ends(batch_out):
    """Written by the batch itself (`--no-panel` to leave it out), as `write` writes it."""
    for name in ("panel.parquet", "panel.csv", "cross_year.parquet", "cross_year.csv"):
        assert (batch_out / name).exists()
    written = write(batch_out, make_panel(batch_out))
    assert {p.name for p in written} == {"panel.parquet", "panel.csv", "cross_year.parquet", "cross_year.csv"}
    table = pq.read_table(batch_out / "panel.parquet")
    assert table.num_rows == 4 and "requests.carried_over.natural_person" in table.column_names
    with open(batch_out / "cross_year.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(r["holds"] == "False" for r in rows) == 2


def test_panel_command(batch_out, tmp_path):
    from click.testing import CliRunner

    from gxextract.cli import main

    got = CliRunner().invoke(main, ["panel", str(batch_out)])
    assert got.exit_code == 0, got.output
    assert "4 reports of 1 bodies" in got.output and "2 broken" in got.output
    refused = CliRunner().invoke(main, ["panel", str(tmp_path)])
    assert refused.exit_code != 0 and "not a batch output folder" in refused.output
