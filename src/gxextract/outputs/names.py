"""Names and cells made from untrusted input: ``json/`` file names, CSV cells."""

from __future__ import annotations

import re
import unicodedata

from ..compilations import part_of

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME_BYTES = 120
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.,\s]*$))")


def safe_stem(path: str) -> str:
    """A file name made from the last part of ``path``, its suffix dropped, that is safe to
    create in our folder: no separators, no control characters, no leading dots or dashes, bounded length.
    Empty when nothing usable is left (the caller then uses the content hash)."""
    name = re.split(r"[/\\]", path)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE.sub("_", stem).strip(" ._-")
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem


def json_names(selected: list[tuple[str, int, str]]) -> dict[str, str]:
    """document key → file name in json/, from the document's file name (made safe), unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key, _, path in selected:
        stem = (safe_stem(path) or key[:16]) + (f"_part{part_of(key)}" if part_of(key) else "")
        name = f"{stem}.json"
        if name.lower() in used:
            name = f"{stem}-{key[:12]}.json"
        used.add(name.lower())
        names[key] = name
    return names


def plain_name(name: str) -> bool:
    """``name`` names a direct child of a folder: it has no way out of it."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\x00" not in name)


def csv_text(value):
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value
