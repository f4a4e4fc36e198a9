"""Accuracy of the text-PDF reader on generated reports with known truth.

    python -m benchmarks.pdf_accuracy [--n 120] [--seed 7] [--out DIR] [--per-doc] [--keep]

Renders ``--n`` text PDFs with the corpus generator (every PDF quirk drawn at random:
merged cells, wrapped labels, page breaks inside section 三, shaded bands, vertical labels,
missing top rules, white cell rectangles, sliver rules, big or Latin-font numbers, landscape
pages, horizontal-only and unruled tables), runs ``extract`` on each and scores it as
``gxextract score`` does. Prints field accuracy, silent errors (wrong and not
flagged), the review share overall and on reports whose own sums hold, and the worst quirks.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus.generate import make_document, write_truth
from gxextract import extract
from gxextract.errors import GxError
from gxextract.score import same


def score_one(truth: dict, out: dict | None) -> dict:
    fields = (out or {}).get("fields") or {}
    n = right = silent = flagged = 0
    wrong: list[str] = []
    for fid, tv in truth["fields"].items():
        n += 1
        got = fields.get(fid) or {}
        review = bool(got.get("needs_review", fid not in fields))
        flagged += review
        if fid in fields and same(got.get("value"), tv):
            right += 1
        else:
            wrong.append(f"{fid}: want {tv!r} got {got.get('value')!r}{'' if review else ' SILENT'}")
            silent += not review
    return {"n": n, "right": right, "silent": silent, "flagged": flagged, "wrong": wrong}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="write PDFs, truth and outputs here (default: a temporary folder)")
    ap.add_argument("--per-doc", action="store_true")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="gx-pdf-accuracy-"))
    (out / "truth").mkdir(parents=True, exist_ok=True)
    (out / "out").mkdir(exist_ok=True)
    tot = collections.Counter()
    by_quirk: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    seconds = 0.0
    for i in range(args.n):
        name, data, truth = make_document(i, args.seed, form="pdf")
        (out / f"{name}.pdf").write_bytes(data)
        write_truth(out / "truth" / f"{name}.json", truth)
        t0 = time.perf_counter()
        try:
            result = json.loads(extract(out / f"{name}.pdf").model_dump_json())
        except GxError as exc:
            result = None
            print(f"{name}: {exc}")
        seconds += time.perf_counter() - t0
        if result is not None:
            (out / "out" / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        s = score_one(truth, result)
        consistent = not truth.get("broken")
        tot["docs"] += 1
        tot["n"] += s["n"]
        tot["right"] += s["right"]
        tot["silent"] += s["silent"]
        tot["flagged"] += s["flagged"]
        tot["exact"] += s["right"] == s["n"]
        if consistent:
            tot["cdocs"] += 1
            tot["cn"] += s["n"]
            tot["cflagged"] += s["flagged"]
        for q in truth.get("quirks", []):
            by_quirk[q]["docs"] += 1
            by_quirk[q]["wrong"] += s["n"] - s["right"]
            by_quirk[q]["flagged"] += s["flagged"]
            by_quirk[q]["n"] += s["n"]
        if args.per_doc and (s["wrong"] or s["flagged"]):
            print(f"{name}: {s['n'] - s['right']} wrong, {s['flagged']} flagged  [{' '.join(truth.get('quirks', []))}]")
            for w in s["wrong"][:12]:
                print("   ", w)
    acc = tot["right"] / max(1, tot["n"])
    print(f"documents: {tot['docs']}  all fields right: {tot['exact']}  ({out})")
    print(f"field accuracy: {acc:.4%}  silent errors: {tot['silent']}  "
          f"review share: {tot['flagged'] / max(1, tot['n']):.2%}  "
          f"review share where the report's sums hold: {tot['cflagged'] / max(1, tot['cn']):.2%} ({tot['cdocs']} docs)")
    print(f"extract: {seconds / max(1, tot['docs']):.3f} s/document")
    print("quirk                     docs  wrong  flagged share")
    for q, c in sorted(by_quirk.items(), key=lambda kv: -kv[1]["wrong"]):
        print(f"{q:<25} {c['docs']:>4} {c['wrong']:>6}  {c['flagged'] / max(1, c['n']):.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
