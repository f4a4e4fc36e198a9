"""Plain text and Markdown: lines in reading order, split into cells where the line says how.

- a line with tabs is a structured row, one cell per tab-separated field (merged cells empty);
- a Markdown table line ``| a | b |`` is a structured row;
- a line ending in `` |`` is a run of cells each ended by ``|`` (``||`` are empty cells),
  whose row boundaries are lost: an unstructured row;
- any other line is one cell of running text (a cell per line, or a whole sentence);
- but the tables of space-aligned text (a converter's layout, a fixed-width export) are read by the
  character column each word stands in (`columns.py`).
"""

from __future__ import annotations

import codecs
import re

from ..columns import value_rows
from ..errors import TooLarge, UnreadableFile
from ..models import Cell, Document, Row, Source

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_MD_BREAK = re.compile(r"<br\s*/?>", re.I)
"""A line break inside a Markdown table cell (a wrapped label), as converters print it."""
_WIDE_GAP = re.compile(r"[ \u3000]{3,}")
MAX_LINES = 100_000


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
"""UTF-32's little-endian BOM begins with UTF-16's: it is tried first."""
CHINESE = ("gb18030", "cp950")
"""The legacy encodings of Chinese text: GB18030 (a superset of GBK and GB2312) and Big5 (as
Windows' cp950). Many byte strings decode as both; the reading with more common characters wins."""
SAMPLE = 20_000
"""Characters looked at to tell GB18030 from Big5: misread text shows itself within a few hundred."""


def decode(data: bytes, partial: bool = False, declared: str | None = None) -> str:
    """The text of ``data``, by the first that holds: a BOM (UTF-8, UTF-16, UTF-32); UTF-16 or UTF-32
    without one, by their NUL bytes; UTF-8; the encoding the document ``declared`` (an HTML meta
    charset), when the bytes are that; GB18030 or Big5, whichever reads as more common Chinese; and
    for a file that mixes UTF-8 and GB18030 lines, line by line. ``partial``: ``data`` is a sample,
    perhaps cut inside a character at its end."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace" if partial else "strict")
    if codec := _wide_without_bom(data):
        unit = 4 if "32" in codec else 2
        try:
            return data[: len(data) // unit * unit if partial else len(data)].decode(
                codec, errors="ignore" if partial else "strict")
        except UnicodeDecodeError:
            pass
    for codec in ("utf-8", _chinese_capable(declared)):
        if codec and (text := _strictly(data, codec, partial)) is not None:
            return text
    readings = [t for t in (_strictly(data, codec, partial) for codec in CHINESE) if t is not None]
    if readings:
        return max(readings, key=_common_share)
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
            raise ValueError(f"not UTF-8, UTF-16, UTF-32, GB18030 or Big5 text (line {k + 1})")
    return "\n".join(out)


def _strictly(data: bytes, codec: str, partial: bool) -> str | None:
    """``data`` decoded by ``codec`` without a fault (but a character cut by a sample's end), else None."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 4:
            return data[: exc.start].decode(codec, errors="ignore")
        return None


def _chinese_capable(declared: str | None) -> str | None:
    """The codec of a declared encoding, if it can write Chinese at all: a declared Latin-1 or
    ASCII is a tool's default, not the page's. GB2312 and GBK are read as GB18030, Big5 as cp950."""
    try:
        name = codecs.lookup(declared or "").name
    except LookupError:
        return None
    name = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}.get(name, name)
    try:
        return name if "中".encode(name) else None
    except UnicodeEncodeError:
        return None


def _common(ch: str) -> bool:
    """Punctuation or one of the common characters of GB2312 (simplified) or Big5 (traditional)."""
    try:
        lead = ch.encode("gb2312")[0]
        if 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA1 <= ch.encode("cp950")[0] <= 0xC5
    except UnicodeEncodeError:
        return False


def _common_share(text: str) -> float:
    """The share of common characters among the first non-ASCII ones: about 1 for text read in its
    own encoding, about a third for Big5 read as GB18030 or the reverse."""
    chars = [ch for ch in text[: SAMPLE * 4] if ord(ch) > 0x7F][:SAMPLE]
    return sum(map(_common, chars)) / len(chars) if chars else 1.0


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-32 or UTF-16 saved without a BOM, by their NUL bytes. UTF-32 puts a NUL in the top byte of
    every character and, for the Basic Multilingual Plane, in the next one too; UTF-16 puts one beside
    every ASCII character (digits, spaces, line ends), on one side only."""
    n = min(len(data), 1 << 16) // 4 * 4
    if n < 8:
        return None
    lanes = [data[k:n:4].count(0) for k in range(4)]
    quarter = n // 4
    if lanes[3] == quarter and lanes[2] >= quarter * 0.9:
        return "utf-32-le"
    if lanes[0] == quarter and lanes[1] >= quarter * 0.9:
        return "utf-32-be"
    half = n // 2
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
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
        raise UnreadableFile(f"{path or 'input'}: not text in a known encoding (UTF-8, UTF-16, UTF-32, GB18030, "
                             "Big5)") from None
    if not text.strip():
        raise UnreadableFile(f"{path or 'input'}: the file is empty (no text after decoding)")
    if text.count("\n") > MAX_LINES:
        raise TooLarge(f"{path or 'input'}: over {MAX_LINES} lines, more than one report holds "
                       "(several reports in one file? split it)")
    placed = value_rows(text)
    rows = [r for k, line in enumerate(text.splitlines())
            for r in (placed[k] if k in placed else [split_line(line)]) if r is not None]
    fmt = "markdown" if (path or "").lower().endswith((".md", ".markdown")) or any(
        _MD_HEADING.match(line) for line in text.splitlines()[:50]) else "text"
    title = [" ".join(c.text for c in r.cells) for r in rows[:8]]
    return Document(source=Source(path=path, format=fmt, pages=None), rows=rows, title_lines=title)
