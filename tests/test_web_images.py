"""Web pages whose tables are pictures (fixtures/webimages): pictures beside the page and in an
MHTML archive read against truth, each value naming its picture; pictures outside the page's
folder, on the network or missing never read, and said so."""

from __future__ import annotations

import base64
import shutil

import pytest
from PIL import Image

from gxextract import NotAReport, TooLarge, extract
from gxextract.limits import Limits
from gxextract.readers import read
from gxextract.readers.sniff import sniff

from .conftest import FIXTURES, load_truth, mismatches

WEB = FIXTURES / "webimages"
TRUTH = load_truth(WEB / "truth" / "tables.json")
"""Of ``tables/page.html``: table1.png is section 二, table2-3 section 三 (one table over two
pictures), table4 section 四, none with rules."""


def _page(folder, body: str) -> str:
    page = folder / "page.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body><p>年度报告</p>{body}</body></html>',
                    encoding="utf-8")
    return str(page)


def _in_its_picture(fields: dict, folder) -> None:
    """Every field read has its picture's name, and its box lies inside that picture."""
    for fid, f in fields.items():
        if f.raw is None:
            continue
        assert f.image, fid
        if folder is not None:
            width, height = Image.open(folder / f.image).size
            x0, top, x1, bottom = f.bbox
            assert 0 <= x0 < x1 <= width + 1 and 0 <= top < bottom <= height + 1, (fid, f.bbox, f.image)


def test_pictures_read_in_place_and_the_missing_ones_a_warning(tmp_path):
    """Section 三's two pictures are not beside the page: sections 二 and 四 are read as printed (四 a
    small table without rules, the second picture read), the two missing ones are a warning, and
    the fields they hold are flagged, never a wrong value."""
    folder = tmp_path / "page"
    shutil.copytree(WEB / "tables", folder)
    for name in ("table2.png", "table3.png"):
        (folder / "images" / name).unlink()
    report = extract(folder / "page.html")
    assert any(w.startswith("2 pictures of the page not read (missing): images/table2.png") for w in report.warnings)
    read_here = {f: v for f, v in TRUTH["fields"].items() if f.startswith(("active.", "appeals."))}
    assert mismatches(report, {"fields": read_here}) == ([], [])
    assert mismatches(report, TRUTH)[1] == []
    assert report.source.pages == 2
    _in_its_picture({f: report.fields[f] for f in read_here}, folder)
    assert {report.fields[f].image for f in read_here} == {"images/table1.png", "images/table4.png"}


@pytest.mark.slow
def test_folder_page_of_table_pictures_against_truth():
    report = extract(WEB / "tables" / "page.html")
    assert mismatches(report, TRUTH) == ([], [])
    assert (report.template, report.year, report.agency) == (TRUTH["template"], TRUTH["year"], TRUTH["agency"])
    _in_its_picture(report.fields, WEB / "tables")
    assert report.fields["requests.new_received.total"].image == "images/table2.png"


@pytest.mark.slow
def test_mht_of_scanned_pages_against_truth():
    assert sniff((WEB / "pages.mht").read_bytes()) == "mhtml"
    report = extract(WEB / "pages.mht")
    assert mismatches(report, load_truth(WEB / "truth" / "pages.json")) == ([], [])
    assert report.source.format == "mhtml" and report.source.pages == 3
    _in_its_picture(report.fields, None)
    assert all(f.image.startswith("http://") and f.image.endswith(".jpg") for f in report.fields.values() if f.raw)


def test_pictures_outside_the_folder_or_on_the_network_are_not_read(tmp_path):
    """A section 三 picture, reachable by ``..``, an absolute path, a link leaving the folder and
    a URL, is read by none of them: the reader says so and the page is no report."""
    outside = tmp_path / "elsewhere"
    shutil.copytree(WEB / "tables" / "images", outside)
    folder = tmp_path / "page"
    folder.mkdir()
    (folder / "link.png").symlink_to(outside / "table2.png")
    page = _page(folder, f'<img src="../elsewhere/table2.png"><img src="{outside / "table2.png"}">'
                         f'<img src="link.png"><img src="http://www.example.gov.cn/table2.png">'
                         f'<img src="file://{outside / "table2.png"}">')
    doc = read(page)
    assert doc.pages == [] and doc.source.pages is None
    assert not any(c.image for r in doc.rows for c in r.cells)
    joined = " | ".join(doc.warnings)
    assert "2 pictures of the page not read (outside the page's folder)" in joined
    assert "not beside the page" in joined and "never fetched" in joined
    with pytest.raises(NotAReport, match="outside the page's folder"):
        extract(page)


