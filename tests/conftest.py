"""Shared helpers: compare a report with a truth file field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxextract.score import same

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def mismatches(report, truth: dict) -> tuple[list[str], list[str]]:
    """(wrong fields, wrong fields that were not flagged) of ``report`` against ``truth``."""
    wrong, silent = [], []
    for fid, want in truth["fields"].items():
        got = report.fields.get(fid)
        if got is None or not same(got.value, want):
            wrong.append(f"{fid}: want {want!r} got {None if got is None else got.value!r}")
            if got is not None and not got.needs_review:
                silent.append(wrong[-1])
    return wrong, silent


def extract_against_truth(path: Path):
    """(report, truth, wrong fields, silent ones) of a fixture whose truth is ``truth/<stem>.json`` beside it."""
    from gxextract import extract

    truth = load_truth(path.parent / "truth" / f"{path.stem}.json")
    report = extract(path)
    return report, truth, *mismatches(report, truth)


def mixed_2021_report(folder: Path) -> Path:
    """A 2022 report written from two seeds: section 二 in the 2021 form, section 三 with the single (六)
    row of 2019."""
    seed = (FIXTURES / "seeds" / "001_2561814c437a049f.txt").read_text(encoding="utf-8")
    active_2021 = (FIXTURES / "seeds" / "003_6934debf565e0270.txt").read_text(encoding="utf-8")
    head = active_2021[active_2021.index("二、主动公开政府信息情况"):active_2021.index("三、收到和处理政府信息公开申请情况")]
    tail = seed[seed.index("### 三、收到和处理"):]
    doc = folder / "mixed.txt"
    doc.write_text("某某县科技局2022年政府信息公开工作年度报告\n" + head + tail, encoding="utf-8")
    return doc


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted((FIXTURES / "seeds").glob("*.txt"))
