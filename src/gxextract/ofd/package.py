"""An OFD file (GB/T 33190) as a package: its zip, its XML parts, and the parts of its first document.

``OFD.xml`` names the document (``DocBody/DocRoot`` → ``Document.xml``), which lists the pages in
reading order (``Pages/Page@BaseLoc`` → ``Content.xml``), the default page box, the template pages
and the resource files (``PublicRes.xml``, ``DocumentRes.xml``: images as ``MultiMedia``).

Hostile files: the members' unpacked size, all together and each XML part's, is checked on the
zip's index before anything is read (`readers.zipped.refuse_bombs`, `PART_BYTES`; zipfile never
returns more of a member than it declares), a part
that declares a DTD is refused (OFD never uses one), and XML is parsed without loading a DTD,
expanding entities or reaching the network.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import TooLarge, UnreadableFile
from ..readers.zipped import refuse_bombs

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          remove_comments=True, remove_pis=True)
_DTD = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.S | re.I)
"""A DTD in a part's prolog (where entities are declared)."""
PROLOG = 1 << 16
"""Bytes of a part searched for a DTD: a prolog is a line or two."""
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
PART_BYTES = 32 << 20
"""One XML part, unpacked: a page's content is some hundreds of KB, and its tree takes about 13
times its size."""
MM = 72 / 25.4
"""Points per millimetre: OFD measures in millimetres, the geometric model in points."""


def local(el) -> str:
    """An element's name without its namespace (OFD writers differ in prefixes and namespaces)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el, name: str) -> list:
    return [c for c in el if local(c) == name]


def child(el, name: str):
    return next((c for c in el if local(c) == name), None)


def numbers(text: str | None) -> list[float]:
    """The finite numbers of an attribute such as a Boundary or a CTM; tokens that do not parse are
    left out."""
    tokens = (text or "").replace(",", " ").split()
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        values = [float(t) for t in tokens if _NUMBER.fullmatch(t)]
    return [v for v in values if math.isfinite(v)]


def box(text: str | None) -> tuple[float, float, float, float] | None:
    """A Boundary or PhysicalBox ``x y w h`` (millimetres), if whole."""
    v = numbers(text)
    return (v[0], v[1], v[2], v[3]) if len(v) == 4 else None


@dataclass
class Document:
    """The parts of an OFD document that reading needs (paths inside the package)."""

    pages: list[str]
    """Each page's part, in reading order."""
    page_box: tuple[float, float, float, float]
    """The default PhysicalBox (x, y, w, h in mm)."""
    templates: dict[str, str] = field(default_factory=dict)
    """Template page id → its part."""
    media: dict[str, str] = field(default_factory=dict)
    """MultiMedia id → the member holding the image."""


class Package:
    """The zip of an OFD file, its members found by path (``/`` or relative, any case)."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        refuse_bombs(data, name)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            raise UnreadableFile(f"{name}: the OFD file is damaged (its zip index cannot be read)") from None
        self.members = {m.filename.strip("/").lower(): m for m in self.zip.infolist() if not m.is_dir()}

    def resolve(self, base: str, loc: str | None) -> str | None:
        """The member that ``loc`` names from the part ``base`` (absolute from the root when it starts
        with ``/``), or None."""
        if not loc or not loc.strip():
            return None
        loc = loc.strip().replace("\\", "/")
        joined = loc if loc.startswith("/") else posixpath.join(posixpath.dirname("/" + base), loc)
        key = posixpath.normpath(joined).strip("/").lower()
        member = self.members.get(key)
        return member.filename if member is not None else None

    def read(self, member: str) -> bytes:
        try:
            return self.zip.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, KeyError) as exc:
            raise UnreadableFile(f"{self.name}: the OFD file is damaged ({member}: {exc})") from None

    def xml(self, member: str):
        """The root element of an XML part."""
        size = self.zip.getinfo(member).file_size
        if size > PART_BYTES:
            raise TooLarge(f"{self.name}: {member} unpacks to {size / 1e6:.0f} MB, over the {PART_BYTES / 1e6:.0f} MB "
                           "an OFD part may have")
        data = self.read(member)
        if _DTD.match(data[:PROLOG]):
            raise UnreadableFile(f"{self.name}: {member} declares a DTD, which an OFD file never does: refused")
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise UnreadableFile(f"{self.name}: the OFD file is damaged ({member} is not well-formed XML: "
                                 f"{exc})") from None
        if root is None:
            raise UnreadableFile(f"{self.name}: the OFD file is damaged ({member} is empty)")
        return root

    def document(self) -> Document:
        """The first document of the file (OFD.xml's first DocBody)."""
        root_part = self.resolve("", "OFD.xml")
        if root_part is None:
            raise UnreadableFile(f"{self.name}: not an OFD file (no OFD.xml)")
        body = child(self.xml(root_part), "DocBody")
        doc_root = child(body, "DocRoot") if body is not None else None
        part = self.resolve(root_part, doc_root.text if doc_root is not None else None)
        if part is None:
            raise UnreadableFile(f"{self.name}: the OFD file is damaged (OFD.xml names no Document.xml in it)")
        doc = self.xml(part)
        common = child(doc, "CommonData")
        area = child(common, "PageArea") if common is not None else None
        default = box(child(area, "PhysicalBox").text) if area is not None and child(area, "PhysicalBox") is not None \
            else None
        pages_el = child(doc, "Pages")
        pages = [p for p in (self.resolve(part, el.get("BaseLoc")) for el in
                             (pages_el.iter() if pages_el is not None else ()) if local(el) == "Page") if p]
        out = Document(pages=pages, page_box=default or (0.0, 0.0, 210.0, 297.0))
        if common is not None:
            for el in children(common, "TemplatePage"):
                loc = self.resolve(part, el.get("BaseLoc"))
                if loc and el.get("ID"):
                    out.templates[el.get("ID")] = loc
            for el in common:
                if local(el) in ("PublicRes", "DocumentRes"):
                    res = self.resolve(part, el.text)
                    if res:
                        self.media(res, out.media)
        return out

    def media(self, res: str, media: dict[str, str]) -> None:
        """The images the resource part ``res`` lists, by id, added to ``media`` (their files under the
        part's BaseLoc)."""
        root = self.xml(res)
        base = posixpath.join(posixpath.dirname(res), root.get("BaseLoc") or "") + "/"
        for el in root.iter():
            if local(el) == "MultiMedia" and el.get("ID"):
                file = child(el, "MediaFile")
                loc = (file.text or "").strip() if file is not None else ""
                found = self.resolve(base if not loc.startswith("/") else "", loc)
                if found:
                    media[el.get("ID")] = found
