"""`gxextract score` (and benchmarks/score.py, which runs it) counts as a hand-checker would."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import FIXTURES, ROOT

TRUTH = FIXTURES / "seeds" / "truth"


def score(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "gxextract", "score", *args], capture_output=True, text=True,
                          check=True).stdout


def test_score_counts_wrong_flagged_silent_and_missing(tmp_path):
    truth_dir, out_dir = tmp_path / "truth", tmp_path / "out"
    truth_dir.mkdir()
    out_dir.mkdir()
    names = [p.stem for p in sorted(TRUTH.glob("*.json")) if json.loads(p.read_text(encoding="utf-8"))["fields"]]
    slips = {}
    for k, name in enumerate(names):
        truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
        (truth_dir / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
        if k == 0:
            continue  # no output at all
        fields = {f: {"value": v, "needs_review": False} for f, v in truth["fields"].items()}
        ids = list(fields)
        slips[name] = ids[k]
        fields[ids[k]] = {"value": 99999, "needs_review": k % 2 == 0}  # wrong: flagged for k = 2 only
        if k == 3:
            del fields[ids[0]]  # left out: wrong and counted as flagged
            fields[ids[5]]["needs_review"] = True  # right but flagged
        out = {"template": truth["template"], "year": truth["year"] + (k == 2), "fields": fields}
        (out_dir / f"{name}.json").write_text(json.dumps(out), encoding="utf-8")
    n = sum(len(json.loads((truth_dir / f"{name}.json").read_text(encoding="utf-8"))["fields"]) for name in names)
    first = len(json.loads((truth_dir / f"{names[0]}.json").read_text(encoding="utf-8"))["fields"])
    wrong = first + 4  # every field of the document without output, and one wrong field in each of the others
    flagged = first + 1 + 1 + 1  # the missing document's, the flagged wrong one, the left-out one, the flagged right one
    assert score(str(truth_dir), str(out_dir)).splitlines() == [
        "documents: 4 (no output: 1, all fields right: 0)",
        f"fields: {n}, right: {n - wrong}, wrong: {wrong}, wrong and unflagged: 2",
        "template+year right: 5/8",
        f"score: accuracy={(n - wrong) / n:.4f} catch={(wrong - 2) / wrong:.4f} review={flagged / n:.4f} "
        "silent_errors=2",
    ]
    per_doc = score(str(truth_dir), str(out_dir), "--per-doc")
    assert f"  {names[1]} {slips[names[1]]}: want " in per_doc and "got 99999 flagged=False" in per_doc
    assert f"{names[0]}: {first} wrong" in per_doc.splitlines()


def test_benchmarks_score_py_is_the_same_scorer(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    script = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "score.py"), str(TRUTH), str(out)],
                            capture_output=True, text=True, check=True).stdout
    assert script == score(str(TRUTH), str(out))
