"""Writing into the output folder: atomic files, the folder's lock, and write errors as `OutputFailed`.

Every file but the journals is written to a temporary file beside it (``.tmp-*``), fsync'd and
renamed over the old one (`os.replace`): a killed run leaves each file as it was or whole.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import GxError, OutputFailed
from ..names import escaped
from .layout import JSON_DIR, LOCK, TMP_PREFIX

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class BatchBusy(GxError):
    """Another batch (or an apply) is writing to the same output folder."""

    code = "busy"


@contextlib.contextmanager
def locked(out: Path):
    """The output folder's lock: one batch or apply writes to it at a time."""
    fd = os.open(Path(out) / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchBusy(f"{out}: another gxextract batch is writing to this folder") from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` (or a file of the output folder it names) as `OutputFailed`:
    one line that names the file and the cause."""
    try:
        yield
    except OSError as exc:
        where = escaped(exc.filename if exc.filename is not None else path)
        hint = " (free some space and run the same command again)" if exc.errno == errno.ENOSPC else ""
        raise OutputFailed(f"{where}: cannot write the output: {exc.strerror or exc}{hint}") from None


@contextlib.contextmanager
def atomic_path(target: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target``; on success it replaces ``target`` atomically.

    ``durable``: fsync the file and the folder too (skipped for files that are cheap to rebuild)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes 0600: give outputs the usual mode
    try:
        yield tmp_path
        if durable:
            with open(tmp_path, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp_path, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def atomic_write_text(target: Path, text: str, encoding: str = "utf-8", durable: bool = True) -> None:
    with atomic_path(target, durable) as tmp:
        tmp.write_text(text, encoding=encoding)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed run left behind (never read: they are not outputs)."""
    for sub in (folder, folder / JSON_DIR):
        if sub.is_dir():
            for p in sub.glob(TMP_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    p.unlink()
