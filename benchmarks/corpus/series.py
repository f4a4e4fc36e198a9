"""Series of bodies' reports over consecutive years, rendered as documents, with the truth of every
relation across the years.

    python -m benchmarks.corpus.series --out DIR [--bodies 5] [--seed 3]

Each body reports for 3–6 consecutive years (2019–2020 on the gov2019 form, 2021 on gov2021): what
it carries over into a year is what it carried forward out of the year before, 现行有效件数 and
上一年项目数量 are stocks that follow from year to year, and the form's own relations hold in every
report. Then, as real collections have them: names printed another way (traditional script, a
space, 人民政府办公室 for 人民政府), one body renamed part-way (its later reports under a new name that
``names.csv`` maps to the old), one year of a body published twice (again, in another form: a
duplicate), and a few deliberate breaks: a carry-over or a stock that does not follow from the
year before (the report's own relations still hold; the series goes on from the number printed).

Writes ``DIR/NAME.{html,docx,pdf}``, ``DIR/truth/NAME.json`` (as `generate` writes them), ``DIR/names.csv``
and ``DIR/series.json``: each document's file, body (the panel's key for it), year and name as
printed, and ``breaks``: body, year and relation of every deliberate break.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from gxextract.panel import body_name
from gxextract.templates import cross_year

from . import document as D
from .generate import EXT, render, write_truth
from .truth import APPLICANTS, broken_relations, make_truth

FORMS = ("html", "docx", "pdf")
"""Text forms, read exactly: a break found is the series', not a misreading's."""
YEARS = (2019, 2024)
FIRST_GOV2021 = 2021
RENAMES = {"科学技术局": "科学技术和信息化局", "文化广电旅游局": "文化和旅游局", "卫生健康委员会": "卫生健康局",
           "交通运输局": "交通运输和物流局"}
_CITIES = ["吴忠市", "贵阳市", "白银市", "安顺市", "宜宾市", "南平市", "荆门市", "湖州市", "德阳市", "汉中市"]
"""One a body (a district of it after the tenth), so that no two bodies share a name."""
BREAK_SHARE = 0.5
"""Bodies with one deliberate break: enough to find several in a few bodies."""


def spelling(name: str, rng: random.Random) -> str:
    """The body's name as one of its reports prints it: as it is, in traditional script, with a space,
    人民政府办公室 for 人民政府."""
    from opencc import OpenCC

    how = rng.choice(["same", "same", "traditional", "space", "office"])
    if how == "traditional":
        return OpenCC("s2t").convert(name)
    if how == "space":
        return name[:3] + " " + name[3:]
    if how == "office" and name.endswith("人民政府"):
        return name + "办公室"
    return name


def _carry(f: dict, before: dict | None, shift: dict[str, int]) -> None:
    """上年结转 of this year = last year's 结转下年度继续办理 (+ ``shift``), the balance kept."""
    for c in APPLICANTS:
        if before is not None:
            f[f"requests.carried_over.{c}"] = before[f"requests.carried_forward.{c}"] + shift.get(c, 0)
        over, forward = f[f"requests.carried_over.{c}"], f[f"requests.carried_forward.{c}"]
        received = f[f"requests.total.{c}"] + forward - over
        if received < 0:  # more carried over than done and carried forward: carry more forward
            f[f"requests.carried_forward.{c}"] -= received
            received = 0
        f[f"requests.new_received.{c}"] = received
    for row in ("new_received", "carried_over", "carried_forward"):
        f[f"requests.{row}.total"] = sum(f[f"requests.{row}.{c}"] for c in APPLICANTS)


def _stocks(f: dict, before: dict | None, template: str, shift: dict[str, int]) -> None:
    """现行有效件数 (gov2021) and 上一年项目数量 (gov2019) from last year's, of the same form (+ ``shift``)."""
    if before is None:
        return
    if template == "gov2021":
        for k in ("regulations", "normative_docs"):
            stock = before[f"active.{k}.in_force"] + f[f"active.{k}.issued"]
            f[f"active.{k}.repealed"] = min(f[f"active.{k}.repealed"], stock)
            f[f"active.{k}.in_force"] = stock - f[f"active.{k}.repealed"] + shift.get(k, 0)
    else:
        for k in ("licensing", "other_services", "penalty", "coercion", "fees"):
            prev = before[f"active.{k}.prev_count"] + before[f"active.{k}.change"] + shift.get(k, 0)
            f[f"active.{k}.prev_count"] = prev
            f[f"active.{k}.change"] = max(f[f"active.{k}.change"], -prev)


