"""The review page in a real headless Chromium: keyboard to a flagged cell, type a correction,
export corrections.json, `gxextract apply`, and the batch outputs carry the reviewed value.

Needs the Debian ``chromium`` package (``/usr/bin/chromium``) and the ``playwright`` Python
package (its own browser download is not used).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxextract.cli import main

from .conftest import FIXTURES
from .test_review import batch_of, corpus_pdf_with_flags, slipped_seed

CHROMIUM = Path("/usr/bin/chromium")
BROKEN_FIELD = "requests.disclosed.natural_person"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")


def make_batch(root: Path) -> Path:
    """Two seeds as they are (004 has blank cells, flagged), one seed with a slip (7 where the row and
    column sums say 0), and one rendered PDF of the corpus with a flagged cell when there is one."""
    seeds = [FIXTURES / "seeds" / n for n in ("000_7f6e3dc8283013a4.txt", "004_0e4b22ae01ee104b.txt")]
    pdf = corpus_pdf_with_flags()
    return batch_of(root, *seeds, slipped_seed(root), *([pdf] if pdf is not None else []))


def test_review_page_keyboard_export_apply(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    out = make_batch(tmp_path)
    html = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["review", str(out), "-o", str(html)])
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text  # self-contained

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html.as_uri())
            page.wait_for_selector("#field")
            total = page.locator("#list li:not(.group)").count()
            assert total >= 1
            # step with the keyboard to the slipped cell
            for _ in range(total):
                if page.inner_text("#field") == BROKEN_FIELD and "slipped.txt" in page.inner_text(".sub"):
                    break
                page.keyboard.press("j")
            assert page.inner_text("#field") == BROKEN_FIELD
            detail = page.inner_text("#detail")
            assert "row_total:disclosed" in detail and "the proposal restores it" in detail
            assert "(一) 予以公开" in page.inner_text(".line")  # a text input: the printed row, no crop
            # k goes back (the seed with blanks comes first); 'a' accepts that value and moves on
            page.keyboard.press("k")
            assert page.inner_text("#field") != BROKEN_FIELD
            page.keyboard.press("a")
            assert "1 decided" in page.inner_text("#progress")
            assert page.inner_text("#field") == BROKEN_FIELD
            # type a correction and Enter
            page.keyboard.type("0")
            assert page.input_value("#correction") == "0"
            page.keyboard.press("Enter")
            assert "2 decided" in page.inner_text("#progress")
            if pdf_items := [n for n in page.locator("#f-doc option").all_inner_texts() if n.endswith(".pdf")]:
                page.select_option("#f-doc", label=pdf_items[0])  # filter: the PDF's cells, with a crop
                page.wait_for_selector("img.crop")
                assert page.eval_on_selector("img.crop", "i => i.complete && i.naturalWidth > 100")
                assert "data:image/png" in page.get_attribute("img.crop", "src")
            with page.expect_download() as download:
                page.click("#export")
            target = tmp_path / "corrections.json"
            download.value.save_as(target)
            assert download.value.suggested_filename == "corrections.json"
            assert errors == []
        finally:
            browser.close()

    export = json.loads(target.read_text(encoding="utf-8"))
    by_field = {c["field"]: c for c in export["corrections"]}
    fix = by_field[BROKEN_FIELD]
    assert (fix["decision"], fix["value"], fix["read"]) == ("correct", 0, 7)
    assert len(fix["document"]) == 64 and fix["timestamp"]
    assert "accept_value" in {c["decision"] for c in export["corrections"]}

    result = CliRunner().invoke(main, ["apply", str(out), str(target)])
    assert result.exit_code == 0, result.output
    check_applied(out, fix["document"], export["corrections"])

    # a forced re-run of the batch extracts the document again and keeps the reviewed value
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "in"), "--out", str(out), "-q", "-j", "1",
                                       "--force"])
    assert result.exit_code == 0, result.output
    check_applied(out, fix["document"], export["corrections"])


def check_applied(out: Path, document: str, decisions: list[dict]) -> None:
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["document"] == document]
    assert mine
    for rec in mine:
        f = rec["fields"][BROKEN_FIELD]
        assert (f["value"], f["human_verified"], f["needs_review"]) == (0, True, False)
        assert f["review"]["read"] == 7
        assert all(c["holds"] is not False for c in rec["checks"])  # relations evaluated again
    table = pq.read_table(out / "fields.parquet").to_pylist()
    rows = [r for r in table if r["document"] == document and r["field"] == BROKEN_FIELD]
    assert len(rows) == 1
    assert (rows[0]["value"], rows[0]["human_verified"], rows[0]["needs_review"]) == (0.0, True, False)
    decided = {(c["document"], c["field"]) for c in decisions}
    assert {(r["document"], r["field"]) for r in table if r["human_verified"]} == decided
    assert not any(r["needs_review"] for r in table if r["human_verified"])
    review_csv = (out / "review.csv").read_text(encoding="utf-8-sig")
    assert f"{document},slipped.txt" not in review_csv or BROKEN_FIELD not in review_csv.split(document, 1)[1]
