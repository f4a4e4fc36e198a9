"""Text whose layout a converter scrambled, and blocks moved in the reading order, held to truth."""

import re
import unicodedata
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


GENERATED_PDFTOTEXT = FIXTURES / "converter" / "generated_008_pdftotext_gov2021.txt"
GENERATED_TRUTH = FIXTURES / "converter" / "truth" / "generated_008_pdftotext_gov2021.json"


def test_blank_cells_of_a_layout_line_are_known_by_their_column():
    """``pdftotext -layout`` keeps the appeals row's blank cells only as wider gaps: each number is
    placed under its header column, and a column with none is a cell printed blank, not guessed."""
    report = extract(GENERATED_PDFTOTEXT)
    truth = load_truth(GENERATED_TRUTH)
    appeals = {f: v for f, v in truth["fields"].items() if f.startswith("appeals.")}
    assert sum(v is None for v in appeals.values()) == 4
    for f, v in appeals.items():
        assert report.fields[f].value == v and not report.fields[f].needs_review
        assert ("printed_blank" in report.fields[f].flags) == (v is None)


def _fixed_width(text: str) -> str:
    """The text as a fixed-width export lays it out: every chunk (words one space apart) at twice its
    character column, counted in display columns, a CJK character two wide."""
    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    def line(s: str) -> str:
        out = ""
        for m in re.finditer(r"\S+(?: \S+)*", s):
            out += " " * max(1, 2 * m.start() - width(out)) + m.group()
        return out

    return "\f".join("\n".join(map(line, page.split("\n"))) for page in text.split("\f"))


def test_a_fixed_width_export_counts_a_cjk_character_two_columns_wide():
    """The same report laid out in display columns (CJK two wide, as a fixed-width text export does)
    reads as the converter's text does: the count under which the numbers line up is taken."""
    text = _fixed_width(GENERATED_PDFTOTEXT.read_text(encoding="utf-8"))
    report = extract(text.encode("utf-8"))
    wrong, silent = mismatches(report, load_truth(GENERATED_TRUTH))
    assert wrong == [] and silent == []
