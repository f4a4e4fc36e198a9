"""The benchmark corpus: truths, each renderer and the DOCX reader."""

from __future__ import annotations

import collections
import io
import json
import random
from pathlib import Path

import sys

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ lives beside src/

from benchmarks.corpus import document as D
from benchmarks.corpus.truth import broken_relations, field_ids, make_truth
from gxextract.readers import read
from gxextract.readers.sniff import sniff

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures" / "corpus"
BLANK_FORM = ROOT / "fixtures" / "reference" / "gov2021_blank_form.docx"


def _truth(template: str, seed: int = 7, **kw) -> dict:
    return make_truth(random.Random(seed), template, **kw)


def _printed(report: D.Report) -> collections.Counter:
    """The value texts the report prints, counted."""
    return collections.Counter(c.text for t in report.tables() for c in t.cells if c.role == "value" and c.text)


def _fonts_or_skip():
    pytest.importorskip("reportlab", reason="the corpus extra: pip install -e '.[corpus]'")
    from benchmarks.corpus import render_pdf

    if not render_pdf.available_fonts():
        pytest.skip("CJK fonts missing: apt-get install fonts-wqy-microhei fonts-arphic-uming")
    return render_pdf


# ------------------------------------------------------------------ truths

@pytest.mark.parametrize("template", ["gov2019", "gov2021"])
def test_truth_satisfies_relations_and_has_every_field(template):
    for seed in range(30):
        t = _truth(template, seed, large=seed % 3 == 0, blanks=seed % 4 == 0)
        assert list(t["fields"]) == field_ids(template)
        assert broken_relations(template, t["fields"]) == []
        assert all(v is None or v >= 0 for k, v in t["fields"].items() if not k.endswith(".change"))
    assert len(field_ids(template)) == {"gov2019": 198, "gov2021": 200}[template]  # as in the seeds


def test_truth_with_slip_records_broken_relations_and_printed_value():
    t = _truth("gov2021", 3, slip=True)
    assert t["broken"] and t["broken"] == broken_relations("gov2021", t["fields"])
    assert t["fields"][t["slip"]["field"]] == t["slip"]["printed"] != t["slip"]["consistent"]


def test_large_values_print_with_thousands_separators():
    t = _truth("gov2019", 1, large=True)
    assert max(v for v in t["fields"].values() if isinstance(v, int)) >= 1000
    report = D.build(t, D.Style(thousands="，"), random.Random(0))
    assert any("，" in text for text in _printed(report))


# ------------------------------------------------------------------ text PDF

def test_text_pdf_carries_the_truth_values():
    render_pdf = _fonts_or_skip()
    pdfplumber = pytest.importorskip("pdfplumber")
    t = _truth("gov2021", 11, large=True, blanks=True)
    report = D.build(t, D.Style(numbering="、", label_spaces=True, thousands=","), random.Random(1))
    opts = render_pdf.PdfOptions(vertical_label=True, merged_cell_split=True, shaded_band=True, white_cell_rects=True,
                                 missing_top_rule=True, sliver_rules=True, big_numbers=True, latin_digits_font=True)
    data = render_pdf.render(report, opts)
    assert sniff(data) == "pdf" and b"FontFile2" in data  # an embedded TrueType font
    assert {"vertical_label", "merged_cell_split", "table_page_break"} <= set(opts.quirks)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2 and pdf.pages[0].width < pdf.pages[0].height  # A4 portrait
        words = collections.Counter(w["text"] for p in pdf.pages for w in p.extract_words())
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert len(pdf.pages[1].rects) + len(pdf.pages[1].lines) > 50  # ruled table
    assert not _printed(report) - words, "values missing from the text layer"
    assert t["agency"] in text and "总 计" in text and "1、属于国家秘密" in text
    # the merged （四）无法提供 label is cut by the page break: part on one page, the rest on the next
    cut = [(page, lines) for label, page, lines in opts.splits if label.endswith("无法提供")]
    assert [page for page, _ in cut] == [cut[0][0], cut[0][0] + 1] and all(lines for _, lines in cut)
    assert "".join(line for _, lines in cut for line in lines) == "（四）无法提供"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, lines in cut:
            page_text = pdf.pages[page - 1].extract_text()
            assert all(line in page_text for line in lines)


