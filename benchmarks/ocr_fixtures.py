"""Build the OCR test inputs of tests/test_ocr.py (fixtures/ocr/) with their truth files.

    .venv/bin/python -m benchmarks.ocr_fixtures [OUT_DIR]

Deterministic (fixed seeds). Each input is a report of the corpus generator (`benchmarks.corpus`)
rendered to PDF with reportlab, then:

* ``small_active.png``   the title and section 二 only, 150 dpi, clean — the quick one (default run)
* ``stamped_skew.pdf``   an image-only PDF at 200 dpi, turned 1.8°, blurred, JPEG'd, with a red
                         seal pressed over the request table's numbers and rules
* ``pages.tif``          a bilevel Group 4 multi-page TIFF at 200 dpi, its landscape table page
                         scanned sideways (a quarter turn) and the others skewed by -1°
* ``cid_font.pdf``       the text PDF with every /ToUnicode map removed: a text layer that maps
                         to no Unicode, so the PDF reader hands it to OCR
* ``small_print.jpg``    document 25 of the corpus of seed 777 as it is generated: a long JPEG at
                         120 dpi, blurred and skewed, its tables ruled with horizontal lines only —
                         the worst reading of that corpus, kept to hold its wrong values flagged

Truth files (fixtures/ocr/truth/NAME.json) have the shape of fixtures/seeds/truth: the fields
the input shows, template, year and agency.
"""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.corpus import document as D
from benchmarks.corpus import render_pdf as RP
from benchmarks.corpus import render_scan as RS
from benchmarks.corpus import truth as T

ROOT = Path(__file__).resolve().parents[1]


def _report(seed: int, template: str, **opts):
    rng = random.Random(seed)
    truth = T.make_truth(rng, template)
    style = D.random_style(rng)
    rep = D.build(truth, style, rng)
    po = RP.PdfOptions(seed=seed, **opts)
    return truth, rep, po


def _truth(truth: dict, prefixes: tuple[str, ...]) -> dict:
    return {"template": truth["template"], "year": truth["year"], "agency": truth["agency"],
            "units": {k: v for k, v in truth.get("units", {}).items() if k.startswith(prefixes)},
            "fields": {k: v for k, v in truth["fields"].items() if k.startswith(prefixes)}}


def small_active(out: Path) -> None:
    truth, rep, po = _report(11, "gov2021", table_size=10)
    keep = [b for b in rep.blocks if (isinstance(b, D.Para) and (b.kind == "title" or b.text.startswith("二、")))
            or (isinstance(b, D.Table) and b.name == "active")]
    pdf = RP.render(D.Report(rep.truth, rep.style, keep), po)
    page = RS.rasterize(pdf, 150)[0]
    dark = np.nonzero((page.min(axis=2) < 128).any(axis=1))[0]
    page = page[: min(page.shape[0], int(dark[-1]) + 40)] if len(dark) else page
    # the page number sits at the foot: anything below the last table row goes too
    Image.fromarray(page).save(out / "small_active.png", optimize=True, dpi=(150, 150))
    _write(out, "small_active", _truth(truth, ("active.",)))


def stamped_skew(out: Path) -> None:
    truth, rep, po = _report(21, "gov2019", table_size=9)
    pdf = RP.render(rep, po)
    o = RS.ScanOptions(dpi=200, angle=1.8, blur=3, noise=3, jpeg_quality=60, paper=236, seal=False, seed=5)
    pages = RS.rasterize(pdf, o.dpi)
    # the seal goes over the middle of the request table (page with the most 0s is as good as any)
    rng = random.Random(3)
    target = _page_with(pdf, "三、收到") or 1
    d = int(o.dpi * 1.6)
    img = pages[target]
    seal = RS.seal_image(truth["agency"], d, rng)
    pages[target] = RS._stamp(img, seal, int(img.shape[1] * 0.45), int(img.shape[0] * 0.35))
    pages = RS.degrade(pages, o, truth["agency"])
    ims = RS.to_pil(pages, o)
    buf = io.BytesIO()
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=200.0, quality=60)
    (out / "stamped_skew.pdf").write_bytes(buf.getvalue())
    _write(out, "stamped_skew", _truth(truth, ("active.", "requests.", "appeals.")))


def tiff_pages(out: Path) -> None:
    truth, rep, po = _report(31, "gov2021", landscape=True, table_size=9)
    pdf = RP.render(rep, po)
    o = RS.ScanOptions(dpi=200, angle=-1.0, bilevel=True, seal=True, paper=255, seed=7)
    pages = RS.degrade(RS.rasterize(pdf, o.dpi), o, truth["agency"])
    pages = [np.ascontiguousarray(np.rot90(p, -1)) if p.shape[1] > p.shape[0] and i == 1 else p
             for i, p in enumerate(pages)]  # the first landscape page fed sideways
    ims = RS.to_pil(pages, o)
    buf = io.BytesIO()
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:], compression="group4", dpi=(200, 200))
    (out / "pages.tif").write_bytes(buf.getvalue())
    _write(out, "pages", _truth(truth, ("active.", "requests.", "appeals.")))


def cid_font(out: Path) -> None:
    truth, rep, po = _report(41, "gov2021", table_size=10)
    pdf = RP.render(rep, po)
    pdf = _strip_tounicode(pdf)
    (out / "cid_font.pdf").write_bytes(pdf)
    _write(out, "cid_font", _truth(truth, ("active.", "requests.", "appeals.")))


def small_print(out: Path) -> None:
    from benchmarks.corpus.generate import make_document

    _, data, truth = make_document(25, 777, "jpeg")
    (out / "small_print.jpg").write_bytes(data)
    _write(out, "small_print", _truth(truth, ("active.", "requests.", "appeals.")))


def _strip_tounicode(pdf: bytes) -> bytes:
    """Every /ToUnicode key renamed (same length, so the xref stays right): no Unicode map left."""
    out = pdf.replace(b"/ToUnicode", b"/ToUnicodX")
    assert len(out) == len(pdf)
    return out


def _page_with(pdf: bytes, text: str) -> int | None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            if text in doc[i].get_textpage().get_text_range():
                return i
    finally:
        doc.close()
    return None


def _write(out: Path, name: str, truth: dict) -> None:
    (out / "truth").mkdir(parents=True, exist_ok=True)
    (out / "truth" / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "fixtures" / "ocr"
    out.mkdir(parents=True, exist_ok=True)
    for build in (small_active, stamped_skew, tiff_pages, cid_font, small_print):
        build(out)
    for p in sorted(out.glob("*.*")):
        print(f"{p.name:24s} {p.stat().st_size / 1024:7.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
