"""Panel benchmark: a batch output of many bodies' series of reports, with known breaks.

    .venv/bin/python -m benchmarks.panel [--bodies 2000] [--years 5] [--seed 7] [--out DIR]

A real report of the default corpus is extracted once; its record is copied into a batch output
folder (``reports.jsonl``, as `gxextract batch` writes it) for BODIES bodies over YEARS
consecutive years each (2019–2020 in the gov2019 form, 2021 on in gov2021), with stocks and
carry-overs that agree from year to year, some bodies' names printed another way (traditional
script, spaces, 人民政府办公室 for 人民政府), a few re-published years (duplicates), and about
one series in five with a break (a carry-over that does not follow). The batch's tables are
written from it as a batch does at its end; then `gxextract.panel` builds the panel from
``fields.parquet`` and evaluates the cross-year relations.

Printed: reports, bodies found against bodies made (names grouped right), breaks found against
breaks made (every one found, none false), and the seconds to build and write the panel.
Targets: every break found, zero false breaks, names grouped right; 10,000 reports in < 30 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = {"gov2019": ROOT / "fixtures" / "text" / "tabs_0_gov2019.txt",
          "gov2021": ROOT / "fixtures" / "text" / "tabs_1_gov2021.txt"}
COLUMNS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
TARGET_SECONDS = 30.0
BREAK_SHARE = 0.05


def _record(template: str) -> dict:
    from gxextract import extract

    return json.loads(extract(SAMPLE[template]).model_dump_json())


def _spelling(name: str, rng: random.Random) -> str:
    """The body's name as another report of it prints it."""
    from opencc import OpenCC

    how = rng.choice(["traditional", "spaces", "office", "same"])
    if how == "traditional":
        return OpenCC("s2t").convert(name)
    if how == "spaces":
        return name[:2] + " " + name[2:]
    if how == "office" and name.endswith("人民政府"):
        return name + "办公室"
    return name


def _series(rng: random.Random, body: int, years: int, samples: dict[str, dict]) -> tuple[list[dict], int, str]:
    """One body's reports, how many breaks were made in them, and its name."""
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
        rec["agency"], rec["year"], rec["template"] = _spelling(name, rng), year, template
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
    a = ap.parse_args(argv)
    from gxextract.batch.outputs import scan, write_tables
    from gxextract.panel import body_name, make_panel, write

    out = a.out or Path(tempfile.mkdtemp(prefix="gx-panel-"))
    out.mkdir(parents=True, exist_ok=True)
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
    t = time.perf_counter()
    write_tables(out, scan(out, collect_fields=True), write_json=False)  # the batch's own tables, as it ends
    tables = time.perf_counter() - t
    t = time.perf_counter()
    panel = make_panel(out)
    write(out, panel)
    seconds = time.perf_counter() - t
    found = sum(1 for c in panel.cross_year if not c["holds"])
    bodies = {r.body for r in panel.rows}
    print(f"{reports} reports of {a.bodies} bodies over {a.years} years, in {out}")
    print(f"bodies found   {len(bodies)} (made {len(names)}; grouped right: {bodies == names})")
    print(f"breaks found   {found} (made {made_breaks}; every one found and none false: {found == made_breaks})")
    print(f"cross-year relations evaluated {len(panel.cross_year)}; duplicates marked "
          f"{sum(r.duplicate for r in panel.rows)}")
    print(f"the batch's tables (fields.parquet …) written in {tables:.1f} s, as every batch does")
    print(f"panel built and written in {seconds:.1f} s (target < {TARGET_SECONDS:.0f} s for 10,000 reports: "
          f"{'met' if seconds * 10_000 / max(reports, 1) < TARGET_SECONDS else 'not met'})")
    return 0 if found == made_breaks and bodies == names else 1


if __name__ == "__main__":
    sys.exit(main())
