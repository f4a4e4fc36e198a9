"""Every flagged field says why, in flags that docs/confidence.md and `gxextract.flags` both explain."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from gxextract import extract, extract_all
from gxextract.confidence import INFO_FLAGS
from gxextract.flags import MEANINGS, meaning

from .conftest import FIXTURES, ROOT, load_truth

TEXT_FIXTURES = sorted(p for folder in ("seeds", "text", "converter", "webtext")
                       for p in (FIXTURES / folder).iterdir() if p.is_file() and p.name != "README.md")
SCANNED = {"pdf-scan", "png", "jpeg", "tiff", "webimages"}
QUICK_SCANS = {"small_active.png", "036_png_gov2021.png"}
"""Scans read in about two seconds, with many fields flagged: in the default run; every other scan,
and every fixture of fixtures/ocr, with ``-m slow``."""


def truth_documents() -> list:
    """Every fixture document with a truth beside it, as a test parameter (not the words a reader
    hands to a later stage, kept as JSON with their document's truth)."""
    out = []
    for folder in sorted(p.name for p in FIXTURES.iterdir() if (p / "truth").is_dir()):
        for truth in sorted((FIXTURES / folder / "truth").glob("*.json")):
            slow = folder == "ocr" or load_truth(truth).get("form") in SCANNED
            for path in sorted(p for p in (FIXTURES / folder).glob(f"{truth.stem}.*")
                               if p.is_file() and p.suffix != ".json"):
                marks = [pytest.mark.slow] if slow and path.name not in QUICK_SCANS else []
                out.append(pytest.param(path, id=f"{folder}/{path.name}", marks=marks))
    return out


@cache
def reports():
    return {p.name: extract(p) for p in TEXT_FIXTURES}


def documented() -> dict[str, bool]:
    """flag → whether it calls for review, from the flag tables of docs/confidence.md."""
    out = {}
    for line in (ROOT / "docs" / "confidence.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3 and cells[2] in ("yes", "no"):
            for flag in re.findall(r"`([a-z_]+)(?::<name>)?`", cells[0]):
                out[flag] = cells[2] == "yes"
    return out


@pytest.mark.parametrize("path", truth_documents())
def test_every_flagged_field_says_why(path):
    """A field or a metadata entry to review carries a flag that calls for review (`low_confidence` at least)."""
    reports = extract_all(path)
    silent = [f"{key}: {f.flags}" for r in reports for key, f in [*r.fields.items(), *r.meta.items()]
              if f.needs_review and all(x.partition(":")[0] in INFO_FLAGS for x in f.flags)]
    assert reports and not silent


def test_a_field_flagged_by_its_confidence_alone_says_so(tmp_path):
    # a row label printed short (matched below LABEL_SURE) in section 二, where no relation can confirm the
    # values: flagged by confidence alone, which once left them with no flag at all
    seed = (FIXTURES / "seeds" / "001_2561814c437a049f.txt").read_text(encoding="utf-8")
    short = tmp_path / "short_label.txt"
    short.write_text(seed.replace("其他对外管理服务事项", "对外管理服务事项", 1), encoding="utf-8")
    fields = extract(short).fields
    for column in ("prev_count", "change", "decisions"):
        f = fields[f"active.other_services.{column}"]
        assert f.needs_review and f.flags == ["low_confidence"]


def test_the_flags_are_documented_and_explained():
    docs = documented()
    assert set(docs) == set(MEANINGS)
    assert {f for f, review in docs.items() if not review} == INFO_FLAGS
    seen = {x.partition(":")[0] for r in reports().values() for f in r.fields.values() for x in f.flags}
    assert seen <= set(MEANINGS) and "low_confidence" in seen
    assert meaning("relation:row_total:disclosed") == f"{MEANINGS['relation']} (row_total:disclosed)"


def _flag_names(node: ast.AST, constants: dict[str, str]) -> set[str]:
    """The flags an expression that builds flags writes: its strings, an f-string by its literal or
    module-constant start, through lists, joins, conditionals and calls (a comprehension only filters)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value.partition(":")[0]}
    if isinstance(node, ast.JoinedStr):  # f"relation:{name}", f"{BROKEN}:{name}"
        first = node.values[0]
        text = first.value if isinstance(first, ast.Constant) else constants.get(getattr(first.value, "id", ""), "")
        return {text.partition(":")[0]}
    if isinstance(node, ast.IfExp):
        parts = [node.body, node.orelse]
    elif isinstance(node, ast.BinOp):
        parts = [node.left, node.right]
    elif isinstance(node, ast.Call):
        parts = node.args
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        parts = node.elts
    else:
        return set()
    return set().union(*(_flag_names(part, constants) for part in parts))


def emitted(path: Path) -> set[str]:
    """The flags the module at ``path`` writes: appended to a ``flags`` list, given as ``flags=``/``flag=``
    or a ``"flags"`` key, bound to a ``flag``/``flags`` parameter of its own functions and classes, or
    assigned to ``flag``/``flags``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) for t in n.targets if isinstance(t, ast.Name)}
    params = {n.name: [a.arg for a in n.args.args] for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    params |= {n.name: [s.target.id for s in n.body if isinstance(s, ast.AnnAssign)]
               for n in tree.body if isinstance(n, ast.ClassDef)}
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "append" and \
                    getattr(func.value, "attr", getattr(func.value, "id", None)) == "flags":
                found += node.args
            found += [k.value for k in node.keywords if k.arg in ("flag", "flags")]
            found += [a for a, p in zip(node.args, params.get(getattr(func, "id", None), [])) if p in ("flag", "flags")]
        elif isinstance(node, ast.Dict):
            found += [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "flags"]
        elif isinstance(node, ast.Assign):
            targets = {getattr(n, "id", getattr(n, "attr", None)) for t in node.targets for n in ast.walk(t)}
            if targets & {"flag", "flags"}:
                found.append(node.value)
    return set().union(*(_flag_names(node, constants) for node in found))


def test_every_flag_the_code_writes_is_documented():
    """What the source writes, read from it: a flag added anywhere must be in the docs' tables."""
    written = set().union(*(emitted(p) for p in (ROOT / "src" / "gxextract").rglob("*.py")))
    assert written == set(documented()), (written ^ set(documented()))
