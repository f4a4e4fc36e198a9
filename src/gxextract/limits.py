"""What one document may make gxextract use: a document over a limit is refused with `TooLarge`,
the figure in the message, before the work that would need the memory or the time.

    extract("scan.tif", limits=Limits(document_pixels=500_000_000))

The limits in force are those given to `gxextract.extract` for that call (the defaults
otherwise); readers ask `current()` for them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 200 << 20
    """The input file (a report is a few MB; a scanned one some tens)."""
    unpacked_bytes: int = 256 << 20
    """The members of a DOCX, unpacked, as its index declares them (checked before unpacking): its
    XML parts become a tree of about 13 times their size."""
    pages: int = 500
    """Pages read by OCR (a long report has about 50)."""
    image_pixels: int = 120_000_000
    """One decoded picture: a page image, or an image inside a PDF (an A3 page at 600 dpi is 70 Mpx)."""
    page_pixels: int = 40_000_000
    """One PDF page rendered for OCR (an A4 page at 200 dpi is 3.9 Mpx)."""
    document_pixels: int = 2_000_000_000
    """All pages of one document together, as declared before any is decoded (about 500 A4
    pages at 200 dpi): pages are read one at a time, so this bounds the time, not the memory."""
    rows: int = 30_000
    """Lines and table rows of one document (a report has a few thousand at most); HTML is
    checked while it is parsed."""


_current: ContextVar[Limits] = ContextVar("gxextract_limits", default=Limits())


def current() -> Limits:
    """The limits of the extraction running now."""
    return _current.get()


@contextlib.contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    """``limits`` (the defaults when None) in force inside the block."""
    token = _current.set(limits or Limits())
    try:
        yield _current.get()
    finally:
        _current.reset(token)
