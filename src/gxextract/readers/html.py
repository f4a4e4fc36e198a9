"""HTML as saved from a government site: leaf tables become structured rows, the rest lines.

Parsed with lxml through BeautifulSoup; scripts, styles and frames are dropped unread, so
nothing runs. Layout tables (tables holding tables, or pictures and no rows of numbers) are
walked through; only tables without a table inside are read as grids. Where the page's text holds no
table, its pictures are read by OCR, their rows put where each stands (`pictures.py`: files
beside the page or ``data:`` URIs, never the network).

The page's declared encoding (``<meta charset>``, or an XML declaration) is honoured when its
bytes are that encoding. Before the tree is built, a first pass of lxml that builds nothing
counts the elements: a page of more rows than a document may have (`gxextract.limits`), or of
more elements than fit in memory, is refused while it is being parsed.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning
from lxml import etree

from ..errors import GxError, TooLarge, UnreadableFile
from ..limits import current
from ..models import Cell, Document, Row, Source
from .pictures import Folder, NoFolder, PictureSource, read_pictures
from .text import decode

_DROP = ("script", "style", "iframe", "frame", "frameset", "object", "noscript", "template", "svg", "video",
         "audio", "canvas", "map", "applet")
_VOID = {"embed", "source", "track", "wbr", "param", "area", "input", "link", "meta", "base"}
"""Void elements (dropped) that lxml's HTML 4 parser may not know: whatever it nests inside them
is really their following siblings, so it is walked."""
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header",
          "footer", "blockquote", "pre", "dd", "dt", "title", "center", "table", "hr"}
MAX_DEPTH = 400
MAX_ELEMENTS = 500_000
"""BeautifulSoup keeps about 1 KB an element: half a GB at this count (a report page has some thousands)."""
FEED = 1 << 20
"""Characters fed to the counting parser at a time, so that it stops soon after a limit is passed."""
TEXT_TABLE_ROWS = 3
"""Table rows holding a number, in the page's text, that make it a page whose tables are text: its
pictures are then logos and decorations, left unread."""
_NUMBER = re.compile(r"^[\d０-９][\d０-９,，.．\s]*$")
_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)"""
                       rb"""|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)


def _span(tag: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(tag.get(name, "1")).strip() or 1), 100))
    except ValueError:
        return 1


def _cell_text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _table_rows(table: Tag) -> list[Row]:
    rows = []
    for tr in table.find_all("tr"):
        cells = [Cell(text=_cell_text(td), colspan=_span(td, "colspan"), rowspan=_span(td, "rowspan"), boxed=True)
                 for td in tr.find_all(("td", "th"), recursive=False)]
        if cells:
            rows.append(Row(cells=cells))
    return rows


def _layout(table: Tag) -> bool:
    """A table that arranges the page: it holds a table, or pictures and not a table's rows of numbers."""
    return table.find("table") is not None or (table.find("img") is not None and not holds_table(_table_rows(table)))


def holds_table(rows: list[Row]) -> bool:
    """Whether ``rows`` hold a table of statistics: `TEXT_TABLE_ROWS` table rows with a number or more."""
    return sum(r.structured and any(_NUMBER.match(c.text) for c in r.cells) for r in rows) >= TEXT_TABLE_ROWS


class _Walker:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.line: list[str] = []
        self.images: list[tuple[int, str]] = []
        """Each picture's place among the rows, and its ``src``."""

    def flush(self) -> None:
        text = " ".join(" ".join(self.line).split())
        if text:
            self.rows.append(Row(cells=[Cell(text=text)], structured=False))
        self.line = []

    def walk(self, node: Tag, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, CDATA or doctype
                    self.line.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _DROP:
                continue
            if child.name in _VOID:
                self.walk(child, depth + 1)
                continue
            if child.name == "img":
                self.flush()
                self.images.append((len(self.rows), str(child.get("src") or "")))
                continue
            if child.name == "table" and not _layout(child):
                self.flush()
                self.rows.extend(_table_rows(child))
                continue
            block = child.name in _BLOCK
            if block:
                self.flush()
            self.walk(child, depth + 1)
            if block:
                self.flush()


class _Census:
    """An lxml parser target that builds nothing: it counts the elements, and those that make rows
    (table rows and blocks), and stops the parse at the first over its limit."""

    def __init__(self, name: str):
        self.name, self.rows, self.elements = name, 0, 0
        self.max_rows = current().rows

    def start(self, tag: str, attrib) -> None:
        self.elements += 1
        self.rows += tag in _BLOCK  # table rows among them
        if self.rows > self.max_rows:
            raise TooLarge(f"{self.name}: over the limit of {self.max_rows} table rows and text blocks for one "
                           "report, counted while parsing (several reports in one file? split it)")
        if self.elements > MAX_ELEMENTS:
            raise TooLarge(f"{self.name}: over {MAX_ELEMENTS} HTML elements, more than a report holds")

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def _census(text: str, name: str) -> None:
    parser = etree.HTMLParser(target=_Census(name))
    for k in range(0, len(text), FEED):
        parser.feed(text[k:k + FEED])
    parser.close()


def declared_encoding(data: bytes) -> str | None:
    """The encoding the page names in its first bytes (``<meta charset>``, ``http-equiv``, ``<?xml``)."""
    m = _DECLARED.search(data[:4096])
    return (m[1] or m[2]).decode("ascii") if m else None


def read(data: bytes, path: str | None) -> Document:
    """A page from a file (its pictures beside it) or from bytes (no folder: pictures not read)."""
    return read_page(data, path, "html", Folder(path) if path else NoFolder())


def read_page(data: bytes, path: str | None, fmt: str, source: PictureSource, charset: str | None = None) -> Document:
    """The page's rows; where its text holds no table, its pictures read from ``source``.
    ``charset``: the encoding the page's container declares (an MHTML part's header)."""
    name = path or "input"
    try:
        text = decode(data, declared=charset or declared_encoding(data))
    except ValueError:
        text = data.decode("utf-8", errors="replace")
    try:
        _census(text, name)
        with warnings.catch_warnings():  # an XHTML page (an XML declaration first) is read as HTML all the same
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(text, "lxml")
    except GxError:
        raise
    except MemoryError:
        raise TooLarge(f"{name}: the HTML is too large to parse") from None
    except Exception as exc:  # lxml raises several types on hostile input
        raise UnreadableFile(f"{name}: HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    rows, pages, unread = walker.rows, [], []
    if walker.images and not holds_table(rows):
        placed, pages, unread = read_pictures(walker.images, source, name, len(data))
        rows = [r for k in range(len(rows) + 1) for r in placed.get(k, []) + rows[k:k + 1]]
    title = ([_cell_text(soup.title)] if soup.title else []) + [" ".join(c.text for c in r.cells) for r in rows[:8]]
    return Document(source=Source(path=path, format=fmt, pages=len(pages) or None), rows=rows, title_lines=title,
                    pages=pages, warnings=unread)
