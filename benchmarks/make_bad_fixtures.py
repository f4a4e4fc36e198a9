"""Make fixtures/bad/: hostile, broken and odd inputs, with what each must give.

    python -m benchmarks.make_bad_fixtures            # writes fixtures/bad/*
    python -m benchmarks.make_bad_fixtures --check    # also checks the total size

``fixtures/bad/expected.json`` maps each file to the outcomes it may give: error codes of
`gxextract.errors` (``unreadable``, ``encrypted``, ``too_large``, ``not_a_report``, …) and/or
``report``; a report is then compared with ``truth`` (no wrong field may pass unflagged, and
with ``exact`` no field may be wrong at all). The files are small (< 1 MB together) and
deterministic but for the PDF dates, which are fixed.

Needs reportlab (the ``corpus`` extra) and a CJK TrueType font (fonts-wqy-microhei or
fonts-arphic-uming); the legacy .doc is made with LibreOffice when it is installed
(``soffice``), else the committed one is kept.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import warnings
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "bad"
SEEDS = ROOT / "fixtures" / "seeds"
TEXT = ROOT / "fixtures" / "text"
LINES_SEED = "000_7f6e3dc8283013a4"  # a cell per line, gov2019
TABS_SEED = "001_2561814c437a049f"  # tab-separated rows, gov2019
PIPES_SEED = "003_6934debf565e0270"  # cells ended by " |", gov2021
FONTS = [("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYiMicroHei"),
         ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "UMingCN")]
USER_PASSWORD = "gx-secret-2024"


KNOWN_ISSUES: dict[str, str] = {  # none open: both below were fixed by the OCR rendering limits (8ae58e8)
}
_FIXED_ISSUES = {
    "huge_image.pdf": "the PDF reader does not check an image's declared pixel size before decoding it "
                      "(NotAReport after ~12 s and 400 MB instead of TooLarge)",
    "huge_page.pdf": "the PDF reader renders a 15000-inch page without checking its pixel size first "
                     "(1.6 GB and ~55 s before NotAReport)",
}


def seed_truth(stem: str) -> str:
    return f"../seeds/truth/{stem}.json"


# ---------------------------------------------------------------------------- PDFs drawn with reportlab


def _font(embedded: bool) -> str:
    """An embedded subset of a CJK TrueType font, or the standard STSong-Light (not embedded: readers
    map it by its CMap; it keeps the derived fixtures small)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index, name in FONTS:
        if embedded and os.path.exists(path):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            return name
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _wrap(line: str, width: int) -> list[str]:
    return [line[k:k + width] for k in range(0, len(line), width)] or [""]


def text_pdf(lines: list[str], encrypt=None, size: float = 9.0, embedded: bool = False) -> bytes:
    """Lines of text on A4 pages, one line of the source per line (long ones wrapped)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1, pageCompression=1)
    fn = _font(embedded)
    width, height = A4
    y = height - 50
    for line in lines:
        for part in _wrap(line.strip(), 50):
            if y < 50:
                c.showPage()
                y = height - 50
            if part:
                c.setFont(fn, size)
                c.drawString(50, y, part)
            y -= size * 1.6
    c.showPage()
    c.save()
    return buf.getvalue()


def report_lines() -> list[str]:
    lines = (SEEDS / f"{LINES_SEED}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def encrypted(user: str) -> object:
    from reportlab.lib import pdfencrypt

    return pdfencrypt.StandardEncryption(user, ownerPassword="gx-owner-only", canPrint=1, canModify=0,
                                         canCopy=1, canAnnotate=0, strength=128)


NOT_A_REPORT = """关于2023年国庆节放假安排的通知
各科室、各直属单位：
根据国务院办公厅通知精神，现将2023年国庆节放假安排通知如下。
一、放假时间
9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
二、值班安排
节日期间各单位要安排好值班工作，值班人员名单于9月25日前报办公室。
序号 日期 值班领导 值班人员
1 9月29日 张三 李四
2 9月30日 王五 赵六
3 10月1日 钱七 孙八
三、安全工作
各单位要在节前开展一次安全检查，消除隐患。
特此通知。
某某市某某局办公室
2023年9月20日"""


# ---------------------------------------------------------------------------- PDFs written by hand


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from its numbered objects (1-based, in order), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def stream(dictionary: bytes, data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        dictionary += b" /Filter /FlateDecode"
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def many_pages_pdf(levels: int = 6, fanout: int = 10) -> bytes:
    """A page tree that claims fanout**levels (a million) pages in a few hundred bytes: each
    level's node lists the next level's node ``fanout`` times."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        n = len(objs) + 1
        kids = b" ".join(b"%d 0 R" % (n + 1) for _ in range(fanout))
        parent = b" /Parent %d 0 R" % (n - 1) if level else b""
        objs.append(b"<< /Type /Pages /Kids [%s] /Count %d%s >>" % (kids, fanout ** (levels - level), parent))
    n = len(objs) + 1
    objs.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents %d 0 R >>"
                % (n - 1, n + 1))
    objs.append(stream(b"", b"", compress=False))
    return raw_pdf(objs)


