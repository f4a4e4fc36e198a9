"""Scans and photos of the text PDFs: rasterised with pypdfium2, then degraded.

Each page: rendered at 150–300 dpi, a grey/yellowish paper tone, a red round seal (公章) over part
of the last page (and sometimes over the title), rotated by up to ±2°, blurred, noised and passed
through JPEG. On request (``ScanOptions.turn``, ``ScanOptions.seal_over_numbers``) every page is turned
by a quarter or half turn, as a sheet fed into the scanner sideways or upside down comes out, and a
second seal is stamped across the numbers of section 三's table (or, by ``ScanOptions.seal_table``,
of section 二's or 四's), red, or grey as a black-and-white scanner leaves it, or blue, and
(``ScanOptions.show_through``) the print of the sheet's other side shows through, mirrored, as on
thin paper printed on both sides; all are off by default, and then draw nothing from the random
streams, so the corpus does not change. Written as an image-only PDF, a long PNG or JPEG (the pages stacked, as sites post
reports as one long picture) or a multi-page TIFF (bilevel Group 4, as office scanners write).
Quirks are named in ``ScanOptions.quirks``.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
import time
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from . import locate
from .render_pdf import FONTS

TURNS = (0, 90, 180, 270)
SEALS_OVER_NUMBERS = ("red", "grey", "blue")  # blue: a seal some bodies stamp in blue ink
SEAL_DIAMETER_IN = 1.65  # a 42 mm seal
# A black-and-white scanner leaves a red seal as mid-grey ink, not as black: this grey (ink over
# white, before the paper tone) reads ~157 on white paper and ~130–150 on the corpus's paper tones.
GREY_SEAL_INK = 140


@dataclass
class ScanOptions:
    dpi: int = 200
    angle: float = 0.0  # degrees, + is counter-clockwise
    blur: int = 0  # Gaussian kernel size (0, 3, 5)
    noise: float = 0.0  # sigma of the grey-level noise
    jpeg_quality: int = 0  # 0: no JPEG pass
    paper: int = 238  # grey level of the paper
    seal: bool = True
    seal_on_title: bool = False
    grayscale: bool = False
    bilevel: bool = False
    bilevel_jpeg: int = 0  # a bilevel page stored as a grey JPEG of this quality (0: CCITT Group 4)
    seed: int = 0
    turn: int = 0  # degrees clockwise (0/90/180/270): every page as fed in sideways or upside down
    seal_over_numbers: str | None = None  # "red" | "grey" | "blue": a seal across a table's numbers
    seal_table: str = "requests"  # whose numbers (`locate.TABLES`): section 二's, 三's or 四's table
    show_through: float = 0.0  # share of the back page's darkness seen through thin paper (0: none)
    spread: bool = False  # two pages to a picture, side by side (a bound report scanned open)
    slant: float = 0.0  # perspective: the top edge this share of the width narrower each side (a photo)
    worn_seals: bool = False  # seals stamped unevenly, with an inner ring and a code (`seal_image`'s ``worn``)
    shade: float = 0.0  # light falling off across the page to this share darker (a photo under a lamp; 0: even)
    desk: bool = False  # every page photographed lying on a dark desk, a little turned, the desk around it

    def __post_init__(self) -> None:
        if self.turn not in TURNS:
            raise ValueError(f"turn must be one of {TURNS}, not {self.turn}")
        if self.seal_over_numbers not in (None, *SEALS_OVER_NUMBERS):
            raise ValueError(f"seal_over_numbers must be one of {SEALS_OVER_NUMBERS} or None")
        if self.seal_table not in locate.TABLES:
            raise ValueError(f"seal_table must be one of {tuple(locate.TABLES)}")

    @property
    def grey_pages(self) -> bool:
        """The pages come out grey: a grey scan, or a black-and-white scanner's grey seal."""
        return self.grayscale or self.seal_over_numbers == "grey"

    @property
    def quirks(self) -> list[str]:
        q = [f"dpi_{self.dpi}"]
        if abs(self.angle) > 0.05:
            q.append("rotated")
        if self.blur:
            q.append("blur")
        if self.noise:
            q.append("noise")
        if self.jpeg_quality:
            q.append("jpeg_artefacts")
        if self.paper < 250:
            q.append("grey_background")
        if self.seal:
            q.append("red_seal")
        if self.seal_on_title:
            q.append("seal_over_title")
        if self.seal_over_numbers:
            q.append(f"{self.seal_over_numbers}_seal_over_numbers"
                     + ("" if self.seal_table == "requests" else f"_of_{self.seal_table}"))
        if self.turn:
            q.append(f"turned_{self.turn}")
        if self.show_through:
            q.append("show_through")
        if self.spread:
            q.append("spreads")
        if self.slant:
            q.append("slant")
        if self.worn_seals:
            q.append("worn_seals")
        if self.shade:
            q.append("shaded")
        if self.desk:
            q.append("on_a_desk")
        if self.bilevel:
            q.append("bilevel")
        elif self.grey_pages:
            q.append("grayscale")
        return q


