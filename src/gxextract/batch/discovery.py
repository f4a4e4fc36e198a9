"""Inputs → the documents of a batch, each keyed by the sha256 of its bytes.

An input on the command line is one of:

- a **folder**: every file below it, recursively (hidden files and folders, those whose
  name starts with ``.``, are left out, and so is the batch's own output folder);
- a **list file**: ``@FILE`` always; ``FILE.lst`` always; ``FILE.txt`` when every non-blank
  line that is not a ``#`` comment names an existing file or folder (a report never reads
  like that). Each line is a path, relative ones taken from the list file's folder, and
  may itself be a folder. Only inputs named on the command line are taken as lists: a
  ``.txt`` found inside a folder is always a document;
- any other **file**: a document candidate.

A candidate is kept or skipped by its *content* (`gxextract.readers.sniff`): empty files and
binary content that no reader knows (archives, executables, …) are skipped quietly and
counted. The name only breaks a tie: binary content named like a document (``x.docx``,
``x.pdf``) is kept, a damaged document whose error belongs in errors.jsonl. Files with the
same bytes are one document.

Hashes are cached in the output folder by (device, inode, size, mtime, ctime), so a
re-run over an unchanged collection does not read every file again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..readers.sniff import sniff

HEAD = 1 << 16
"""Bytes read to tell a file's form (a zip container is read whole: its index is at the end)."""

SKIPPED_FORMS = {"binary"}
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".xhtml", ".txt", ".md", ".png", ".jpg",
                     ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
"""Binary content under one of these names is kept: a damaged document, whose error is worth
recording, rather than an obvious non-document."""
LIST_SUFFIXES = (".lst",)
MAX_LIST_BYTES = 4 << 20


@dataclass
class DocRef:
    key: str
    """sha256 of the bytes: the document's identity across runs and renames."""
    path: str
    """Absolute path where this run found it (the first, if several files have these bytes)."""
    form: str
    size: int


@dataclass
class Discovery:
    documents: list[DocRef] = field(default_factory=list)
    files: int = 0
    """Files looked at."""
    skipped: Counter = field(default_factory=Counter)
    """Why files were left out: empty, binary, hidden, unreadable."""
    duplicates: int = 0
    """Files whose bytes another file of the batch already has."""
    missing: list[str] = field(default_factory=list)
    """Paths named by a list file that do not exist."""


def is_list_file(path: Path) -> bool:
    """A ``.lst`` file, or a ``.txt`` file whose lines all name existing paths (see module doc)."""
    name = path.name.lower()
    if name.endswith(LIST_SUFFIXES):
        return True
    if not name.endswith(".txt"):
        return False
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            return False
        lines = _list_lines(path)
    except (OSError, UnicodeDecodeError):
        return False
    return bool(lines) and all(_exists(_resolve_line(path, line)) for line in lines)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL: a line of prose, not a path
        return False


def _list_lines(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def _resolve_line(list_file: Path, line: str) -> Path:
    p = Path(os.path.expanduser(line))
    return p if p.is_absolute() else list_file.parent / p


class HashCache:
    """(dev, inode, size, mtime_ns, ctime_ns) → (sha256, form), kept in one JSON file.

    Saving keeps only the entries of files seen by this run, so the cache stays as large
    as the collection."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    @staticmethod
    def _stamp(st: os.stat_result) -> str:
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"

    def get(self, st: os.stat_result) -> tuple[str, str] | None:
        stamp = self._stamp(st)
        hit = self.entries.get(stamp)
        if not (isinstance(hit, list) and len(hit) == 2):
            return None
        self.used.add(stamp)
        return hit[0], hit[1]

    def put(self, st: os.stat_result, key: str, form: str) -> None:
        stamp = self._stamp(st)
        self.entries[stamp] = [key, form]
        self.used.add(stamp)
        self.changed = True

    def save(self) -> None:
        if self.path is None or not (self.changed or len(self.used) != len(self.entries)):
            return
        from .outputs import atomic_write_text

        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        atomic_write_text(self.path, json.dumps(self.entries, separators=(",", ":")), durable=False)
        self.changed = False


def hash_and_sniff(path: Path) -> tuple[str, str]:
    """sha256 of the file and its form, reading it once."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
        digest.update(head)
        zipped = head.startswith(b"PK\x03\x04")
        chunks = [head] if zipped else None
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            if chunks is not None:
                chunks.append(chunk)
    data = b"".join(chunks) if chunks is not None else head
    return digest.hexdigest(), sniff(data, str(path))


def discover(inputs: list[str], exclude: list[Path] = (), cache: HashCache | None = None,
             on_file: Callable[[int], None] | None = None) -> Discovery:
    """The documents named by ``inputs`` (see the module doc for the rules); ``on_file`` is
    called with the count of files looked at so far, for a progress display.

    Raises FileNotFoundError for an input named on the command line that does not exist.
    """
    out = Discovery()
    excluded = {os.path.realpath(p) for p in exclude}
    seen_real: set[str] = set()
    seen_keys: set[str] = set()
    cache = cache or HashCache(None)

    def add_file(path: Path) -> None:
        real = os.path.realpath(path)
        if real in seen_real:
            return
        seen_real.add(real)
        out.files += 1
        if on_file is not None:
            on_file(out.files)
        try:
            st = os.stat(real)
            if st.st_size == 0:
                out.skipped["empty"] += 1
                return
            hit = cache.get(st)
            if hit is None:
                hit = hash_and_sniff(Path(real))
                cache.put(st, *hit)
        except OSError:
            out.skipped["unreadable"] += 1
            return
        key, form = hit
        if form in SKIPPED_FORMS and not path.name.lower().endswith(DOCUMENT_SUFFIXES):
            out.skipped[form] += 1
            return
        if key in seen_keys:
            out.duplicates += 1
            return
        seen_keys.add(key)
        out.documents.append(DocRef(key=key, path=os.path.abspath(path), form=form, size=st.st_size))

    def add_folder(folder: Path) -> None:
        for root, dirs, files in os.walk(folder):
            keep = []
            for d in sorted(dirs):
                if d.startswith("."):
                    out.skipped["hidden"] += 1
                elif os.path.realpath(os.path.join(root, d)) in excluded:
                    continue
                else:
                    keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                if name.startswith("."):
                    out.skipped["hidden"] += 1
                    continue
                add_file(Path(root) / name)

    def add_path(path: Path) -> None:
        if path.is_dir():
            if os.path.realpath(path) not in excluded:
                add_folder(path)
        elif path.exists():
            add_file(path)
        else:
            out.missing.append(str(path))

    def add_list(list_file: Path) -> None:
        try:
            lines = _list_lines(list_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise FileNotFoundError(f"{list_file}: cannot read the list ({exc})") from None
        for line in lines:
            add_path(_resolve_line(list_file, line))

    for raw in inputs:
        if raw.startswith("@"):
            path = Path(raw[1:])
            if not path.is_file():
                raise FileNotFoundError(f"{raw}: no such list file")
            add_list(path)
            continue
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"{raw}: no such file or folder")
        if path.is_file() and is_list_file(path):
            add_list(path)
        else:
            add_path(path)
    return out