def test_a_page_given_as_bytes_has_no_folder(tmp_path):
    data = (WEB / "tables" / "page.html").read_bytes()
    with pytest.raises(NotAReport, match="4 pictures of the page not read .the page came as bytes"):
        extract(data)


def test_a_data_uri_picture_is_read_in_its_place(tmp_path):
    """Section 四's picture as a data: URI between two lines of text: its numbers come between them."""
    uri = "data:image/png;base64," + base64.b64encode((WEB / "tables" / "images" / "table4.png").read_bytes()).decode()
    doc = read(_page(tmp_path, f'<p>四、复议诉讼</p><img src="{uri}"><p>五、存在的主要问题</p>'))
    texts = [" ".join(c.text for c in r.cells) for r in doc.rows]
    first, last = texts.index("四、复议诉讼"), texts.index("五、存在的主要问题")
    numbers = [c.text for r in doc.rows[first + 1:last] for c in r.cells if c.text.isdigit()]
    want = [str(v) for f, v in TRUTH["fields"].items() if f.startswith("appeals.") and v is not None]
    assert numbers == want
    assert {c.image for r in doc.rows[first + 1:last] for c in r.cells} == {"picture 1 (data:image/png;base64)"}


def test_the_limits_count_the_pictures(tmp_path):
    with pytest.raises(TooLarge, match="together"):
        extract(WEB / "tables" / "page.html", limits=Limits(document_pixels=1_000_000))
    with pytest.raises(TooLarge, match="the page and its pictures are over"):
        extract(WEB / "tables" / "page.html", limits=Limits(file_bytes=100_000))


def test_a_picture_that_is_no_picture_is_a_warning(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (tmp_path / "loop.png").symlink_to("loop.png")
    doc = read(_page(tmp_path, '<img src="broken.png"><img src="gone.png"><img src="loop.png"><img src="a%00.png">'
                               '<img src="http://[::1">'))
    assert any("cannot be decoded" in w and "broken.png" in w for w in doc.warnings)
    assert any("missing" in w and "gone.png" in w for w in doc.warnings)
    assert sum(w.startswith("1 picture of the page not read (cannot be read") for w in doc.warnings) == 3


def test_an_archive_finds_its_pictures_by_cid_and_by_location(tmp_path):
    """A hand-made archive: section 四's picture named by ``cid:``, section 二's by a ``src`` relative
    to the page's ``Content-Location``, a third not in it (a warning)."""
    from email.message import EmailMessage

    archive = EmailMessage()
    archive["MIME-Version"] = "1.0"
    archive.make_related()
    page = EmailMessage()
    page.set_content('<html><body><p>年度报告</p><img src="pics/t1.png"><p>四、复议诉讼</p><img src="cid:t7@x">'
                     '<img src="pics/gone.png"></body></html>', subtype="html", charset="gb2312")
    page["Content-Location"] = "file:///C:/reports/report.htm"
    archive.attach(page)
    for name, header, value in (("table1.png", "Content-Location", "file:///C:/reports/pics/t1.png"),
                                ("table4.png", "Content-ID", "<t7@x>")):
        part = EmailMessage()
        part.set_content((WEB / "tables" / "images" / name).read_bytes(), maintype="image", subtype="png")
        part[header] = value
        archive.attach(part)
    data = archive.as_bytes()
    assert sniff(data) == "mhtml"
    doc = read(data)
    assert [p.image for p in doc.pages] == ["file:///C:/reports/pics/t1.png", "cid:t7@x"]
    assert doc.warnings == ["1 picture of the page not read (not in the archive): pics/gone.png"]
    texts = [" ".join(c.text for c in r.cells) for r in doc.rows]
    after = texts.index("四、复议诉讼")
    numbers = [c.text for r in doc.rows[after + 1:] for c in r.cells if c.text.isdigit()]
    assert numbers == [str(v) for f, v in TRUTH["fields"].items() if f.startswith("appeals.") and v is not None]


def test_a_small_tables_picture_whose_round_print_looks_like_a_seal_is_read():
    """A gov2019 page with each table a picture (``tables_ringlike``): the fees table's picture is
    566 × 124 pixels, so short that a round character of it (（八）) is of a seal's size, and the
    header's grey fill makes all of that ring's disc darker than the paper. Every field is read to
    truth all the same."""
    report = extract(WEB / "tables_ringlike" / "page.html")
    assert mismatches(report, load_truth(WEB / "truth" / "tables_ringlike.json")) == ([], [])
