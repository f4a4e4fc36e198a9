"""The prose as a second witness, measured on reports whose prose restates their truth.

    python -m benchmarks.narrative                       # a fresh corpus: 80 documents, seed 7
    python -m benchmarks.narrative --corpus fixtures/narrative
    python -m benchmarks.narrative --n 40 --real fixtures/webtext   # and real reports with truth
    python -m benchmarks.narrative --n 20 --forms pdf-scan          # scans: the prose OCR reads

The corpus is made by ``python -m benchmarks.corpus.generate --narrative`` in the forms text (web
text), HTML, DOCX and PDF (``--forms``: others, e.g. pdf-scan). Printed: statements generated and
read; mapped onto the right expression (target ≥ 99 %); deliberate disagreements reported as warnings
(target: all); false reports (a statement said to fail whose fields were read right; target 0);
misreads caught (a statement that fails because a table cell of it was read wrong); fields whose
value the narrative step changed (target 0); the fees fields read right; and the time of the
narrative step against the whole ``extract`` of the text PDFs (target < 5 %).

The prose as evidence (``gxextract.witness``), per form and for the ``--real`` reports: the share of
fields to review without the narrative step and with it, the silent errors (a wrong value not to
review) without and with it (target: none added), fields confirmed (and of them wrong: silent errors
the evidence made), fields lowered by a statement that fails (and of them misread), and repairs the
prose confirmed (and of them right).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from gxextract import narrative, pipeline
from gxextract.models import Report, Statement
from gxextract.normalize import fold_width
from gxextract.readers import read
from gxextract.score import same

from .corpus.generate import generate

FORMS = ["pdf", "html", "docx", "webtext"]


def _key(text: str) -> str:
    return re.sub(r"[\s。，,；;]", "", fold_width(text))


def match(expected: list[dict], found: list[Statement]) -> list[tuple[dict, Statement | None]]:
    """Each generated statement with the one read from its clause (same number), in order."""
    pairs, used = [], set()
    for e in expected:
        hit = next((i for i, s in enumerate(found) if i not in used and s.value == e["value"]
                    and _key(e["clause"]) in _key(s.phrase)), None)
        if hit is not None:
            used.add(hit)
        pairs.append((e, None if hit is None else found[hit]))
    return pairs


def _read(path: Path) -> tuple[Report, Report, float, float]:
    """The report without the narrative step and with it, the time of the whole and of the step."""
    t0 = time.perf_counter()
    doc = read(path)
    with mock.patch.object(pipeline, "attach", lambda report, statements: report):
        base = pipeline.extract_document(doc)
    t1 = time.perf_counter()
    report = narrative.attach(base, narrative.read_statements(doc))
    t2 = time.perf_counter()
    return base, report, t2 - t0, t2 - t1


def evidence(base: Report, report: Report, truth: dict) -> dict:
    """What the prose as evidence did to the fields that have a truth: review and silent errors
    without and with it, fields confirmed and lowered, repairs confirmed."""
    want = truth["fields"]
    ids = [f for f in base.fields if f in want]

    def wrong(r: Report, f: str) -> bool:
        return not same(r.fields[f].value, want[f])

    def flagged(r: Report, flag: str) -> list[str]:
        return [f for f in ids if flag in r.fields[f].flags]

    confirmed, lowered, repairs = (flagged(report, x) for x in ("prose_confirmed", "prose_disagrees", "prose_agrees"))
    return {"fields": len(ids),
            "review_without": sum(base.fields[f].needs_review for f in ids),
            "review_with": sum(report.fields[f].needs_review for f in ids),
            "silent_without": sum(not base.fields[f].needs_review and wrong(base, f) for f in ids),
            "silent_with": sum(not report.fields[f].needs_review and wrong(report, f) for f in ids),
            "confirmed": len(confirmed), "confirmed_wrong": sum(wrong(report, f) for f in confirmed),
            "lowered": len(lowered), "lowered_misread": sum(wrong(report, f) for f in lowered),
            "repairs": len(repairs), "repairs_right": sum(same(report.fields[f].proposed, want[f]) for f in repairs),
            "changed": sum(report.fields[f].value != b.value for f, b in base.fields.items())}


def measure(path: Path, truth: dict) -> dict:
    """One document's counts and times."""
    base, report, whole, step = _read(path)
    expected = truth["narrative"]["statements"]
    pairs = match(expected, report.narrative)
    right = sum(s is not None and set(s.fields) == set(e["fields"]) for e, s in pairs)
    disagree = [(e, s) for e, s in pairs if e["holds"] is False and s is not None and s.table is not None]
    unchecked = sum(e["holds"] is False for e, _ in pairs) - len(disagree)
    reported = sum(s is not None and s.holds is False and any(s.text in w for w in report.warnings)
                   for _, s in disagree)
    deliberate = {id(s) for e, s in disagree}
    failing = [s for s in report.narrative if s.holds is False and id(s) not in deliberate]
    misread = [s for s in failing if any(report.fields[f].value != truth["fields"].get(f) for f in s.fields)]
    fees = [f for f in ("fees.processing.cases", "fees.processing.amount")
            if f in report.fields and report.fields[f].value == truth["fields"][f]]
    misses = [(e["clause"], e["fields"], s and s.fields) for e, s in pairs
              if s is None or set(s.fields) != set(e["fields"])]
    return {"statements": len(expected), "read": sum(s is not None for _, s in pairs), "right": right,
            "disagree": len(disagree), "reported": reported,
            "false": len(failing) - len(misread), "caught": len(misread), "unchecked": unchecked,
            "fees": len(fees), "extract": whole, "narrative": step, "misses": misses,
            **evidence(base, report, truth)}


