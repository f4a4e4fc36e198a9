"""Report metadata: the issuing body and the year reported on, from the title or first sentences."""

from __future__ import annotations

import re
from collections import Counter

from .normalize import fold_width

_YEAR = r"(20[0-3]\d|19[89]\d)\s*年"
_TITLE = re.compile(rf"^(?P<agency>.*?)\s*{_YEAR}\s*度?\s*(?:政府信息公开|政府信息公開|政务公开|政務公開).*(?:报告|報告|统计表|統計表)")
_TITLE_NO_AGENCY = re.compile(rf"{_YEAR}\s*度?\s*(?:政府信息公开|政府信息公開|政务公开|政務公開)")
_ORGAN = (r"(?:人民政府办公室|人民政府辦公室|人民政府|委员会|委員會|办公室|辦公室|管理局|局|厅|廳|委|署|院|办|辦"
          r"|中心|公司|街道办事处|街道辦事處|街道|镇|鎮|乡|鄉|所|会|會)")
_PLACE = r"(?:省|市|自治区|自治區|区|區|县|縣|州|盟|旗)"
_AGENCY = re.compile(rf"[\u4e00-\u9fff]{{1,8}}?{_PLACE}[\u4e00-\u9fff]{{0,14}}?{_ORGAN}")
_LEADING = re.compile(r"^(?:对|對|在|由|经|經|向|将|將|把|为|為|根据|根據|按照|依据|依據|关于|關於|现将|現將|公布|现公布|現公布|是|及|和|与|與)+")
_FIRST_YEAR = re.compile(rf"^\s*{_YEAR}")
_MAX_TITLE = 500
"""Title lines are cut to this: the title patterns backtrack over a line, and a title is short."""


def _clean_agency(text: str) -> str | None:
    text = re.sub(r"[\s#*]+", "", text)
    text = _LEADING.sub("", text)
    return text if 2 <= len(text) <= 40 and re.search(r"[\u4e00-\u9fff]", text) else None


def year_and_agency(title_lines: list[str], body: str) -> tuple[int | None, str | None]:
    lines = [fold_width(line[:_MAX_TITLE]).strip() for line in title_lines if line.strip()]
    year = agency = None
    for k, line in enumerate(lines):
        m = _TITLE.search(line)
        if m:
            year = int(m.group(2))
            agency = _clean_agency(m["agency"]) or (_clean_agency(lines[k - 1]) if k else None)
            break
        m = _TITLE_NO_AGENCY.search(line)
        if m and len(line) < 60:
            year = int(m.group(1))
            agency = _clean_agency(lines[k - 1]) if k else None
            break
    text = fold_width(body)
    if year is None:
        for line in text.splitlines()[:40]:
            if m := _FIRST_YEAR.search(line) or _TITLE_NO_AGENCY.search(line):
                year = int(m.group(1))
                break
    if agency is None:
        agency = _most_named_agency(text)
    return year, agency


def _most_named_agency(text: str) -> str | None:
    """The body named most often in the opening (weighted) and the whole text."""
    counts: Counter[str] = Counter()
    head = text[:1500]
    for m in _AGENCY.finditer(text):
        name = _clean_agency(m.group(0))
        if name:
            counts[name] += 3 if m.start() < len(head) else 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], len(n)))
