"""Calibration of `FieldResult.confidence`: is a field as often right as its confidence says?

    python -m benchmarks.calibration [CORPUS...] [--part tune|held|all] [--plot docs/calibration.png]

CORPUS (default fixtures/corpus fixtures/text): folders of documents with ``truth/NAME.json``
beside them (a document is every file whose stem has a truth). Every document is extracted and
every field of its truth compared with the value read (as score.py compares them). Fields are
bucketed by confidence; per bucket the table gives how many fields, how many were right, and
how many were flagged (``needs_review``). Below the table: the fields at confidence ≥ 0.95 and
their accuracy (target ≥ 99.9 %), the share flagged, the silent errors (wrong and not flagged),
and how often a proposal (``proposed``) is the true value, by its ``proposed_confidence``.

The split. A document belongs to the *tune* part when the first hex digit of the sha256 of its
bytes is 0-7, to the *held* part otherwise: a fixed, content-addressed split that does not move
when files are renamed or the corpus grows. The constants of the confidence model (checks.py)
are chosen looking at the tune part only; the held part is the one to report.

A truth field the report lacks counts as wrong, at confidence 0 and flagged (it is missing).
A document on which extract raises is listed and counts none of its fields.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gxextract.score import same

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = [ROOT / "fixtures" / "corpus", ROOT / "fixtures" / "text"]
EDGES = [0.0, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0]
HIGH = 0.95
TARGET = 0.999


def part_of(data: bytes) -> str:
    return "tune" if hashlib.sha256(data).hexdigest()[0] in "01234567" else "held"


def documents(corpus: Path) -> list[tuple[Path, Path]]:
    """(document, truth) pairs of a corpus folder."""
    truths = {p.stem: p for p in (corpus / "truth").glob("*.json")}
    return [(p, truths[p.stem]) for p in sorted(corpus.iterdir())
            if p.is_file() and p.stem in truths and p.suffix != ".json"]


@dataclass
class FieldRow:
    document: str
    form: str
    part: str
    field: str
    confidence: float
    flagged: bool
    right: bool
    flags: list[str]
    proposed: float | None = None
    proposed_confidence: float | None = None
    proposal_right: bool | None = None


def _readers_version() -> str:
    """A hash of the code that turns bytes into a Document (readers, PDF, OCR): the cache key's second half."""
    h = hashlib.sha256()
    src = ROOT / "src" / "gxextract"
    for sub in ("readers", "pdf", "ocr"):
        for p in sorted((src / sub).rglob("*.py")) if (src / sub).is_dir() else []:
            h.update(p.read_bytes())
    for name in ("models.py",):
        h.update((src / name).read_bytes())
    return h.hexdigest()[:16]


def read_cached(path: Path, data: bytes, cache: Path | None):
    """The Document of ``path``; with a cache folder, read once per content: the confidence model
    runs after reading, so tuning it does not need OCR again. A document cached by other reader code
    (readers, PDF, OCR changed since) is read again unless ``GX_CALIBRATION_PIN_READER=1``."""
    from gxextract.models import Document
    from gxextract.readers import read

    if cache is None:
        return read(path)
    version = _readers_version()
    target = cache / f"{hashlib.sha256(data).hexdigest()[:32]}.json"
    if target.exists():
        held = json.loads(target.read_text(encoding="utf-8"))
        if held.get("reader") == version or os.environ.get("GX_CALIBRATION_PIN_READER") == "1":
            return Document.model_validate(held["document"])
    doc = read(path)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"reader": version, "document": doc.model_dump(mode="json")}, ensure_ascii=False),
                   encoding="utf-8")
    os.replace(tmp, target)
    return doc


