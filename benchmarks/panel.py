"""Panel benchmark: a batch output of many bodies' series of reports, with known breaks.

    .venv/bin/python -m benchmarks.panel [--bodies 2000] [--years 5] [--seed 7] [--out DIR]
    .venv/bin/python -m benchmarks.panel --rendered 12 [--seed 11] [--workers 2] [--executor ray]

A real report of the default corpus is extracted once; its record is copied into a batch output
folder (``reports.jsonl``, as `gxextract batch` writes it) for BODIES bodies over YEARS
consecutive years each (2019–2020 in the gov2019 form, 2021 on in gov2021), with stocks and
carry-overs that agree from year to year, some bodies' names printed another way (traditional
script, spaces, 人民政府办公室 for 人民政府), a few re-published years (duplicates), and about
one series in five with a break (a carry-over that does not follow). The batch's tables are
written from it as a batch does at its end; then `gxextract.panel` builds the panel from
``fields.parquet`` and evaluates the cross-year relations.

Printed: reports, bodies found against bodies made (names grouped right), breaks found against
breaks made (every one found, none false), the fields the breaks flag, and the seconds to find
the cross-year notes and to build and write the panel.
Targets: every break found, zero false breaks, names grouped right; 10,000 reports in < 30 s.

``--rendered N``: end to end instead, on documents: a series of N bodies rendered as HTML, Word and
PDF reports (`benchmarks.corpus.series`), ``gxextract batch`` over them (its names file in the
output folder), then the breaks found against the deliberate ones, the bodies, and the fields
flagged for review that are wrong against the truth (silent errors: none wanted).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = {"gov2019": ROOT / "fixtures" / "text" / "tabs_0_gov2019.txt",
          "gov2021": ROOT / "fixtures" / "text" / "tabs_1_gov2021.txt"}
COLUMNS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
TARGET_SECONDS = 30.0
BREAK_SHARE = 0.05


def _record(template: str) -> dict:
    from gxextract import extract

    return json.loads(extract(SAMPLE[template]).model_dump_json())


def _series(rng: random.Random, body: int, years: int, samples: dict[str, dict]) -> tuple[list[dict], int, str]:
    """One body's reports, how many breaks were made in them, and its name."""
    from .corpus.series import spelling

    number = "".join("零一二三四五六七八九"[int(d)] for d in str(body))  # never read as a year
    name = f"{number}县人民政府" if body % 3 == 0 else f"{number}市第{'一二三四五六七'[body % 7]}局"
    carried = {c: rng.randint(0, 30) for c in COLUMNS}
    stock = {k: rng.randint(0, 50) for k in ("regulations", "normative_docs")}
    items = {k: rng.randint(0, 40) for k in ("licensing", "other_services", "penalty", "coercion", "fees")}
    out, breaks = [], 0
    break_year = 2020 + rng.randrange(years - 1) if rng.random() < BREAK_SHARE * (years - 1) else None
    for year in range(2019, 2019 + years):
        template = "gov2019" if year < 2021 else "gov2021"
        rec = json.loads(json.dumps(samples[template]))
        rec["document"] = f"{body:06d}-{year}"
        rec["batch"] = {"path": f"reports/{body}/{year}.pdf", "processed_at": "2026-01-01T00:00:00Z"}
        rec["agency"], rec["year"], rec["template"] = spelling(name, rng), year, template
        fields = rec["fields"]
        for c in COLUMNS:
            fields[f"requests.carried_over.{c}"]["value"] = carried[c] + (1 if year == break_year and c == "total" else 0)
            carried[c] = rng.randint(0, 30)
            fields[f"requests.carried_forward.{c}"]["value"] = carried[c]
        if template == "gov2019":
            for k in items:
                change = rng.randint(-min(3, items[k]), 3)
                fields[f"active.{k}.prev_count"]["value"], fields[f"active.{k}.change"]["value"] = items[k], change
                items[k] += change
        if template == "gov2021":
            for k in stock:
                issued, repealed = rng.randint(0, 5), rng.randint(0, min(3, stock[k]))
                stock[k] += issued - repealed
                fields[f"active.{k}.issued"]["value"], fields[f"active.{k}.repealed"]["value"] = issued, repealed
                fields[f"active.{k}.in_force"]["value"] = stock[k]
        breaks += year == break_year
        out.append(rec)
    if rng.random() < 0.02:  # a re-publication of one year: checked against its neighbours like the first copy
        again = json.loads(json.dumps(rng.choice(out)))
        again["document"] += "-bis"
        out.append(again)
        breaks += sum(1 for r in out[:-1] if r["year"] == again["year"] + 1 and r["year"] == break_year)
        breaks += again["year"] == break_year
    return out, breaks, name


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bodies", type=int, default=2000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--rendered", type=int, metavar="BODIES", help="end to end on a rendered series of BODIES bodies")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executor", choices=["local", "ray"], default="local")
    a = ap.parse_args(argv)
    from gxextract.cross_year import BROKEN, table_notes
    from gxextract.outputs.latest import scan
    from gxextract.outputs.tables import write_tables
    from gxextract.panel import body_name, make_panel, write
    from gxextract.templates import cross_year

    out = a.out or Path(tempfile.mkdtemp(prefix="gx-panel-"))
    out.mkdir(parents=True, exist_ok=True)
    if a.rendered:
        return rendered(a.rendered, a.seed, out, a.workers, a.executor)
    rng = random.Random(a.seed)
    samples = {t: _record(t) for t in SAMPLE}
    made_breaks, names = 0, set()
    with open(out / "reports.jsonl", "w", encoding="utf-8") as fh:
        for body in range(a.bodies):
            records, breaks, name = _series(rng, body, a.years, samples)
            made_breaks += breaks
            names.add(body_name(name))
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    reports = sum(1 for _ in open(out / "reports.jsonl", encoding="utf-8"))
    latest = scan(out, collect_fields=True)  # as the batch ends: the journal read once
    t = time.perf_counter()
    notes = table_notes(out, latest, None)
    noting = time.perf_counter() - t
    t = time.perf_counter()
    write_tables(out, latest, write_json=False, notes=notes)  # the batch's own tables, the notes in them
    tables = time.perf_counter() - t
    t = time.perf_counter()
    panel = make_panel(out)
    write(out, panel)
    seconds = noting + time.perf_counter() - t
    broken = [c for c in panel.cross_year if not c["holds"]]
    bodies = {r.body for r in panel.rows}
    arity = {r.name: len(r.fields) for r in cross_year()}
    flagged = sum(n.flag.startswith(BROKEN + ":") for doc in notes.values() for f in doc.values() for n in f)
    print(f"{reports} reports of {a.bodies} bodies over {a.years} years, in {out}")
    print(f"bodies found   {len(bodies)} (made {len(names)}; grouped right: {bodies == names})")
    print(f"breaks found   {len(broken)} (made {made_breaks}; every one found and none false: "
          f"{len(broken) == made_breaks})")
    print(f"fields flagged cross_year {flagged} (every field of every break, in both reports: "
          f"{flagged == sum(arity[c['relation']] for c in broken)})")
    print(f"cross-year relations evaluated {len(panel.cross_year)}; duplicates marked "
          f"{sum(r.duplicate for r in panel.rows)}")
    print(f"the batch's tables (fields.parquet …) written in {tables:.1f} s, as every batch does")
    print(f"cross-year notes found in {noting:.1f} s; with the panel built and written {seconds:.1f} s "
          f"(target < {TARGET_SECONDS:.0f} s for 10,000 reports: "
          f"{'met' if seconds * 10_000 / max(reports, 1) < TARGET_SECONDS else 'not met'})")
    return 0 if len(broken) == made_breaks and bodies == names else 1


