"""Fast page triage on pdfium's text: which pages carry the statistics tables.

Narrative pages never reach the geometric parser; their text is handed over line by line.
"""

from __future__ import annotations

import re

_KEYS = ("第二十条", "信息内容", "申请人情况", "自然人", "予以公开", "不予公开", "无法提供", "不予处理",
         "行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "统计指标", "统计数", "本年新收",
         "结转", "总计", "处理决定", "规范性文件", "行政许可", "行政处罚", "申请人情況", "予以公開",
         "不予公開", "規章", "規範性文件", "行政複議", "行政訴訟", "結果維持", "總計", "本年制发件数",
         "本年新制作", "申请数量", "申請數量")
_DIGITS = re.compile(r"(?<![\d年月日号.])\d{1,9}(?![\d年月日号])")


def is_table_page(text: str) -> bool:
    """A page with template words and numbers standing alone (not dates, not years)."""
    compact = re.sub(r"\s+", "", text)
    hits = sum(k in compact for k in _KEYS)
    if hits >= 2:
        return True
    return hits >= 1 and len(_DIGITS.findall(text)) >= 8


_CID = re.compile(r"\(cid:\d+\)")


def unmapped_share(chars) -> float:
    """Share of a page's characters whose font gives no Unicode for them."""
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if not c.mapped or "\ue000" <= c.text <= "\uf8ff" or c.text == "\ufffd")
    return bad / len(chars)
