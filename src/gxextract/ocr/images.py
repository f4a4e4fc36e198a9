"""Page images: load them, turn them upright and straighten them, before anything else reads them.

* PNG / JPEG / (multi-page) TIFF / BMP are opened with Pillow (EXIF orientation applied);
* PDF pages are rendered with pypdfium2 at `RENDER_DPI`;
* both come as `Pages`: checked against the limits on the sizes the file declares, then decoded
  or rendered one page at a time as they are read;
* a black-and-white scan (one bit a pixel) is softened as it is decoded (`soften`);
* every page is then squared where it was photographed at a slant (`perspective.keystone`), turned
  by a quarter turn where its text runs vertically or upside down (`orientation.quarter_turn`) and
  rotated by its skew, up to ±`MAX_SKEW` degrees (`skew_angle`).

`PageImage` keeps the map from the straightened pixels back to the page as given, so
boxes can be reported on the original page: in PDF points for PDFs, in pixels for images.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..errors import TooLarge, UnreadableFile
from ..limits import Limits, current
from .seals import reading_gray, without_coloured_seals

RENDER_DPI = 200
MAX_SKEW = 10.0
"""Degrees of skew looked for either way: a sheet fed crooked, or a page photographed askew."""
SOFTEN = 1.0
"""Gaussian blur, in pixels, given a black-and-white scan (one bit a pixel) as it is decoded: the
recognizer learned on grey pictures, and a one-bit page's jagged edges read worse (a 4 read 1, a 7
read 1). On 16 bilevel scans of the corpus (seeds 2024 and 31) the review share fell from 5.9 % to
3.7–3.9 %; 0.7 pixels did less, 1.3 blurred thin strokes away."""
ONE_BIT_COVER = 0.5
"""Share of a PDF page that one-bit pictures cover for the page to be a black-and-white scan (a logo
or a signature in one bit on a typed page is not)."""
SKEW_STEPS = (1.0, 0.25, 0.05)
"""The skew is searched over ±`MAX_SKEW` in steps of 1°, on a mask of half the size, then around the
best in quarter and twentieth degrees: a row profile's peak is two degrees wide, so the first
steps cannot step over it, and the search costs what ±3° in quarter degrees did."""


@dataclass
class PageImage:
    number: int
    """1-based page number in the file."""
    image: np.ndarray
    """RGB, upright and straightened."""
    dpi: float
    points_per_pixel: float | None = None
    """For a PDF page: PDF points per pixel of the rendering (boxes are reported in points)."""
    rotation: int = 0
    """Quarter turns applied (degrees counter-clockwise: 0, 90, 180, 270)."""
    skew: float = 0.0
    """Degrees rotated to straighten the page."""
    to_source: np.ndarray = field(default_factory=lambda: np.eye(3))
    """3×3 map from these pixels to the pixels of the page as loaded."""
    shown: bool = False
    """A picture a web page shows, not a page of a document: every line of it but running text is
    read, whether or not it has rules or columns of numbers (a small table without rules)."""

    def source_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """``box`` (pixels of `image`) on the page as given: pixels, or PDF points (x0, top, x1, bottom)."""
        x0, y0, x1, y1 = box
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], float) @ self.to_source.T
        xs, ys = pts[:, 0] / pts[:, 2], pts[:, 1] / pts[:, 2]  # a squared slant is a projective map
        k = self.points_per_pixel or 1.0
        return (round(float(xs.min()) * k, 1), round(float(ys.min()) * k, 1),
                round(float(xs.max()) * k, 1), round(float(ys.max()) * k, 1))


# --------------------------------------------------------------------------- loading


class Pages:
    """The pages of a file, checked against the limits (`gxextract.limits`) on the sizes the file
    declares when it is opened, then decoded or rendered one at a time as they are iterated: only
    the page being read is in memory. ``len()`` is the number of pages it gives."""

    def __init__(self, count: int, pages: Iterator, chosen: int | None = None, pixels: float = 0.0):
        self.count = count
        """Pages in the file, chosen or not."""
        self.pixels = pixels
        """Pixels of its pages together, as the file declares them (counted for pictures)."""
        self._pages = pages
        self._chosen = count if chosen is None else chosen

    def __len__(self) -> int:
        return self._chosen

    def __iter__(self) -> Iterator:
        return self._pages


def _refuse_document(name: str, pixels: list[float], limits: Limits) -> None:
    """TooLarge for more pages, or more pixels on them together, than one document may have."""
    if len(pixels) > limits.pages:
        raise TooLarge(f"{name}: {len(pixels)} pages is over the {limits.pages}-page limit")
    total = sum(pixels)
    if total > limits.document_pixels:
        raise TooLarge(f"{name}: {len(pixels)} pages of {_megapixels(total)} together, over the limit of "
                       f"{_megapixels(limits.document_pixels)} for a document")


def _megapixels(n: float) -> str:
    return f"{n / 1e9:.1f} Gpx" if n >= 1e9 else f"{n / 1e6:.1f} Mpx"


@contextlib.contextmanager
def _decoding(name: str) -> Iterator[None]:
    """Pillow's errors as ours."""
    from PIL import Image, UnidentifiedImageError

    try:
        yield
    except Image.DecompressionBombError:
        raise TooLarge(f"{name}: the image is too large") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnreadableFile(f"{name}: the image cannot be decoded ({exc})") from None


