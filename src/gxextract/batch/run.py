"""One batch run: discover → skip what is done (`resume`) → extract in parallel → journal → rebuild tables."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NothingFound
from ..names import escaped
from ..outputs.files import BatchBusy, locked, remove_stale_temporaries, writing
from ..outputs.journal import Journal, now_iso, read_at
from ..outputs.latest import Latest, scan
from ..outputs.layout import ERRORS, HASHES, REPORTS, RESUME
from ..outputs.records import Failure
from ..outputs.tables import rebuild
from .discovery import Discovery, HashCache, discover
from .resume import Redo, done_keys
from .worker import DEFAULT_EXTRACTOR, Outcome

DEFAULT_TIMEOUT = 600.0
MIN_MEMORY_LIMIT = 2 << 30


def default_memory_limit(workers: int) -> int:
    """Bytes of address space per worker: 80 % of the machine's memory shared by the workers,
    but at least 2 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0
    return max(MIN_MEMORY_LIMIT, int(total * 0.8 / max(1, workers)))


@dataclass
class BatchOptions:
    inputs: list[str]
    out: Path
    workers: int | None = None
    """Worker processes (local) or CPUs for a local Ray instance; default: one per core."""
    timeout: float | None = DEFAULT_TIMEOUT
    """Seconds one document may take; 0 or None: no limit."""
    memory_limit_mb: int | None = None
    """Address space per local worker in MiB; None: `default_memory_limit`; 0: no limit."""
    force: bool = False
    retry_failed: bool = False
    executor: str = "local"
    ray_address: str | None = None
    quiet: bool = False
    write_json: bool = True
    keep_previous: bool = False
    """Tables also hold documents done by earlier runs into ``out`` that ``inputs`` no longer name."""
    follow_links: bool = False
    """Follow symbolic links out of an input folder (and links to folders)."""
    panel: bool = True
    """Also write the panel (body × year) and the cross-year checks at the end (docs/panel.md)."""
    extractor: str = DEFAULT_EXTRACTOR
    max_tasks_per_worker: int = 500
    before_tables: Callable[[Path], object] | None = None
    """Called with the output folder, under its lock, before the tables are rebuilt at the end of a
    run: the command line passes the merge of the reviewers' stored decisions (docs/review.md)."""


@dataclass
class BatchSummary:
    out: str = ""
    files: int = 0
    skipped: Counter = field(default_factory=Counter)
    duplicates: int = 0
    missing: list[str] = field(default_factory=list)
    documents: int = 0
    already_done: int = 0
    processed: int = 0
    ok: int = 0
    flagged: int = 0
    failed: int = 0
    failure_codes: Counter = field(default_factory=Counter)
    elapsed: float = 0.0
    extract_seconds: float = 0.0
    """Sum of the per-document extraction times measured inside the workers."""
    extract_cpu: float = 0.0
    """Sum of the workers' CPU seconds in those extractions."""
    total_reports: int = 0
    total_errors: int = 0
    interrupted: bool = False
    lost: str = ""
    """Why the run stopped early when where documents run went away (a Ray cluster): those not
    finished are not recorded, and running the same command again does them."""

    @property
    def rate(self) -> float:
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM stops the run like Ctrl-C does: workers stopped, tables rebuilt from what is done."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def make_executor(opts: BatchOptions):
    from .executors import LocalExecutor, RayExecutor

    if opts.executor == "ray":
        return RayExecutor(address=opts.ray_address, num_cpus=opts.workers, timeout=opts.timeout,
                           extractor=opts.extractor)
    if opts.executor != "local":
        raise ValueError(f"unknown executor {opts.executor!r}: local or ray")
    workers = max(1, opts.workers or os.cpu_count() or 1)
    if opts.memory_limit_mb is None:
        limit = default_memory_limit(workers)
    else:
        limit = opts.memory_limit_mb * (1 << 20)
    return LocalExecutor(workers=workers, timeout=opts.timeout, memory_limit=limit, extractor=opts.extractor,
                         max_tasks_per_worker=opts.max_tasks_per_worker)


