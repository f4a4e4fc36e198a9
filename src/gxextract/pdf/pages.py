"""Fast page triage on pdfium's text: which pages carry the statistics tables.

Narrative pages never reach the geometric parser; their text is handed over line by line.
"""

from __future__ import annotations

import re

from ..templates import SECTIONS, section_spec

_KEYS = tuple(word for section in SECTIONS for word in section_spec(section).triage)
_DIGITS = re.compile(r"(?<![\d年月日号.])\d{1,9}(?![\d年月日号])")


def is_table_page(text: str) -> bool:
    """A page with template words and numbers standing alone (not dates, not years)."""
    compact = re.sub(r"\s+", "", text)
    hits = sum(k in compact for k in _KEYS)
    if hits >= 2:
        return True
    return hits >= 1 and len(_DIGITS.findall(text)) >= 8


_CID = re.compile(r"\(cid:\d+\)")


def unmapped_share(chars) -> float:
    """Share of a page's characters whose font gives no Unicode for them."""
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if not c.mapped or "\ue000" <= c.text <= "\uf8ff" or c.text == "\ufffd")
    return bad / len(chars)
