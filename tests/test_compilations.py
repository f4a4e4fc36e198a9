"""Compilations (年报汇编): several reports in one file are each found and read on their own rows, and
a file that holds one report is never split (running headers, a table of contents, last year's title)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gxextract import SeveralReports, extract, extract_all
from gxextract.batch import BatchOptions, run_batch
from gxextract.outputs.journal import read_records

from .conftest import FIXTURES, load_truth, mismatches

COMPILATIONS = sorted(p for p in (FIXTURES / "compilations").iterdir() if p.is_file())
EXACT = {"html", "docx", "pdf"}
"""Forms whose reports read exactly alone: in a compilation too. The text forms' wrong fields are flagged."""
TEXT = FIXTURES / "text"
FIRST, SECOND = TEXT / "tabs_1_gov2021.txt", TEXT / "tabs_0_gov2019.txt"


def _parts(path: Path) -> list[dict]:
    return load_truth(path.parent / "truth" / f"{path.stem}.json")["parts"]


@pytest.mark.parametrize("path", COMPILATIONS, ids=lambda p: p.name)
def test_every_report_of_a_compilation_is_read_as_its_truth(path: Path):
    truths = _parts(path)
    reports = extract_all(path)
    assert [(r.part, r.template, r.year, r.agency) for r in reports] == \
        [(k, t["template"], t["year"], t["agency"]) for k, t in enumerate(truths, 1)]
    for report, truth in zip(reports, truths):
        wrong, silent = mismatches(report, truth)
        assert silent == []
        if path.stem.split("_")[0] in EXACT:
            assert wrong == []
    spans = [r.span for r in reports]
    assert all(a.rows[1] <= b.rows[0] and a.chars[1] <= b.chars[0] for a, b in zip(spans, spans[1:]))
    assert all(s.title and str(r.year) in s.title for s, r in zip(spans, reports))


def test_a_report_ends_on_the_page_where_the_next_one_begins():
    spans = [r.span for r in extract_all(FIXTURES / "compilations" / "pdf_3.pdf")]
    assert all(a.pages[1] == b.pages[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("path", COMPILATIONS[:1], ids=lambda p: p.name)
def test_extract_on_a_compilation_names_every_report(path: Path):
    with pytest.raises(SeveralReports) as caught:
        extract(path)
    truths = _parts(path)
    assert [p["part"] for p in caught.value.parts] == list(range(1, len(truths) + 1))
    assert all(t["agency"] in p["title"] for p, t in zip(caught.value.parts, truths))
    assert all(p["title"] in str(caught.value) for p in caught.value.parts)


def test_two_reports_in_one_text_file(tmp_path):
    both = tmp_path / "two.txt"
    both.write_text(FIRST.read_text(encoding="utf-8") + "\n" + SECOND.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SeveralReports) as caught:
        extract(both)
    assert caught.value.code == "several_reports" and len(caught.value.parts) == 2
    reports = extract_all(both)
    assert [r.part for r in reports] == [1, 2]
    for report, alone in zip(reports, (FIRST, SECOND)):
        wrong, silent = mismatches(report, load_truth(TEXT / "truth" / f"{alone.stem}.json"))
        assert silent == []
        single = extract(alone)
        assert (report.agency, report.year, report.template) == (single.agency, single.year, single.template)
        assert {k: (f.value, f.needs_review) for k, f in report.fields.items()} == \
            {k: (f.value, f.needs_review) for k, f in single.fields.items()}


def test_a_2018_table_after_a_2019_report_is_a_report_of_its_own_even_untitled():
    legacy = FIXTURES / "seeds" / "002_0f258da4c2a9d132.txt"
    data = SECOND.read_bytes() + b"\n" + legacy.read_bytes()
    first, second = extract_all(data)
    assert (first.template, first.agency, second.template, second.year) == \
        ("gov2019", "玉林市教育局", "legacy2018", 2018)
    alone = extract(legacy)
    assert {k: f.value for k, f in second.fields.items()} == {k: f.value for k, f in alone.fields.items()}
    wrong, silent = mismatches(first, load_truth(TEXT / "truth" / f"{SECOND.stem}.json"))
    assert silent == []


def test_one_report_alone_is_one_report_without_a_part():
    (report,) = extract_all(FIRST)
    assert report.part is None and report.span is None
    assert report.model_dump() == extract(FIRST).model_dump()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _single_shapes(path: Path) -> dict[str, str]:
    """One report laid out as real files lay a single report out, with titles that start nothing."""
    lines = _lines(path)
    title = lines[0]
    tables = [k for k, line in enumerate(lines) if "\t" in line]
    header = [title, "- 3 -"]
    every_page = []
    for k, line in enumerate(lines):
        every_page.append(line)
        if k and k % 17 == 0:  # a page break: footer, then the title as a running header, inside tables too
            every_page += [f"- {k // 17} -", title]
    contents = ["目  录", title, "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", ""]
    cited = lines[: tables[-1] + 1] + ["相关链接：", title.replace("2022", "2021"), title.replace("2022", "2020")] \
        + lines[tables[-1] + 1:]
    subtitle = [title, f"（{title[:8]}办公室 2023年1月）"] + lines[1:]
    overview_twice = lines[:1] + lines[1:3] + [title, "一、总体情况"] + lines[3:]
    return {"running headers": "\n".join(every_page), "table of contents": "\n".join(contents + lines),
            "last year's report cited": "\n".join(cited), "sub-title": "\n".join(subtitle),
            "title and overview repeated before the tables": "\n".join(overview_twice),
            "headers and footers": "\n".join(lines[: tables[5]] + header + lines[tables[5]:])}


@pytest.mark.parametrize("shape", list(_single_shapes(FIRST)))
def test_titles_that_start_nothing_leave_one_report(shape: str):
    text = _single_shapes(FIRST)[shape]
    (report,) = extract_all(text.encode("utf-8"))
    assert report.part is None
    assert extract(text.encode("utf-8")).agency == "遵义市自然资源局"
    wrong, silent = mismatches(report, load_truth(TEXT / "truth" / f"{FIRST.stem}.json"))
    assert silent == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "seeds").glob("*.txt")) + sorted(TEXT.glob("*.*")),
                         ids=lambda p: p.name)