def score_document(args: tuple[str, str, str | None]) -> tuple[list[dict], str | None]:
    """Extract one document and compare it with its truth (in a worker process)."""
    path, truth_path, cache = Path(args[0]), Path(args[1]), args[2]
    from gxextract.pipeline import extract_document

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    data = path.read_bytes()
    part = part_of(data)
    try:
        report = extract_document(read_cached(path, data, Path(cache) if cache else None))
    except Exception as exc:  # noqa: BLE001 - a failure is reported, not fatal
        return [], f"{path.name}: {type(exc).__name__}: {exc}"
    form = truth.get("form") or report.source.format
    rows = []
    for fid, want in (truth.get("fields") or {}).items():
        f = report.fields.get(fid)
        if f is None:
            rows.append(FieldRow(path.name, form, part, fid, 0.0, True, False, ["absent"]).__dict__)
            continue
        row = FieldRow(path.name, form, part, fid, f.confidence, f.needs_review, same(f.value, want), list(f.flags))
        if f.proposed is not None:
            row.proposed, row.proposed_confidence = f.proposed, f.proposed_confidence
            slip = truth.get("slip") or {}
            # right: the true value of a misread cell, or the consistent value of the body's own slip
            row.proposal_right = same(f.proposed, want) or (
                slip.get("field") == fid and same(f.proposed, slip.get("consistent")))
        rows.append(row.__dict__)
    return rows, None


def collect(corpora: list[Path], jobs: int, cache: Path | None = None) -> tuple[list[FieldRow], list[str]]:
    tasks = [(str(d), str(t), str(cache) if cache else None)
             for c in corpora if (c / "truth").is_dir() for d, t in documents(c)]
    rows: list[FieldRow] = []
    failures: list[str] = []
    if jobs <= 1:
        results = map(score_document, tasks)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(score_document, tasks, chunksize=1)
    for got, failure in results:
        rows.extend(FieldRow(**r) for r in got)
        if failure:
            failures.append(failure)
    return rows, failures


def bucket(conf: float) -> int:
    for i in range(len(EDGES) - 2, -1, -1):
        if conf >= EDGES[i]:
            return i
    return 0


@dataclass
class Summary:
    rows: list[FieldRow] = field(default_factory=list)

    def table(self) -> str:
        lines = ["| confidence | fields | right | accuracy | flagged |", "| --- | ---: | ---: | ---: | ---: |"]
        for i in range(len(EDGES) - 1):
            got = [r for r in self.rows if bucket(r.confidence) == i]
            hi = "]" if i == len(EDGES) - 2 else ")"
            acc = f"{sum(r.right for r in got) / len(got):.4f}" if got else "—"
            lines.append(f"| [{EDGES[i]:.2f}, {EDGES[i + 1]:.2f}{hi} | {len(got)} | {sum(r.right for r in got)} | "
                         f"{acc} | {sum(r.flagged for r in got)} |")
        return "\n".join(lines)

    def figures(self) -> dict:
        n = len(self.rows)
        high = [r for r in self.rows if r.confidence >= HIGH]
        proposals = [r for r in self.rows if r.proposed is not None]
        return {
            "documents": len({r.document for r in self.rows}),
            "fields": n,
            "right": sum(r.right for r in self.rows),
            "high": len(high),
            "high_right": sum(r.right for r in high),
            "high_accuracy": sum(r.right for r in high) / len(high) if high else None,
            "flagged": sum(r.flagged for r in self.rows),
            "flagged_share": sum(r.flagged for r in self.rows) / n if n else None,
            "wrong": sum(not r.right for r in self.rows),
            "silent": sum((not r.right) and not r.flagged for r in self.rows),
            "proposals": len(proposals),
            "proposals_right": sum(bool(r.proposal_right) for r in proposals),
        }

    def text(self, title: str) -> str:
        f = self.figures()
        out = [f"### {title}: {f['documents']} documents, {f['fields']} fields", "", self.table(), ""]
        if f["high"]:
            ok = "meets" if f["high_accuracy"] >= TARGET else "MISSES"
            out.append(f"confidence ≥ {HIGH}: {f['high']} fields, {f['high_right']} right "
                       f"({100 * f['high_accuracy']:.3f} %; {ok} the {100 * TARGET:.1f} % target)")
        if f["fields"]:
            out.append(f"flagged: {f['flagged']} ({100 * f['flagged_share']:.1f} %); wrong: {f['wrong']}; "
                       f"silent errors (wrong, not flagged): {f['silent']}")
        if f["proposals"]:
            by: dict[float | None, list[FieldRow]] = {}
            for r in self.rows:
                if r.proposed is not None:
                    by.setdefault(r.proposed_confidence, []).append(r)
            parts = ", ".join(f"{k}: {sum(bool(r.proposal_right) for r in v)}/{len(v)} right"
                              for k, v in sorted(by.items(), key=lambda kv: kv[0] or 0))
            out.append(f"proposals: {f['proposals']}, {f['proposals_right']} right: the true value of a misread, or the "
                       f"consistent value of the body's own slip (by proposed_confidence: {parts})")
        wrong_high = [r for r in self.rows if r.confidence >= HIGH and not r.right]
        for r in wrong_high[:20]:
            out.append(f"  wrong at {r.confidence}: {r.document} {r.field} flags={r.flags}")
        return "\n".join(out)


