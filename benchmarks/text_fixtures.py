"""Render random truths as text reports in every shape the seeds show, with their quirks.

    python -m benchmarks.text_fixtures --out fixtures/text --seed 7

Shapes: a cell per line (seed 000), tab-separated rows with merged cells empty (001, 004),
cells ended by `` |`` (003), Markdown tables, label and numbers separated by spaces, a web
copy whose digits ran together, and HTML tables with rowspan/colspan. Quirks, drawn at
random and recorded in the truth: wrapped labels, a row broken by a page break, labels cut
at the start, typos, short headers, traditional characters, full-width digits, thousands
separators, a stray staff table before the statistics.
"""

from __future__ import annotations

import argparse
import html
import json
import random
from pathlib import Path

import opencc

from benchmarks.corpus.truth import make_truth
from gxextract.templates import TemplateRow, get_template

_S2T = opencc.OpenCC("s2t")
_NUMERALS = "一二三四五六七八九十"
SHAPES = ("lines", "tabs", "pipes", "markdown", "spaces", "runs", "html")
_BLANKABLE = {"tabs", "pipes", "markdown", "html"}
_TYPOS = {"内部": "内容", "掌握": "掌据", "重复": "重複", "出版物": "出板物", "proceed": ""}
_STAFF = ["网站与网络安全工作人员", "序号", "姓名", "职务", "分工", "1", "李猛", "副局长", "分管领导", "2", "孙秋勇",
          "办公室主任", "网站负责人"]


