"""Text PDFs like Word / WPS exports, drawn with reportlab from the logical report.

A4, an embedded CJK TrueType font (WenQuanYi Micro Hei or AR PL UMing, from the Debian packages
fonts-wqy-microhei / fonts-arphic-uming), ruled tables with real merged cells, labels wrapping
inside cells, section 三 breaking across pages. The table layout is our own (not platypus), so
that the export quirks can be drawn exactly; each quirk drawn is named in ``PdfOptions.quirks``:

- ``rules_horizontal`` / ``rules_none``: only horizontal rules, or none at all
- ``landscape``: sections 三 and 四 on landscape pages
- ``shaded_band``: shaded full-width section title bands inside the tables
- ``vertical_label``: 三、本年度办理结果 drawn one character per line
- ``merged_cell_split``: the table broken across pages inside the merged （四）无法提供 cell,
  header not repeated; ``repeat_header``: header rows repeated on the next page
- ``missing_top_rule``: the first cell of a continuation page has no top rule
- ``white_cell_rects``: a white-filled rectangle behind every cell
- ``sliver_rules``: stray short rules that make empty sliver cells
- ``big_numbers``: numbers in a larger font than the labels
- ``latin_digits_font``: numbers in a Latin font (Times), labels in the CJK font
- ``table_page_break``: (observed) the section 三 table crosses a page
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from .document import GCell, Para, Report, Table

FONTS = {
    "wqy": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYiMicroHei"),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "UMingCN"),
}
_registered: set[str] = set()


def font(key: str) -> str:
    path, index, name = FONTS[key]
    if name not in _registered:
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except Exception as exc:  # noqa: BLE001
            raise RuntimeError(f"CJK font {path} missing: apt-get install fonts-wqy-microhei fonts-arphic-uming") from exc
        _registered.add(name)
    return name


def available_fonts() -> list[str]:
    import os

    return [k for k, (p, _, _) in FONTS.items() if os.path.exists(p)]


@dataclass
class PdfOptions:
    font: str = "wqy"
    size: float = 10.5  # body text
    table_size: float = 9.0
    margin_lr: float = 72.0
    margin_tb: float = 72.0
    rules: str = "grid"  # grid | horizontal | none
    landscape: bool = False
    shaded_band: bool = False
    vertical_label: bool = False
    merged_cell_split: bool = False
    repeat_header: bool = False
    missing_top_rule: bool = False
    white_cell_rects: bool = False
    sliver_rules: bool = False
    big_numbers: bool = False
    latin_digits_font: bool = False
    width_jitter: float = 0.15
    seed: int = 0
    observed: list[str] = field(default_factory=list)
    splits: list[tuple[str, int, list[str]]] = field(default_factory=list)
    """Merged cells cut by a page break: (text, page number, the lines drawn on that page)."""

    @property
    def quirks(self) -> list[str]:
        q = []
        if self.rules != "grid":
            q.append(f"rules_{self.rules}")
        for name in ("landscape", "shaded_band", "vertical_label", "merged_cell_split", "repeat_header",
                     "missing_top_rule", "white_cell_rects", "sliver_rules", "big_numbers", "latin_digits_font"):
            if getattr(self, name):
                q.append(name)
        return q + [o for o in self.observed if o not in q]


def random_options(rng: random.Random) -> PdfOptions:
    o = PdfOptions(
        font=rng.choice(available_fonts() or ["wqy"]),
        size=rng.choice([10.5, 11, 12]),
        table_size=rng.choice([8, 8.5, 9, 9.5, 10]),
        margin_lr=rng.choice([72, 80, 90]),
        margin_tb=rng.choice([60, 72]),
        rules=rng.choices(["grid", "horizontal", "none"], [0.75, 0.15, 0.10])[0],
        landscape=rng.random() < 0.15,
        shaded_band=rng.random() < 0.3,
        vertical_label=rng.random() < 0.35,
        merged_cell_split=rng.random() < 0.3,
        missing_top_rule=rng.random() < 0.2,
        white_cell_rects=rng.random() < 0.3,
        sliver_rules=rng.random() < 0.2,
        big_numbers=rng.random() < 0.25,
        latin_digits_font=rng.random() < 0.3,
        seed=rng.randint(0, 10**6),
    )
    o.repeat_header = not o.merged_cell_split and rng.random() < 0.3
    if o.rules != "grid":
        o.missing_top_rule = o.sliver_rules = False
    return o


# ------------------------------------------------------------------ text helpers

def wrap(text: str, fontname: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width``; CJK breaks anywhere, Latin runs stay whole."""
    if not text:
        return []
    lines, cur = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(cur + ch, fontname, size) <= width or not cur:
            cur += ch
        else:
            lines.append(cur)
            cur = ch
    if cur:
        lines.append(cur)
    return lines


