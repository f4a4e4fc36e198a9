"""A batch's reports as a panel (body × year) and the relations across a body's consecutive years,
on a series made from a real-shaped report: three years, a duplicate, a name printed another way,
and one deliberate break."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gxextract.batch import BatchOptions, run_batch
from gxextract.confidence import CONFIRMED
from gxextract.panel import NAMES, body_name, make_panel, write
from gxextract.templates import cross_year

from .conftest import FIXTURES, ROOT

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


# ---------------------------------------------------------------- rendered series with truth


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> tuple[Path, dict]:
    """A rendered series: 4 bodies over 3–6 years, a renamed body, names printed other ways, a year
    published twice, deliberate breaks (`benchmarks.corpus.series`)."""
    from benchmarks.corpus.series import generate

    src = tmp_path_factory.mktemp("rendered")
    return src, generate(src, bodies=4, seed=3, log=lambda _: None)


def _truth(src: Path, file: str) -> dict:
    return json.loads((src / "truth" / f"{Path(file).stem}.json").read_text(encoding="utf-8"))


def _batch(series, out: Path, **kw) -> Path:
    src, made = series
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "names.csv", out / NAMES)
    kw.setdefault("workers", 2)
    run_batch(BatchOptions(inputs=[str(src / d["file"]) for d in made["documents"]], out=out, quiet=True, **kw))
    return out


@pytest.fixture(scope="module")
def series_out(series, tmp_path_factory) -> Path:
    return _batch(series, tmp_path_factory.mktemp("series_out"))


def _found(out: Path) -> set[tuple]:
    panel = make_panel(out)
    name = {r.document: Path(r.path).name for r in panel.rows}
    return {(c["body"], c["year"], c["relation"], name[c["document"]], name[c["previous_document"]])
            for c in panel.cross_year if not c["holds"]}


def _fields(out: Path) -> dict[tuple[str, str], dict]:
    """(file, field) → its row of fields.parquet."""
    return {(Path(r["path"]).name, r["field"]): r for r in pq.read_table(out / "fields.parquet").to_pylist()}


def test_a_batch_over_a_rendered_series_finds_every_break_and_groups_every_name(series, series_out):
    from benchmarks.corpus.series import expected_breaks

    _, made = series
    panel = make_panel(series_out)
    where = {d["file"]: (d["body"], d["year"]) for d in made["documents"]}
    assert {Path(r.path).name: (r.body, r.year) for r in panel.rows} == where  # renamed and respelled grouped
    assert len({b for b, _ in where.values()}) == 4 and panel.unplaced == []
    assert [r.duplicate for r in panel.rows].count(True) == 2
    want = expected_breaks(made)
    assert made["breaks"] and _found(series_out) == want  # every deliberate break, nothing else


def test_broken_relations_flag_their_fields_in_both_reports_and_change_no_value(series, series_out):
    _, made = series
    rows = _fields(series_out)
    journal = {(Path(r["batch"]["path"]).name, fid): f for r in map(json.loads, open(series_out / "reports.jsonl"))
               for fid, f in r["fields"].items()}
    panel = make_panel(series_out)
    doc = {r.document: Path(r.path).name for r in panel.rows}
    relations = {r.name: r for r in cross_year()}
    broken = [c for c in panel.cross_year if not c["holds"]]
    for c in broken:
        for term in relations[c["relation"]].fields:
            now, before = doc[c["document"]], doc[c["previous_document"]]
            mine, other = (before, c["document"]) if term.startswith("prev.") else (now, c["previous_document"])
            row = rows[(mine, term.removeprefix("prev."))]
            assert f"cross_year:{c['relation']}:{other}" in row["flags"] and row["needs_review"]
    flagged = {k for k, r in rows.items() if any(x.startswith("cross_year:") for x in r["flags"])}
    assert flagged and all(rows[k]["value"] == journal[k]["value"] for k in flagged)  # never a change of value
    with open(series_out / "review.csv", encoding="utf-8-sig", newline="") as fh:
        listed = {(Path(r["path"]).name, r["field"]) for r in csv.DictReader(fh) if "cross_year:" in r["reason"]}
    assert listed == flagged
    with open(series_out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        counts = {Path(r["path"]).name: int(r["needs_review"]) for r in csv.DictReader(fh)}
    assert counts == {d["file"]: sum(r["needs_review"] for (f, _), r in rows.items() if f == d["file"])
                      for d in made["documents"]}
    for (file, fid) in flagged:  # the report's own JSON says so too
        report = json.loads((series_out / "json" / f"{Path(file).stem}.json").read_text(encoding="utf-8"))
        assert report["fields"][fid]["needs_review"] and report["fields"][fid]["flags"] == rows[(file, fid)]["flags"]


def test_no_silent_error_in_the_rendered_series(series, series_out):
    src, made = series
    rows = _fields(series_out)
    for d in made["documents"]:
        truth = _truth(src, d["file"])["fields"]
        silent = [fid for fid, want in truth.items()
                  if not rows[(d["file"], fid)]["needs_review"] and rows[(d["file"], fid)]["value"] != want]
        assert silent == [], d["file"]


GOV2019 = (FIXTURES / "text" / "tabs_0_gov2019.txt").read_text(encoding="utf-8")  # 玉林市教育局, 2019
LOOSE = ("其他对外管理服务事项", "对外管理服务事项")
"""The row label cut short: the row's values are read, flagged only as unsure (low_confidence)."""


