"""The prose as a second witness: statements read, mapped onto field ids and checked against the tables."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from benchmarks.narrative import match
from gxextract import extract, narrative, pipeline
from gxextract.models import Cell, Document, Row, Source
from gxextract.readers import read

from .conftest import FIXTURES, load_truth

GENERATED = sorted(p for p in (FIXTURES / "narrative").iterdir() if p.is_file() and p.name != "manifest.json")
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


def test_the_narrative_step_changes_no_field():
    doc = read(GENERATED[0])
    with mock.patch.object(pipeline, "attach", lambda report, statements: report):
        base = pipeline.extract_document(doc)
    after = narrative.attach(base, narrative.read_statements(doc))
    assert {f: v.model_dump() for f, v in base.fields.items()} == \
        {f: v.model_dump() for f, v in after.fields.items() if f in base.fields}
    assert set(after.fields) - set(base.fields) == {"fees.processing.cases", "fees.processing.amount"}


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
