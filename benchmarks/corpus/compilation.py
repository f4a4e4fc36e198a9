"""Compilations (年报汇编): several corpus reports one after another in one file, in a form the corpus
renders, with each report's truth in order.

The reports are drawn as the corpus draws them (`generate.draw`: truth, template, style) and laid out
as one document: one PDF whose pages run on from report to report (a report ends part-way down a page
and the next one's title follows on that page), one web page (and its scraped text), one Word file,
or a PDF converter's text of the PDF. The text forms can also hold the 2018 table (the legacy seed
under its own title). Each report is also given alone, so that its accuracy in the compilation can be
set beside its accuracy alone: for the text forms, the compilation's own text cut at its title (the same
lines); for the others, the report rendered alone in the same form and options (a PDF's column widths
are drawn anew, so its tables' lines may wrap elsewhere).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from . import document as D
from . import render_docx, render_html, render_pdf, render_pdftext, render_scan, render_webtext
from .generate import draw

FORMS = ["webtext", "pdftext", "html", "docx", "pdf", "pdf-scan"]
TEXT_FORMS = {"webtext", "pdftext", "pdflayout", "pdftotext"}
EXT = {"webtext": "txt", "pdftext": "txt", "pdflayout": "txt", "pdftotext": "txt", "html": "html", "docx": "docx",
       "pdf": "pdf", "pdf-scan": "pdf"}
LEGACY_SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "002_0f258da4c2a9d132.txt"
LEGACY_TITLE = "安顺市科学技术局2018年度政府信息公开工作年度报告"
"""The legacy seed is a report's body without its title: a compilation prints the title above it."""


@dataclass
class Compilation:
    data: bytes
    truths: list[dict]
    """Each report's truth, in the order printed."""
    alone: list[bytes]
    """Each report rendered alone in the same form and options."""


def _legacy() -> tuple[str, dict]:
    truth = json.loads((LEGACY_SEED.parent / "truth" / f"{LEGACY_SEED.stem}.json").read_text(encoding="utf-8"))
    return f"{LEGACY_TITLE}\n{LEGACY_SEED.read_text(encoding='utf-8')}", truth


def _page(reports: list[D.Report]) -> D.Report:
    """The reports as one document; the page's own title names the compilation."""
    first = reports[0].truth
    truth = {"agency": first["agency"][:2] + "各部门", "year": first["year"]}
    return D.Report(truth, reports[0].style, [b for r in reports for b in r.blocks])


def _render(reports: list[D.Report], form: str, rng: random.Random) -> tuple[bytes, list[bytes]]:
    """The compilation in ``form`` and each report alone, with the same options."""
    page = _page(reports)
    if form in ("html", "webtext"):
        hopts = render_html.random_options(rng)
        if form == "html":
            return render_html.render(page, hopts), [render_html.render(r, hopts) for r in reports]
        wopts = render_webtext.random_options(rng, page.truth["year"])
        enc = "gbk" if hopts.gbk else "utf-8"

        def web(r: D.Report) -> bytes:
            title = f"{r.truth['agency']}{r.truth['year']}年政府信息公开工作年度报告"
            return render_webtext.render(render_html.render(r, hopts), enc, title, wopts)
        return web(page), [web(r) for r in reports]
    if form == "docx":
        dopts = render_docx.random_options(rng, "gov2019")  # the filled blank form holds one report only
        return render_docx.render(page, dopts), [render_docx.render(r, dopts) for r in reports]
    popts = render_pdf.random_options(rng)
    if form == "pdf-scan":
        popts.sliver_rules = False
    pdfs = [render_pdf.render(r, popts) for r in [page, *reports]]
    if form == "pdf":
        return pdfs[0], pdfs[1:]
    if form in render_pdftext.PDFTEXT_FORMS:
        texts = [render_pdftext.render(p, form) for p in pdfs]
        return texts[0], texts[1:]
    sopts = render_scan.random_options(rng, form)
    scans = [render_scan.scan_pdf(p, sopts, page.truth["agency"]) for p in pdfs]
    return scans[0], scans[1:]


def build(seed: int, k: int, n: int, form: str, legacy: bool = False) -> Compilation:
    """Compilation ``k`` of ``seed``: ``n`` corpus reports (their templates drawn, gov2019 or gov2021) in
    ``form``; ``legacy``: a text form also holds the 2018 table at a drawn place."""
    rng = random.Random(f"compilation {seed} {k}")
    first = rng.randrange(10_000)
    reports = []
    for i in range(first, first + n):
        r, _, truth, style = draw(i, seed)
        truth.pop("quirks", None)
        reports.append(D.build(truth, style, r))
    data, alone = _render(reports, form, rng)
    truths = [r.truth for r in reports]
    if form in TEXT_FORMS:  # alone: the compilation's own text cut at each title, so only the cut differs
        pieces = _text_parts(data.decode("utf-8"), reports)
        if legacy:
            text, truth = _legacy()
            at = rng.randrange(n + 1)
            pieces.insert(at, text)
            truths.insert(at, truth)
            data = "\n".join(pieces).encode("utf-8")
        alone = [p.encode("utf-8") for p in pieces]
    return Compilation(data, truths, alone)


def _text_parts(text: str, reports: list[D.Report]) -> list[str]:
    """The compilation's text cut before each report's title (its body's name and year), so that another
    report can be put between two."""
    cuts, at = [], 0
    for r in reports:
        title = f"{r.truth['year']}年政府信息公开工作年度报告"
        m = re.compile(re.escape(r.truth["agency"]) + r"[\s\S]{0,40}?" + title).search(text, at)  # a footer between
        cuts.append(m.start())
        at = m.end()
    cuts[0] = 0
    return [text[a:b].rstrip("\n") for a, b in zip(cuts, cuts[1:] + [len(text)])]
