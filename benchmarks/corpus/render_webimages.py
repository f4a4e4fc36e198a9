"""Web pages whose tables are pictures, made from the corpus's scans, with the scans' truth.

    python -m benchmarks.corpus.render_webimages --out DIR --n 8 --seed 4711
    python -m benchmarks.corpus.render_webimages --fixtures fixtures/webimages

Document ``i`` of corpus ``seed`` is drawn as its scanned PDF (``pdf-scan``) is, so the truth, the
tables and the scan options are those of that scan, which is written beside it as the baseline
(``NAME.pdf``). Two web pages are made of it:

- ``tables``: the prose as HTML text (`render_html`), each table a picture in its place — the table
  alone drawn as a text PDF with the document's PDF options (`render_pdf`), rasterised at the scan's
  resolution as a screenshot (white, no seal, skew, blur, noise or JPEG), cut to its print and saved
  as a palette PNG; a table longer than a page is two pictures, one under the other;
- ``pages``: the title as text, then every page of the scan as a JPEG picture.

Each is written as a folder (``NAME_VARIANT/page.html`` and its pictures, each ``src`` relative)
and as one MHTML file (``NAME_VARIANT.mht``, MIME multipart/related as a browser saves a page,
pictures found by their ``Content-Location``). ``truth/NAME.json`` is shared by all of them.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import io
import json
import sys
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import numpy as np
from PIL import Image

from . import document as D
from . import render_html, render_pdf, render_scan
from .generate import draw, draw_pdf, write_truth

VARIANTS = ("tables", "pages")
BASE_URL = "http://www.example.gov.cn/zwgk/ndbg/"
"""Where the saved page lived: an MHTML archive names its parts by such addresses."""
BOUNDARY = "----MultipartBoundary--gxextract----"
"""Fixed, as Blink's are, so that the archive's bytes are reproducible (no base64 or HTML line holds it)."""
FOOTER_BAND_IN = 0.67
"""The foot of a rendered page that holds its page number (``- 1 -``), cut off a table's picture."""
MARGIN_IN = 0.08
"""White kept around a table's print in its picture."""
PNG_COLOURS = 64
"""A table's picture in a palette, as sites' image tools save screenshots (and as the corpus's long PNGs are)."""


def _png(img: np.ndarray, o: render_scan.ScanOptions) -> bytes:
    buf = io.BytesIO()
    im = render_scan.to_pil([img], o)[0]
    im = im.convert("P", palette=Image.ADAPTIVE, colors=PNG_COLOURS) if im.mode == "RGB" else im
    im.save(buf, "PNG", optimize=True)  # a screenshot states no resolution
    return buf.getvalue()


def _jpeg(img: np.ndarray, o: render_scan.ScanOptions) -> bytes:
    buf = io.BytesIO()
    im = render_scan.to_pil([img], o)[0]
    im.convert("L" if im.mode in ("L", "1") else "RGB").save(buf, "JPEG", quality=o.jpeg_quality or 80,
                                                            dpi=(o.dpi, o.dpi))
    return buf.getvalue()


def _cut_to_print(page: np.ndarray, dpi: int) -> np.ndarray:
    body = page[: page.shape[0] - int(FOOTER_BAND_IN * dpi)]
    ink = np.nonzero(body.min(axis=2) < 160)
    if not len(ink[0]):
        return body
    m = int(MARGIN_IN * dpi)
    y0, y1 = max(0, ink[0].min() - m), min(body.shape[0], ink[0].max() + m)
    x0, x1 = max(0, ink[1].min() - m), min(body.shape[1], ink[1].max() + m)
    return np.ascontiguousarray(body[y0:y1, x0:x1])


def table_pictures(report: D.Report, t: D.Table, popts: render_pdf.PdfOptions,
                   o: render_scan.ScanOptions) -> list[np.ndarray]:
    """The table alone as pictures, one per page it takes."""
    alone = render_pdf.render(D.Report(truth=report.truth, style=report.style, blocks=[t]),
                              dataclasses.replace(popts, observed=[], splits=[]))
    shot = dataclasses.replace(o, seal=False, seal_on_title=False, seal_over_numbers=None, angle=0.0, turn=0,
                               blur=0, noise=0.0, jpeg_quality=0, paper=255)
    pages = render_scan.degrade(render_scan.rasterize(alone, o.dpi), shot, report.truth["agency"])
    return [_cut_to_print(p, o.dpi) for p in pages]


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n</head>\n'
            f'<body>\n<div class="header">政府信息公开</div>\n{body}\n</body>\n</html>\n').encode("utf-8")


def tables_page(report: D.Report, popts: render_pdf.PdfOptions, o: render_scan.ScanOptions,
                hopts: render_html.HtmlOptions) -> tuple[bytes, dict[str, bytes]]:
    """The page's HTML (prose as text, each table as pictures) and its pictures by name."""
    pictures: dict[str, bytes] = {}

    def picture(t: D.Table, _: render_html.HtmlOptions) -> str:
        tags = []
        for img in table_pictures(report, t, popts, o):
            name = f"images/table{len(pictures) + 1}.png"
            pictures[name] = _png(img, o)
            tags.append(f'<p align="center"><img src="{name}" border="0"></p>')
        return "\n".join(tags)

    return render_html.render(report, hopts, table=picture), pictures