def bilevel_options(blur: int, dpi: int, jpeg: int = 0) -> dict:
    """What a black-and-white office scanner makes of a page: one bit a pixel at 200 or 300 dpi
    (thresholded after the optics' ``blur``), no grain, white paper; stored as CCITT Group 4, or
    (``jpeg``, a quality) as a grey JPEG, as a phone scanning app's black-and-white mode saves it or a
    PDF tool re-encodes the scanner's pages."""
    return {"bilevel": True, "bilevel_jpeg": jpeg, "jpeg_quality": 0, "noise": 0.0, "blur": blur,
            "paper": 255, "dpi": dpi}


def random_options(rng: random.Random, kind: str = "pdf-scan") -> ScanOptions:
    if kind == "png":  # a clean screenshot-like long picture
        return ScanOptions(dpi=rng.choice([120, 150]), paper=255, seal=rng.random() < 0.6,
                           angle=0.0, seed=rng.randint(0, 10**6))
    o = ScanOptions(
        dpi=rng.choice([150, 200, 200, 300]) if kind != "jpeg" else rng.choice([120, 150]),
        angle=round(rng.uniform(-2, 2), 2),
        blur=rng.choice([0, 3, 3, 5]),
        noise=rng.choice([0, 3, 6]),
        jpeg_quality=rng.choice([45, 60, 75]),
        paper=rng.randint(215, 245),
        seal=rng.random() < 0.85,
        seal_on_title=rng.random() < 0.25,
        grayscale=rng.random() < 0.3,
        seed=rng.randint(0, 10**6),
    )
    if o.grayscale:
        o.seal = o.seal_on_title = False  # a grey scan has no red
    if kind == "tiff":
        o = dataclasses.replace(o, **bilevel_options(rng.choice([0, 3]), rng.choice([200, 300])))
        o.angle = round(rng.uniform(-1, 1), 2)
    if o.dpi >= 300:
        o.noise = min(o.noise, 3)
    return o


