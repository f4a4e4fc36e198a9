"""Legacy Word (.doc, an OLE2 compound file): converted to DOCX by LibreOffice, then read as DOCX.

``soffice --headless --convert-to docx`` runs in a private temporary folder with its own
user profile (so that concurrent conversions in a batch do not share a lock), in its own
process group, under a time limit: a conversion that hangs is killed whole and reported.
When LibreOffice is not installed the reader says which Debian package to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import MissingDependency, UnreadableFile
from ..models import Document

TIMEOUT = 120.0
"""Seconds one conversion may take."""
INSTALL_HINT = "apt-get install libreoffice-writer (or libreoffice-writer-nogui on a server)"
_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice")


def soffice() -> str | None:
    """The LibreOffice executable, if one is installed (``GXEXTRACT_SOFFICE`` overrides)."""
    override = os.environ.get("GXEXTRACT_SOFFICE")
    if override:
        return shutil.which(override) or (override if os.access(override, os.X_OK) else None)
    for name in _CANDIDATES:
        found = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def to_docx(data: bytes, path: str | None, timeout: float | None = None) -> bytes:
    """The DOCX bytes LibreOffice makes of the .doc ``data``."""
    name = path or "input"
    timeout = TIMEOUT if timeout is None else timeout
    exe = soffice()
    if exe is None:
        raise MissingDependency(f"{name}: reading a legacy .doc needs LibreOffice, which is not installed: "
                                f"{INSTALL_HINT}, or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="gxextract-doc-") as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        out = work / "out"
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--nofirststartwizard",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env, cwd=work, start_new_session=True)
        except OSError as exc:
            raise MissingDependency(f"{name}: LibreOffice ({exe}) could not be started ({exc}): {INSTALL_HINT}") from None
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise UnreadableFile(f"{name}: LibreOffice did not convert the .doc within {timeout:.0f} s "
                                 "(a damaged or hostile file?); save it as .docx and try again") from None
        finally:
            _kill(proc)  # helpers it left behind in its group
        result = out / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            why = (stderr or b"").decode("utf-8", "replace").strip().splitlines()
            raise UnreadableFile(f"{name}: LibreOffice could not convert this .doc"
                                 f"{' (' + why[-1][:200] + ')' if why else ''}: is it a damaged Word file?")
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


def read(data: bytes, path: str | None) -> Document:
    from . import docx

    doc = docx.read(to_docx(data, path), path)
    doc.source.format = "doc"
    return doc