class Writer:
    """Draws pages top-down; knows the page size and the cursor."""

    def __init__(self, opts: PdfOptions):
        self.o = opts
        self.buf = io.BytesIO()
        self.c = rl_canvas.Canvas(self.buf, pagesize=A4, pageCompression=1, invariant=1)
        self.c.setAuthor("gxextract corpus")
        self.c.setCreator("WPS 文字" if opts.seed % 2 else "Microsoft® Word 2016")
        self.fn = font(opts.font)
        self.page_size = A4
        self.page_no = 1
        self.y = self.top
        self.fresh = True

    @property
    def top(self) -> float:
        return self.page_size[1] - self.o.margin_tb

    @property
    def bottom(self) -> float:
        return self.o.margin_tb

    @property
    def left(self) -> float:
        return self.o.margin_lr

    @property
    def width(self) -> float:
        return self.page_size[0] - 2 * self.o.margin_lr

    def footer(self) -> None:
        self.c.setFont(self.fn, 9)
        self.c.setFillColorRGB(0, 0, 0)
        self.c.drawCentredString(self.page_size[0] / 2, self.o.margin_tb / 2, f"- {self.page_no} -")

    def new_page(self, size=None) -> None:
        self.footer()
        self.c.showPage()
        self.page_no += 1
        if size is not None:
            self.page_size = size
        self.c.setPageSize(self.page_size)
        self.y = self.top
        self.fresh = True

    def para(self, p: Para) -> None:
        o, c = self.o, self.c
        size = {"title": o.size + 7, "heading": o.size + 0.5}.get(p.kind, o.size)
        lead = size * 1.6
        indent = 2 * size if p.kind == "body" else 0
        lines = wrap(p.text, self.fn, size, self.width - indent) if p.kind != "body" else None
        if lines is None:
            first = wrap(p.text, self.fn, size, self.width - indent)
            lines = first[:1] + wrap("".join(first[1:]), self.fn, size, self.width) if first else []
        if p.kind == "heading" and self.y - 3 * lead < self.bottom:
            self.new_page()
        c.setFillColorRGB(0, 0, 0)
        for i, line in enumerate(lines):
            if self.y - lead < self.bottom:
                self.new_page()
            self.y -= lead
            c.setFont(self.fn, size)
            if p.kind == "title":
                c.drawCentredString(self.page_size[0] / 2, self.y, line)
            elif p.kind == "sign":
                c.drawRightString(self.left + self.width - 2 * size, self.y, line)
            else:
                c.drawString(self.left + (indent if i == 0 else 0), self.y, line)
        self.y -= size * 0.4
        self.fresh = False


# ------------------------------------------------------------------ tables