def test_a_cross_year_relation_confirms_only_a_field_flagged_as_unsure_whose_partners_are_sure(tmp_path):
    """Two bodies' 2019 and 2020 reports; 其他对外管理服务事项 上一年项目数量 of 2020 (7) = that of 2019 (7)
    + its 本年增/减 (0). The first body prints 2020's label cut short; the second both years'."""
    from gxextract import extract

    src = tmp_path / "in"
    src.mkdir()
    second = GOV2019.replace("玉林市教育局", "玉林市财政局")
    for name, text in (("a_2019.txt", GOV2019), ("a_2020.txt", GOV2019.replace("2019年", "2020年").replace(*LOOSE)),
                       ("b_2019.txt", second.replace(*LOOSE)),
                       ("b_2020.txt", second.replace("2019年", "2020年").replace(*LOOSE))):
        (src / name).write_text(text, encoding="utf-8")
    read = extract(src / "a_2020.txt").fields
    assert [read[f"active.other_services.{c}"].flags for c in ("prev_count", "change")] == [["low_confidence"]] * 2
    run_batch(BatchOptions(inputs=[str(src)], out=tmp_path / "out", workers=1, quiet=True))
    rows = _fields(tmp_path / "out")
    confirmed = {k for k, r in rows.items() if any(x.startswith("cross_year_confirmed:") for x in r["flags"])}
    assert confirmed == {("a_2020.txt", "active.other_services.prev_count")}
    row = rows[("a_2020.txt", "active.other_services.prev_count")]
    assert (row["value"], row["needs_review"], row["confidence"]) == (7, False, CONFIRMED)
    assert row["flags"][0] == "low_confidence"  # its flag of doubt kept beside it
    assert rows[("a_2020.txt", "active.other_services.change")]["needs_review"]  # a 0: never confirmed
    assert rows[("b_2020.txt", "active.other_services.prev_count")]["needs_review"]  # its partners unsure


def test_the_review_page_lists_cross_year_cells_naming_the_other_report(series_out):
    from gxextract.review.page import items

    found = [i for i in items(series_out, pictures=False) if "cross_year" in i["reasons"]]
    rows = _fields(series_out)
    names = {file for file, _ in rows}
    assert {(Path(i["path"]).name, i["field"]) for i in found} == \
        {k for k, r in rows.items() if any(x.startswith("cross_year:") for x in r["flags"])}
    for i in found:
        across = [r for r in i["relations"] if r.get("other")]
        assert across and all(r["holds"] is False for r in across)
        assert all(r["other"].split(" ")[0] in (f"{i['year'] - 1}:", f"{i['year'] + 1}:") for r in across)
        assert all(r["other"].split(" ")[1] in names for r in across)  # the other report's file
        assert all(t["value"] is not None for r in across for t in r["lhs_terms"] + r["rhs_terms"])
    assert not any(any(x.startswith("cross_year_confirmed") for x in i["flags"]) for i in items(series_out, False))


def _tables(out: Path) -> dict[str, list[dict]]:
    """The panel, the cross-year checks and the flags of every field, as written."""
    fields = pq.read_table(out / "fields.parquet", columns=["document", "field", "value", "needs_review", "flags",
                                                             "confidence"])
    return {"panel": pq.read_table(out / "panel.parquet").to_pylist(),
            "cross_year": pq.read_table(out / "cross_year.parquet").to_pylist(),
            "fields": sorted(fields.to_pylist(), key=lambda r: (r["document"], r["field"]))}


