"""The command line as a user runs it."""

import json
import subprocess
import sys

from .conftest import FIXTURES


def gx(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxextract", *args], capture_output=True, text=True)


def test_fields_lists_the_canonical_ids():
    out = gx("fields", "--template", "gov2019")
    ids = out.stdout.split()
    assert out.returncode == 0 and len(ids) == 198
    assert ids[0] == "active.regulations.new_made" and "appeals.litigation_after_review.total" in ids


def test_extract_json_follows_the_output_contract():
    out = gx("extract", str(FIXTURES / "seeds" / "003_6934debf565e0270.txt"), "--json")
    report = json.loads(out.stdout)
    assert (report["template"], report["year"], report["agency"]) == ("gov2021", 2024, "朝阳区科技局")
    field = report["fields"]["requests.new_received.total"]
    assert set(field) >= {"value", "raw", "unit", "confidence", "needs_review", "flags", "page", "bbox", "proposed"}
    assert report["fields"]["requests.other.total"]["derived"] is True


def test_errors_are_one_line_and_exit_non_zero(tmp_path):
    missing = gx("extract", str(tmp_path / "nope.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一篇关于天气的文章。\n今天晴，明天多云。\n", encoding="utf-8")
    for result, code in ((missing, "unreadable"), (gx("extract", str(empty)), "unreadable"),
                         (gx("extract", str(prose)), "not_a_report")):
        assert result.returncode == 2
        assert f"error ({code})" in result.stderr and "Traceback" not in result.stderr