def blank_pages_pdf(pages: int = 60, inches: float = 31) -> bytes:
    """``pages`` blank square pages of ``inches`` a side sharing one empty content stream: a few KB
    that render to ``pages`` × (inches × 200 dpi)² pixels."""
    side = round(inches * 72)
    kids = b" ".join(b"%d 0 R" % (4 + k) for k in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            stream(b"", b"", compress=False)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << >> /Contents 3 0 R >>" % (side, side)
             for _ in range(pages)]
    return raw_pdf(objs)


def cid_text_pdf(lines: list[str]) -> bytes:
    """A text PDF whose text layer reads literally ``(cid:N)``, as a converter leaves text whose
    font has no Unicode map: one ``(cid:N)`` per character of ``lines``."""
    return text_pdf(["".join(f"(cid:{ord(ch) % 9000})" for ch in line if not ch.isspace()) for line in lines])


def image_page_pdf(width: int, height: int, data: bytes, media=(595, 842), user_unit: float | None = None,
                   declared: tuple[int, int] | None = None) -> bytes:
    """One page showing one greyscale image (a scan), no text layer. ``declared`` lies about the
    image's size (the data then holds far fewer pixels than the dictionary claims)."""
    w, h = declared or (width, height)
    mw, mh = media
    unit = b" /UserUnit %g" % user_unit if user_unit else b""
    content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (mw, mh)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]%s /Resources << /XObject << /Im0 5 0 R >> >> "
        b"/Contents 4 0 R >>" % (mw, mh, unit),
        stream(b"", content),
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
               % (w, h), data),
    ]
    return raw_pdf(objs)