def _fmt(value, rng: random.Random, quirks: set[str], unit: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and unit != "元":
        text = str(int(value))
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        text = str(value)
    if "thousands" in quirks and abs(value) >= 1000:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    if "fullwidth" in quirks:
        text = text.translate(str.maketrans("0123456789,.-", "０１２３４５６７８９，．－"))
    if unit == "元" and value:
        text += "元"
    return text


class _Labels:
    """Row labels as a body prints them, with the quirks drawn for this report."""

    def __init__(self, rng: random.Random, quirks: set[str]):
        self.rng, self.quirks = rng, quirks
        self.count = {"cut": 0, "typo": 0}

    def row(self, row: TemplateRow, index: int, numbered: bool) -> str:
        label = row.labels[0]
        if row.section == "requests":
            if row.row in ("new_received", "carried_over", "carried_forward"):
                label = {"new_received": "一、", "carried_over": "二、", "carried_forward": "四、"}[row.row] + label
            elif row.row == "total":
                label = "（七）总计"
            elif row.row == "other":
                label = "（六）其他处理"
            elif row.row in ("disclosed", "partially_disclosed"):
                label = ("（一）" if row.row == "disclosed" else "（二）") + label
            elif numbered:
                label = f"{index}.{label}"
        if "cut_label" in self.quirks and self.count["cut"] < 2 and len(label) > 9 and self.rng.random() < 0.15:
            self.count["cut"] += 1
            label = label[3:]
        if "typo" in self.quirks and self.count["typo"] < 1:
            for a, b in _TYPOS.items():
                if a in label:
                    self.count["typo"] += 1
                    label = label.replace(a, b, 1)
                    break
        return label


def _groups(template_id: str) -> dict[str, str]:
    return {"disclosed": "三、本年度办理结果", "withheld.state_secret": "（三）不予公开", "unavailable.not_held": "（四）无法提供",
            "not_processed.petition": "（五）不予处理",
            **({"other.no_correction": "（六）其他处理"} if template_id == "gov2021" else {})}


def _table_model(truth: dict, rng: random.Random, quirks: set[str]):
    """Section tables as lists of (group, label, [cells]) plus headers, in print order."""
    template = get_template(truth["template"])
    f, units = truth["fields"], truth.get("units", {})
    labels = _Labels(rng, quirks)
    active = []
    for block in dict.fromkeys(r.block for r in template.section("active").rows):
        rows = [r for r in template.section("active").rows if r.block == block]
        headers = ["信息内容"] + [c.labels[0] for c in rows[0].columns]
        if "short_headers" in quirks:
            headers = [h.replace("数量", "") if len(h) > 6 else h for h in headers]
        body = [(r.labels[0], [_fmt(f.get(fid), rng, quirks, units.get(fid)) for fid in r.fields]) for r in rows]
        active.append((block.replace("（", "(").replace("）", ")") if rng.random() < 0.5 else block, headers, body))
    groups = _groups(truth["template"])
    requests = []
    sub = 0
    for r in template.section("requests").rows:
        group = groups.get(r.row)
        sub = 1 if group else sub + 1
        numbered = "." in r.row or r.row.startswith("other.")
        requests.append((r.row, group, labels.row(r, sub, numbered), [_fmt(f.get(x), rng, quirks) for x in r.fields]))
    appeals = [_fmt(f.get(x), rng, quirks) for x in template.section("appeals").rows[0].fields]
    return active, requests, appeals


_REQ_HEAD = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
             ["自然人", "法人或其他组织", "总计"],
             ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
_APPEAL_HEAD = [["行政复议", "行政诉讼"],
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2]


def _intro(truth: dict, rng: random.Random, quirks: set[str]) -> list[str]:
    lines = [f"{truth['agency']}{truth['year']}年政府信息公开工作年度报告", "",
             f"根据《中华人民共和国政府信息公开条例》要求，现公布{truth['agency']}{truth['year']}年政府信息公开工作年度报告。",
             "一、总体情况", f"{truth['year']}年，我单位认真贯彻落实政府信息公开工作要求，共收到申请若干件。"]
    if "staff_table" in quirks:
        lines += _STAFF
    return lines


def _cells_text(shape: str, cells: list[str]) -> list[str]:
    if shape == "tabs":
        return ["\t".join(cells)]
    if shape == "pipes":
        return [f"{c} |" if c else "|" for c in cells]
    if shape == "markdown":
        return ["| " + " | ".join(cells) + " |"]
    if shape == "spaces":
        return [" ".join(c for c in cells if c)]
    if shape == "runs":
        return ["".join(c for c in cells)]
    return [c for c in cells if c != ""]  # lines


def render_text(truth: dict, shape: str, rng: random.Random, quirks: set[str]) -> str:
    active, requests, appeals = _table_model(truth, rng, quirks)
    out = _intro(truth, rng, quirks)
    out.append("二、主动公开政府信息情况")
    for title, headers, body in active:
        if shape == "markdown":
            out += ["", f"| {title} |" + " |" * len(headers[1:]), "|" + "---|" * len(headers)]
        else:
            out += _cells_text(shape, [title] + [""] * (len(headers) - 1) if shape != "lines" else [title])
        out += _cells_text(shape, headers)
        for label, cells in body:
            out += _cells_text(shape, [label, *cells])
    out += ["", "三、收到和处理政府信息公开申请情况"]
    if shape == "markdown":
        out += ["", "| " + " | ".join(_REQ_HEAD[0]) + " |", "|---|---|"]
    else:
        for head in _REQ_HEAD:
            out += _cells_text(shape, ["", *head] if shape == "tabs" else head)
    broken_page = "page_break" in quirks
    for _, group, label, cells in requests:
        lead = []
        if group and shape in ("tabs", "markdown", "pipes", "lines"):
            lead = [group]
        elif shape == "tabs" or shape == "markdown":
            lead = [""]
        if broken_page and group == "（五）不予处理" and shape in ("tabs", "lines"):
            out += _cells_text(shape, ["（五）", label, *cells])
            out += ["", "不予处理"]
            continue
        if "wrap_label" in quirks and len(label) > 14 and shape in ("lines", "pipes"):
            out += _cells_text(shape, [*lead, label[:8]])
            out += _cells_text(shape, [label[8:], *cells])
            continue
        if shape in ("spaces", "runs") and group:
            out.append(group)
        out += _cells_text(shape, [*lead, label, *cells])
    out += ["", "四、政府信息公开行政复议、行政诉讼情况"]
    for head in _APPEAL_HEAD:
        out += _cells_text(shape, head)
    out += _cells_text(shape, appeals)
    out += ["五、存在的主要问题及改进情况", "一是公开内容不够全面。下一步，我们将进一步加强培训。"]
    return _finish("\n".join(out) + "\n", quirks)


def _finish(text: str, quirks: set[str]) -> str:
    return _S2T.convert(text) if "traditional" in quirks else text


def render_html(truth: dict, rng: random.Random, quirks: set[str]) -> str:
    active, requests, appeals = _table_model(truth, rng, quirks)
    td = lambda t, **a: "<td" + "".join(f' {k}="{v}"' for k, v in a.items()) + f">{html.escape(t)}</td>"  # noqa: E731
    parts = [f"<html><head><meta charset='utf-8'><title>{truth['agency']}</title>"
             "<script>alert(1)</script></head><body>",
             f"<h1>{truth['agency']}{truth['year']}年政府信息公开工作年度报告</h1>",
             f"<p>{truth['year']}年，我单位认真贯彻落实政府信息公开工作要求。</p><h2>二、主动公开政府信息情况</h2><table>"]
    for title, headers, body in active:
        parts.append("<tr>" + td(title, colspan=len(headers)) + "</tr><tr>" + "".join(map(td, headers)) + "</tr>")
        parts += ["<tr>" + td(label) + "".join(map(td, cells)) + "</tr>" for label, cells in body]
    parts.append("</table><h2>三、收到和处理政府信息公开申请情况</h2><table>")
    parts.append("<tr>" + td(_REQ_HEAD[0][0], colspan=3, rowspan=3) + td("申请人情况", colspan=7) + "</tr>")
    parts.append("<tr>" + td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2) + "</tr>")
    parts.append("<tr>" + "".join(map(td, _REQ_HEAD[2])) + "</tr>")
    outer = ("new_received", "carried_over", "carried_forward")
    n_outcomes = sum(row not in outer for row, *_ in requests)
    group_size: dict[str, int] = {}
    for row, *_ in requests:
        if "." in row:
            group_size[row.split(".")[0]] = group_size.get(row.split(".")[0], 0) + 1
    for row, group, label, cells in requests:
        if row in outer:
            cols = td(label, colspan=3)
        else:
            cols = td("三、本年度办理结果", rowspan=n_outcomes) if row == "disclosed" else ""
            if "." not in row:
                cols += td(label, colspan=2)
            else:
                if group:
                    cols += td(group, rowspan=group_size[row.split(".")[0]])
                cols += td(label)
        parts.append("<tr>" + cols + "".join(map(td, cells)) + "</tr>")
    parts.append("</table><h2>四、政府信息公开行政复议、行政诉讼情况</h2><table>")
    parts.append("<tr>" + td("行政复议", colspan=5) + td("行政诉讼", colspan=10) + "</tr>")
    parts.append("<tr>" + "".join(td(h, rowspan=2) for h in _APPEAL_HEAD[1][:5]) +
                 td("未经复议直接起诉", colspan=5) + td("复议后起诉", colspan=5) + "</tr>")
    parts.append("<tr>" + "".join(map(td, _APPEAL_HEAD[2])) + "</tr>")
    parts.append("<tr>" + "".join(map(td, appeals)) + "</tr></table></body></html>")
    return _finish("\n".join(parts), quirks)


