"""The per-document task: one path in, one `Outcome` out.

Every executor runs this same function, so a document gives the same record on a
laptop and on a cluster. It never raises: bad input becomes a failed outcome with the
``code`` of its `GxError`; anything else becomes ``internal_error``.
"""

from __future__ import annotations

import importlib
import os
import resource
import signal
import time
import traceback as tracebacks
from typing import Callable, Literal

from pydantic import BaseModel

from ..names import shown
from ..outputs.journal import now_iso
from ..outputs.records import Failure, ReportLine, Stamp

DEFAULT_EXTRACTOR = "gxextract:extract_all"


class Outcome(BaseModel):
    """One document's outcome, the same from every executor (picklable): its journal records."""

    document: str
    """sha256 of the bytes read (a file changed since the scan is recorded as it is now)."""
    path: str
    """Absolute path, as the task gave it."""
    status: Literal["ok", "flagged", "failed"]
    seconds: float
    cpu: float | None = None
    """The worker's CPU seconds in the extraction."""
    reports: list[ReportLine] = []
    """When it worked: one line per report (one, or one per part of a compilation)."""
    failure: Failure | None = None
    """When it failed."""
    fatal: bool = False
    """The worker should not be reused."""


_resolved: dict[str, Callable] = {}


def resolve(spec: str) -> Callable:
    """``module:function`` → the function (the default is `gxextract.extract`)."""
    if spec not in _resolved:
        module, _, name = spec.partition(":")
        _resolved[spec] = getattr(importlib.import_module(module), name or "extract")
    return _resolved[spec]


def failed(task: dict, code: str, message: str, seconds: float = 0.0, cpu: float | None = None,
           fatal: bool = False, traceback: str | None = None) -> Outcome:
    """A failed outcome; its message one line of printable text, never empty."""
    seconds = round(seconds, 4)
    failure = Failure.of(task["document"], task["path"], code=code, message=shown(message) or code,
                         processed_at=now_iso(), seconds=seconds, traceback=traceback)
    return Outcome(document=task["document"], path=task["path"], status="failed", seconds=seconds, cpu=cpu,
                   failure=failure, fatal=fatal)


def process_document(task: dict, extractor: str = DEFAULT_EXTRACTOR) -> Outcome:
    """Extract one document. ``task``: ``{"document": sha256, "path": absolute path}``."""
    from ..compilations import report_key
    from ..errors import GxError

    start, cpu = time.perf_counter(), time.process_time()
    try:
        result = resolve(extractor)(task["path"])
        reports = result if isinstance(result, list) else [result]  # extract_all, or an extractor of one
        flagged = any(f.needs_review for r in reports for f in r.fields.values())
        # the hash of the bytes actually read: a file changed since the scan is recorded as it is now
        key = getattr(reports[0].source, "sha256", None) or task["document"]
        texts = [(report_key(key, r.part), r.model_dump_json()) for r in reports]
        seconds = round(time.perf_counter() - start, 4)
        stamp = Stamp.of(task["path"], now_iso(), seconds)
        return Outcome(document=key, path=task["path"], status="flagged" if flagged else "ok", seconds=seconds,
                       cpu=round(time.process_time() - cpu, 4),
                       reports=[ReportLine(document=k, batch=stamp, report=text) for k, text in texts])
    except GxError as exc:
        return failed(task, exc.code, str(exc), time.perf_counter() - start, cpu=round(time.process_time() - cpu, 4))
    except MemoryError:
        return failed(task, "out_of_memory", "the document needed more memory than the per-worker limit",
                      time.perf_counter() - start, fatal=True)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch; it is recorded
        tb = "".join(tracebacks.format_exception(exc)[-6:])
        return failed(task, "internal_error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start,
                      traceback="\n".join(map(shown, tb.splitlines())))


def limit_memory(limit_bytes: int | None) -> None:
    """Cap this process's address space, so that a runaway document raises MemoryError here
    instead of taking the machine down."""
    if not limit_bytes:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit_bytes = min(limit_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))


def worker_main(conn, memory_limit: int | None, extractor: str) -> None:
    """Loop of a local pool worker: receive a task, send its outcome, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limit_memory(memory_limit)
    try:
        resolve(extractor)
    except Exception:  # noqa: BLE001 - reported per document below
        pass
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break  # the parent is gone
        if task is None:
            break
        outcome = process_document(task, extractor)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            break
        if outcome.fatal:
            break
    conn.close()
    os._exit(0)