def break_xref(pdf: bytes) -> bytes:
    """Every offset of the cross-reference table and startxref made wrong (same lengths)."""
    start = pdf.rindex(b"\nxref") + 1
    end = pdf.index(b"trailer", start)
    table = re.sub(rb"(?m)^(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m[1]) * 7 % 99991 + 3, m[2]),
                   pdf[start:end])
    broken = pdf[:start] + table + pdf[end:]
    return re.sub(rb"startxref\s+(\d+)", lambda m: b"startxref\n" + str(int(m[1]) // 2).encode(), broken)


# ---------------------------------------------------------------------------- images


def png(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A greyscale PNG; with ``pixels`` None, a header claiming the size and one tiny IDAT."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    raw = pixels if pixels is not None else b"\x00" * 64
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def frames_tiff(frames: int = 300, width: int = 10000, height: int = 10000) -> bytes:
    """A TIFF of ``frames`` blank 1-bit pages whose directories all point at one CCITT G4 strip: some
    tens of KB that claim frames × width × height pixels (30 Gpx by default)."""
    from PIL import Image

    one = io.BytesIO()
    Image.new("1", (width, height), 1).save(one, "TIFF", compression="group4")
    with warnings.catch_warnings():  # a 100 Mpx frame is the point
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        tags = Image.open(io.BytesIO(one.getvalue())).tag_v2
    offset, count = tags[273][0], tags[279][0]
    strip = one.getvalue()[offset: offset + count]
    short, long_ = 3, 4
    entries = [(256, long_, width), (257, long_, height), (258, short, 1), (259, short, 4), (262, short, tags[262]),
               (273, long_, 8), (277, short, 1), (278, long_, height), (279, long_, len(strip))]
    ifd_size = 2 + 12 * len(entries) + 4
    first = 8 + len(strip)
    out = io.BytesIO()
    out.write(b"II*\x00" + first.to_bytes(4, "little") + strip)
    for k in range(frames):
        out.write(len(entries).to_bytes(2, "little"))
        for tag, kind, value in entries:
            out.write(tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + (1).to_bytes(4, "little")
                      + value.to_bytes(4 if kind == long_ else 2, "little").ljust(4, b"\x00"))
        following = first + (k + 1) * ifd_size if k + 1 < frames else 0
        out.write(following.to_bytes(4, "little"))
    return out.getvalue()


# ---------------------------------------------------------------------------- HTML


def hostile_html() -> bytes:
    """A saved report page (fixtures/text/html_0) with everything a reader must not follow or run."""
    page = (TEXT / "html_0_gov2019.html").read_text(encoding="utf-8")
    head = ("<meta http-equiv=\"refresh\" content=\"0; url=http://127.0.0.1:9/redirect\">"
            "<link rel=\"stylesheet\" href=\"http://127.0.0.1:9/style.css\">"
            "<script src=\"http://127.0.0.1:9/app.js\"></script>"
            "<script>document.write('<table><tr><td>（七）总计</td><td>999</td></tr></table>');"
            "fetch('http://127.0.0.1:9/beacon'); while(true){}</script>"
            "<base href=\"http://127.0.0.1:9/\">")
    body_top = ("<iframe src=\"http://127.0.0.1:9/frame.html\">一、本年新收政府信息公开申请数量 999</iframe>"
                "<img src=\"http://127.0.0.1:9/pixel.png\" onerror=\"alert(1)\">"
                "<object data=\"http://127.0.0.1:9/x.swf\">（七）总计 999</object>"
                "<embed src=\"http://127.0.0.1:9/y.swf\"><svg onload=\"alert(1)\"><text>999</text></svg>"
                "<noscript><img src=\"http://127.0.0.1:9/track.gif\"></noscript>"
                "<template><tr><td>（七）总计</td><td>999</td></tr></template>"
                "<video src=\"http://127.0.0.1:9/v.mp4\" poster=\"http://127.0.0.1:9/p.jpg\"></video>")
    depth = 10000
    deep = "<div>" * depth + "深层嵌套" + "</div>" * depth
    deep_tables = "<table><tr><td>" * 300 + "嵌套表格" + "</td></tr></table>" * 300
    page = page.replace("<head>", "<head>" + head, 1) if "<head>" in page else head + page
    page = re.sub(r"(<body[^>]*>)", lambda m: m[1] + body_top, page, count=1) if "<body" in page else body_top + page
    page = page.replace("</body>", deep + deep_tables + "</body>") if "</body>" in page else page + deep + deep_tables
    return page.encode("utf-8")


def long_table_html(rows: int = 550_000) -> bytes:
    """One table of ``rows`` rows (about 50 MB at the default): refused while it is parsed."""
    row = "<tr><td>（一）本年新收政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td></tr>\n"
    return ("<html><head><meta charset=\"utf-8\"></head><body><table>" + row * rows
            + "</table></body></html>").encode("utf-8")


def traditional_html(encoding: str = "big5") -> bytes:
    """The gov2019 HTML fixture in traditional characters, encoded in ``encoding`` and saying so in
    its ``<meta charset>``, as a Hong Kong or Taiwan copy would be saved."""
    page = to_traditional((TEXT / "html_0_gov2019.html").read_text(encoding="utf-8"))
    page = re.sub(r"<meta[^>]*charset[^>]*>", "", page, flags=re.I)
    page = page.replace("<head>", f'<head><meta charset="{encoding}">', 1) if "<head>" in page else \
        f'<meta charset="{encoding}">' + page
    return page.encode("cp950", errors="replace")


def to_traditional(text: str) -> str:
    """Simplified → traditional characters as Taiwan writes them (all in Big5)."""
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def deep_first_html() -> bytes:
    """Very deep nesting before the report's table: the table must still be read, or missing
    fields flagged; never a RecursionError."""
    page = (TEXT / "html_2_gov2019.html").read_text(encoding="utf-8")
    depth = 5000
    deep = "<div>" * depth + "x" + "</div>" * depth
    return re.sub(r"(<body[^>]*>)", lambda m: m[1] + deep, page, count=1).encode("utf-8") if "<body" in page \
        else (deep + page).encode("utf-8")


# ---------------------------------------------------------------------------- Word


def report_docx() -> bytes:
    """The tab-separated seed as a Word document: paragraphs, and its tab rows as table rows."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            for k, text in enumerate(cells):
                table.cell(r, k).text = text
        rows.clear()

    for line in (SEEDS / f"{TABS_SEED}.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            document.add_paragraph(line.strip())
    flush()
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_bomb(unpacked: int = 300 << 20) -> bytes:
    """A DOCX whose document.xml unpacks to ``unpacked`` bytes (empty paragraphs before the body, a
    tree of ``unpacked`` / 6 elements) from about a thousandth of that: `report_docx` padded."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(report_docx()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, src.read(item))
                continue
            head, body = src.read(item).split(b"<w:body>", 1)
            with out.open(item.filename, "w", force_zip64=True) as fh:
                fh.write(head + b"<w:body>")
                block = b"<w:p/>" * ((1 << 20) // 6)
                for _ in range(unpacked >> 20):
                    fh.write(block)
                fh.write(body)
    return buf.getvalue()


def docx_to_doc(data: bytes) -> bytes | None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(data)
        subprocess.run([exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=300)
        return (Path(tmp) / "report.doc").read_bytes()


# ---------------------------------------------------------------------------- all of them


def make(out: Path = OUT) -> dict[str, dict]:
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict] = {}

    def put(name: str, data: bytes, expect: list[str], note: str, truth: str | None = None, exact: bool = False,
            min_correct: float | None = None):
        (out / name).write_bytes(data)
        entry: dict = {"expect": expect, "note": note}
        if truth:
            entry["truth"] = truth
            entry["exact"] = exact
        if min_correct is not None:
            entry["min_correct"] = min_correct
        expected[name] = entry

    seed_lines = report_lines()
    report_pdf = text_pdf(seed_lines)

    put("empty.txt", b"", ["unreadable"], "zero bytes")
    put("whitespace.txt", b" \r\n\t\n  \n", ["unreadable"], "only whitespace")
    put("junk.bin", bytes((k * 73 + 11) % 256 for k in range(4096)), ["unsupported_format"], "binary junk")
    put("hello.txt", "你好，这不是一份报告。\n".encode("utf-8"), ["not_a_report"], "text that is not a report")

    # PDFs
    put("report.pdf", report_pdf, ["report"], "the lines seed drawn as a text PDF (the control), font STSong-Light; a cell per line in a PDF is "
        "ambiguous layout, so 90% of the fields must be right and none wrong unflagged",
        seed_truth(LINES_SEED), min_correct=0.9)
    put("report_embedded_font.pdf", text_pdf(seed_lines, embedded=True), ["report"],
        "the lines seed drawn as a text PDF with an embedded CJK font subset", seed_truth(LINES_SEED), min_correct=0.9)
    put("truncated_head.pdf", report_pdf[:400], ["unreadable"], "a PDF cut after 400 bytes")
    put("truncated_half.pdf", report_pdf[: len(report_pdf) // 2], ["unreadable", "not_a_report", "report"],
        "a PDF cut in half: an error, or what survives with every lost field null and flagged",
        seed_truth(LINES_SEED))
    put("broken_xref.pdf", break_xref(report_pdf), ["report"],
        "every cross-reference offset wrong: readers rebuild the table from the objects",
        seed_truth(LINES_SEED), min_correct=0.9)
    put("encrypted_empty_password.pdf", text_pdf(seed_lines, encrypt=encrypted("")), ["report"],
        "encrypted (AES/RC4 128) with an empty user password: opens without one, must be read",
        seed_truth(LINES_SEED), min_correct=0.9)
    put("encrypted_password.pdf", text_pdf(seed_lines[:40], encrypt=encrypted(USER_PASSWORD)), ["encrypted"],
        "needs a user password: EncryptedDocument, saying so")
    put("many_pages.pdf", many_pages_pdf(), ["too_large"],
        "a page tree claiming 1,000,000 pages: refused before reading them")
    put("huge_image.pdf", image_page_pdf(1, 1, b"\xff" * 4096, declared=(100000, 100000)), ["too_large"],
        "a scan page whose image claims 100000 x 100000 pixels (10 Gpx): refused before decoding/rendering")
    put("huge_page.pdf", image_page_pdf(1, 1, b"\xff", media=(14400, 14400), user_unit=75.0),
        ["too_large", "not_a_report"],
        "a page of 15000 x 15000 inches with no text: not rendered at full resolution")
    blank = b"\xff" * (850 * 1100)
    put("blank_scan.pdf", image_page_pdf(850, 1100, blank), ["not_a_report", "unreadable"],
        "one scanned page, blank (white): no report in it")
    put("not_a_report.pdf", text_pdf(NOT_A_REPORT.splitlines()), ["not_a_report"],
        "a text PDF of a holiday notice with a small table: not a disclosure report")

    # images (read by the OCR reader)
    put("huge.png", png(100000, 100000), ["too_large"], "a PNG header claiming 100000 x 100000 pixels")
    put("blank.png", png(400, 560, b"".join(b"\x00" + b"\xff" * 400 for _ in range(560))),
        ["not_a_report", "unreadable"], "a white scan")
    put("truncated.png", png(400, 560, b"".join(b"\x00" + b"\xff" * 400 for _ in range(560)))[:60],
        ["unreadable"], "a PNG cut inside its first chunk")

    # HTML
    put("hostile.html", hostile_html(), ["report"],
        "scripts, iframes, objects, remote images, a meta refresh, 10000 nested divs and 300 nested tables "
        "around a real report: nothing fetched, nothing run, no RecursionError",
        "../text/truth/html_0_gov2019.json", exact=True)
    put("deep_first.html", deep_first_html(), ["report", "not_a_report"],
        "5000 levels of nesting before the table: the table read, or every field null and flagged",
        "../text/truth/html_2_gov2019.json")

    # misnamed
    put("pdf_named.html", report_pdf, ["report"], "a PDF named .html: read as a PDF", seed_truth(LINES_SEED),
        min_correct=0.9)
    put("html_named.pdf", (TEXT / "html_1_gov2021.html").read_bytes(), ["report"], "HTML named .pdf: read as HTML",
        "../text/truth/html_1_gov2021.json", exact=True)
    put("text_named.docx", (SEEDS / f"{TABS_SEED}.txt").read_bytes(), ["report"], "text named .docx",
        seed_truth(TABS_SEED), exact=True)
    put("broken.docx", report_docx()[:3000], ["unreadable", "unsupported_format"], "a DOCX cut short")

    # encodings, from the seeds
    tabs = (SEEDS / f"{TABS_SEED}.txt").read_text(encoding="utf-8")
    pipes = (SEEDS / f"{PIPES_SEED}.txt").read_text(encoding="utf-8")
    lines = (SEEDS / f"{LINES_SEED}.txt").read_text(encoding="utf-8")
    put("gbk.txt", tabs.encode("gbk"), ["report"], "the tabs seed in GBK", seed_truth(TABS_SEED), exact=True)
    put("gb18030.txt", (lines + "\n附：𠀀𪚥（扩展汉字）\n").encode("gb18030"), ["report"],
        "the (traditional) lines seed in GB18030, with characters outside GBK", seed_truth(LINES_SEED), exact=True)
    put("utf16le_bom.txt", codecs.BOM_UTF16_LE + pipes.encode("utf-16-le"), ["report"],
        "the pipes seed in UTF-16LE with a BOM", seed_truth(PIPES_SEED), exact=True)
    put("utf16be_bom.txt", codecs.BOM_UTF16_BE + pipes.encode("utf-16-be"), ["report"],
        "the pipes seed in UTF-16BE with a BOM", seed_truth(PIPES_SEED), exact=True)
    put("utf16le_nobom.txt", tabs.encode("utf-16-le"), ["report"],
        "the tabs seed in UTF-16LE without a BOM (as some Windows tools save)", seed_truth(TABS_SEED), exact=True)
    put("utf8_bom.txt", codecs.BOM_UTF8 + tabs.encode("utf-8"), ["report"], "the tabs seed in UTF-8 with a BOM",
        seed_truth(TABS_SEED), exact=True)
    cut = tabs.index("\n", len(tabs) // 3) + 1
    put("mixed_encoding.txt", tabs[:cut].encode("utf-8") + tabs[cut:].encode("gbk"), ["report"],
        "UTF-8 lines then GBK lines in one file (two files joined)", seed_truth(TABS_SEED), exact=True)
    put("mixed_in_line.txt", tabs.encode("utf-8")[:3000] + tabs.encode("gbk")[3000:], ["unreadable", "report"],
        "UTF-8 then GBK inside one line: an error, or a report with no wrong field unflagged", seed_truth(TABS_SEED))

    traditional = to_traditional(tabs)
    put("big5.txt", traditional.encode("cp950"), ["report"], "the tabs seed in traditional characters, in Big5",
        seed_truth(TABS_SEED), exact=True)
    put("big5_meta.html", traditional_html(), ["report"],
        "the gov2019 HTML fixture in traditional characters, in Big5 with <meta charset=\"big5\">",
        "../text/truth/html_0_gov2019.json", exact=True)
    put("utf32le_bom.txt", codecs.BOM_UTF32_LE + tabs.encode("utf-32-le"), ["report"],
        "the tabs seed in UTF-32LE with a BOM", seed_truth(TABS_SEED), exact=True)
    put("utf32be_nobom.txt", tabs.encode("utf-32-be"), ["report"], "the tabs seed in UTF-32BE without a BOM",
        seed_truth(TABS_SEED), exact=True)

    # bombs: a few KB claiming more than memory holds; refused before anything is decoded
    put("frames.tif", frames_tiff(), ["too_large"],
        "300 blank 1-bit frames of 10000 x 10000 (30 Gpx) sharing one strip: refused on the declared sizes")
    put("blank_pages.pdf", blank_pages_pdf(), ["too_large"],
        "60 blank pages of 31 x 31 inches, no text layer: 2.3 Gpx to render at 200 dpi, over the document limit")

    # Word
    put("report.docx", report_docx(), ["report"], "the tabs seed as a DOCX (the control)", seed_truth(TABS_SEED),
        exact=True)
    doc = None if (out / "legacy.doc").exists() else docx_to_doc(report_docx())  # LibreOffice's output varies
    if doc is not None:
        (out / "legacy.doc").write_bytes(doc)
    if (out / "legacy.doc").exists():
        expected["legacy.doc"] = {"expect": ["report"], "when_missing": "missing_dependency",
                                  "note": "the tabs seed as a Word 97 .doc: converted by LibreOffice",
                                  "truth": seed_truth(TABS_SEED), "exact": True}
    put("not_a_word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"junk" * 200,
        ["unreadable", "unsupported_format"], "an OLE2 signature and junk",
        )
    expected["not_a_word.doc"]["when_missing"] = "missing_dependency"

    # contract violations of a reader that are known and reported, not yet fixed: the test xfails them
    for name, issue in KNOWN_ISSUES.items():
        expected[name]["known_issue"] = issue
    (out / "expected.json").write_text(json.dumps(dict(sorted(expected.items())), ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return expected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="fail when the fixtures are 1 MB or more")
    args = ap.parse_args()
    expected = make(args.out)
    total = sum((args.out / name).stat().st_size for name in expected)
    print(f"{len(expected)} fixtures, {total / 1024:.0f} KiB in {args.out}")
    if args.check and total >= 1 << 20:
        raise SystemExit("fixtures/bad is over 1 MB")


if __name__ == "__main__":
    main()