def load_images(data: bytes, path: str | None = None) -> Pages:
    """(RGB array, dpi) of every frame of an image file, decoded as it is iterated."""
    from PIL import Image, ImageSequence

    limits, name = current(), path or "input"
    Image.MAX_IMAGE_PIXELS = limits.image_pixels
    with _decoding(name):
        im = Image.open(io.BytesIO(data))
        pixels = []
        for frame in ImageSequence.Iterator(im):  # each frame's header: nothing is decoded
            if frame.width * frame.height > limits.image_pixels:
                raise TooLarge(f"{name}: page {len(pixels) + 1} is a {frame.width}×{frame.height} image, over the "
                               f"limit of {limits.image_pixels / 1e6:.0f} Mpx")
            pixels.append(frame.width * frame.height)
            if len(pixels) > limits.pages:
                break
        _refuse_document(name, pixels, limits)
    return Pages(len(pixels), _frames(im, name), pixels=sum(pixels))


def _frames(im, name: str) -> Iterator[tuple[np.ndarray, float]]:
    from PIL import ImageOps, ImageSequence

    with _decoding(name):
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            dpi = frame.info.get("dpi", (0, 0))[0] or 0
            f = ImageOps.exif_transpose(frame) if i == 0 else frame
            rgb = np.ascontiguousarray(np.asarray(f.convert("RGB")))
            yield (soften(rgb) if f.mode == "1" else rgb), float(dpi)


def render_pdf(data: bytes, path: str | None = None, pages: list[int] | None = None,
               dpi: float = RENDER_DPI) -> Pages:
    """(1-based page number, RGB array, points per pixel) of the chosen pages of a PDF, rendered as
    they are iterated. Page sizes are checked when the PDF is opened, the images on a page before it
    is rendered."""
    import pypdfium2 as pdfium

    limits, name, scale = current(), path or "input", dpi / 72
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"{name}: the PDF cannot be opened ({exc})") from None
    try:
        n = len(doc)
        wanted = [p for p in (pages or range(1, n + 1)) if 1 <= p <= n]
        if len(wanted) > limits.pages:
            raise TooLarge(f"{name}: {len(wanted)} pages is over the {limits.pages}-page limit")
        pixels = []
        for p in wanted:
            w, h = doc.get_page_size(p - 1)
            if w * h * scale ** 2 > limits.page_pixels:
                raise TooLarge(f"{name}: page {p} is {w / 72:.0f} × {h / 72:.0f} inches, too large to render "
                               f"({w * h * scale ** 2 / 1e6:.0f} Mpx at {dpi:g} dpi, over the limit of "
                               f"{limits.page_pixels / 1e6:.0f} Mpx)")
            pixels.append(w * h * scale ** 2)
        _refuse_document(name, pixels, limits)
    except BaseException:
        doc.close()
        raise
    return Pages(n, _rendered(doc, wanted, scale, name, limits), len(wanted))


def _rendered(doc, wanted: list[int], scale: float, name: str,
              limits: Limits) -> Iterator[tuple[int, np.ndarray, float]]:
    import pypdfium2.raw as pdfium_c

    try:
        for p in wanted:
            page = doc[p - 1]
            try:
                one_bit = 0.0  # share of the page one-bit pictures cover
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                    iw, ih = obj.get_px_size()
                    if iw * ih > limits.image_pixels:
                        raise TooLarge(f"{name}: page {p} holds a {iw} × {ih} pixel image, too large to decode")
                    if _bits_per_pixel(obj) == 1:
                        x0, y0, x1, y1 = obj.get_bounds()
                        one_bit += (x1 - x0) * (y1 - y0) / max(page.get_width() * page.get_height(), 1.0)
                bitmap = page.render(scale=scale, grayscale=False)
                img = np.ascontiguousarray(np.asarray(bitmap.to_pil().convert("RGB")))
                if one_bit >= ONE_BIT_COVER:
                    img = soften(img)
            finally:
                page.close()
            yield p, img, 1 / scale
    finally:
        doc.close()


def _bits_per_pixel(image) -> int:
    """Bits a pixel of a PDF image object; 0 where pdfium cannot tell (a damaged image)."""
    import pypdfium2 as pdfium

    try:
        return int(image.get_metadata().bits_per_pixel)
    except pdfium.PdfiumError:
        return 0


def soften(rgb: np.ndarray) -> np.ndarray:
    """A black-and-white scan's page with its edges turned grey (`SOFTEN`)."""
    return cv2.GaussianBlur(rgb, (0, 0), SOFTEN)


