"""DOCX with real merged cells (gridSpan / vMerge), via python-docx.

For gov2021 the usual way is to fill a copy of the real blank form
(``fixtures/reference/gov2021_blank_form.docx``, its labels and merges as the State Council
published them: quirk ``blank_form``); otherwise (gov2019, or gov2021 for variety) a similar
document is built from the logical report with ``cell.merge``.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .document import Para, Report, Table, fmt_value, request_rows

_HERE = Path(__file__).resolve()
BLANK_FORM_CANDIDATES = [_HERE.parents[2] / "fixtures" / "reference" / "gov2021_blank_form.docx"]


def blank_form_path() -> Path | None:
    return next((p for p in BLANK_FORM_CANDIDATES if p.exists()), None)


@dataclass
class DocxOptions:
    blank_form: bool = False
    font: str = "仿宋_GB2312"
    size: float = 10.5
    seed: int = 0

    @property
    def quirks(self) -> list[str]:
        return ["blank_form"] if self.blank_form else []


def random_options(rng: random.Random, template: str) -> DocxOptions:
    return DocxOptions(
        blank_form=template == "gov2021" and blank_form_path() is not None and rng.random() < 0.75,
        font=rng.choice(["仿宋_GB2312", "宋体", "仿宋"]),
        size=rng.choice([9, 10, 10.5]),
        seed=rng.randint(0, 10**6),
    )


def _set(cell, text: str, center: bool = True) -> None:
    paras = cell.paragraphs
    p = paras[0]
    for extra in paras[1:]:
        extra._element.getparent().remove(extra._element)
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.add_run(text)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _set_fonts(document, name: str, size: float) -> None:
    st = document.styles["Normal"]
    st.font.size = Pt(size)
    st.font.name = name
    rpr = st.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


# ------------------------------------------------------------------ filling the blank form

def _fill_blank_form(report: Report, o: DocxOptions) -> bytes:
    t, f = report.truth, report.truth["fields"]
    units = t.get("units", {})
    d = docx.Document(str(blank_form_path()))

    def val(fid):
        return fmt_value(f.get(fid), fid, report.style, units)

    active, requests, appeals = d.tables[:3]
    for r, rid in ((2, "regulations"), (3, "normative_docs")):
        for c, cid in enumerate(("issued", "repealed", "in_force")):
            _set(active.cell(r, 1 + c), val(f"active.{rid}.{cid}"))
    for r, fid in ((6, "active.licensing.decisions"), (9, "active.penalty.decisions"),
                   (10, "active.coercion.decisions"), (13, "active.fees.amount")):
        _set(active.cell(r, 1), val(fid))
    cols = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
    for i, (_, _, _, rid) in enumerate(request_rows("gov2021", report.style)):
        for j, c in enumerate(cols):
            _set(requests.cell(3 + i, 3 + j), val(f"requests.{rid}.{c}"))
    k = 0
    for g in ("review", "litigation_direct", "litigation_after_review"):
        for c in ("upheld", "corrected", "other", "pending", "total"):
            _set(appeals.cell(3, k), val(f"appeals.{g}.{c}"))
            k += 1
    prose = t.get("narrative") or {"overview": []}  # made on request: all of it in 一、总体情况
    overview = "".join(prose["overview"])
    texts = [b.text for b in report.blocks if isinstance(b, Para) and b.kind == "body"
             and b.text not in prose["overview"]]
    for p in d.paragraphs:
        if p.text.strip() == "政府信息公开工作年度报告格式模板":
            _replace_para(p, f"{t['agency']}{t['year']}年政府信息公开工作年度报告")
        elif p.text.strip() == "（文字描述）":
            _replace_para(p, (texts.pop(0) if texts else "") + overview)
            overview = ""
        elif p.text.strip().startswith("（文字描述，收取"):
            _replace_para(p, prose.get("other") or
                          f"本年度未收取信息处理费。如对本报告有任何疑问，请与{t['agency']}办公室联系。")
    for b in report.blocks:
        if isinstance(b, Para) and b.kind == "sign":
            d.add_paragraph(b.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _replace_para(p, text: str) -> None:
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.add_run(text)


# ------------------------------------------------------------------ building from the logical report

def _table(d, t: Table) -> None:
    table = d.add_table(rows=t.nrows, cols=t.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c in t.cells:
        cell = table.cell(c.r, c.c)
        if c.rs > 1 or c.cs > 1:
            cell = cell.merge(table.cell(c.r + c.rs - 1, c.c + c.cs - 1))
        _set(cell, c.text, center=c.role != "label")


def _build(report: Report, o: DocxOptions) -> bytes:
    d = docx.Document()
    _set_fonts(d, o.font, o.size)
    for b in report.blocks:
        if isinstance(b, Table):
            _table(d, b)
            d.add_paragraph("")
        elif b.kind == "title":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(b.text)
            run.bold = True
            run.font.size = Pt(o.size + 6)
        elif b.kind == "heading":
            d.add_paragraph().add_run(b.text).bold = True
        elif b.kind == "sign":
            d.add_paragraph(b.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            d.add_paragraph(b.text).paragraph_format.first_line_indent = Pt(o.size * 2)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _reproducible(data: bytes) -> bytes:
    """The same package with fixed zip timestamps and core dates, so a seed gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", blob)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), blob,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def render(report: Report, o: DocxOptions | None = None) -> bytes:
    o = o or DocxOptions()
    if o.blank_form and report.truth["template"] == "gov2021" and blank_form_path():
        return _reproducible(_fill_blank_form(report, o))
    o.blank_form = False
    return _reproducible(_build(report, o))