EVIDENCE = ["fields", "review_without", "review_with", "silent_without", "silent_with", "confirmed",
            "confirmed_wrong", "lowered", "lowered_misread", "repairs", "repairs_right", "changed"]


def _print_evidence(name: str, rows: list[dict]) -> None:
    t = {k: sum(r[k] for r in rows) for k in EVIDENCE}
    n = t["fields"] or 1
    print(f"  {name}: {len(rows)} documents, {t['fields']} fields; to review {t['review_without']} "
          f"({t['review_without'] / n:.2%}) → {t['review_with']} ({t['review_with'] / n:.2%}); "
          f"silent errors {t['silent_without']} → {t['silent_with']}; confirmed {t['confirmed']} "
          f"({t['confirmed_wrong']} wrong); lowered {t['lowered']} ({t['lowered_misread']} misread); "
          f"repairs confirmed {t['repairs']} ({t['repairs_right']} right); values changed {t['changed']}")


def real(folder: Path) -> list[dict]:
    """The evidence figures of every report in ``folder`` with a truth in ``folder/truth``."""
    rows = []
    for truth_path in sorted((folder / "truth").glob("*.json")):
        path = next(p for p in folder.iterdir() if p.is_file() and p.stem == truth_path.stem)
        base, report, _, _ = _read(path)
        rows.append(evidence(base, report, json.loads(truth_path.read_text(encoding="utf-8"))))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="a corpus made with --narrative (default: a fresh one)")
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--forms", nargs="+", default=FORMS, help=f"forms of the fresh corpus (default: {' '.join(FORMS)})")
    ap.add_argument("--real", type=Path, action="append", default=[],
                    help="a folder of reports with truth/<name>.json: the evidence figures on them too")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp)
            generate(corpus, args.n, args.seed, args.forms, log=lambda _: None, narrative=True)
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        rows = []
        for d in manifest["documents"]:
            truth = json.loads((corpus / "truth" / f"{d['name']}.json").read_text(encoding="utf-8"))
            rows.append((d["form"], measure(corpus / d["file"], truth)))
    total = {k: sum(r[k] for _, r in rows) for k in ("statements", "read", "right", "disagree", "reported", "false",
                                                   "caught", "unchecked", "changed", "fees")}
    pdf = [r for form, r in rows if form == "pdf"]
    share = sum(r["narrative"] for r in pdf) / sum(r["extract"] for r in pdf) if pdf else 0.0
    forms = sorted({form for form, _ in rows})
    print(f"documents: {len(rows)} ({', '.join(f'{f} {sum(x == f for x, _ in rows)}' for f in forms)})")
    print(f"statements generated: {total['statements']}, read: {total['read']}")
    print(f"mapped to the right expression: {total['right']} ({total['right'] / total['statements']:.2%})")
    print(f"deliberate disagreements reported: {total['reported']}/{total['disagree']} "
          f"(and {total['unchecked']} unchecked: a cell of theirs not read)")
    print(f"false reports: {total['false']}")
    print(f"table cells misread, caught by a statement that fails: {total['caught']}")
    print(f"fields whose value changed: {total['changed']}")
    print(f"fees fields read right: {total['fees']}/{2 * len(rows)}")
    print(f"narrative step / extract of the text PDFs: {share:.2%} ({len(pdf)} PDFs)")
    print("the prose as evidence (to review, silent errors: without → with the narrative step):")
    for form in forms:
        _print_evidence(form, [r for f, r in rows if f == form])
    for folder in args.real:
        _print_evidence(str(folder), real(folder))
    for _, r in rows:
        for miss in r["misses"]:
            print("  not mapped right:", *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
