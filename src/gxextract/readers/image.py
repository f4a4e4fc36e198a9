"""Scanned pages: page images (PNG, JPEG, multi-page TIFF) and image-only or cid-font PDFs.

Every page is straightened and read by `gxextract.ocr.page.read_page`: ruled tables are cut
into cells that the recognizer reads one by one, the rest of the page is detected and read.

Boxes: a cell's ``bbox`` is on the page *as given* — in PDF points (x0, top, x1, bottom, from
the top-left corner, as pdfplumber counts) for a PDF, in pixels of the image for a picture.
``Document.pages`` keeps, per page, how it was read (pixel size, dpi, points per pixel, the
quarter turn and skew applied), so a PDF box in pixels of the rendering is ``bbox / points_per_pixel``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator

import cv2
import numpy as np

from ..models import Document, PageImageInfo, Source
from ..ocr.engines import get_engine
from ..ocr.images import RENDER_DPI, PageImage, Pages, load_images, one_thread, render_pdf, straighten
from ..ocr.page import read_page
from ..ocr.spreads import pages_of
from ..stitch import assemble
from ..tables import PageItems, regions

TITLE_LINES = 8
_log = logging.getLogger(__name__)
"""Each page as its reading starts, with ``page`` (from 1) and ``pages`` in the record: for progress bars."""
ASSUMED_DPI = 150.0
"""Resolution taken for a picture that does not state a believable one."""
FINEST_DPI = 300.0
"""Pictures scanned finer (600 dpi) are reduced to this before they are read: 10 pt print is still
40 pixels high, over the recognizer's 48-pixel lines once cropped, and a page at 600 dpi cost
2.3 times the time and twice the memory of the same page at 300 for the same reading."""


def read_pages(pages, fmt: str, path: str | None, count: int, shown: bool = False) -> Document:
    """``pages`` (of (number, RGB, dpi, points per pixel)) straightened and read one at a time;
    ``shown``: they are pictures a web page shows (`PageImage.shown`)."""
    per_page, infos = page_items(pages, shown)
    rows = assemble(per_page)
    title = [" ".join(c.text for c in r.cells) for r in rows[:TITLE_LINES]]
    return Document(source=Source(path=path, format=fmt, pages=count), rows=rows, title_lines=title, pages=infos,
                    tables=regions(per_page))


def page_items(pages, shown: bool = False) -> tuple[list[PageItems], list[PageImageInfo]]:
    """The items of each of ``pages`` (as `read_pages` takes them), and how each was read."""
    engine = get_engine()
    per_page: list[PageItems] = []
    infos: list[PageImageInfo] = []
    upright = os.environ.get("GXEXTRACT_OCR_ORIENTATION", "1") != "0"
    for i, (number, rgb, dpi, ppp) in enumerate(pages, start=1):
        _log.info("reading page %d of %d", i, len(pages), extra={"page": i, "pages": len(pages)})
        with one_thread():
            rgb, shrink = _reduced(rgb, dpi)
            page = straighten(number, rgb, dpi * shrink, ppp, upright=upright)
            page.to_source = np.diag([1 / shrink, 1 / shrink, 1.0]) @ page.to_source  # boxes on the picture as given
            page.shown = shown
            for half in _halves(page, upright):  # a spread's two pages, each as a page of its own
                got = read_page(half, engine)
                per_page.append(got.items)
                h, w = half.image.shape[:2]
                infos.append(PageImageInfo(page=number, width=w, height=h, dpi=half.dpi, points_per_pixel=ppp,
                                           rotation=half.rotation, skew=half.skew, tables=got.tables,
                                           quality=round(got.quality, 4)))
        del rgb, page, half  # the next page is decoded with this one's pixels freed
    return per_page, infos


def _halves(page: PageImage, upright: bool) -> list[PageImage]:
    """``page`` alone, or the two pages of a spread each set upright and level on its own: a
    landscape table is printed on its side in a booklet."""
    halves = pages_of(page)
    if len(halves) == 1:
        return halves
    out = []
    for half in halves:
        own = straighten(half.number, half.image, half.dpi, half.points_per_pixel, upright=upright)
        out.append(dataclasses.replace(own, to_source=half.to_source @ own.to_source, shown=half.shown))
    return out


def _reduced(rgb: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """A picture scanned finer than `FINEST_DPI` reduced to it, and the scale it was reduced by."""
    if dpi <= FINEST_DPI:
        return rgb, 1.0
    shrink = FINEST_DPI / dpi
    return cv2.resize(rgb, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA), shrink


def picture_pages(pictures: Iterable[Pages], first: int = 1) -> Iterator[tuple[int, np.ndarray, float, None]]:
    """Every frame of ``pictures`` (`load_images`) as pages numbered from ``first``, decoded as they
    are read: (number, RGB, dpi, None)."""
    number = first
    for frames in pictures:
        for rgb, dpi in frames:
            yield number, rgb, dpi if 72 <= dpi <= 1200 else ASSUMED_DPI, None
            number += 1


def read(data: bytes, path: str | None) -> Document:
    """A picture: every frame of a PNG, JPEG, TIFF or BMP is a page, decoded when it is read."""
    frames = load_images(data, path)
    return read_pages(Pages(frames.count, picture_pages([frames])), "image", path, frames.count)


def read_pdf_scan(data: bytes, path: str | None, pages: list[int] | None = None) -> Document:
    """The chosen pages (1-based; all if None) of a PDF read from their rendering, each rendered when
    it is read, for PDFs whose pages are images or whose fonts map to no Unicode."""
    rendered = _rendered(data, path, pages)
    return read_pages(rendered, "pdf-scan", path, rendered.count)


def pdf_page_items(data: bytes, path: str | None, pages: list[int]) -> tuple[list[PageItems], list[PageImageInfo]]:
    """The items of the chosen pages (1-based) of a PDF read from their rendering: the pictures of
    scanned pages among pages with a text layer."""
    return page_items(_rendered(data, path, pages))


def _rendered(data: bytes, path: str | None, pages: list[int] | None) -> Pages:
    rendered = render_pdf(data, path, pages, dpi=RENDER_DPI)
    return Pages(rendered.count, ((p, img, 72 / ppp, ppp) for p, img, ppp in rendered), len(rendered))