# --------------------------------------------------------------------------- straightening

@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """OpenCV on one thread while a page is worked on: its operations on one page are small, and
    handing them to a thread pool costs more CPU than it saves time (batch runs a page per core)."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


def gray_of(rgb: np.ndarray) -> np.ndarray:
    """Grey for reading: the channel of a coloured seal's hue (red, or blue), its ink made paper while
    black print (under it too) stays black; a seal a scan left grey is faded by its tone (`seals`)."""
    return reading_gray(rgb).gray


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats` (8-connected) with 16-bit labels, 32-bit ones only where a
    mask has more pieces than 16 bits number: the same labels and statistics, at a third of the CPU
    (OpenCV 5, a 200 dpi page: 6 ms against 20)."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)


def ink_mask(gray: np.ndarray, block: int | None = None) -> np.ndarray:
    """Dark print on paper (255 = ink), by a local threshold that survives grey paper and shading."""
    block = block or max(15, (min(gray.shape[:2]) // 40) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def _profile_score(mask: np.ndarray, angle: float) -> float:
    h, w = mask.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rot.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(gray: np.ndarray, limit: float = MAX_SKEW) -> float:
    """Degrees (counter-clockwise) to rotate the page by so that its lines run level: the angle
    that makes the row profile of the ink sharpest, coarse then fine."""
    scale = min(1.0, 1200 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    mask = (ink_mask(small) > 0).astype(np.uint8)
    if mask.sum() < 50:
        return 0.0
    half = cv2.resize(mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    coarse, *finer = SKEW_STEPS
    best = max(np.arange(-limit, limit + 1e-9, coarse), key=lambda a: _profile_score(half, a))
    for wider, step in zip(SKEW_STEPS, finer):
        best = max(np.arange(best - wider, best + wider + 1e-9, step), key=lambda a: _profile_score(mask, a))
    return float(round(best, 2)) if abs(best) >= 0.05 else 0.0


def _paper(img: np.ndarray):
    """The page's median tone (its paper), to fill what turning it brings in from outside."""
    if img.ndim == 3:
        return tuple(int(v) for v in np.median(img.reshape(-1, img.shape[2])[:: 97], axis=0))
    return int(np.median(img))


def squared(rgb: np.ndarray, gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A page photographed at a slant, its table frame squared (`perspective.keystone`, found in
    ``gray``): the page, its grey, and the map from their pixels back to the page as given. Any
    other page as it is."""
    from .perspective import keystone

    square = keystone(gray)
    if square is None:
        return rgb, gray, np.eye(3)
    h, w = gray.shape[:2]

    def warp(img: np.ndarray) -> np.ndarray:
        return cv2.warpPerspective(img, square, (w, h), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=_paper(img))

    return warp(rgb), warp(gray), np.linalg.inv(square)


def rotate(rgb: np.ndarray, angle: float, quarter: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The page turned by ``quarter`` quarter turns and then ``angle`` degrees (both counter-clockwise),
    and the 3×3 map from the result's pixels back to the input's."""
    h, w = rgb.shape[:2]
    q = (quarter // 90) % 4
    fwd = np.eye(3)
    img = rgb
    if q:
        img = np.ascontiguousarray(np.rot90(rgb, q))
        # np.rot90 (counter-clockwise): (x, y) → (y, w-1-x) for one turn
        turn = {1: np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], float),
                2: np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], float),
                3: np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], float)}[q]
        fwd = turn @ fwd
    if angle:
        hh, ww = img.shape[:2]
        m = cv2.getRotationMatrix2D((ww / 2, hh / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (ww, hh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=_paper(img))
        fwd = np.vstack([m, [0, 0, 1]]) @ fwd
    return img, np.linalg.inv(fwd)


def straighten(number: int, rgb: np.ndarray, dpi: float, points_per_pixel: float | None,
               upright: bool = True) -> PageImage:
    """The page evenly lit, turned upright (unless ``upright`` is False) and deskewed, with the map
    back to the page as given."""
    from .lighting import evened
    from .orientation import quarter_turn
    from .showthrough import made_paper, show_through

    rgb = evened(rgb)
    # which way the lines run: a coloured seal taken out, a grey one left (fading it is for reading)
    gray = without_coloured_seals(rgb)[0] if rgb.ndim == 3 else rgb
    ghost = show_through(gray)
    if ghost is not None:
        rgb, gray = made_paper(rgb, ghost), made_paper(gray, ghost)
    rgb, gray, slant = squared(rgb, gray)
    turn = quarter_turn(gray) if upright else 0
    angle = skew_angle(np.ascontiguousarray(np.rot90(gray, turn // 90)) if turn else gray)
    out, back = rotate(rgb, angle, turn)
    return PageImage(number=number, image=out, dpi=dpi, points_per_pixel=points_per_pixel,
                     rotation=turn, skew=angle, to_source=slant @ back)