def test_a_single_report_is_never_split(path: Path):
    assert [r.part for r in extract_all(path)] == [None]


def test_a_batch_folder_with_a_compilation_gives_one_record_per_report(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    compilation = FIXTURES / "compilations" / "html_3.html"
    (inputs / compilation.name).write_bytes(compilation.read_bytes())
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        (inputs / seed.name).write_bytes(seed.read_bytes())
    summary = run_batch(BatchOptions(inputs=[str(inputs)], out=out, workers=2, quiet=True))
    assert (summary.documents, summary.failed, summary.total_reports) == (6, 0, 8)
    records = [rec for _, rec in read_records(out / "reports.jsonl")]
    parts = [r for r in records if r["part"] is not None]
    key = parts[0]["source"]["sha256"]
    assert [(r["document"], r["part"], r["agency"]) for r in parts] == \
        [(f"{key}#{k}", k, t["agency"]) for k, t in enumerate(_parts(compilation), 1)]
    assert all(r["span"]["rows"] for r in parts)
    names = sorted(p.name for p in (out / "json").glob("html_3*.json"))
    assert names == ["html_3_part1.json", "html_3_part2.json", "html_3_part3.json"]
    wide = (out / "reports.csv").read_text(encoding="utf-8-sig")
    assert all(f"{key}#{k}" in wide for k in (1, 2, 3))
    seeds = subprocess.run([sys.executable, "-m", "gxextract", "score", str(FIXTURES / "seeds" / "truth"),
                            str(out / "json")], capture_output=True, text=True, check=True).stdout
    assert "accuracy=1.0000" in seeds and "silent_errors=0" in seeds

    again = run_batch(BatchOptions(inputs=[str(inputs)], out=out, workers=2, quiet=True))
    assert (again.already_done, again.processed, again.total_reports) == (6, 0, 8)
    forced = run_batch(BatchOptions(inputs=[str(inputs)], out=out, workers=2, quiet=True, force=True))
    assert (forced.processed, forced.total_reports) == (6, 8)
    assert len(list(read_records(out / "reports.jsonl"))) == 8  # compacted: each report once


def test_cli_all_prints_every_report(tmp_path):
    path = FIXTURES / "compilations" / "docx_3.docx"
    run = [sys.executable, "-m", "gxextract", "extract", str(path)]
    refused = subprocess.run(run, capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stdout == "" and "several_reports" in refused.stderr
    printed = json.loads(subprocess.run(run + ["--all", "--json"], capture_output=True, text=True, check=True).stdout)
    assert [(r["part"], r["agency"]) for r in printed] == [(k, t["agency"]) for k, t in enumerate(_parts(path), 1)]
    rows = subprocess.run(run + ["--all", "--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert rows.startswith("part,document,") and {line.split(",")[0] for line in rows.splitlines()[1:]} == {"1", "2", "3"}
