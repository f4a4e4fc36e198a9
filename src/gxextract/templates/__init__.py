"""The templates as data: sections, their printed forms, relations and derived fields.

The TOML files beside this module are the single source of truth: one file per
section (its blocks, rows, columns and label variants, each marked with the forms
that print it) and ``templates.toml`` (which template prints which sections, the
relations of the form and the fields derived from others).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

from pydantic import BaseModel

SECTIONS = ("active", "requests", "appeals", "legacy")


class ColumnSpec(BaseModel):
    id: str
    labels: list[str]
    signed: bool = False
    money: bool = False
    unit: str | None = None
    header: list[str] = []
    """The header cells printed above the column, outermost first, where the form stacks several
    (法人或其他组织 / 商业企业); else the column is headed by its first label."""

    @property
    def printed(self) -> list[str]:
        return self.header or self.labels[:1]


class RowSpec(BaseModel):
    id: str
    labels: list[str]
    groups: list[str] = []
    forms: list[str] | None = None
    unit: str | None = None


class BlockSpec(BaseModel):
    name: str
    forms: list[str]
    columns: list[ColumnSpec]
    rows: list[RowSpec]


class SectionSpec(BaseModel):
    section: str
    number: str | None = None
    """How the form numbers the section (二), where it does."""
    headings: list[str]
    triage: list[str] = []
    """Words of the section's table (traditional forms too) that tell a PDF page holds a table."""
    blocks: list[BlockSpec]

    @property
    def heading(self) -> str:
        """The heading as the form prints it (二、主动公开政府信息情况)."""
        return f"{self.number}、{self.headings[0]}" if self.number else self.headings[0]


class TemplateRow(BaseModel):
    """One row of a section as printed in one form: what the aligner looks for."""

    section: str
    block: str
    row: str
    labels: list[str]
    groups: list[str]
    columns: list[ColumnSpec]
    unit: str | None = None

    @property
    def fields(self) -> list[str]:
        return [field_id(self.section, self.row, c.id) for c in self.columns]