def _record_left_out(out: Path, found: Discovery, latest: Latest, errors: Journal) -> None:
    """An errors.jsonl record (code ``skipped``, with its ``reason``) for each file left out, unless the
    journal has it already. Its ``document`` is ``path:`` and the escaped path: it has no document."""
    for x in found.left_out:
        key = "path:" + escaped(x.path)
        if key in latest.errors and read_at(out / ERRORS, latest.errors[key][0]).get("reason") == x.reason:
            continue
        errors.append_line(Failure.of(key, x.path, code="skipped", reason=x.reason, message=x.message,
                                      processed_at=now_iso()).line())


def _record(outcome: Outcome, reports: Journal, errors: Journal, summary: BatchSummary) -> None:
    """One document's outcome into the journals and the counts."""
    if outcome.failure is not None:
        errors.append_line(outcome.failure.line())
        summary.failure_codes[outcome.failure.code] += 1
    for report in outcome.reports:
        reports.append_line(report.line())
    setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
    summary.processed += 1
    summary.extract_seconds += outcome.seconds
    summary.extract_cpu += outcome.cpu or 0.0


def run_batch(opts: BatchOptions) -> BatchSummary:
    """Run one batch (see `gxextract.batch`); KeyboardInterrupt stops it cleanly, with
    ``summary.interrupted`` set and every finished document kept.

    Raises NothingFound when the inputs name no document, OutputFailed when the output folder
    cannot be written (what was journaled stays), BatchBusy when another batch holds it."""
    from .executors import ExecutorLost

    out = Path(opts.out)
    summary = BatchSummary(out=escaped(out))
    with contextlib.ExitStack() as stack:
        with writing(out):
            out.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(out))
            remove_stale_temporaries(out)
        stack.enter_context(_sigterm_as_interrupt())
        executor = make_executor(opts)
        executor.prepare()
        from .progress import BatchProgress

        progress = BatchProgress(quiet=opts.quiet)
        cache = HashCache(out / HASHES)
        with progress.scanning() as on_file:
            found = discover(opts.inputs, exclude=[out], cache=cache, on_file=on_file,
                             follow_links=opts.follow_links)
        with writing(out / HASHES):
            cache.save()
        summary.files, summary.skipped = found.files, found.skipped
        summary.duplicates, summary.missing = found.duplicates, [escaped(m) for m in found.missing]
        summary.documents = len(found.documents)

        latest = scan(out)
        reports = Journal(out / REPORTS).open()
        errors = Journal(out / ERRORS).open()
        try:
            _record_left_out(out, found, latest, errors)
            if not found.documents:
                raise NothingFound(f"{', '.join(map(escaped, opts.inputs))}: no document found "
                                   f"({found.files} files looked at"
                                   + "".join(f", {k} {n}" for k, n in sorted(found.skipped.items())) + ")")
            redo = Redo.of(out, opts.force, opts.retry_failed)
            done = done_keys(latest, redo)
            todo = [d for d in found.documents if d.key not in done]
            current = {d.key: escaped(d.path) for d in found.documents}
            summary.already_done = summary.documents - len(todo)
            progress.begin(len(todo))
            try:
                for outcome in executor.map({"document": d.key, "path": d.path} for d in todo):
                    _record(outcome, reports, errors, summary)
                    current.setdefault(outcome.document, escaped(outcome.path))  # changed since the scan
                    progress.advance(outcome)
            except KeyboardInterrupt:
                summary.interrupted = True
            except ExecutorLost as exc:
                summary.lost = str(exc)
            finally:
                progress.end()
                summary.elapsed = time.monotonic() - progress.start
        finally:
            reports.close()
            errors.close()
        with progress.status("writing the tables…"), writing(out):
            if redo is not None and not (summary.interrupted or summary.lost):
                (out / RESUME).unlink(missing_ok=True)
            if opts.before_tables is not None:
                opts.before_tables(out)
            only = None if opts.keep_previous else current
            latest, summary.total_reports = rebuild(out, only, write_json=opts.write_json, panel=opts.panel)
        failures = [k for k in latest.errors if not k.startswith("path:")]
        summary.total_errors = len(failures) if only is None else len(set(failures) & set(only))
    return summary


__all__ = ["BatchOptions", "BatchSummary", "run_batch", "default_memory_limit"]
