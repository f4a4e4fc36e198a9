"""OCR accuracy on the scanned corpus: field accuracy, silent errors, review share.

    .venv/bin/python -m benchmarks.ocr_accuracy [CORPUS_DIR] [--jobs N] [--engine rapidocr|paddleocr]

Reads every scanned document of the corpus (forms pdf-scan, png, jpeg, tiff; the manifest of
`benchmarks.corpus.generate`) through ``gxextract.extract`` and compares each field with the
truth file. Targets: field accuracy ≥ 99.5 %, zero silent errors (a wrong value not
flagged for review), review share ≤ 5 %. Not a timed test: run by hand or in CI's bench step.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gxextract.score import same

ROOT = Path(__file__).resolve().parents[1]
SCANNED = {"pdf-scan", "png", "jpeg", "tiff", "pdf-mixed", "pdf-searchable", "pdf-pictures"}
TARGETS = {"accuracy": 0.995, "silent": 0, "review": 0.05}


def score_one(args: tuple) -> dict:
    path, truth_path, engine = args[:3]
    slipped = bool(args[3]) if len(args) > 3 else False
    if engine:
        os.environ["GXEXTRACT_OCR_ENGINE"] = engine
    os.environ.setdefault("GXEXTRACT_OCR_THREADS", "1")
    from gxextract import extract

    truth = json.loads(Path(truth_path).read_text(encoding="utf-8"))
    t = time.perf_counter()
    try:
        report = extract(path)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure
        n = len(truth["fields"])
        return {"file": Path(path).name, "error": f"{type(exc).__name__}: {exc}", "fields": n, "wrong": n,
                "silent": 0, "review": n, "read_review": n, "read_fields": n, "seconds": 0.0}
    secs = time.perf_counter() - t
    wrong, silent, review, read_review, read_fields = [], [], 0, 0, 0
    reasons: dict[str, int] = {}
    for fid, want in truth["fields"].items():
        got = report.fields.get(fid)
        flagged = got is None or got.needs_review
        review += flagged
        if flagged:
            why = _reason(got)
            reasons[why] = reasons.get(why, 0) + 1
        if want is not None and not slipped:  # neither a blank cell nor a report whose sums are broken
            read_fields += 1
            read_review += flagged
        if got is None or not same(got.value, want):
            wrong.append(f"{fid}: want {want!r} got {None if got is None else got.value!r}"
                         f"{'' if flagged else ' (NOT FLAGGED)'}")
            if not flagged:
                silent.append(wrong[-1])
    meta = [(k, getattr(report, k), truth.get(k)) for k in ("template", "year", "agency")]
    return {"file": Path(path).name, "fields": len(truth["fields"]), "wrong": len(wrong), "silent": len(silent),
            "review": review, "read_review": read_review, "read_fields": read_fields, "seconds": round(secs, 2), "pages": report.source.pages, "reasons": reasons,
            "details": wrong[:20], "meta_wrong": [f"{k}: want {w!r} got {g!r}" for k, g, w in meta if g != w]}


def _reason(got) -> str:
    """What a flagged field is flagged for: its first review flag (every flagged field has one)."""
    if got is None:
        return "missing"
    from gxextract.confidence import INFO_FLAGS

    return next(f.split(":")[0] for f in got.flags if f not in INFO_FLAGS)


def documents(corpus: Path) -> list[tuple[str, str]]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for d in manifest["documents"]:
        if d["form"] in SCANNED:
            out.append((str(corpus / d["file"]), str(corpus / "truth" / f"{d['name']}.json"), bool(d.get("broken"))))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "fixtures" / "corpus"))
    ap.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 1)))
    ap.add_argument("--engine", default=None)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", dest="json_out", default=None, help="write the per-document results here")
    a = ap.parse_args(argv)
    docs = documents(Path(a.corpus))
    if a.limit:
        docs = docs[: a.limit]
    if not docs:
        print(f"no scanned documents in {a.corpus}", file=sys.stderr)
        return 2
    jobs = [(p, t, a.engine, slipped) for p, t, slipped in docs]
    t0 = time.perf_counter()
    results = []

    def show(r: dict) -> None:
        results.append(r)
        status = r.get("error") or f"wrong {r['wrong']:3d}  silent {r['silent']}  review {r['review']:3d}/{r['fields']}"
        print(f"{r['file']:32s} {r['seconds']:7.1f}s  {status}  {' '.join(r.get('meta_wrong', []))}", flush=True)
        for d in r.get("details", []):
            print(f"    {d}", flush=True)

    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as ex:
            for r in ex.map(score_one, jobs):
                show(r)
    else:
        for j in jobs:
            show(score_one(j))
    wall = time.perf_counter() - t0
    fields = sum(r["fields"] for r in results)
    wrong = sum(r["wrong"] for r in results)
    silent = sum(r["silent"] for r in results)
    review = sum(r["review"] for r in results)
    acc = 1 - wrong / fields
    print(f"\n{len(results)} documents, {fields} fields, wall {wall:.0f}s")
    print(f"field accuracy {acc:.4%} (target ≥ {TARGETS['accuracy']:.1%})")
    print(f"silent errors  {silent} (target {TARGETS['silent']})")
    print(f"review share   {review / fields:.2%} (target ≤ {TARGETS['review']:.0%})")
    rf = sum(r["read_fields"] for r in results)
    rr = sum(r["read_review"] for r in results)
    print(f"  of which reading: {rr / max(1, rf):.2%} of {rf} fields that hold a number in reports whose sums hold "
          f"(the rest: blank cells not seen empty in a ruled cell, and the rows and columns of a report's own "
          f"arithmetic slip)")
    reasons: dict[str, int] = {}
    for r in results:
        for k, v in r.get("reasons", {}).items():
            reasons[k] = reasons.get(k, 0) + v
    print("  flagged for: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    ok = acc >= TARGETS["accuracy"] and silent <= TARGETS["silent"] and review / fields <= TARGETS["review"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
