"""What a run does: the documents that have no record, and what an interrupted run left to redo.

A document is done when a journal holds a record of it. A ``--force`` (or ``--retry-failed``) run
writes ``.resume.json`` with its start time first and removes it only when it ends normally; a
later run without the flag finds it and carries on as that run would have: documents whose latest
record predates it (failed ones, for ``--retry-failed``) are redone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..compilations import document_of
from ..outputs.files import atomic_write_text, writing
from ..outputs.journal import now_iso
from ..outputs.latest import Latest
from ..outputs.layout import RESUME


@dataclass
class Redo:
    """What a ``--force`` or ``--retry-failed`` run redoes: records older than ``since``."""

    since: str
    force: bool = False
    retry_failed: bool = False

    @classmethod
    def of(cls, out: Path, force: bool, retry_failed: bool) -> "Redo | None":
        """This run's: from its flags (saved in ``out``, so that an interrupted run resumes as it
        was), else the one an interrupted run left."""
        if force or retry_failed:
            redo = cls(since=now_iso(), force=force, retry_failed=retry_failed)
            with writing(out / RESUME):
                atomic_write_text(out / RESUME, json.dumps(redo.__dict__))
            return redo
        try:
            saved = json.loads((out / RESUME).read_text(encoding="utf-8"))
            return cls(since=str(saved["since"]), force=bool(saved.get("force")),
                       retry_failed=bool(saved.get("retry_failed")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def redoes(self, key: str, latest: Latest) -> bool:
        record = latest.reports.get(key) or latest.errors.get(key)
        return record[1] < self.since and (self.force or key in latest.errors)


def done_keys(latest: Latest, redo: Redo | None) -> set[str]:
    """Keys of the documents this run does not do again (a compilation's by any of its reports)."""
    return {document_of(k) for k in latest.done if redo is None or not redo.redoes(k, latest)}