class SectionForm(BaseModel):
    section: str
    form: str
    rows: list[TemplateRow]

    @property
    def column_labels(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            for c in r.columns:
                seen.setdefault(c.labels[0])
        return list(seen)


class Relation(BaseModel):
    """``lhs = rhs``, each side a sum of field ids."""

    name: str
    lhs: list[str]
    rhs: list[str]

    @property
    def fields(self) -> list[str]:
        return self.lhs + self.rhs

    @property
    def equation(self) -> str:
        return f"{' + '.join(self.lhs)} = {' + '.join(self.rhs)}"


class Template(BaseModel):
    id: str
    sections: list[SectionForm]
    relations: list[Relation]
    derived: list[Relation]
    """``lhs`` (one field) is computed as the sum of ``rhs``."""
    told_by: list[str] = []
    """Sections whose printed form names the template among its family, in order."""
    since: int | None = None
    """The first year reported on in the form: the template of a report whose tables do not tell."""
    checked_by: str | None = None
    """The section whose printed form's template gives the relations and derived fields to check with."""

    @property
    def fields(self) -> list[str]:
        ids = [f for s in self.sections for r in s.rows for f in r.fields]
        ids += [d.lhs[0] for d in self.derived]
        return ids

    def section(self, name: str) -> SectionForm | None:
        return next((s for s in self.sections if s.section == name), None)


class PrintedField(BaseModel):
    """Where the form prints a field: its section and block, its row and column labels, its unit."""

    id: str
    section: str
    block: str
    row: str
    """The row's label ("" for the one unlabelled row of section 四, named by its column headers)."""
    column: list[str]
    """The header cells above its column, outermost first."""
    unit: str | None = None
    money: bool = False

    @property
    def column_label(self) -> str:
        return " / ".join(self.column)


def field_id(*parts: str) -> str:
    return ".".join(p for p in parts if p)


def _read(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def section_spec(section: str) -> SectionSpec:
    return SectionSpec.model_validate(_read(f"{section}.toml"))


def section_form(section: str, form: str) -> SectionForm | None:
    """The rows of ``section`` as the form ``form`` prints them, or None if it does not."""
    spec = section_spec(section)
    rows = [
        TemplateRow(section=section, block=b.name, row=r.id, labels=r.labels, groups=r.groups,
                    columns=b.columns, unit=r.unit)
        for b in spec.blocks if form in b.forms
        for r in b.rows if r.forms is None or form in r.forms
    ]
    return SectionForm(section=section, form=form, rows=rows) if rows else None


def _bindings(spec: str | list[str], forms: dict[str, SectionForm]) -> list[str]:
    if isinstance(spec, list):
        return spec
    section, what = spec.split(".")
    form = forms[section]
    if what == "rows":
        return list(dict.fromkeys(r.row for r in form.rows))
    return list(dict.fromkeys(c.id for r in form.rows for c in r.columns))


def _expand(raw: dict, forms: dict[str, SectionForm]) -> list[Relation]:
    (var, spec), = raw.get("for_each", {"_": ["_"]}).items()
    lhs, rhs = (re.findall(r"[\w.{}]+", side) for side in raw["equation"].split("="))
    return [
        Relation(
            name=raw.get("name", "derived") + ("" if var == "_" else f":{value}"),
            lhs=[t.replace("{" + var + "}", value) for t in lhs],
            rhs=[t.replace("{" + var + "}", value) for t in rhs],
        )
        for value in _bindings(spec, forms)
    ]


@cache
def templates() -> dict[str, Template]:
    out = {}
    for tid, raw in _read("templates.toml").items():
        forms = {s: section_form(s, tid) for s in raw["sections"]}
        out[tid] = Template(
            id=tid,
            sections=list(forms.values()),
            relations=[r for rel in raw.get("relations", []) for r in _expand(rel, forms)],
            derived=[r for rel in raw.get("derived", []) for r in _expand(rel, forms)],
            told_by=raw.get("told_by", []), since=raw.get("since"), checked_by=raw.get("checked_by"),
        )
    return out


@cache
def printed_fields(template_id: str) -> dict[str, PrintedField]:
    """Every field of a template (in its order) where the form prints it; a derived field by the
    row another form prints for it (the single (六)其他处理 row of 2019 for ``requests.other.*``)."""
    template = get_template(template_id)
    found: dict[str, PrintedField] = {}
    for name in (s.section for s in template.sections):
        blocks = sorted(section_spec(name).blocks, key=lambda b: template_id not in b.forms)  # its own first
        for b in blocks:
            for r in b.rows:
                for c in b.columns:
                    fid = field_id(name, r.id, c.id)
                    row = r.labels[0] if r.id else ""
                    found.setdefault(fid, PrintedField(id=fid, section=name, block=b.name, row=row,
                                                       column=c.printed, unit=r.unit or c.unit, money=c.money))
    return {f: found[f] for f in template.fields if f in found}


def get_template(template_id: str) -> Template:
    try:
        return templates()[template_id]
    except KeyError:
        raise ValueError(f"unknown template {template_id!r}; known: {', '.join(templates())}") from None


TOLD_BY_ROWS = 2
"""Rows of a ``told_by`` section matched for its printed form to name the template."""


def family(matched: Mapping[str, int]) -> list[Template]:
    """The templates that print the sections which matched the most rows (section → rows matched),
    the first family of ``templates.toml`` on a tie: one family prints the same sections."""
    families: dict[tuple[str, ...], list[Template]] = {}
    for t in templates().values():
        families.setdefault(tuple(s.section for s in t.sections), []).append(t)
    return max(families.values(), key=lambda ts: sum(matched.get(s.section, 0) for s in ts[0].sections))


def choose(matched: Mapping[str, int], forms: Mapping[str, str], year: int | None) -> tuple[str, bool]:
    """The template a report's tables are printed in, from the rows matched and the form (a template
    id) of each section, and whether only the year told it: within the `family`, the form of the
    first ``told_by`` section with enough rows matched, else the latest template in use in ``year``."""
    members = family(matched)
    if len(members) == 1:
        return members[0].id, False
    for section in members[0].told_by:
        if matched.get(section, 0) >= TOLD_BY_ROWS:
            return forms[section], False
    dated = [t for t in members if year is not None and t.since is not None and t.since <= year]
    return (dated[-1] if dated else members[0]).id, True


def rules_for(template_id: str, sections: Mapping[str, str]) -> Template:
    """The template whose relations and derived fields a report is checked with, from its template and
    the form each section was printed in (``Report.sections``): that of the form of its ``checked_by``
    section, else its own. Extraction and the review's apply both check with it."""
    template = get_template(template_id)
    printed = sections.get(template.checked_by) if template.checked_by else None
    return get_template(printed) if printed else template


PREVIOUS = "prev."
"""In a cross-year relation, the prefix of a field read in the report of the year before."""


@cache
def cross_year() -> list[Relation]:
    """The relations between a body's reports of consecutive years (``cross_year.toml``)."""
    forms = {s: section_form(s, "gov2021") for s in ("active", "requests", "appeals")}
    return [r for rel in _read("cross_year.toml")["relations"] for r in _expand(rel, forms)]
