"""Bad input and faults: every input gives a correct report or a typed, actionable GxError,
within bounded time and memory, with no network access and no traceback on the command line.

The files and what each must give are in fixtures/bad/expected.json (made by
``python -m benchmarks.make_bad_fixtures``). An input whose reader is not installed in this
checkout (the PDF or image reader while it is being written) is skipped, not passed.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from gxextract import GxError, Limits, extract
from gxextract.readers import READERS
from gxextract.readers.doc import soffice
from gxextract.readers.sniff import sniff

from .conftest import FIXTURES, ROOT, load_truth, mismatches

BAD = FIXTURES / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
BOMBS = {name for name, e in EXPECTED.items() if "too_large" in e["expect"]}
"""Inputs that would exhaust memory if read naively: run in a child process under limits."""
TIME_LIMIT = 60.0
MEMORY_LIMIT = 3 << 30
SOFFICE = soffice()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test (and is refused)."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network access attempted during extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"network access attempted: {attempts}"


def _expected(name: str) -> list[str]:
    entry = EXPECTED[name]
    if entry.get("when_missing") and SOFFICE is None:
        return [entry["when_missing"]]
    return entry["expect"]


def _skip_without_reader(name: str) -> None:
    if EXPECTED[name].get("known_issue"):
        pytest.xfail(f"known issue, reported: {EXPECTED[name]['known_issue']}")
    form = sniff((BAD / name).read_bytes()[:1 << 16] if (BAD / name).stat().st_size else b"", name)
    if form in ("pdf", "image") and form not in READERS:
        pytest.skip(f"no {form} reader registered in this checkout yet")


def _check_report(name: str, report) -> None:
    entry = EXPECTED[name]
    truth = load_truth((BAD / entry["truth"]).resolve())
    wrong, silent = mismatches(report, truth)
    assert silent == [], f"{name}: wrong values not flagged"
    if entry.get("exact"):
        assert wrong == []
        assert (report.template, report.year) == (truth["template"], truth["year"])
    if "min_correct" in entry:
        assert 1 - len(wrong) / len(truth["fields"]) >= entry["min_correct"], wrong
        assert report.template == truth["template"]


def _check_error(name: str, exc: GxError, allowed: list[str]) -> None:
    assert exc.code in allowed, f"{name}: {exc.code}: {exc}"
    message = str(exc)
    assert name in message, "the message names the file"
    assert len(message) > len(name) + 10, "the message says what is wrong"
    if exc.code == "encrypted":
        assert "password" in message.lower()
    if exc.code == "missing_dependency":
        assert "install" in message


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - BOMBS))
def test_bad_input(name: str, no_network):
    _skip_without_reader(name)
    allowed = _expected(name)
    start = time.monotonic()
    try:
        report = extract(BAD / name)
    except GxError as exc:
        _check_error(name, exc, allowed)
    else:
        assert "report" in allowed, f"{name}: a report, where {allowed} was expected"
        _check_report(name, report)
    assert time.monotonic() - start < TIME_LIMIT


def _limited() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, timeout: float = TIME_LIMIT * 2) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "gxextract", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, preexec_fn=_limited if sys.platform != "win32" else None)


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_refused_within_limits(name: str):
    """Run in a child process with its address space capped at 3 GB: a reader that decodes or
    renders first and checks later dies (MemoryError, a killed process) instead of refusing."""
    _skip_without_reader(name)
    start = time.monotonic()
    proc = run_cli("extract", str(BAD / name))
    assert time.monotonic() - start < TIME_LIMIT * 2
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    codes = [line.split("(")[1].split(")")[0] for line in proc.stderr.splitlines() if line.startswith("error (")]
    assert codes and codes[0] in _expected(name), proc.stderr


@pytest.mark.parametrize("name", ["empty.txt", "junk.bin", "hello.txt", "mixed_in_line.txt", "not_a_word.doc"])
def test_cli_reports_one_line_and_exit_2(name: str):
    proc = run_cli("extract", str(BAD / name), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error (") and name in lines[0]


def test_cli_missing_file_and_folder(tmp_path):
    for target in (tmp_path / "nope.pdf", tmp_path):
        proc = run_cli("extract", str(target))
        assert proc.returncode != 0 and "Traceback" not in proc.stderr and proc.stderr.strip()


def test_cli_reads_a_misnamed_report():
    proc = run_cli("extract", str(BAD / "html_named.pdf"), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["template"] == "gov2021"


# ---------------------------------------------------------------- inputs made on the fly


def _outcome(source) -> str:
    try:
        extract(source)
    except GxError as exc:
        return exc.code
    return "report"


@pytest.mark.parametrize("source, code", [
    ("/definitely/not/here.pdf", "unreadable"),
    ("bad\x00name.txt", "unreadable"),
    ("x" * 5000 + ".txt", "unreadable"),
    ("/dev/zero", "unreadable"),
    (b"", "unreadable"),
    (bytearray(b"\xef\xbb\xbf"), "unreadable"),
    (b"\xff\xfe" + "规章\t1\t2\t3\n".encode("utf-16-le")[:-1], "unreadable"),
    (b"PK\x03\x04" + b"\x00" * 100, "unsupported_format"),
])
def test_bad_sources(source, code):
    if source == "/dev/zero" and not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert _outcome(source) == code


def test_fifo_does_not_block(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    assert _outcome(fifo) == "unreadable"


def test_unreadable_permissions(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    f = tmp_path / "r.txt"
    f.write_text("x")
    f.chmod(0)
    assert _outcome(f) == "unreadable"


SEED = (FIXTURES / "seeds" / "001_2561814c437a049f.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("junk", [
    "9" * 5000,  # more digits than int() converts
    "9" * 400 + ".5",  # a float beyond float's range
    "1" * 60 + "元",
    "-" * 10000,
    "（" * 3000 + "规章" + "）" * 3000,
    "规章 " + " ".join(["1"] * 5000),
    "（七）总计" + "1" * 3000,
    "2020年政府信息公开" * 3000,
    "\u202e\u200b\ufeff\x0b\x0c\x1c\x85\u2028" * 100,
])
def test_hostile_cells_in_a_real_report(junk: str):
    """A cell of junk in each row of a real report: never an exception, every other field intact
    or flagged, in bounded time."""
    lines = SEED.splitlines()
    hostile = "\n".join(line + ("\t" + junk if "\t" in line and k % 3 == 0 else "") for k, line in enumerate(lines))
    hostile = hostile.replace("\n\n", "\n" + junk + "\n", 3)
    start = time.monotonic()
    try:
        report = extract(hostile.encode("utf-8"))
    except GxError:
        return
    assert time.monotonic() - start < 30
    truth = load_truth(FIXTURES / "seeds" / "truth" / "001_2561814c437a049f.json")
    _, silent = mismatches(report, truth)
    assert silent == []


def test_long_text_is_bounded():
    """A 20 MB text (100,000 copies of a table row) is refused or read in bounded time."""
    line = "规章\t1\t2\t3\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    start = time.monotonic()
    code = _outcome((line * 100_000).encode("utf-8"))
    assert code in ("too_large", "report", "not_a_report")
    assert time.monotonic() - start < TIME_LIMIT


def test_one_huge_line_is_bounded():
    start = time.monotonic()
    code = _outcome(("政府信息公开 " * 400_000 + "1 2 3").encode("utf-8"))
    assert code in ("too_large", "not_a_report")
    assert time.monotonic() - start < TIME_LIMIT


def test_deeply_nested_html_is_no_recursion_error(no_network):
    html = "<html><body>" + "<div><table><tr><td>" * 20000 + "规章 1 2 3" + "</td></tr></table></div>" * 20000
    start = time.monotonic()
    assert _outcome(html.encode("utf-8")) in ("not_a_report", "too_large", "unreadable")
    assert time.monotonic() - start < TIME_LIMIT


def test_html_external_entities_are_not_fetched(no_network, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("（七）总计 777", encoding="utf-8")
    html = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">'
            '<!ENTITY y SYSTEM "http://127.0.0.1:9/x">]><html><body><p>&x;&y;</p>'
            + (FIXTURES / "text" / "html_0_gov2019.html").read_text(encoding="utf-8") + "</body></html>")
    report = extract(html.encode("utf-8"))
    assert all(f.raw != "777" for f in report.fields.values())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")
def test_doc_conversion_timeout_is_an_error(monkeypatch):
    from gxextract.readers import doc

    monkeypatch.setattr(doc, "TIMEOUT", 0.01)
    with pytest.raises(GxError) as info:
        doc.read((BAD / "legacy.doc").read_bytes(), "legacy.doc")
    assert info.value.code == "unreadable" and "within" in str(info.value)


def test_doc_without_libreoffice_names_the_package(monkeypatch):

    monkeypatch.setenv("GXEXTRACT_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(GxError) as info:
        extract(BAD / "legacy.doc")
    assert info.value.code == "missing_dependency"
    assert "libreoffice-writer" in str(info.value) and "apt-get install" in str(info.value)


@pytest.mark.parametrize("printed", ["9" * 400, "1.2.3", "1,23,4"])
def test_a_value_that_is_no_number_is_flagged(printed: str):
    """A value slot whose text does not parse as one number is null and flagged, never silent."""
    lines = (FIXTURES / "text" / "spaces_0_gov2019.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.rsplit(" ", 1)[0] + " " + printed if line.startswith("规章 ") else line for line in lines]
    field = extract("\n".join(lines).encode("utf-8")).fields["active.regulations.total_published"]
    assert field.value is None or field.needs_review
    assert field.needs_review


def test_damaged_pdf_bytes_give_a_report_or_gxerror():
    """Bytes of a report PDF flipped, cut, zeroed or repeated: a report (serialisable) or a GxError."""
    import random

    if "pdf" not in READERS:
        pytest.skip("no pdf reader registered in this checkout yet")
    base = (BAD / "report.pdf").read_bytes()
    rng = random.Random(3)
    for _ in range(30):
        b = bytearray(base)
        kind = rng.choice(["flip", "cut", "zero", "dup"])
        if kind == "flip":
            for _ in range(rng.randint(1, 50)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif kind == "cut":
            b = b[: rng.randrange(len(b))]
        elif kind == "zero":
            s = rng.randrange(len(b))
            b[s: s + 500] = bytes(len(b[s: s + 500]))
        else:
            s = rng.randrange(len(b))
            b[s:s] = b[s: s + rng.randint(10, 3000)]
        try:
            extract(bytes(b)).model_dump_json()
        except GxError:
            pass


def test_lone_surrogates_from_a_text_layer_are_replaced():
    from gxextract.models import Cell, Document, Row, Source
    from gxextract.pipeline import extract_document
    from gxextract.readers import without_surrogates

    rows = [Row(cells=[Cell(text=t) for t in line.split("\t")]) for line in SEED.splitlines() if line.strip()]
    rows[30] = Row(cells=[Cell(text=rows[30].cells[0].text + "\udc78")] + rows[30].cells[1:])
    doc = Document(source=Source(format="text"), rows=rows, title_lines=["\ud800标题"])
    extract_document(doc).model_dump_json()
    clean = without_surrogates(doc)
    assert "\ufffd" in clean.rows[30].cells[0].text and clean.title_lines == ["\ufffd标题"]


# ---------------------------------------------------------------- names that are not text


def test_extract_json_on_a_name_that_is_not_utf8(tmp_path):
    """The report names its source in a form JSON takes: the bytes escaped, recoverable."""
    import codecs

    name = os.fsencode(tmp_path) + b"/\xff\xfe_bad.txt"
    with open(name, "wb") as fh:
        fh.write(SEED.encode("utf-8"))
    proc = run_cli("extract", os.fsdecode(name), "--json")
    assert proc.returncode == 0, proc.stderr
    path = json.loads(proc.stdout)["source"]["path"]
    assert path.endswith("/\\xff\\xfe_bad.txt") and codecs.escape_decode(path.encode())[0] == name


def test_control_characters_in_a_name_are_printed_escaped_on_one_line(tmp_path):
    name = tmp_path / "a\nb\x1b[31m\r.txt"
    name.write_text("你好，这不是一份报告。\n", encoding="utf-8")
    proc = run_cli("extract", str(name))
    assert proc.returncode == 2 and "\x1b" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "a\\nb\\x1b[31m\\r.txt" in lines[0], lines


# ---------------------------------------------------------------- bounded memory by construction


def test_a_docx_bomb_is_refused_on_its_declared_size_before_unpacking(tmp_path):
    """A DOCX whose XML unpacks to 300 MB (from 0.3 MB): TooLarge with the figure, in a child under
    the memory cap (python-docx would have built a tree of several GB)."""
    from benchmarks.make_bad_fixtures import docx_bomb

    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb())
    proc = run_cli("extract", str(bomb))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.startswith("error (too_large):") and "unpack to 315 MB" in proc.stderr
    with pytest.raises(GxError) as info:  # the limit is a parameter
        extract(docx_bomb(4 << 20), limits=Limits(unpacked_bytes=2 << 20))
    assert info.value.code == "too_large" and "over the limit of 2 MB" in str(info.value)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_limits_are_checked_on_the_declared_sizes_before_any_frame_is_decoded(monkeypatch):
    from PIL import Image

    from benchmarks.make_bad_fixtures import frames_tiff

    small = frames_tiff(frames=4, width=400, height=300)
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load",
                        lambda im: (im.format == "TIFF" and decoded.append(im.size)) or real_load(im))
    for limits, figure in ((Limits(document_pixels=400_000), "4 pages of 0.5 Mpx together, over the limit of 0.4 Mpx"),
                           (Limits(image_pixels=100_000), "page 1 is a 400×300 image"),
                           (Limits(pages=3), "4 pages is over the 3-page limit")):
        with pytest.raises(GxError) as info:
            extract(small, limits=limits)
        assert info.value.code == "too_large" and figure in str(info.value)
    assert decoded == []


def _reading_order(monkeypatch) -> list[tuple[str, int]]:
    """Records each page as the image reader gets it decoded and as it has read it."""
    from gxextract.ocr.images import Pages
    from gxextract.readers import image

    events: list[tuple[str, int]] = []
    real_read_page = image.read_page

    def read_page(page, engine):
        got = real_read_page(page, engine)
        events.append(("read", page.number))
        return got

    def recording(load):
        def loaded(*args, **kwargs):
            pages = load(*args, **kwargs)

            def each():
                for k, item in enumerate(pages, start=1):
                    events.append(("decoded", k))
                    yield item

            return Pages(pages.count, each(), len(pages))
        return loaded

    monkeypatch.setattr(image, "read_page", read_page)
    monkeypatch.setattr(image, "render_pdf", recording(image.render_pdf))
    monkeypatch.setattr(image, "load_images", recording(image.load_images))
    return events


@pytest.mark.parametrize("kind", ["pdf", "tiff"])
def test_scanned_pages_are_decoded_and_read_one_at_a_time(kind, monkeypatch):
    """Page k + 1 is rendered (or decoded) only once page k is read: a document never has more
    than one page image in memory."""
    from benchmarks.make_bad_fixtures import blank_pages_pdf, frames_tiff

    events = _reading_order(monkeypatch)
    data = blank_pages_pdf(pages=3, inches=4) if kind == "pdf" else frames_tiff(frames=3, width=800, height=600)
    with pytest.raises(GxError):  # blank pages: no report
        extract(data)
    assert events == [(what, k) for k in (1, 2, 3) for what in ("decoded", "read")]


def test_a_table_of_550k_rows_is_refused_while_it_is_parsed(tmp_path):
    """50 MB of HTML: TooLarge with the figure, before a tree is built (it took 8 GB), and in a
    batch the same error with its message."""
    from benchmarks.make_bad_fixtures import long_table_html

    page = long_table_html()
    assert len(page) > 50e6
    with pytest.raises(GxError) as info:
        extract(page)
    assert info.value.code == "too_large" and "over the limit of 30000 table rows" in str(info.value)

    from gxextract.batch import BatchOptions, run_batch
    from gxextract.outputs.journal import read_records

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.html").write_bytes(page)
    (tmp_path / "in" / "report.txt").write_text(SEED, encoding="utf-8")
    run_batch(BatchOptions(inputs=[str(tmp_path / "in")], out=tmp_path / "out", workers=1, quiet=True))
    (error,) = [r for _, r in read_records(tmp_path / "out" / "errors.jsonl")]
    assert error["code"] == "too_large" and "30000 table rows" in error["message"]


def test_a_text_layer_that_reads_cid_numbers_goes_to_ocr(monkeypatch):
    """A converter's ``(cid:N)`` for every glyph is no text: the pages are read from their pixels."""
    from benchmarks.make_bad_fixtures import cid_text_pdf, report_lines
    from gxextract.models import Document, Source
    from gxextract.readers import image, read

    calls = []

    def fake(data, path, pages=None):
        calls.append(pages)
        return Document(source=Source(path=path, format="pdf-scan"), rows=[])

    monkeypatch.setattr(image, "read_pdf_scan", fake)
    assert read(cid_text_pdf(report_lines()[:60])).source.format == "pdf-scan" and calls == [None]


