"""PDF text: what a PDF converter gives of a report's text PDF, made from the rendered PDF.

Three forms, each ``NAME.txt`` (UTF-8), each from the same report's ``pdf`` rendering (same
random draws, so the same truth and the same PDF quirks):

- ``pdftext``: pdfplumber's ``page.extract_text()`` of every page, pages joined with ``"\\n"``
  (a converter's plain text: the cells of a table row separated by single spaces, rules gone).
- ``pdflayout``: the same with ``page.extract_text(layout=True)``: the page's layout kept, so
  that columns are runs of spaces and a page is as wide as its characters' positions say.
- ``pdftotext``: poppler's ``pdftotext -layout -enc UTF-8`` (only when ``pdftotext`` is on PATH).
"""

from __future__ import annotations

import io
import shutil
import subprocess

PDFTEXT_FORMS = ("pdftext", "pdflayout", "pdftotext")


def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def pdfplumber_text(pdf: bytes, layout: bool = False) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [(page.extract_text(layout=True) if layout else page.extract_text()) or "" for page in doc.pages]
    return "\n".join(pages)


def poppler_text(pdf: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext (poppler-utils) is not on PATH")
    res = subprocess.run([exe, "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return res.stdout.decode("utf-8")


def render(pdf: bytes, form: str) -> bytes:
    """The text of ``pdf`` as the converter of ``form`` gives it, UTF-8 bytes ending in a newline."""
    if form == "pdftext":
        text = pdfplumber_text(pdf)
    elif form == "pdflayout":
        text = pdfplumber_text(pdf, layout=True)
    elif form == "pdftotext":
        text = poppler_text(pdf)
    else:
        raise ValueError(f"not a PDF text form: {form}")
    return (text.rstrip("\n") + "\n").encode("utf-8")
