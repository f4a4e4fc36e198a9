"""Readers: bytes of any supported form → `Document`.

The form is sniffed from the content (`sniff.py`), never trusted from the name.
A reader is a module of this package with ``read(data: bytes, path: str | None) -> Document``,
named in READERS for the forms it reads: a new input form is a new module.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import stat
from pathlib import Path

from ..errors import TooLarge, UnreadableFile, UnsupportedFormat
from ..limits import current
from ..models import Document
from ..names import escaped
from .sniff import sniff, unsupported

# form → module of this package that reads it (module.read(data, path) -> Document)
READERS = {"text": "text", "markdown": "text", "html": "html", "mhtml": "mhtml", "docx": "docx", "doc": "doc",
           "pdf": "pdf", "image": "image", "ofd": "ofd"}


def load(source: str | Path | bytes) -> tuple[bytes, str | None]:
    """The bytes of ``source`` (a path or the bytes themselves) and its name for messages and the
    report (`gxextract.names.escaped`: one line of UTF-8, whatever bytes the path holds), if any."""
    limit = current().file_bytes
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) > limit:
            raise TooLarge(f"input: {len(source) / 1e6:.0f} MB is over the {limit / 1e6:.0f} MB limit")
        return bytes(source), None
    try:
        path = Path(source)
        name = escaped(path)
    except (TypeError, ValueError):
        raise UnreadableFile(f"{source!r}: not a path or bytes") from None
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise UnreadableFile(f"{name}: not a regular file (a pipe, socket or device)")
        if info.st_size > limit:
            raise TooLarge(f"{name}: {info.st_size / 1e6:.0f} MB is over the {limit / 1e6:.0f} MB limit")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # it grew while being read
            raise TooLarge(f"{name}: over the {limit / 1e6:.0f} MB limit")
        return data, name
    except FileNotFoundError:
        raise UnreadableFile(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{name}: is a folder, not a file") from None
    except PermissionError:
        raise UnreadableFile(f"{name}: permission denied") from None
    except OSError as exc:  # a name too long, a loop of links, an I/O error
        raise UnreadableFile(f"{name}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL byte in the name
        raise UnreadableFile(f"{name[:200]}: not a valid path ({exc})") from None


def read(source: str | Path | bytes) -> Document:
    data, path = load(source)
    if not data.strip():
        raise UnreadableFile(f"{path or 'input'}: the file is empty")
    form = sniff(data, path)
    if form not in READERS:
        raise UnsupportedFormat(f"{path or 'input'}: {unsupported(data, path)}")
    module = importlib.import_module(f".{READERS[form]}", __package__)
    doc = module.read(data, path)
    doc.source.sha256 = hashlib.sha256(data).hexdigest()
    return without_surrogates(doc)


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(doc: Document) -> Document:
    """Lone UTF-16 surrogates (a damaged PDF text layer gives them) replaced by U+FFFD: they cannot be
    encoded, so the normaliser, JSON and Parquet would fail on them."""
    def fix(text: str) -> str:
        return _SURROGATE.sub("\ufffd", text)

    for row in doc.rows:
        if any(_SURROGATE.search(c.text) or (c.alternative and _SURROGATE.search(c.alternative)) for c in row.cells):
            row.cells = [c.model_copy(update={"text": fix(c.text),
                                              "alternative": fix(c.alternative) if c.alternative else c.alternative})
                         for c in row.cells]
    doc.title_lines = [fix(t) for t in doc.title_lines]
    return doc
