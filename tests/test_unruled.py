"""The builder of unruled tables and running text (`gxextract.unruled`) on its own, fed the words of
real pages: a text PDF's characters joined into words, and the words a scan's OCR boxes gave
(`fixtures/ocr/unruled_appeals_words.json`). The rows it builds are checked against the truth of
the document the page is from."""

from __future__ import annotations

import json

from gxextract import unruled
from gxextract.models import Cell, Row
from gxextract.pdf import objects
from gxextract.pdf import unruled as pdf_unruled
from gxextract.pdf.cells import dedupe, lines

from .conftest import FIXTURES, load_truth

REQUESTS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
APPEALS = [f"{group}.{col}" for group in ("review", "litigation_direct", "litigation_after_review")
           for col in ("upheld", "corrected", "other", "pending", "total")]


def _pdf_words(name: str, page: int) -> tuple[list[unruled.Word], float]:
    """The words of a page of ``fixtures/pdf/NAME.pdf`` as the PDF reader makes them, and the page's width."""
    pdf = objects.open_pdf((FIXTURES / "pdf" / f"{name}.pdf").read_bytes(), None)
    try:
        p = pdf[page - 1]
        chars, frame = objects.page_chars(p)
        p.close()
    finally:
        pdf.close()
    return [w for line in lines(dedupe(chars)) for w in pdf_unruled.words(line, page)], frame.width


def _ocr_words(name: str) -> tuple[list[unruled.Word], float]:
    """The words the OCR reader handed to the builder for one scanned page (``fixtures/ocr/NAME.json``)."""
    data = json.loads((FIXTURES / "ocr" / f"{name}.json").read_text(encoding="utf-8"))
    words = [unruled.Word(**{**w, "box": tuple(w["box"]),
                             "source_box": tuple(w["source_box"]) if w.get("source_box") else None})
             for w in data["words"]]
    return words, data["width"]


def _rows(words: list[unruled.Word], width: float, blanks_known: bool) -> list[Row]:
    items = unruled.page_items(words, width, blanks_known)
    assert [top for top, _ in items] == sorted(top for top, _ in items)
    return [row for _, row in items]


def _row(rows: list[Row], label: str) -> Row:
    return next(r for r in rows if r.cells and r.cells[0].text.startswith(label))


def _values(row: Row, truth: dict, fields: list[str]) -> tuple[list, list]:
    """The row's value cells as numbers (None for a blank), and the truth of ``fields``."""
    cells = row.cells[-len(fields):]
    return [None if not c.text else int(c.text) for c in cells], [truth["fields"][f] for f in fields]


def test_pdf_rows_keep_their_labels_wrapped_labels_joined():
    words, width = _pdf_words("unruled", 2)
    rows = _rows(words, width, blanks_known=True)
    truth = load_truth(FIXTURES / "pdf" / "truth" / "unruled.json")
    row = _row(rows, "一、本年新收")
    assert row.structured and row.cells[0].text == "一、本年新收政府信息公开申请数量"
    got, want = _values(row, truth, [f"requests.new_received.{c}" for c in REQUESTS])
    assert got == want and len(row.cells) == 1 + len(REQUESTS)
    # a label wrapped over two lines beside its numbers is one cell
    row = _row(rows, "（二）部分公开")
    assert row.cells[0].text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    got, want = _values(row, truth, [f"requests.partially_disclosed.{c}" for c in REQUESTS])
    assert got == want
    # running text stays unstructured
    assert any(not r.structured and r.cells[0].text.startswith("三、收到和处理") for r in rows)


def test_pdf_blank_cells_known_by_their_column():
    """An unruled table with cells printed blank: the appeals row (no label, three cells blank) laid
    under its header's fifteen columns, and sub-rows printed blank between rows with their labels."""
    truth = load_truth(FIXTURES / "pdf" / "truth" / "unruled_blanks.json")
    words, width = _pdf_words("unruled_blanks", 3)
    rows = _rows(words, width, blanks_known=True)
    appeals = next(r for r in rows if r.structured and len(r.cells) == len(APPEALS))
    got, want = _values(appeals, truth, [f"appeals.{f}" for f in APPEALS])
    assert got == want and None in want
    assert all(c.boxed for c in appeals.cells if not c.text)  # a text layer leaves no doubt
    words, width = _pdf_words("unruled_blanks", 2)
    rows = _rows(words, width, blanks_known=True)
    for label, field in (("1.属于国家秘密", "withheld.state_secret"), ("6.属于四类过程性信息", "withheld.process_info")):
        assert all(truth["fields"][f"requests.{field}.{c}"] is None for c in REQUESTS)
        row = _row(rows, label)
        assert [c.text for c in row.cells] == [label] + [""] * len(REQUESTS)  # one under each column
        assert all(c.boxed for c in row.cells[1:])


