"""Tell the form of an input from its first bytes (the name only breaks ties)."""

from __future__ import annotations

import io
import re
import zipfile

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p)[\s>]", re.I)


def sniff(data: bytes, path: str | None = None) -> str:
    """One of: pdf, image, docx, doc, html, markdown, text, binary."""
    head = data[:4096]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "binary"
        return "docx" if "word/document.xml" in names else "binary"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
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
