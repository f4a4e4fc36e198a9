"""Text-layer PDFs: ruled tables as structured rows, everything else as lines in reading order.

Each page's text comes from pdfium (a few ms a page); only pages that carry the
statistics tables get the geometric reading (rules → grid → cells, or text alignment
where a table has no rules), and tables cut by a page break are stitched. A PDF whose
fonts have no Unicode map, or that holds only images, goes to OCR
(`gxextract.readers.image.read_pdf_scan`) when it is installed; so do the pictures of print
among typed pages (`_pictures`: scanned pages, searchable scans, tables pasted as pictures), page
by page, their items put among the typed pages'.
"""

from __future__ import annotations

import importlib
import logging
import re

from ..errors import TooLarge, UnreadableFile, UnsupportedFormat
from ..models import Document, Source
from ..pdf import objects, pages
from ..pdf.items import line_rows, page_items, title_lines
from ..stitch import assemble
from ..tables import PageItems, regions
from .guarded import guarded

log = logging.getLogger(__name__)
Box = tuple[float, float, float, float]

MAX_PAGES = 2000
UNMAPPED = 0.3
"""A page whose characters are unmapped beyond this share cannot be read from its text layer."""
SCANNED_CHARS = 20
"""Fewer characters than this on every page: an image-only (scanned) PDF."""
PICTURE_WIDTH = 0.5
"""A picture this share of its page wide or wider, and `PICTURE_HEIGHT` of it tall, is a picture of
print (a scanned page, a table pasted as a picture) and is read by OCR: a page with next to no text
whole, a typed one where its pictures stand. A logo, an emblem, a seal or a signature is narrower."""
PICTURE_HEIGHT = 0.05
"""Of the page's height: a table's header and a row (a one-row table pasted as a picture)."""
HIDDEN_TEXT = 0.9
"""A page whose text objects are drawn invisible beyond this share shows pictures only: its text is
an OCR program's reading laid over a scan, whose misreadings would pass as sure text. With its
pictures it is read by OCR as a scanned page is."""
PICTURE_SLACK = 3.0
"""Points above a picture where a line read in it may start (its box drawn round the print)."""
OCR_MODULE = "gxextract.readers.image"
"""Where ``read_pdf_scan`` and ``pdf_page_items`` live (the OCR reader)."""


def _ocr(name: str):
    """The OCR reader's function ``name``, or None where OCR is not installed."""
    try:
        image = importlib.import_module(OCR_MODULE)
    except ImportError:
        return None
    return getattr(image, name, None)


def _ocr_fallback(data: bytes, path: str | None, why: str, pages_: list[int] | None) -> Document:
    fn = _ocr("read_pdf_scan")
    if fn is None:
        raise UnsupportedFormat(f"{path or 'input'}: {why}; OCR is needed")
    return fn(data, path, pages=pages_)


def _untyped(text: str) -> bool:
    """A page with next to no text: an image, or blank."""
    return len("".join(text.split())) < SCANNED_CHARS


def _wide_pictures(page) -> list[Box]:
    """The page's pictures as large as pictures of print are (`PICTURE_WIDTH`)."""
    w, h = page.get_size()
    return [(x0, t, x1, b) for x0, t, x1, b in objects.picture_boxes(page)
            if x1 - x0 >= PICTURE_WIDTH * w and b - t >= PICTURE_HEIGHT * h]


def _pictures(pdf, texts: list[str], wide: list[list[Box]]) -> dict[int, list[Box] | None]:
    """The pages (0-based) that hold pictures of print (``wide``, `_wide_pictures`): None for a page
    that is a picture of a page (next to no text, or only text drawn invisible, `HIDDEN_TEXT`), read
    whole; the boxes of those pictures on a typed page that no text is typed over (`_bare`), read
    where they stand. (A typed page turned by /Rotate keeps to its text.)"""
    out: dict[int, list[Box] | None] = {}
    for k, (text, boxes) in enumerate(zip(texts, wide)):
        if not boxes:
            continue
        page = pdf[k]
        try:
            if _untyped(text) or objects.hidden_text_share(page) > HIDDEN_TEXT:
                out[k] = None
            elif not page.get_rotation() and (bare := _bare(page, boxes)):
                out[k] = bare
        finally:
            page.close()
    return out


def _bare(page, boxes: list[Box]) -> list[Box]:
    """Those of a typed page's pictures ``boxes`` that no text is typed over (fewer characters than
    `SCANNED_CHARS`): a letterhead, a watermark or a page's background has the page's text on it."""
    chars, _ = objects.page_chars(page)
    return [(x0, t, x1, b) for x0, t, x1, b in boxes
            if sum(x0 <= c.cx <= x1 and t <= (c.top + c.bottom) / 2 <= b for c in chars) < SCANNED_CHARS]


def _read_page(pdf, k: int) -> tuple[PageItems, list]:
    """The items of one table page (its tables and lines, top to bottom) and its characters."""
    page = pdf[k]
    try:
        chars, frame = objects.page_chars(page)
        segments = objects.page_segments(page, frame)
    finally:
        page.close()
    return page_items(chars, segments, frame.width, k + 1), chars


