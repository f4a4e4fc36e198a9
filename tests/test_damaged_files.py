"""Zip-based files that are damaged or of a kind gxextract does not read say what they are."""

from __future__ import annotations

import io
import zipfile

import pytest

from gxextract import UnreadableFile, UnsupportedFormat, extract
from gxextract.readers.sniff import sniff

from .conftest import FIXTURES

WORD = (FIXTURES / "bad" / "report.docx").read_bytes()


def workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook>" + "<sheet/>" * 500 + "</workbook>")
    return buf.getvalue()


@pytest.mark.parametrize("name, data", [
    ("cut.docx", WORD[:len(WORD) // 2]),  # cut short: no zip index, the members' headers say Word
    ("cut.bin", WORD[:len(WORD) // 2]),  # the same under any name
    ("broken.docx", (FIXTURES / "bad" / "broken.docx").read_bytes()),
    ("headers_gone.docx", b"PK\x03\x04\x14\x00" + bytes(range(256))),  # nothing but the name says Word
])
def test_a_damaged_word_file_says_so(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff(data, str(path)) == "docx"
    with pytest.raises(UnreadableFile, match="the Word file is damaged"):
        extract(path)


def test_other_zip_based_files_say_what_they_are(tmp_path):
    book = workbook()
    cases = {"book.xlsx": (book, "Excel files are not supported"),
             "cut.xlsx": (book[:len(book) // 2], r"the Excel file is damaged \(its zip index cannot be read\)"),
             "junk.zip": (b"PK\x03\x04" + bytes(300), "the zip archive is damaged")}
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert sniff(data, name) == "binary"  # a batch skips them as it skips any binary file
        with pytest.raises(UnsupportedFormat, match=message):
            extract(tmp_path / name)
