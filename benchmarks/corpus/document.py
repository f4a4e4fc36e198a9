"""The logical report every renderer draws: paragraphs and tables as grids with spans.

`build(truth, style)` lays a truth out as the official form prints it (国办公开办函〔2019〕60号 /
〔2021〕30号): section 二's 第二十条 sub-tables, section 三's table with its merged row headers
(三、本年度办理结果 over the result rows, （三）不予公开 over 8 rows, the 申请人情况 header block)
and section 四's two-level header. Label-level quirks (numbering, stray spaces, thousands
separators, blank cells) are applied here, so that every output form shares them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .truth import APPLICANTS

COND = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Style:
    numbering: str = "."  # sub-row numbering: "1." or "1、"
    label_spaces: bool = False  # '总 计', '结 果维持'
    thousands: str = ""  # "", "," or "，"
    active_split: bool = False  # section 二 as one table per 第二十条 item
    unit_in_header: bool = False  # 采购总金额（元） instead of the unit in the cell
    halfwidth_parens: bool = False  # (一) instead of （一）

    def quirks(self, truth: dict | None = None) -> list[str]:
        q = []
        big = truth is None or any(isinstance(v, int) and abs(v) >= 1000 for v in truth["fields"].values())
        if self.numbering == "、":
            q.append("numbering_dun")
        if self.label_spaces:
            q.append("label_spaces")
        if self.thousands and big:
            q.append("thousands_sep_fullwidth" if self.thousands == "，" else "thousands_sep")
        if self.unit_in_header and (truth is None or truth["template"] == "gov2019"):
            q.append("unit_in_header")
        if self.halfwidth_parens:
            q.append("halfwidth_parens")
        return q


@dataclass
class GCell:
    r: int
    c: int
    text: str
    rs: int = 1
    cs: int = 1
    role: str = "label"  # label | header | value | band | cond
    field: str | None = None


@dataclass
class Table:
    name: str  # active | requests | appeals
    ncols: int
    nrows: int
    cells: list[GCell]
    widths: list[float]  # relative column widths
    header_rows: int = 0
    bands: list[int] = field(default_factory=list)  # rows that are full-width title bands

    def at(self, r: int) -> list[GCell]:
        return [c for c in self.cells if c.r == r]


@dataclass
class Para:
    text: str
    kind: str = "body"  # title | subtitle | heading | body | sign


@dataclass
class Report:
    truth: dict
    style: Style
    blocks: list  # Para | Table

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def fmt_value(v, fid: str, style: Style, units: dict) -> str:
    if v is None:
        return ""
    if fid == "active.procurement.amount":
        unit = units.get(fid, "元")
        text = f"{v:.2f}"
        return text if style.unit_in_header else text + unit
    if fid == "active.fees.amount":
        return "0" if v == 0 else (f"{v:.2f}" if v != int(v) else str(int(v)))
    if isinstance(v, float) and v == int(v):
        v = int(v)
    if isinstance(v, int) and abs(v) >= 1000 and style.thousands:
        return f"{v:,}".replace(",", style.thousands)
    return str(v)


def _spaced(label: str, style: Style, rng: random.Random, always: bool = False) -> str:
    if not style.label_spaces or len(label) < 2 or (not always and rng.random() < 0.5):
        return label
    i = rng.randint(1, min(len(label) - 1, 3))
    return label[:i] + " " + label[i:]


def _paren(n: str, style: Style) -> str:
    return f"({n})" if style.halfwidth_parens else f"（{n}）"


# ------------------------------------------------------------------ section 二

def _active_table(truth: dict, style: Style, rng: random.Random) -> list[Table]:
    t, f, units = truth["template"], truth["fields"], truth.get("units", {})

    def val(fid):
        return fmt_value(f.get(fid), fid, style, units)

    if t == "gov2019":
        amount_label = "采购总金额" + (f"（{units.get('active.procurement.amount', '元')}）" if style.unit_in_header else "")
        items = [
            ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
             [("规章", "regulations"), ("规范性文件", "normative_docs")], ["new_made", "new_published", "total_published"]),
            ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")], ["prev_count", "change", "decisions"]),
            ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政处罚", "penalty"), ("行政强制", "coercion")], ["prev_count", "change", "decisions"]),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")], ["prev_count", "change"]),
            ("第二十条第（九）项", ["采购项目数量", amount_label], [("政府集中采购", "procurement")], ["items", "amount"]),
        ]
    else:
        items = [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", "regulations"), ("行政规范性文件", "normative_docs")], ["issued", "repealed", "in_force"]),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")], ["decisions"]),
            ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")], ["decisions"]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees")], ["amount"]),
        ]
    tables, cells, r, bands = [], [], 0, []
    for title, cols, rows, col_ids in items:
        span3 = len(cols) == 1  # gov2021 single-value items span the three value columns
        bands.append(r)
        cells.append(GCell(r, 0, title, cs=4, role="band"))
        r += 1
        cells.append(GCell(r, 0, "信息内容", role="header"))
        if span3:
            cells.append(GCell(r, 1, cols[0], cs=3, role="header"))
        else:
            for i, c in enumerate(cols):
                cells.append(GCell(r, 1 + i, c, role="header"))
            for i in range(len(cols), 3):
                cells.append(GCell(r, 1 + i, "", role="header"))
        r += 1
        for label, rid in rows:
            cells.append(GCell(r, 0, label, role="label"))
            if span3:
                fid = f"active.{rid}.{col_ids[0]}"
                cells.append(GCell(r, 1, val(fid), cs=3, role="value", field=fid))
            else:
                for i, cid in enumerate(col_ids):
                    fid = f"active.{rid}.{cid}"
                    cells.append(GCell(r, 1 + i, val(fid), role="value", field=fid))
                for i in range(len(col_ids), 3):
                    cells.append(GCell(r, 1 + i, "", role="value"))
            r += 1
        if style.active_split:
            tables.append(_renumber(Table("active", 4, r, cells, [1.6, 1, 1, 1], 0, bands)))
            cells, r, bands = [], 0, []
    if cells:
        tables.append(Table("active", 4, r, cells, [1.6, 1, 1, 1], 0, bands))
    return tables


def _renumber(t: Table) -> Table:
    r0 = min(c.r for c in t.cells)
    for c in t.cells:
        c.r -= r0
    t.bands = [b - r0 for b in t.bands]
    return t


# ------------------------------------------------------------------ section 三

def request_rows(template: str, style: Style) -> list[tuple]:
    """(group1, group2, label, row id) per data row of section 三, as the form prints them."""
    n = style.numbering
    p = lambda x: _paren(x, style)  # noqa: E731
    rows = [("", "", "一、本年新收政府信息公开申请数量", "new_received"),
            ("", "", "二、上年结转政府信息公开申请数量", "carried_over")]
    g = "三、本年度办理结果"
    rows += [(g, "", p("一") + "予以公开", "disclosed"),
             (g, "", p("二") + "部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed")]
    withheld = ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]
    wids = ["state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
            "process_info", "enforcement_file", "admin_query"]
    rows += [(g, p("三") + "不予公开", f"{i + 1}{n}{lab}", f"withheld.{rid}") for i, (lab, rid) in enumerate(zip(withheld, wids))]
    rows += [(g, p("四") + "无法提供", f"{i + 1}{n}{lab}", f"unavailable.{rid}") for i, (lab, rid) in enumerate(zip(
        ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"], ["not_held", "needs_creation", "unclear"]))]
    rows += [(g, p("五") + "不予处理", f"{i + 1}{n}{lab}", f"not_processed.{rid}") for i, (lab, rid) in enumerate(zip(
        ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"],
        ["petition", "duplicate", "publication", "excessive", "confirm_reissue"]))]
    if template == "gov2019":
        rows.append((g, "", p("六") + "其他处理", "other"))
    else:
        rows += [(g, p("六") + "其他处理", f"{i + 1}{n}{lab}", f"other.{rid}") for i, (lab, rid) in enumerate(zip(
            ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"],
            ["no_correction", "unpaid_fee", "misc"]))]
    rows.append((g, "", p("七") + "总计", "total"))
    rows.append(("", "", "四、结转下年度继续办理", "carried_forward"))
    return rows


def _requests_table(truth: dict, style: Style, rng: random.Random) -> Table:
    f = truth["fields"]
    cols = list(APPLICANTS) + ["total"]
    total_label = _spaced("总计", style, rng, always=True)
    cells = [
        GCell(0, 0, COND, rs=3, cs=3, role="cond"),
        GCell(0, 3, "申请人情况", cs=7, role="header"),
        GCell(1, 3, "自然人", rs=2, role="header"),
        GCell(1, 4, "法人或其他组织", cs=5, role="header"),
        GCell(1, 9, total_label, rs=2, role="header"),
    ]
    for i, lab in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        cells.append(GCell(2, 4 + i, lab, role="header"))
    rows = request_rows(truth["template"], style)
    r0 = 3
    # spans of the group labels
    for i, (g1, g2, label, rid) in enumerate(rows):
        r = r0 + i
        if g1 and (i == 0 or rows[i - 1][0] != g1):
            n = sum(1 for x in rows if x[0] == g1)
            cells.append(GCell(r, 0, g1, rs=n, role="group"))
        if g2 and rows[i - 1][1] != g2:
            n = sum(1 for x in rows if x[1] == g2)
            cells.append(GCell(r, 1, g2, rs=n, role="group"))
        lab = _spaced(label, style, rng) if rid in ("total",) else label
        if not g1:
            cells.append(GCell(r, 0, lab, cs=3, role="label"))
        elif not g2:
            cells.append(GCell(r, 1, lab, cs=2, role="label"))
        else:
            cells.append(GCell(r, 2, lab, role="label"))
        for j, c in enumerate(cols):
            fid = f"requests.{rid}.{c}"
            cells.append(GCell(r, 3 + j, fmt_value(f.get(fid), fid, style, {}), role="value", field=fid))
    return Table("requests", 10, r0 + len(rows), cells, [0.9, 1.2, 2.6] + [1] * 7, header_rows=3)


# ------------------------------------------------------------------ section 四

def _appeals_table(truth: dict, style: Style, rng: random.Random) -> Table:
    f = truth["fields"]
    sub = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells = [GCell(0, 0, "行政复议", cs=5, role="header"), GCell(0, 5, "行政诉讼", cs=10, role="header")]
    for i, s in enumerate(sub):
        cells.append(GCell(1, i, _spaced(s, style, rng), rs=2, role="header"))
    cells += [GCell(1, 5, "未经复议直接起诉", cs=5, role="header"), GCell(1, 10, "复议后起诉", cs=5, role="header")]
    for k in range(2):
        for i, s in enumerate(sub):
            cells.append(GCell(2, 5 + 5 * k + i, _spaced(s, style, rng), role="header"))
    cols = ["upheld", "corrected", "other", "pending", "total"]
    for gi, g in enumerate(["review", "litigation_direct", "litigation_after_review"]):
        for i, c in enumerate(cols):
            fid = f"appeals.{g}.{c}"
            cells.append(GCell(3, 5 * gi + i, fmt_value(f.get(fid), fid, style, {}), role="value", field=fid))
    return Table("appeals", 15, 4, cells, [1] * 15, header_rows=3)


# ------------------------------------------------------------------ text

_BODY = [
    "{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "围绕中心工作，不断完善制度机制，持续推进决策、执行、管理、服务、结果公开，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "（一）主动公开。通过政府门户网站、政务新媒体等平台及时发布政策文件、工作动态、通知公告等信息，全年累计主动公开政府信息若干条。",
    "（二）依申请公开。严格按照法定程序和时限办理政府信息公开申请，做到依法答复、规范答复，未发生因依申请公开引发的行政复议败诉情况。",
    "（三）政府信息管理。建立健全信息发布审查机制，落实“三审三校”制度，对拟公开的信息进行保密审查，确保公开内容准确、规范。",
    "（四）平台建设。优化网站栏目设置，及时更新政府信息公开指南和目录，提升信息检索的便利程度。",
    "（五）监督保障。将政务公开工作纳入年度目标考核，加强业务培训，定期开展自查整改。",
]
_PROBLEMS = ("{year}年，我单位政府信息公开工作取得了一定成效，但仍存在一些不足：一是公开内容的深度和广度还需拓展；"
             "二是政策解读形式较为单一。下一步，我们将进一步加强学习培训，丰富解读形式，提高公开质量。")
_OTHER = "本年度未收取信息处理费。如对本报告有任何疑问，请与{agency}办公室联系。"


def build(truth: dict, style: Style | None = None, rng: random.Random | None = None) -> Report:
    rng = rng or random.Random(0)
    style = style or Style()
    a, y = truth["agency"], truth["year"]
    kw = dict(agency=a, year=y)
    blocks: list = [Para(a, "title"), Para(f"{y}年政府信息公开工作年度报告", "title")]
    blocks.append(Para(f"本报告依据《中华人民共和国政府信息公开条例》要求编制，报告中所列数据统计期限自{y}年1月1日起至{y}年12月31日止。"))
    blocks.append(Para("一、总体情况", "heading"))
    blocks += [Para(s.format(**kw)) for s in _BODY[: rng.randint(2, len(_BODY))]]
    prose = truth.get("narrative")  # made on request (narrative.py)
    if prose:
        blocks += [Para(p) for p in prose["overview"]]
    blocks.append(Para("二、主动公开政府信息情况", "heading"))
    blocks += _active_table(truth, style, rng)
    blocks.append(Para("三、收到和处理政府信息公开申请情况", "heading"))
    blocks.append(_requests_table(truth, style, rng))
    blocks.append(Para("四、政府信息公开行政复议、行政诉讼情况", "heading"))
    blocks.append(_appeals_table(truth, style, rng))
    blocks.append(Para("五、存在的主要问题及改进情况", "heading"))
    blocks.append(Para(_PROBLEMS.format(**kw)))
    blocks.append(Para("六、其他需要报告的事项", "heading"))
    blocks.append(Para(prose["other"] if prose else _OTHER.format(**kw)))
    blocks.append(Para(a, "sign"))
    blocks.append(Para(f"{y + 1}年1月{rng.randint(10, 28)}日", "sign"))
    return Report(truth, style, blocks)


def random_style(rng: random.Random) -> Style:
    return Style(
        numbering="、" if rng.random() < 0.25 else ".",
        label_spaces=rng.random() < 0.2,
        thousands=rng.choice(["", "", ",", ",", "，"]),
        active_split=rng.random() < 0.4,
        unit_in_header=rng.random() < 0.2,
        halfwidth_parens=rng.random() < 0.2,
    )
