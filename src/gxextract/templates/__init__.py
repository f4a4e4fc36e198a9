"""The templates as data: sections, their printed forms, relations and derived fields.

The TOML files beside this module are the single source of truth: one file per
section (its blocks, rows, columns and label variants, each marked with the forms
that print it) and ``templates.toml`` (which template prints which sections, the
relations of the form and the fields derived from others).
"""

from __future__ import annotations

import re
import tomllib
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
    headings: list[str]
    blocks: list[BlockSpec]


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

    @property
    def fields(self) -> list[str]:
        ids = [f for s in self.sections for r in s.rows for f in r.fields]
        ids += [d.lhs[0] for d in self.derived]
        return ids

    def section(self, name: str) -> SectionForm | None:
        return next((s for s in self.sections if s.section == name), None)


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
        )
    return out


def get_template(template_id: str) -> Template:
    try:
        return templates()[template_id]
    except KeyError:
        raise ValueError(f"unknown template {template_id!r}; known: {', '.join(templates())}") from None
