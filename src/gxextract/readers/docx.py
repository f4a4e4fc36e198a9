"""DOCX (Word 2007+): paragraphs and tables in body order, table rows as structured rows.

Read with python-docx's XML tree (``word/document.xml``), not its ``Table.cell`` grid, so
that merges come out the way the HTML reader gives them: a horizontally merged cell
(``w:gridSpan``) appears once with ``colspan``; a vertically merged cell (``w:vMerge``)
appears only in its first row, with ``rowspan`` counting the rows it covers, and its
continuation cells are omitted. Leading empty grid columns (``w:gridBefore``) become one
empty cell spanning them. Tables holding tables are layout: they are walked through and
only the inner tables are read as grids (as the HTML reader does).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import UnreadableFile
from ..models import Cell, Document, Row, Source
from .sniff import DAMAGED_INDEX
from .zipped import refuse_bombs

try:
    import docx as _docx
    from docx.oxml.ns import qn
except ImportError:  # pragma: no cover - python-docx is a core dependency
    _docx = None

MAX_DEPTH = 50


def _q(tag: str) -> str:
    return qn(tag)


def _text(el) -> str:
    """The text of a paragraph-bearing element: runs, tabs and breaks; deleted text and
    the fallback copies of drawings (mc:Fallback) are skipped."""
    out: list[str] = []
    W_T, W_TAB, W_BR, W_CR = _q("w:t"), _q("w:tab"), _q("w:br"), _q("w:cr")
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == fallback:
            continue
        if tag == W_T:
            out.append(node.text or "")
        elif tag in (W_TAB, W_BR, W_CR):
            out.append(" ")
        elif tag == _q("w:p") and node is not el:
            out.append(" ")
        stack.extend(reversed(list(node)))
    return "".join(out)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _int_attr(el, path: str) -> int | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None:
        return None
    try:
        return int(found.get(_q("w:val")))
    except (TypeError, ValueError):
        return None


def _vmerge(tc) -> str | None:
    """'restart', 'continue' or None for a w:tc."""
    pr = tc.find(_q("w:tcPr"))
    if pr is None:
        return None
    vm = pr.find(_q("w:vMerge"))
    if vm is None:
        return None
    return "restart" if vm.get(_q("w:val")) == "restart" else "continue"


def _grid(tbl) -> list[list[tuple[int, int, object]]]:
    """Per row, (grid column, colspan, w:tc or None for a gridBefore filler)."""
    rows = []
    for tr in tbl.findall(_q("w:tr")):
        col, cells = 0, []
        before = _int_attr(tr.find(_q("w:trPr")), _q("w:gridBefore")) or 0
        if before > 0:
            cells.append((0, before, None))
            col = before
        for tc in _cells_of(tr):
            span = _int_attr(tc.find(_q("w:tcPr")), _q("w:gridSpan")) or 1
            span = max(1, min(span, 100))
            cells.append((col, span, tc))
            col += span
        rows.append(cells)
    return rows


def _cells_of(tr):
    """The w:tc of a row, including those wrapped in content controls (w:sdt)."""
    for child in tr:
        if child.tag == _q("w:tc"):
            yield child
        elif child.tag in (_q("w:sdt"), _q("w:customXml")):
            content = child.find(_q("w:sdtContent")) if child.tag == _q("w:sdt") else child
            if content is not None:
                yield from _cells_of(content)


def _table_rows(tbl) -> list[Row]:
    grid = _grid(tbl)
    out = []
    for i, cells in enumerate(grid):
        row = []
        for col, span, tc in cells:
            if tc is None:
                row.append(Cell(text="", colspan=span))
                continue
            vm = _vmerge(tc)
            if vm == "continue":
                continue
            rowspan = 1
            if vm == "restart":
                for below in grid[i + 1:]:
                    match = next((t for c, _, t in below if c == col and t is not None), None)
                    if match is None or _vmerge(match) != "continue":
                        break
                    rowspan += 1
            row.append(Cell(text=_clean(_text(tc)), colspan=span, rowspan=min(rowspan, 100), boxed=True))
        if row:
            out.append(Row(cells=row))
    return out


class _Walker:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def line(self, text: str) -> None:
        text = _clean(text)
        if text:
            self.rows.append(Row(cells=[Cell(text=text)], structured=False))

    def walk(self, parent, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        for child in parent:
            tag = child.tag
            if tag == _q("w:p"):
                self.line(_text(child))
            elif tag == _q("w:tbl"):
                if child.find(".//" + _q("w:tbl")) is None:
                    self.rows.extend(_table_rows(child))
                else:  # a layout table: walk its cells' content in order
                    for tr in child.findall(_q("w:tr")):
                        for tc in _cells_of(tr):
                            self.walk(tc, depth + 1)
            elif tag in (_q("w:sdt"),):
                content = child.find(_q("w:sdtContent"))
                if content is not None:
                    self.walk(content, depth + 1)
            elif tag == _q("w:customXml"):
                self.walk(child, depth + 1)


def read(data: bytes, path: str | None) -> Document:
    if _docx is None:  # pragma: no cover
        from ..errors import MissingDependency

        raise MissingDependency("reading DOCX needs python-docx: pip install python-docx")
    refuse_bombs(data, path or "input")
    try:
        document = _docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{path or 'input'}: the Word file is damaged ({DAMAGED_INDEX})") from None
    except (KeyError, ValueError) as exc:
        raise UnreadableFile(f"{path or 'input'}: the Word file is damaged ({exc})") from None
    except Exception as exc:  # lxml and python-docx raise several types on broken files
        raise UnreadableFile(f"{path or 'input'}: the Word file is damaged ({type(exc).__name__}: {exc})") from None
    walker = _Walker()
    walker.walk(document.element.body)
    title = []
    core_title = (document.core_properties.title or "").strip()
    if core_title:
        title.append(core_title)
    title += [" ".join(c.text for c in r.cells) for r in walker.rows[:8]]
    return Document(source=Source(path=path, format="docx", pages=None), rows=walker.rows, title_lines=title)
