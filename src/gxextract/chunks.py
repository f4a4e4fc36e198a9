"""Lines of space-aligned text cut into chunks that know the character columns they stand in.

A chunk is text between gaps of two spaces or more; one space stays inside it (a stray space in a
label, ``总 计``, or headers a converter packed one space apart, ``结果 其他``), unless it parts
numbers or comes before a row's numbering (``（四）无 2、没有…``). Its words keep their own spans.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .values import parse_value

Span = tuple[int, int]

MAX_WIDTH = 1000
"""A converter's line is a page wide, some hundreds of characters: a longer one (a web page's whole
body, a paragraph) is one chunk."""
_NUMBERING = re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)")
_WORD = re.compile(r"\S+")
_PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,3}\s*[-—–－]?$")


class Chunk(NamedTuple):
    """Text in the character columns [start, end)."""

    text: str
    start: int
    end: int
    words: tuple[Chunk, ...] = ()
    """Its words, one space apart."""

    @property
    def span(self) -> Span:
        return self.start, self.end

    @property
    def value(self) -> bool:
        return kind(self.text) in ("number", "placeholder")


@lru_cache(maxsize=65536)
def kind(text: str) -> str:
    return parse_value(text).kind


def center(span: Span) -> float:
    return (span[0] + span[1]) / 2


def near(a: Span, b: Span) -> bool:
    """Whether two spans overlap or touch: converters round positions to whole characters, so a
    column's numbers and header words may stand a character apart (columns stand two apart)."""
    return a[0] <= b[1] and b[0] <= a[1]


def chunks(line: str, wide: bool = False) -> list[Chunk]:
    """The line's chunks; ``wide``: a CJK character takes two columns."""
    if len(line) > MAX_WIDTH:
        whole = Chunk(line.strip(), 0, len(line))
        return [whole._replace(words=(whole,))]
    pos = _wide_positions(line) if wide else range(len(line) + 1)
    groups: list[list[Chunk]] = []
    last = -2
    for m in _WORD.finditer(line):
        a, b = m.span()
        word = Chunk(m.group(), pos[a], pos[b])
        if groups and a - last == 1 and not (word.value or groups[-1][-1].value) and not _NUMBERING.match(word.text):
            groups[-1].append(word)
        else:
            groups.append([word])
        last = b
    return [Chunk(" ".join(w.text for w in g), g[0].start, g[-1].end, tuple(g)) if len(g) > 1
            else g[0]._replace(words=(g[0],)) for g in groups]


def _wide_positions(line: str) -> list[int]:
    pos = [0]
    for ch in line:
        pos.append(pos[-1] + (2 if unicodedata.east_asian_width(ch) in "WF" else 1))
    return pos


def header_words(chunk: Chunk) -> tuple[Chunk, ...]:
    """The headers a chunk may hold: its words, a word of one character joined to the next (the last
    to the one before), as a stray space splits a word (结 果维持, 尚 未) and packing does not."""
    out: list[Chunk] = []
    k = 0
    while k < len(chunk.words):
        w = chunk.words[k]
        if len(w.text) == 1 and k + 1 < len(chunk.words):
            w, k = _join(w, chunk.words[k + 1]), k + 1
        elif len(w.text) == 1 and out:
            w = _join(out.pop(), w)
        out.append(w)
        k += 1
    return tuple(out)


def _join(a: Chunk, b: Chunk) -> Chunk:
    return Chunk(f"{a.text} {b.text}", a.start, b.end)


def ends_in_value(text: str) -> bool:
    """Whether the line's last word is a number or a dash: a value line's is (a quick look, before
    the line is cut into chunks)."""
    words = text.rsplit(maxsplit=1)
    return bool(words) and kind(words[-1]) in ("number", "placeholder")


def split_values(line: list[Chunk]) -> tuple[list[Chunk], list[Chunk]] | None:
    """(labels, values) of a value line: numbers (or dashes) after its text, one number at least; a
    page number is none."""
    k = len(line)
    while k and line[k - 1].value:
        k -= 1
    labels, values = line[:k], line[k:]
    if (any(c.value for c in labels) or not any(kind(c.text) == "number" for c in values)
            or page_number(" ".join(c.text for c in line))):
        return None
    return labels, values


def page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))
