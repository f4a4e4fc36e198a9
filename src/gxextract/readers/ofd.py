"""OFD files (GB/T 33190, 开放版式文档): read on the text PDF's geometric model.

Each page's glyphs and path pieces (`gxextract.ofd.page`) become the characters and rule segments
a text PDF gives, and the same function reads them (`pdf.items.page_items`: grids from the rules,
then text alignment), after the same triage of table pages; tables cut by a page break are
stitched. Pages that are pictures only (a scan saved as OFD, or a page scanned among text pages)
are read by OCR, each fed as a PDF scan's rendered page is (`readers.image.read_pages`), scaled to
the same resolution; a file of pictures only is then an ``ofd-scan``.
"""

from __future__ import annotations

import importlib
import logging

from ..errors import TooLarge, UnreadableFile, UnsupportedFormat
from ..limits import current
from ..models import Document, Source
from ..ofd.package import MM, Package
from ..ofd.page import Page, read_page
from ..pdf import pages
from ..pdf.items import line_rows, page_items, title_lines
from ..stitch import assemble
from ..tables import regions
from .guarded import guarded
from .pdf import MAX_PAGES, OCR_MODULE, SCANNED_CHARS

log = logging.getLogger(__name__)

PICTURE_SHARE = 0.5
"""A page without text whose largest picture covers at least this share of it is a scanned page."""


def _read(data: bytes, path: str | None) -> Document:
    name = path or "input"
    pkg = Package(data, name)
    doc = pkg.document()
    n = len(doc.pages)
    if n == 0:
        raise UnreadableFile(f"{name}: the OFD file has no pages")
    if n > MAX_PAGES:
        raise TooLarge(f"{name}: {n} pages is over the {MAX_PAGES} page limit")
    per_page, scans, texts = [], [], 0
    for k in range(n):  # one page in memory at a time: its items are kept
        p = read_page(pkg, doc, k)
        if sum(c.text != " " for c in p.chars) >= SCANNED_CHARS:
            texts += 1
        elif _picture(p):
            scans.append(p)
        text = p.text()
        if pages.is_table_page(text):
            per_page.append(page_items(p.chars, p.segments, p.width, p.number))
        else:
            per_page.append([(0.0, r) for r in line_rows(text, p.number)])
    if not texts:
        if not scans:
            raise UnreadableFile(f"{name}: the OFD file holds no text and no page pictures")
        return _ocr(pkg, scans, path, n)
    infos, scanned_tables = [], []
    if scans:  # pictures among text pages: their rows, read by OCR, where their pages stand
        read = _ocr(pkg, scans, path, n)
        for p in scans:
            per_page[p.number - 1] = [(0.0, r) for r in read.rows if r.cells and r.cells[0].page == p.number]
        infos, scanned_tables = read.pages, read.tables
    rows = assemble(per_page)
    return Document(source=Source(path=path, format="ofd", pages=n), rows=rows, title_lines=title_lines(rows),
                    pages=infos, tables=sorted(regions(per_page) + scanned_tables, key=lambda t: t.page))


read = guarded(_read, "OFD file", log)


def _picture(page: Page):
    """The picture that makes ``page`` a scanned page, if one does."""
    def area(b):
        return (b[2] - b[0]) * (b[3] - b[1])

    best = max(page.images, key=lambda im: area(im.bbox), default=None)
    return best if best is not None and area(best.bbox) >= PICTURE_SHARE * page.width * page.height else None


def _ocr(pkg: Package, scans: list[Page], path: str | None, count: int) -> Document:
    """The scanned pages read by OCR, each picture decoded when its page is read."""
    try:
        image = importlib.import_module(OCR_MODULE)
    except ImportError:
        raise UnsupportedFormat(f"{path or 'input'}: the OFD file holds only page pictures; OCR is needed") from None
    from ..ocr.images import RENDER_DPI, Pages

    limits = current()
    if len(scans) > limits.pages:
        raise TooLarge(f"{path or 'input'}: {len(scans)} pages is over the {limits.pages}-page limit")

    def pictures():
        for page in scans:
            picture = _picture(page)
            if picture.member is None:
                raise UnreadableFile(f"{path or 'input'}: page {page.number}'s picture {picture.media} is not in "
                                     "the file")
            yield (page.number, *_rendered(pkg.read(picture.member), f"{path or 'input'}: page {page.number}",
                                           picture.bbox, RENDER_DPI))

    return image.read_pages(Pages(count, pictures(), len(scans)), "ofd-scan", path, count)


def _rendered(data: bytes, name: str, bbox: tuple[float, float, float, float], dpi: float):
    """(RGB, dpi, points per pixel) of a page picture drawn over ``bbox`` (points), scaled to ``dpi``
    as a PDF page is rendered for OCR; its size checked on its header before it is decoded."""
    import cv2

    from ..ocr.images import load_images

    frames = load_images(data, name)
    width_pt, height_pt = bbox[2] - bbox[0], bbox[3] - bbox[1]
    size = (max(1, round(width_pt / 72 * dpi)), max(1, round(height_pt / 72 * dpi)))
    if size[0] * size[1] > current().page_pixels:
        raise TooLarge(f"{name}: {width_pt / MM:.0f} × {height_pt / MM:.0f} mm is too large to read at {dpi:g} dpi")
    rgb, _ = next(iter(frames))
    if (rgb.shape[1] > rgb.shape[0]) != (size[0] > size[1]):  # drawn at a quarter turn
        size = size[::-1]
    if (rgb.shape[1], rgb.shape[0]) != size:
        shrink = size[0] < rgb.shape[1]
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
    return rgb, dpi, 72 / dpi
