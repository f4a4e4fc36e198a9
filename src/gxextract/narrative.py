"""The report's prose as a second witness: the numbers its sentences state, checked against the tables.

The running text (a document's unstructured rows, before the tables are re-cut) is joined into
paragraphs and cut into sentences and clauses. Every number printed with a count or money unit is a
`Statement`; the phrase vocabulary (``templates/narrative.toml``) maps it onto a sum of field ids, or
leaves it unmapped. `attach` then checks each mapped statement against the fields as read and uses
it as evidence (`witness`), never as a replacement: no field's value changes. A statement that fails
is a warning naming both numbers and the sentence. The processing fees of 六、其他需要报告的事项 have no
table: their statements give the report the fields ``fees.processing.cases`` and
``fees.processing.amount``, where printed.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel

from .checks import counted
from .confidence import PROSE_CONFIDENCE
from .models import Cell, Document, FieldResult, Report, Statement
from .normalize import fold_width, simplify
from .values import whole
from .witness import weigh

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万元|元|件|条)")
_SENTENCE_END = "。！？!?"
_SENTENCE = re.compile(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]?")
_CLAUSE = re.compile(rf"[^,;:()，；：（）{_SENTENCE_END}]+")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、[^。，,；;]{1,30}$")
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*(?:第\s*)?\d+\s*页?[\s\-—–/]*\d*\s*页?[\s\-—–]*$")
MAX_TEXT = 160
"""A statement's sentence is cut to this many characters around its number: web text keeps tables
in the running line, where a "sentence" runs on for pages."""
FEES = "fees.processing."


class _Subject(BaseModel):
    name: str
    pattern: str
    groups: list[str] = []


class _Phrase(BaseModel):
    pattern: str
    fields: list[str]
    units: list[str] = []
    subject: str | None = None


class _Vocabulary(BaseModel):
    subject: list[_Subject]
    phrase: list[_Phrase]
    zero: list[_Phrase]


@cache
def vocabulary() -> _Vocabulary:
    text = resources.files("gxextract.templates").joinpath("narrative.toml").read_text(encoding="utf-8")
    return _Vocabulary.model_validate(tomllib.loads(text))


@cache
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _fold(text: str) -> str:
    """Half-width and simplified, one character for one, so that offsets stay those of ``text``."""
    folded = fold_width(text)
    if len(folded) != len(text):  # a character that NFKC widens (㎡, ½): fold the others one by one
        folded = "".join(c if len(f := fold_width(c)) != 1 else f for c in text)
    simple = simplify(folded)
    return simple if len(simple) == len(folded) else folded


@dataclass
class _Paragraph:
    text: str
    """As printed."""
    folded: str
    cells: list[tuple[int, Cell]]
    """Each cell's offset in ``text``."""

    def cell_at(self, offset: int) -> Cell:
        return next(c for start, c in reversed(self.cells) if start <= offset)


def _paragraphs(doc: Document) -> Iterator[_Paragraph]:
    """Running text in paragraphs: lines joined until one ends a sentence; a table or a heading
    (一、总体情况) ends a paragraph, page numbers are left out."""
    text, cells = "", []
    for row in doc.rows:
        line = " ".join(c.text for c in row.cells)
        if row.structured or _HEADING.match(line):
            if text:
                yield _Paragraph(text, _fold(text), cells)
            text, cells = "", []
            continue
        if _PAGE_NUMBER.match(line):
            continue
        for c in row.cells:
            cells.append((len(text), c))
            text += c.text + " "
        text = text[:-1]
        if text.rstrip().endswith(tuple(_SENTENCE_END)):
            yield _Paragraph(text, _fold(text), cells)
            text, cells = "", []
    if text:
        yield _Paragraph(text, _fold(text), cells)


def _subject(clause: str, current: _Subject | None) -> _Subject | None:
    """The subject the clause names (the narrowest, where one holds the others), else ``current``."""
    found = [s for s in vocabulary().subject if _regex(s.pattern).search(clause)]
    if not found:
        return current
    narrowest = min(found, key=lambda s: len(s.groups))
    if all(set(narrowest.groups) <= set(s.groups) and narrowest.name == s.name for s in found):
        return narrowest
    return None


def _expand(phrase: _Phrase, subject: _Subject | None) -> list[str]:
    groups = subject.groups if subject else []
    return [f.replace("{group}", g) for f in phrase.fields for g in (groups if "{group}" in f else [""])]


def _fields(marked: str, unit: str, subject: _Subject | None) -> list[str]:
    """The field ids a number means (``#`` in ``marked``): the longest matching phrase's, or none
    when phrases of other fields match as long."""
    found: dict[tuple[str, ...], int] = {}
    for p in vocabulary().phrase:
        if unit not in p.units or (p.subject and (subject is None or subject.name != p.subject)):
            continue
        m = _regex(p.pattern).search(marked)
        if m:
            key = tuple(_expand(p, subject))
            found[key] = max(found.get(key, 0), len(m.group(0)))
    if not found:
        return []
    best = max(found.values())
    winners = [k for k, n in found.items() if n == best]
    return list(winners[0]) if len(winners) == 1 else []


