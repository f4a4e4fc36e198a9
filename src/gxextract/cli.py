"""The command line: ``gxextract extract``, ``fields``, ``schema``, ``score`` and the batch and
review commands registered at the end.

Exit codes: 0 done; 2 bad input or arguments (one line on stderr, nothing on stdout); 1 a bug
(a traceback: please report it). ``batch`` adds its own (docs/batch.md).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .errors import GxError
from .templates import templates


class _Group(click.Group):
    """Reports our own errors as one line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GxError as exc:
            click.echo(f"error ({exc.code}): {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="gxextract")
def main() -> None:
    """gxextract: clean, checked data from disclosure annual reports (政府信息公开工作年度报告)."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table: the report's tables as printed, flagged cells marked; json: the whole report "
                   "(docs/output.md); csv: one row per field.")
@click.option("--json", "as_json", is_flag=True, help="Short for --format json.")
@click.option("--all", "every", is_flag=True,
              help="Every report of a file that holds several (a compilation): json prints an array, csv a part "
                   "column, table one report after the other.")
def extract(file: str, fmt: str, as_json: bool, every: bool) -> None:
    """Extract every canonical field of one report (of every report of a compilation, with --all)."""
    from rich.console import Console

    from .pipeline import extract as run, extract_all
    from .view.progress import page_progress

    with page_progress(Console(stderr=True)):
        reports = extract_all(file) if every else [run(file)]
    if as_json or fmt == "json":
        if every:
            click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1))
        else:
            click.echo(reports[0].model_dump_json(indent=1))
    elif fmt == "csv":
        click.echo(_csv([r.to_dict() for r in reports], every), nl=False)
    else:
        from .view.report import show

        console = Console()
        for report in reports:
            show(report, console)


def _csv(reports: list[dict], parts: bool) -> str:
    from .compilations import report_key
    from .longform import COLUMNS, rows

    buf = io.StringIO()
    writer = csv.DictWriter(buf, (["part"] if parts else []) + COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        part = {"part": report.get("part")} if parts else {}
        key = report_key(report["source"].get("sha256"), report.get("part"))
        for row in rows(report, document=key):
            writer.writerow(dict(row, flags="; ".join(row["flags"] or []), **part))
    return buf.getvalue()


@main.command()
@click.option("--template", "template_id", type=click.Choice(sorted(templates())), default="gov2021",
              show_default=True)
def fields(template_id: str) -> None:
    """List the fields of a template: id, section, row and column labels as the form prints them, unit.

    \b
    gov2019 and gov2021 are the State Council's forms of 2019 and 2021
    (the form a report prints, not the year it reports on); legacy2018 is
    the table of 2018 and before. Tab-separated when not on a terminal.
    """
    from rich.console import Console

    from .templates import printed_fields
    from .view.fields import table, tsv

    console = Console()
    printed = list(printed_fields(template_id).values())
    if console.is_terminal:
        console.print(table(printed))
    else:
        click.echo(tsv(printed), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a report (what extract --format json prints)."""
    from .models import Report

    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("truth_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("out_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--per-doc", is_flag=True, help="Also a line per wrong field and per document.")
def score(truth_dir: Path, out_dir: Path, per_doc: bool) -> None:
    """Score extraction output OUT_DIR/NAME.json against hand-checked truth TRUTH_DIR/NAME.json.

    \b
    Prints field accuracy, wrong fields left unflagged (silent errors),
    the share of fields flagged, and template and year (see gxextract.score).
    """
    from .score import score_folders

    for line in score_folders(truth_dir, out_dir, click.echo if per_doc else None).lines():
        click.echo(line)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--names", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CSV of name,body: names of one body printed differently (docs/panel.md).")
def panel(out: Path, names: Path | None) -> None:
    """Build the panel (body × year) of a batch output folder OUT and check its years against each
    other: panel.parquet/.csv and cross_year.parquet/.csv in OUT, and the tables again with the
    fields of broken relations flagged (docs/panel.md). A names file is kept as OUT/names.csv."""
    import shutil

    from .outputs.files import atomic_path, locked
    from .outputs.layout import FIELDS
    from .outputs.tables import refresh
    from .panel import NAMES, make_panel, read_names

    if not (out / FIELDS).exists():
        raise click.ClickException(f"{out} is not a batch output folder (no {FIELDS}): run gxextract batch first")
    with locked(out):
        if names:
            read_names(names)  # a file that cannot be read stops here, the kept one unchanged
            with atomic_path(out / NAMES) as tmp:
                shutil.copyfile(names, tmp)
        refresh(out, panel=True)
    built = make_panel(out)
    broken = sum(1 for c in built.cross_year if not c["holds"])
    click.echo(f"{len(built.rows)} reports of {len({r.body for r in built.rows})} bodies; "
               f"{len(built.cross_year)} cross-year relations checked, {broken} broken; "
               f"{len(built.unplaced)} reports without a body or a year left out. Written to {out}.")


def _reviewed(out: Path) -> None:
    """The reviewers' stored decisions merged into a batch's journal again (docs/review.md)."""
    from .review.apply import reapply_stored

    reapply_stored(out)


from .batch.command import batch_command  # noqa: E402 - `gxextract batch`, docs/batch.md

main.add_command(batch_command(before_tables=_reviewed))

from .review.commands import apply_command, inspect_command, review  # noqa: E402 - docs/review.md

main.add_command(review)
main.add_command(apply_command)
main.add_command(inspect_command)
