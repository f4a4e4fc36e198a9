"""Random truths that satisfy the template's relations (勾稽关系), with controlled slips.

A truth is the dict written to ``truth/NAME.json`` (the format of ``fixtures/seeds/truth``):
``{"template", "year", "agency", "fields": {id: value}}`` plus optional ``units``, ``form``,
``quirks`` and ``broken`` (the relations that the printed values break).

Values are mostly small counts, with a few large ones in the thousands. A *slip* changes one
printed cell so that a relation breaks, as the bodies themselves do: the truth is then the
value AS PRINTED. A *blank* is a zero cell left empty: its truth is ``null``.
"""

from __future__ import annotations

import random

from gxextract.templates import get_template

APPLICANTS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org")
REQUEST_COLS = APPLICANTS + ("total",)
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLS = ("upheld", "corrected", "other", "pending")

_CITIES = ["吴忠市", "贵阳市", "白银市", "安顺市", "朝阳区", "宜宾市", "南平市", "荆门市", "湖州市", "德阳市",
           "遵义市", "汉中市", "玉林市", "铜仁市", "永州市", "嘉兴市南湖区", "成都市武侯区", "杭州市西湖区",
           "洛阳市", "绵阳市", "江门市", "常德市", "包头市", "延边州"]
_BODIES = ["科学技术局", "人民政府办公室", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "卫生健康委员会",
           "市场监督管理局", "教育局", "财政局", "人力资源和社会保障局", "民政局", "农业农村局", "司法局", "水利局",
           "商务局", "应急管理局", "文化广电旅游局", "医疗保障局", "统计局"]


def _count(rng: random.Random, weight: float = 1.0, large: bool = False) -> int:
    """Mostly 0 or small; ``weight`` scales the odds of a non-zero value."""
    if large:
        return rng.randint(1000, 4999)
    x = rng.random()
    if x < 1 - 0.45 * weight:
        return 0
    if x < 1 - 0.08 * weight:
        return rng.randint(1, 9)
    return rng.randint(10, 99)


def relations(template: str):
    return get_template(template).relations


def field_ids(template: str) -> list[str]:
    """The template's fields a truth carries (derived fields are left out, as in the seeds)."""
    t = get_template(template)
    derived = {d.lhs[0] for d in t.derived}
    return [f for f in t.fields if f not in derived]


def broken_relations(template: str, fields: dict) -> list[str]:
    """Names of the relations the values break (a null counts as 0, as a blank cell is read)."""
    out = []
    for rel in relations(template):
        lhs = sum(fields.get(f) or 0 for f in rel.lhs)
        rhs = sum(fields.get(f) or 0 for f in rel.rhs)
        if abs(lhs - rhs) > 1e-6:
            out.append(rel.name)
    return out


def _active_gov2019(rng: random.Random, large: bool, f: dict, units: dict) -> None:
    for row in ("regulations", "normative_docs"):
        made = _count(rng, 0.3 if row == "regulations" else 1.2)
        published = made if rng.random() < 0.8 else max(0, made - rng.randint(0, 2))
        total = published + (_count(rng, 1.5) if rng.random() < 0.7 else 0)
        f[f"active.{row}.new_made"] = made
        f[f"active.{row}.new_published"] = published
        f[f"active.{row}.total_published"] = total
    for row, has_decisions in (("licensing", True), ("other_services", True), ("penalty", True),
                               ("coercion", True), ("fees", False)):
        prev = _count(rng, 1.3)
        change = rng.randint(-min(prev, 5), 5) if rng.random() < 0.4 else 0
        f[f"active.{row}.prev_count"] = prev
        f[f"active.{row}.change"] = change
        if has_decisions:
            big = large and row in ("licensing", "penalty", "other_services") and rng.random() < 0.6
            f[f"active.{row}.decisions"] = _count(rng, 1.2, big)
    items = _count(rng, 0.8)
    f["active.procurement.items"] = items
    if items == 0:
        amount, unit = 0, rng.choice(["元", "万元"])
    elif rng.random() < 0.5:
        amount, unit = float(rng.randint(5, 900) * 1000), "元"
    else:
        amount, unit = round(rng.randint(50, 99999) / 100, 2), "万元"
    f["active.procurement.amount"] = amount
    units["active.procurement.amount"] = unit


def _active_gov2021(rng: random.Random, large: bool, f: dict, units: dict) -> None:
    for row in ("regulations", "normative_docs"):
        issued = _count(rng, 0.3 if row == "regulations" else 1.2)
        repealed = _count(rng, 0.5)
        f[f"active.{row}.issued"] = issued
        f[f"active.{row}.repealed"] = repealed
        f[f"active.{row}.in_force"] = issued + _count(rng, 1.5)
    for row in ("licensing", "penalty", "coercion"):
        big = large and row in ("licensing", "penalty") and rng.random() < 0.6
        f[f"active.{row}.decisions"] = _count(rng, 1.2, big)
    x = rng.random()
    f["active.fees.amount"] = 0 if x < 0.6 else (round(rng.randint(1, 99999) / 100, 2) if x < 0.9 else
                                                 float(rng.randint(1000, 20000)))
    units["active.fees.amount"] = "万元"


