"""Inputs → the documents of a batch, each keyed by the sha256 of its bytes.

An input on the command line is one of:

- a **folder**: every file below it, recursively (hidden files and folders, those whose
  name starts with ``.``, are left out, and so is the batch's own output folder). Symbolic
  links that lead out of the folder are not followed unless ``follow_links``; links to
  folders are followed only then (each folder once, so a loop of links ends);
- a **list file**: ``@FILE`` always; ``FILE.lst`` always; ``FILE.txt`` when every non-blank
  line that is not a ``#`` comment names an existing file or folder (a report never reads
  like that). Each line is a path, relative ones taken from the list file's folder, and
  may itself be a folder. Only inputs named on the command line are taken as lists: a
  ``.txt`` found inside a folder is always a document;
- any other **file**: a document candidate.

A candidate is kept or left out by its *content* (`gxextract.readers.sniff`): empty files and
binary content that no reader knows (archives, executables, …) are left out. The name only
breaks a tie: binary content named like a document (``x.docx``, ``x.pdf``) is kept, a
damaged document whose error belongs in errors.jsonl. Files with the same bytes are one
document. Every file left out (but the hidden ones) is a `LeftOut` with its reason, so that
the batch can account for each input.

Hashes are cached in the output folder by (device, inode, size, mtime, ctime), so a
re-run over an unchanged collection does not read every file again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..limits import current
from ..names import escaped
from ..outputs.files import atomic_write_text
from ..readers.sniff import sniff

HEAD = 1 << 16
"""Bytes read to tell a file's form (a zip container is read whole: its index is at the end)."""

