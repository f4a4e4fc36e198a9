"""Report metadata: the issuing body and the year reported on, from the title or first sentences."""

from __future__ import annotations

import re
from collections import Counter

from .confidence import FROM_BODY, FROM_SENTENCE, LINE_ABOVE, NOT_A_NAME, REVIEW_BELOW, TITLE_SURE
from .models import MetaField
from .normalize import fold_width

YEAR_DIGITS = r"(?:20[0-3]\d|19[89]\d)"
"""A year a report is for, as printed."""
DISCLOSURE = r"(?:政府信息公开|政府信息公開|政务公开|政務公開)"
"""The words of every report's title (simplified or traditional)."""
_YEAR = rf"({YEAR_DIGITS})\s*年"
_TITLE = re.compile(rf"^(?P<agency>.*?)\s*{_YEAR}\s*度?\s*{DISCLOSURE}.*(?:报告|報告|统计表|統計表)")
_TITLE_NO_AGENCY = re.compile(rf"{_YEAR}\s*度?\s*{DISCLOSURE}")
_ORGAN = (r"(?:人民政府办公室|人民政府辦公室|人民政府|委员会|委員會|办公室|辦公室|管理局|局|厅|廳|委|署|院|办|辦"
          r"|中心|公司|街道办事处|街道辦事處|街道|镇|鎮|乡|鄉|所|会|會)")
_PLACE = r"(?:省|市|自治区|自治區|区|區|县|縣|州|盟|旗)"
_AGENCY = re.compile(rf"[\u4e00-\u9fff]{{1,8}}?{_PLACE}[\u4e00-\u9fff]{{0,14}}?{_ORGAN}")
_LEADING = re.compile(r"^(?:对|對|在|由|经|經|向|将|將|把|为|為|根据|根據|按照|依据|依據|关于|關於|现将|現將|公布|公佈|现公布|現公布|現公佈|是|及|和|与|與)+")
_FIRST_YEAR = re.compile(rf"^\s*{_YEAR}")
_MAX_TITLE = 500
"""Title lines are cut to this: the title patterns backtrack over a line, and a title is short."""
_SENTENCE_CUT = re.compile(r".*[，,。；;：:》」\]）)]")
"""Everything up to the last punctuation: what stands before the body's name in a sentence."""
_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,30}}{_ORGAN}")
"""A body's name alone: Chinese characters ending in an organ (局, 委员会, 人民政府 …)."""
_INVISIBLE = re.compile("[\ufeff\u200b-\u200f\u2060]")


def _clean_agency(text: str) -> str | None:
    text = _LEADING.sub("", _SENTENCE_CUT.sub("", re.sub(r"[\s#*]+", "", _INVISIBLE.sub("", text))))
    return text if 2 <= len(text) <= 40 and re.search(r"[\u4e00-\u9fff]", text) else None


def _name_above(line: str) -> str | None:
    """The line above a title, if it is a body's name (a table row or a sentence moved there is not)."""
    name = _clean_agency(line)
    return name if name and _NAME.fullmatch(name) else None


def _field(value, confidence: float, flag: str | None, source: str | None) -> MetaField:
    return MetaField(value=value, confidence=confidence if value is not None else 0.0,
                     needs_review=value is None or confidence < REVIEW_BELOW,
                     flags=["missing"] if value is None else ([flag] if flag else []), source=source)


def read_metadata(title_lines: list[str], body: str) -> dict[str, MetaField]:
    """The year reported on and the issuing body, each with how sure it is and the text it came from."""
    lines = [fold_width(_INVISIBLE.sub("", line[:_MAX_TITLE])).strip() for line in title_lines if line.strip()]
    year = agency = None
    for k, line in enumerate(lines):
        if m := _TITLE.search(line):
            sentence = bool(_SENTENCE_CUT.match(m["agency"]))
            sure, flag = (FROM_SENTENCE, "from_sentence") if sentence else (TITLE_SURE, None)
            year = _field(int(m.group(2)), sure, flag, line)
            name = _clean_agency(m["agency"])
            if name and sentence and not _NAME.fullmatch(name):
                name = None  # the words before the year are not a body's name (我局认真贯彻落实《…)
            if name and not sentence and not _NAME.fullmatch(name):
                agency = _field(name, NOT_A_NAME, "not_a_name", line)
            elif name:
                agency = _field(name, sure, flag, line)
            elif k and (name := _name_above(lines[k - 1])):
                agency = _field(name, LINE_ABOVE, None, lines[k - 1])
            break
        m = _TITLE_NO_AGENCY.search(line)
        if m and len(line) < 60:
            year = _field(int(m.group(1)), TITLE_SURE, None, line)
            if k and (name := _name_above(lines[k - 1])):
                agency = _field(name, LINE_ABOVE, None, lines[k - 1])
            break
    text = fold_width(_INVISIBLE.sub("", body))
    if year is None:
        for line in text.splitlines()[:40]:
            if m := _FIRST_YEAR.search(line) or _TITLE_NO_AGENCY.search(line):
                year = _field(int(m.group(1)), FROM_BODY, "from_body", line[:80])
                break
    if agency is None:
        agency = _field(_most_named_agency(text), FROM_BODY, "from_body", None)
    return {"year": year or _field(None, 0.0, None, None), "agency": agency}

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
