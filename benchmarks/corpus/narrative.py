"""Prose that restates a truth's tables, made on request (``generate --narrative``).

`make_narrative(rng, truth)` writes the sentences a report's 一、总体情况 and 六、其他需要报告的事项 say
about its tables: requests received, carried over and forward, answered, results summed over rows,
appeals per group and per column summed over both litigation rows, the processing fees; with decoys
(counts no field holds) and deliberate disagreements (a number that is not the table's). It returns
``{"overview": [paragraph], "other": paragraph, "statements": [...]}``: each statement's ``clause``
(as printed, with its number), ``value``, ``unit``, the ``fields`` it means (empty for a decoy) and
``holds`` (whether the printed table agrees, a blank cell counting 0; None for the fees, which no table
prints).
"""

from __future__ import annotations

import random

from .truth import APPEAL_COLS, APPLICANTS

DISAGREE = 0.15
"""The share of mapped statements given a wrong number: enough to count, few enough to read."""
WITHHELD = ["state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
            "process_info", "enforcement_file", "admin_query"]
UNAVAILABLE = ["not_held", "needs_creation", "unclear"]
NOT_PROCESSED = ["petition", "duplicate", "publication", "excessive", "confirm_reissue"]
LITIGATION = ["litigation_direct", "litigation_after_review"]
RESULT_WORDS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}


class _Writer:
    """Clauses with their statements, numbers drawn from the truth (or deliberately not)."""

    def __init__(self, rng: random.Random, fields: dict):
        self.rng, self.fields, self.statements = rng, fields, []

    def count(self, template: str, fields: list[str], unit: str = "件") -> str:
        """``template`` with ``{}`` replaced by the sum of ``fields`` (a blank cell counts 0)."""
        table = sum(self.fields.get(f) or 0 for f in fields)
        value = table
        if self.rng.random() < DISAGREE:
            value = table + self.rng.choice([1, 2, 3, 5, 10]) * (1 if table < 10 or self.rng.random() < 0.5 else -1)
        clause = template.format(f"{value}{unit}")
        self.statements.append({"clause": clause, "value": value, "unit": unit, "fields": fields,
                                "holds": value == table})
        return clause

    def decoy(self, template: str, unit: str = "件") -> str:
        value = self.rng.randint(1, 300)
        clause = template.format(f"{value}{unit}")
        self.statements.append({"clause": clause, "value": value, "unit": unit, "fields": [], "holds": None})
        return clause

    def zero(self, clause: str, fields: list[str], holds: bool | None = True) -> str:
        self.statements.append({"clause": clause, "value": 0, "unit": None, "fields": fields, "holds": holds})
        return clause


def _rows(rows: list[str], prefix: str) -> list[str]:
    return [f"requests.{prefix}.{r}.total" for r in rows]


def _requests(w: _Writer) -> str:
    rng = w.rng
    received = rng.choice(["全年共受理政府信息公开申请{}", "本年度共收到政府信息公开申请{}", "本年新收政府信息公开申请{}"])
    parts = [w.count(received, ["requests.new_received.total"])]
    if rng.random() < 0.6:
        parts.append(w.count(rng.choice(["自然人申请{}", "其中自然人提出申请{}"]),
                             ["requests.new_received.natural_person"]))
        parts.append(w.count("法人或其他组织申请{}", [f"requests.new_received.{c}" for c in APPLICANTS[1:]]))
    answered = w.count(rng.choice(["答复{}", "办结{}"]), ["requests.total.total"])
    over = w.count(rng.choice(["含上年度结转申请{}", "上年结转申请{}"]), ["requests.carried_over.total"])
    forward = w.count(rng.choice(["另有{}顺延到下年度答复", "结转下年度继续办理{}"]), ["requests.carried_forward.total"])
    results = [w.count("其中予以公开{}", ["requests.disclosed.total"]),
               w.count("部分公开{}", ["requests.partially_disclosed.total"]),
               w.count("不予公开{}", _rows(WITHHELD, "withheld")),
               w.count("无法提供{}", _rows(UNAVAILABLE, "unavailable")),
               w.count("不予处理{}", _rows(NOT_PROCESSED, "not_processed"))]
    return (f"（二）依申请公开。{'，'.join(parts)}，{answered}（{over}，{forward}），"
            f"{'，'.join(results)}。")


def _appeals(w: _Writer) -> str:
    f = w.fields
    totals = [f"appeals.{g}.total" for g in ["review", *LITIGATION]]
    if all(f.get(t) == 0 for t in totals) and w.rng.random() < 0.5:
        return w.zero("本年度未发生因政府信息公开引起的行政复议、行政诉讼", totals) + "。"

    def group(name: str, groups: list[str]) -> str:
        head = w.count(name + "{}", [f"appeals.{g}.total" for g in groups])
        results = [w.count(RESULT_WORDS[c] + "{}", [f"appeals.{g}.{c}" for g in groups]) for c in APPEAL_COLS]
        return f"{head}，其中{'，'.join(results)}"

    sentences = [group("因政府信息公开被申请行政复议", ["review"])]
    if w.rng.random() < 0.5:
        sentences.append(group("提起行政诉讼", LITIGATION))
    else:
        sentences += [group("未经复议直接起诉", ["litigation_direct"]), group("复议后起诉", ["litigation_after_review"])]
    return "（三）复议诉讼。" + "；".join(sentences) + "。"


def _fees(w: _Writer, fields: dict) -> str:
    cases = w.rng.choice([0, 0, 0, w.rng.randint(1, 9)])
    fields["fees.processing.cases"] = cases
    if cases == 0:
        fields["fees.processing.amount"] = 0
        clause = w.rng.choice(["本年度未收取信息处理费", "本年度无收取信息处理费情况"])
        return w.zero(clause, ["fees.processing.cases", "fees.processing.amount"], holds=None) + "。"
    amount = cases * w.rng.choice([20, 50, 100])  # under 1000: no thousands separator to print
    fields["fees.processing.amount"] = amount
    w.statements += [{"clause": f"本年度共收取信息处理费{cases}件", "value": cases, "unit": "件",
                      "fields": ["fees.processing.cases"], "holds": None},
                     {"clause": f"共计{amount}元", "value": amount, "unit": "元",
                      "fields": ["fees.processing.amount"], "holds": None}]
    return f"本年度共收取信息处理费{cases}件，共计{amount}元。"


def make_narrative(rng: random.Random, truth: dict) -> dict:
    """The prose of a report restating ``truth`` (whose fields get the fees it prints)."""
    w = _Writer(rng, truth["fields"])
    active = f"（一）主动公开。{w.decoy('全年累计主动公开政府信息{}', '条')}，{w.decoy('办理人大代表建议和政协委员提案{}')}。"
    overview = [active, _requests(w), _appeals(w)]
    other = _fees(w, truth["fields"]) + f"如对本报告有任何疑问，请与{truth['agency']}办公室联系。"
    return {"overview": overview, "other": other, "statements": w.statements}
