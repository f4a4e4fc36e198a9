"""Review workflow without a browser: proposals with the OCR's second reading, apply, pictures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxextract.checks import Cellular, _propose, evaluate
from gxextract.cli import main
from gxextract.models import Row
from gxextract.pipeline import extract_document
from gxextract.readers import read
from gxextract.templates import Relation

from .conftest import FIXTURES, mixed_2021_report

SLIP = "requests.disclosed.natural_person"


def slipped_seed(tmp_path: Path) -> Path:
    seed = (FIXTURES / "seeds" / "001_2561814c437a049f.txt").read_text(encoding="utf-8")
    path = tmp_path / "slipped.txt"
    path.write_text(seed.replace("(一) 予以公开\t0\t", "(一) 予以公开\t7\t", 1), encoding="utf-8")
    return path


def with_alternative(doc, text: str, alternative: str, score: float = 0.8):
    """The document with the first cell reading ``text`` after the (一) 予以公开 label given a second reading."""
    rows, done = [], False
    for row in doc.rows:
        cells = list(row.cells)
        if not done and any("予以公开" in c.text for c in cells):
            i = next(i for i, c in enumerate(cells) if c.text.strip() == text)
            cells[i] = cells[i].model_copy(update={"alternative": alternative, "score": score})
            done = True
        rows.append(Row(cells=cells, structured=row.structured))
    assert done
    return doc.model_copy(update={"rows": rows})


def test_proposal_says_what_it_restores(tmp_path):
    f = extract_document(read(slipped_seed(tmp_path))).fields[SLIP]
    assert (f.value, f.proposed, f.needs_review) == (7, 0, True)
    assert set(f.restores) == {"row_total:disclosed", "column_total:natural_person"}
    assert f.proposed_confidence == 0.8 and "second_reading" not in f.flags


def test_second_reading_equal_to_the_proposal_becomes_the_value_still_flagged(tmp_path):
    doc = with_alternative(read(slipped_seed(tmp_path)), "7", "0")
    f = extract_document(doc).fields[SLIP]
    assert (f.value, f.raw, f.alternative, f.proposed) == (0, "7", "0", None)  # the first reading stays in raw
    assert "second_reading" in f.flags and f.needs_review and f.confidence < 0.9


def test_second_reading_elsewhere_changes_nothing(tmp_path):
    doc = with_alternative(read(slipped_seed(tmp_path)), "7", "1")
    f = extract_document(doc).fields[SLIP]
    assert (f.proposed, f.proposed_confidence, f.alternative) == (0, 0.8, "1")
    assert "second_reading" not in f.flags and f.value == 7


def test_second_reading_chooses_among_several_proposals():
    rel = [Relation(name="sum", lhs=["t"], rhs=["a", "b"])]
    cells = {"t": Cellular(value=8), "a": Cellular(value=3), "b": Cellular(value=4)}
    assert _propose(rel, evaluate(rel, cells), cells) == {}  # t, a or b: the arithmetic cannot tell
    cells["b"] = Cellular(value=4, alternative="5")
    assert _propose(rel, evaluate(rel, cells), cells) == {"b": 5}


def batch_of(tmp_path: Path, *files: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, inputs / f.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


def test_apply_is_idempotent_and_refuses_bad_input(tmp_path):
    out = batch_of(tmp_path, slipped_seed(tmp_path), FIXTURES / "seeds" / "000_7f6e3dc8283013a4.txt")
    rec = next(json.loads(x) for x in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()
               if "slipped" in x)
    corr = tmp_path / "corrections.json"
    corr.write_text(json.dumps({"corrections": [
        {"document": rec["document"], "field": SLIP, "decision": "accept_proposal", "value": 0, "read": 7,
         "timestamp": "2026-01-01T00:00:00Z"}]}), encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["apply", str(out), str(corr)])
    assert first.exit_code == 0 and "1 reports updated" in first.output
    again = runner.invoke(main, ["apply", str(out), str(corr)])
    assert again.exit_code == 0 and "0 reports updated" in again.output
    assert len((out / "corrections.jsonl").read_text().splitlines()) == 2
    review_csv = (out / "review.csv").read_text(encoding="utf-8-sig")
    assert f",{SLIP}," not in review_csv
    bad = tmp_path / "bad.json"
    bad.write_text('{"corrections": [{"document": "x", "field": "f", "decision": "maybe"}]}', encoding="utf-8")
    r = runner.invoke(main, ["apply", str(out), str(bad)])
    assert r.exit_code == 2 and "bad_corrections" in r.output
    bad.write_text('{"corrections": [{"document": "nope", "field": "f", "decision": "correct", "value": 1}]}',
                   encoding="utf-8")
    r = runner.invoke(main, ["apply", str(out), str(bad)])
    assert r.exit_code == 2 and "not in" in r.output


@pytest.mark.parametrize("document", [
    lambda _: FIXTURES / "narrative" / "000_pdf_gov2021.pdf",  # (六) 3.其他 printed blank, counted 0
    mixed_2021_report,  # a gov2021 report checked with the 2019 relations of its section 三
], ids=["source_printed_blank", "checked_as_printed"])
def test_apply_derives_and_checks_as_extract_does(tmp_path, document):
    """A review decision on a field in no derived sum and no relation leaves the derived fields and the
    relations of the report as extract gave them: apply chooses its rules and derives as extract does."""
    from gxextract import extract

    path = document(tmp_path)
    report = extract(path)
    out = batch_of(tmp_path, path)
    rec = json.loads((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])
    unrelated = "active.licensing.decisions"
    assert not any(unrelated in c.fields for c in report.checks)
    corr = tmp_path / "corrections.json"
    corr.write_text(json.dumps({"corrections": [
        {"document": rec["document"], "field": unrelated, "decision": "correct",
         "value": report.fields[unrelated].value + 1}]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["apply", str(out), str(corr)])
    assert result.exit_code == 0 and "1 reports updated" in result.output, result.output
    applied = json.loads((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert applied["fields"][unrelated]["human_verified"]
    derived = {f: (v.value, v.needs_review) for f, v in report.fields.items() if v.derived}
    assert derived == {f: (applied["fields"][f]["value"], applied["fields"][f]["needs_review"]) for f in derived}
    assert applied["checks"] == [c.model_dump() for c in report.checks]


def corpus_pdf_with_flags() -> Path | None:
    from gxextract import extract

    for p in sorted((FIXTURES / "corpus").glob("*_pdf_*.pdf")):
        try:
            if any(f.needs_review and f.bbox for f in extract(p).fields.values()):
                return p
        except Exception:  # noqa: BLE001 - no PDF reader in this checkout
            return None
    return None


def test_review_page_crops_pdf_cells_and_inspect_draws_pages(tmp_path):
    pdf = corpus_pdf_with_flags()
    if pdf is None:
        pytest.skip("no corpus PDF with a flagged cell (fixtures/corpus, PDF reader)")
    out = batch_of(tmp_path, pdf)
    html = tmp_path / "review.html"
    r = CliRunner().invoke(main, ["review", str(out), "-o", str(html)])
    assert r.exit_code == 0, r.output
    assert "data:image/png;base64," in html.read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["inspect", str(pdf), "-o", str(tmp_path / "pages")])
    assert r.exit_code == 0, r.output
    pngs = sorted((tmp_path / "pages").glob("*.png"))
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


@pytest.mark.parametrize("fixture, k, ruled", [("pdf/ruled_break_split_cell.pdf", 2.0, True),
                                               ("corpus/002_png_gov2021.png", 1.0, True),
                                               ("pdf/unruled_blanks.pdf", 2.0, False)])
def test_inspect_draws_the_tables_the_reader_found(tmp_path, fixture, k, ruled):
    """A text PDF's and a scan's tables, ruled or not, outlined in blue at their boxes (``k``: pixels
    per box unit at scale 2, points for a PDF, pixels for a picture), and nothing else in blue."""
    import numpy as np
    from PIL import Image

    from gxextract.review.inspect import REGION, inspect

    path = FIXTURES / fixture
    doc = read(path)
    assert doc.tables and any(t.ruled == ruled for t in doc.tables)
    pngs = inspect(path, tmp_path, scale=2.0)
    assert {t.page for t in doc.tables} <= set(range(1, len(pngs) + 1))
    for page, png in enumerate(pngs, start=1):
        blue = np.all(np.asarray(Image.open(png).convert("RGB")) == REGION, axis=2)
        near = np.zeros_like(blue)
        for t in (t for t in doc.tables if t.page == page):
            x0, y0, x1, y1 = (round(v * k) for v in t.bbox)
            edges = {"left": blue[y0:y1, x0 - 3:x0 + 6], "right": blue[y0:y1, x1 - 6:x1 + 3],
                     "top": blue[y0 - 3:y0 + 6, x0:x1], "bottom": blue[y1 - 6:y1 + 3, x0:x1]}
            assert all(band.any() for band in edges.values()), (page, t, [e for e, b in edges.items() if not b.any()])
            near[y0 - 3:y1 + 3, x0 - 3:x1 + 3] = True
        assert not (blue & ~near).any()  # blue is the tables' colour only


def test_inspect_refuses_text_input(tmp_path):
    r = CliRunner().invoke(main, ["inspect", str(FIXTURES / "seeds" / "000_7f6e3dc8283013a4.txt"),
                                  "-o", str(tmp_path)])
    assert r.exit_code == 2 and "unsupported_format" in r.output


def test_review_and_apply_refuse_a_folder_that_is_not_a_batch_output(tmp_path):
    reports = tmp_path / "reports"  # a folder of reports, given by mistake for the batch's output
    reports.mkdir()
    shutil.copy(FIXTURES / "seeds" / "000_7f6e3dc8283013a4.txt", reports)
    (tmp_path / "corrections.json").write_text('{"corrections": []}', encoding="utf-8")
    for args in (["review", str(reports)], ["apply", str(reports), str(tmp_path / "corrections.json")]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2 and "not_a_batch_output" in r.output and "not a batch output folder" in r.output
    assert not (reports / "review.html").exists()
