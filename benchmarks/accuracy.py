"""Accuracy benchmark: run `gxextract.extract` over a corpus with known truth.

    python -m benchmarks.accuracy [CORPUS] [--out OUTDIR] [--per-doc] [--limit N] [--forms pdf html ...]

CORPUS (default fixtures/corpus) holds the documents, ``truth/NAME.json`` and ``manifest.json``
(without a manifest, every file with a truth of the same stem is taken). Each document's
output JSON is written to ``OUTDIR/NAME.json`` (default: a fresh temporary folder), so that

    python benchmarks/score.py CORPUS/truth OUTDIR

scores the same files. The table gives, per input form and overall: documents, field accuracy,
documents with every field right, wrong fields not flagged (silent errors), share of fields
flagged, template and year accuracy, seconds per document. A document on which `extract`
raises counts as a document with no output. The overall figures are computed exactly as
score.py computes them, and checked against score.py itself.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import score as score_py
from .score import same

ROOT = Path(__file__).resolve().parents[1]
FORMS = ["pdf", "pdf-scan", "png", "jpeg", "tiff", "image", "pdftext", "pdflayout", "pdftotext", "html", "webtext",
         "docx", "text", "markdown", "mdmoved"]


@dataclass
class Tally:
    docs: int = 0
    no_output: int = 0
    exact_docs: int = 0
    fields: int = 0
    correct: int = 0
    wrong: int = 0
    wrong_flagged: int = 0
    flagged: int = 0
    meta_ok: int = 0
    meta_n: int = 0
    tmpl_ok: int = 0
    year_ok: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for k in ("docs", "no_output", "exact_docs", "fields", "correct", "wrong", "wrong_flagged", "flagged",
                  "meta_ok", "meta_n", "tmpl_ok", "year_ok", "seconds"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.errors += other.errors

    @property
    def accuracy(self) -> float:
        return self.correct / self.fields if self.fields else 0.0

    @property
    def catch(self) -> float:
        return self.wrong_flagged / self.wrong if self.wrong else 1.0

    @property
    def review(self) -> float:
        return self.flagged / self.fields if self.fields else 0.0

    @property
    def silent(self) -> int:
        return self.wrong - self.wrong_flagged


def score_one(truth: dict, out: dict | None) -> Tally:
    """One document's tally, field by field as score.py counts it."""
    t = Tally(docs=1)
    present = out is not None
    if out is None:
        t.no_output = 1
        out = {"fields": {}}
    fields = out.get("fields") or {}
    for key in ("template", "year"):
        t.meta_n += 1
        t.meta_ok += str(out.get(key)) == str(truth.get(key))
    doc_wrong = 0
    for fid, tv in truth.get("fields", {}).items():
        t.fields += 1
        got = fields.get(fid) or {}
        ok = same(got.get("value"), tv) if fid in fields else False
        review = bool(got.get("needs_review", fid not in fields))
        t.flagged += review
        if ok:
            t.correct += 1
        else:
            t.wrong += 1
            doc_wrong += 1
            t.wrong_flagged += review
    t.exact_docs = int(present and doc_wrong == 0)
    return t


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


def load_score_module():
    """score.py, the scorer every figure is checked against, and its path."""
    return score_py, Path(score_py.__file__)


def score_py_figures(truth_dir: Path, out_dir: Path) -> dict:
    """Run score.py's own main on the folders and parse its lines."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        score_py.main(["score.py", str(truth_dir), str(out_dir)])
    text = buf.getvalue()
    m = re.search(r"documents: (\d+) \(no output: (\d+), all fields right: (\d+)\)", text)
    f = re.search(r"fields: (\d+), right: (\d+), wrong: (\d+), wrong and unflagged: (\d+)", text)
    s = re.search(r"score: accuracy=([\d.]+) catch=([\d.]+) review=([\d.]+) silent_errors=(\d+)", text)
    ty = re.search(r"template\+year right: (\d+)/(\d+)", text)
    return {"docs": int(m[1]), "no_output": int(m[2]), "exact_docs": int(m[3]), "fields": int(f[1]),
            "correct": int(f[2]), "wrong": int(f[3]), "silent": int(f[4]), "accuracy": float(s[1]),
            "catch": float(s[2]), "review": float(s[3]), "meta_ok": int(ty[1]), "meta_n": int(ty[2]), "text": text}


def check_agreement(total: Tally, figures: dict) -> list[str]:
    mine = {"docs": total.docs, "no_output": total.no_output, "exact_docs": total.exact_docs,
            "fields": total.fields, "correct": total.correct, "wrong": total.wrong, "silent": total.silent,
            "meta_ok": total.meta_ok, "meta_n": total.meta_n,
            "accuracy": round(total.accuracy, 4), "catch": round(total.catch, 4), "review": round(total.review, 4)}
    return [f"{k}: benchmark {v} != score.py {figures[k]}" for k, v in mine.items()
            if (abs(v - figures[k]) > 1e-4 if isinstance(v, float) else v != figures[k])]


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
    # score.py walks a truth folder: give it exactly the documents benchmarked
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
        t = score_one(truth, out)
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
    print(f"\noutputs: {out_dir}   score with: python {load_score_module()[1]} {score_truth} {out_dir}")
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
    figures = score_py_figures(score_truth, out_dir)
    status = 0
    problems = check_agreement(total, figures)
    if problems:
        print("DISAGREES with score.py:\n  " + "\n  ".join(problems))
        status = 1
    else:
        print("agrees with score.py: " + figures["text"].strip().splitlines()[-1])
    if args.json:
        args.json.write_text(json.dumps({name: _as_dict(t) for name, t in rows}, indent=1), encoding="utf-8")
    return status


def _as_dict(t: Tally) -> dict:
    return {"docs": t.docs, "no_output": t.no_output, "accuracy": t.accuracy, "exact_docs": t.exact_docs,
            "silent_errors": t.silent, "catch": t.catch, "review": t.review, "template_ok": t.tmpl_ok,
            "year_ok": t.year_ok, "seconds_per_doc": t.seconds / t.docs if t.docs else 0.0}


if __name__ == "__main__":
    sys.exit(main())
