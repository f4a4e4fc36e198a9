"""Labels wrapped around their numbers in space-aligned text, joined back to their rows.

A converter sets a label that wraps in its cell on lines of its own, the row's numbers on the line
in the middle (``（二）部分公开（区分处理的，`` / numbers / ``只计这一情形…）``). The label pieces
of a table (the text left of its numbers, on its value lines and on the lines between them) are
chained down each column of labels: a piece continues the chain above it that it starts under, a
line or two up, unless it starts a numbering (a new row) or both stand on value lines of their own. A
chain belongs to the value line it holds a piece of, else to the value line within its lines nearest
their middle; a chain that belongs to none is a row of its own (printed blank when it is a numbered
row), or, right above a value line with no label of its own, that line's label.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .chunks import Chunk
from .stitch import numbered

MAX_GAP = 2
"""Lines from one piece of a wrapped label to the next: the next line, or the one after the line of
its numbers."""


@dataclass
class _Chain:
    pieces: list[tuple[int, Chunk]] = field(default_factory=list)
    own: int | None = None
    """The value line one of its pieces stands on."""

    @property
    def first(self) -> int:
        return self.pieces[0][0]

    @property
    def last(self) -> int:
        return self.pieces[-1][0]

    @property
    def text(self) -> str:
        return "".join(c.text for _, c in self.pieces)


def _overlap(a: Chunk, b: Chunk) -> bool:
    return a.start < b.end and b.start < a.end


def _continues(chain: _Chain, k: int, piece: Chunk, labels: dict[int, list[Chunk]], values: set[int]) -> bool:
    j, last = chain.pieces[-1]
    between = range(j + 1, k)
    return (0 < k - j <= MAX_GAP and last.start - 1 <= piece.start < last.end and not numbered(piece.text)
            and not (k in values and chain.own is not None)
            and all(m in values or labels.get(m) for m in between)  # no blank line between
            and not any(_overlap(c, piece) for m in between for c in labels.get(m, [])))


def _beside(a: _Chain, b: _Chain) -> bool:
    """Whether two chains share a column of labels."""
    return min(c.start for _, c in a.pieces) < max(c.end for _, c in b.pieces) and \
        min(c.start for _, c in b.pieces) < max(c.end for _, c in a.pieces)


def _middle(chain: _Chain, values: list[int]) -> int | None:
    """The value line within the chain's lines nearest their middle, if one is nearest (``values``
    sorted)."""
    mid = (chain.first + chain.last) / 2
    inside = values[bisect.bisect_left(values, chain.first):bisect.bisect_right(values, chain.last)]
    near = sorted(inside, key=lambda v: abs(v - mid))[:2]
    return near[0] if len(near) == 1 or (near and abs(near[1] - mid) > abs(near[0] - mid)) else None


def _chains(labels: dict[int, list[Chunk]], values: set[int]) -> list[_Chain]:
    """The label pieces chained down their columns, nearest line first."""
    chains: list[_Chain] = []
    ends: dict[int, list[_Chain]] = {}  # line → the chains that end there, left to right
    for k in sorted(labels):
        ends[k] = []
        for piece in sorted(labels[k], key=lambda c: c.start):
            chain = next((c for j in range(k - 1, k - MAX_GAP - 1, -1) if (c := _above(ends.get(j), piece))
                          and _continues(c, k, piece, labels, values)), None)
            if chain is None:
                chain = _Chain()
                chains.append(chain)
            else:
                ends[chain.last].remove(chain)
            chain.pieces.append((k, piece))
            ends[k].append(chain)
            if k in values:
                chain.own = k
    return chains


def _above(chains: list[_Chain] | None, piece: Chunk) -> _Chain | None:
    """The chain of a line above whose last piece the piece may start under (pieces of a line are
    apart, so one at most)."""
    if not chains:
        return None
    k = bisect.bisect_right([c.pieces[-1][1].start for c in chains], piece.start + 1) - 1
    return chains[k] if k >= 0 else None


def join(labels: dict[int, list[Chunk]], values: set[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The labels of each value line, and the labels of no value line by the line they start on,
    left to right, from the label pieces of a table's lines (``labels``: line → pieces)."""
    chains = _chains(labels, values)
    ordered = sorted(values)
    owner = [c.own if c.own is not None else _middle(c, ordered) for c in chains]
    owned: dict[int, list[_Chain]] = {}
    for chain, v in zip(chains, owner):
        owned.setdefault(v, []).append(chain)
    for k, chain in enumerate(chains):  # a label set right above its numbers
        below = chain.last + 1
        if (owner[k] is None and below in values and not labels[below]
                and not any(_beside(c, chain) for c in owned.get(below, []))):
            owner[k] = below
            owned.setdefault(below, []).append(chain)
    named: dict[int, list[str]] = {}
    free: dict[int, list[str]] = {}
    for chain, v in sorted(zip(chains, owner), key=lambda cv: cv[0].pieces[0][1].start):
        (free.setdefault(chain.first, []) if v is None else named.setdefault(v, [])).append(chain.text)
    return named, free