def test_an_interrupted_batch_resumed_gives_the_panel_of_an_uninterrupted_one(series, series_out, tmp_path,
                                                                              monkeypatch):
    from .test_batch import _stop_after

    out = tmp_path / "out"
    _stop_after(5, monkeypatch)
    _batch(series, out, workers=1)
    monkeypatch.undo()
    assert len(pq.read_table(out / "panel.parquet")) < len(series[1]["documents"])  # the panel of what was done
    _batch(series, out)
    assert _tables(out) == _tables(series_out)


@pytest.mark.ray
def test_the_ray_executor_gives_the_same_panel_and_flags(series, series_out, tmp_path):
    pytest.importorskip("ray")
    assert _tables(_batch(series, tmp_path / "ray", executor="ray")) == _tables(series_out)


def _snippets(language: str) -> list[str]:
    text = (ROOT / "docs" / "panel.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_the_loading_snippets_of_docs_panel_run(series, series_out, tmp_path, monkeypatch):
    """docs/panel.md's pandas and DuckDB snippets, on a batch of the rendered series in ``results/``."""
    pd = pytest.importorskip("pandas")
    (tmp_path / "results").symlink_to(series_out)
    monkeypatch.chdir(tmp_path)
    [python] = _snippets("python")
    scope: dict = {}
    exec(python, scope)
    expected = {(d["body"], d["year"]) for d in series[1]["documents"]}
    duplicated = {k for k in expected if sum((d["body"], d["year"]) == k for d in series[1]["documents"]) > 1}
    received = scope["received"]
    assert {(b, y) for b in received.index for y in received.columns if not pd.isna(received.loc[b, y])} == \
        expected - duplicated
    assert len(scope["breaks"]) == len(_found(series_out)) and len(scope["flagged"]) > 0
    import duckdb
    panel, breaks, flagged = [duckdb.sql(q).fetchall() for q in _snippets("sql")[0].strip().splitlines()]
    assert {(b, y) for b, y, _ in panel} == expected
    assert len(breaks) == len(scope["breaks"]) and len(flagged) == len(scope["flagged"])


def test_a_reviewer_decision_keeps_the_other_reports_flag_and_panel_names_are_kept(batch_out, tmp_path):
    """apply: the field decided loses its cross-year flag, the other report's field keeps it; gxextract panel
    --names keeps the names file in the folder, and the tables it rewrites group by it."""
    from click.testing import CliRunner

    from gxextract.cli import main
    from gxextract.review.apply import apply

    out = tmp_path / "out"
    shutil.copytree(batch_out, out)
    rows = {(r["year"], r["document"], r["field"]): r for r in pq.read_table(out / "fields.parquet").to_pylist()
            if any(x.startswith("cross_year:") for x in r["flags"])}
    (year, doc, fid), row = max(rows.items())  # 上年结转 of 2023, against both copies of 2022
    decision = {"document": doc, "field": fid, "decision": "accept_value", "value": row["value"], "read": row["value"]}
    (tmp_path / "corrections.json").write_text(json.dumps({"corrections": [decision]}), encoding="utf-8")
    apply(out, tmp_path / "corrections.json")
    after = {(r["year"], r["document"], r["field"]): r for r in pq.read_table(out / "fields.parquet").to_pylist()
             if any(x.startswith("cross_year:") for x in r["flags"])}
    assert set(after) == set(rows) - {(year, doc, fid)} and len(after) == 2
    (tmp_path / "names.csv").write_text("name,body\n遵义市自然资源局,遵义市自然资源和规划局\n", encoding="utf-8")
    got = CliRunner().invoke(main, ["panel", str(out), "--names", str(tmp_path / "names.csv")])
    assert got.exit_code == 0, got.output
    assert (out / NAMES).read_text(encoding="utf-8") == (tmp_path / "names.csv").read_text(encoding="utf-8")
    assert {r.body for r in make_panel(out).rows} == {"遵义市自然资源和规划局"}
    assert len([r for r in pq.read_table(out / "fields.parquet").to_pylist()
                if any(x.startswith("cross_year:") for x in r["flags"])]) == 2
