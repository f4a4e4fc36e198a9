"""What a person sees: a rich progress bar while the batch runs, a summary table after.

``quiet`` is for logs: no bar, one plain line per failed document, one summary line.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..names import shown
from .worker import Outcome


class BatchProgress:
    def __init__(self, quiet: bool = False, console: Console | None = None):
        self.quiet = quiet
        self.console = console or Console(stderr=True)
        self.counts: Counter = Counter()
        self.start = time.monotonic()
        self._progress: Progress | None = None
        self._task = None

    @contextlib.contextmanager
    def scanning(self):
        """A spinner while the inputs are scanned and hashed; yields the per-file callback."""
        if self.quiet:
            yield None
            return
        with self.console.status("scanning inputs…") as status:
            last = [0.0]

            def on_file(n: int) -> None:
                now = time.monotonic()
                if now - last[0] > 0.2:
                    last[0] = now
                    status.update(f"scanning inputs: {n} files")

            yield on_file

    @contextlib.contextmanager
    def status(self, text: str):
        """A spinner for a step without a count (writing the tables)."""
        if self.quiet:
            yield
            return
        with self.console.status(text):
            yield

    def begin(self, total: int) -> None:
        self.start = time.monotonic()
        if self.quiet or total == 0:
            return
        self._progress = Progress(
            SpinnerColumn(), TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("[green]ok {task.fields[ok]}[/] [yellow]flagged {task.fields[flagged]}[/] "
                       "[red]failed {task.fields[failed]}[/]"),
            console=self.console, transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("batch", total=total, rate="", ok=0, flagged=0, failed=0)

    @property
    def rate(self) -> float:
        n = sum(self.counts.values())
        elapsed = time.monotonic() - self.start
        return n / elapsed if elapsed > 0 else 0.0

    def advance(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.failure is not None and self.quiet:
            self.console.print(f"failed {shown(outcome.path)}: {outcome.failure.code}: {outcome.failure.message}",
                               markup=False, highlight=False, soft_wrap=True)
        if self._progress is not None:
            self._progress.update(self._task, advance=1, rate=f"{self.rate:.1f} docs/s", **{
                k: self.counts[k] for k in ("ok", "flagged", "failed")})

    def end(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_summary(summary, console: Console | None = None, quiet: bool = False) -> None:
    console = console or Console()
    codes = ", ".join(f"{c} {n}" for c, n in summary.failure_codes.most_common())
    skipped = ", ".join(f"{k} {n}" for k, n in sorted(summary.skipped.items()))
    if quiet:
        console.print(
            f"batch: {summary.documents} documents ({summary.already_done} already done), "
            f"{summary.processed} extracted in {summary.elapsed:.1f} s ({summary.rate:.1f} docs/s): "
            f"ok {summary.ok}, flagged {summary.flagged}, failed {summary.failed}"
            + (f" ({codes})" if codes else "")
            + f"; skipped {sum(summary.skipped.values())}" + (f" ({skipped})" if skipped else "")
            + f", duplicates {summary.duplicates}; outputs: {summary.total_reports} reports, "
              f"{summary.total_errors} errors in {summary.out}"
            + (" [interrupted]" if summary.interrupted else ""),
            markup=False, highlight=False, soft_wrap=True)
        return
    t = Table(title="gxextract batch" + (" (interrupted)" if summary.interrupted else ""), show_header=False)
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_column()
    t.add_row("files looked at", str(summary.files), "")
    t.add_row("skipped (not documents)", str(sum(summary.skipped.values())), skipped)
    t.add_row("duplicates (same bytes)", str(summary.duplicates), "")
    if summary.missing:
        t.add_row("missing (named by a list)", str(len(summary.missing)), ", ".join(summary.missing[:3]))
    t.add_row("documents", str(summary.documents), "")
    t.add_row("already done (skipped)", str(summary.already_done), "use --force to redo")
    t.add_row("extracted now", str(summary.processed), f"{summary.elapsed:.1f} s, {summary.rate:.2f} docs/s")
    t.add_row("[green]ok", str(summary.ok), "no field to review")
    t.add_row("[yellow]flagged", str(summary.flagged), "some fields need review")
    t.add_row("[red]failed", str(summary.failed), codes)
    t.add_row("in the outputs", f"{summary.total_reports}", f"reports, {summary.total_errors} failed, in {summary.out}")
    console.print(t)
