"""OFD files: fixtures/ofd (made by benchmarks/make_ofd_fixtures.py) against their truth, pages
written by hand with positions worked out by hand, and hostile packages."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from benchmarks.corpus.render_ofd import NS, package
from gxextract import extract
from gxextract.errors import TooLarge, UnreadableFile
from gxextract.limits import Limits
from gxextract.ofd.package import MM, Package
from gxextract.ofd.page import deltas, read_page
from gxextract.readers.sniff import sniff

from .conftest import FIXTURES, extract_against_truth, load_truth, mismatches

OFD = FIXTURES / "ofd"


@pytest.mark.parametrize("name", ["ruled_compressed", "unruled_lines", "turned_table_page"])
def test_ofd_matches_truth(name: str):
    """The PDF fixtures' reports as OFD: every DeltaX as g N v, a TextObject per line with page parts
    numbered against the reading order, section 三's page drawn on its side."""
    report, truth, wrong, silent = extract_against_truth(OFD / f"{name}.ofd")
    assert silent == [] and wrong == []
    assert (report.template, report.year, report.agency) == (truth["template"], truth["year"], truth["agency"])
    assert report.source.format == "ofd" and report.source.pages == 3


def test_a_picture_page_among_text_pages_is_read_by_ocr():
    """Corpus document 0 of seed 2024 with its section 三 page a scanned picture, the others text."""
    from gxextract.pipeline import extract_document
    from gxextract.readers import read

    doc = read(OFD / "mixed_picture_page.ofd")
    assert doc.source.format == "ofd" and [p.page for p in doc.pages] == [2]
    truth = load_truth(OFD / "truth" / "mixed_picture_page.json")
    report = extract_document(doc)
    wrong, silent = mismatches(report, truth)
    assert silent == [] and wrong == []
    assert (report.template, report.year, report.agency) == (truth["template"], truth["year"], truth["agency"])


@pytest.mark.slow
def test_scanned_ofd_upside_down_is_read_by_ocr():
    """Page pictures (the JPEGs of fixtures/ocr/turned_180.pdf, every page upside down) go to OCR."""
    from gxextract.pipeline import extract_document
    from gxextract.readers import read

    doc = read(OFD / "scan_turned_180.ofd")
    assert doc.source.format == "ofd-scan" and [p.rotation for p in doc.pages] == [180, 180, 180]
    truth = load_truth(OFD / "truth" / "scan_turned_180.json")
    report = extract_document(doc)
    wrong, silent = mismatches(report, truth)
    assert silent == [] and wrong == []
    assert (report.template, report.year, report.agency) == (truth["template"], truth["year"], truth["agency"])


def test_the_turned_page_is_set_upright():
    data = (OFD / "turned_table_page.ofd").read_bytes()
    pkg = Package(data, "turned")
    doc = pkg.document()
    pages = [read_page(pkg, doc, k) for k in range(len(doc.pages))]
    assert [p.frame.turn for p in pages].count(3) == 1 and [p.frame.turn for p in pages].count(0) == 2
    assert all(p.width == pytest.approx(210 * MM, abs=0.5) and p.height == pytest.approx(297 * MM, abs=0.5)
               for p in pages)


# --------------------------------------------------------------------------- pages written by hand


def _page(objects: str, box: str = "0 0 210 297") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>{box}'
            f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="1">{objects}</ofd:Layer></ofd:Content></ofd:Page>')


def _first_page(data: bytes):
    pkg = Package(data, "hand")
    doc = pkg.document()
    return read_page(pkg, doc, 0)


def test_glyph_run_with_compressed_steps():
    """合计1234 at X=2, Y=6 in a Boundary at (20, 30) mm, 5 mm type, DeltaX "g 2 5 g 3 2.5": the glyphs
    start at 22, 27, 32, 34.5, 37, 39.5 mm, the baseline at 36 mm; each as wide as its step, the last
    half an em; an em high, 0.88 of it above the baseline."""
    page = _first_page(package([_page(
        '<ofd:TextObject ID="2" Boundary="20 30 100 10" Font="1" Size="5">'
        '<ofd:TextCode X="2" Y="6" DeltaX="g 2 5 g 3 2.5">合计1234</ofd:TextCode></ofd:TextObject>')], {}, False))
    assert "".join(c.text for c in page.chars) == "合计1234"
    assert [round(c.x0 / MM, 3) for c in page.chars] == [22, 27, 32, 34.5, 37, 39.5]
    assert [round((c.x1 - c.x0) / MM, 3) for c in page.chars] == [5, 5, 2.5, 2.5, 2.5, 2.5]
    assert {(round(c.top / MM, 3), round(c.bottom / MM, 3), round(c.size / MM, 3)) for c in page.chars} == {
        (31.6, 36.6, 5)}
    assert page.frame.turn == 0


def test_a_step_over_a_gap_is_no_part_of_the_glyph():
    """One TextCode for a label and a number 40 mm apart: the label's last glyph keeps its width."""
    page = _first_page(package([_page(
        '<ofd:TextObject ID="2" Boundary="0 0 100 10" Size="4">'
        '<ofd:TextCode X="10" Y="5" DeltaX="4 40">总计7</ofd:TextCode></ofd:TextObject>')], {}, False))
    assert [round(c.x0 / MM, 3) for c in page.chars] == [10, 14, 54]
    assert [round((c.x1 - c.x0) / MM, 3) for c in page.chars] == [4, 4, 2]


