"""The same reports as PDF and as OFD: field accuracy, silent errors and time per page of each.

    python -m benchmarks.ofd_accuracy [--n 40] [--scans 2] [--seed 2718] [--out DIR]

``--n`` text PDFs from the corpus generator (every PDF quirk at random: ruled, horizontal-only
and unruled tables, page breaks, landscape pages …), each also written as OFD
(`benchmarks.corpus.render_ofd.from_pdf`: DeltaX sometimes as ``g N v``, a page sometimes on its
side, page parts numbered against the reading order), and ``--scans`` scanned PDFs, each also an
OFD of page pictures (`render_ofd.from_scan`: the same JPEGs). Both files of a report are read in
the same run, one after the other, and scored as ``gxextract score`` does.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from benchmarks.corpus import render_ofd
from benchmarks.corpus.generate import make_document, write_truth
from benchmarks.pdf_accuracy import score_one
from gxextract import extract
from gxextract.errors import GxError

UNRULED = ("rules_none", "rules_horizontal")


def _run(path: Path, truth: dict, out: Path) -> tuple[dict, float, int]:
    """Score, seconds and pages of ``extract(path)``."""
    t0 = time.perf_counter()
    try:
        report = extract(path)
        result, pages = json.loads(report.model_dump_json()), report.source.pages or 1
    except GxError as exc:
        print(f"{path.name}: {exc}")
        result, pages = None, 1
    seconds = time.perf_counter() - t0
    if result is not None:
        (out / f"{path.name}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return score_one(truth, result), seconds, pages


def _pages(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=40, help="text reports")
    ap.add_argument("--scans", type=int, default=2, help="scanned reports (OCR: about a minute each)")
    ap.add_argument("--seed", type=int, default=2718)
    ap.add_argument("--out", type=Path, help="files, truth and outputs here (default: a temporary folder)")
    ap.add_argument("--per-doc", action="store_true")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="gx-ofd-accuracy-"))
    for sub in ("truth", "out"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    tot: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    jobs = [(i, "pdf") for i in range(args.n)] + [(args.n + j, "pdf-scan") for j in range(args.scans)]
    for i, form in jobs:
        name, pdf, truth = make_document(i, args.seed, form=form)
        if form == "pdf":
            ofd = render_ofd.from_pdf(pdf, render_ofd.random_options(random.Random(f"ofd {args.seed} {i}"),
                                                                     _pages(pdf)))
            group = "unruled" if set(truth["quirks"]) & set(UNRULED) else "ruled"
        else:
            ofd, group = render_ofd.from_scan(pdf), "scan"
        (out / f"{name}.pdf").write_bytes(pdf)
        (out / f"{name}.ofd").write_bytes(ofd)
        write_truth(out / "truth" / f"{name}.json", truth)
        for kind in ("pdf", "ofd"):
            s, seconds, pages = _run(out / f"{name}.{kind}", truth, out / "out")
            for key in ((group, kind), ("all", kind)):
                c = tot[key]
                c["docs"] += 1
                c["n"] += s["n"]
                c["right"] += s["right"]
                c["silent"] += s["silent"]
                c["flagged"] += s["flagged"]
                c["pages"] += pages
                c["ms"] += seconds * 1000
            if args.per_doc and s["wrong"]:
                print(f"{name}.{kind}: {s['n'] - s['right']} wrong  [{' '.join(truth['quirks'])}]")
                for w in s["wrong"][:8]:
                    print("   ", w)
    print(f"seed {args.seed}: {args.n} text reports, {args.scans} scanned, each as PDF and as OFD ({out})")
    print("group    form  docs  pages  field accuracy  silent  review   ms/page")
    for group in ("ruled", "unruled", "scan", "all"):
        for kind in ("pdf", "ofd"):
            c = tot.get((group, kind))
            if not c:
                continue
            print(f"{group:<8} {kind:<4} {c['docs']:>5} {c['pages']:>6}  {c['right'] / c['n']:>13.4%} {c['silent']:>7}"
                  f"  {c['flagged'] / c['n']:>6.2%}  {c['ms'] / c['pages']:>8.1f}")
    pdf, ofd = tot[("all", "pdf")], tot[("all", "ofd")]
    gap = (ofd["right"] / ofd["n"] - pdf["right"] / pdf["n"]) * 100
    ratio = (ofd["ms"] / ofd["pages"]) / (pdf["ms"] / pdf["pages"])
    text_ratio = ((sum(tot[(g, "ofd")]["ms"] for g in ("ruled", "unruled")) /
                   max(1, sum(tot[(g, "ofd")]["pages"] for g in ("ruled", "unruled")))) /
                  max(1e-9, sum(tot[(g, "pdf")]["ms"] for g in ("ruled", "unruled")) /
                  max(1, sum(tot[(g, "pdf")]["pages"] for g in ("ruled", "unruled")))))
    print(f"OFD − PDF field accuracy: {gap:+.2f} points; silent errors: PDF {pdf['silent']}, OFD {ofd['silent']}; "
          f"time per page OFD / PDF: {ratio:.2f} (text pages alone {text_ratio:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
