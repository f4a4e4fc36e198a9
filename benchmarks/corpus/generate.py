"""Generate a corpus of rendered reports with known truth.

    python -m benchmarks.corpus.generate --out fixtures/corpus --n 40 --seed 2024

Writes ``OUT/NAME.{pdf,png,jpg,tif,html,docx}``, ``OUT/truth/NAME.json`` (the format of
``fixtures/seeds/truth``, plus ``form``, ``quirks`` and, where the body's own arithmetic slips,
``broken`` and ``slip``) and ``OUT/manifest.json`` (each document's file, form and quirks).
Each document has its own random stream (seed, index), so one document can be regenerated
alone and the mix of forms is fixed by the index. Forms outside the cycle (``webtext``: a web
page's scraped text; ``pdftext`` / ``pdflayout`` / ``pdftotext``: a PDF converter's text of the
text PDF; all ``OUT/NAME.txt``; ``mdmoved``: a PDF-to-Markdown tool's Markdown with blocks moved in
the reading order, ``OUT/NAME.md``) are only made when asked with ``--forms``: they then take the
slots of the cycle's forms that were not asked for. ``--narrative`` adds prose restating the
tables (`narrative.py`; the truth's ``narrative``), for ``python -m benchmarks.narrative``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from pathlib import Path

from . import document as D
from . import render_docx, render_html, render_mdmoved, render_pdf, render_pdftext, render_scan, render_webtext
from .narrative import make_narrative
from .truth import make_truth

# One cycle of 40 input forms: the committed corpus is exactly one cycle.
CYCLE = (["pdf"] * 12 + ["pdf-scan"] * 6 + ["png"] * 3 + ["jpeg"] * 3 + ["tiff"] * 2 + ["html"] * 7
         + ["docx"] * 7)
EXT = {"pdf": "pdf", "pdf-scan": "pdf", "png": "png", "jpeg": "jpg", "tiff": "tif", "html": "html", "docx": "docx",
       "webtext": "txt", "pdftext": "txt", "pdflayout": "txt", "pdftotext": "txt", "mdmoved": "md",
       "pdf-mixed": "pdf", "pdf-searchable": "pdf", "pdf-pictures": "pdf"}
# Forms made only on request (--forms): not in CYCLE, so the committed corpus does not change.
# pdftotext needs poppler's ``pdftotext`` on PATH.
EXTRA_FORMS = ["webtext", "pdftext", "pdflayout", "pdftotext", "mdmoved", "pdf-mixed", "pdf-searchable",
               "pdf-pictures"]


def form_of(i: int, seed: int) -> str:
    order = list(CYCLE)
    random.Random(seed).shuffle(order)
    return order[i % len(order)]


def make_document(i: int, seed: int, form: str | None = None, template: str | None = None,
                  scan: dict | None = None, narrative: bool = False) -> tuple[str, bytes, dict]:
    """(name, bytes, truth) of document ``i`` of the corpus ``seed``. ``scan``: fields of
    `render_scan.ScanOptions` set over the drawn ones (e.g. ``{"turn": 90}``), for the scanned forms.
    ``narrative``: prose restating the tables (`narrative.make_narrative`, its own random stream, so
    the tables are those of the document without it), in the truth as ``narrative``."""
    form = form or form_of(i, seed)
    rng, template, truth, style = draw(i, seed, template)
    if narrative:
        truth["narrative"] = make_narrative(random.Random(f"narrative {seed} {i}"), truth)
    data = render(rng, truth, style, form, scan)
    return f"{i:03d}_{form}_{template}", data, truth


def render(rng: random.Random, truth: dict, style: D.Style, form: str, scan: dict | None = None) -> bytes:
    """``truth`` drawn in ``form`` with ``style`` (the form's options from ``rng``); the truth's
    ``quirks`` become those of the document drawn, and its ``form`` is set."""
    template = truth["template"]
    quirks: list[str] = list(truth.pop("quirks"))
    if form == "docx":
        opts = render_docx.random_options(rng, template)
        if opts.blank_form:  # the real form's labels: only the values carry quirks
            style = D.Style(thousands=style.thousands)
        report = D.build(truth, style, rng)
        data = render_docx.render(report, opts)
        quirks += opts.quirks
    elif form == "html":
        opts = render_html.random_options(rng)
        report = D.build(truth, style, rng)
        data = render_html.render(report, opts)
        quirks += opts.quirks
    elif form == "webtext":  # the same draws as "html" first, so the truth is that of the HTML page
        hopts = render_html.random_options(rng)
        report = D.build(truth, style, rng)
        page = render_html.render(report, hopts)
        wopts = render_webtext.random_options(rng, truth["year"])
        title = f"{truth['agency']}{truth['year']}年政府信息公开工作年度报告"
        data = render_webtext.render(page, "gbk" if hopts.gbk else "utf-8", title, wopts)
        quirks += [q for q in hopts.quirks if q in render_webtext.KEEP_HTML_QUIRKS] + wopts.quirks
    elif form == "mdmoved":
        mopts = render_mdmoved.random_options(rng)
        report = D.build(truth, style, rng)
        data = render_mdmoved.render(report, mopts)
        quirks += mopts.quirks
    else:
        report, popts, pdf = draw_pdf(rng, truth, style, form)
        quirks += popts.quirks
        if form == "pdf":
            data = pdf
        elif form == "pdf-pictures":  # the same draws as "pdf", then the picture's resolution
            data = render_scan.pictured_tables_pdf(pdf, rng.choice([110, 150, 200]))
            quirks.append("tables_as_pictures")
        elif form in render_pdftext.PDFTEXT_FORMS:  # the same draws as "pdf", so the truth is that of the PDF
            data = render_pdftext.render(pdf, form)
        else:
            sopts = render_scan.random_options(rng, form)
            if scan:
                sopts = dataclasses.replace(sopts, **scan)
            if form == "pdf-scan":
                data = render_scan.scan_pdf(pdf, sopts, truth["agency"])
            elif form == "pdf-mixed":
                scanned = render_scan.mixed_pages(pdf, rng)
                data = render_scan.mixed_pdf(pdf, sopts, truth["agency"], scanned)
                quirks.append("mixed_pages")
            elif form == "pdf-searchable":
                data = render_scan.searchable_pdf(pdf, sopts, truth["agency"])
                quirks.append("hidden_text_layer")
            elif form == "tiff":
                data = render_scan.tiff(pdf, sopts, truth["agency"])
            else:
                data = render_scan.long_image(pdf, sopts, truth["agency"], form)
            quirks += sopts.quirks
    quirks = style.quirks(truth) + [q for q in quirks if q not in style.quirks(truth)]
    truth["form"] = form
    truth["quirks"] = list(dict.fromkeys(quirks))
    return data


def draw(i: int, seed: int, template: str | None = None) -> tuple[random.Random, str, dict, D.Style]:
    """The draws every form of document ``i`` starts from: its random stream, template, truth (its
    ``quirks`` among them) and style."""
    rng = random.Random(seed * 100003 + i)
    template = template or ("gov2019" if rng.random() < 0.5 else "gov2021")
    truth = make_truth(rng, template, large=rng.random() < 0.35, slip=rng.random() < 0.2,
                       blanks=rng.random() < 0.25)
    return rng, template, truth, D.random_style(rng)


def draw_pdf(rng: random.Random, truth: dict, style: D.Style, form: str) -> tuple[D.Report, render_pdf.PdfOptions, bytes]:
    """The report, the PDF options drawn for it and its text PDF, for the forms made from the PDF."""
    popts = render_pdf.random_options(rng)
    # scanned pages: keep the table layout readable for OCR, drop hairline tricks (text forms keep them)
    if form != "pdf" and form not in render_pdftext.PDFTEXT_FORMS:
        popts.sliver_rules = False
    if form == "pdf-pictures":  # a table pasted from a spreadsheet as a picture shows its rules
        popts.rules = "grid"
    report = D.build(truth, style, rng)
    return report, popts, render_pdf.render(report, popts)


def write_truth(path: Path, truth: dict) -> None:
    keys = ["template", "year", "agency", "units", "form", "quirks", "broken", "slip", "fields", "narrative"]
    ordered = {k: truth[k] for k in keys if k in truth}
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def generate(out: Path, n: int, seed: int, only: list[str] | None = None, log=print,
             narrative: bool = False) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    entries = []
    extras = [f for f in EXTRA_FORMS if only and f in only]
    if "pdftotext" in extras and not render_pdftext.have_pdftotext():
        raise SystemExit("--forms pdftotext: poppler's pdftotext is not on PATH (apt-get install poppler-utils)")
    for i in range(n):
        form = form_of(i, seed)
        if only and form not in only:
            if not extras:
                continue
            form = extras[i % len(extras)]
        name, data, truth = make_document(i, seed, form, narrative=narrative)
        file = f"{name}.{EXT[form]}"
        (out / file).write_bytes(data)
        write_truth(out / "truth" / f"{name}.json", truth)
        entry = {"name": name, "file": file, "form": form, "template": truth["template"], "year": truth["year"],
                 "quirks": truth["quirks"], "broken": truth.get("broken", []), "bytes": len(data)}
        entries.append(entry)
        log(f"{file:<32} {len(data) / 1024:8.0f} KB  {' '.join(truth['quirks'])}")
    manifest = {
        "generator": f"python -m benchmarks.corpus.generate --out {out} --n {n} --seed {seed}"
                     + (f" --forms {' '.join(only)}" if only else "") + (" --narrative" if narrative else ""),
        "seed": seed, "n": n, "documents": entries,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--forms", nargs="*", help="only these forms (pdf pdf-scan png jpeg tiff html docx; "
                    "webtext pdftext pdflayout pdftotext mdmoved pdf-mixed pdf-searchable pdf-pictures only on request)")
    ap.add_argument("--narrative", action="store_true", help="prose restating the tables, with deliberate "
                    "disagreements (truth: narrative)")
    args = ap.parse_args(argv)
    entries = generate(args.out, args.n, args.seed, args.forms, narrative=args.narrative)
    total = sum(e["bytes"] for e in entries)
    print(f"{len(entries)} documents, {total / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
