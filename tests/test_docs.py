"""The docs hold: every relative link resolves, they speak of the project (not of its issues), and
docs/output.md says what the code emits, key by key."""

from __future__ import annotations

import re

import pytest

import gxextract
from gxextract.errors import GxError
from gxextract.longform import COLUMNS
from gxextract.models import Check, FieldResult, MetaField, Report, Source
from gxextract.templates import templates

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
OUTPUT = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_resolve(doc):
    for target in _LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        assert (doc.parent / target.split("#")[0]).exists(), f"{doc.name}: {target}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_speak_of_the_project_not_of_its_issues(doc):
    assert not re.search(r"\bissues? #?\d+", doc.read_text(encoding="utf-8"), re.I)


def tables(heading: str) -> list[list[str]]:
    """The first column of each table under ``heading`` in docs/output.md, up to the next heading."""
    section = re.split(r"\n#{2,3} ", OUTPUT.split(f"\n{heading}\n", 1)[1], maxsplit=1)[0]
    blocks = re.findall(r"(?:^\|.*\n?)+", section, re.M)
    return [re.findall(r"^\| `([^`]+)` \|", block, re.M) for block in blocks]


@pytest.mark.parametrize("heading, model", [("## The report", Report), ("### A field", FieldResult),
                                            ("### source", Source), ("### meta", MetaField),
                                            ("### A relation", Check)])
def test_output_md_names_every_key(heading, model):
    assert tables(heading)[0] == list(model.model_fields)


def test_output_md_templates_relations_columns_and_errors():
    counts = {t: int(n) for t, n in re.findall(r"^\| `(\w+)` \|.*\| (\d+) \|$", OUTPUT, re.M)}
    assert counts == {t: len(template.fields) for t, template in templates().items()}
    documented = {name.split(":")[0] for table in tables("### A relation")[1:] for name in table}
    assert documented == {r.name.split(":")[0] for t in templates().values() for r in t.relations}
    assert tables("## One row per field")[0] == COLUMNS
    every_field = {f for t in templates().values() for f in t.fields}
    for fid in re.findall(r"`((?:active|requests|appeals|legacy)\.[a-z_.]+)`", OUTPUT):
        assert fid in every_field, fid
    codes = {getattr(gxextract, n).code for n in gxextract.__all__
             if isinstance(getattr(gxextract, n), type) and issubclass(getattr(gxextract, n), GxError)} - {"error"}
    exit_codes = OUTPUT[OUTPUT.index("Exit codes"):]
    assert set(re.findall(r"`([a-z_]+)`", exit_codes.split("are those of `GxError`")[1])) == codes
