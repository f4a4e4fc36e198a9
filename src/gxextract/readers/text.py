"""Plain text and Markdown: lines in reading order, split into cells where the line says how.

- a line with tabs is a structured row, one cell per tab-separated field (merged cells empty);
- a Markdown table line ``| a | b |`` is a structured row;
- a line ending in `` |`` is a run of cells each ended by ``|`` (``||`` are empty cells),
  whose row boundaries are lost: an unstructured row;
- any other line is one cell of running text (a cell per line, or a whole sentence).
"""

from __future__ import annotations

import codecs
import re

from ..errors import TooLarge, UnreadableFile
from ..models import Cell, Document, Row, Source

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_MD_BREAK = re.compile(r"<br\s*/?>", re.I)
"""A line break inside a Markdown table cell (a wrapped label), as converters print it."""
_WIDE_GAP = re.compile(r"[ \u3000]{3,}")
MAX_LINES = 100_000


def decode(data: bytes, partial: bool = False) -> str:
    """Decode UTF-8/UTF-16 (by BOM, or by its NUL bytes without one) or GB18030 (a superset of GBK
    and GB2312); a file that mixes UTF-8 and GB18030 lines is decoded line by line."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace" if partial else "strict")
    errors = "ignore" if partial else "strict"
    if codec := _utf16_without_bom(data):
        try:
            return data[: len(data) // 2 * 2 if partial else len(data)].decode(codec, errors=errors)
        except UnicodeDecodeError:
            pass
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec, errors="strict")
        except UnicodeDecodeError as exc:
            if partial and exc.start >= len(data) - 4:  # a character cut by the sample's end
                return data[: exc.start].decode(codec, errors=errors)
            continue
        return text
    lines = data.split(b"\n")
    out = []
    for k, line in enumerate(lines):
        for codec in ("utf-8", "gb18030"):
            try:
                out.append(line.decode(codec))
                break
            except UnicodeDecodeError:
                continue
        else:
            if partial and k == len(lines) - 1:
                out.append(line.decode("utf-8", errors="ignore"))
                continue
            raise ValueError(f"not UTF-8, UTF-16 or GB18030 text (line {k + 1})")
    return "\n".join(out)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: ASCII characters (digits, spaces, line ends) put a NUL byte
    at every other position, on one side only."""
    n = min(len(data), 1 << 16) // 2 * 2
    if n < 8:
        return None
    even, odd = data[0:n:2].count(0), data[1:n:2].count(0)
    half = n // 2
    if odd >= half * 0.1 and even * 4 <= odd:
        return "utf-16-le"
    if even >= half * 0.1 and odd * 4 <= even:
        return "utf-16-be"
    return None


def split_line(line: str) -> Row | None:
    if not line.strip() or _MD_RULE.match(line):
        return None
    if "\t" in line:
        return Row(cells=[Cell(text=t.strip()) for t in line.split("\t")])
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1 and stripped.count("|") >= 3:
        return Row(cells=[Cell(text=_clean(t)) for t in stripped[1:-1].split("|")])
    if stripped.endswith("|"):
        return Row(cells=[Cell(text=t.strip()) for t in stripped.split("|")[:-1]], structured=False)
    parts = [p for p in _WIDE_GAP.split(_clean(stripped)) if p]
    return Row(cells=[Cell(text=p) for p in parts], structured=False) if parts else None


def _clean(text: str) -> str:
    return _MD_BREAK.sub(" ", _MD_EMPHASIS.sub("", _MD_HEADING.sub("", text))).strip()


def read(data: bytes, path: str | None) -> Document:
    try:
        text = decode(data)
    except ValueError:
        raise UnreadableFile(f"{path or 'input'}: not text in a known encoding (UTF-8, UTF-16, GB18030)") from None
    if not text.strip():
        raise UnreadableFile(f"{path or 'input'}: the file is empty (no text after decoding)")
    if text.count("\n") > MAX_LINES:
        raise TooLarge(f"{path or 'input'}: over {MAX_LINES} lines, more than one report holds "
                       "(several reports in one file? split it)")
    rows = [r for r in map(split_line, text.splitlines()) if r is not None]
    fmt = "markdown" if (path or "").lower().endswith((".md", ".markdown")) or any(
        _MD_HEADING.match(line) for line in text.splitlines()[:50]) else "text"
    title = [" ".join(c.text for c in r.cells) for r in rows[:8]]
    return Document(source=Source(path=path, format=fmt, pages=None), rows=rows, title_lines=title)
