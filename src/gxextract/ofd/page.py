"""One OFD page as the geometric model: positioned characters, rule segments and images, in points on
the page as read (text upright, origin top left), as `gxextract.pdf.objects` gives a PDF page.

A ``TextObject`` places its glyphs itself: ``TextCode@X/Y`` is the first glyph's baseline, each
``DeltaX``/``DeltaY`` the step to the next (``g N v`` is N steps of v; past the last ``DeltaX``, a
glyph's own width), all in the object's space, which its ``CTM`` maps onto its ``Boundary``
(millimetres on the page, y down). A glyph's width is
its step to the next glyph, or, for the last one or a step that jumps a gap, the width its kind of
character has (a CJK character one em, others half). ``PathObject``s are read from their
``AbbreviatedData`` (``M``/``S`` move, ``L`` line, ``Q``/``B``/``A`` curves, ``C`` close). A page
whose text runs at a quarter turn (a table set on its side through the CTM) is turned upright
as a PDF page is (`objects.turned_frame`), by the direction most of its glyphs run in.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from ..pdf.objects import Char, Frame, Segment, path_segments, turned_frame
from .package import MM, Document, Package, box, child, children, local, numbers

ASCENT, DESCENT = 0.88, 0.12
"""A glyph's box above and below its baseline, in ems: an em high, as pdfium's loose boxes are."""
NARROW = 0.5
"""The width of a character that is not full width (digits, Latin), in ems, when no step gives it."""
LINE_WIDTH = 0.353
"""The stroke width (mm) OFD assumes when a path gives none."""
MAX_DEPTH = 16
"""Blocks nested deeper than this are not read (a real page nests two or three)."""
SPACES = (" ", "\u3000", "\xa0")

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class Image:
    media: str
    """The MultiMedia id of the picture."""
    member: str | None
    """The file that holds it in the package (None when no resource lists it)."""
    bbox: tuple[float, float, float, float]
    """On the page as read, in points."""


@dataclass
class Page:
    number: int
    chars: list[Char]
    segments: list[Segment]
    images: list[Image]
    width: float
    height: float
    frame: Frame = field(repr=False)

    def text(self) -> str:
        """The page's text, a line of characters per line."""
        from ..pdf.cells import line_text, lines

        return "\n".join(line_text(line) for line in lines(self.chars))


def _matrix(el) -> Matrix:
    """The object's CTM followed by the move to its Boundary's origin: object space → page (mm)."""
    m = numbers(el.get("CTM"))
    a, b, c, d, e, f = m if len(m) == 6 else _IDENTITY
    x, y = (box(el.get("Boundary")) or (0.0, 0.0, 0.0, 0.0))[:2]
    return a, b, c, d, e + x, f + y


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def deltas(text: str | None, count: int) -> list[float]:
    """At most ``count`` steps of a DeltaX or DeltaY, ``g N v`` expanded (bounded by ``count``, so
    that a huge N costs nothing)."""
    tokens, out, i = (text or "").split(), [], 0
    while i < len(tokens) and len(out) < count:
        if tokens[i] == "g" and i + 2 < len(tokens):
            n, v = numbers(tokens[i + 1]), numbers(tokens[i + 2])
            if n and v:
                out += [v[0]] * max(0, min(int(n[0]), count - len(out)))
            i += 3
            continue
        v = numbers(tokens[i])
        if v:
            out.append(v[0])
        i += 1
    return out


def _advance(ch: str) -> float:
    """A character's width in ems when nothing else gives it."""
    return 1.0 if unicodedata.east_asian_width(ch) in "FW" else NARROW