def test_landscape_and_horizontal_rules_pdf():
    render_pdf = _fonts_or_skip()
    pdfplumber = pytest.importorskip("pdfplumber")
    t = _truth("gov2019", 12, large=True)
    t["fields"]["active.procurement.amount"], t["units"]["active.procurement.amount"] = 628.33, "万元"
    report = D.build(t, D.Style(active_split=True, thousands="，"), random.Random(2))
    assert "628.33万元" in _printed(report) and any("，" in v for v in _printed(report))
    # numbers in Times-Roman: the units and full-width commas must still come out in the CJK font
    data = render_pdf.render(report, render_pdf.PdfOptions(font=render_pdf.available_fonts()[-1], landscape=True,
                                                           rules="horizontal", repeat_header=True,
                                                           latin_digits_font=True))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert any(p.width > p.height for p in pdf.pages)
        words = collections.Counter(w["text"] for p in pdf.pages for w in p.extract_words())
        assert all(abs(ln["x0"] - ln["x1"]) > 0.1 for p in pdf.pages for ln in p.lines)  # no vertical rules
    assert not _printed(report) - words


# ------------------------------------------------------------------ scans

def test_scans_pages_sizes_and_red_seal():
    render_pdf = _fonts_or_skip()
    np = pytest.importorskip("numpy")
    pytest.importorskip("cv2")
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    from benchmarks.corpus import render_scan

    t = _truth("gov2019", 13)
    pdf = render_pdf.render(D.build(t, D.Style(), random.Random(3)), render_pdf.PdfOptions())
    n_pages = len(pdfium.PdfDocument(pdf))
    o = render_scan.ScanOptions(dpi=150, angle=1.5, blur=3, noise=4, jpeg_quality=60, paper=230, seal=True, seed=1)
    scan = render_scan.scan_pdf(pdf, o, t["agency"])
    doc = pdfium.PdfDocument(scan)
    assert len(doc) == n_pages
    assert all(doc[i].get_textpage().count_chars() == 0 for i in range(len(doc)))  # image only
    last = np.asarray(doc[len(doc) - 1].render(scale=150 / 72).to_pil().convert("RGB")).astype(int)
    red = (last[..., 0] > 150) & (last[..., 1] < 110) & (last[..., 2] < 110)
    assert red.sum() > 2000, "no red seal on the last page"
    page = doc[0].render(scale=150 / 72).to_pil()
    assert abs(page.width - 1240) <= 3 and abs(page.height - 1754) <= 3  # A4 at 150 dpi
    grey = np.asarray(page.convert("L"))
    assert 200 < np.median(grey) < 245  # grey paper, not white
    long_png = Image.open(io.BytesIO(render_scan.long_image(pdf, render_scan.ScanOptions(dpi=100, paper=255), "x", "png")))
    assert long_png.format == "PNG" and long_png.height > 2 * long_png.width
    jpeg = Image.open(io.BytesIO(render_scan.long_image(pdf, o, t["agency"], "jpeg")))
    assert jpeg.format == "JPEG"
    tif = Image.open(io.BytesIO(render_scan.tiff(pdf, render_scan.ScanOptions(dpi=100, bilevel=True, paper=255), "x")))
    assert tif.format == "TIFF" and tif.n_frames == n_pages and tif.mode == "1"
    for data in (scan,):
        assert sniff(data) == "pdf"


# ------------------------------------------------------------------ HTML

@pytest.mark.parametrize("gbk", [False, True])
def test_html_reads_back_with_spans_and_values(gbk):
    from benchmarks.corpus import render_html

    t = _truth("gov2021", 14, large=True)
    report = D.build(t, D.Style(thousands=","), random.Random(4))
    data = render_html.render(report, render_html.HtmlOptions(layout_table=True, gbk=gbk, word_markup=True,
                                                              nbsp_blanks=True))
    if gbk:
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    doc = read(data)
    cells = [c for r in doc.rows if r.structured for c in r.cells]
    assert not _printed(report) - collections.Counter(c.text for c in cells)
    spans = {c.text: (c.rowspan, c.colspan) for c in cells}
    assert spans["（三）不予公开"] == (8, 1) and spans["三、本年度办理结果"][0] == 22 and spans["申请人情况"] == (1, 7)
    assert t["agency"] in doc.text()


