"""What a page holds, read straight from pdfium: characters with boxes, and path segments.

pdfium is used for every page (its text layer costs a few milliseconds a page); the
objects are plain tuples so that the geometry steps after it stay pure and testable.

Every box is given on the page *as read*: the page turned by the quarter turn that makes most of
its characters upright (`Frame`), origin top left. A page whose ``/Rotate`` turns sideways or
upside-down content upright for a viewer, and a landscape table exported on its side, read the
same as an upright page.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..errors import EncryptedDocument, UnreadableFile


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    mapped: bool = True
    """False when the font has no usable Unicode map for this glyph."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Segment:
    """A straight axis-aligned piece of a path, as drawn (top-left origin)."""

    x0: float
    top: float
    x1: float
    bottom: float
    stroked: bool
    filled: bool
    stroke_rgb: tuple[float, float, float]
    fill_rgb: tuple[float, float, float]
    width: float
    """Stroke width, or for a filled thin rectangle its thickness."""
    rect: bool = False
    """The segment is an edge of a filled rectangle (it is a rule only if the rectangle is thin)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """User space (PDF points, y up) → the page as read (text upright, origin top left, y down):
    ``turn`` quarter turns counter-clockwise, then the turned page box moved to the origin."""

    turn: int
    left: float
    top: float
    width: float
    height: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, v = _turned(self.turn, x, y)
        return u - self.left, self.top - v

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, top, x1, bottom) on the page as read."""
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _turned(turn: int, x: float, y: float) -> tuple[float, float]:
    """(x, y) turned ``turn`` quarter turns clockwise: text that runs at ``turn`` × 90° then runs level."""
    return ((x, y), (y, -x), (-x, -y), (-y, x))[turn % 4]


def page_frame(page: pdfium.PdfPage, textpage) -> Frame:
    """The frame that sets the page's characters upright: the quarter turn most of them are
    drawn at (their text matrix and the page's own /Rotate are both in it)."""
    tp = textpage.raw
    turns = Counter()
    for i in range(raw.FPDFText_CountChars(tp)):
        if raw.FPDFText_IsGenerated(tp, i) != 1 and raw.FPDFText_GetUnicode(tp, i) > 0x20:
            # pdfium measures the angle clockwise
            turns[-round(raw.FPDFText_GetCharAngle(tp, i) / (math.pi / 2)) % 4] += 1
    return turned_frame(turns.most_common(1)[0][0] if turns else 0, page.get_cropbox())


def turned_frame(turn: int, box: tuple[float, float, float, float]) -> Frame:
    """The frame of the page box ``box`` (left, bottom, right, top in user space) turned ``turn``
    quarter turns: the turned box moved to the origin."""
    left, bottom, right, top = box
    corners = [_turned(turn, x, y) for x in (left, right) for y in (bottom, top)]
    us, vs = [c[0] for c in corners], [c[1] for c in corners]
    return Frame(turn, min(us), max(vs), max(us) - min(us), max(vs) - min(vs))


def open_pdf(data: bytes, path: str | None) -> pdfium.PdfDocument:
    """Open ``data``; an encrypted file is tried with the empty password only."""
    name = path or "input"
    try:
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(f"{name}: the PDF is protected by a password") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedDocument(f"{name}: the PDF uses an unsupported security handler") from None
        raise UnreadableFile(f"{name}: the PDF is corrupt or truncated ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - anything else from the binding is a bad file too
        raise UnreadableFile(f"{name}: the PDF could not be opened ({exc})") from None


def page_text(page: pdfium.PdfPage) -> str:
    tp = page.get_textpage()
    try:
        return tp.get_text_range()
    finally:
        tp.close()


def picture_boxes(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, top, x1, bottom, from the top left, unturned) of the page's pictures (image
    objects, in forms too), cut to the page. Walked with pdfium's own calls: a typed page holds
    thousands of objects, and a wrapper for each cost more than the page's text."""
    w, h = page.get_size()
    out = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def walk(objs, depth: int) -> None:
        for obj in objs:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                x0, x1, y0, y1 = max(left.value, 0.0), min(right.value, w), max(bottom.value, 0.0), min(top.value, h)
                if x1 > x0 and y1 > y0:
                    out.append((x0, h - y1, x1, h - y0))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
                walk((raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj))), depth + 1)

    walk((raw.FPDFPage_GetObject(page.raw, k) for k in range(raw.FPDFPage_CountObjects(page.raw))), 0)
    return out


