"""Pictures of the source around a cell, with the cell's box drawn.

Coordinates: a `Cell.bbox` is ``(x0, top, x1, bottom)`` with the origin at the top left of the
page (as pdfplumber gives it): PDF points for ``pdf`` and ``pdf-scan`` inputs, pixels of the
image for ``image`` inputs. ``page`` is 1-based (the first page is 1); a missing page means 1.
PDF pages are rendered with pypdfium2, images opened with Pillow (a multi-page TIFF: one frame
a page). Text, HTML and DOCX inputs have no picture: the review page shows the line instead.
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict
from pathlib import Path

PAGED = {"pdf", "pdf-scan"}
PICTURED = PAGED | {"image"}
BOX = (220, 30, 30)


def has_picture(fmt: str | None) -> bool:
    return fmt in PICTURED


class Pages:
    """Rendered pages, a few kept (a batch's flagged cells are grouped by document)."""

    def __init__(self, scale: float = 2.0, keep: int = 8):
        self.scale = scale
        self.keep = keep
        self._cache: OrderedDict[tuple[str, int], tuple[object, float]] = OrderedDict()

    def page(self, path: str | Path, fmt: str, page: int | None):
        """``(PIL image, pixels per bbox unit)`` of one page, or None when it cannot be had."""
        key = (str(path), page or 1)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        try:
            got = render(path, fmt, page or 1, self.scale)
        except Exception:  # noqa: BLE001 - a source moved or unreadable: no picture, the rest stays
            got = None
        self._cache[key] = got
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        return got


def page_count(path: str | Path, fmt: str) -> int:
    if fmt in PAGED:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    from PIL import Image

    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def render(path: str | Path, fmt: str, page: int, scale: float = 2.0):
    """One page as an RGB PIL image, and the factor from bbox units to its pixels."""
    if fmt in PAGED:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(pdf):
                return None
            image = pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
        finally:
            pdf.close()
        return image, scale
    if fmt == "image":
        from PIL import Image, ImageOps

        with Image.open(path) as im:
            if page > getattr(im, "n_frames", 1):
                return None
            im.seek(page - 1)
            image = ImageOps.exif_transpose(im.convert("RGB")) if page == 1 else im.convert("RGB")
        return image, 1.0
    return None


def crop(path: str | Path, fmt: str, page: int | None, bbox, pages: Pages | None = None,
         context: float = 42.0, max_width: int = 1000) -> bytes | None:
    """PNG bytes: the full width of the page over the cell's row (``context`` points above and
    below), the cell's box drawn. None without a picture."""
    if not has_picture(fmt) or bbox is None or len(bbox) != 4:
        return None
    got = (pages or Pages()).page(path, fmt, page)
    if got is None:
        return None
    image, k = got
    from PIL import ImageDraw

    x0, y0, x1, y1 = (v * k for v in bbox)
    pad = context * (k if fmt in PAGED else 2.0 * k)
    top, bottom = max(0, int(y0 - pad)), min(image.height, int(y1 + pad))
    if bottom <= top:
        return None
    piece = image.crop((0, top, image.width, bottom)).copy()
    draw = ImageDraw.Draw(piece)
    width = max(2, int(round(k)))
    draw.rectangle((x0 - 3, y0 - top - 3, x1 + 3, y1 - top + 3), outline=BOX, width=width)
    if piece.width > max_width:
        piece = piece.resize((max_width, max(1, round(piece.height * max_width / piece.width))))
    from PIL import Image

    # 32 colours keep print, rules and the red box sharp at a third of the bytes: a page of many crops stays small
    return png_bytes(piece.convert("P", palette=Image.Palette.ADAPTIVE, colors=32))


def png_bytes(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode("ascii")
