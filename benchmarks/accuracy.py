"""Accuracy benchmark: run `gxextract.extract` over a corpus with known truth.

    python -m benchmarks.accuracy [CORPUS] [--out OUTDIR] [--per-doc] [--limit N] [--forms pdf html ...]

CORPUS (default fixtures/corpus) holds the documents, ``truth/NAME.json`` and ``manifest.json``
(without a manifest, every file with a truth of the same stem is taken). Each document's
output JSON is written to ``OUTDIR/NAME.json`` (default: a fresh temporary folder), so that

    gxextract score CORPUS/truth OUTDIR

scores the same files. The table gives, per input form and overall: documents, field accuracy,
documents with every field right, wrong fields not flagged (silent errors), share of fields
flagged, template and year accuracy, seconds per document. A document on which `extract`
raises counts as a document with no output. Documents are counted by the scorer itself
(`gxextract.score`), so the overall figures are those ``gxextract score`` prints.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from gxextract import score

ROOT = Path(__file__).resolve().parents[1]
FORMS = ["pdf", "pdf-scan", "png", "jpeg", "tiff", "image", "pdftext", "pdflayout", "pdftotext", "html", "webtext",
         "docx", "text", "markdown", "mdmoved"]


@dataclass
class Tally(score.Tally):
    """The scorer's counts, plus what the benchmark adds per input form."""

    tmpl_ok: int = 0
    year_ok: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def documents(corpus: Path) -> list[dict]:
    """Manifest entries (name, file, form), or the files that have a truth beside them."""
    manifest = corpus / "manifest.json"
    if manifest.exists():
        return json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    out = []
    for tf in sorted((corpus / "truth").glob("*.json")):
        files = [p for p in corpus.glob(tf.stem + ".*") if p.is_file()]
        if files:
            truth = json.loads(tf.read_text(encoding="utf-8"))
            out.append({"name": tf.stem, "file": files[0].name, "form": truth.get("form", files[0].suffix[1:])})
    return out


def run_extract(path: Path) -> tuple[dict | None, float, str | None]:
    from gxextract import extract

    t0 = time.perf_counter()
    try:
        report = extract(str(path))
        out = json.loads(report.model_dump_json())
        err = None
    except Exception as exc:  # noqa: BLE001 - any failure is a document with no output
        out, err = None, f"{type(exc).__name__}: {exc}".replace(str(path), path.name)
    return out, time.perf_counter() - t0, err


def table(rows: list[tuple[str, Tally]]) -> str:
    head = ("form", "docs", "no out", "field acc", "all right", "silent err", "flagged", "tmpl acc", "year acc", "s/doc")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for name, t in rows:
        tmpl = t.tmpl_ok / t.docs if t.docs else 0.0
        year = t.year_ok / t.docs if t.docs else 0.0
        lines.append(
            f"| {name} | {t.docs} | {t.no_output} | {t.accuracy:.4f} | {t.exact_docs}/{t.docs} | {t.silent} | "
            f"{t.review:.3f} | {tmpl:.2f} | {year:.2f} | {t.seconds / t.docs if t.docs else 0:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Accuracy of gxextract on a corpus with known truth.")
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "fixtures" / "corpus")
    ap.add_argument("--out", type=Path, help="folder for the output JSON (default: a temporary folder)")
    ap.add_argument("--per-doc", action="store_true", help="one line per document")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--forms", nargs="*", help="only these input forms")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)

    corpus: Path = args.corpus
    docs = documents(corpus)
    if args.forms:
        docs = [d for d in docs if d["form"] in args.forms]
    if args.limit:
        docs = docs[: args.limit]
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="gx-accuracy-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir = corpus / "truth"
    # `gxextract score` walks a truth folder: give it exactly the documents benchmarked
    score_truth = truth_dir
    if args.forms or args.limit:
        score_truth = out_dir / "_truth"
        score_truth.mkdir(exist_ok=True)
        for old in score_truth.glob("*.json"):
            old.unlink()

    by_form: dict[str, Tally] = {}
    per_doc = []
    for d in docs:
        truth = json.loads((truth_dir / f"{d['name']}.json").read_text(encoding="utf-8"))
        if score_truth != truth_dir:
            (score_truth / f"{d['name']}.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
        out, secs, err = run_extract(corpus / d["file"])
        target = out_dir / f"{d['name']}.json"
        if out is not None:
            target.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        elif target.exists():
            target.unlink()
        t = score.score_one(truth, out, Tally())
        t.seconds = secs
        t.tmpl_ok = int(out is not None and str(out.get("template")) == str(truth.get("template")))
        t.year_ok = int(out is not None and str(out.get("year")) == str(truth.get("year")))
        if err:
            t.errors.append(f"{d['name']}: {err}")
        form = d["form"]
        by_form.setdefault(form, Tally()).add(t)
        per_doc.append((d, t, err))
        if args.per_doc:
            print(f"{d['name']:<28} {form:<9} acc={t.accuracy:.3f} wrong={t.wrong} silent={t.silent} "
                  f"flagged={t.flagged} {secs:.2f}s{'  ERROR ' + err if err else ''}", flush=True)

    total = Tally()
    for form in sorted(by_form, key=lambda f: FORMS.index(f) if f in FORMS else 99):
        total.add(by_form[form])
    rows = [(f, by_form[f]) for f in sorted(by_form, key=lambda f: FORMS.index(f) if f in FORMS else 99)]
    rows.append(("**overall**", total))
    print(table(rows))
    print(f"\noutputs: {out_dir}   score again with: gxextract score {score_truth} {out_dir}")
    errors = [e for _, t in rows[:-1] for e in t.errors]
    if errors:
        print(f"extract failed on {len(errors)} documents (counted as no output):")
        kinds: dict[str, int] = {}
        for e in errors:
            name, msg = e.split(": ", 1)
            key = msg.replace(name, "FILE")[:100]
            kinds[key] = kinds.get(key, 0) + 1
        for k, n in sorted(kinds.items(), key=lambda x: -x[1]):
            print(f"  {n} × {k}")
    print(total.lines()[-1])
    if args.json:
        args.json.write_text(json.dumps({name: _as_dict(t) for name, t in rows}, indent=1), encoding="utf-8")
    return 0


def _as_dict(t: Tally) -> dict:
    return {"docs": t.docs, "no_output": t.no_output, "accuracy": t.accuracy, "exact_docs": t.exact_docs,
            "silent_errors": t.silent, "catch": t.catch, "review": t.review, "template_ok": t.tmpl_ok,
            "year_ok": t.year_ok, "seconds_per_doc": t.seconds / t.docs if t.docs else 0.0}


if __name__ == "__main__":
    sys.exit(main())
