"""One batch run: discover → skip what is done → extract in parallel → journal → rebuild tables."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .discovery import HashCache, discover
from .journal import Journal
from .outputs import ERRORS, HASHES, REPORTS, BatchBusy, compact, locked, remove_stale_temporaries, scan, write_tables
from .worker import DEFAULT_EXTRACTOR

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
    extractor: str = DEFAULT_EXTRACTOR
    max_tasks_per_worker: int = 500


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


def _report_line(outcome: dict) -> str:
    """The journal line: ``document``, ``batch`` (path, time), then the report's own JSON."""
    report = outcome["report"].strip()
    assert report.startswith("{") and report.endswith("}")
    meta = json.dumps({"path": outcome["path"], "processed_at": outcome["processed_at"],
                       "seconds": outcome["seconds"]}, ensure_ascii=False, separators=(",", ":"))
    sep = "," if report != "{}" else ""
    return f'{{"document":{json.dumps(outcome["document"])},"batch":{meta}{sep}{report[1:]}'


def run_batch(opts: BatchOptions) -> BatchSummary:
    """Run one batch (see `gxextract.batch`); KeyboardInterrupt stops it cleanly, with
    ``summary.interrupted`` set and every finished document kept."""
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(out=str(out))
    with locked(out), _sigterm_as_interrupt():
        remove_stale_temporaries(out)
        executor = make_executor(opts)
        executor.prepare()
        from .progress import BatchProgress

        progress = BatchProgress(quiet=opts.quiet)
        cache = HashCache(out / HASHES)
        with progress.scanning() as on_file:
            found = discover(opts.inputs, exclude=[out], cache=cache, on_file=on_file)
        cache.save()
        summary.files, summary.skipped = found.files, found.skipped
        summary.duplicates, summary.missing = found.duplicates, found.missing
        summary.documents = len(found.documents)

        latest = scan(out)
        if opts.force:
            skip: set[str] = set()
        else:
            skip = set(latest.reports) | (set() if opts.retry_failed else set(latest.errors))
        todo = [d for d in found.documents if d.key not in skip]
        current = {d.key: d.path for d in found.documents}
        summary.already_done = summary.documents - len(todo)

        progress.begin(len(todo))
        reports = Journal(out / REPORTS).open()
        errors = Journal(out / ERRORS).open()
        try:
            if todo:
                for outcome in executor.map({"document": d.key, "path": d.path} for d in todo):
                    if outcome["status"] == "failed":
                        errors.append({k: outcome[k] for k in
                                       ("document", "path", "code", "message", "processed_at", "seconds")
                                       if k in outcome} | ({"traceback": outcome["traceback"]}
                                                          if "traceback" in outcome else {}))
                        summary.failed += 1
                        summary.failure_codes[outcome["code"]] += 1
                    else:
                        reports.append_line(_report_line(outcome))
                        setattr(summary, outcome["status"], getattr(summary, outcome["status"]) + 1)
                    summary.processed += 1
                    current.setdefault(outcome["document"], outcome["path"])  # changed since the scan
                    summary.extract_seconds += outcome.get("seconds") or 0.0
                    summary.extract_cpu += outcome.get("cpu") or 0.0
                    progress.advance(outcome)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            reports.close()
            errors.close()
            progress.end()
            summary.elapsed = time.monotonic() - progress.start

        from ..review.apply import reapply_stored  # reviewed values kept across runs (issue 8)

        with progress.status("writing the tables…"):
            reapply_stored(out)
            latest = scan(out, collect_fields=True)
            if latest.needs_compaction:
                compact(out, latest)
            only = None if opts.keep_previous else current
            summary.total_reports = write_tables(out, latest, write_json=opts.write_json, only=only)
        summary.total_errors = len(latest.errors) if only is None else len(set(latest.errors) & set(only))
    return summary


__all__ = ["BatchOptions", "BatchSummary", "BatchBusy", "run_batch", "default_memory_limit"]
