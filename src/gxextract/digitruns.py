"""Splitting digit runs (``640020470`` → 64, 0, 0, 2, 0, 4, 70) with the relations as constraints.

A web copy that lost its cell boundaries leaves each row's numbers as one run of
digits. Every way to cut a run into the row's number of cells (no leading zeros)
is a candidate. Candidates are first filtered by the relations inside their own
row, then the runs are searched together: only the combinations under which every
relation that can be evaluated holds survive. Cells on which all survivors agree
are certain; the others are ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from .templates import Relation
from .values import UNITS

MAX_PART_DIGITS = 7
MAX_CANDIDATES = 20000
MAX_NODES = 200000
MAX_SOLUTIONS = 64

Candidates = list[tuple[int, ...]]


def cuts(run: str, parts: int, signed: list[bool] | None = None) -> Iterator[tuple[int | float, ...]]:
    """Every way to cut ``run`` into ``parts`` numbers without leading zeros.

    A sign in the run (``2648-18538``) starts a number, and only one of a ``signed`` column; a
    decimal fraction and a unit can only end the last number (``3783000.00元``: 3 | 783000.00)."""
    run = _UNIT_AT_END.sub("", run.replace("−", "-").replace("，", ","))
    yield from _cuts(run, tuple(signed or [False] * parts))


_PART = re.compile(r"\d+|[1-9]\d{0,2}(?:,\d{3})+")
"""One number of a run: bare digits, or digits in thousands groups (``1,488``)."""
_LAST = re.compile(r"(?P<int>\d+|[1-9]\d{0,2}(?:,\d{3})+)(?P<frac>\.\d+)?")
_UNIT_AT_END = re.compile(rf"(?:{'|'.join(UNITS)})$")
MAX_MONEY_DIGITS = 12
"""Digits before the point of an amount ending a run (73802895.90 元 has 8)."""


def _cuts(run: str, signed: tuple[bool, ...]) -> Iterator[tuple[int | float, ...]]:
    sign = run[:1] if run[:1] in "+-" else ""
    if sign and not signed[0]:
        return
    body = run[len(sign):]
    if len(signed) == 1:
        m = _LAST.fullmatch(body)
        digits = m["int"].replace(",", "") if m else ""
        limit = MAX_MONEY_DIGITS if m and m["frac"] else MAX_PART_DIGITS
        if m and len(digits) <= limit and (digits == "0" or not digits.startswith("0")):
            yield (float(sign + digits + m["frac"]) if m["frac"] else int(sign + digits),)
        return
    for k in range(1, len(body)):
        head, rest = body[:k], body[k:]
        digits = head.replace(",", "")
        if len(digits) > MAX_PART_DIGITS or not head[0].isdigit() or not head[-1].isdigit() and head[-1] != ",":
            break
        if not _PART.fullmatch(head) or (digits.startswith("0") and digits != "0") or rest.startswith(","):
            continue
        for tail in _cuts(rest, signed[1:]):
            yield (int(sign + digits), *tail)


def plausibility(candidate: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    """Sort key of the cuts of a run that no relation decides (the pick is flagged): cells of like
    length first, then the longer last cells (a row's total or its decisions come last)."""
    lengths = [len(str(abs(v))) for v in candidate]
    return max(lengths) - min(lengths), tuple(-n for n in reversed(lengths))


def side_sum(fields: list[str], values: Mapping[str, float | None]) -> float | None:
    """The sum of one side of a relation; None when a value it needs is missing."""
    parts = [values.get(f) for f in fields]
    return None if any(v is None for v in parts) else sum(parts)  # type: ignore[arg-type]


def holds(rel: Relation, values: Mapping[str, float | None]) -> bool | None:
    """Whether ``rel`` holds on ``values``; None when a value it needs is missing."""
    lhs, rhs = side_sum(rel.lhs, values), side_sum(rel.rhs, values)
    return None if lhs is None or rhs is None else abs(lhs - rhs) < 1e-6


def within_row(fields: list[str], candidates: Candidates, relations: list[Relation]) -> Candidates:
    """The candidates that satisfy every relation among the run's own cells (its row total)."""
    own = [r for r in relations if set(r.fields) <= set(fields)]
    return [c for c in candidates if all(holds(r, dict(zip(fields, c))) is not False for r in own)]


def solve(runs: list[tuple[list[str], Candidates]], fixed: dict[str, float | None],
          relations: list[Relation]) -> tuple[list[dict[str, int]], bool]:
    """The combinations of run candidates under which no evaluable relation breaks.

    ``fixed`` holds the other fields as read (None where missing). The search stops after
    MAX_NODES candidates or MAX_SOLUTIONS solutions; the flag says whether it ran to its end.
    """
    run_fields = {f for fields, _ in runs for f in fields}
    order = sorted(range(len(runs)), key=lambda k: len(runs[k][1]))
    solutions: list[dict[str, int]] = []
    nodes = 0

    def search(depth: int, assigned: dict[str, int]) -> None:
        nonlocal nodes
        if nodes > MAX_NODES or len(solutions) >= MAX_SOLUTIONS:
            return
        if depth == len(order):
            solutions.append(dict(assigned))
            return
        fields, candidates = runs[order[depth]]
        done = set(assigned) | set(fields)
        checks = [r for r in relations if set(r.fields) & set(fields) and set(r.fields) & run_fields <= done]
        for cand in candidates:
            nodes += 1
            trial = {**assigned, **dict(zip(fields, cand))}
            if all(holds(r, {**fixed, **trial}) is not False for r in checks):
                search(depth + 1, trial)

    search(0, {})
    return solutions, nodes <= MAX_NODES and len(solutions) < MAX_SOLUTIONS
