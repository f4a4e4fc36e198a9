"""Typed hand-offs between the stages: reader → Document → aligner → Report.

A reader turns any input into a `Document`: rows of `Cell`s in reading order.
A row is *structured* when its cell boundaries are real (a tab-separated line,
an HTML ``<tr>``, a row of a ruled PDF grid); it is a plain line of text in
reading order otherwise, and the aligner then treats the cells as a stream.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field as PydField

from .errors import MissingDependency

BBox = tuple[float, float, float, float]

InputFormat = Literal["text", "markdown", "html", "docx", "doc", "pdf", "pdf-scan", "image", "ofd", "ofd-scan",
                      "mhtml"]


class Cell(BaseModel):
    """One cell (or one line of text) as read, with where it came from."""

    model_config = ConfigDict(frozen=True)

    text: str
    page: int | None = None
    bbox: BBox | None = None
    colspan: int = 1
    rowspan: int = 1
    score: float = 1.0
    """How sure the reading is (OCR score; 1.0 for a text layer)."""
    alternative: str | None = None
    """The engine's second-best reading of the cell, where it gives one."""
    boxed: bool = False
    """The cell's bounds are real: a ruled grid's cell, an HTML or Word table cell. An empty boxed
    cell was printed blank (its ``score`` says how sure the reader is that nothing is in it);
    an empty cell between separators of plain text may be text that was lost."""
    image: str | None = None
    """The picture it was read from, where a document holds pictures of its own (a web page's
    images): its name beside the page or in the archive; ``bbox`` is then in its pixels."""


class Row(BaseModel):
    cells: list[Cell]
    structured: bool = True


class Source(BaseModel):
    path: str | None = None
    format: InputFormat
    pages: int | None = None
    sha256: str | None = None


class PageImageInfo(BaseModel):
    """How one page was read from pixels (scans, pictures): its cells' boxes are on the page as
    given (PDF points, or image pixels); pixels of the rendering = points / points_per_pixel."""

    page: int
    width: int
    height: int
    dpi: float
    points_per_pixel: float | None = None
    """None for a picture (its boxes are in pixels)."""
    rotation: int = 0
    """Quarter turn applied to make the text upright (degrees counter-clockwise)."""
    skew: float = 0.0
    """Degrees the page was rotated by to level it."""
    tables: int = 0
    quality: float = 1.0
    """Mean OCR score of the page's readings."""
    image: str | None = None
    """For a picture in a web page: its name (the page is the picture's number among those read)."""


class TableRegion(BaseModel):
    """Where a geometric reader found a table: its page, and the extent of its cells (inside its rules,
    for a ruled one) on the page as given (the cells' own `Cell.bbox` units)."""

    page: int
    bbox: BBox
    ruled: bool = True
    """False for a table without rules: the extent of its rows' cells."""


class Document(BaseModel):
    """What every reader returns: the rows of a report in reading order."""

    source: Source
    rows: list[Row]
    title_lines: list[str] = PydField(default_factory=list)
    """The first lines of running text, for metadata (agency, year)."""
    pages: list[PageImageInfo] = PydField(default_factory=list)
    """Per page read by OCR: size, resolution, rotation (empty for text-layer readers)."""
    tables: list[TableRegion] = PydField(default_factory=list)
    """The ruled tables of the geometric readers (text PDF, OFD, scans), one a page a table stands on
    (empty for readers without page geometry)."""
    warnings: list[str] = PydField(default_factory=list)
    """What the reader could not read and the report should say (a web page's missing pictures)."""

    def text(self) -> str:
        return "\n".join(" ".join(c.text for c in r.cells) for r in self.rows)


class FieldResult(BaseModel):
    """One canonical field of the output contract."""

    value: int | float | None = None
    raw: str | None = None
    unit: str | None = None
    confidence: float = PydField(0.0, ge=0.0, le=1.0)
    needs_review: bool = True
    flags: list[str] = PydField(default_factory=list)
    page: int | None = None
    bbox: BBox | None = None
    image: str | None = None
    """The picture the value was read from, for a web page's pictures (``bbox`` in its pixels)."""
    proposed: int | float | None = None
    proposed_confidence: float | None = None
    """How sure the proposal is (see docs/confidence.md); None without a proposal."""
    restores: list[str] = PydField(default_factory=list)
    """The relations (Check.name) that hold again with ``proposed`` in place of ``value``."""
    alternative: str | None = None
    """The reader's second-best reading of the cell (OCR), as text, where it gave one."""
    label: str | None = None
    """The row label as printed, that the value was aligned by."""
    copies: list[str] = PydField(default_factory=list)
    """Other values printed for this field further on (a row or a section printed twice), as read:
    the field is then flagged ``printed_twice``."""
    derived: bool = False
    human_verified: bool = False