def rasterize(pdf: bytes, dpi: int) -> list[np.ndarray]:
    """RGB arrays of the pages."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")) for page in doc]
    finally:
        doc.close()


def _cjk_font(px: int) -> ImageFont.FreeTypeFont:
    for path, index, _ in FONTS.values():
        try:
            return ImageFont.truetype(path, px, index=index)
        except OSError:
            continue
    return ImageFont.load_default()


def seal_image(text: str, diameter: int, rng: random.Random, blue: bool = False, worn: bool = False) -> Image.Image:
    """An RGBA round seal, red (or ``blue``): a ring, the body's name around it and a star in the middle.
    ``worn``: as many real seals print, with a thin inner ring (half of them), a code along the bottom
    (most) and the ink pressed unevenly, fading across the seal to 30–70 % on one side."""
    s = diameter
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ink = (rng.randint(200, 235), rng.randint(20, 50), rng.randint(25, 55))
    colour = (*(ink[::-1] if blue else ink), 255)  # the same ink's blue: the channels the other way round
    ring = max(3, s // 28)
    d.ellipse([ring // 2, ring // 2, s - ring // 2 - 1, s - ring // 2 - 1], outline=colour, width=ring)
    # star
    cx = cy = s / 2
    R, r = s * 0.16, s * 0.065
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rad = R if i % 2 == 0 else r
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    d.polygon(pts, fill=colour)
    # name along the upper arc
    chars = list(text[:14])
    px = max(8, int(s * 0.11))
    f = _cjk_font(px)
    span = math.radians(min(250, 20 * len(chars) + 40))
    for i, ch in enumerate(chars):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(chars)
        rad = s / 2 - ring - px * 0.8
        glyph = Image.new("RGBA", (px * 2, px * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((px / 2, px / 2), ch, font=f, fill=colour)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        gx, gy = cx + rad * math.cos(a) - px, cy + rad * math.sin(a) - px
        img.alpha_composite(glyph, (int(gx), int(gy)))
    if worn:  # a stream of the seal's own (its body, its size): the page's other draws do not change
        w = random.Random(f"varied-{text}-{s}")
        if w.random() < 0.5:
            k = int(s * 0.06)
            d.ellipse([k, k, s - k - 1, s - k - 1], outline=colour, width=max(1, ring // 3))
        if w.random() < 0.6:
            d.text((s * 0.3, s * 0.72), "5101%09d" % w.randint(0, 10**9 - 1), font=_cjk_font(max(8, int(s * 0.07))),
                   fill=colour)
    # ink is uneven: fade some of it
    a = np.asarray(img).copy()
    if worn:
        side, depth = w.uniform(0, 2 * math.pi), w.uniform(0.3, 0.7)
        yy, xx = np.mgrid[0:s, 0:s]
        across = ((xx - s / 2) * math.cos(side) + (yy - s / 2) * math.sin(side)) / (s / 2)  # -1 … 1
        a[..., 3] = (a[..., 3] * np.clip(1 - depth * (across + 1) / 2, 0, 1)).astype(np.uint8)
    mask = np.random.default_rng(rng.randint(0, 10**6)).random(a.shape[:2]) < 0.12
    a[..., 3][mask] = (a[..., 3][mask] * 0.4).astype(np.uint8)
    return Image.fromarray(a)


def _stamp(page: np.ndarray, seal: Image.Image, x: int, y: int) -> np.ndarray:
    """Multiply the seal onto the page, as ink over print."""
    out = page.astype(np.float32)
    h, w = seal.height, seal.width
    x, y = max(0, min(x, page.shape[1] - w)), max(0, min(y, page.shape[0] - h))
    s = np.asarray(seal).astype(np.float32)
    alpha = s[..., 3:4] / 255.0 * 0.85
    region = out[y:y + h, x:x + w]
    tinted = region * (s[..., :3] / 255.0)
    out[y:y + h, x:x + w] = region * (1 - alpha) + tinted * alpha
    return out.clip(0, 255).astype(np.uint8)


def _last_text_row(page: np.ndarray) -> int:
    dark = (page.min(axis=2) < 128).any(axis=1)
    rows = np.nonzero(dark[: int(page.shape[0] * 0.93)])[0]
    return int(rows[-1]) if len(rows) else page.shape[0] // 2


def grey_seal(seal: Image.Image) -> Image.Image:
    """The seal's ink as a black-and-white scanner leaves it: mid-grey, its alpha kept."""
    a = np.asarray(seal).copy()
    a[..., :3] = GREY_SEAL_INK
    return Image.fromarray(a)


