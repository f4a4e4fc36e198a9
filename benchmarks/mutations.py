"""The fuzzer's mutations for values printed twice, units and metadata (benchmarks/fuzz.py runs them).

- ``repeat_row``: a table row printed again just before or after itself with other numbers (a
  duplicated ``<tr>``, ``行政强制 66`` then ``行政强制 65``); the truth is unchanged, and since the
  changed copy comes first or last at random, neither first-wins nor last-wins passes.
- ``append_copy`` (with `section_block`): a whole section (last year's 二 left at the end) or any
  block printed again at the end with other numbers.
- ``append_report``: another report's text after this one (two reports in one file): either
  ``SeveralReports`` is raised, or this report's fields have no silent error.
- ``unit``: a money amount printed in the other unit, in its cell (``764.41`` under 万元 →
  ``7644100元``, ``223000.00元`` → ``22.3万元``) or in its column header (``（单位：元）`` over
  ``7644100``): the amount is unchanged, so it must come out in the form's unit or be flagged.
- ``meta``: the title line with a byte-order mark before it, inside a sentence of boilerplate
  (``根据《…条例》要求,现公布…``), or without its year: the year and the issuing body are the
  same, so they must be read right or be flagged.
"""

from __future__ import annotations

import re
from decimal import Decimal

SECTION_HEADING = re.compile(
    r"[二三四五][、.．]\s*(?:主动公开|主動公開|收到和处理|收到和處理|政府信息公开行政|政府信息公開行政|存在的主要)")
"""The headings of sections 二 to 五, where a section printed again begins and ends."""
_YEAR_IN_TITLE = re.compile(r"(?:20[0-3]\d|19[89]\d)\s*年\s*度?")
_TITLE = re.compile(r"年度(?:报告|報告)")
_MONEY_HEADER = re.compile(r"[(（]\s*(?:单位|單位)?\s*[:：]?\s*(万元|萬元)\s*[)）]")
_BOILERPLATE = "根据《中华人民共和国政府信息公开条例》要求,现公布"
_SCALE = {"元": Decimal(1), "万元": Decimal(10000)}
_FULL = str.maketrans("０１２３４５６７８９．", "0123456789.")


def shifted(text: str, by: int) -> str:
    """Every digit moved on by ``by`` (mod 10): the same row or block with other numbers."""
    return re.sub(r"\d", lambda m: str((int(m.group()) + by) % 10), text)


def section_block(lines: list[str], pick: int) -> list[str] | None:
    """One whole section (from its heading to the next), picked by ``pick``; None without headings."""
    heads = [k for k, line in enumerate(lines) if SECTION_HEADING.search(line)]
    spans = [(a, b) for a, b in zip(heads, heads[1:] + [len(lines)]) if b - a > 2]
    if not spans:
        return None
    a, b = spans[pick % len(spans)]
    return lines[a:b]


def row_span(lines: list[str], k: int, tokens) -> tuple[int, int]:
    """The lines of the table row at line ``k``: the line itself, and in a cell-per-line stream the
    lines of bare numbers after a label line."""
    end = k + 1
    if not tokens(lines[k]):
        while end < len(lines) and tokens(lines[end]) and not re.search(r"[\u4e00-\u9fff]", lines[end]):
            end += 1
    return k, end


def repeat_row(lines: list[str], a: int, b: int, tokens) -> tuple[int, list[str]] | None:
    """Where to insert a copy of a row with other numbers, and the copy."""
    rows = [k for k, line in enumerate(lines)
            if re.search(r"[\u4e00-\u9fff]", line) and (tokens(line) or row_span(lines, k, tokens)[1] > k + 1)]
    if not rows:
        return None
    start, end = row_span(lines, rows[a % len(rows)], tokens)
    # the row only: not the end of the table or page that an HTML line may close with
    copy = [_shift_tokens(re.sub(r"</table>.*$", "", line), 1 + b % 9, tokens) for line in lines[start:end]]
    if copy == lines[start:end]:
        return None
    return (start if (a >> 3) % 2 else end), copy


def _shift_tokens(line: str, by: int, tokens) -> str:
    """The line with the digits of its value tokens moved on (labels' numbering kept)."""
    out, last = [], 0
    for m in tokens(line):
        out += [line[last:m.start("num")], shifted(m["num"], by)]
        last = m.end("num")
    return "".join(out) + line[last:]


def money_tokens(lines: list[str], tokens) -> list[tuple[int, object, str, bool]]:
    """Amounts whose unit is printed: (line, token, unit, under a header): a token ending in its unit,
    or the first number under a column header that names 万元."""
    found = [(k, m, m["unit"], False) for k, line in enumerate(lines) for m in tokens(line) if m["unit"]]
    for h, line in enumerate(lines):
        if _MONEY_HEADER.search(line):
            nxt = next((k for k in range(h + 1, min(h + 5, len(lines))) if tokens(lines[k])), None)
            m = tokens(lines[nxt])[0] if nxt is not None else None
            if m is not None and not m["unit"]:  # a unit of its own is the cell's, found above
                found.append((nxt, m, "万元", True))
    return found


def rescale(lines: list[str], a: int, b: int, tokens) -> tuple[float, float] | None:
    """Print one amount in the other money unit, in its cell or in its header: the number printed
    before and after (one amount: a later move of the new number moves the old one); None if none."""
    money = money_tokens(lines, tokens)
    if not money:
        return None
    k, m, unit, headed = money[a % len(money)]
    amount = Decimal(re.sub(r"[,，]", "", m["num"]).translate(_FULL)) * _SCALE[unit]
    other = "元" if unit == "万元" else "万元"
    number = format((amount / _SCALE[other]).normalize(), "f")
    line = lines[k]
    if headed and b % 2:  # the header names the other unit, the cell a bare number
        h = max(x for x in range(max(0, k - 4), k + 1) if _MONEY_HEADER.search(lines[x]))
        lines[k] = line[: m.start()] + number + line[m.end():]
        lines[h] = _MONEY_HEADER.sub(f"（单位：{other}）", lines[h], count=1)
    else:
        lines[k] = line[: m.start()] + number + other + line[m.end():]
    return float(amount / _SCALE[unit]), float(number)


def title_span(lines: list[str]) -> tuple[int, int] | None:
    """The title: the first line naming a year's report, with the body's name on the line above when the
    title line names only the year."""
    for k, line in enumerate(lines[:12]):
        if _TITLE.search(line) and _YEAR_IN_TITLE.search(line) and not line.startswith(("根据", "根據")):
            if _YEAR_IN_TITLE.match(re.sub(r"^(?:<h\d[^>]*>|#+\s*)", "", line)):  # the year first: the name above
                above = max((a for a in range(k) if lines[a].strip()), default=k)
                return above, k + 1
            return k, k + 1
    return None


def retitle(lines: list[str], span: tuple[int, int], how: int) -> None:
    """The title with a byte-order mark before it, in a sentence of boilerplate, or without its year."""
    k = span[1] - 1 if how else span[0]
    line = lines[k]
    text_at = re.match(r"(?:<h\d[^>]*>|#+\s*)?", line).end()
    if how == 0:
        lines[k] = line[:text_at] + "\ufeff" + line[text_at:]
    elif how == 1:
        lines[k] = line[:text_at] + _BOILERPLATE + line[text_at:]
    else:
        lines[k] = _YEAR_IN_TITLE.sub("", line, count=1)