def test_glyphs_without_steps_advance_by_their_width():
    """No DeltaX for the last three glyphs of 总计12: a CJK glyph advances an em (4 mm), a digit half."""
    page = _first_page(package([_page(
        '<ofd:TextObject ID="2" Boundary="0 0 100 10" Size="4">'
        '<ofd:TextCode X="10" Y="5" DeltaX="5">总计12</ofd:TextCode></ofd:TextObject>')], {}, False))
    assert [round(c.x0 / MM, 3) for c in page.chars] == [10, 15, 19, 21]


def test_a_page_drawn_on_its_side_reads_upright():
    """A 297 × 210 mm page whose objects are turned a quarter turn clockwise by their CTM ((x, y) →
    (297 − y, x)): read on the upright 210 × 297 mm page, the text level, left to right."""
    page = _first_page(package([_page(
        '<ofd:TextObject ID="2" Boundary="0 0 297 210" CTM="0 1 -1 0 297 0" Size="5">'
        '<ofd:TextCode X="20" Y="40" DeltaX="5 5">总计5</ofd:TextCode></ofd:TextObject>'
        '<ofd:PathObject ID="3" Boundary="0 0 297 210" CTM="0 1 -1 0 297 0" LineWidth="0.25">'
        '<ofd:AbbreviatedData>M 10 50 L 110 50</ofd:AbbreviatedData></ofd:PathObject>', "0 0 297 210")], {}, False))
    assert page.frame.turn == 3
    assert (round(page.width / MM, 3), round(page.height / MM, 3)) == (210, 297)
    assert "".join(c.text for c in page.chars) == "总计5"
    assert [round(c.x0 / MM, 3) for c in page.chars] == [20, 25, 30]
    assert {round(c.bottom / MM, 3) for c in page.chars} == {40.6}
    (rule,) = page.segments
    assert [round(v / MM, 3) for v in (rule.x0, rule.top, rule.x1, rule.bottom)] == [10, 50, 110, 50]
    assert rule.stroked and rule.width == pytest.approx(0.25 * MM)


def test_paths_as_rules():
    """A stroked line, a thin filled rectangle (a border drawn as a box) and a large white one (paper)."""
    page = _first_page(package([_page(
        '<ofd:PathObject ID="2" Boundary="10 20 60 2" LineWidth="0.5"><ofd:StrokeColor Value="0 0 0"/>'
        '<ofd:AbbreviatedData>M 0 1 L 50 1</ofd:AbbreviatedData></ofd:PathObject>'
        '<ofd:PathObject ID="3" Boundary="10 30 2 80" Stroke="false" Fill="true"><ofd:FillColor Value="0 0 0"/>'
        '<ofd:AbbreviatedData>M 0 0 L 0.3 0 L 0.3 60 L 0 60 C</ofd:AbbreviatedData></ofd:PathObject>'
        '<ofd:PathObject ID="4" Boundary="100 100 50 50" Stroke="false" Fill="true"><ofd:FillColor Value="255 255 255"/>'
        '<ofd:AbbreviatedData>M 0 0 L 40 0 L 40 40 L 0 40 C</ofd:AbbreviatedData></ofd:PathObject>')], {}, False))
    from gxextract.pdf.rules import rules

    hs, vs = rules(page.segments)
    assert [(round(r.pos / MM, 3), round(r.start / MM, 3), round(r.end / MM, 3)) for r in hs] == [(21, 10, 60)]
    assert [(round(r.pos / MM, 3), round(r.start / MM, 3), round(r.end / MM, 3)) for r in vs] == [(10.15, 30, 90)]


def test_a_page_picture_is_scaled_as_a_pdf_page_is_rendered():
    """A 210 × 297 px picture over an A4 page is read at the PDF scans' 200 dpi: 1654 × 2339 px."""
    from gxextract.ocr.images import RENDER_DPI
    from gxextract.readers.ofd import _picture, _rendered

    buf = io.BytesIO()
    Image.fromarray(np.full((297, 210, 3), 255, np.uint8)).save(buf, "JPEG")
    data = package([_page('<ofd:ImageObject ID="2" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="1000"/>')],
                   {0: buf.getvalue()}, False)
    pkg = Package(data, "picture")
    doc = pkg.document()
    page = read_page(pkg, doc, 0)
    picture = _picture(page)
    assert (picture.media, picture.member) == ("1000", "Doc_0/Res/Image_0.jpg")
    rgb, dpi, ppp = _rendered(pkg.read(picture.member), "picture", picture.bbox, RENDER_DPI)
    assert rgb.shape == (2339, 1654, 3) and dpi == RENDER_DPI and ppp == pytest.approx(72 / RENDER_DPI)