def _read(data: bytes, path: str | None) -> Document:
    pdf = objects.open_pdf(data, path)
    try:
        n = len(pdf)
        if n == 0:
            raise UnreadableFile(f"{path or 'input'}: the PDF has no pages")
        if n > MAX_PAGES:
            raise TooLarge(f"{path or 'input'}: {n} pages is over the {MAX_PAGES} page limit")
        texts, wide = [], []
        for k in range(n):
            page = pdf[k]
            try:
                texts.append(objects.page_text(page))
                wide.append(_wide_pictures(page))
            finally:
                page.close()
        if all(_untyped(t) for t in texts):
            pdf.close()
            return _ocr_fallback(data, path, "the PDF has no text layer (scanned images)", None)
        unmapped_pages = [k + 1 for k, t in enumerate(texts) if _garbled(t)]
        if unmapped_pages and len(unmapped_pages) * 2 >= sum(1 for t in texts if t.strip()):
            pdf.close()
            return _ocr_fallback(data, path, "the PDF's fonts have no Unicode map", None)
        pictured = _pictures(pdf, texts, wide)
        if all(k in pictured and pictured[k] is None for k in range(n)):
            pdf.close()
            return _ocr_fallback(data, path, "the PDF's pages are pictures", None)
        per_page: list[PageItems] = []
        for k, text in enumerate(texts):
            if k in pictured and pictured[k] is None:
                per_page.append([])  # read by OCR below
            elif pages.is_table_page(text) or k in pictured:
                items, chars = _read_page(pdf, k)
                if pages.unmapped_share(chars) > UNMAPPED and k + 1 not in unmapped_pages:
                    unmapped_pages.append(k + 1)
                per_page.append(items)
            else:
                per_page.append([(0.0, r) for r in line_rows(text, k + 1)])
        if unmapped_pages and len(unmapped_pages) * 2 >= sum(1 for t in texts if t.strip()):
            pdf.close()
            return _ocr_fallback(data, path, "the PDF's fonts have no Unicode map", None)
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass
    read, infos, warnings = _read_pictures(data, path, pictured, per_page)
    per_page = [items for k, typed in enumerate(per_page) for items in read.get(k, [typed])]
    rows = assemble(per_page)
    return Document(source=Source(path=path, format="pdf", pages=n), rows=rows, title_lines=title_lines(rows),
                    tables=regions(per_page), pages=infos, warnings=warnings)


def _read_pictures(data: bytes, path: str | None, pictured: dict[int, list[Box] | None],
                   per_page: list[PageItems]):
    """The pages ``pictured`` (0-based, `_pictures`) read by OCR: for each, the items it stands for
    in ``per_page`` (a picture of a page whole, as one page or, a spread, two; a typed page with its
    pictures read in their place); how each was read; a warning where OCR is not installed."""
    if not pictured:
        return {}, [], []
    unread = f"pages {', '.join(str(k + 1) for k in pictured)} hold pictures of print that were not read"
    fn = _ocr("pdf_page_items")
    if fn is None:
        return {}, [], [f"{unread}: OCR is needed"]
    try:
        items, infos = fn(data, path, [k + 1 for k in pictured])
    except TooLarge as exc:  # too many pictures to read: the typed pages stand on their own
        return {}, [], [f"{unread}: {exc}"]
    pages: dict[int, list[PageItems]] = {}
    for got, info in zip(items, infos):
        pages.setdefault(info.page - 1, []).append(got)
    points = {info.page - 1: info.points_per_pixel for info in infos}
    read = {k: got if pictured[k] is None
            else [_placed(per_page[k], [it for half in got for it in half], pictured[k], points[k])]
            for k, got in pages.items()}
    return read, infos, []


def _placed(typed: PageItems, read: PageItems, boxes: list[Box], points: float) -> PageItems:
    """A typed page's items with its pictures' read in their place: the typed items outside the
    pictures' height, the read ones (tops in pixels, ``points`` per pixel) inside it."""
    def inside(top: float) -> bool:
        return any(t - PICTURE_SLACK <= top <= b for _, t, _, b in boxes)

    out = [(top, it) for top, it in typed if not inside(top)]
    out += [(top * points, it) for top, it in read if inside(top * points)]
    return sorted(out, key=lambda it: it[0])


read = guarded(_read, "PDF", log)


_CID = re.compile(r"\(cid:\d+\)")
"""A glyph without a Unicode map as converters write it: one unmapped character."""


def _garbled(text: str) -> bool:
    """Text a font without a Unicode map gives: control codes, Latin-1 letters, private use,
    replacement characters, literal ``(cid:N)``, and next to no CJK, where a Chinese report has
    mostly CJK."""
    chars = [ch for ch in _CID.sub("\ufffd", text) if not ch.isspace()]
    if len(chars) < 10:
        return False
    bad = sum(1 for ch in chars if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ord(ch) < 32
              or "\u0080" <= ch <= "\u024f")
    cjk = sum(1 for ch in chars if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
    return bad > UNMAPPED * len(chars) or (len(chars) >= 40 and cjk < 0.05 * len(chars) and bad > 0.1 * len(chars))
