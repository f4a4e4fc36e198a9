"""Readers: bytes of any supported form → `Document`.

The form is sniffed from the content (`sniff.py`), never trusted from the name.
A reader is a module of this package with ``read(data: bytes, path: str | None) -> Document``,
named in READERS for the forms it reads: a new input form is a new module.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from ..errors import TooLarge, UnreadableFile, UnsupportedFormat
from ..models import Document
from .sniff import sniff

MAX_BYTES = 200 * 1024 * 1024


# form → module of this package that reads it (module.read(data, path) -> Document)
READERS = {"text": "text", "markdown": "text", "html": "html", "docx": "docx"}


def load(source: str | Path | bytes) -> tuple[bytes, str | None]:
    """The bytes of ``source`` (a path or the bytes themselves) and its path, if any."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(f"{path}: {size / 1e6:.0f} MB is over the {MAX_BYTES // 10**6} MB limit")
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise UnreadableFile(f"{path}: permission denied") from None


def read(source: str | Path | bytes) -> Document:
    data, path = load(source)
    if not data.strip():
        raise UnreadableFile(f"{path or 'input'}: the file is empty")
    form = sniff(data, path)
    if form not in READERS:
        raise UnsupportedFormat(f"{path or 'input'}: {form} input is not supported")
    module = importlib.import_module(f".{READERS[form]}", __package__)
    doc = module.read(data, path)
    doc.source.sha256 = hashlib.sha256(data).hexdigest()
    return doc