def test_a_picture_listed_by_the_page_s_own_resources():
    """PageRes: a resource part of the page itself (relative to the page's folder) lists its picture."""
    page_xml = _page('<ofd:ImageObject ID="2" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="9"/>')
    real = zipfile.ZipFile(io.BytesIO(package([page_xml.replace(
        "<ofd:Content>", "<ofd:PageRes>PageRes.xml</ofd:PageRes><ofd:Content>")], {}, False)))
    files = {n: real.read(n) for n in real.namelist()}
    files["Doc_0/Pages/Page_0/PageRes.xml"] = (
        f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image">'
        "<ofd:MediaFile>scan.jpg</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>")
    files["Doc_0/Pages/Page_0/Res/scan.jpg"] = b"\xff\xd8"
    (picture,) = _first_page(_zip(files)).images
    assert (picture.media, picture.member) == ("9", "Doc_0/Pages/Page_0/Res/scan.jpg")


def test_template_pages_are_read_under_the_page():
    """Text on a template page (TemplatePage in Document.xml, named by the page's Template) is part of
    every page that uses it; a Visible="false" object is not."""
    real = zipfile.ZipFile(io.BytesIO(package([_page(
        '<ofd:TextObject ID="2" Boundary="0 0 100 10" Size="4"><ofd:TextCode X="10" Y="5">正文</ofd:TextCode>'
        '</ofd:TextObject><ofd:TextObject ID="3" Boundary="0 0 100 10" Size="4" Visible="false">'
        '<ofd:TextCode X="50" Y="5">隐藏</ofd:TextCode></ofd:TextObject>'
    ).replace("<ofd:Content>", '<ofd:Template TemplateID="7"/><ofd:Content>')], {}, False)))
    files = {n: real.read(n) for n in real.namelist()}
    files["Doc_0/Document.xml"] = files["Doc_0/Document.xml"].replace(
        b"</ofd:CommonData>", b'<ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>')
    files["Doc_0/Tpls/Tpl_0/Content.xml"] = _page(
        '<ofd:TextObject ID="4" Boundary="0 280 100 10" Size="4"><ofd:TextCode X="10" Y="5">页眉</ofd:TextCode>'
        '</ofd:TextObject>')
    page = _first_page(_zip(files))
    assert "".join(c.text for c in page.chars) == "页眉正文"
    assert [round(c.top / MM, 3) for c in page.chars] == [281.48, 281.48, 1.48, 1.48]


def test_deltas():
    assert deltas("1 g 3 2.5 4", 10) == [1, 2.5, 2.5, 2.5, 4]
    assert deltas("g 1000000000 1", 3) == [1, 1, 1]  # a huge count costs nothing


def test_sniffed_by_its_ofd_xml():
    data = (OFD / "ruled_compressed.ofd").read_bytes()
    assert sniff(data) == "ofd"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Doc_0/Document.xml", "<x/>")
    assert sniff(buf.getvalue()) == "binary"


# --------------------------------------------------------------------------- hostile packages


def _zip(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _ofd_with(content: bytes | str) -> bytes:
    """A one-page OFD whose page part is ``content``."""
    real = zipfile.ZipFile(io.BytesIO(package([_page("")], {}, False)))
    files = {n: real.read(n) for n in real.namelist()}
    files["Doc_0/Pages/Page_0/Content.xml"] = content
    return _zip(files)


def test_a_bomb_member_is_refused_before_it_is_unpacked():
    data = _ofd_with(b"<a>" + b" " * 5_000_000 + b"</a>")
    assert len(data) < 50_000
    with pytest.raises(TooLarge, match="unpack to 5 MB"):
        extract(data, limits=Limits(unpacked_bytes=1_000_000))


def test_a_page_part_too_large_to_parse_is_refused():
    from gxextract.ofd.package import PART_BYTES

    data = _ofd_with(b"<a>" + b" " * PART_BYTES + b"</a>")
    with pytest.raises(TooLarge, match="an OFD part may have"):
        extract(data)


@pytest.mark.parametrize("entity", ['<!ENTITY x SYSTEM "file:///etc/passwd">',
                                    '<!ENTITY a "aaaaaaaaaa"><!ENTITY x "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'])
def test_entities_are_refused(entity: str):
    """An external entity (XXE) or nested ones (a billion laughs): a DTD, which OFD never has."""
    page = _page('<ofd:TextObject ID="2" Boundary="0 0 100 10" Size="4"><ofd:TextCode X="0" Y="5">&x;'
                 '</ofd:TextCode></ofd:TextObject>')
    page = page.replace("?>\n", f"?>\n<!DOCTYPE ofd:Page [{entity}]>\n")
    with pytest.raises(UnreadableFile, match="declares a DTD"):
        extract(_ofd_with(page))


def test_missing_document_xml():
    data = _zip({"OFD.xml": f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                            "</ofd:DocBody></ofd:OFD>"})
    with pytest.raises(UnreadableFile, match="names no Document.xml"):
        extract(data)


def test_broken_xml_and_a_cut_file():
    with pytest.raises(UnreadableFile, match="not well-formed"):
        extract(_ofd_with("<ofd:Page"))
    data = (OFD / "ruled_compressed.ofd").read_bytes()
    with pytest.raises(UnreadableFile, match="damaged"):
        extract(data[: len(data) // 2])
