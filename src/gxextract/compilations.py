"""Compilations (年报汇编): one file that holds several reports, one after another, cut into one
`Document` per report.

1. **Candidates.** A title line (``…局2022年政府信息公开工作年度报告``; with the body's name on the
   line above when the title names only the year), the overview heading ``一、总体情况`` and where
   the tables begin (section 二's heading or first band ``第二十条第（一）项``, the 2018 table's
   title). In a line of hundreds of characters (web text saved on one line) titles and overviews are
   looked for inside the line too.
2. **Starts.** Candidates with no table row between them are one start: a title, its sub-title and
   ``一、总体情况``; a table of contents and the first title; a running header above prose. A start
   begins at its last title before its last overview heading or tables' beginning (the report whose
   tables follow).
3. **Reports.** The rows from a start to the next one are a new report only if they hold a
   statistics table of their own (section 三, or the 2018 table) and that table repeats rows the
   report before already printed, or is of the other family (the 2018 table after the 2019 form,
   or the reverse). Anything else (a title in a running header on a later page, a report citing
   last year's report by title, the rest of a table after a page break) stays with the report
   before. A file that holds one report is returned as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from .align import align
from .errors import SeveralReports
from .metadata import DISCLOSURE, YEAR_DIGITS
from .models import Cell, Document, Row, Span
from .normalize import fold_width, simplify
from .restream import restream
from .segments import segment
from .templates import family, section_spec

OWN_ROWS = 4
"""Rows of section 三 (or of the 2018 table) a part must match to have a statistics table of its own:
as many as make a document a report at all (pipeline.MIN_MATCHED_ROWS)."""
REPEATED_ROWS = 3
"""Rows of a section that two parts must both print for the section to be printed again: a label cut
by a page break may match one row on each side, a second report matches the whole section."""
REPEATED_SHARE = 0.5
"""…and that share of the smaller part's matched rows of the section (a second report: nearly all)."""
TABLE_ROWS = 2
"""Template rows matched between two candidates that make a table between them (one may be a line of
prose that reads like a row)."""
LONG_ROW = 300
"""A row of this many characters or more may hold a report's start inside it (a whole page of web text
on one line); shorter rows start a report only at their beginning."""
TITLE_LINES = 8
"""Lines of a part read for its title, as the readers do."""
MAX_TITLE = 80
"""A title line is at most this long: a longer line is a sentence that names a report."""

_NAV = r"政府信息公开|政务公开"
"""Words a web page prints before a title (its navigation), never the start of a body's name."""
_YEAR = rf"(?P<year>{YEAR_DIGITS})\s*年\s*度?"
_REPORT = rf"(?:的)?\s*{DISCLOSURE}\s*(?:工作)?\s*(?:年度)?\s*(?:[报報]告|年[报報])"
_TITLE_LINE = re.compile(rf"(?P<agency>[^\s,，。；;：:《》“”\"]{{0,40}}?)\s*{_YEAR}\s*{_REPORT}\s*(?:\([^()]{{0,20}}\))?")
"""A whole line that is a report's title (width folded, markdown marks dropped)."""
_TITLE_INSIDE = re.compile(
    rf"(?:(?<=^)|(?<=[\s。；;！!？?”\"）)】\]>])|(?<=\d日)|(?<=政府信息公开))(?!{_NAV})"
    rf"(?P<agency>[\u4e00-\u9fff（）()]{{2,40}}?)\s*"
    rf"{_YEAR}\s*{_REPORT}(?![》\u4e00-\u9fff]*》)")
"""A title inside a long line: the body's name starts after a sentence, a space, a date or a site's
navigation word (政府信息公开), and no 》 closes it (a report cited by its title)."""
_OVERVIEW = re.compile(r"一\s*[、.．]\s*(?:总体情况|總體情況)")


