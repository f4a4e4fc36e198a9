"""A web page's pictures read by OCR: the tables a portal pasted as images, or every page scanned.

The HTML reader hands over the page's ``<img>``, each with its place among the page's rows. Each
picture is fetched from where the page keeps it — a file beside the page (`Folder`: never outside
the page's folder, never the network), a part of an MHTML archive (`mhtml.Archive`), or a
``data:`` URI — read as pages by `image.read_pages`, and its rows are put where it stands.
Pictures with nothing between them are read as one run of pages, so that a table continued from one
picture to the next is stitched as a table across a page break is. A picture that cannot be had or
decoded is a warning, never an error; the limits (`gxextract.limits`) apply to the pictures and the
page together, checked on the sizes the pictures declare before any is decoded.
"""

from __future__ import annotations

import base64
import binascii
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from ..errors import TooLarge, UnreadableFile
from ..limits import current
from ..models import PageImageInfo, Row

MIN_PIXELS = 10_000
"""A picture smaller than this (100 × 100) holds no table: an icon, a bullet, a spacer; left unread."""
NAMES_SHOWN = 5
"""Pictures named in one warning; more are counted."""


class Unread(Exception):
    """A picture that is not read; the message says why."""


class PictureSource(Protocol):
    def fetch(self, src: str, budget: int) -> tuple[str, bytes]:
        """(the picture's name, its bytes), at most ``budget`` bytes; `Unread` when it cannot be had."""


class Folder:
    """Pictures beside a page: a relative ``src`` resolved inside the page's own folder."""

    def __init__(self, page: str):
        self.root = Path(page).parent.resolve()

    def fetch(self, src: str, budget: int) -> tuple[str, bytes]:
        try:
            url = urlsplit(src)
            if url.scheme or url.netloc:
                raise Unread("on the network or elsewhere, never fetched")
            relative = unquote(url.path).replace("\\", "/")
            if not relative or relative.startswith("/"):
                raise Unread("not beside the page")
            target = (self.root / relative).resolve()  # links followed, then checked
            if not target.is_relative_to(self.root):
                raise Unread("outside the page's folder")
            name = target.relative_to(self.root).as_posix()
            if not target.is_file():
                raise Unread("missing")
            if target.stat().st_size > budget:
                raise TooLarge(f"{name}: the page and its pictures are over the {current().file_bytes / 1e6:g} MB "
                               "limit")
            return name, target.read_bytes()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a name too long, a loop of links
            raise Unread(f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


class NoFolder:
    """A page given as bytes: there is no folder to find its pictures in."""

    def fetch(self, src: str, budget: int) -> tuple[str, bytes]:
        raise Unread("the page came as bytes, without the folder that holds them")


def _data_uri(src: str, number: int) -> tuple[str, bytes]:
    head, _, payload = src.partition(",")
    try:
        data = base64.b64decode(payload, validate=False) if head.endswith(";base64") else unquote(payload).encode(
            "latin-1")
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise Unread("a data: URI that cannot be decoded") from None
    return f"picture {number} ({head[:40]})", data


def read_pictures(images: list[tuple[int, str]], source: PictureSource, page: str, page_bytes: int
                  ) -> tuple[dict[int, list[Row]], list[PageImageInfo], list[str]]:
    """``images`` ((place among the page's rows, src), in page order) read: the rows of each place,
    every picture's `PageImageInfo` (its page number is its number among those read), and warnings."""
    from ..ocr.images import Pages, _refuse_document, load_images  # the OCR stack, only for pages with pictures
    from .image import picture_pages, read_pages

    limits = current()
    budget = limits.file_bytes - page_bytes
    kept: list[tuple[int, str, Pages]] = []
    unread: dict[str, list[str]] = defaultdict(list)
    for number, (place, src) in enumerate(images, start=1):
        src = src.strip()
        try:
            name, data = _data_uri(src, number) if src[:5].lower() == "data:" else source.fetch(src, budget)
            frames = load_images(data, name)
        except Unread as exc:
            unread[str(exc)].append(src[:60] or f"picture {number} (no src)")
            continue
        except UnreadableFile:
            unread["cannot be decoded as a picture"].append(name)
            continue
        budget -= len(data)
        if budget < 0:
            raise TooLarge(f"{page}: the page and its pictures are over the {limits.file_bytes / 1e6:g} MB limit")
        if frames.pixels >= MIN_PIXELS:
            kept.append((place, name, frames))
    _refuse_document(page, [frames.pixels for _, _, frames in kept], limits)
    rows: dict[int, list[Row]] = {}
    infos: list[PageImageInfo] = []
    for place, run in itertools.groupby(kept, key=lambda k: k[0]):
        run = list(run)
        first = len(infos) + 1
        names = [name for _, name, frames in run for _ in range(frames.count)]
        count = len(names)
        doc = read_pages(Pages(count, picture_pages([frames for _, _, frames in run], first)), "html", page, count,
                         shown=True)
        named = {first + k: name for k, name in enumerate(names)}
        rows[place] = [Row(cells=[c.model_copy(update={"image": named.get(c.page)}) for c in r.cells],
                           structured=r.structured) for r in doc.rows]
        infos += [info.model_copy(update={"image": named[info.page]}) for info in doc.pages]
    return rows, infos, [_warning(why, srcs) for why, srcs in unread.items()]


def _warning(why: str, srcs: list[str]) -> str:
    more = f" and {len(srcs) - NAMES_SHOWN} more" if len(srcs) > NAMES_SHOWN else ""
    return (f"{len(srcs)} picture{'s' if len(srcs) > 1 else ''} of the page not read ({why}): "
            f"{', '.join(srcs[:NAMES_SHOWN])}{more}")