def numbers_seal_at(pdf: bytes, dpi: int, table: str = "requests") -> tuple[int, int, int]:
    """(page index, x, y) in pixels at ``dpi``: the centre of a table's numbers (`locate.TABLES`) on
    the page that holds most of them."""
    found = locate.table_numbers(pdf, table)
    if found is None:
        raise ValueError(f"seal_over_numbers: the {table} table's numbers are not found in the PDF")
    i, (x0, top, x1, bottom) = found
    px = dpi / 72
    return i, int((x0 + x1) / 2 * px), int((top + bottom) / 2 * px)


def _stamp_over_numbers(img: np.ndarray, o: ScanOptions, agency: str, x: int, y: int) -> np.ndarray:
    """A seal centred on (x, y). Its own random stream, so the page's other draws do not change."""
    d = int(o.dpi * SEAL_DIAMETER_IN)
    seal = seal_image(agency, d, random.Random(f"seal-over-numbers-{o.seed}"), blue=o.seal_over_numbers == "blue",
                      worn=o.worn_seals)
    if o.seal_over_numbers == "grey":
        seal = grey_seal(seal)
    return _stamp(img, seal, x - d // 2, y - d // 2)


def degrade(pages: list[np.ndarray], o: ScanOptions, agency: str,
            numbers_at: tuple[int, int, int] | None = None) -> list[np.ndarray]:
    """The pages scanned. ``numbers_at`` (page index, x, y): where ``o.seal_over_numbers`` goes
    (`numbers_seal_at`); required when it is set."""
    if o.seal_over_numbers and numbers_at is None:
        raise ValueError("seal_over_numbers needs numbers_at (numbers_seal_at(pdf, dpi))")
    rng = random.Random(o.seed)
    nrng = np.random.default_rng(o.seed)
    out = []
    for i, page in enumerate(pages):
        img = page.copy()
        if o.show_through and (i ^ 1) < len(pages):  # printed on both sides: pages 1|2, 3|4, … share a sheet
            img = _show_through(img, pages[i ^ 1], o)
        if o.seal_over_numbers and i == numbers_at[0]:
            img = _stamp_over_numbers(img, o, agency, numbers_at[1], numbers_at[2])
        if o.seal and i == len(pages) - 1:
            d = int(o.dpi * SEAL_DIAMETER_IN)
            y = _last_text_row(img) - int(d * 0.75)
            x = int(img.shape[1] * rng.uniform(0.55, 0.68))
            img = _stamp(img, seal_image(agency, d, rng, worn=o.worn_seals), x, y)
        if o.seal and o.seal_on_title and i == 0:
            d = int(o.dpi * SEAL_DIAMETER_IN)
            img = _stamp(img, seal_image(agency, d, rng, worn=o.worn_seals), int(img.shape[1] * 0.55), int(o.dpi * 0.7))
        f = img.astype(np.float32)
        # paper tone: white → paper grey, slightly warm, uneven
        tone = np.array([o.paper, o.paper, max(0, o.paper - rng.randint(0, 12))], np.float32)
        grad = np.linspace(1.0, rng.uniform(0.94, 1.0), f.shape[0], dtype=np.float32)[:, None, None]
        f = f / 255.0 * tone * grad
        if o.shade:
            f = _shaded(f, o, i)
        img = f.clip(0, 255).astype(np.uint8)
        if o.angle:
            h, w = img.shape[:2]
            m = cv2.getRotationMatrix2D((w / 2, h / 2), o.angle, 1.0)
            border = tuple(int(v) for v in tone)
            img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
        if o.slant:
            img = _slanted(img, o, i, tuple(int(v) for v in tone))
        if o.desk:
            img = _on_desk(img, o, i)
        if o.blur:
            img = cv2.GaussianBlur(img, (o.blur, o.blur), 0)
        if o.noise:
            img = (img.astype(np.float32) + nrng.normal(0, o.noise, img.shape[:2])[..., None]).clip(0, 255)
            img = img.astype(np.uint8)
        if o.grey_pages:
            g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
            img = np.repeat(g[..., None], 3, axis=2)
        if o.jpeg_quality:
            ok, enc = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, o.jpeg_quality])
            img = cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1]
        if o.turn:  # np.rot90 turns counter-clockwise: k = -1 is a clockwise quarter turn
            img = np.rot90(img, -o.turn // 90)
        out.append(np.ascontiguousarray(img))
    return out


def _show_through(front: np.ndarray, back: np.ndarray, o: ScanOptions) -> np.ndarray:
    """``front`` with the print of ``back`` showing through the sheet: mirrored, blurred by the
    paper (about a third of a millimetre), ``o.show_through`` of its darkness."""
    seen = cv2.resize(back[:, ::-1], (front.shape[1], front.shape[0]), interpolation=cv2.INTER_AREA)
    seen = cv2.GaussianBlur(seen.astype(np.float32), (0, 0), o.dpi / 75)
    dim = 1.0 - o.show_through * (1.0 - seen / 255.0)
    return (front.astype(np.float32) * dim).clip(0, 255).astype(np.uint8)


def _shaded(f: np.ndarray, o: ScanOptions, i: int) -> np.ndarray:
    """Page ``i`` lit unevenly: the light falls off from one edge or corner to the far side, to
    ``o.shade`` darker, smoothly (a lamp to one side of a photographed page; a bound report's spine
    lifting its inner edge off the scanner's glass). Its own random stream: the page's other draws
    do not change."""
    rng = random.Random(f"shade-{o.seed}-{i}")
    h, w = f.shape[:2]
    side = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    across = (xx / w - 0.5) * math.cos(side) + (yy / h - 0.5) * math.sin(side)
    across = (across - across.min()) / max(float(across.max() - across.min()), 1e-6)  # 0 … 1
    return f * (1.0 - o.shade * across ** rng.uniform(1.0, 2.0))[..., None]


def _on_desk(img: np.ndarray, o: ScanOptions, i: int) -> np.ndarray:
    """Page ``i`` photographed lying on a dark wooden desk: the picture a sixth wider and taller, the
    page in its middle turned up to 3° either way, the desk's grain around it. Its own random stream:
    the page's other draws do not change."""
    rng = random.Random(f"desk-{o.seed}-{i}")
    h, w = img.shape[:2]
    m = int(0.08 * max(h, w))
    grain = np.random.default_rng(rng.randint(0, 10**6)).normal(0, 8, (h + 2 * m, w + 2 * m, 1))
    desk = cv2.GaussianBlur((np.array([70, 55, 45]) * rng.uniform(0.6, 1.3) + grain).clip(0, 255).astype(np.uint8),
                            (0, 0), 2)
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-3, 3), 1.0)
    turn[:, 2] += m
    page = cv2.warpAffine(img, turn, desk.shape[1::-1])
    on_page = cv2.warpAffine(np.full((h, w), 255, np.uint8), turn, desk.shape[1::-1]) > 127
    desk[on_page] = page[on_page]
    return desk