def _band(name: str) -> str:
    """A table's band (第二十条第（一）项) as a pattern on a folded line: spaces around its brackets,
    its numeral 一 as OCR may read it (-)."""
    return r"\s*".join(re.escape(p).replace("一", r"[一\-]") for p in re.split(r"([()])", fold_width(name)) if p)


_ACTIVE, _LEGACY = section_spec("active"), section_spec("legacy")
_TABLES_BEGIN = re.compile(rf"{_ACTIVE.number}\s*[、.．]\s*{re.escape(_ACTIVE.headings[0])}"
                           rf"|{_band(_ACTIVE.blocks[0].name)}|.{{0,40}}{re.escape(_LEGACY.headings[0])}$")
"""Section 二's heading, its first table's band, or the 2018 table's title: where a report's tables
begin, a start when the reader kept no title or overview (a scan, whose running text is not read; OCR
may read 一 as -)."""
_PART_KEY = re.compile(r"([0-9a-f]{64})#(\d+)")
_MARKS = re.compile(r"^[\s#*>\-•·]+|[\s*]+$")
_PAGE_NUMBER = re.compile(r"[-—–\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*/\s*\d{1,4}\s*页?)?[-—–\s]*")
"""A page's number alone on its line (- 3 -, 第 3 页, 3/12): a footer, never a title's line."""
_NAME_LINE = re.compile(r"[\u4e00-\u9fff()][\u4e00-\u9fff()\s]{1,30}")
"""A body's name alone on the line above a title that names only the year (OCR may cut it in two)."""


@dataclass
class Part:
    """One report of a file: its rows as a Document, its place among the file's reports, where it lies."""

    doc: Document
    number: int | None
    """From 1; None when the file holds one report."""
    span: Span | None


@dataclass
class _Piece:
    """A row of the document as cut at the starts found inside rows: where it begins in the reader's rows."""

    row: Row
    origin: int
    """The reader's row it is (part of)."""
    offset: int
    """Characters of that row's text before this piece."""


@dataclass
class _Candidate:
    piece: int
    title: str | None
    """The title as printed (with the body's name from the line above); None for 一、总体情况 or where the tables begin."""
    back: int = 0
    """Pieces above it that belong to the title (the body's name on its own line, a page's footer between)."""


@dataclass
class _Tables:
    """What a stretch of rows prints of the statistics tables: the template rows matched, by section."""

    rows: dict[str, set[str]] = field(default_factory=dict)

    @property
    def own(self) -> bool:
        return max(len(self.rows.get("requests", ())), len(self.rows.get("legacy", ()))) >= OWN_ROWS

    @property
    def family(self) -> str:
        """The first template of the family whose tables these are (the 2018 table's, or the 2019 form's)."""
        return family({s: len(rows) for s, rows in self.rows.items()})[0].id

    def repeated_by(self, other: "_Tables") -> bool:
        if self.family != other.family:
            return True
        for section, rows in self.rows.items():
            shared = rows & other.rows.get(section, set())
            smaller = min(len(rows), len(other.rows.get(section, ())))
            if len(shared) >= REPEATED_ROWS and len(shared) >= REPEATED_SHARE * smaller:
                return True
        return False

    @property
    def size(self) -> int:
        return sum(map(len, self.rows.values()))

    def __or__(self, other: "_Tables") -> "_Tables":
        keys = set(self.rows) | set(other.rows)
        return _Tables({k: self.rows.get(k, set()) | other.rows.get(k, set()) for k in keys})


def _row_text(row: Row) -> str:
    return " ".join(c.text for c in row.cells)


def _line(text: str) -> str:
    return _MARKS.sub("", simplify(fold_width(text)))