class _Reader:
    """Collects a page's glyphs (user space: points, y up), path pieces and images."""

    def __init__(self, height: float, origin: tuple[float, float]):
        self.height, self.origin = height, origin
        self.glyphs: list[tuple[str, tuple[float, float, float, float], float, int]] = []
        self.paths: list = []
        self.images: list[tuple[str, tuple[float, float, float, float]]] = []

    def user(self, x: float, y: float) -> tuple[float, float]:
        """A page point (mm, y down) in user space (points, y up)."""
        return (x - self.origin[0]) * MM, (self.height - (y - self.origin[1])) * MM

    def walk(self, parent, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        for el in parent:
            kind = local(el)
            if el.get("Visible") == "false":
                continue
            if kind in ("Layer", "PageBlock"):
                self.walk(el, depth + 1)
            elif kind == "TextObject":
                self.text(el)
            elif kind == "PathObject":
                self.path(el)
            elif kind == "ImageObject" and el.get("ResourceID"):
                m = _matrix(el)
                pts = [self.user(*_apply(m, u, v)) for u in (0, 1) for v in (0, 1)]
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                self.images.append((el.get("ResourceID"), (min(xs), min(ys), max(xs), max(ys))))

    def text(self, el) -> None:
        m = _matrix(el)
        size = (numbers(el.get("Size")) or [0.0])[0]
        hscale = (numbers(el.get("HScale")) or [1.0])[0]
        em = size * math.hypot(m[2], m[3]) * MM
        # the baseline runs along (a, b) on the page, y down: its angle counter-clockwise, in quarter turns
        turn = round(math.atan2(-m[1], m[0]) / (math.pi / 2)) % 4
        x = y = 0.0
        for code in children(el, "TextCode"):
            text = code.text or ""
            if not text:
                continue
            pos = numbers(code.get("X")), numbers(code.get("Y"))
            x, y = (pos[0] or [x])[0], (pos[1] or [y])[0]
            steps_x = deltas(code.get("DeltaX"), len(text) - 1)
            steps_y = deltas(code.get("DeltaY"), len(text) - 1)
            # glyphs past the last step advance by their own width
            steps_x += [_advance(ch) * size * hscale for ch in text[len(steps_x):len(text) - 1]]
            xs = list(accumulate(steps_x, initial=x))
            ys = list(accumulate(steps_y + [0.0] * (len(text) - 1 - len(steps_y)), initial=y))
            for i, ch in enumerate(text):
                natural = _advance(ch) * size * hscale
                step = xs[i + 1] - xs[i] if i + 1 < len(text) else natural
                w = min(step, natural) if step > 0 else natural
                gx, gy = xs[i], ys[i]
                corners = [self.user(*_apply(m, u, v)) for u in (gx, gx + w)
                           for v in (gy - ASCENT * size, gy + DESCENT * size)]
                us, vs = [p[0] for p in corners], [p[1] for p in corners]
                self.glyphs.append((" " if ch in SPACES else ch, (min(us), min(vs), max(us), max(vs)), em, turn))
            x, y = xs[-1] + _advance(text[-1]) * size * hscale, ys[-1]

    def path(self, el) -> None:
        stroked = el.get("Stroke", "true") != "false"
        filled = el.get("Fill", "false") == "true"
        srgb, salpha = _colour(child(el, "StrokeColor"))
        frgb, falpha = _colour(child(el, "FillColor"))
        stroked, filled = stroked and salpha > 0, filled and falpha > 0
        data = child(el, "AbbreviatedData")
        if not (stroked or filled) or data is None:
            return
        m = _matrix(el)
        width = (numbers(el.get("LineWidth")) or [LINE_WIDTH])[0] * MM * ((abs(m[0]) + abs(m[3])) / 2 or 1.0)
        self.paths.append((_subpaths(data.text or "", lambda u, v: self.user(*_apply(m, u, v))),
                           stroked, filled, srgb, frgb, width))


_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
"""Numbers each AbbreviatedData command takes."""


def _subpaths(data: str, to_user) -> list[list[tuple[float, float]]]:
    """The subpaths of an AbbreviatedData in user space; a NaN point before a curve's end."""
    tokens, out, i, start = data.split(), [], 0, None
    nan = (float("nan"), float("nan"))
    while i < len(tokens):
        op = tokens[i]
        n = _ARGS.get(op)
        if n is None:
            i += 1
            continue
        args = numbers(" ".join(tokens[i + 1:i + 1 + n]))
        i += 1 + n
        if len(args) < n:
            break
        if op == "C":
            if out and start is not None:
                out[-1].append(start)
            continue
        p = to_user(args[-2], args[-1])
        if op in ("S", "M") or not out:
            out.append([p])
            start = p
        else:
            if op != "L":
                out[-1].append(nan)  # curves are no rules
            out[-1].append(p)
    return out


def _colour(el) -> tuple[tuple[float, float, float], int]:
    """(r, g, b in 0..1, alpha 0..255) of a colour element (Gray, RGB or CMYK by its number of
    components); black when it gives none."""
    if el is None:
        return (0.0, 0.0, 0.0), 255
    v = [min(max(x, 0.0), 255.0) / 255 for x in numbers(el.get("Value"))]
    alpha = int((numbers(el.get("Alpha")) or [255])[0])
    if len(v) == 1:
        return (v[0], v[0], v[0]), alpha
    if len(v) == 4:
        k = 1 - v[3]
        return ((1 - v[0]) * k, (1 - v[1]) * k, (1 - v[2]) * k), alpha
    if len(v) >= 3:
        return (v[0], v[1], v[2]), alpha
    return (0.0, 0.0, 0.0), alpha


def read_page(pkg: Package, doc: Document, k: int) -> Page:
    """Page ``k`` (from 0) of ``doc``: its template pages' content first, then its own."""
    part = doc.pages[k]
    root = pkg.xml(part)
    area = child(root, "Area")
    page_box = (box(child(area, "PhysicalBox").text) if area is not None and child(area, "PhysicalBox") is not None
                else None) or doc.page_box
    media = dict(doc.media)
    for res in children(root, "PageRes"):
        loc = pkg.resolve(part, res.text)
        if loc:
            pkg.media(loc, media)
    x, y, w, h = page_box
    reader = _Reader(h, (x, y))
    for tpl in children(root, "Template"):
        tpart = doc.templates.get(tpl.get("TemplateID") or "")
        content = child(pkg.xml(tpart), "Content") if tpart else None
        if content is not None:
            reader.walk(content)
    content = child(root, "Content")
    if content is not None:
        reader.walk(content)
    turns = Counter(turn for ch, _, _, turn in reader.glyphs if ch != " ")
    frame = turned_frame(turns.most_common(1)[0][0] if turns else 0, (0.0, 0.0, w * MM, h * MM))
    chars = []
    for ch, (left, bottom, right, top), em, _ in reader.glyphs:
        x0, t, x1, b = frame.box(left, bottom, right, top)
        chars.append(Char(ch, x0, t, x1, b, em))
    segments = []
    for subpaths, stroked, filled, srgb, frgb, width in reader.paths:
        turned = [[frame.point(*p) if p[0] == p[0] else p for p in sub] for sub in subpaths]
        segments += path_segments(turned, stroked, filled, srgb, frgb, width)
    images = [Image(mid, media.get(mid), frame.box(*bbox)) for mid, bbox in reader.images]
    return Page(k + 1, chars, segments, images, frame.width, frame.height, frame)
