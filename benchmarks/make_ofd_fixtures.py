"""OFD fixtures with their truth, for tests/test_ofd.py, written from the committed PDF fixtures.

    python -m benchmarks.make_ofd_fixtures [--out fixtures/ofd]

Each OFD is a fixture PDF rewritten by `benchmarks.corpus.render_ofd` (so its truth is the PDF's):
a ruled report with every DeltaX compressed (``g N v``), an unruled one written a TextObject per
line with its page parts numbered against the reading order, one whose section 三 page is drawn
on its side, a scan fed upside down as page pictures, and a corpus report whose section 三 page is
a scanned picture among text pages (its truth the generator's).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pypdfium2 as pdfium

from benchmarks.corpus import render_ofd
from benchmarks.corpus.generate import make_document, write_truth
from benchmarks.corpus.render_ofd import OfdOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEXT = {
    # name: (the PDF fixture, the options)
    "ruled_compressed": ("ruled_merged", OfdOptions(compress=True)),
    "unruled_lines": ("unruled", OfdOptions(line_objects=True, parts_reversed=True)),
    "turned_table_page": ("ruled_break_split_cell", None),
}

MIXED = (2024, 0)
"""The corpus document (seed, index) written with its section 三 page as a scanned picture."""


def _table_page(pdf: bytes) -> int:
    """The index of the page where section 三's table starts."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return next(k for k in range(len(doc)) if "本年新收" in doc[k].get_textpage().get_text_range())
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=FIXTURES / "ofd")
    args = ap.parse_args(argv)
    (args.out / "truth").mkdir(parents=True, exist_ok=True)
    for name, (source, opts) in TEXT.items():
        pdf = (FIXTURES / "pdf" / f"{source}.pdf").read_bytes()
        opts = opts or OfdOptions(compress=True, turned_page=_table_page(pdf))
        (args.out / f"{name}.ofd").write_bytes(render_ofd.from_pdf(pdf, opts))
        shutil.copy(FIXTURES / "pdf" / "truth" / f"{source}.json", args.out / "truth" / f"{name}.json")
        print(f"{name}.ofd  from pdf/{source}.pdf  {' '.join(opts.quirks)}")
    _, pdf, truth = make_document(MIXED[1], MIXED[0], form="pdf")
    _, scan, _ = make_document(MIXED[1], MIXED[0], form="pdf-scan", scan={"dpi": 150})
    k = _table_page(pdf)
    (args.out / "mixed_picture_page.ofd").write_bytes(render_ofd.from_scan(scan, pdf, {k}))
    write_truth(args.out / "truth" / "mixed_picture_page.json", truth)
    print(f"mixed_picture_page.ofd  corpus document {MIXED[1]} of seed {MIXED[0]}, page {k + 1} a scanned picture")
    scan = (FIXTURES / "ocr" / "turned_180.pdf").read_bytes()
    (args.out / "scan_turned_180.ofd").write_bytes(render_ofd.from_scan(scan))
    shutil.copy(FIXTURES / "ocr" / "truth" / "turned_180.json", args.out / "truth" / "scan_turned_180.json")
    print("scan_turned_180.ofd  from ocr/turned_180.pdf  page pictures, upside down")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