def pages_page(title: str, scan: list[np.ndarray], o: render_scan.ScanOptions) -> tuple[bytes, dict[str, bytes]]:
    """The page's HTML (its title as text, every scanned page a picture) and its pictures by name."""
    pictures = {f"page_files/page{k}.jpg": _jpeg(p, o) for k, p in enumerate(scan, start=1)}
    body = f'<p align="center"><b>{html.escape(title)}</b></p>\n' + "\n".join(
        f'<p><img src="{name}" width="100%"></p>' for name in pictures)
    return _page(title, body), pictures


def mhtml(page: bytes, pictures: dict[str, bytes], title: str) -> bytes:
    """The page and its pictures as one MHTML archive."""
    archive = EmailMessage()
    archive["From"] = "<Saved by Blink>"
    archive["Snapshot-Content-Location"] = BASE_URL + "page.html"
    archive["Subject"] = title
    archive["MIME-Version"] = "1.0"
    archive.make_related(boundary=BOUNDARY)
    archive.set_param("type", "text/html")
    text = EmailMessage()
    text.set_content(page.decode("utf-8"), subtype="html", charset="utf-8", cte="quoted-printable")
    text["Content-Location"] = BASE_URL + "page.html"
    archive.attach(text)
    for name, data in pictures.items():
        part = EmailMessage()
        part.set_content(data, maintype="image", subtype=name.rsplit(".", 1)[1].replace("jpg", "jpeg"))
        part["Content-Location"] = BASE_URL + name
        archive.attach(part)
    return archive.as_bytes(policy=SMTP)


def make_webpages(i: int, seed: int) -> tuple[str, dict, bytes, dict[str, tuple[bytes, dict[str, bytes]]]]:
    """(name, truth, the scanned PDF, variant → (page HTML, pictures)) of document ``i``."""
    rng, template, truth, style = draw(i, seed)
    quirks = list(truth.pop("quirks"))
    report, popts, pdf = draw_pdf(rng, truth, style, "pdf-scan")
    o = render_scan.random_options(rng, "pdf-scan")
    hopts = render_html.HtmlOptions(gbk=False, layout_table=i % 2 == 1)
    agency = truth["agency"]
    title = f"{agency}{truth['year']}年政府信息公开工作年度报告"
    scan = render_scan.scanned_pages(pdf, o, agency)
    variants = {"tables": tables_page(report, popts, o, hopts), "pages": pages_page(title, scan, o)}
    truth["form"] = "webimages"
    truth["quirks"] = list(dict.fromkeys(style.quirks(truth) + quirks + popts.quirks + o.quirks + hopts.quirks))
    return f"{i:03d}_webimages_{template}", truth, render_scan.scan_pdf(pdf, o, agency), variants


def write(out: Path, name: str, variant: str, page: bytes, pictures: dict[str, bytes], title: str) -> None:
    folder = out / f"{name}_{variant}"
    for rel, data in pictures.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    (folder / "page.html").write_bytes(page)
    (out / f"{name}_{variant}.mht").write_bytes(mhtml(page, pictures, title))


def generate(out: Path, n: int, seed: int, log=print) -> list[dict]:
    (out / "truth").mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(n):
        name, truth, scan, variants = make_webpages(i, seed)
        (out / f"{name}.pdf").write_bytes(scan)
        write_truth(out / "truth" / f"{name}.json", truth)
        title = f"{truth['agency']}{truth['year']}年政府信息公开工作年度报告"
        for variant, (page, pictures) in variants.items():
            write(out, name, variant, page, pictures, title)
        entries.append({"name": name, "scan": f"{name}.pdf", "variants": list(variants), "quirks": truth["quirks"]})
        log(f"{name}: {len(variants['tables'][1])} table pictures, {len(variants['pages'][1])} page pictures")
    manifest = {"generator": f"python -m benchmarks.corpus.render_webimages --out {out} --n {n} --seed {seed}",
                "seed": seed, "n": n, "documents": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return entries


FIXTURES = {"tables": (7, 99), "pages": (1, 99)}
"""The committed fixtures, (document, seed): a gov2021 report whose tables have no rules (section 三
over two pictures) as a folder page; a gov2021 report's scanned pages as an .mht."""


def write_fixtures(out: Path) -> None:
    """``out/tables/`` (a folder page), ``out/pages.mht`` and their truth ``out/truth/{tables,pages}.json``."""
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for variant, (i, seed) in FIXTURES.items():
        _, truth, _, variants = make_webpages(i, seed)
        write_truth(out / "truth" / f"{variant}.json", truth)
        page, pictures = variants[variant]
        if variant == "pages":
            (out / "pages.mht").write_bytes(mhtml(page, pictures, f"{truth['agency']}{truth['year']}年度报告"))
        else:
            for rel, data in {"page.html": page, **pictures}.items():
                (out / variant / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / variant / rel).write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--seed", type=int, default=4711)
    ap.add_argument("--fixtures", type=Path, help="write the committed fixtures here instead")
    args = ap.parse_args(argv)
    if args.fixtures:
        write_fixtures(args.fixtures)
    elif args.out:
        generate(args.out, args.n, args.seed)
    else:
        ap.error("--out or --fixtures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