def rendered(bodies: int, seed: int, out: Path, workers: int, executor: str) -> int:
    """The end-to-end run on rendered documents (``--rendered``)."""
    import shutil

    from gxextract.batch import BatchOptions, run_batch
    from gxextract.panel import NAMES, make_panel

    from .corpus.series import expected_breaks, generate

    series = generate(out / "series", bodies, seed, log=lambda _: None)
    result = out / "out"
    result.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out / "series" / "names.csv", result / NAMES)
    t = time.perf_counter()
    run_batch(BatchOptions(inputs=[str(out / "series" / d["file"]) for d in series["documents"]], out=result,
                           workers=workers, executor=executor, quiet=True))
    seconds = time.perf_counter() - t
    panel = make_panel(result)
    file = {r.document: Path(r.path).name for r in panel.rows}
    found = {(c["body"], c["year"], c["relation"], file[c["document"]], file[c["previous_document"]])
             for c in panel.cross_year if not c["holds"]}
    want = expected_breaks(series)
    where = {d["file"]: (d["body"], d["year"]) for d in series["documents"]}
    grouped = {file[r.document]: (r.body, r.year) for r in panel.rows} == where
    rows = pq.read_table(result / "fields.parquet", columns=["path", "field", "value", "needs_review"]).to_pylist()
    truth = {d["file"]: json.loads((out / "series" / "truth" / f"{Path(d['file']).stem}.json").read_text(
        encoding="utf-8"))["fields"] for d in series["documents"]}
    silent = sum(1 for r in rows if not r["needs_review"] and r["field"] in truth[Path(r["path"]).name]
                 and r["value"] != truth[Path(r["path"]).name][r["field"]])
    print(f"{len(series['documents'])} documents of {bodies} bodies ({executor}, {workers} workers), "
          f"batch {seconds:.0f} s, in {out}")
    print(f"bodies grouped right: {grouped}; duplicates marked {sum(r.duplicate for r in panel.rows)}")
    print(f"breaks found   {len(found)} (deliberate {len(want)}; missed {len(want - found)}, "
          f"false {len(found - want)})")
    print(f"silent errors  {silent} of {len(rows)} fields")
    return 0 if found == want and grouped and not silent else 1


if __name__ == "__main__":
    sys.exit(main())
