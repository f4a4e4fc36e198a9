"""``gxextract review``, ``gxextract apply`` and ``gxextract inspect`` (registered in `gxextract.cli`)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The page to write (default: DIR/review.html).")
@click.option("--no-pictures", is_flag=True, help="No page crops (a smaller page).")
def review(out: Path, target: Path | None, no_pictures: bool) -> None:
    """Write one self-contained HTML page to review the flagged cells of a batch output DIR.

    \b
    Keys: j/k or arrows move, a accepts the value read, p the proposal,
    typing a number + Enter records a correction, e exports corrections.json.
    Merge the export with: gxextract apply DIR corrections.json
    """
    from .page import build

    target = target or out / "review.html"
    n = build(out, target, pictures=not no_pictures)
    click.echo(f"{target}: {n} flagged cells")


@click.command(name="apply")
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("corrections", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def apply_command(out: Path, corrections: Path) -> None:
    """Merge a review's corrections.json into the batch output DIR (kept in DIR/corrections.jsonl,
    so later batch runs keep them)."""
    from .apply import apply

    n, changed = apply(out, corrections)
    click.echo(f"{out}: {n} decisions recorded, {changed} reports updated, tables rebuilt")


@click.command(name="inspect")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PNG pages.")
@click.option("--scale", type=click.FloatRange(min=0.5, max=6), default=2.0, show_default=True,
              help="Pixels per PDF point.")
def inspect_command(file: Path, out_dir: Path, scale: float) -> None:
    """Draw the table regions, cells and field ids found in a PDF or image FILE onto PNG pages."""
    from .inspect import inspect

    for p in inspect(file, out_dir, scale=scale):
        click.echo(str(p))
