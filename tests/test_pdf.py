"""Text-layer PDFs: fixtures/pdf (made by benchmarks/make_pdf_fixtures.py) against their truth."""

from __future__ import annotations


import numpy as np
import pytest

from gxextract import extract
from gxextract.errors import EncryptedDocument, NotAReport, UnreadableFile, UnsupportedFormat
from gxextract.models import Document, Source
from gxextract import stitch
from gxextract.pdf import grid
from gxextract.pdf.rules import Rule
from gxextract.readers import read

from .conftest import FIXTURES, load_truth, mismatches

PDF = FIXTURES / "pdf"
TABLES = ["ruled_merged", "ruled_break_split_cell", "ruled_repeat_header", "landscape", "horizontal_rules", "unruled",
          "unruled_blanks"]
"""`unruled_blanks`: document 106 of `python -m benchmarks.pdf_accuracy` (seed 7), no rules, cells printed blank."""


@pytest.mark.parametrize("name", TABLES)
def test_pdf_matches_truth(name: str):
    truth = load_truth(PDF / "truth" / f"{name}.json")
    report = extract(PDF / f"{name}.pdf")
    wrong, silent = mismatches(report, truth)
    assert silent == []
    assert wrong == []
    assert (report.template, report.year, report.agency) == (truth["template"], truth["year"], truth["agency"])
    assert report.source.format == "pdf"


@pytest.mark.parametrize("turn", ["rotate 90", "rotate 180", "rotate 270", "sideways ccw", "sideways cw"])
@pytest.mark.parametrize("name", ["ruled_break_split_cell", "unruled"])
def test_pdf_turned_pages_read_as_upright(name: str, turn: str):
    """Pages whose /Rotate sets turned content upright for a viewer, and table pages exported on
    their side, read the same as the upright file: boxes are taken in the frame of the text."""
    from benchmarks.corpus.render_rotated_pdf import rotate_pages, sideways

    how, arg = turn.split()
    data = (PDF / f"{name}.pdf").read_bytes()
    turned = rotate_pages(data, int(arg)) if how == "rotate" else sideways(data, arg)
    wrong, silent = mismatches(extract(turned), load_truth(PDF / "truth" / f"{name}.json"))
    assert silent == [] and wrong == []


@pytest.mark.parametrize("scanned", [[1], [0, 2]])
def test_scanned_pages_among_typed_ones_are_read_by_ocr(scanned: list[int]):
    """A PDF whose pages are some typed and some scanned (a report printed, stamped and scanned, put
    together with typed pages): the scanned pages, with no text layer, are read by OCR, and a table
    that the page break cuts reads across a typed and a scanned page as in the typed PDF. It was
    read from its text layer alone, and missed every value on its scanned pages."""
    from benchmarks.corpus.render_scan import ScanOptions, mixed_pdf

    truth = load_truth(PDF / "truth" / "ruled_break_split_cell.json")
    data = mixed_pdf((PDF / "ruled_break_split_cell.pdf").read_bytes(), ScanOptions(dpi=150, seal=False),
                     truth["agency"], scanned)
    report = extract(data)
    wrong, silent = mismatches(report, truth)
    assert silent == [] and wrong == []
    assert report.source.format == "pdf"


def test_a_scan_with_an_ocr_text_layer_is_read_from_its_pictures():
    """A searchable scan: each page the scanned picture with a text layer drawn invisible over it, as
    scanners that run OCR write it. The layer is a program's reading, whose misreadings would pass
    for sure text, and it has none of the table's rules (they are in the picture): it was read as a
    typed PDF and its tables came out broken. Its pages are read by OCR, from their pictures."""
    from benchmarks.corpus.render_scan import ScanOptions, searchable_pdf
    from gxextract.readers import read

    truth = load_truth(PDF / "truth" / "ruled_break_split_cell.json")
    data = searchable_pdf((PDF / "ruled_break_split_cell.pdf").read_bytes(), ScanOptions(dpi=150, seal=False),
                          truth["agency"])
    assert [p.page for p in read(data).pages] == [1, 2, 3]
    wrong, silent = mismatches(extract(data), truth)
    assert silent == [] and wrong == []


