"""OFD files (GB/T 33190) written from the corpus PDFs: the same pages, so the same truth.

- `from_pdf`: a text PDF's characters (pypdfium2: each glyph's baseline origin, size and box) as
  ``TextObject``s, one per run of touching glyphs (or, with ``OfdOptions.line_objects``, one per
  line, the steps jumping the gaps between words), each glyph placed by ``DeltaX`` (with
  ``OfdOptions.compress``, equal steps written ``g N v``); its rules and filled rectangles
  (`gxextract.pdf.objects.page_segments`) as ``PathObject``s. ``OfdOptions.turned_page``: that page
  drawn on its side (page box turned, every object's CTM a quarter turn), as a landscape table
  exported sideways is; ``OfdOptions.parts_reversed``: the page parts numbered against the reading
  order, which only ``Document.xml`` gives.
- `from_scan`: a scanned PDF's page pictures (its JPEG streams, untouched) as ``ImageObject`` pages;
  given the same report's text PDF too, only some pages pictures and the others text.

Reproducible bytes (fixed zip dates). Quirks are named in ``OfdOptions.quirks``.
"""

from __future__ import annotations

import ctypes
import io
import random
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from gxextract.pdf.objects import page_frame, page_segments

MM = 72 / 25.4
NS = "http://www.ofdspec.org/2016"
DATE = (2024, 1, 1, 0, 0, 0)
SKIP = (0x0A, 0x0D, 0x02)


@dataclass
class OfdOptions:
    compress: bool = False
    line_objects: bool = False
    turned_page: int | None = None
    parts_reversed: bool = False

    @property
    def quirks(self) -> list[str]:
        return [q for q, on in (("ofd_compressed_deltas", self.compress), ("ofd_line_objects", self.line_objects),
                                ("ofd_turned_page", self.turned_page is not None),
                                ("ofd_parts_reversed", self.parts_reversed)) if on]


def random_options(rng: random.Random, pages: int) -> OfdOptions:
    return OfdOptions(compress=rng.random() < 0.5, line_objects=rng.random() < 0.3,
                      turned_page=rng.randrange(pages) if rng.random() < 0.25 else None,
                      parts_reversed=rng.random() < 0.3)


def _n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def deltas(steps: list[float], compress: bool) -> str:
    """A DeltaX: the steps in mm, runs of two or more equal steps as ``g N v`` when ``compress``."""
    out, i = [], 0
    vals = [_n(s) for s in steps]
    while i < len(vals):
        j = i
        while j < len(vals) and vals[j] == vals[i]:
            j += 1
        out += [f"g {j - i} {vals[i]}"] if compress and j - i >= 2 else vals[i:j]
        i = j
    return " ".join(out)


def _glyphs(page: pdfium.PdfPage):
    """(text, origin x, baseline y, size, x0, x1) of each glyph in points on the page as read, and the frame."""
    tp = page.get_textpage()
    try:
        frame = page_frame(page, tp)
        out = []
        rect, ox, oy = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        for i in range(raw.FPDFText_CountChars(tp.raw)):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            if code in SKIP or raw.FPDFText_IsGenerated(tp.raw, i) == 1:
                continue
            if not raw.FPDFText_GetLooseCharBox(tp.raw, i, rect) or not raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy):
                continue
            x0, _, x1, _ = frame.box(rect.left, rect.bottom, rect.right, rect.top)
            x, y = frame.point(ox.value, oy.value)
            out.append((chr(code), x, y, raw.FPDFText_GetFontSize(tp.raw, i), x0, x1))
    finally:
        tp.close()
    return out, frame


def _runs(glyphs, line_objects: bool):
    """Glyphs in runs a TextObject each: one baseline and size, left to right, touching unless ``line_objects``."""
    runs: list[list] = []
    for g in glyphs:
        last = runs[-1][-1] if runs else None
        if (last is not None and abs(g[2] - last[2]) < 0.01 and abs(g[3] - last[3]) < 0.01 and g[1] > last[1]
                and (line_objects or g[4] - last[5] < 0.5)):
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs


def _text_object(uid: int, run, compress: bool, turned: str | None) -> str:
    size = run[0][3]
    if turned:  # the whole page as the Boundary, coordinates of the upright page, a quarter turn
        bx = by = 0.0
        head = f'Boundary="{turned}" CTM="{CTM_TURNED}"'
    else:
        bx, by = min(g[4] for g in run) / MM, min(g[2] - size for g in run) / MM
        w, h = max(g[5] for g in run) / MM - bx, size * 1.3 / MM
        head = f'Boundary="{_n(bx)} {_n(by)} {_n(w)} {_n(h)}"'
    text = "".join(g[0] for g in run)
    steps = [(b[1] - a[1]) / MM for a, b in zip(run, run[1:])]
    delta = f' DeltaX="{deltas(steps, compress)}"' if steps else ""
    return (f'<ofd:TextObject ID="{uid}" {head} Font="2" Size="{_n(size / MM)}">'
            f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="{_n(run[0][1] / MM - bx)}" Y="{_n(run[0][2] / MM - by)}"'
            f'{delta}>{escape(text)}</ofd:TextCode></ofd:TextObject>')


def _path_object(uid: int, s, turned: str | None) -> str:
    colour = " ".join(str(round(v * 255)) for v in (s.fill_rgb if s.rect else s.stroke_rgb))
    pad = 0.0 if turned else max(s.width, 0.5) / MM
    bx, by = (0.0, 0.0) if turned else (s.x0 / MM - pad, s.top / MM - pad)
    x0, y0, x1, y1 = s.x0 / MM - bx, s.top / MM - by, s.x1 / MM - bx, s.bottom / MM - by
    head = (f'Boundary="{turned}" CTM="{CTM_TURNED}"' if turned else
            f'Boundary="{_n(bx)} {_n(by)} {_n(x1 + pad)} {_n(y1 + pad)}"')
    if s.rect:
        return (f'<ofd:PathObject ID="{uid}" {head} Stroke="false" Fill="true"><ofd:FillColor Value="{colour}"/>'
                f'<ofd:AbbreviatedData>M {_n(x0)} {_n(y0)} L {_n(x1)} {_n(y0)} L {_n(x1)} {_n(y1)} L {_n(x0)} {_n(y1)} C'
                f'</ofd:AbbreviatedData></ofd:PathObject>')
    return (f'<ofd:PathObject ID="{uid}" {head} LineWidth="{_n(s.width / MM)}"><ofd:StrokeColor Value="{colour}"/>'
            f'<ofd:AbbreviatedData>M {_n(x0)} {_n(y0)} L {_n(x1)} {_n(y1)}</ofd:AbbreviatedData></ofd:PathObject>')


CTM_TURNED = "0 1 -1 0 {h} 0"
"""Object space (the upright page, mm) → the page turned a quarter turn clockwise: (x, y) → (h − y, x)."""


