"""``gxextract batch``: the click command (made and registered by `gxextract.cli`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import NothingFound, OutputFailed
from ..outputs.files import BatchBusy
from .run import DEFAULT_TIMEOUT, BatchOptions, run_batch
from .worker import DEFAULT_EXTRACTOR

EXIT_CODES = {"nothing_found": 2, "busy": 3, "output_failed": 4, "executor_lost": 5}
"""Beside 0 (the batch ran to the end), 2 (bad arguments or inputs) and 130 (interrupted); docs/batch.md."""


def batch_command(before_tables: Callable[[Path], object] | None = None) -> click.Command:
    """The command; ``before_tables`` as `BatchOptions.before_tables`."""

    @click.command()
    @click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
    @click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="Output folder (created if needed; re-running into it resumes).")
    @click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
                  help="Worker processes (or CPUs of a local Ray instance). Default: one per core.")
    @click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                  help="Seconds one document may take (0: no limit).")
    @click.option("--memory-limit", "memory_limit_mb", type=click.IntRange(min=0), default=None,
                  help="Address space per worker, MiB (0: no limit). Default: 80% of memory / workers, >= 2 GiB.")
    @click.option("--force", is_flag=True, help="Redo documents already done.")
    @click.option("--retry-failed", is_flag=True, help="Redo documents that failed before (others stay done).")
    @click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                  help="Where documents are extracted.")
    @click.option("--ray-address", default=None, metavar="ADDRESS",
                  help="Ray cluster to join (e.g. auto or ray://head:10001); default: start a local instance.")
    @click.option("--json/--no-json", "write_json", default=True, show_default=True,
                  help="Also write one JSON file per report to OUT/json/.")
    @click.option("--follow-links", is_flag=True,
                  help="Follow symbolic links that lead out of an input folder, and links to folders.")
    @click.option("--keep-previous", is_flag=True,
                  help="Tables also keep documents done by earlier runs into OUT that INPUT no longer names.")
    @click.option("--panel/--no-panel", default=True, show_default=True,
                  help="Also write panel.parquet/.csv and cross_year.parquet/.csv (docs/panel.md).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar: plain lines for logs.")
    @click.option("--extractor", default=DEFAULT_EXTRACTOR, hidden=True,
                  help="module:function called on each path (for tests and experiments).")
    def batch(inputs, out, workers, timeout, memory_limit_mb, force, retry_failed, executor, ray_address,
              write_json, follow_links, keep_previous, panel, quiet, extractor) -> None:
        """Extract every report under INPUT... (files, folders, or lists of paths) into OUT.

        \b
        INPUT is a file, a folder (searched recursively), @LIST or a .lst file
        (one path a line), or a .txt file whose every line names an existing path.
        Files are recognised by content; non-documents are skipped and counted.
        \b
        OUT gets reports.jsonl, errors.jsonl, fields.parquet, reports.csv,
        review.csv, json/, and the panel (panel.*, cross_year.*). A re-run
        skips documents already done (by content hash), so an interrupted batch
        is completed by running it again.
        """
        opts = BatchOptions(inputs=list(inputs), out=out, workers=workers, timeout=timeout,
                            memory_limit_mb=memory_limit_mb, force=force, retry_failed=retry_failed,
                            executor=executor, ray_address=ray_address, quiet=quiet, write_json=write_json,
                            keep_previous=keep_previous, follow_links=follow_links, panel=panel,
                            extractor=extractor, before_tables=before_tables)
        try:
            summary = run_batch(opts)
        except FileNotFoundError as exc:
            raise click.BadParameter(str(exc), param_hint="INPUT") from None
        except (NothingFound, BatchBusy, OutputFailed) as exc:
            click.echo(f"error ({exc.code}): {exc}", err=True)
            sys.exit(EXIT_CODES[exc.code])
        from .progress import print_summary

        print_summary(summary, quiet=quiet)
        if summary.lost:
            click.echo(f"error (executor_lost): {summary.lost}", err=True)
            sys.exit(EXIT_CODES["executor_lost"])
        if summary.interrupted:
            sys.exit(130)

    return batch