def _slanted(img: np.ndarray, o: ScanOptions, i: int, paper: tuple[int, ...]) -> np.ndarray:
    """Page ``i`` as a photograph taken from below its top edge: the top ``o.slant`` of the width
    narrower on each side, every corner a little off (its own random stream: the page's other draws
    do not change)."""
    rng = random.Random(f"slant-{o.seed}-{i}")
    h, w = img.shape[:2]
    d = o.slant * w
    jitter = lambda: rng.uniform(-0.3, 0.3) * d  # noqa: E731
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[d + jitter(), jitter()], [w - d + jitter(), jitter()], [w + jitter(), h + jitter()],
                      [jitter(), h + jitter()]])
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=paper)


def scanned_pages(pdf: bytes, o: ScanOptions, agency: str) -> list[np.ndarray]:
    """The text PDF's pages rasterised at ``o.dpi`` and degraded."""
    at = numbers_seal_at(pdf, o.dpi, o.seal_table) if o.seal_over_numbers else None
    return degrade(rasterize(pdf, o.dpi), o, agency, at)


def to_pil(pages: list[np.ndarray], o: ScanOptions) -> list[Image.Image]:
    ims = []
    for p in pages:
        im = Image.fromarray(p)
        if o.bilevel:
            g = np.asarray(im.convert("L"))
            im = Image.fromarray(((g > 160) * 255).astype(np.uint8))
            im = im if o.bilevel_jpeg else im.convert("1")
        elif o.grey_pages and (p[..., 0] == p[..., 1]).all() and (p[..., 1] == p[..., 2]).all():
            im = im.convert("L")
        ims.append(im)
    return ims