def _break(rng: random.Random, template: str, same_form: bool) -> tuple[str, str, int]:
    """A deliberate break: (relation, what it shifts, by how much)."""
    kinds = [("carried_over", rng.choice(APPLICANTS))]
    if same_form:
        kinds.append(("in_force", rng.choice(["regulations", "normative_docs"])) if template == "gov2021" else
                     ("prev_count", rng.choice(["licensing", "penalty", "fees"])))
    relation, what = rng.choice(kinds)
    return relation, what, rng.randint(1, 3)


def body_series(rng: random.Random, body: int, renamed: bool) -> tuple[list[dict], list[dict]]:
    """One body's truths, year by year (``body``: its panel key, ``printed``: the name as printed), and
    its deliberate breaks."""
    base = rng.choice(list(RENAMES)) if renamed else rng.choice(["人民政府", *RENAMES, "自然资源局", "统计局"])
    city = _CITIES[body % len(_CITIES)] + ("", "东区", "西区", "南区", "北区")[body // len(_CITIES) % 5]
    name = city + base
    years = rng.randint(3, 6)
    start = rng.randint(YEARS[0], YEARS[1] - years + 1)
    broken_year = start + rng.randint(1, years - 1) if rng.random() < BREAK_SHARE else None
    truths, breaks, before = [], [], None
    for k, year in enumerate(range(start, start + years)):
        template = "gov2019" if year < FIRST_GOV2021 else "gov2021"
        printed = name.replace(base, RENAMES[base]) if renamed and k >= years // 2 else name
        t = make_truth(rng, template, year=year, agency=spelling(printed, rng))
        same_form = before is not None and before["template"] == template
        shift: dict[str, int] = {}
        if year == broken_year:
            relation, what, by = _break(rng, template, same_form)
            shift[what] = by
            breaks.append({"body": body_name(name), "year": year, "relation": f"{relation}:{what}"})
            if relation == "carried_over":
                breaks.append({"body": body_name(name), "year": year, "relation": "carried_over:total"})
        _carry(t["fields"], before and before["fields"], {c: v for c, v in shift.items() if c in APPLICANTS})
        _stocks(t["fields"], before["fields"] if same_form else None, template,
                {c: v for c, v in shift.items() if c not in APPLICANTS})
        assert not broken_relations(template, t["fields"]), broken_relations(template, t["fields"])
        t["body"], t["printed"] = body_name(name), printed
        truths.append(t)
        before = t
    return truths, breaks


def generate(out: Path, bodies: int, seed: int, log=print) -> dict:
    """The series' documents, truths, ``names.csv`` and ``series.json`` in ``out``; the series."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    rng = random.Random(seed)
    renamed, again = rng.randrange(bodies), rng.randrange(bodies)
    documents, breaks, names = [], [], {}
    for body in range(bodies):
        truths, made = body_series(rng, body, body == renamed)
        breaks += made
        copies = [(t, rng.choice(FORMS), "") for t in truths]
        if body == again:  # published again, in another form
            first, form, _ = rng.choice(copies)
            copies.append((json.loads(json.dumps(first)), rng.choice([f for f in FORMS if f != form]), "_again"))
        for truth, form, suffix in copies:
            if truth["printed"] != truths[0]["printed"]:
                names[body_name(truth["printed"])] = truth["body"]
            data = render(rng, truth, D.random_style(rng), form)
            stem = f"{body:02d}_{truth['year']}_{form}{suffix}"
            (out / f"{stem}.{EXT[form]}").write_bytes(data)
            write_truth(out / "truth" / f"{stem}.json", truth)
            documents.append({"file": f"{stem}.{EXT[form]}", "body": truth["body"], "year": truth["year"],
                              "agency": truth["agency"], "form": form})
            log(f"{stem}.{EXT[form]:<5} {truth['agency']}")
    (out / "names.csv").write_text("name,body\n" + "".join(f"{k},{v}\n" for k, v in names.items()), encoding="utf-8")
    series = {"generator": f"python -m benchmarks.corpus.series --out {out} --bodies {bodies} --seed {seed}",
              "documents": documents, "breaks": breaks,
              "relations": [r.name for r in cross_year()]}
    (out / "series.json").write_text(json.dumps(series, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return series


def expected_breaks(series: dict) -> set[tuple[str, int, str, str, str]]:
    """Every (body, year, relation, file, file of the year before) a panel of the series finds broken:
    each deliberate break between every copy of its year and every copy of the year before."""
    files: dict[tuple[str, int], list[str]] = {}
    for d in series["documents"]:
        files.setdefault((d["body"], d["year"]), []).append(d["file"])
    return {(b["body"], b["year"], b["relation"], now, before) for b in series["breaks"]
            for now in files[(b["body"], b["year"])] for before in files[(b["body"], b["year"] - 1)]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--bodies", type=int, default=5)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args(argv)
    series = generate(a.out, a.bodies, a.seed)
    print(f"{len(series['documents'])} documents of {a.bodies} bodies, {len(series['breaks'])} deliberate "
          f"breaks, in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