# ------------------------------------------------------------------ DOCX

def test_docx_reader_on_the_blank_form():
    doc = read(BLANK_FORM)
    assert doc.source.format == "docx"
    rows = [r for r in doc.rows if r.structured]
    texts = [c.text for r in rows for c in r.cells]
    assert "三、本年度办理结果" in texts and "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in texts
    by_text = {c.text: c for r in rows for c in r.cells if c.text}
    assert (by_text["三、本年度办理结果"].rowspan, by_text["（三）不予公开"].rowspan) == (22, 8)
    assert by_text["申请人情况"].colspan == 7 and by_text["第二十条第（一）项"].colspan == 4
    # every row of the section 三 table covers its 10 grid columns, counting the rowspans from above
    start = next(i for i, r in enumerate(rows) if r.cells[0].text.startswith("（本列数据"))
    covered = collections.defaultdict(int)
    for i, r in enumerate(rows[start:start + 28]):
        width = covered.pop(i, 0) + sum(c.colspan for c in r.cells)
        assert width == 10, (i, [c.text for c in r.cells])
        for c in r.cells:
            for k in range(1, c.rowspan):
                covered[i + k] += c.colspan
    unstructured = [r.cells[0].text for r in doc.rows if not r.structured]
    assert unstructured.index("一、总体情况") < unstructured.index("二、主动公开政府信息情况")


@pytest.mark.parametrize("template,blank_form", [("gov2021", True), ("gov2019", False), ("gov2021", False)])
def test_docx_renders_and_reads_back(template, blank_form):
    from benchmarks.corpus import render_docx

    t = _truth(template, 15, large=True, blanks=True)
    report = D.build(t, D.Style(thousands="，"), random.Random(5))
    opts = render_docx.DocxOptions(blank_form=blank_form)
    data = render_docx.render(report, opts)
    assert sniff(data) == "docx" and opts.blank_form == blank_form
    doc = read(data)
    cells = [c for r in doc.rows if r.structured for c in r.cells]
    assert not _printed(report) - collections.Counter(c.text for c in cells)
    assert any(c.text == "（三）不予公开" and c.rowspan == 8 for c in cells)
    assert f"{t['agency']}{t['year']}年政府信息公开工作年度报告" in doc.text().replace("\n", "")
    assert render_docx.render(report, render_docx.DocxOptions(blank_form=blank_form)) == data  # reproducible


# ------------------------------------------------------------------ the committed corpus and the benchmark

def test_committed_corpus_manifest():
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest["documents"]
    assert len(docs) >= 35
    assert {"pdf", "pdf-scan", "png", "jpeg", "tiff", "html", "docx"} <= {d["form"] for d in docs}
    assert sum((CORPUS / d["file"]).stat().st_size for d in docs) < 20e6
    sniffed = {"pdf": "pdf", "pdf-scan": "pdf", "png": "image", "jpeg": "image", "tiff": "image", "html": "html",
               "docx": "docx"}
    for d in docs:
        truth = json.loads((CORPUS / "truth" / f"{d['name']}.json").read_text(encoding="utf-8"))
        assert truth["form"] == d["form"] and truth["quirks"] == d["quirks"]
        assert list(truth["fields"]) == field_ids(truth["template"])
        assert broken_relations(truth["template"], truth["fields"]) == truth.get("broken", [])
        assert sniff((CORPUS / d["file"]).read_bytes(), d["file"]) == sniffed[d["form"]]
    all_quirks = {q for d in docs for q in d["quirks"]}
    assert {"vertical_label", "merged_cell_split", "arithmetic_slip", "blank_cells", "red_seal", "blank_form",
            "gbk", "large_values", "table_page_break"} <= all_quirks
