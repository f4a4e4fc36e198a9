"""Append-only JSON Lines that survive ``kill -9``.

Each record is one line, written with a single ``os.write`` on a file opened with
``O_APPEND``: a killed process leaves whole lines, and at worst (power loss in the middle
of a write) one torn last line. A write that fails part-way (disk full) is cut back to
the line's start before `OutputFailed` is raised. Readers skip a line that does not parse
or lacks its newline; `Journal.open` cuts such a tail off before appending, so a new
record never glues onto it. Lines are fsync'd at most every ``fsync_every`` seconds and on
close: a killed *process* loses nothing (the kernel has the bytes), a lost *machine* loses
at most that much, and those documents are simply redone on the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from .files import writing


def now_iso() -> str:
    """UTC time with microseconds, as records are stamped: sorts as text, so the latest record of a
    document wins."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def repair_tail(path: Path) -> int:
    """Cut a torn last line (no newline) off ``path``; the bytes removed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with open(path, "rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return 0
        # find the last newline, reading backwards in blocks
        pos, block = size, 1 << 16
        keep = 0
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            i = chunk.rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                break
            pos = start
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
        return size - keep


def read_records(path: Path) -> Iterator[tuple[int, dict]]:
    """``(offset, record)`` for every whole, parseable line of ``path``; others are skipped."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return
    with fh:
        offset = 0
        for line in fh:
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                break  # torn tail
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield start, record


def read_at(path: Path, offset: int) -> dict:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return json.loads(fh.readline())


class Journal:
    """One append-only JSON Lines file."""

    def __init__(self, path: Path, fsync_every: float = 0.5):
        self.path = Path(path)
        self.fsync_every = fsync_every
        self._fd: int | None = None
        self._synced = 0.0
        self._dirty = False

    def open(self) -> "Journal":
        with writing(self.path):
            repair_tail(self.path)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return self

    def append_line(self, line: str) -> None:
        """Append one record, given as its JSON text (no newline inside)."""
        assert self._fd is not None, "journal not open"
        data = (line.rstrip("\n") + "\n").encode("utf-8")
        with writing(self.path):
            start = os.lseek(self._fd, 0, os.SEEK_END)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view):]
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, start)  # no torn line left behind
                raise
        self._dirty = True
        now = time.monotonic()
        if now - self._synced >= self.fsync_every:
            self.sync()

    def append(self, record: dict) -> None:
        self.append_line(json.dumps(record, ensure_ascii=False, separators=(",", ":")))

    def sync(self) -> None:
        if self._fd is not None and self._dirty:
            with writing(self.path):
                os.fsync(self._fd)
            self._dirty = False
        self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> "Journal":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()
