"""HTML as government sites publish reports: tables with rowspan/colspan, Word-pasted markup.

Variants (named in ``HtmlOptions.quirks``): the article wrapped in a layout table
(``layout_table``), GBK bytes with a ``<meta charset>`` (``gbk``), MsoNormal paragraphs and spans
inside every cell (``word_markup``), ``&nbsp;`` in empty cells (``nbsp_blanks``) and full-width
digits (``fullwidth_digits``).
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import dataclass

from .document import Report, Table

_FW = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@dataclass
class HtmlOptions:
    layout_table: bool = False
    gbk: bool = False
    word_markup: bool = False
    nbsp_blanks: bool = False
    fullwidth_digits: bool = False
    seed: int = 0

    @property
    def quirks(self) -> list[str]:
        return [k for k in ("layout_table", "gbk", "word_markup", "nbsp_blanks", "fullwidth_digits") if getattr(self, k)]


def random_options(rng: random.Random) -> HtmlOptions:
    return HtmlOptions(layout_table=rng.random() < 0.4, gbk=rng.random() < 0.35, word_markup=rng.random() < 0.5,
                       nbsp_blanks=rng.random() < 0.5, fullwidth_digits=rng.random() < 0.15,
                       seed=rng.randint(0, 10**6))


def _cell_html(text: str, role: str, o: HtmlOptions) -> str:
    t = html.escape(text)
    if role == "value" and o.fullwidth_digits:
        t = t.translate(_FW)
    if not text:
        return "&nbsp;" if o.nbsp_blanks else ""
    if o.word_markup:
        align = "center" if role != "label" else "left"
        return (f'<p class="MsoNormal" align="{align}" style="text-align:{align}"><span style="font-size:10.5pt;'
                f'font-family:仿宋_GB2312">{t}</span></p>')
    return t


def _table(t: Table, o: HtmlOptions) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" width="600" style="border-collapse:collapse;">']
    for r in range(t.nrows):
        out.append("<tr>")
        for c in sorted(t.at(r), key=lambda c: c.c):
            attrs = ""
            if c.rs > 1:
                attrs += f' rowspan="{c.rs}"'
            if c.cs > 1:
                attrs += f' colspan="{c.cs}"'
            style = ' style="background:#d9d9d9"' if c.role == "band" else ""
            out.append(f'<td{attrs}{style} valign="center">{_cell_html(c.text, c.role, o)}</td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render(report: Report, o: HtmlOptions | None = None, table: Callable[[Table, HtmlOptions], str] = _table) -> bytes:
    """The page's bytes; ``table`` draws each table (a ``<table>``, or a picture of it)."""
    o = o or HtmlOptions()
    charset = "gbk" if o.gbk else "utf-8"
    title = f"{report.truth['agency']}{report.truth['year']}年政府信息公开工作年度报告"
    body = []
    for b in report.blocks:
        if isinstance(b, Table):
            body.append(table(b, o))
        elif b.kind == "title":
            body.append(f'<p align="center" style="text-align:center"><b>{html.escape(b.text)}</b></p>')
        elif b.kind == "heading":
            body.append(f"<p><strong>{html.escape(b.text)}</strong></p>")
        elif b.kind == "sign":
            body.append(f'<p align="right">{html.escape(b.text)}</p>')
        else:
            body.append(f'<p style="text-indent:2em">{html.escape(b.text)}</p>')
    content = "\n".join(body)
    if o.layout_table:
        content = (f'<table width="100%" border="0"><tr><td class="nav" width="180">首页 &gt; 政务公开 &gt; 年度报告</td>'
                   f'<td><div class="article">\n{content}\n</div></td></tr></table>')
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if o.gbk
            else '<meta charset="utf-8">')
    page = (f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>{html.escape(title)}</title>\n"
            f"<style>td{{border:1px solid #000}}</style>\n</head>\n<body>\n"
            f'<div class="header">政府信息公开</div>\n<h1 style="display:none">{html.escape(title)}</h1>\n'
            f"{content}\n<div class=\"footer\">主办单位：{html.escape(report.truth['agency'])}</div>\n</body>\n</html>\n")
    return page.encode("gbk" if o.gbk else "utf-8", errors="xmlcharrefreplace")