def scan_pdf(pdf: bytes, o: ScanOptions, agency: str) -> bytes:
    """An image-only PDF: one JPEG per page (per two pages side by side, ``o.spread``)."""
    if o.spread:  # paired as the report lay open, then turned as the whole picture was fed in
        upright = scanned_pages(pdf, dataclasses.replace(o, turn=0), agency)
        pages = [np.ascontiguousarray(np.rot90(p, -o.turn // 90)) for p in _spreads(upright, o)]
    else:
        pages = scanned_pages(pdf, o, agency)
    ims = to_pil(pages, o)
    buf = io.BytesIO()
    fixed = time.gmtime(1704067200)  # 2024-01-01: reproducible bytes
    # a bilevel page is stored CCITT Group 4 (as an office scanner's black-and-white PDF), others JPEG
    quality = {} if o.bilevel and not o.bilevel_jpeg else {"quality": o.bilevel_jpeg or o.jpeg_quality or 70}
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=float(o.dpi),
                creationDate=fixed, modDate=fixed, producer="scanner", **quality)
    return buf.getvalue()


def _spreads(pages: list[np.ndarray], o: ScanOptions) -> list[np.ndarray]:
    """The pages two to a picture, side by side, as a report scanned open comes out (the last alone
    beside paper when they are odd); a landscape page printed on its side, as in a booklet."""
    pages = [np.ascontiguousarray(np.rot90(p)) if p.shape[1] > p.shape[0] else p for p in pages]
    out = []
    for k in range(0, len(pages), 2):
        pair = pages[k: k + 2]
        h = max(p.shape[0] for p in pair)
        pair = [np.pad(p, ((0, h - p.shape[0]), (0, 0), (0, 0)), constant_values=o.paper) for p in pair]
        out.append(np.ascontiguousarray(np.hstack(pair)))
    return out


def mixed_pdf(pdf: bytes, o: ScanOptions, agency: str, scanned: list[int]) -> bytes:
    """The text PDF with its pages ``scanned`` (0-based) scanned, the others typed: a report whose
    pages were printed, stamped and scanned put together with typed ones, or a typed report with
    scanned tables."""
    typed, scans = pdfium.PdfDocument(pdf), pdfium.PdfDocument(scan_pdf(pdf, o, agency))
    out = pdfium.PdfDocument.new()
    for k in range(len(typed)):
        out.import_pages(scans if k in scanned else typed, [k])
    return _saved(out)


def mixed_pages(pdf: bytes, rng: random.Random) -> list[int]:
    """Pages of ``pdf`` to scan for `mixed_pdf`: the first typed, each later one scanned with odds
    of 3 in 5 (one at least)."""
    n = len(pdfium.PdfDocument(pdf))
    scanned = [k for k in range(1, n) if rng.random() < 0.6]
    return scanned or ([rng.randrange(1, n)] if n > 1 else [0])


def searchable_pdf(pdf: bytes, o: ScanOptions, agency: str) -> bytes:
    """The scan as a searchable PDF, as scanners and PDF programs that run OCR write it: each page
    the scanned picture, the text PDF's own text drawn invisible over it (a reading that is right,
    where an OCR program's would have its misreadings), the rules gone with the print."""
    doc = pdfium.PdfDocument(pdf)
    for page, picture in zip(doc, scanned_pages(pdf, o, agency)):
        for obj in list(page.get_objects(max_depth=1)):
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_TEXT:
                pdfium.raw.FPDFTextObj_SetTextRenderMode(obj.raw, pdfium.raw.FPDF_TEXTRENDERMODE_INVISIBLE)
            else:
                page.remove_obj(obj)
        w, h = page.get_size()
        _paste(doc, page, to_pil([picture], o)[0].convert("RGB"), (0, 0, w, h))
    return _saved(doc)


def pictured_tables_pdf(pdf: bytes, dpi: int = 150) -> bytes:
    """The text PDF with its tables pasted as pictures, as a report typed in Word with its tables
    pasted from a spreadsheet as pictures is exported: on each page the block its rules span (all its
    tables and what stands between them) becomes a picture of itself at ``dpi``; the text around it
    stays typed."""
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        objs = list(page.get_objects(max_depth=1))
        paths = [o.get_bounds() for o in objs if o.type == pdfium.raw.FPDF_PAGEOBJ_PATH]
        if not paths:
            continue
        x0, y0 = min(b[0] for b in paths) - 2, min(b[1] for b in paths) - 2
        x1, y1 = max(b[2] for b in paths) + 2, max(b[3] for b in paths) + 2
        w, h = page.get_size()
        full = page.render(scale=dpi / 72).to_pil().convert("RGB")
        k = dpi / 72
        block = full.crop((int(x0 * k), int((h - y1) * k), int(x1 * k), int((h - y0) * k)))
        for o in objs:
            b = o.get_bounds()
            if x0 <= (b[0] + b[2]) / 2 <= x1 and y0 <= (b[1] + b[3]) / 2 <= y1:
                page.remove_obj(o)
        _paste(doc, page, block, (x0, y0, x1, y1))
    return _saved(doc)


def _paste(doc: pdfium.PdfDocument, page: pdfium.PdfPage, picture: Image.Image,
           box: tuple[float, float, float, float]) -> None:
    """``picture`` put on ``page`` over ``box`` (x0, y0, x1, y1 in PDF points, from the bottom left)."""
    x0, y0, x1, y1 = box
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
    image.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, y1 - y0).translate(x0, y0))
    page.insert_obj(image)
    page.gen_content()