# ---------------------------------------------------------------- declared encodings


def test_encodings_by_bom_by_declaration_and_by_what_reads_as_chinese():
    from gxextract.readers.html import declared_encoding
    from gxextract.readers.text import decode

    text = "政府信息公开工作年度报告\n规章\t1\t2\n"
    for data in (codecs.BOM_UTF32_LE + text.encode("utf-32-le"), codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
                 text.encode("utf-32-le"), codecs.BOM_UTF8 + text.encode(), text.encode("gb18030")):
        assert decode(data) == text
    traditional = "政府資訊公開工作年度報告\n"
    assert decode(traditional.encode("big5")) == traditional  # Big5 read as GB18030 is a third common characters
    gb = text.encode("gb18030")  # these bytes are valid Big5 too: a declaration decides
    assert decode(gb, declared="big5") != text and decode(gb, declared="gbk") == text
    assert decode(gb, declared="iso-8859-1") == text  # a charset that cannot write Chinese is a tool's default
    assert decode(text.encode(), declared="gb2312") == text  # bytes that are UTF-8 are UTF-8
    assert declared_encoding(b'<head><meta http-equiv="Content-Type" content="text/html; charset=big5">') == "big5"
    assert declared_encoding(b'<?xml version="1.0" encoding="GBK"?><html>') == "GBK"


def test_an_error_message_is_one_line_and_never_empty():
    from gxextract.errors import TooLarge, UnreadableFile

    assert str(UnreadableFile("a\nb\x1b[2J.txt: cut short")) == "a\\nb\\x1b[2J.txt: cut short"
    assert str(TooLarge("")) == "The document would exceed the memory or page limits"