_QUIRKS = ("wrap_label", "page_break", "cut_label", "typo", "short_headers", "traditional", "fullwidth",
           "thousands", "staff_table")


def make(out: Path, seed: int, per_shape: int = 2) -> list[Path]:
    rng = random.Random(seed)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    made = []
    for shape in SHAPES:
        for k in range(per_shape + 1):
            template = "gov2019" if k % 2 == 0 else "gov2021"
            slip = k == per_shape  # the last of each shape carries the body's own arithmetic slip
            truth = make_truth(rng, template, large=k == 1, slip=slip, blanks=shape in _BLANKABLE and k == 0)
            quirks = {q for q in _QUIRKS if rng.random() < 0.35}
            if shape in ("runs", "spaces") and "fullwidth" in quirks:
                quirks.discard("thousands")
            if shape == "html":
                quirks -= {"wrap_label", "page_break"}
            truth["quirks"] = sorted(set(truth.get("quirks", [])) | quirks)
            truth["form"] = shape
            name = f"{shape}_{k}_{template}"
            ext = {"html": ".html", "markdown": ".md"}.get(shape, ".txt")
            text = render_html(truth, rng, quirks) if shape == "html" else render_text(truth, shape, rng, quirks)
            (out / f"{name}{ext}").write_text(text, encoding="utf-8")
            (out / "truth" / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
            made.append(out / f"{name}{ext}")
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("fixtures/text"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-shape", type=int, default=2)
    args = ap.parse_args()
    for p in make(args.out, args.seed, args.per_shape):
        print(p)


if __name__ == "__main__":
    main()
