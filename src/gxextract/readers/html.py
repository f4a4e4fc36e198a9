"""HTML as saved from a government site: leaf tables become structured rows, the rest lines.

Parsed with lxml through BeautifulSoup; scripts, styles, frames and images are dropped
unread, so nothing is fetched and nothing runs. Layout tables (tables holding tables)
are walked through; only tables without a table inside are read as grids.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from ..errors import UnreadableFile
from ..models import Cell, Document, Row, Source
from .text import decode

_DROP = ("script", "style", "iframe", "frame", "frameset", "object", "img", "noscript", "template", "svg", "video",
         "audio", "canvas", "map", "applet")
_VOID = {"embed", "source", "track", "wbr", "param", "area", "input", "link", "meta", "base"}
"""Void elements (dropped) that lxml's HTML 4 parser may not know: whatever it nests inside them
is really their following siblings, so it is walked."""
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header",
          "footer", "blockquote", "pre", "dd", "dt", "title", "center", "table", "hr"}
MAX_DEPTH = 400


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


class _Walker:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.line: list[str] = []

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
            if child.name == "table" and child.find("table") is None:
                self.flush()
                self.rows.extend(_table_rows(child))
                continue
            block = child.name in _BLOCK
            if block:
                self.flush()
            self.walk(child, depth + 1)
            if block:
                self.flush()


def read(data: bytes, path: str | None) -> Document:
    try:
        text = decode(data)
    except ValueError:
        text = data.decode("utf-8", errors="replace")
    try:
        with warnings.catch_warnings():  # an XHTML page (an XML declaration first) is read as HTML all the same
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml raises several types on hostile input
        raise UnreadableFile(f"{path or 'input'}: HTML could not be parsed ({exc})") from None
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    title = ([_cell_text(soup.title)] if soup.title else []) + [
        " ".join(c.text for c in r.cells) for r in walker.rows[:8]]
    return Document(source=Source(path=path, format="html", pages=None), rows=walker.rows, title_lines=title)
