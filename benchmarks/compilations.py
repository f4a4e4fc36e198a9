"""Compilations (年报汇编): every report found, none lost and none invented, each as accurate as alone.

    python -m benchmarks.compilations [--seed S] [--forms webtext pdftext html docx pdf] [--sizes 2 5 12 30]
                                      [--singles] [--fixtures DIR]

For each form and size a compilation is built (`benchmarks.corpus.compilation`: corpus reports of
gov2019 and gov2021 drawn at random, the text forms with the 2018 table among them half the time), read
with ``extract_all``, and each report also read alone in the same form and options with ``extract``.
Printed per form: compilations, reports printed, found, lost, invented, field accuracy and silent
errors of the reports in the compilations and of the same reports alone, and reports whose body or
year was read wrong. Reports are matched to the truth in order when as many were found as printed,
else by body and year.

``--singles`` also counts what `gxextract.compilations.split` makes of every single-report input of
the project (fixtures/seeds, text, webtext, converter, pdf, corpus, narrative, ocr, and one document
of every form the corpus generator renders): nothing may be split. ``--fixtures DIR`` writes small
compilations with their truth (fixtures/compilations).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks.corpus.compilation import EXT, FORMS, TEXT_FORMS, build
from gxextract import GxError, extract, extract_all
from gxextract.score import Tally, score_one

ROOT = Path(__file__).resolve().parents[1]
SINGLES = ["seeds", "text", "webtext", "converter", "pdf", "corpus", "narrative", "ocr"]
GENERATED = ["pdf", "pdf-scan", "png", "jpeg", "tiff", "html", "docx", "webtext", "pdftext", "pdflayout", "pdftotext",
             "mdmoved"]


def _match(parts: list[dict], truths: list[dict]) -> list[tuple[dict, dict | None]]:
    """(truth, its report or None): in order when as many were found as printed, else by body and year."""
    if len(parts) == len(truths):
        return list(zip(truths, parts))
    left = list(parts)
    out = []
    for t in truths:
        hit = next((p for p in left if (p["agency"], p["year"]) == (t["agency"], t["year"])), None)
        if hit is not None:
            left.remove(hit)
        out.append((t, hit))
    return out


def _alone(data: bytes) -> dict | None:
    try:
        return extract(data).to_dict()
    except GxError:
        return None


def run(seed: int, forms: list[str], sizes: list[int], log=print) -> dict:
    rows = {}
    for form in forms:
        r = dict(compilations=0, printed=0, found=0, lost=0, invented=0, meta_wrong=0, seconds=0.0)
        inside, alone = Tally(), Tally()
        for k, n in enumerate(sizes):
            c = build(seed, k, n, form, legacy=k % 2 == 0)
            start = time.perf_counter()
            try:
                parts = [p.to_dict() for p in extract_all(c.data)]
            except GxError as exc:
                log(f"  {form} n={n}: {exc.code}: {exc}")
                parts = []
            r["seconds"] += time.perf_counter() - start
            pairs = _match(parts, c.truths)
            r["compilations"] += 1
            r["printed"] += len(c.truths)
            r["found"] += sum(p is not None for _, p in pairs)
            r["lost"] += sum(p is None for _, p in pairs)
            r["invented"] += len(parts) - sum(p is not None for _, p in pairs)
            for (truth, part), data in zip(pairs, c.alone):
                score_one(truth, part, inside)
                score_one(truth, _alone(data), alone)
                if part is not None and (part["agency"], part["year"]) != (truth["agency"], truth["year"]):
                    r["meta_wrong"] += 1
                    log(f"  {form} n={n}: read {part['agency']} {part['year']} for {truth['agency']} {truth['year']}")
        r.update(accuracy=inside.accuracy, silent=inside.silent, review=inside.review,
                 accuracy_alone=alone.accuracy, silent_alone=alone.silent, review_alone=alone.review)
        rows[form] = r
        log(f"{form:<9} {r['compilations']:>3} {r['printed']:>7} {r['found']:>6} {r['lost']:>5} {r['invented']:>8} "
            f"{r['accuracy']:>8.2%} {r['silent']:>6} {r['review']:>7.1%} {r['accuracy_alone']:>8.2%} "
            f"{r['silent_alone']:>6} {r['review_alone']:>7.1%} {r['meta_wrong']:>5} {r['seconds']:>7.1f}")
    return rows


HEAD = (f"{'form':<9} {'cmp':>3} {'printed':>7} {'found':>6} {'lost':>5} {'invented':>8} {'accuracy':>8} "
        f"{'silent':>6} {'review':>7} {'alone':>8} {'silent':>6} {'review':>7} {'meta':>5} {'seconds':>7}")


def singles(seed: int, log=print) -> tuple[int, int]:
    """(single-report inputs read, how many were split): the project's fixtures and one generated
    document of every form."""
    from benchmarks.corpus.generate import make_document
    from gxextract.compilations import split
    from gxextract.readers import read

    inputs: list[tuple[str, bytes]] = []
    for folder in SINGLES:
        for p in sorted((ROOT / "fixtures" / folder).glob("*")):
            if p.is_file() and p.suffix not in (".json", ".md"):
                inputs.append((f"{folder}/{p.name}", p.read_bytes()))
    for i, form in enumerate(GENERATED):
        name, data, _ = make_document(i, seed, form)
        inputs.append((f"generated/{name}", data))
    read_, split_ = 0, 0
    for name, data in inputs:
        try:
            doc = read(data)
        except GxError:
            continue
        read_ += 1
        if len(parts := split(doc)) > 1:
            split_ += 1
            log(f"  split: {name} into {len(parts)}")
    return read_, split_


def write_fixtures(out: Path, seed: int) -> None:
    """Small compilations with their truth: each form with three reports, the text forms with the 2018 table."""
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for k, form in enumerate(f for f in FORMS if f != "pdf-scan"):
        c = build(seed, k, 3, form, legacy=form in TEXT_FORMS)
        name = f"{form}_{len(c.truths)}"
        (out / f"{name}.{EXT[form]}").write_bytes(c.data)
        parts = [{k: t[k] for k in ("template", "year", "agency", "fields")} for t in c.truths]
        (out / "truth" / f"{name}.json").write_text(json.dumps({"parts": parts}, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--forms", nargs="*", default=[f for f in FORMS if f != "pdf-scan"], choices=FORMS)
    ap.add_argument("--sizes", nargs="*", type=int, default=[2, 5, 12, 30])
    ap.add_argument("--singles", action="store_true")
    ap.add_argument("--fixtures", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.fixtures:
        write_fixtures(args.fixtures, args.seed)
        return 0
    print(HEAD)
    rows = run(args.seed, args.forms, args.sizes)
    result = {"seed": args.seed, "sizes": args.sizes, "forms": rows}
    if args.singles:
        n, split_ = singles(args.seed)
        print(f"single-report inputs: {n} read, {split_} split")
        result["singles"] = {"read": n, "split": split_}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