SKIPPED_FORMS = {"binary"}
DOCUMENT_SUFFIXES = (".pdf", ".ofd", ".docx", ".doc", ".wps", ".html", ".htm", ".xhtml", ".txt", ".md", ".png", ".jpg",
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
class LeftOut:
    """A file under the inputs that is not a document of this batch, and why."""

    path: str
    """Absolute path as found (any bytes: `gxextract.names.escaped` makes it text)."""
    reason: str
    """One of `REASONS`."""
    message: str


REASONS = ("empty", "binary", "duplicate", "not_a_file", "dangling_link", "link_loop", "outside_link",
           "unreadable", "missing")


@dataclass
class Discovery:
    documents: list[DocRef] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    files: int = 0
    """Files looked at (hidden ones are not)."""
    hidden: int = 0
    """Hidden files and folders (names starting with ``.``): not inputs."""

    @property
    def skipped(self) -> Counter:
        """Files left out by reason, hidden ones included; duplicates and missing ones are counted apart."""
        counts = Counter(x.reason for x in self.left_out if x.reason not in ("duplicate", "missing"))
        if self.hidden:
            counts["hidden"] = self.hidden
        return counts

    @property
    def duplicates(self) -> int:
        """Files whose bytes another file of the batch already has."""
        return sum(1 for x in self.left_out if x.reason == "duplicate")

    @property
    def missing(self) -> list[str]:
        """Paths named by a list file that do not exist."""
        return [x.path for x in self.left_out if x.reason == "missing"]


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
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        atomic_write_text(self.path, json.dumps(self.entries, separators=(",", ":")), durable=False)
        self.changed = False


def hash_and_sniff(path: Path) -> tuple[str, str]:
    """sha256 of the file and its form, reading it once (a zip container is kept in memory to be
    sniffed only up to the size a reader would take)."""
    digest = hashlib.sha256()
    limit = current().file_bytes
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
        digest.update(head)
        chunks = [head] if head.startswith(b"PK\x03\x04") else None
        kept = len(head)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            if chunks is not None:
                chunks.append(chunk)
                kept += len(chunk)
                if kept > limit:  # a reader would refuse it: sniffed by its head alone
                    chunks = None
    data = b"".join(chunks) if chunks is not None else head
    return digest.hexdigest(), sniff(data, str(path))


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _outside(real: str, root: str, what: str = "") -> str:
    return (f"a symbolic link to {what}{escaped(real)}, outside the input folder {escaped(root)}: not followed "
            "(--follow-links to read it)")


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def discover(inputs: list[str], exclude: list[Path] = (), cache: HashCache | None = None,
             on_file: Callable[[int], None] | None = None, follow_links: bool = False) -> Discovery:
    """The documents named by ``inputs`` and the files left out (see the module doc for the rules);
    ``on_file`` is called with the count of files looked at so far, for a progress display.

    Raises FileNotFoundError for an input named on the command line that does not exist.
    """
    out = Discovery()
    excluded = {os.path.realpath(p) for p in exclude}
    seen_paths: set[str] = set()
    seen_real: dict[str, str] = {}
    seen_keys: dict[str, str] = {}
    cache = cache or HashCache(None)

    def leave(path: str, reason: str, message: str) -> None:
        out.left_out.append(LeftOut(path=path, reason=reason, message=message))

    def regular(path: str, root: str | None) -> os.stat_result | None:
        """The file's stat when it is a regular file to read, else None (and it is left out)."""
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(path)
            except FileNotFoundError:
                leave(path, "dangling_link", f"a symbolic link to {escaped(os.readlink(path))}, which does not exist")
                return None
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                leave(path, "link_loop", "a symbolic link that leads back to itself (a loop of links)")
                return None
            real = os.path.realpath(path)
            if root is not None and not follow_links and not _inside(real, root):
                leave(path, "outside_link", _outside(real, root))
                return None
        if not stat.S_ISREG(st.st_mode):
            leave(path, "not_a_file", f"{_kind(st.st_mode)}, not a regular file: never opened")
            return None
        if st.st_size == 0:
            leave(path, "empty", "the file is empty (0 bytes)")
            return None
        return st

    def add_file(path: str, root: str | None = None) -> None:
        path = os.path.abspath(path)
        if path in seen_paths:  # named twice
            return
        seen_paths.add(path)
        out.files += 1
        if on_file is not None:
            on_file(out.files)
        try:
            st = regular(path, root)
            if st is None:
                return
            real = os.path.realpath(path)
            if real in seen_real:
                leave(path, "duplicate", f"the same file as {escaped(seen_real[real])}: extracted once, there")
                return
            seen_real[real] = path
            hit = cache.get(st)
            if hit is None:
                hit = hash_and_sniff(Path(real))
                cache.put(st, *hit)
        except OSError as exc:
            leave(path, "unreadable", f"cannot be read: {exc.strerror or exc}")
            return
        key, form = hit
        if form in SKIPPED_FORMS and not path.lower().endswith(DOCUMENT_SUFFIXES):
            leave(path, "binary", "binary content that no reader knows, under a name that is not a document's")
            return
        if key in seen_keys:
            leave(path, "duplicate", f"the same bytes as {escaped(seen_keys[key])}: extracted once, there")
            return
        seen_keys[key] = path
        out.documents.append(DocRef(key=key, path=path, form=form, size=st.st_size))

    def add_folder(folder: Path) -> None:
        root = os.path.realpath(folder)
        walked = {root}
        for here, dirs, files in os.walk(folder, followlinks=follow_links):
            keep = []
            for d in sorted(dirs):
                full = os.path.join(here, d)
                real = os.path.realpath(full)
                if d.startswith("."):
                    out.hidden += 1
                elif real in excluded or real in walked:
                    continue  # the output folder; a folder already walked (a loop of links)
                elif os.path.islink(full) and not follow_links:
                    if not _inside(real, root):
                        out.files += 1
                        leave(os.path.abspath(full), "outside_link", _outside(real, root, "the folder "))
                else:
                    walked.add(real)
                    keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                if name.startswith("."):
                    out.hidden += 1
                else:
                    add_file(os.path.join(here, name), root)

    def add_path(path: Path) -> None:
        if path.is_dir():
            if os.path.realpath(path) not in excluded:
                add_folder(path)
        elif path.exists():
            add_file(str(path))
        else:
            leave(os.path.abspath(path), "missing", "named by a list, but there is no such file or folder")

    def add_list(list_file: Path) -> None:
        try:
            lines = _list_lines(list_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise FileNotFoundError(f"{escaped(list_file)}: cannot read the list ({exc})") from None
        for line in lines:
            add_path(_resolve_line(list_file, line))

    for raw in inputs:
        if raw.startswith("@"):
            path = Path(raw[1:])
            if not path.is_file():
                raise FileNotFoundError(f"{escaped(raw)}: no such list file")
            add_list(path)
            continue
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"{escaped(raw)}: no such file or folder")
        if path.is_file() and is_list_file(path):
            add_list(path)
        else:
            add_path(path)
    return out
