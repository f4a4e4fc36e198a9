"""A reader whose failures are all gxextract's own errors: a hostile file must never crash the caller."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..errors import GxError, TooLarge, UnreadableFile
from ..models import Document

Read = Callable[[bytes, "str | None"], Document]


def guarded(read: Read, kind: str, log: logging.Logger) -> Read:
    """``read`` with any error that is not a `GxError` raised as `UnreadableFile`, and running out of
    memory as `TooLarge`, naming the file and its ``kind`` (``PDF``, ``OFD file``)."""

    def safe(data: bytes, path: str | None) -> Document:
        name = path or "input"
        try:
            return read(data, path)
        except GxError:
            raise
        except MemoryError:
            raise TooLarge(f"{name}: the {kind} is too large to read") from None
        except Exception as exc:  # noqa: BLE001 - a hostile file must never crash the caller
            log.debug("%s reader failed", kind, exc_info=True)
            raise UnreadableFile(f"{name}: the {kind} could not be read ({type(exc).__name__}: {exc})") from None

    safe.__doc__ = read.__doc__
    return safe
