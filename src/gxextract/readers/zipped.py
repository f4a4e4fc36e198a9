"""ZIP containers (DOCX): what they would unpack to, checked before anything is unpacked.

The check reads the sizes the container's index declares. That bound holds: Python's zipfile,
which python-docx reads through, never returns more bytes of a member than its declared size
(and fails its CRC check on a member that would inflate further).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import TooLarge
from ..limits import current


def refuse_bombs(data: bytes, name: str) -> None:
    """TooLarge when the members of the ZIP ``data`` unpack to more than the limit; a ZIP that cannot
    be indexed is left to its reader to report."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    unpacked, limit = sum(m.file_size for m in members), current().unpacked_bytes
    if unpacked > limit:
        raise TooLarge(f"{name}: its {len(members)} parts unpack to {unpacked / 1e6:.0f} MB ({len(data) / 1e6:.1f} MB "
                       f"packed), over the limit of {limit / 1e6:.0f} MB")
