"""extract(): one pipeline for every input form; extract_all(): every report of a compilation.

    file ─► readers.read ─► Document ─► restream ─► segments.segment ─► align.align ─► copies.mark_copies
         ─► checks.finish ─► Report ─► narrative.attach (the prose's statements, read before restream)
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz

from .align import Reading, SectionAlignment, align, label_keys
from .checks import Cellular, finish
from .compilations import several_reports, split
from .confidence import BY_YEAR
from .copies import mark_copies
from .errors import NotAReport, TooLarge
from .limits import Limits, applied, current
from .metadata import read_metadata
from .models import Document, MetaField, Report
from .narrative import attach, read_statements
from .normalize import label_key
from .readers import read
from .restream import restream
from .segments import segment
from .templates import Template, choose, get_template, rules_for

MIN_MATCHED_ROWS = 4
"""Fewer template rows than this found in a document: it is not a disclosure report."""
OWN_LABEL = 8
"""A sub-row label this long (in `label_key` characters) is its own: found in a report, the row is
printed there (其他, short and common, tells nothing)."""
SHOWN_LABEL = 90
"""Fuzzy score (`rapidfuzz.fuzz.partial_ratio`) at which a sub-row's label is found among a report's
labels: an OCR slip or two in a long label."""
SHOWN_SHARE = 0.8
"""A report's label is compared with a sub-row's if it is at least this share of the sub-row label's
length."""


def extract(source: str | Path | bytes, limits: Limits | None = None) -> Report:
    """Read a report (a path, or its bytes) and return every canonical field, checked.

    ``limits``: what the document may make gxextract use (`gxextract.limits.Limits`, whose fields
    document the defaults); over one, TooLarge is raised before the work that would need it. A file
    that holds several reports (a compilation) raises SeveralReports: read it with extract_all."""
    with applied(limits):
        doc = read(source)
        parts = split(doc)
        if len(parts) > 1:
            raise several_reports(doc.source.path or "input", parts)
        return extract_document(doc)


def extract_all(source: str | Path | bytes, limits: Limits | None = None) -> list[Report]:
    """Every report of a file, each read on its own rows, with its ``part`` and ``span`` when the file
    holds several (a compilation, 年报汇编: docs/compilations.md); one Report for a file that holds one."""
    with applied(limits):
        return [extract_document(p.doc).model_copy(update={"part": p.number, "span": p.span})
                for p in split(read(source))]


def _choose_template(sections: dict[str, SectionAlignment], year: int | None) -> tuple[Template, MetaField]:
    """The template the tables are printed in, and how it was told: by its own rows, or by the year."""
    form, by_year = choose({s: a.matched for s, a in sections.items()}, {s: a.form.form for s, a in sections.items()},
                           year)
    if by_year:
        return get_template(form), MetaField(value=form, confidence=BY_YEAR, needs_review=True, flags=["by_year"])
    return get_template(form), MetaField(value=form, confidence=1.0, needs_review=False)


def _unprinted_subrows(template: Template, printed: str, readings: list[Reading], labels: set[str]
                       ) -> dict[str, Cellular]:
    """Sub-rows a report's template has but its printed section lacks (a single (六) row in a gov2021
    report): zero where the printed row forces it, else missing and flagged. Where the report's labels
    (``labels``: their `align.label_keys`) hold a sub-row's own label, it does print them and they
    were not read: missing."""
    read_values = {r.field: r.token.value.number if r.token else None for r in readings}
    rows = {f: row for form in template.sections for row in form.rows for f in row.fields}
    out = {}
    for rule in template.derived:
        total = read_values.get(rule.lhs[0])
        shown = any(_shown(rows[f].labels, labels) for f in rule.rhs if f in rows)
        for f in rule.rhs:
            if shown:
                out[f] = Cellular(flags=["missing"])
            elif total == 0:
                out[f] = Cellular(value=0, raw=None, confidence=1.0, flags=["forced_zero"])
            else:
                out[f] = Cellular(flags=["not_printed"])
    return out if printed != template.id else {}


def _shown(variants: list[str], labels: set[str]) -> bool:
    """Whether one of a row's long label variants stands among (or inside) the report's labels: labels
    as long as most of it (OCR may drop a character or two; a short label matches inside any key)."""
    keys = [k for k in map(label_key, variants) if len(k) >= OWN_LABEL]
    return any(fuzz.partial_ratio(k, label) >= SHOWN_LABEL
               for k in keys for label in labels if len(label) >= SHOWN_SHARE * len(k))


MAX_TABLE_SEGMENTS = 10_000
"""Labelled rows carrying values: alignment time grows with them; a report has about a hundred."""


def extract_document(doc: Document) -> Report:
    name = doc.source.path or "input"
    statements = read_statements(doc)  # the running text as printed, before the tables are re-cut
    doc = restream(doc)
    limit = current().rows
    if len(doc.rows) > limit:
        raise TooLarge(f"{name}: {len(doc.rows)} lines or table rows, over the limit of {limit} for one report "
                       "(several reports in one file? split it)")
    segments = segment(doc)
    tabular = sum(1 for s in segments if s.labels and s.values)
    if tabular > MAX_TABLE_SEGMENTS:
        raise TooLarge(f"{name}: {tabular} labelled rows of numbers, over the limit of {MAX_TABLE_SEGMENTS} "
                       "for one report (several reports in one file? split it)")
    sections = align(segments)
    meta = read_metadata(doc.title_lines, doc.text())
    year, agency = meta["year"].value, meta["agency"].value
    template, meta["template"] = _choose_template(sections, year)
    used = [sections[s.section] for s in template.sections]
    if sum(a.matched for a in used) < MIN_MATCHED_ROWS:
        raise NotAReport(
            f"{doc.source.path or 'input'}: no disclosure-report statistics table was found "
            f"({sum(a.matched for a in used)} template rows matched)" + "".join(f"; {w}" for w in doc.warnings)
        )
    copy_warnings = mark_copies(segments, used)
    readings = [r for a in used for r in a.readings]
    runs = [run for a in used for run in a.runs]
    printed = {a.form.section: a.form.form for a in used if a.matched}
    rules = rules_for(template.id, printed)
    forced = _unprinted_subrows(template, rules.id, readings, label_keys(segments))
    fields, checks = finish(readings, runs, rules.relations, rules.derived, forced)
    ordered = {f: fields[f] for f in template.fields if f in fields}
    ordered.update({f: v for f, v in fields.items() if f not in ordered})
    warnings = doc.warnings + [f"section {a.form.section} not found" for a in used if a.matched == 0] + copy_warnings
    if year is None:
        warnings.append("the year reported on was not found")
    return attach(Report(
        template=template.id, year=year, agency=agency, source=doc.source,
        meta={k: meta[k] for k in ("template", "year", "agency")},
        sections=printed,
        fields=ordered, checks=checks, warnings=warnings,
    ), statements)
