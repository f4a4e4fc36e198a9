"""File names as text that survives any bytes: for records, messages and terminals.

A POSIX file name is bytes; Python hands back the bytes that are not UTF-8 as lone surrogates,
which neither JSON, Parquet nor a terminal take. `escaped` is the name to store (one line,
UTF-8, the bytes recoverable); `shown` is the form to show a person.
"""

from __future__ import annotations

import os
import re

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""What would break a line or drive a terminal: C0 and C1 controls, DEL, the line and paragraph separators."""
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _control(match: re.Match) -> str:
    """A control character as the escapes of its UTF-8 bytes (``\\n``, ``\\x1b``, ``\\xe2\\x80\\xa8``)."""
    ch = match[0]
    return _NAMED.get(ch) or "".join(f"\\x{b:02x}" for b in ch.encode("utf-8"))


def escaped(path: str | bytes | os.PathLike) -> str:
    """``path`` as one line of UTF-8 text: a byte that is not UTF-8 becomes ``\\xff``, a control
    character ``\\n`` or ``\\x1b``, a backslash ``\\\\``; every other character stays. Ordinary
    names are unchanged, and ``codecs.escape_decode(text.encode())[0]`` gives the bytes back."""
    raw = os.fsencode(path).replace(b"\\", b"\\\\")
    return _CONTROLS.sub(_control, raw.decode("utf-8", "backslashreplace"))


def shown(text: str | bytes | os.PathLike) -> str:
    """``text`` (a name, a message) for a person, on one line: bytes that are not UTF-8 as U+FFFD,
    control characters escaped as `escaped` does; backslashes stay as they are."""
    text = os.fsencode(text).decode("utf-8", "replace") if not isinstance(text, str) else \
        _SURROGATES.sub("\ufffd", text)
    return _CONTROLS.sub(_control, text)
