"""Text whose layout a converter scrambled, and blocks moved in the reading order, held to truth."""

from pathlib import Path

import pytest

from gxextract import extract

from .conftest import FIXTURES, extract_against_truth, load_truth, mismatches

CONVERTER = sorted(p for p in (FIXTURES / "converter").iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


@pytest.mark.parametrize("path", CONVERTER, ids=lambda p: p.stem)
def test_converter_text(path: Path):
    report, truth, wrong, silent = extract_against_truth(path)
    assert (report.template, report.year) == (truth["template"], truth["year"])
    assert silent == [] and wrong == []


def test_a_table_block_moved_after_the_rest_of_its_section_is_read():
    """A PDF-to-Markdown tool printed the first block of section 二 after the other blocks."""
    path = FIXTURES / "text" / "markdown_0_gov2019.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "第二十条第(一)项" in line)
    end = next(i for i, line in enumerate(lines) if "第二十条第(五)项" in line)
    section3 = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    moved = lines[:start] + lines[end:section3] + lines[start:end] + lines[section3:]
    report = extract("\n".join(moved).encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(FIXTURES / "text" / "truth" / "markdown_0_gov2019.json"))
    assert wrong == [] and silent == []
    assert not any(report.fields[f"active.{row}.{col}"].needs_review
                   for row in ("regulations", "normative_docs") for col in ("new_made", "new_published", "total_published"))
