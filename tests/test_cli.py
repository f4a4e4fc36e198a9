"""The command line as a user runs it."""

import json
import subprocess
import sys

from .conftest import FIXTURES, ROOT


def gx(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxextract", *args], capture_output=True, text=True)


def fields_of(template: str) -> dict[str, dict]:
    """``gxextract fields`` on a pipe: tab-separated, a header line then a line per field."""
    out = gx("fields", "--template", template)
    assert out.returncode == 0
    head, *lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert head == ["field", "section", "row", "column", "unit"]
    return {cells[0]: dict(zip(head, cells)) for cells in lines}


def test_fields_lists_ids_with_the_labels_as_printed():
    gov2019 = fields_of("gov2019")
    assert len(gov2019) == 198 and list(gov2019)[0] == "active.regulations.new_made"
    assert gov2019["active.regulations.new_made"] == {"field": "active.regulations.new_made", "section": "active",
                                                     "row": "规章", "column": "本年新制作数量", "unit": ""}
    assert gov2019["requests.withheld.third_party.business"]["row"] == "保护第三方合法权益"
    assert gov2019["requests.withheld.third_party.business"]["column"] == "法人或其他组织 / 商业企业"
    after = gov2019["appeals.litigation_after_review.total"]
    assert (after["section"], after["row"], after["column"]) == ("appeals", "", "行政诉讼 / 复议后起诉 / 总计")
    gov2021 = fields_of("gov2021")
    assert len({gov2021[f"active.regulations.{c}"]["column"] for c in ("issued", "repealed", "in_force")}) == 3
    assert gov2021["active.fees.amount"]["unit"] == "万元"
    assert gov2021["requests.other.total"]["row"] == "其他处理"  # the derived row, by the 2019 form's label
    legacy = fields_of("legacy2018")
    assert (legacy["legacy.active.published"]["row"], legacy["legacy.active.published"]["unit"]) == \
        ("主动公开政府信息数", "条")


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
                         (gx("extract", str(prose)), "not_a_report"), (gx("extract", str(prose), "--json"), "not_a_report")):
        assert result.returncode == 2 and result.stdout == ""
        assert f"error ({code})" in result.stderr and "Traceback" not in result.stderr


def test_the_committed_schema_is_the_reports():
    printed = json.loads(gx("schema").stdout)
    committed = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert printed == committed, "run: gxextract schema > docs/report.schema.json"
    report = json.loads(gx("extract", str(FIXTURES / "seeds" / "003_6934debf565e0270.txt"), "--json").stdout)
    assert set(report) == set(printed["properties"]) and set(printed["required"]) <= set(report)