def _cut_row(row: Row, cuts: list[int]) -> list[tuple[Row, int]]:
    """``row`` cut before each character offset of its text in ``cuts``: (piece, its offset)."""
    out: list[tuple[list[Cell], int]] = [([], 0)]
    start = 0
    for cell in row.cells:
        prev = 0
        for q in [p - start for p in cuts if start <= p < start + len(cell.text)]:
            if cell.text[prev:q].strip():
                out[-1][0].append(cell.model_copy(update={"text": cell.text[prev:q].strip()}))
            if out[-1][0]:
                out.append(([], start + q))
            else:
                out[-1] = ([], start + q)
            prev = q
        if cell.text[prev:].strip():
            out[-1][0].append(cell.model_copy(update={"text": cell.text[prev:]}))
        start += len(cell.text) + 1
    return [(Row(cells=cells, structured=row.structured), offset) for cells, offset in out if cells]


def _inside(text: str) -> list[int]:
    """Offsets inside a long line where a report may start: a title, or 一、总体情况."""
    found = {m.start("agency") for m in _TITLE_INSIDE.finditer(text)} | {m.start() for m in _OVERVIEW.finditer(text)}
    return sorted(k for k in found if k > 0)


def _pieces(doc: Document) -> list[_Piece]:
    out = []
    for k, row in enumerate(doc.rows):
        text = _row_text(row)
        cuts = _inside(text) if not row.structured and len(text) >= LONG_ROW else []
        out += [_Piece(piece, k, offset) for piece, offset in (_cut_row(row, cuts) if cuts else [(row, 0)])]
    return out


def _title(pieces: list[_Piece], k: int) -> _Candidate | None:
    """A candidate start at piece ``k``: a title line (the body's name above it kept with it), 一、总体情况
    or where its tables begin."""
    row = pieces[k].row
    if _TABLES_BEGIN.match(_line(row.cells[0].text)):
        return _Candidate(k, None)
    text = _line(_row_text(row))
    if row.structured and len(row.cells) > 1:
        return None
    if len(text) <= MAX_TITLE and (m := _TITLE_LINE.fullmatch(text)):
        back = 1
        while back < k and _PAGE_NUMBER.fullmatch(_line(_row_text(pieces[k - back].row))):
            back += 1  # a page's footer between the body's name and its title
        above = _line(_row_text(pieces[k - back].row)) if back <= k else ""
        if not m["agency"] and _NAME_LINE.fullmatch(above) and not pieces[k - back].row.structured:
            return _Candidate(k, f"{above} {text}", back=back)
        return _Candidate(k, text)
    if m := _TITLE_INSIDE.match(_row_text(row)):  # the title, and the text after it on the same line
        return _Candidate(k, _line(m.group(0)))
    if _OVERVIEW.match(text):
        return _Candidate(k, None)
    return None


def _starts(candidates: list[_Candidate], after: list[_Tables]) -> list[int]:
    """The starts (indexes of ``candidates``): candidates with no table between them are one, begun at its
    last title before its last overview heading or tables' beginning (else at its first candidate). ``after[i]``: what the
    rows from candidate ``i`` to the next one print of the tables."""
    groups = [[0]]
    for i in range(1, len(candidates)):
        if after[i - 1].size >= TABLE_ROWS:
            groups.append([])
        groups[-1].append(i)
    starts = []
    for group in groups:
        overviews = [i for i in group if candidates[i].title is None]
        last = overviews[-1] if overviews else len(candidates)
        titles = [i for i in group if candidates[i].title is not None and i < last]
        starts.append(titles[-1] if titles else group[0])
    return starts


def _tables(doc: Document) -> _Tables:
    aligned = align(segment(restream(doc)))
    return _Tables({s: {a.form.rows[j].fields[0] for j in a.used} for s, a in aligned.items() if a.used})


def _doc(doc: Document, pieces: list[_Piece], title_from: int) -> Document:
    rows = [p.row for p in pieces]
    lead = []
    for p in pieces[title_from:]:
        if p.row.structured and len(p.row.cells) > 1 or len(lead) >= TITLE_LINES:
            break
        if not _PAGE_NUMBER.fullmatch(_line(_row_text(p.row))):
            lead.append(_row_text(p.row))
    pages = {c.page for r in rows for c in r.cells if c.page is not None}
    return doc.model_copy(update={"rows": rows, "title_lines": lead,
                                  "pages": [p for p in doc.pages if p.page in pages]})


