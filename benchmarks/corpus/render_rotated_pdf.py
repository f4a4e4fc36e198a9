"""Text PDFs whose pages are turned: /Rotate pages that still display upright, and table pages
exported sideways.

- `rotate_pages(pdf, 90|180|270)`: every page carries ``/Rotate N`` and its content is stored
  turned the other way (N counter-clockwise) in a media box turned to match, so a viewer that
  honours /Rotate shows the same upright page; the text layer's coordinates are those of the
  stored, turned content (as some exporters and scanning suites write pages).
- `sideways(pdf, "ccw"|"cw")`: the pages of sections 三 and 四 (`locate.section_pages`) turned a
  quarter turn in a media box turned to match, without /Rotate, so a viewer shows them on their
  side: a portrait page becomes a landscape box (width > height) with its text running up the
  page (``ccw``) or down it (``cw``). The corpus's ``landscape`` pages come out portrait.

Both write the original content stream untouched behind one ``q … cm`` / ``Q`` pair (pdfium's
``FPDFPage_TransFormWithClip``), so fonts, text and rules are the same objects. `max_difference`
checks a /Rotate PDF against the original by rendering both with pypdfium2 (which honours /Rotate).

    .venv/bin/python -m benchmarks.corpus.render_rotated_pdf IN.pdf OUT_DIR   # writes the variants and checks them
"""

from __future__ import annotations

import ctypes
import io
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import locate

ROTATIONS = (90, 180, 270)
SIDEWAYS = {"ccw": 1, "cw": 3}  # counter-clockwise quarter turns of the content
# Rendering scale for the check: 1 px per point shows every glyph and rule.
CHECK_SCALE = 1.0
# Anti-aliasing of the same glyphs rendered through a turned matrix differs by a few grey levels
# at edges; a misplaced or mirrored page differs by far more than this mean (0–255).
MAX_MEAN_DIFFERENCE = 2.0


def _turn(box: tuple[float, float, float, float], quarters: int) -> tuple[tuple, tuple]:
    """(matrix a b c d e f, new media box) that turn the page box ``quarters`` quarter turns
    counter-clockwise (PDF space, y up) and bring it back to the origin."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    q = quarters % 4
    if q == 1:  # (x, y) -> (h - (y - y0), x - x0)
        return (0, 1, -1, 0, h + y0, -x0), (0, 0, h, w)
    if q == 2:  # (x, y) -> (w - (x - x0), h - (y - y0))
        return (-1, 0, 0, -1, w + x0, h + y0), (0, 0, w, h)
    if q == 3:  # (x, y) -> (y - y0, w - (x - x0))
        return (0, -1, 1, 0, -y0, w + x0), (0, 0, h, w)
    return (1, 0, 0, 1, -x0, -y0), (0, 0, w, h)


def _turn_page(page: pdfium.PdfPage, quarters: int) -> None:
    """Turn the page's content and media box; any crop box is dropped (the media box is the page)."""
    if page.get_rotation():
        raise ValueError("the page already carries /Rotate")
    matrix, box = _turn(page.get_mediabox(), quarters)
    ok = pdfium_c.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(pdfium_c.FS_MATRIX(*matrix)), None)
    if not ok:
        raise RuntimeError("FPDFPage_TransFormWithClip failed")
    page.set_mediabox(*box)
    page.set_cropbox(*box)


def _edit(pdf: bytes, change) -> bytes:
    """``change(index, page)`` applied to every page, the document saved."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            change(i, doc[i])
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
    finally:
        doc.close()


def rotate_pages(pdf: bytes, rotation: int) -> bytes:
    """Every page with ``/Rotate rotation``, still displayed upright."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}")

    def change(_: int, page: pdfium.PdfPage) -> None:
        _turn_page(page, rotation // 90)
        page.set_rotation(rotation)

    return _edit(pdf, change)


def sideways(pdf: bytes, direction: str = "ccw") -> bytes:
    """The pages of sections 三 and 四 turned on their side (no /Rotate)."""
    pages = set(locate.section_pages(pdf))
    quarters = SIDEWAYS[direction]
    return _edit(pdf, lambda i, page: _turn_page(page, quarters) if i in pages else None)


def render(pdf: bytes, scale: float = CHECK_SCALE) -> list[np.ndarray]:
    """Grey arrays of the pages as a viewer shows them (pypdfium2 honours /Rotate)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [np.asarray(p.render(scale=scale).to_pil().convert("L"), dtype=np.int16) for p in doc]
    finally:
        doc.close()


def max_difference(original: bytes, turned: bytes) -> float:
    """The largest mean grey-level difference of a page between the two PDFs as displayed
    (infinite when the page counts or sizes differ)."""
    a, b = render(original), render(turned)
    if len(a) != len(b) or any(x.shape != y.shape for x, y in zip(a, b)):
        return float("inf")
    return max(float(np.abs(x - y).mean()) for x, y in zip(a, b))


def variants(pdf: bytes) -> dict[str, bytes]:
    """Every turned variant of a text PDF, by name (``rotate90`` … ``sideways_cw``)."""
    out = {f"rotate{r}": rotate_pages(pdf, r) for r in ROTATIONS}
    out.update({f"sideways_{d}": sideways(pdf, d) for d in SIDEWAYS})
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__)
        return 2
    src, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pdf = src.read_bytes()
    bad = 0
    for name, data in variants(pdf).items():
        path = out / f"{src.stem}_{name}.pdf"
        path.write_bytes(data)
        note = ""
        if name.startswith("rotate"):
            diff = max_difference(pdf, data)
            bad += diff > MAX_MEAN_DIFFERENCE
            note = f"displays as the original: mean difference {diff:.3f}"
        print(f"{path}  {len(data) / 1024:.0f} KB  {note}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
