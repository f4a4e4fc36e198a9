"""Web pages whose tables are pictures against the scans they were made from.

    nice .venv/bin/python -m benchmarks.web_images [DIR] [--n 8] [--seed 4711] [--jobs 1]

DIR holds the output of `benchmarks.corpus.render_webimages` (made there first, with ``--n`` and
``--seed``, when it has no manifest). Every document is read five ways — its scanned PDF (the
baseline), the page with each table a picture (``tables``) and the page with every scanned page a
picture (``pages``), each as a folder and as one .mht — and each form's field accuracy, silent
errors (wrong and not flagged) and review share are printed beside the scans'. Targets: the
accuracy of the scans themselves, zero silent errors. Not a timed test: run by hand, with ``nice``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .corpus.render_webimages import VARIANTS, generate
from .ocr_accuracy import score_one

FORMS = ["scan"] + [f"{v}-{c}" for v in VARIANTS for c in ("folder", "mht")]


def readings(folder: Path) -> list[tuple[str, tuple]]:
    """(form, score_one's arguments) for every document and form."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for d in manifest["documents"]:
        truth = str(folder / "truth" / f"{d['name']}.json")
        slipped = bool(json.loads(Path(truth).read_text(encoding="utf-8")).get("broken"))
        files = {"scan": folder / d["scan"]}
        for v in d["variants"]:
            files[f"{v}-folder"] = folder / f"{d['name']}_{v}" / "page.html"
            files[f"{v}-mht"] = folder / f"{d['name']}_{v}.mht"
        out += [(form, (str(files[form]), truth, None, slipped)) for form in FORMS if form in files]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=Path("/tmp/gx_web_images"))
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--seed", type=int, default=4711)
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args(argv)
    if not (a.folder / "manifest.json").exists():
        generate(a.folder, a.n, a.seed)
    jobs = readings(a.folder)
    t0 = time.perf_counter()
    results = []
    # workers from a fork server: a child forked from this process, whose OpenCV ran threads while
    # it made the pages, waits for ever on OpenCV's thread pool (cv2.setNumThreads)
    with ProcessPoolExecutor(a.jobs, mp_context=multiprocessing.get_context("forkserver")) as ex:
        for (form, args), r in zip(jobs, ex.map(score_one, [args for _, args in jobs])):
            results.append((form, r))
            status = r.get("error") or f"wrong {r['wrong']:3d}  silent {r['silent']}  review {r['review']:3d}/{r['fields']}"
            print(f"{form:14s} {Path(args[0]).relative_to(a.folder)!s:44s} {r['seconds']:6.1f}s  {status}", flush=True)
            for d in r.get("details", []):
                print(f"    {d}", flush=True)
    print(f"\n{len(jobs)} readings, wall {time.perf_counter() - t0:.0f}s\n")
    print(f"{'form':14s} {'documents':>9s} {'fields':>7s} {'accuracy':>9s} {'silent':>6s} {'review':>7s} {'s/doc':>6s}")
    totals = {}
    for form in FORMS:
        rs = [r for f, r in results if f == form]
        if not rs:
            continue
        fields = sum(r["fields"] for r in rs)
        totals[form] = (1 - sum(r["wrong"] for r in rs) / fields, sum(r["silent"] for r in rs))
        print(f"{form:14s} {len(rs):9d} {fields:7d} {totals[form][0]:9.2%} {totals[form][1]:6d} "
              f"{sum(r['review'] for r in rs) / fields:7.2%} {sum(r['seconds'] for r in rs) / len(rs):6.1f}")
    scan = totals["scan"][0]
    met = all(acc >= scan and silent == 0 for acc, silent in totals.values())
    print(f"\ntarget: every form at the scans' accuracy ({scan:.2%}) or above, 0 silent errors: "
          f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
