"""The prose as a second witness: statements read, mapped onto field ids and checked against the tables."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from benchmarks.narrative import match
from gxextract import extract, narrative, pipeline, witness
from gxextract.confidence import DISAGREES_CAP, PROSE_REPAIR, REVIEW_BELOW
from gxextract.models import Cell, Document, Report, Row, Source
from gxextract.readers import read
from gxextract.score import same

from .conftest import FIXTURES, load_truth

NARRATIVE = FIXTURES / "narrative"
GENERATED = sorted(p for p in NARRATIVE.iterdir() if p.is_file() and p.name != "manifest.json")
CITY = ("全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。"
        "行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
        "行政诉讼46件，其中结果维持25件，复议后起诉5件，其中尚未审结2件。")


def prose(*lines: str) -> Document:
    return Document(source=Source(format="text"), rows=[Row(cells=[Cell(text=t)], structured=False) for t in lines])


def test_a_city_report_s_sentences_map_onto_fields_and_sums_over_rows():
    got = [(s.value, s.fields) for s in narrative.read_statements(prose(CITY))]
    both = ["appeals.litigation_direct", "appeals.litigation_after_review"]
    assert got == [
        (3119, ["requests.new_received.total"]), (3050, ["requests.total.total"]),
        (34, ["requests.carried_over.total"]), (103, ["requests.carried_forward.total"]),
        (351, ["appeals.review.total"]), (72, ["appeals.review.upheld"]), (64, ["appeals.review.corrected"]),
        (178, ["appeals.review.other"]), (37, ["appeals.review.pending"]),
        (46, [f"{g}.total" for g in both]), (25, [f"{g}.upheld" for g in both]),
        (5, ["appeals.litigation_after_review.total"]), (2, ["appeals.litigation_after_review.pending"]),
    ]


@pytest.mark.parametrize("sentence", ["主动公开政府信息2602条。", "行政复议、行政诉讼各2件。", "办理人大代表建议38件。",
                                      "其中结果维持3件。"])
def test_a_phrase_that_fits_no_field_stays_unmapped(sentence):
    (s,) = narrative.read_statements(prose(sentence))
    assert s.fields == [] and s.value is not None


def test_lines_of_a_pdf_are_one_sentence_again_and_page_numbers_are_left_out():
    (s,) = narrative.read_statements(prose("本年度共收到政府信息公开申", "- 2 -", "请3", "1件，均已按时答复。"))
    assert (s.value, s.fields, s.text) == (31, ["requests.new_received.total"], "本年度共收到政府信息公开申请31件，均已按时答复。")


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.name)
def test_generated_prose_is_mapped_and_every_disagreement_reported(path):
    truth = load_truth(path.parent / "truth" / f"{path.stem}.json")
    report = extract(path)
    pairs = match(truth["narrative"]["statements"], report.narrative)
    assert [(e["clause"], e["fields"]) for e, s in pairs if s is None or s.fields != e["fields"]] == []
    for e, s in pairs:
        read_right = all(report.fields[f].value == truth["fields"].get(f) for f in s.fields)
        if s.table is None or not read_right:
            continue  # a cell of it was not read, or misread: the table as read is no witness of the truth
        assert s.holds is e["holds"], e["clause"]
        if e["holds"] is False:
            assert any(f"the prose says {s.value}" in w and s.text in w for w in report.warnings)
    for f in ("fees.processing.cases", "fees.processing.amount"):
        assert report.fields[f].value == truth["fields"][f]


def without_narrative(source) -> tuple[Document, Report]:
    """The document and its report as the tables alone give it, before the narrative step."""
    doc = read(source)
    with mock.patch.object(pipeline, "attach", lambda report, statements: report):
        return doc, pipeline.extract_document(doc)


@pytest.mark.parametrize("name", ["000_pdf_gov2021.pdf", "002_webtext_gov2021.txt"])
def test_the_narrative_step_changes_no_value_and_only_adds_its_own_flags(name):
    doc, base = without_narrative(NARRATIVE / name)
    after = narrative.attach(base, narrative.read_statements(doc))
    for fid, was in base.fields.items():
        now = after.fields[fid]
        assert (now.value, now.raw, now.proposed) == (was.value, was.raw, was.proposed)
        added = now.flags[len(was.flags):]
        assert now.flags[:len(was.flags)] == was.flags and all(x.startswith("prose_") for x in added)
    assert set(after.fields) - set(base.fields) == {"fees.processing.cases", "fees.processing.amount"}


def test_a_doubtful_cell_the_prose_states_apart_is_confirmed():
    path = NARRATIVE / "004_webtext_gov2021.txt"
    truth = load_truth(path.parent / "truth" / f"{path.stem}.json")["fields"]
    report = extract(path)
    total = report.fields["appeals.litigation_direct.total"]
    assert total.value == truth["appeals.litigation_direct.total"] == 66
    assert {"ambiguous_split", "prose_confirmed"} <= set(total.flags)
    assert not total.needs_review and total.confidence >= REVIEW_BELOW
    (s,) = [s for s in report.narrative if "appeals.litigation_direct.total" in s.confirms]
    assert (s.phrase, s.holds) == ("未经复议直接起诉66件", True)
    # the same digit run cut wrong elsewhere (6 and 60 for 66 and 0) stays to review
    upheld = report.fields["appeals.litigation_direct.upheld"]
    assert upheld.value != truth["appeals.litigation_direct.upheld"] and upheld.needs_review
    confirmed = [f for s in report.narrative for f in s.confirms]
    assert confirmed and all(same(report.fields[f].value, truth[f]) for f in confirmed)


def test_a_sum_with_two_addends_in_doubt_confirms_neither():
    doc, base = without_narrative(NARRATIVE / "004_webtext_gov2021.txt")
    both = ["appeals.litigation_direct.total", "appeals.litigation_after_review.total"]
    assert all(base.fields[f].needs_review for f in both)
    summed = narrative.attach(base, narrative.read_statements(prose("提起行政诉讼66件。")))
    (s,) = summed.narrative
    assert (s.fields, s.holds, s.confirms) == (both, True, [])
    assert all(summed.fields[f].needs_review for f in both)


def test_a_number_read_where_the_cell_was_read_is_no_witness():
    doc, base = without_narrative(NARRATIVE / "002_webtext_gov2021.txt")
    cell = base.fields["requests.new_received.total"]
    (prose_55,) = [s for s in narrative.read_statements(doc) if s.fields == ["requests.new_received.total"]]
    assert prose_55.phrase == "本年度共收到政府信息公开申请55件" and witness.apart(prose_55, cell)
    # the cell's own label, then its own reading: the number may be the cell itself (web text has no boxes)
    (own,) = narrative.read_statements(prose(f"{cell.label}{cell.raw}件。"))
    assert own.fields == ["requests.new_received.total"] and not witness.apart(own, cell)
    # in a PDF, boxes decide: the line of prose is elsewhere on the page; the cell's own box is not
    doc, pdf = without_narrative(NARRATIVE / "000_pdf_gov2021.pdf")
    cell = pdf.fields["requests.new_received.total"]
    (line,) = [s for s in narrative.read_statements(doc) if s.fields == ["requests.new_received.total"]]
    assert line.bbox and witness.apart(line, cell)
    assert not witness.apart(line.model_copy(update={"page": cell.page, "bbox": cell.bbox}), cell)


def test_a_disagreement_lowers_only_fields_nothing_else_confirms():
    path = NARRATIVE / "002_webtext_gov2021.txt"
    truth = load_truth(path.parent / "truth" / f"{path.stem}.json")["fields"]
    doc, base = without_narrative(path)
    report = narrative.attach(base, narrative.read_statements(doc))
    failing = {s.fields[0]: s for s in report.narrative if s.holds is False and len(s.fields) == 1}
    # 其中结果维持9件 of a cell read right (7) that no relation confirms: lowered, to review
    upheld = report.fields["appeals.litigation_direct.upheld"]
    assert failing["appeals.litigation_direct.upheld"].value == 9
    assert upheld.value == truth["appeals.litigation_direct.upheld"] == 7
    assert "prose_disagrees" in upheld.flags and upheld.needs_review and upheld.confidence <= DISAGREES_CAP
    # 部分公开8件 where the row and column sums confirm 13: the cell keeps its confidence
    partial = "requests.partially_disclosed.total"
    assert failing[partial].value == 8 and report.fields[partial].value == truth[partial] == 13
    assert report.fields[partial] == base.fields[partial] and not report.fields[partial].needs_review
    assert any(w.startswith("the prose says 8件 where the tables give 13") for w in report.warnings)


def test_a_broken_relation_s_repair_the_prose_states_is_confirmed():
    path = NARRATIVE / "006_html_gov2019.html"
    truth = load_truth(path.parent / "truth" / f"{path.stem}.json")["fields"]
    data = path.read_bytes()
    assert truth["requests.new_received.total"] == 4624 and data.count(b"4,624") == 1
    report = extract(data.replace(b"4,624", b"4,627"))  # the total of 本年新收 misprinted
    f = report.fields["requests.new_received.total"]
    assert (f.value, f.proposed, f.proposed_confidence) == (4627, 4624, PROSE_REPAIR)
    assert {"proposed_correction", "prose_agrees"} <= set(f.flags) and f.needs_review
    assert any("the repair proposed for requests.new_received.total (4624) agrees" in w and "申请4624件" in w
               for w in report.warnings)


def test_real_web_text_what_its_prose_says_of_its_tables():
    report = extract(FIXTURES / "webtext" / "webtext_fujian_pingtan_2020.txt")
    mapped = [(s.value, s.fields, s.holds) for s in report.narrative if s.fields]
    assert mapped == [(21, ["requests.new_received.total"], True)]
    assert any(s.value == 2602 and s.unit == "条" and not s.fields for s in report.narrative)
    department = extract(FIXTURES / "webtext" / "webtext_fujian_pingtanlwtj_2019.txt")
    (none,) = [s for s in department.narrative if s.fields]
    assert (none.value, none.fields, none.holds, none.phrase) == (
        0, ["requests.new_received.total"], True, "未收到信息公开申请")


def test_a_statement_that_fails_is_a_warning_naming_both_numbers_and_the_sentence():
    path = FIXTURES / "webtext" / "webtext_fujian_pingtan_2020.txt"
    text = path.read_text(encoding="utf-8").replace("共受理政府信息公开申请21件", "共受理政府信息公开申请17件")
    report = extract(text.encode("utf-8"))
    (s,) = [s for s in report.narrative if s.fields]
    assert (s.holds, s.table) == (False, 21)
    assert any(w.startswith("the prose says 17件 where the tables give 21 (requests.new_received.total)")
               and "共受理政府信息公开申请17件" in w for w in report.warnings)
    assert report.fields["requests.new_received.total"].value == 21


def test_fees_fields_only_where_printed():
    silent = extract(FIXTURES / "webtext" / "webtext_fujian_pingtan_2020.txt")
    assert not any(f.startswith("fees.") for f in silent.fields)
    charged = narrative.attach(silent, narrative.read_statements(prose("本年度共收取信息处理费3件，共计150元。")))
    assert (charged.fields["fees.processing.cases"].value, charged.fields["fees.processing.amount"].value,
            charged.fields["fees.processing.amount"].unit) == (3, 150, "元")


def test_the_default_corpus_prose_is_unchanged_by_the_narrative_mode():
    from benchmarks.corpus.generate import make_document

    manifest = json.loads((FIXTURES / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["form"] == "html")
    i = int(entry["name"][:3])
    name, data, truth = make_document(i, manifest["seed"])
    assert data == (FIXTURES / "corpus" / entry["file"]).read_bytes() and "narrative" not in truth