def _marked(clause: str, numbers: list[re.Match], number: re.Match) -> str:
    """The clause as phrases see it: ``number`` written ``#``, its other numbers ``N``, units kept."""
    parts, last = [], 0
    for m in numbers:
        parts += [clause[last:m.start(1)], "#" if m is number else "N"]
        last = m.end(1)
    return "".join(parts) + clause[last:]


def _excerpt(text: str, start: int, end: int, at: int) -> str:
    """The sentence ``text[start:end]``, cut to `MAX_TEXT` characters around offset ``at``."""
    if end - start > MAX_TEXT:
        start = max(start, at - MAX_TEXT // 2)
        end = min(end, start + MAX_TEXT)
    return text[start:end].strip()


def _statement(p: _Paragraph, sentence: re.Match, clause: tuple[int, int], at: int, **what) -> Statement:
    cell = p.cell_at(at)
    return Statement(text=_excerpt(p.text, sentence.start(), sentence.end(), at),
                     phrase=p.text[clause[0]:clause[1]].strip(), page=cell.page, bbox=cell.bbox, score=cell.score,
                     **what)


def read_statements(doc: Document) -> list[Statement]:
    """Every number the running text states with a unit, mapped onto field ids where a phrase fits."""
    out = []
    for p in _paragraphs(doc):
        for sentence in _SENTENCE.finditer(p.folded):
            subject = None
            for c in _CLAUSE.finditer(p.folded, sentence.start(), sentence.end()):
                clause = c.group(0)
                subject = _subject(clause, subject)
                span = (c.start(), c.end())
                numbers = list(_NUMBER.finditer(clause))
                for n in numbers:
                    marked = _marked(clause, numbers, n)
                    value = float(n.group(1).replace(",", ""))
                    out.append(_statement(p, sentence, span, c.start() + n.start(),
                                          value=whole(value), unit=n.group(2),
                                          fields=_fields(marked, n.group(2), subject)))
                for z in vocabulary().zero:
                    if not numbers and _regex(z.pattern).search(clause.strip()):
                        out.append(_statement(p, sentence, span, c.start(), value=0, unit=None, fields=z.fields))
    return out


@cache
def schema():
    """The Arrow schema of a batch's ``narrative.parquet``: the document, then a `Statement`'s keys."""
    import pyarrow as pa

    return pa.schema([("document", pa.string()), ("path", pa.string()), ("text", pa.string()),
                      ("phrase", pa.string()), ("page", pa.int32()), ("bbox", pa.list_(pa.float64())),
                      ("score", pa.float64()), ("value", pa.float64()), ("unit", pa.string()),
                      ("fields", pa.list_(pa.string())), ("table", pa.float64()), ("holds", pa.bool_()),
                      ("confirms", pa.list_(pa.string()))])


def _table_sum(fields: list[str], report: Report) -> float | None:
    """The sum the tables print for ``fields`` (a blank cell counting 0, as in the relations)."""
    values = [counted(report.fields[f].value, report.fields[f].flags) if f in report.fields else None
              for f in fields]
    return None if not fields or None in values else sum(values)


def _fees(statements: list[Statement]) -> dict[str, FieldResult]:
    """The fees fields the prose prints: the first statement of each, 0 for each of a zero statement's."""
    out: dict[str, FieldResult] = {}
    for s in statements:
        if not s.fields or not all(f.startswith(FEES) for f in s.fields):
            continue
        if len(s.fields) > 1 and s.value != 0:
            continue
        for f in s.fields:
            raw = f"{s.value}{s.unit or ''}" if s.unit else None
            out.setdefault(f, FieldResult(
                value=s.value, raw=raw, unit=s.unit if s.unit in ("元", "万元") else None,
                confidence=PROSE_CONFIDENCE, needs_review=False, page=s.page, bbox=s.bbox, label=s.phrase))
    return out


def attach(report: Report, statements: list[Statement]) -> Report:
    """The report with its prose's statements checked against its fields and used as evidence
    (`witness.weigh`), a warning for each that fails, and the fees fields the prose prints. No
    field's value changes."""
    for s in statements:
        s.table = _table_sum(s.fields, report)
        s.holds = None if s.table is None else math.isclose(s.table, s.value, abs_tol=1e-6)
    fields = weigh(report.fields, report.checks, statements)
    warnings = []
    for s in (s for s in statements if s.holds is False):
        table = whole(s.table)
        repair = "".join(f"; the repair proposed for {f} ({fields[f].proposed}) agrees" for f in s.confirms)
        warnings.append(f"the prose says {s.value}{s.unit or ''} where the tables give {table} "
                        f"({' + '.join(s.fields)}){repair}: 「{s.text}」")
    fees = {f: v for f, v in _fees(statements).items() if f not in fields}
    return report.model_copy(update={"narrative": statements, "warnings": report.warnings + warnings,
                                     "fields": {**fields, **fees}})
