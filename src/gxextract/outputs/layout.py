"""The files of a batch output folder, by name.

Journals (append-only, see `journal`): ``reports.jsonl`` (one report a line: the output
contract's JSON plus ``document``, the sha256 of its bytes, and ``batch``: path, time),
``errors.jsonl`` (one failed document or file left out a line) and ``corrections.jsonl`` (the
reviewers' decisions). Every other file is rebuilt from them (`tables`) and written atomically
(`files`), so a killed run leaves each either as it was or whole.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import GxError

REPORTS = "reports.jsonl"
ERRORS = "errors.jsonl"
CORRECTIONS = "corrections.jsonl"
FIELDS = "fields.parquet"
WIDE = "reports.csv"
REVIEW = "review.csv"
JSON_DIR = "json"
NARRATIVE = "narrative.parquet"
HASHES = ".hashes.json"
"""The batch's cache of content hashes (`gxextract.batch.discovery.HashCache`)."""
RESUME = ".resume.json"
"""What an interrupted ``--force`` or ``--retry-failed`` run left to redo (`gxextract.batch.resume`)."""
LOCK = ".lock"
TMP_PREFIX = ".tmp-"


class NotABatchOutput(GxError):
    """A folder no batch has written to."""

    code = "not_a_batch_output"


def batch_output(out: Path) -> Path:
    """``out``, if a batch has written its journals there (else `NotABatchOutput`)."""
    if not ((out / REPORTS).is_file() or (out / ERRORS).is_file()):
        raise NotABatchOutput(f"{out}: not a batch output folder (no {REPORTS} or {ERRORS}): "
                              f"make one with gxextract batch REPORTS/ --out {out}")
    return out