class TableDrawer:
    def __init__(self, w: Writer, t: Table, rng: random.Random, title: str | None = None):
        self.w, self.t, self.o, self.rng = w, t, w.o, rng
        self.fn = w.fn
        self.size = self.o.table_size
        self.vsize = self.size + 2 if self.o.big_numbers else self.size
        self.vfont = "Times-Roman" if self.o.latin_digits_font else self.fn
        self.pad = 2.5
        # optional shaded title band as an extra first row
        self.cells = list(t.cells)
        self.bands = list(t.bands)
        self.header_rows = t.header_rows
        self.nrows = t.nrows
        if title:
            self.cells = [GCell(c.r + 1, c.c, c.text, c.rs, c.cs, c.role, c.field) for c in self.cells]
            self.cells.insert(0, GCell(0, 0, title, cs=t.ncols, role="band"))
            self.bands = [0] + [b + 1 for b in self.bands]
            self.header_rows += 1
            self.nrows += 1
        jit = [max(0.3, x * (1 + rng.uniform(-self.o.width_jitter, self.o.width_jitter))) for x in t.widths]
        if t.name == "requests" and self.o.vertical_label:
            jit[0] = 0.55 * sum(jit) / len(jit)
        total = sum(jit)
        self.xs = [w.left]
        for x in jit:
            self.xs.append(self.xs[-1] + w.width * x / total)

    # geometry
    def cell_width(self, c: GCell) -> float:
        return self.xs[c.c + c.cs] - self.xs[c.c]

    def lines(self, c: GCell) -> list[str]:
        inner = self.cell_width(c) - 2 * self.pad
        if c.role == "group" and c.c == 0 and self.t.name == "requests" and self.o.vertical_label:
            return list(c.text)
        if c.role == "value":
            return [c.text] if c.text else []
        return wrap(c.text, self.fn, self.size, inner)

    def lead(self, c: GCell) -> float:
        return (self.vsize if c.role == "value" else self.size) * 1.3

    def need(self, c: GCell) -> float:
        n = max(1, len(self.lines(c)))
        return n * self.lead(c) + 2 * self.pad + 2

    def row_heights(self) -> list[float]:
        h = [self.size * 1.3 + 2 * self.pad + 3] * self.nrows
        for c in self.cells:
            if c.rs == 1:
                h[c.r] = max(h[c.r], self.need(c))
        for c in sorted((c for c in self.cells if c.rs > 1), key=lambda c: c.rs):
            have = sum(h[c.r:c.r + c.rs])
            if have < self.need(c):
                extra = (self.need(c) - have) / c.rs
                for r in range(c.r, c.r + c.rs):
                    h[r] += extra
        return h

    def forced_break(self) -> int | None:
        """The row before which the page must break (merged_cell_split), if any."""
        if self.t.name != "requests" or not self.o.merged_cell_split:
            return None
        group = next((c for c in self.cells if c.role == "group" and c.text.endswith("无法提供")), None)
        return group.r + 1 if group else None

    def draw(self) -> None:
        w, c, o = self.w, self.w.c, self.o
        h = self.row_heights()
        forced = self.forced_break()
        # simple paginator that also records repeated header rows
        rows: list[tuple[int, int, float, float]] = []  # (row, page, top, height)
        page, y = 0, w.y - 4
        if y - sum(h[: self.header_rows + 1]) < w.bottom:
            page, y = 1, w.top
        repeats: list[tuple[int, int, float, float]] = []
        for r in range(self.nrows):
            if (y - h[r] < w.bottom or r == forced) and r > 0:
                page += 1
                y = w.top
                if o.repeat_header and r > self.header_rows:
                    start = 1 if (self.header_rows > self.t.header_rows) else 0
                    for hr in range(start, self.header_rows):
                        repeats.append((hr, page, y, h[hr]))
                        y -= h[hr]
            rows.append((r, page, y, h[r]))
            y -= h[r]
        pages = sorted({p for _, p, _, _ in rows} | {p for _, p, _, _ in repeats})
        if self.t.name == "requests" and len({p for _, p, _, _ in rows}) > 1:
            o.observed.append("table_page_break")
        by_row = {r: (p, top, hh) for r, p, top, hh in rows}
        for p in range(pages[-1] + 1):
            if p > 0:
                w.new_page()
            on_page = [r for r, pp, _, _ in rows if pp == p]
            first_row_here = min(on_page) if on_page else None
            for hr, pp, top, hh in repeats:
                if pp == p:
                    start = min(r for r, pp, _, _ in repeats if pp == p)
                    for cell in self.cells:
                        if cell.r == hr or (hr == start and cell.r < hr < cell.r + cell.rs):
                            self._draw_segment(cell, top, self._span_height(cell, hr, h, repeats, p), cell.r == hr,
                                               self.lines(cell), first=False)
            for r in on_page:
                for cell in self.cells:
                    rows_here = [rr for rr in range(cell.r, cell.r + cell.rs) if by_row[rr][0] == p]
                    if not rows_here or rows_here[0] != r:
                        continue
                    top = by_row[r][1]
                    height = sum(by_row[rr][2] for rr in rows_here)
                    lines = self._segment_lines(cell, rows_here, h)
                    if len(rows_here) < cell.rs:
                        o.splits.append((cell.text, w.page_no, lines))
                    no_top = (o.missing_top_rule and p > 0 and r == first_row_here and cell.c == 0)
                    self._draw_segment(cell, top, height, True, lines, first=not no_top)
            if o.sliver_rules and on_page:
                self._slivers(on_page, by_row)
            last = [by_row[r] for r in on_page]
            w.y = last[-1][1] - last[-1][2] if last else w.y
        w.y -= 6

    def _span_height(self, cell, hr, h, repeats, p):
        return sum(hh for r, pp, _, hh in repeats if pp == p and cell.r <= r < cell.r + cell.rs and r >= hr)

    def _segment_lines(self, cell: GCell, rows_here: list[int], h: list[float]) -> list[str]:
        lines = self.lines(cell)
        if cell.rs == 1 or len(rows_here) == cell.rs:
            return lines
        # a merged cell cut by a page break: its lines are shared out by height, in order
        total = sum(h[cell.r:cell.r + cell.rs])
        before = sum(h[cell.r:rows_here[0]])
        here = sum(h[r] for r in rows_here)
        n = len(lines)
        a = round(n * before / total)
        b = round(n * (before + here) / total)
        if rows_here[-1] == cell.r + cell.rs - 1:
            b = n
        if rows_here[0] == cell.r:
            a = 0
            b = max(b, 1) if n > 1 else n
        return lines[a:b]

    def _draw_segment(self, cell: GCell, top: float, height: float, draw_text: bool, lines: list[str],
                      first: bool = True) -> None:
        c, o = self.w.c, self.o
        x0, x1 = self.xs[cell.c], self.xs[cell.c + cell.cs]
        bottom = top - height
        if o.white_cell_rects:
            c.setFillColorRGB(1, 1, 1)
            c.rect(x0, bottom, x1 - x0, height, stroke=0, fill=1)
        if cell.role == "band" and o.shaded_band:
            c.setFillColorRGB(0.82, 0.82, 0.82)
            c.rect(x0, bottom, x1 - x0, height, stroke=0, fill=1)
        if draw_text and lines:
            value = cell.role == "value"
            fn = self.vfont if value else self.fn
            size = self.vsize if value else self.size
            lead = self.lead(cell)
            block = len(lines) * lead
            y = top - (height - block) / 2 - lead + (lead - size) / 2 + size * 0.15
            c.setFillColorRGB(0, 0, 0)
            for line in lines:
                c.setFont(fn, size)
                if cell.role in ("label", "cond") and cell.cs <= 3 and not (cell.role == "label" and self.t.name == "active"):
                    c.drawString(x0 + self.pad, y, line)
                elif cell.role == "band" and not o.shaded_band:
                    c.drawString(x0 + self.pad, y, line)
                elif fn != self.fn:  # a Latin font for digits: CJK (元, 万元, full-width ，) stays in the CJK font
                    self._draw_mixed(line, (x0 + x1) / 2, y, fn, size)
                else:
                    c.drawCentredString((x0 + x1) / 2, y, line)
                y -= lead
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(0.5)
        if o.rules == "grid":
            if first:
                c.line(x0, top, x1, top)
            c.line(x0, bottom, x1, bottom)
            c.line(x0, top, x0, bottom)
            c.line(x1, top, x1, bottom)
        elif o.rules == "horizontal":
            c.line(x0, top, x1, top)
            c.line(x0, bottom, x1, bottom)

    def _draw_mixed(self, line: str, cx: float, y: float, latin: str, size: float) -> None:
        """``line`` centred on ``cx``, ASCII runs in ``latin``, the rest in the CJK font."""
        runs: list[tuple[str, str]] = []
        for ch in line:
            f = latin if ord(ch) < 128 else self.fn
            if runs and runs[-1][0] == f:
                runs[-1] = (f, runs[-1][1] + ch)
            else:
                runs.append((f, ch))
        width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
        x = cx - width / 2
        for f, t in runs:
            self.w.c.setFont(f, size)
            self.w.c.drawString(x, y, t)
            x += pdfmetrics.stringWidth(t, f, size)

    def _slivers(self, on_page: list[int], by_row: dict) -> None:
        c = self.w.c
        c.setLineWidth(0.5)
        for r in self.rng.sample(on_page, k=min(3, len(on_page))):
            _, top, hh = by_row[r]
            k = self.rng.randint(1, len(self.xs) - 2)
            x = self.xs[k] + self.rng.choice([-2.2, 2.2, 1.5])
            c.line(x, top, x, top - hh)  # a vertical stray beside a real rule: a sliver cell
        r = self.rng.choice(on_page)
        _, top, hh = by_row[r]
        k = self.rng.randint(0, len(self.xs) - 2)
        c.line(self.xs[k], top - 1.8, self.xs[k + 1], top - 1.8)  # a horizontal stray under a rule


def render(report: Report, opts: PdfOptions | None = None) -> bytes:
    """The PDF bytes of ``report``; ``opts.quirks`` then names what was drawn."""
    opts = opts or PdfOptions()
    rng = random.Random(opts.seed)
    w = Writer(opts)
    w.c.setTitle(f"{report.truth['agency']}{report.truth['year']}年政府信息公开工作年度报告")
    blocks = list(report.blocks)
    i = 0
    in_landscape = False
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Para):
            if opts.landscape and b.kind == "heading" and b.text.startswith("三、") and not in_landscape:
                w.new_page(landscape(A4))
                in_landscape = True
            elif in_landscape and b.kind == "heading" and b.text.startswith("五、"):
                w.new_page(A4)
                in_landscape = False
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if opts.shaded_band and b.kind == "heading" and isinstance(nxt, Table) and nxt.name in ("requests", "appeals"):
                TableDrawer(w, nxt, rng, title=b.text).draw()
                i += 2
                continue
            w.para(b)
        else:
            TableDrawer(w, b, rng).draw()
        i += 1
    w.footer()
    w.c.save()
    return w.buf.getvalue()