def plot(parts: dict[str, Summary], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--", label="perfect calibration")
    for (name, s), colour in zip(parts.items(), ("#1f5fbf", "#d9480f", "#2b8a3e")):
        xs, ys, ns = [], [], []
        for i in range(len(EDGES) - 1):
            got = [r for r in s.rows if bucket(r.confidence) == i]
            if got:
                xs.append(sum(r.confidence for r in got) / len(got))
                ys.append(sum(r.right for r in got) / len(got))
                ns.append(len(got))
        ax.plot(xs, ys, marker="o", color=colour, label=f"{name} ({len(s.rows)} fields)")
        for x, y, n in zip(xs, ys, ns):
            ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7, color=colour)
        counts = [sum(1 for r in s.rows if bucket(r.confidence) == i) for i in range(len(EDGES) - 1)]
        bx.bar([i + (0.4 if name == "held" else 0) for i in range(len(counts))], counts, width=0.4,
               color=colour, label=name)
    ax.axvline(HIGH, color="#bbb", lw=0.8)
    ax.set_xlabel("confidence (mean of the bucket)")
    ax.set_ylabel("share of fields right")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title("Reliability of FieldResult.confidence")
    ax.legend(loc="upper left", fontsize=8)
    bx.set_yscale("log")
    bx.set_xticks(range(len(EDGES) - 1), [f"≥{e:g}" for e in EDGES[:-1]], fontsize=8)
    bx.set_title("fields per confidence bucket")
    bx.legend(fontsize=8)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--part", choices=["tune", "held", "all"], default="all",
                    help="Which part to print (all: both parts and the whole).")
    ap.add_argument("--plot", type=Path, default=ROOT / "docs" / "calibration.png",
                    help="Reliability plot to write (PNG); '-' for none.")
    ap.add_argument("--jobs", "-j", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--rows", type=Path, default=None, help="Also write every field compared as JSON Lines.")
    ap.add_argument("--cache", type=Path, default=None, metavar="DIR",
                    help="Keep each document as read (the Document, JSON) in DIR: re-runs skip reading and "
                         "OCR, for tuning the confidence model. Read again when the reader code changed, "
                         "unless GX_CALIBRATION_PIN_READER=1.")
    args = ap.parse_args(argv)
    rows, failures = collect(args.corpora, args.jobs, args.cache)
    parts = {"tune": Summary([r for r in rows if r.part == "tune"]),
             "held": Summary([r for r in rows if r.part == "held"])}
    shown = {**parts, "all": Summary(rows)} if args.part == "all" else {args.part: parts[args.part]}
    for name, s in shown.items():
        print(s.text({"tune": "tune part (the constants were chosen on it)",
                      "held": "held-apart part (report this)", "all": "whole corpus"}[name]))
        print()
    if failures:
        print(f"{len(failures)} documents failed (no fields counted):")
        for f in failures:
            print("  " + f)
    if args.rows:
        with open(args.rows, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r.__dict__, ensure_ascii=False) + "\n")
    if str(args.plot) != "-":
        plot(parts, args.plot)
        print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
