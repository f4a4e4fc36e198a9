"""Extraction output scored against hand-checked truth: ``gxextract score TRUTH_DIR OUT_DIR``.

Each truth file ``NAME.json`` in TRUTH_DIR (``{"template", "year", "fields": {id: value}}``, as in
``fixtures/seeds/truth``) is matched with ``NAME.json`` in OUT_DIR: the JSON of
``gxextract extract --format json``, or the ``json/`` folder of a batch. A field is right when its
value equals the truth's (``null`` only equals ``null``); a field the output lacks is wrong and
counts as flagged. Printed: documents, fields right and wrong, wrong fields left unflagged (silent
errors: the goal is none), template and year, and a last line ``score: accuracy=… catch=… review=…
silent_errors=…`` (catch: the share of wrong fields that were flagged; review: the share flagged).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def same(a, b) -> bool:
    """Whether a value read equals the truth (numbers compared as numbers; None only equals None)."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    except (TypeError, ValueError):
        return False


@dataclass
class Tally:
    """Counts over one document or many (`add`)."""

    docs: int = 0
    no_output: int = 0
    exact_docs: int = 0
    fields: int = 0
    correct: int = 0
    wrong: int = 0
    wrong_flagged: int = 0
    flagged: int = 0
    meta_ok: int = 0
    meta_n: int = 0

    def add(self, other: Tally) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def accuracy(self) -> float:
        return self.correct / self.fields if self.fields else 0.0

    @property
    def catch(self) -> float:
        return self.wrong_flagged / self.wrong if self.wrong else 1.0

    @property
    def review(self) -> float:
        return self.flagged / self.fields if self.fields else 0.0

    @property
    def silent(self) -> int:
        return self.wrong - self.wrong_flagged

    def lines(self) -> list[str]:
        return [
            f"documents: {self.docs} (no output: {self.no_output}, all fields right: {self.exact_docs})",
            f"fields: {self.fields}, right: {self.correct}, wrong: {self.wrong}, wrong and unflagged: {self.silent}",
            f"template+year right: {self.meta_ok}/{self.meta_n}",
            f"score: accuracy={self.accuracy:.4f} catch={self.catch:.4f} review={self.review:.4f} "
            f"silent_errors={self.silent}",
        ]


def score_one(truth: dict, out: dict | None, tally: Tally | None = None,
              on_wrong: Callable[[str, object, object, bool], None] | None = None) -> Tally:
    """One document's counts (added to ``tally`` when given); ``out`` None: the document has no
    output. ``on_wrong(field, want, got, flagged)`` is called for each wrong field."""
    t = tally if tally is not None else Tally()
    t.docs += 1
    if out is None:
        t.no_output += 1
    fields = (out or {}).get("fields") or {}
    for key in ("template", "year"):
        t.meta_n += 1
        t.meta_ok += out is not None and str(out.get(key)) == str(truth.get(key))
    doc_wrong = 0
    for fid, want in truth.get("fields", {}).items():
        t.fields += 1
        got = fields.get(fid) or {}
        review = bool(got.get("needs_review", fid not in fields))
        t.flagged += review
        if fid in fields and same(got.get("value"), want):
            t.correct += 1
            continue
        t.wrong += 1
        t.wrong_flagged += review
        doc_wrong += 1
        if on_wrong:
            on_wrong(fid, want, got.get("value"), review)
    t.exact_docs += out is not None and doc_wrong == 0
    return t


def _output(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def score_folders(truth_dir: Path, out_dir: Path, echo: Callable[[str], None] | None = None) -> Tally:
    """Every truth file of ``truth_dir`` against its namesake in ``out_dir``; ``echo`` gets a line
    per wrong field and per document."""
    total = Tally()
    for tf in sorted(Path(truth_dir).glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        before = total.wrong

        def wrong(fid, want, got, flagged, stem=tf.stem):
            if echo:
                echo(f"  {stem} {fid}: want {want!r} got {got!r} flagged={flagged}")

        score_one(truth, _output(Path(out_dir) / tf.name), total, wrong)
        if echo:
            echo(f"{tf.stem}: {total.wrong - before} wrong")
    return total
