"""benchmarks/calibration.py runs end to end on the text fixtures and draws its plot."""

from __future__ import annotations

import pytest

from .conftest import FIXTURES


def test_calibration_table_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from benchmarks import calibration

    rows = tmp_path / "rows.jsonl"
    assert calibration.main([str(FIXTURES / "text"), "-j", "1", "--plot", str(tmp_path / "c.png"),
                             "--rows", str(rows), "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert "held-apart part" in out and "| [0.99, 1.00] |" in out and "silent errors" in out
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert rows.read_text(encoding="utf-8").count("\n") > 1000
    parts = {calibration.part_of(p.read_bytes()) for p in (FIXTURES / "text").glob("*.*") if p.is_file()}
    assert parts == {"tune", "held"}