def test_a_scanned_spread_among_typed_pages_is_read_as_its_two_pages():
    """A typed first page, then pages 2 and 3 scanned open on one picture: the picture's two pages
    are read in their places, after the typed page, and the table runs on across all three."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image
    from gxextract.ocr.images import render_pdf

    data = (PDF / "ruled_break_split_cell.pdf").read_bytes()
    _, second, third = [img for _, img, _ in render_pdf(data, dpi=150)]
    h = max(second.shape[0], third.shape[0])
    pair = [np.pad(p, ((0, h - p.shape[0]), (0, 0), (0, 0)), constant_values=255) for p in (second, third)]
    buf = io.BytesIO()
    Image.fromarray(np.hstack(pair)).save(buf, "PDF", resolution=150.0)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(data), [0])
    mixed.import_pages(pdfium.PdfDocument(buf.getvalue()), [0])
    out = io.BytesIO()
    mixed.save(out)
    wrong, silent = mismatches(extract(out.getvalue()), load_truth(PDF / "truth" / "ruled_break_split_cell.json"))
    assert silent == [] and wrong == []


def test_pictures_over_the_page_limit_leave_the_typed_pages_read_and_say_so():
    """More pictures of print than the OCR may read (`Limits.pages`): the typed pages are still read,
    and the report says which pages were not; nothing is raised."""
    from benchmarks.corpus.render_scan import ScanOptions, mixed_pdf
    from gxextract import Limits

    truth = load_truth(PDF / "truth" / "ruled_break_split_cell.json")
    data = mixed_pdf((PDF / "ruled_break_split_cell.pdf").read_bytes(), ScanOptions(dpi=150, seal=False),
                     truth["agency"], [1, 2])
    report = extract(data, limits=Limits(pages=1))
    assert any("pages 2, 3 hold pictures of print that were not read" in w for w in report.warnings)
    page1 = [f for f, v in report.fields.items() if v.page == 1 and v.value is not None]
    assert page1 and all(report.fields[f].value == truth["fields"][f] for f in page1)


def test_tables_pasted_as_pictures_into_a_typed_report_are_read_by_ocr():
    """A typed report whose tables were pasted as pictures (from a spreadsheet): each picture is read
    by OCR where it stands among the page's typed lines, and the table that runs on to the next
    page is stitched across them. Read from its text alone, every value was missing."""
    from benchmarks.corpus.render_scan import pictured_tables_pdf
    from gxextract.readers import read

    truth = load_truth(PDF / "truth" / "ruled_break_split_cell.json")
    data = pictured_tables_pdf((PDF / "ruled_break_split_cell.pdf").read_bytes(), 150)
    assert [p.page for p in read(data).pages] == [1, 2, 3]
    wrong, silent = mismatches(extract(data), truth)
    assert silent == [] and wrong == []


def test_a_picture_under_typed_text_is_no_picture_to_read():
    """A page-wide picture with the page's text typed over it (a letterhead, a watermark, a page's
    background) is not read by OCR: the page is read from its text."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image
    from gxextract.readers import read

    doc = pdfium.PdfDocument((PDF / "ruled_break_split_cell.pdf").read_bytes())
    for page in doc:
        w, h = page.get_size()
        background = pdfium.PdfImage.new(doc)
        background.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (int(w), int(h)), (250, 246, 236))))
        background.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page.insert_obj(background)
        page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    assert read(buf.getvalue()).pages == []
    wrong, silent = mismatches(extract(buf.getvalue()), load_truth(PDF / "truth" / "ruled_break_split_cell.json"))
    assert silent == [] and wrong == []


def test_pdf_fields_keep_page_and_box():
    report = extract(PDF / "ruled_break_split_cell.pdf")
    f = report.fields["requests.carried_forward.total"]
    assert f.page is not None and f.page >= 2  # section 三 continues on the next page
    x0, top, x1, bottom = f.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 842


def test_pdf_merged_cell_broken_by_page_is_joined():
    doc = read(PDF / "ruled_break_split_cell.pdf")
    texts = [c.text for r in doc.rows if r.structured for c in r.cells]
    assert any(t.replace(" ", "").endswith("无法提供") for t in texts)
    assert "三、本年度办理结果" in texts  # drawn one character per line, split over two pages
    assert sum(t == "申请人情况" for t in texts) == 1


def test_pdf_repeated_header_dropped():
    doc = read(PDF / "ruled_repeat_header.pdf")
    texts = [c.text for r in doc.rows if r.structured for c in r.cells]
    assert sum(t == "申请人情况" for t in texts) == 1


def test_pdf_title_lines_for_metadata():
    doc = read(PDF / "ruled_merged.pdf")
    assert doc.source.format == "pdf" and doc.source.pages >= 2
    assert any("年" in t for t in doc.title_lines[:3])


def test_cid_font_goes_to_ocr(monkeypatch):
    image = pytest.importorskip("gxextract.readers.image")
    calls = []

    def fake(data, path, pages=None):
        calls.append(path)
        return Document(source=Source(path=path, format="pdf-scan"), rows=[])

    monkeypatch.setattr(image, "read_pdf_scan", fake)
    doc = read(PDF / "cid_font.pdf")
    assert calls and doc.source.format == "pdf-scan"


def test_cid_font_without_ocr_is_a_clear_error(monkeypatch):
    import gxextract.readers.pdf as pdfreader

    monkeypatch.setattr(pdfreader, "OCR_MODULE", "gxextract.no_ocr_here")
    with pytest.raises(UnsupportedFormat, match="no Unicode map; OCR is needed"):
        read(PDF / "cid_font.pdf")
    with pytest.raises(UnsupportedFormat, match="no text layer"):
        read(PDF / "scanned.pdf")


def test_encrypted_and_corrupt():
    with pytest.raises(EncryptedDocument):
        extract(PDF / "encrypted.pdf")
    with pytest.raises(NotAReport):  # an owner password only: opens with the empty password
        extract(PDF / "owner_only.pdf")
    with pytest.raises(UnreadableFile):
        extract(PDF / "truncated.pdf")
    with pytest.raises(UnreadableFile):
        extract(b"%PDF-1.7\n" + b"\x00garbage" * 50)


def test_grid_spans_and_slivers():
    # a 3x2 grid whose left column is one merged cell, with a stray rule 2 pt beside x=100
    hs = [Rule(0, 0, 200), Rule(10, 100, 200), Rule(20, 0, 200)]
    vs = [Rule(0, 0, 20), Rule(100, 0, 20), Rule(102, 0, 10), Rule(200, 0, 20)]
    (g,) = grid.grids(hs, vs)
    assert g.xs == [0, 100, 200] and g.ys == [0, 10, 20]
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in g.cells)
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 1), (1, 1, 1, 1)]


def test_numbering_decides_continuations():
    assert stitch.numbered("（四）无法提供") and stitch.numbered("2.重复申请") and stitch.numbered("三、本年度")
    assert not stitch.numbered("法提供") and not stitch.numbered("年度办理结果")
