"""The command line: ``gxextract extract``, ``gxextract fields`` (and the commands added below)."""

from __future__ import annotations

import sys

import click

from .errors import GxError
from .templates import get_template, templates


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
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as one JSON object.")
def extract(file: str, as_json: bool) -> None:
    """Extract every canonical field of one report."""
    from .pipeline import extract as run

    report = run(file)
    if as_json:
        click.echo(report.model_dump_json(indent=1))
        return
    flagged = report.flagged
    click.echo(f"{file}: {report.template}, year {report.year}, {report.agency or 'agency unknown'}")
    click.echo(f"{len(report.fields)} fields, {len(flagged)} to review, "
               f"{sum(c.holds is False for c in report.checks)} broken relations")
    for fid, f in flagged.items():
        extra = f" (proposed {f.proposed})" if f.proposed is not None else ""
        click.echo(f"  {fid} = {f.value!r} raw={f.raw!r}{extra}: {', '.join(f.flags) or 'low confidence'}")


@main.command()
@click.option("--template", "template_id", type=click.Choice(sorted(templates())), default="gov2021",
              show_default=True)
def fields(template_id: str) -> None:
    """List the canonical field ids of a template."""
    for fid in get_template(template_id).fields:
        click.echo(fid)


from .batch.command import batch  # noqa: E402 - `gxextract batch` (issue 6)

main.add_command(batch)

from .review.commands import apply_command, inspect_command, review  # noqa: E402 - review workflow (issue 8)

main.add_command(review)
main.add_command(apply_command)
main.add_command(inspect_command)
