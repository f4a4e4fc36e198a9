"""Tell the form of an input from its first bytes (the name only breaks ties)."""

from __future__ import annotations

import io
import re
import zipfile

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p)[\s>]", re.I)
_MHTML = re.compile(rb"\A(?:[\x21-\x39\x3b-\x7e]+:[^\n]*\n|[ \t][^\n]*\n)*?content-type:\s*multipart/related", re.I)
"""A web page saved as one file (MHTML): MIME headers first (``From: <Saved by Blink>``,
``MIME-Version: 1.0``), among them a multipart/related content type."""
_ZIP = b"PK\x03\x04"
_LOCAL_HEADER = re.compile(rb"PK\x03\x04.{22}(..)", re.S)
"""A zip member's local header: the signature, 22 bytes, the length of the name that follows the
header's 30 bytes."""
WORD = "Word file"
OFD = "OFD file"
DAMAGED_INDEX = "its zip index cannot be read"
_ZIP_KINDS = (("word/", ".docx", WORD), ("xl/", ".xlsx", "Excel file"), ("ppt/", ".pptx", "PowerPoint file"),
              ("OFD.xml", ".ofd", OFD))
"""Office and OFD files are zip archives: told apart by their members' folder (an OFD file by the
OFD.xml at its root), else by the file's name."""


def sniff(data: bytes, path: str | None = None) -> str:
    """One of: pdf, image, docx, ofd, doc, mhtml, html, markdown, text, binary."""
    head = data[:4096]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if head.startswith(_ZIP):
        kind = zip_kind(data, path)[0]
        return "docx" if kind == WORD else "ofd" if kind == OFD else "binary"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if _MHTML.match(head.lstrip()):
        return "mhtml"
    sample = _decode_sample(head)
    if sample is None:
        return "binary"
    if _HTML.search(sample.encode("utf-8", "ignore")[:4096]):
        return "html"
    if (path or "").lower().endswith((".md", ".markdown")) or re.search(r"^#{1,6} |^\|.*\|\s*$", sample, re.M):
        return "markdown"
    return "text"


def _decode_sample(head: bytes) -> str | None:
    from .text import decode

    try:
        text = decode(head, partial=True)
    except ValueError:  # no known encoding; still text (for a clear error) if it has no control bytes
        if b"\x00" in head:
            return None
        text = head.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return None if controls > max(2, len(text) // 100) else text


def zip_kind(data: bytes, path: str | None = None) -> tuple[str, bool]:
    """What a zip-based file is (a `WORD` file, an Excel file …, else a zip archive) and whether its
    index is whole. A file cut short or damaged has no index at its end: its members are then
    named by their local headers, and failing those by the file's name."""
    try:
        names, whole = zipfile.ZipFile(io.BytesIO(data)).namelist(), True
    except (zipfile.BadZipFile, ValueError, EOFError):
        names = [data[m.end() + 2:m.end() + 2 + int.from_bytes(m[1], "little")].decode("utf-8", "replace")
                 for m in _LOCAL_HEADER.finditer(data)]
        whole = False
    for folder, _, kind in _ZIP_KINDS:
        if any(n.startswith(folder) for n in names):
            return kind, whole
    suffix = (path or "").lower()
    return next((kind for _, ext, kind in _ZIP_KINDS if suffix.endswith(ext)), "zip archive"), whole


def unsupported(data: bytes, path: str | None = None) -> str:
    """Why content sniffed as ``binary`` is not read, for its error message."""
    if not data.startswith(_ZIP):
        return "binary input is not supported"
    kind, whole = zip_kind(data, path)
    return f"{kind}s are not supported" if whole else f"the {kind} is damaged ({DAMAGED_INDEX})"
