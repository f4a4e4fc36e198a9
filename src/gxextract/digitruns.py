"""Splitting digit runs (``640020470`` → 64, 0, 0, 2, 0, 4, 70) with the relations as constraints.

A web copy that lost its cell boundaries leaves each row's numbers as one run of
digits. Every way to cut a run into the row's number of cells (no leading zeros)
is a candidate; the candidates of all runs are searched together, and only the
combinations under which every relation that can be evaluated holds survive.
Cells on which all survivors agree are certain; the others are ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator

from .templates import Relation

MAX_PART_DIGITS = 7
MAX_CANDIDATES = 20000
MAX_NODES = 200000


def cuts(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``parts`` numbers without leading zeros."""
    if parts == 1:
        if len(digits) <= MAX_PART_DIGITS and (digits == "0" or not digits.startswith("0")):
            yield (int(digits),)
        return
    longest = 1 if digits.startswith("0") else MAX_PART_DIGITS
    for k in range(1, min(longest, len(digits) - parts + 1) + 1):
        for rest in cuts(digits[k:], parts - 1):
            yield (int(digits[:k]), *rest)


def _holds(rel: Relation, values: dict[str, float | None]) -> bool | None:
    try:
        lhs = sum(values[f] for f in rel.lhs)  # type: ignore[misc]
        rhs = sum(values[f] for f in rel.rhs)  # type: ignore[misc]
    except (KeyError, TypeError):
        return None
    return abs(lhs - rhs) < 1e-6


def solve(
    runs: list[tuple[list[str], list[tuple[int, ...]]]],
    fixed: dict[str, float | None],
    relations: list[Relation],
) -> list[dict[str, int]]:
    """All combinations of run candidates under which no evaluable relation breaks.

    ``runs`` pairs each run's fields with its candidate values; ``fixed`` holds the
    other fields as read (None where missing). Stops early past MAX_NODES.
    """
    run_fields = {f for fields, _ in runs for f in fields}
    # Filter each run's candidates by the relations that involve only it and fixed fields.
    filtered = []
    for fields, candidates in runs:
        own = [r for r in relations if set(r.fields) & set(fields) and not (set(r.fields) & run_fields - set(fields))]
        keep = [c for c in candidates if all(_holds(r, {**fixed, **dict(zip(fields, c))}) is not False for r in own)]
        filtered.append((fields, keep))
    order = sorted(range(len(filtered)), key=lambda k: len(filtered[k][1]))
    solutions: list[dict[str, int]] = []
    nodes = 0

    def search(depth: int, assigned: dict[str, int]) -> None:
        nonlocal nodes
        if nodes > MAX_NODES or len(solutions) > 64:
            return
        if depth == len(order):
            solutions.append(dict(assigned))
            return
        fields, candidates = filtered[order[depth]]
        done = set(assigned) | set(fields)
        checks = [r for r in relations if set(r.fields) & set(fields) and set(r.fields) & run_fields <= done]
        for cand in candidates:
            nodes += 1
            trial = {**assigned, **dict(zip(fields, cand))}
            if all(_holds(r, {**fixed, **trial}) is not False for r in checks):
                search(depth + 1, trial)

    search(0, {})
    return solutions