def _page_xml(width: float, height: float, objects: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>'
            f'0 0 {_n(width)} {_n(height)}</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="1" Type="Body">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def text_pages(pdf: bytes, o: OfdOptions) -> list[str]:
    """The page parts of the text PDF ``pdf``."""
    doc = pdfium.PdfDocument(pdf)
    pages, uid = [], 10
    try:
        for k in range(len(doc)):
            page = doc[k]
            try:
                glyphs, frame = _glyphs(page)
                segments = page_segments(page, frame)
            finally:
                page.close()
            w, h = frame.width / MM, frame.height / MM
            turned = f"0 0 {_n(h)} {_n(w)}" if k == o.turned_page else None
            objects = []
            for run in _runs(glyphs, o.line_objects):
                uid += 1
                objects.append(_text_object(uid, run, o.compress, turned))
            for s in segments:
                uid += 1
                objects.append(_path_object(uid, s, turned))
            xml = _page_xml(h, w, objects) if turned else _page_xml(w, h, objects)
            pages.append(xml.replace("{h}", _n(h)))
    finally:
        doc.close()
    return pages


def picture_pages(pdf: bytes) -> list[tuple[str, bytes]]:
    """The page parts of the image-only PDF ``pdf`` (`render_scan.scan_pdf`: a JPEG a page), each with
    its picture (page k's picture is the MultiMedia ``PICTURE_ID + k``)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for k in range(len(doc)):
            page = doc[k]
            try:
                w, h = page.get_size()
                picture = next(iter(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)))
                if picture.get_filters() != ["DCTDecode"]:
                    raise ValueError(f"page {k + 1}: not a JPEG picture")
                jpeg = bytes(picture.get_data(decode_simple=False))
            finally:
                page.close()
            w, h = w / MM, h / MM
            out.append((_page_xml(w, h, [f'<ofd:ImageObject ID="{100 + k}" Boundary="0 0 {_n(w)} {_n(h)}" '
                                         f'CTM="{_n(w)} 0 0 {_n(h)} 0 0" ResourceID="{PICTURE_ID + k}"/>']), jpeg))
    finally:
        doc.close()
    return out


PICTURE_ID = 1000


def from_pdf(pdf: bytes, o: OfdOptions) -> bytes:
    """The text PDF ``pdf`` as an OFD file."""
    return package(text_pages(pdf, o), {}, o.parts_reversed)


def from_scan(pdf: bytes, text_pdf: bytes | None = None, pictured: set[int] | None = None) -> bytes:
    """The image-only PDF ``pdf`` as an OFD file of page pictures; with ``text_pdf`` (the same report's
    text PDF), only the pages ``pictured`` (0-based) are pictures, the others text."""
    pictures = picture_pages(pdf)
    texts = text_pages(text_pdf, OfdOptions()) if text_pdf is not None else []
    pictured = set(range(len(pictures))) if text_pdf is None else pictured or set()
    pages = [pictures[k][0] if k in pictured else texts[k] for k in range(len(pictures))]
    return package(pages, {k: pictures[k][1] for k in sorted(pictured)}, False)


def package(pages: list[str], media: dict[int, bytes], reversed_parts: bool) -> bytes:
    """The zip: OFD.xml, Doc_0/Document.xml listing ``pages`` in order, the resources, and the JPEG
    pictures ``media`` (page index → bytes: MultiMedia ``PICTURE_ID`` + index, ``Res/Image_<index>.jpg``)."""
    n = len(pages)
    parts = [n - 1 - k if reversed_parts else k for k in range(n)]
    listed = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{p}/Content.xml"/>' for k, p in enumerate(parts))
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
                   "<ofd:DocBody><ofd:DocInfo><ofd:DocID>gxextract-corpus</ofd:DocID><ofd:CreationDate>2024-01-01"
                   "</ofd:CreationDate></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
                              "<ofd:MaxUnitID>100000</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                              "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                              "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
                              f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                               '<ofd:Fonts><ofd:Font ID="2" FontName="WenQuanYi Micro Hei" FamilyName="WenQuanYi Micro Hei"/>'
                               "</ofd:Fonts></ofd:Res>",
        "Doc_0/DocumentRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                                 "<ofd:MultiMedias>" + "".join(
                                     f'<ofd:MultiMedia ID="{PICTURE_ID + k}" Type="Image" Format="JPEG"><ofd:MediaFile>'
                                     f"Image_{k}.jpg</ofd:MediaFile></ofd:MultiMedia>" for k in media)
                                 + "</ofd:MultiMedias></ofd:Res>",
    }
    for k, p in enumerate(parts):
        files[f"Doc_0/Pages/Page_{p}/Content.xml"] = pages[k]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, DATE), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        for k, data in media.items():
            z.writestr(zipfile.ZipInfo(f"Doc_0/Res/Image_{k}.jpg", DATE), data, zipfile.ZIP_STORED)
    return buf.getvalue()