def hidden_text_share(page: pdfium.PdfPage) -> float:
    """Share of the page's text objects drawn invisible (render mode 3): the text layer an OCR
    program lays over a scanned page, for search and copying, and not what the page shows."""
    objs = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=8))
    hidden = sum(raw.FPDFTextObj_GetTextRenderMode(o.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE for o in objs)
    return hidden / len(objs) if objs else 0.0


def page_chars(page: pdfium.PdfPage) -> tuple[list[Char], Frame]:
    """Every character of the page with its box on the page as read (generated spaces and line
    breaks left out), and the frame they are in."""
    tp = page.get_textpage()
    out: list[Char] = []
    try:
        frame = page_frame(page, tp)
        raw_tp = tp.raw
        n = raw.FPDFText_CountChars(raw_tp)
        rect = raw.FS_RECTF()
        for i in range(n):
            code = raw.FPDFText_GetUnicode(raw_tp, i)
            if code in (0x0A, 0x0D, 0x02) or raw.FPDFText_IsGenerated(raw_tp, i) == 1:
                continue
            size = raw.FPDFText_GetFontSize(raw_tp, i)
            if not raw.FPDFText_GetLooseCharBox(raw_tp, i, rect):
                continue
            x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
            if code in (0x20, 0x3000, 0xA0):
                text = " "
            else:
                text = chr(code) if 0 < code < 0x110000 else "\ufffd"
            mapped = not (code == 0xFFFD or raw.FPDFText_HasUnicodeMapError(raw_tp, i) == 1)
            out.append(Char(text, x0, top, x1, bottom, size or (bottom - top), mapped))
    finally:
        tp.close()
    return out, frame


def _rgb(getter, obj) -> tuple[tuple[float, float, float], int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return (0.0, 0.0, 0.0), 255
    return (r.value / 255, g.value / 255, b.value / 255), a.value


def _walk(objs, matrix, out: list, frame: Frame, depth: int) -> None:
    for obj in objs:
        kind = raw.FPDFPageObj_GetType(obj)
        m = raw.FS_MATRIX()
        if not raw.FPDFPageObj_GetMatrix(obj, m):
            m = raw.FS_MATRIX(1, 0, 0, 1, 0, 0)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            total = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            n = raw.FPDFFormObj_CountObjects(obj)
            _walk((raw.FPDFFormObj_GetObject(obj, k) for k in range(n)), total, out, frame, depth + 1)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            _path(obj, _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix), out, frame)


def _mul(m1, m2):
    """m1 then m2 (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


_EPS = 0.01


def _path(obj, m, out: list, frame: Frame) -> None:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return
    stroked, filled = bool(stroke.value), fillmode.value != 0
    if not stroked and not filled:
        return  # a clipping path or an invisible one
    srgb, salpha = _rgb(raw.FPDFPageObj_GetStrokeColor, obj)
    frgb, falpha = _rgb(raw.FPDFPageObj_GetFillColor, obj)
    stroked = stroked and salpha > 0
    filled = filled and falpha > 0
    if not stroked and not filled:
        return
    w = ctypes.c_float()
    width = w.value if raw.FPDFPageObj_GetStrokeWidth(obj, w) else 1.0
    width *= (abs(m[0]) + abs(m[3])) / 2 or 1.0
    a, b, c, d, e, f = m
    pts: list[list[tuple[float, float]]] = []
    n = raw.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    start = None
    for k in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        p = frame.point(x.value * a + y.value * c + e, x.value * b + y.value * d + f)
        t = raw.FPDFPathSegment_GetType(seg)
        if t == raw.FPDF_SEGMENT_MOVETO or not pts:
            pts.append([p])
            start = p
        else:
            if t == raw.FPDF_SEGMENT_BEZIERTO:
                pts[-1].append((float("nan"), float("nan")))  # curves are no rules
            pts[-1].append(p)
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            pts[-1].append(start)
    out.extend(path_segments(pts, stroked, filled, srgb, frgb, width))


def path_segments(pts: list[list[tuple[float, float]]], stroked: bool, filled: bool,
                  srgb: tuple[float, float, float], frgb: tuple[float, float, float], width: float) -> list[Segment]:
    """The axis-aligned pieces of a path's subpaths (points on the page as read; a NaN point before
    the end of a curve, which is no rule), or the box of a shape filled and not stroked."""
    out: list[Segment] = []
    for sub in pts:
        xs = [p[0] for p in sub if p[0] == p[0]]
        ys = [p[1] for p in sub if p[1] == p[1]]
        if filled and not stroked and len(sub) >= 4 and xs:
            # a filled shape: its box, whole (a thin one is a rule; a large one a cell background)
            x0, x1, t0, t1 = min(xs), max(xs), min(ys), max(ys)
            thick = min(x1 - x0, t1 - t0)
            out.append(Segment(x0, t0, x1, t1, False, True, srgb, frgb, thick, rect=True))
            continue
        for p, q in zip(sub, sub[1:]):
            if p[0] != p[0] or q[0] != q[0]:
                continue
            if abs(p[1] - q[1]) < _EPS or abs(p[0] - q[0]) < _EPS:
                out.append(Segment(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]),
                                   stroked, filled, srgb, frgb, width))
    return out


def page_segments(page: pdfium.PdfPage, frame: Frame) -> list[Segment]:
    """The straight pieces of every visible path of the page, form XObjects included, in ``frame``."""
    out: list[Segment] = []
    n = raw.FPDFPage_CountObjects(page.raw)
    _walk((raw.FPDFPage_GetObject(page.raw, k) for k in range(n)), (1, 0, 0, 1, 0, 0), out, frame, 0)
    return out