def test_ocr_blank_cells_known_by_their_column_and_flagged():
    """The words of a scanned page (a table with horizontal rules only, read as unruled): the header's
    wrapped column labels stacked (结果 over 维持), the appeals row's values laid under them, its
    blanks known by their place but not sure (the detector may have missed a mark)."""
    words, width = _ocr_words("unruled_appeals_words")
    assert sum(w.text in ("结果", "维持") for w in words) >= 6  # the header's labels wrapped as printed
    rows = _rows(words, width, blanks_known=False)
    truth = load_truth(FIXTURES / "corpus" / "truth" / "023_pdf-scan_gov2019.json")
    header = next(r for r in rows if len(r.cells) == len(APPEALS) and not r.structured)
    assert [c.text for c in header.cells[:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    appeals = next(r for r in rows if r.structured)
    got, want = _values(appeals, truth, [f"appeals.{f}" for f in APPEALS])
    assert got == want and want.count(None) == 5
    assert not any(c.boxed for c in appeals.cells)
    assert all(c.bbox is not None for c in appeals.cells if c.text)


def test_ocr_blanks_as_sure_as_the_page_shows_their_place_empty():
    """A scan's blanks are not known by the words alone; given what the page's pixels show in each
    blank's place (nothing, this sure), they are real cells with that score, their place between the
    words beside it."""
    data = json.loads((FIXTURES / "ocr" / "unruled_appeals_words.json").read_text(encoding="utf-8"))
    words = [unruled.Word(text=w["text"], box=tuple(w["box"]), page=w["page"], size=w["size"], numeric=w["numeric"])
             for w in data["words"]]
    asked: list[unruled.Box] = []
    items = unruled.page_items(words, data["width"], False,
                               lambda box, _: asked.append(box) or Cell(text="", page=1, boxed=True, score=1.0))
    appeals = next(r for _, r in items if r.structured)
    blanks = [c for c in appeals.cells if not c.text]
    assert len(blanks) == len(asked) == 5 and all(c.boxed and c.score == 1.0 for c in blanks)
    values = [w.box for w in words if w.numeric]
    for x0, top, x1, bottom in asked:  # each place lies between the row's values, level with them
        assert x0 < x1 and not any(v[0] < x1 and x0 < v[2] and v[1] < bottom and top < v[3] for v in values)


def _word(text: str, x0: float, top: float, x1: float, numeric: bool = False) -> unruled.Word:
    return unruled.Word(text=text, box=(x0, top, x1, top + 10), page=1, size=10, numeric=numeric)


def test_rows_printed_blank_in_their_own_place_and_after_the_last_numbers():
    """Sub-rows printed blank: one beside a taller group label (its place is its own label's, not the
    group's), and two after the table's last row of numbers; numbered running text below stays text."""
    words = [_word("1.甲", 60, 100, 100), *(_word(v, x, 100, x + 8, True) for v, x in (("1", 200), ("2", 250), ("3", 300))),
             _word("2.乙", 60, 130, 100), *(_word(v, x, 130, x + 8, True) for v, x in (("4", 200), ("5", 250), ("6", 300))),
             _word("（五）", 0, 130, 40), _word("不予", 0, 144, 40), _word("处理", 0, 158, 40), _word("3.丙", 60, 160, 100),
             _word("4.丁", 60, 190, 100), _word("1、本年度共收到申请，办理情况如下所述的各项内容。", 20, 280, 320)]
    rows = _rows(words, 400, blanks_known=True)
    texts = [[c.text for c in r.cells] for r in rows]
    assert texts[:4] == [["1.甲", "1", "2", "3"], ["2.乙", "4", "5", "6"], ["（五）不予处理", "3.丙", "", "", ""], ["4.丁", "", "", ""]]
    assert all(r.structured for r in rows[:4])
    assert not rows[4].structured


def test_a_numbering_read_apart_from_its_label_is_not_a_value_of_the_row_above():
    """A scanned sub-row whose numbering the detector read as a word of its own (``3.`` beside
    要求提供公开出版物): a number before a row's label is the label's numbering, not one more value of
    the row above (2、重复申请 had eight values then, and every field of it was flagged)."""
    from gxextract.models import Document, Source
    from gxextract.segments import segment

    words, width = _ocr_words("unruled_numbering_words")
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_numbering_words.json")
    segments = segment(Document(source=Source(format="pdf-scan"), rows=_rows(words, width, blanks_known=False)))
    for label, field in (("2、重复申请", "not_processed.duplicate"), ("要求提供公开出版物", "not_processed.publication")):
        seg = next(s for s in segments if s.labels and s.labels[-1].text == label)
        assert [t.value.number for t in seg.values] == [truth["fields"][f"requests.{field}.{c}"] for c in REQUESTS]
    assert next(s for s in segments if s.labels and s.labels[-1].text == "要求提供公开出版物").labels[0].text == "3."


def test_a_header_word_reaching_into_its_neighbours_place_is_a_column_of_its_own():
    """A scanned appeals table whose wrapped header word 其他结果 was read with a piece of the 结果 beside
    it (果其他, reaching into 结果纠正's place): it still heads a column of its own, so the row's thirteen
    values are laid under the fifteen columns, the two blanks where the header shows them."""
    words, width = _ocr_words("unruled_nicked_header_words")
    assert any(w.text == "果其他" for w in words)
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_nicked_header_words.json")
    appeals = next(r for r in _rows(words, width, blanks_known=False) if r.structured and len(r.cells) == len(APPEALS))
    got, want = _values(appeals, truth, [f"appeals.{f}" for f in APPEALS])
    assert got == want and want.count(None) == 2


def test_a_label_right_after_a_tables_last_row_is_a_row_printed_blank_with_the_next_table_below():
    """四、结转下年度继续办理 (read without its 、) printed blank under a table's last row of numbers, the
    appeals table further down the same page: a row printed blank, one blank under each column of the
    row above, not running text because another table's rows follow below."""
    words, width = _ocr_words("unruled_nicked_header_words")
    rows = _rows(words, width, blanks_known=False)
    assert [c.text for c in _row(rows, "四结转下年度继续办理").cells] == ["四结转下年度继续办理"] + [""] * len(REQUESTS)


def test_a_rows_numbering_read_apart_before_its_values_is_its_label():
    """A scanned request table whose sub-row label 3.要求提供公开出版物 was read in two pieces, the
    numbering 3. on the line of the row's numbers and left of every column: the numbering is the row's
    label, not an eighth value."""
    words, width = _ocr_words("unruled_numbering_apart_words")
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_numbering_apart_words.json")
    row = next(r for r in _rows(words, width, blanks_known=False) if r.cells and r.cells[0].text == "3.")
    got, want = _values(row, truth, [f"requests.not_processed.publication.{c}" for c in REQUESTS])
    assert got == want and len(row.cells) == 2 + len(REQUESTS)  # 3. and 要求提供公开出版物, then the values


def test_a_page_number_under_a_tables_columns_is_no_row_of_the_table():
    """The page number at the foot of a scanned page, read 3 without its dashes, standing under a column
    of the appeals table above: the page's number, not a second appeals row."""
    words, width = _ocr_words("unruled_page_number_words")
    assert any(w.text == "3" for w in words)
    rows = [r for r in _rows(words, width, blanks_known=False) if r.structured]
    assert len(rows) == 1 and len(rows[0].cells) == len(APPEALS)
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_page_number_words.json")
    got, want = _values(rows[0], truth, [f"appeals.{f}" for f in APPEALS])
    assert got == want


def test_a_page_number_read_apart_under_a_tables_last_row_is_neither_row_nor_value():
    """A request table running on to the next page, its page number - 2 - read as a dash and 2-: no
    row of the page holds the dash, which would be taken for a value of the row above."""
    words, width = _ocr_words("unruled_page_number_apart_words")
    assert [w.text for w in sorted(words, key=lambda w: w.cy)[-2:]] in (["-", "2-"], ["2-", "-"])
    rows = _rows(words, width, blanks_known=False)
    assert not any(c.text in ("-", "2-") for r in rows for c in r.cells)
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_page_number_apart_words.json")
    row = next(r for r in rows if r.cells and r.cells[0].text.endswith("无正当理由大量反复申请"))
    got, want = _values(row, truth, [f"requests.not_processed.excessive.{c}" for c in REQUESTS])
    assert got == want and len(row.cells) == 1 + len(REQUESTS)


def test_numbers_in_the_prose_after_a_table_are_no_row_of_it():
    """A scanned page whose prose under the appeals table holds stray numbers (a seal's mark read 1 beside
    公室联系。): running text across the table's columns ends the table, so they are not laid under its
    columns as a second appeals row."""
    words, width = _ocr_words("unruled_prose_after_table_words")
    rows = _rows(words, width, blanks_known=False)
    laid = [r for r in rows if r.structured and len(r.cells) >= len(APPEALS)]
    assert len(laid) == 1 and any(c.text == "公室联系。" for r in rows for c in r.cells)
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_prose_after_table_words.json")
    got, want = _values(laid[0], truth, [f"appeals.{f}" for f in APPEALS])
    assert got == want


def test_sub_rows_printed_blank_at_a_pages_foot_beside_their_group_label_are_rows():
    """A scanned request table whose page ends on (六)其他处理's first two sub-rows, printed blank, their
    labels wrapped on four lines each, the group label between them at their side: each sub-row is a
    row printed blank of its own (one blank under each column), not one line of three labels."""
    words, width = _ocr_words("unruled_blank_subrows_at_page_end_words")
    truth = load_truth(FIXTURES / "ocr" / "truth" / "unruled_blank_subrows_at_page_end_words.json")
    rows = _rows(words, width, blanks_known=False)
    for label, row_id in (("1.申请人无正当理由", "no_correction"), ("2.申请人逾期未按", "unpaid_fee")):
        row = next(r for r in rows if any(c.text.startswith(label) for c in r.cells))
        got, want = _values(row, truth, [f"requests.other.{row_id}.{c}" for c in REQUESTS])
        assert got == want == [None] * len(REQUESTS)
        assert sum(c.text.startswith(("1.", "2.")) for c in row.cells) == 1