class Check(BaseModel):
    """One arithmetic relation evaluated on the report."""

    name: str
    equation: str
    holds: bool | None
    """None when a value it needs is missing."""
    lhs: float | None = None
    rhs: float | None = None
    fields: list[str]


class MetaField(BaseModel):
    """A value about the report as a whole (its template, year, issuing body), checked like a field."""

    value: str | int | None = None
    confidence: float = PydField(0.0, ge=0.0, le=1.0)
    needs_review: bool = True
    flags: list[str] = PydField(default_factory=list)
    """Why it is unsure: ``missing``, ``from_sentence`` (a title found inside a sentence),
    ``not_a_name`` (a title's body does not end as a name: 局, 委员会 …), ``from_body`` (no title:
    read from the text), ``by_year`` (a template chosen by the year alone)."""
    source: str | None = None
    """The line it was read from."""


class Statement(BaseModel):
    """A number the report's prose states, what it counts, and whether the tables agree (narrative.py)."""

    text: str
    """The sentence, as printed."""
    phrase: str
    """The clause that says what the number counts."""
    page: int | None = None
    bbox: BBox | None = None
    score: float = 1.0
    """How sure the reading of its line is (the OCR's score; 1.0 for a text layer)."""
    value: int | float
    unit: str | None = None
    fields: list[str] = PydField(default_factory=list)
    """The field ids whose sum the statement gives; empty when no phrase of the vocabulary fits."""
    table: int | float | None = None
    """That sum as the tables print it; None when unmapped or a field is missing."""
    holds: bool | None = None
    """Whether ``value`` equals ``table``; None when unmapped or a field is missing."""
    confirms: list[str] = PydField(default_factory=list)
    """The fields it confirms (docs/narrative.md): a doubtful value it states apart from the cell
    (flag ``prose_confirmed``), or a broken relation's repair it agrees with (flag ``prose_agrees``)."""


class Span(BaseModel):
    """Where one report of a file that holds several lies in it (`gxextract.compilations`)."""

    title: str | None = None
    """The title the report starts with, as printed; None when it starts at 一、总体情况."""
    pages: tuple[int, int] | None = None
    """First and last page (PDF, scans); a page shared by two reports is in both. None without pages."""
    rows: tuple[int, int]
    """First and last row of the document as read, from 1: a line of text, a paragraph, a table row."""
    chars: tuple[int, int]
    """Start and end in the document's text as read (its rows joined by newlines): a report that starts
    inside a line (web text on one line) starts there."""


class Report(BaseModel):
    template: Literal["gov2019", "gov2021", "legacy2018"]
    year: int | None
    agency: str | None
    source: Source
    meta: dict[str, MetaField] = PydField(default_factory=dict)
    """``template``, ``year`` and ``agency`` with their confidence and flags."""
    sections: dict[str, str] = PydField(default_factory=dict)
    """The form each section was printed in (a report may mix templates)."""
    fields: dict[str, FieldResult]
    checks: list[Check] = PydField(default_factory=list)
    warnings: list[str] = PydField(default_factory=list)
    narrative: list[Statement] = PydField(default_factory=list)
    """The numbers the prose states, each checked against the fields (docs/narrative.md)."""
    part: int | None = None
    """Which report of the file it is, from 1, when the file holds several (`gxextract.extract_all`);
    None when it holds one."""
    span: Span | None = None
    """Where that report lies in the file; None when the file holds one."""

    @property
    def flagged(self) -> dict[str, FieldResult]:
        return {k: f for k, f in self.fields.items() if f.needs_review}

    def __str__(self) -> str:
        broken = sum(c.holds is False for c in self.checks)
        part = f" part {self.part}" if self.part else ""
        return (f"{self.source.path or 'input'}{part} ({self.source.format}): {self.template} form, year {self.year}, "
                f"{self.agency or 'agency unknown'}; {len(self.fields)} fields, {len(self.flagged)} to review, "
                f"{broken} broken relation{'' if broken == 1 else 's'}")

    def __repr__(self) -> str:
        return (f"<Report {self.template} year={self.year} agency={self.agency!r} fields={len(self.fields)} "
                f"to_review={len(self.flagged)}>")

    def to_dict(self) -> dict:
        """The report as plain JSON data: what ``gxextract extract --format json`` prints."""
        return self.model_dump(mode="json")

    def to_pandas(self):
        """A pandas DataFrame, one row per field, with the columns of a batch's ``fields.parquet``
        (`gxextract.longform`). Needs pandas (``pip install pandas``)."""
        try:
            import pandas  # noqa: F401 - pyarrow's to_pandas needs it
        except ImportError:
            raise MissingDependency("Report.to_pandas() needs pandas: pip install pandas") from None
        import pyarrow as pa

        from .longform import rows, schema

        return pa.Table.from_pylist(rows(self.to_dict()), schema=schema()).to_pandas()