def _span(doc: Document, pieces: list[_Piece], title: str | None) -> Span:
    starts, at = [], 0
    for row in doc.rows:
        starts.append(at)
        at += len(_row_text(row)) + 1
    first, last = pieces[0], pieces[-1]
    pages = sorted({c.page for p in pieces for c in p.row.cells if c.page is not None})
    return Span(title=title, pages=(pages[0], pages[-1]) if pages else None,
                rows=(first.origin + 1, last.origin + 1),
                chars=(starts[first.origin] + first.offset,
                       starts[last.origin] + last.offset + len(_row_text(last.row))))


def split(doc: Document) -> list[Part]:
    """The reports of ``doc``, each on its own rows; ``[Part(doc, None, None)]`` when it holds one."""
    single = [Part(doc, None, None)]
    pieces = _pieces(doc)
    candidates = [c for k in range(len(pieces)) if (c := _title(pieces, k))]
    if len(candidates) < 2:
        return single
    ends = [c.piece for c in candidates[1:]]
    after = [_tables(_doc(doc, pieces[c.piece:end], 0)) for c, end in zip(candidates, ends)]
    starts = _starts(candidates, after)
    if len(starts) < 2:
        return single
    after.append(_tables(_doc(doc, pieces[candidates[-1].piece:], 0)))
    bounds = [candidates[i].piece - candidates[i].back for i in starts] + [len(pieces)]
    lead = _tables(_doc(doc, pieces[:candidates[0].piece], 0)) if candidates[0].piece else _Tables()
    upto = starts[1:] + [len(after)]
    blocks = [(candidates[i], lo, hi, reduce(or_, after[i:end], _Tables()))
              for i, end, lo, hi in zip(starts, upto, bounds, bounds[1:])]
    start, _, hi, tables = blocks[0]
    parts = [(start, 0, hi, lead | tables)]  # what comes before the first start is the first report's
    for start, lo, hi, tables in blocks[1:]:
        head, begin, _, before = parts[-1]
        if before.own and tables.own and before.repeated_by(tables):
            parts.append((start, lo, hi, tables))
        else:
            parts[-1] = (head, begin, hi, before | tables)
    if len(parts) < 2:
        return single
    return [Part(_doc(doc, pieces[lo:hi], start.piece - start.back - lo), n, _span(doc, pieces[lo:hi], start.title))
            for n, (start, lo, hi, _) in enumerate(parts, 1)]


def report_key(document: str, part: int | None) -> str:
    """A report's key: its document's (the sha256 of the file), and for a part of a compilation ``#N``."""
    return document if part is None else f"{document}#{part}"


def document_of(key: str) -> str:
    """The document's key of a report's key (`report_key`); any other key as it is."""
    m = _PART_KEY.fullmatch(key)
    return m[1] if m else key


def part_of(key: str) -> int | None:
    """The part of a report's key (`report_key`), None for a file that holds one report."""
    m = _PART_KEY.fullmatch(key)
    return int(m[2]) if m else None


def several_reports(name: str, parts: list[Part]) -> SeveralReports:
    """What extract() raises on a file that holds several reports: each one's title and where it lies."""
    listed = [{"part": p.number, **p.span.model_dump(mode="json")} for p in parts if p.span]
    where = "; ".join(f"{d['part']}. {d['title'] or '(no title)'}, "
                      + (f"pages {d['pages'][0]}-{d['pages'][1]}" if d["pages"] else f"rows {d['rows'][0]}-{d['rows'][1]}")
                      for d in listed)
    return SeveralReports(f"{name}: {len(parts)} reports in one file: {where}; read them all with extract_all() "
                          "or gxextract extract --all", listed)
