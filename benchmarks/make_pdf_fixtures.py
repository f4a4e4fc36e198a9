"""Small text-PDF fixtures with their truth, for tests/test_pdf.py.

    python -m benchmarks.make_pdf_fixtures [--out fixtures/pdf]

Drawn with the corpus renderer (reportlab, WenQuanYi Micro Hei from fonts-wqy-microhei),
each with the quirks its name says; plus PDFs that must not be read from their text layer:
a font stripped of its Unicode map (``cid_font.pdf``), an image-only page (``scanned.pdf``),
one locked by a user password (``encrypted.pdf``, password ``secret``) and one with only an
owner password (``owner_only.pdf``, opens with the empty password).
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from benchmarks.corpus import document as D
from benchmarks.corpus import render_pdf
from benchmarks.corpus.generate import write_truth
from benchmarks.corpus.truth import make_truth

CASES = {
    # name: (template, PdfOptions overrides, Style overrides)
    "ruled_merged": ("gov2019", dict(rules="grid", white_cell_rects=True, sliver_rules=True), dict(label_spaces=True)),
    "ruled_break_split_cell": ("gov2021", dict(merged_cell_split=True, missing_top_rule=True, vertical_label=True,
                                               big_numbers=True), dict(thousands=",")),
    "ruled_repeat_header": ("gov2019", dict(repeat_header=True, shaded_band=True, big_numbers=True,
                                            table_size=10), dict(numbering="、")),
    "landscape": ("gov2021", dict(landscape=True), dict(halfwidth_parens=True)),
    "horizontal_rules": ("gov2019", dict(rules="horizontal"), dict()),
    "unruled": ("gov2021", dict(rules="none"), dict()),
}


def _case(name: str, seed: int):
    template, popts, sopts = CASES[name]
    rng = random.Random(f"{name}-{seed}")
    truth = make_truth(rng, template, large=True)
    style = D.Style(**sopts)
    report = D.build(truth, style, rng)
    opts = render_pdf.PdfOptions(seed=seed, **popts)
    data = render_pdf.render(report, opts)
    truth["form"] = "pdf"
    truth["quirks"] = list(dict.fromkeys(truth.pop("quirks", []) + style.quirks(truth) + opts.quirks))
    return data, truth


def strip_unicode_maps(pdf: bytes) -> bytes:
    """The same PDF with every font's /ToUnicode renamed away (same length: offsets hold)."""
    return pdf.replace(b"/ToUnicode", b"/ToUnicodX")


def scanned_pdf() -> bytes:
    """One A4 page holding only a picture of text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (620, 200), 255)
    ImageDraw.Draw(img).text((20, 80), "2021 scanned page", fill=0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(img), 72, 500, width=451, height=145)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted(pdf_opts: dict, user: str, owner: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption(user, owner, canPrint=1))
    c.setFont(render_pdf.font("wqy"), 12)
    c.drawString(72, 750, "某某市某某局2021年政府信息公开工作年度报告")
    c.showPage()
    c.save()
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("fixtures/pdf"))
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    out = args.out
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for name in CASES:
        data, truth = _case(name, args.seed)
        (out / f"{name}.pdf").write_bytes(data)
        write_truth(out / "truth" / f"{name}.json", truth)
        print(f"{name}.pdf {len(data) // 1024} KB {' '.join(truth['quirks'])}")
    data, _ = _case("ruled_merged", args.seed)
    (out / "cid_font.pdf").write_bytes(strip_unicode_maps(data))
    (out / "scanned.pdf").write_bytes(scanned_pdf())
    (out / "encrypted.pdf").write_bytes(encrypted({}, "secret", "owner"))
    (out / "owner_only.pdf").write_bytes(encrypted({}, "", "owner"))
    (out / "truncated.pdf").write_bytes(data[: len(data) // 3])
    print("cid_font.pdf scanned.pdf encrypted.pdf owner_only.pdf truncated.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
