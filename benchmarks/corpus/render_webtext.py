"""Web text: what a scraper saves of a report's web page, made from the rendered HTML.

The page's visible text (script, style and ``display:none`` dropped). Inside a data table every
cell's text runs into the next with nothing between cells and rows (``get_text("")``), so that a
table reads ``规章000行政规范性文件693665``. Outside tables the blocks (paragraphs, headings, the
page's header and footer) are separated by newlines, or — on ``one_line`` documents — by a single
space or by nothing (``blocks_joined``). Variants (named in ``WebtextOptions.quirks``): the whole
body on one line (``one_line``), blocks run together with no separator (``blocks_joined``), stray
single spaces at about one cell boundary in 15, between two cells or inside a digit run
(``stray_spaces``), and a scraper's header on top — title, publication time, column, a rule
(``scraper_header``). The HTML's own ``layout_table`` (navigation text before the article),
``nbsp_blanks`` (a no-break space for an empty cell) and ``fullwidth_digits`` still hold in the
text; ``gbk`` and ``word_markup`` do not (the text is UTF-8, the markup is gone).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import lxml.html

KEEP_HTML_QUIRKS = ("layout_table", "nbsp_blanks", "fullwidth_digits")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "tr", "td", "th", "li", "ul", "ol",
          "section", "article", "header", "footer", "body"}
_DROP = {"script", "style", "head", "title", "meta", "noscript"}
_BREAK = object()


@dataclass
class WebtextOptions:
    one_line: bool = False
    blocks_joined: bool = False
    stray_spaces: bool = False
    scraper_header: bool = False
    stray_rate: float = 1 / 15
    published: str = "2021-03-05 08:58"
    seed: int = 0

    @property
    def quirks(self) -> list[str]:
        return [k for k in ("one_line", "blocks_joined", "stray_spaces", "scraper_header") if getattr(self, k)]


def random_options(rng: random.Random, year: int) -> WebtextOptions:
    one_line = rng.random() < 0.5
    published = (f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d} "
                 f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}")
    return WebtextOptions(one_line=one_line, blocks_joined=one_line and rng.random() < 0.5,
                          stray_spaces=rng.random() < 0.5, scraper_header=rng.random() < 0.5,
                          published=published, seed=rng.randint(0, 10**6))


def _hidden(el) -> bool:
    return "display:none" in (el.get("style") or "").replace(" ", "").lower()


def _is_data_table(el) -> bool:
    """A table of cells, not a layout table wrapping the article (which holds another table)."""
    return el.tag == "table" and not el.xpath(".//table")


def _table_text(table, o: WebtextOptions, rng: random.Random) -> str:
    cells = ["".join(td.itertext()) for td in table.iter("td", "th") if not _hidden(td)]
    out = []
    for k, text in enumerate(cells):
        if k and o.stray_spaces and rng.random() < o.stray_rate:
            digits = text.strip()
            if len(digits) >= 2 and digits.isdigit() and rng.random() < 0.5:
                cut = rng.randint(1, len(text) - 1)  # inside the cell's digit run
                text = text[:cut] + " " + text[cut:]
            else:
                out.append(" ")  # between two cells
        out.append(text)
    return "".join(out)


def _walk(el, o: WebtextOptions, rng: random.Random, out: list) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP or not tag or _hidden(el):
        return
    block = tag in _BLOCK
    if block:
        out.append(_BREAK)
    if _is_data_table(el):
        out.append(_table_text(el, o, rng))
    else:
        if el.text and el.text.strip():
            out.append(el.text.strip("\n\t\r "))
        for child in el:
            _walk(child, o, rng, out)
            if child.tail and child.tail.strip():
                out.append(child.tail.strip("\n\t\r "))
    if block:
        out.append(_BREAK)


def page_text(html_bytes: bytes, encoding: str, o: WebtextOptions) -> str:
    """The visible body text of the page, blocks separated as ``o`` says."""
    rng = random.Random(o.seed)
    doc = lxml.html.document_fromstring(html_bytes.decode(encoding))
    pieces: list = []
    _walk(doc.find("body"), o, rng, pieces)
    blocks, cur = [], ""
    for p in pieces:
        if p is _BREAK:
            if cur:
                blocks.append(cur)
            cur = ""
        else:
            cur += p
    if cur:
        blocks.append(cur)
    sep = "\n" if not o.one_line else ("" if o.blocks_joined else " ")
    return sep.join(blocks)


def render(html_bytes: bytes, encoding: str, title: str, o: WebtextOptions | None = None) -> bytes:
    o = o or WebtextOptions()
    text = page_text(html_bytes, encoding, o)
    if o.scraper_header:
        text = (f"标题: {title}\n发布时间: {o.published}\n栏目: 政府信息公开年报\n"
                f"{'=' * 20} 正文 {'=' * 20}\n{text}")
    return (text + "\n").encode("utf-8")
