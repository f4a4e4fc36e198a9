"""``gxextract inspect FILE -o DIR``: what was found, drawn on the pages of a PDF or an image.

One PNG a page (``DIR/<stem>-p<N>.png``) with, in blue, the tables the reader found
(`Document.tables`: a ruled table's outline thick, one without rules thin); in grey, every cell the reader gave with a box; in red (flagged) or green,
each field's value cell with its field id. A report that cannot be made (not a report) still gets
its pages with the cells.
"""

from __future__ import annotations

from pathlib import Path

from ..models import Report
from .crops import has_picture, page_count, png_bytes, render

REGION = (40, 90, 200)
CELL = (150, 150, 150)
OK = (20, 140, 60)
FLAGGED = (210, 30, 30)


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def _label(draw, fid: str, xy, colour, size: int) -> None:
    """The field id (its last two parts, shrunk then cut to fit) along the bottom of its cell."""
    x0, y0, x1, y1 = xy
    text = ".".join(fid.split(".")[-2:])
    width = max(1.0, x1 - x0 - 4)
    size = max(8, min(size, int((y1 - y0) * 0.35)))
    font = _font(size)
    while draw.textlength(text, font=font) > width and size > 8:
        size -= 1
        font = _font(size)
    while len(text) > 1 and draw.textlength(text, font=font) > width:
        text = text[:-1]
    ty = y1 - size - 3
    draw.rectangle((x0 + 1, ty, x0 + 3 + draw.textlength(text, font=font), y1 - 2), fill=(255, 255, 255))
    draw.text((x0 + 2, ty), text, fill=colour, font=font)


def inspect(file: str | Path, out_dir: str | Path, scale: float = 2.0) -> list[Path]:
    """Draw the pages of ``file`` into ``out_dir``; the PNG files written."""
    from PIL import ImageDraw

    from ..errors import GxError, UnsupportedFormat
    from ..pipeline import extract_document
    from ..readers import read

    doc = read(file)
    fmt = doc.source.format
    if not has_picture(fmt):
        raise UnsupportedFormat(f"{file}: inspect draws PDF and image pages; this is {fmt} input")
    report: Report | None
    try:
        report = extract_document(doc)
    except GxError:
        report = None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    font = _font(max(11, int(6 * scale)))
    written = []
    for page in range(1, (doc.source.pages or page_count(file, fmt)) + 1):
        got = render(file, fmt, page, scale)
        if got is None:
            break
        image, k = got
        draw = ImageDraw.Draw(image)
        box = lambda b: tuple(v * k for v in b)  # noqa: E731
        for t in doc.tables:
            if t.page == page:
                draw.rectangle(box(t.bbox), outline=REGION, width=max(2, int(k * 1.5)) if t.ruled else 2)
        for row in doc.rows:
            for c in row.cells:
                if c.bbox and (c.page or 1) == page:
                    draw.rectangle(box(c.bbox), outline=CELL, width=1)
        if report is not None:
            placed = [(fid, f) for fid, f in report.fields.items() if f.bbox is not None and (f.page or 1) == page]
            for fid, f in placed:
                draw.rectangle(box(f.bbox), outline=FLAGGED if f.needs_review else OK, width=max(2, int(k)))
            for fid, f in placed:  # labels last, inside the bottom of the cell, so boxes do not cover them
                _label(draw, fid, box(f.bbox), FLAGGED if f.needs_review else OK, font.size)
        target = out_dir / f"{Path(file).stem}-p{page}.png"
        target.write_bytes(png_bytes(image))
        written.append(target)
    return written
