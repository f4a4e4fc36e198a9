""".mht / .mhtml: a web page saved as one file (MIME multipart/related), its pictures inside.

The archive is parsed with the standard library's ``email`` package. The page is its first
``text/html`` part (the one the archive's ``start`` names, if it names one), read by the HTML
reader; a picture it shows is the archive's part that the ``src`` names — by ``cid:``, by
``Content-Location`` as written, or resolved against the page's own location — and nothing
outside the archive is ever fetched.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from urllib.parse import urljoin

from ..errors import UnreadableFile
from ..models import Document
from .html import read_page
from .pictures import Unread


def _location(part: EmailMessage) -> str | None:
    value = part.get("Content-Location")
    return str(value).strip() if value else None


class Archive:
    """The parts of an MHTML archive, found by ``cid:`` or ``Content-Location``."""

    def __init__(self, parts: list[EmailMessage], base: str | None):
        self.base = base or ""
        self.by_location = {loc: p for p in parts if (loc := _location(p))}
        self.by_id = {str(p["Content-ID"]).strip().strip("<>"): p for p in parts if p["Content-ID"]}

    def fetch(self, src: str, budget: int) -> tuple[str, bytes]:
        if src[:4].lower() == "cid:":
            name, part = src, self.by_id.get(src[4:])
        else:
            name = src if src in self.by_location else urljoin(self.base, src)
            part = self.by_location.get(name)
        if part is None:
            raise Unread("not in the archive")
        return name, part.get_payload(decode=True) or b""


def read(data: bytes, path: str | None) -> Document:
    name = path or "input"
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.is_multipart():
        raise UnreadableFile(f"{name}: an MHTML archive without parts")
    parts = [p for p in message.walk() if not p.is_multipart()]
    pages = [p for p in parts if p.get_content_type() == "text/html"]
    start = str(message.get_param("start", "", header="content-type") or "").strip("<>")
    page = next((p for p in pages if start and str(p["Content-ID"] or "").strip("<>") == start),
                pages[0] if pages else None)
    if page is None:
        raise UnreadableFile(f"{name}: the MHTML archive holds no HTML page")
    html = page.get_payload(decode=True) or b""
    return read_page(html, path, "mhtml", Archive(parts, _location(page)), charset=page.get_content_charset())