def _requests(rng: random.Random, template: str, large: bool, f: dict) -> None:
    outcome_rows = [r.row for r in get_template(template).section("requests").rows
                    if r.row not in ("new_received", "carried_over", "total", "carried_forward")]
    weights = {"natural_person": 1.6, "business": 0.8, "research": 0.1, "nonprofit": 0.1,
               "legal_service": 0.2, "other_org": 0.3}
    busy = {"disclosed": 2.0, "partially_disclosed": 0.6, "unavailable.not_held": 1.2,
            "not_processed.petition": 0.6, "other": 0.8, "other.misc": 0.6}
    big_cell = ("natural_person", rng.choice(["disclosed", "unavailable.not_held"])) if large else None
    for col in APPLICANTS:
        total = 0
        for row in outcome_rows:
            w = weights[col] * busy.get(row, 0.15)
            v = _count(rng, min(w, 2.2), big_cell == (col, row))
            f[f"requests.{row}.{col}"] = v
            total += v
        forward = _count(rng, 0.3 * weights[col])
        over = rng.randint(0, min(total + forward, 4)) if rng.random() < 0.3 * weights[col] else 0
        f[f"requests.total.{col}"] = total
        f[f"requests.carried_forward.{col}"] = forward
        f[f"requests.carried_over.{col}"] = over
        f[f"requests.new_received.{col}"] = total + forward - over
    for row in ["new_received", "carried_over", *outcome_rows, "total", "carried_forward"]:
        f[f"requests.{row}.total"] = sum(f[f"requests.{row}.{c}"] for c in APPLICANTS)


def _appeals(rng: random.Random, f: dict) -> None:
    for g in APPEAL_GROUPS:
        w = {"review": 0.5, "litigation_direct": 0.35, "litigation_after_review": 0.15}[g]
        vals = [_count(rng, w * (1.5 if c == "upheld" else 0.6)) for c in APPEAL_COLS]
        for c, v in zip(APPEAL_COLS, vals):
            f[f"appeals.{g}.{c}"] = v
        f[f"appeals.{g}.total"] = sum(vals)


def make_truth(rng: random.Random, template: str, *, year: int | None = None, agency: str | None = None,
               large: bool = False, slip: bool = False, blanks: bool = False) -> dict:
    """A truth for ``template``; every relation holds unless ``slip``."""
    if year is None:
        year = rng.choice([2019, 2020]) if template == "gov2019" else rng.choice([2021, 2022, 2023, 2024])
    agency = agency or rng.choice(_CITIES) + rng.choice(_BODIES)
    f: dict = {}
    units: dict = {}
    (_active_gov2019 if template == "gov2019" else _active_gov2021)(rng, large, f, units)
    _requests(rng, template, large, f)
    _appeals(rng, f)
    fields = {k: f[k] for k in field_ids(template)}
    assert not broken_relations(template, fields), broken_relations(template, fields)
    quirks: list[str] = []
    if large:
        quirks.append("large_values")
    if blanks:
        # Bodies leave zero cells empty: whole rows of zeros, or scattered cells.
        zero_rows = [k.rsplit(".", 1)[0] for k, v in fields.items()
                     if k.startswith("requests.") and k.endswith(".total") and v == 0]
        chosen = rng.sample(zero_rows, k=min(len(zero_rows), rng.randint(2, 6)))
        for row in chosen:
            for c in REQUEST_COLS:
                fields[f"{row}.{c}"] = None
        zero_cells = [k for k, v in fields.items() if v == 0 and k.startswith("appeals.")]
        for k in rng.sample(zero_cells, k=min(len(zero_cells), rng.randint(0, 5))):
            fields[k] = None
        if chosen or any(v is None for v in fields.values()):
            quirks.append("blank_cells")
    truth = {"template": template, "year": year, "agency": agency, "fields": fields}
    if units:
        truth["units"] = units
    if slip:
        candidates = [k for k, v in fields.items() if v is not None and isinstance(v, int)
                      and (k.startswith("requests.") or k.startswith("appeals."))]
        cell = rng.choice(candidates)
        delta = rng.choice([1, 1, 2, -1, 10, 3])
        if fields[cell] + delta < 0:
            delta = abs(delta)
        fields[cell] += delta
        truth["broken"] = broken_relations(template, fields)
        truth["slip"] = {"field": cell, "printed": fields[cell], "consistent": fields[cell] - delta}
        quirks.append("arithmetic_slip")
    truth["quirks"] = quirks
    return truth
