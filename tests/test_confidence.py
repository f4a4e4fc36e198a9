"""The confidence policy is named once, in gxextract.confidence, and docs/confidence.md says what it says."""

from __future__ import annotations

import ast
import re

from gxextract import align, confidence
from gxextract.confidence import MIN_SIMILARITY, UNSURE_FLAGS, policy_table

from .conftest import ROOT

DOC = (ROOT / "docs" / "confidence.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAMED = re.compile(r"`([A-Z][A-Z_]+)` \((\d+(?:\.\d+)?)\)")
"""A number of the policy as the docs write it: `BROKEN_CAP` (0.3)."""
POLICY = {name for name, value in vars(confidence).items() if name.isupper() and isinstance(value, float)}
NAMED_ONCE = POLICY | {"INFO_FLAGS", "UNSURE_FLAGS"}


def test_the_doc_prints_the_policy_table():
    assert policy_table() in DOC
    assert set(re.findall(r"^\| `([A-Z_]+)` \|", policy_table(), re.M)) == POLICY


def test_numbers_the_docs_name_are_the_policys():
    named = [(doc.name, *m) for doc in DOCS for m in NAMED.findall(doc.read_text(encoding="utf-8"))]
    assert len(named) > 20
    for doc, name, value in named:
        assert getattr(confidence, name) == float(value), f"{doc}: `{name}` ({value})"


def test_the_policy_prose_writes_every_number_with_its_name():
    """Above the calibration (measured figures), a number of the policy is written `NAME` (value);
    only the ends of the scale, 0 and 1.0, go without a name."""
    prose = DOC.split("## Calibration")[0].replace(policy_table(), "")
    bare = re.findall(r"(?<![\w.`])\d+\.\d+\b|\b\d+ %", NAMED.sub("", prose))
    assert set(bare) <= {"1.0"}, bare


def test_the_doc_lists_the_flags_of_doubt_a_witness_clears():
    listed = DOC.split("being unsure — ", 1)[1].split(" — confirms", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", listed)) == UNSURE_FLAGS


def test_no_other_module_sets_a_number_of_the_policy():
    for path in (ROOT / "src" / "gxextract").rglob("*.py"):
        if path.name == "confidence.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            assert not {t.id for t in targets if isinstance(t, ast.Name)} & NAMED_ONCE, path


def test_label_ratios_cut_off_below_the_least_similarity():
    """The aligner drops ratios under its cutoff: they must never be ones that could match a row."""
    assert align._CUTOFF / 100 < MIN_SIMILARITY