def _saved(doc: pdfium.PdfDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def long_image(pdf: bytes, o: ScanOptions, agency: str, fmt: str) -> bytes:
    """The pages stacked into one tall picture (PNG or JPEG), margins trimmed."""
    pages = scanned_pages(pdf, o, agency)
    width = max(p.shape[1] for p in pages)
    trim = int(o.dpi * 0.6)
    parts = [p[trim: p.shape[0] - trim] for p in pages]
    canvas = np.full((sum(p.shape[0] for p in parts), width, 3), o.paper, np.uint8)
    y = 0
    for p in parts:
        canvas[y:y + p.shape[0], : p.shape[1]] = p
        y += p.shape[0]
    im = to_pil([canvas], o)[0]
    buf = io.BytesIO()
    if fmt == "png":
        im = im.convert("P", palette=Image.ADAPTIVE, colors=64) if im.mode == "RGB" else im
        im.save(buf, "PNG", optimize=True, dpi=(o.dpi, o.dpi))
    else:
        im.convert("RGB" if im.mode != "L" else "L").save(buf, "JPEG", quality=o.jpeg_quality or 70,
                                                          dpi=(o.dpi, o.dpi))
    return buf.getvalue()


def tiff(pdf: bytes, o: ScanOptions, agency: str) -> bytes:
    """A multi-page TIFF (Group 4 when bilevel, else LZW)."""
    ims = to_pil(scanned_pages(pdf, o, agency), o)
    buf = io.BytesIO()
    comp = "group4" if o.bilevel else "tiff_lzw"
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:], compression=comp, dpi=(o.dpi, o.dpi))
    return buf.getvalue()
