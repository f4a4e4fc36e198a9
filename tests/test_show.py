"""What `gxextract extract` shows: the tables as the form prints them, flagged cells explained,
warnings and broken relations; the other formats; a report printed in Python; OCR page progress."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

from rich.console import Console

from gxextract import extract
from gxextract.longform import COLUMNS
from gxextract.view.progress import page_progress

from .conftest import FIXTURES

SLIPPED = FIXTURES / "text" / "pipes_2_gov2019.txt"
"""A report whose own sums break at one cell (自然人 of 补正后申请内容仍不明确 printed 1 for 0)."""


def gx(*args: str, columns: int = 200) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS=str(columns))
    return subprocess.run([sys.executable, "-m", "gxextract", *args], capture_output=True, text=True, env=env)


def row(out: str, label: str) -> list[str]:
    """The cells of the first printed line that starts with ``label``."""
    return next(line.split() for line in out.splitlines() if line.startswith(label + " "))


def test_plain_output_shows_the_tables_as_printed_with_flags_explained():
    report = extract(SLIPPED)
    out = gx("extract", str(SLIPPED)).stdout
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        assert heading in out
    penalty = [report.fields[f"active.penalty.{c}"].value for c in ("prev_count", "change", "decisions")]
    assert row(out, "行政处罚") == ["行政处罚", *map(str, penalty)]
    assert row(out, "结转下年度继续办理")[1:] == \
        [str(f.value) for fid, f in report.fields.items() if fid.startswith("requests.carried_forward.")]
    assert "自然人" in out and "法人或其他组织" in out and "复议后起诉" in out  # column labels as printed
    # the slipped cell: marked in its row, explained under the table, its relations listed at the end
    mark = re.fullmatch(r"1\[(\d+)\]", row(out, "补正后申请内容仍不明确")[1])
    assert mark, row(out, "补正后申请内容仍不明确")
    note = next(line for line in out.splitlines() if line.startswith(f"[{mark[1]}] "))
    assert "relation:row_total:unavailable.unclear" in note and "proposed 0" in note
    broken = out[out.index("relations that do not hold"):]
    assert "row_total:unavailable.unclear: 0 ≠ 1" in broken and "column_total:natural_person: 70 ≠ 71" in broken
    assert "proposed_correction: one value here would make every broken relation hold" in out  # the flags seen


def test_a_narrow_terminal_cuts_headings_never_values():
    out = gx("extract", str(SLIPPED), columns=60).stdout
    assert "…" not in out
    assert row(out, "总计")[1:] == ["70", "16", "57", "7", "4", "0", "154"]


def test_a_truncated_report_shows_its_warnings(tmp_path):
    seed = (FIXTURES / "seeds" / "001_2561814c437a049f.txt").read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(seed[:seed.index("四、")], encoding="utf-8")
    out = gx("extract", str(cut)).stdout
    assert "section appeals not found" in out[out.index("warnings"):]


def test_formats_json_and_csv():
    as_json = gx("extract", str(SLIPPED), "--json").stdout
    assert gx("extract", str(SLIPPED), "--format", "json").stdout == as_json
    report = json.loads(as_json)
    rows = list(csv.DictReader(io.StringIO(gx("extract", str(SLIPPED), "--format", "csv").stdout)))
    assert list(rows[0]) == COLUMNS and len(rows) == len(report["fields"])
    slip = next(r for r in rows if r["field"] == "requests.unavailable.unclear.natural_person")
    assert (slip["value"], slip["proposed"], slip["column"]) == ("1", "0", "自然人")
    assert slip["flags"].split("; ") == report["fields"][slip["field"]]["flags"]


def test_a_report_prints_as_one_short_line():
    report = extract(SLIPPED)
    assert str(report) == (f"{SLIPPED} (text): gov2019 form, year 2019, 玉林市财政局; 198 fields, "
                           f"{len(report.flagged)} to review, 2 broken relations")
    assert repr(report) == f"<Report gov2019 year=2019 agency='玉林市财政局' fields=198 to_review={len(report.flagged)}>"


def test_ocr_pages_show_progress_on_a_terminal_only():
    terminal, pipe = io.StringIO(), io.StringIO()
    with page_progress(Console(file=terminal, force_terminal=True, width=80)), \
            page_progress(Console(file=pipe, width=80)):
        extract(FIXTURES / "ocr" / "small_active.png")
    assert "reading page 1 of 1" in terminal.getvalue()
    assert pipe.getvalue() == ""
