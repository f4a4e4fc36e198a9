"""Reading one cell's text as a value: counts, money, blanks and placeholders."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel

from .normalize import fold_width

UNITS = ("万元", "人次", "元", "件", "条", "次", "人", "篇", "个", "项", "家")
PLACEHOLDERS = {"—", "–", "-", "－", "/", "／", "无", "——", "--", "\\", "×", "x", "X"}

MAX_DIGITS = 300
"""A longer run of digits is no one number (int() refuses past 4300 digits, float() overflows past 308)."""
_UNIT_ALT = "|".join(UNITS)
_NUMBER = re.compile(
    rf"^(?P<sign>[+\-−])?(?P<num>[1-9]\d{{0,2}}(?:[,，]\d{{3}})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>{_UNIT_ALT})?[。.，,;；]?$"
)
_TRAILING_NUMBERS = re.compile(r"^(?P<label>.*?[^\d\s.,，+\-−])\s+(?P<nums>[+\-−]?\d[\d,，.]*(?:\s+[+\-−]?\d[\d,，.]*)*)\s*$")
_TRAILING_RUN = re.compile(rf"^(?P<label>.*[\u4e00-\u9fff）)”\"])(?P<run>\d+(?P<decimal>\.\d+)?(?:{_UNIT_ALT})?)$")

_RUN = re.compile(r"^[+\-−]?\d[\d,，]*(?:[+\-−]\d[\d,，]*)*$")

Kind = Literal["number", "blank", "placeholder", "unit", "text"]

LONE_GLYPHS = 2
"""A cell's text this short with no Chinese character in it is no label: a value misread as a letter
(a blurred 0 read as à, a seal's stroke over a digit read as f)."""


def whole(number: float) -> int | float:
    """``number`` as an int where it is whole (a count), else as it is."""
    return int(number) if float(number).is_integer() else number


def lone_glyphs(text: str) -> bool:
    """One or two glyphs and none of them Chinese: a digit's shape misread as a letter or a mark."""
    t = text.replace(" ", "")
    return 0 < len(t) <= LONE_GLYPHS and not any("\u4e00" <= c <= "\u9fff" for c in t)


class Value(BaseModel):
    """A parsed cell."""

    kind: Kind
    raw: str
    number: int | float | None = None
    unit: str | None = None
    separators: bool = False


def parse_value(text: str) -> Value:
    raw = text
    t = fold_width(text).strip()
    if not t:
        return Value(kind="blank", raw=raw)
    if t in PLACEHOLDERS:
        return Value(kind="placeholder", raw=raw)
    if t in UNITS:
        return Value(kind="unit", raw=raw, unit=t)
    m = _NUMBER.match(t)
    if not m:
        return Value(kind="text", raw=raw)
    digits = m["num"].replace(",", "").replace("，", "")
    if len(digits) > MAX_DIGITS or len(m["frac"] or "") > MAX_DIGITS:
        return Value(kind="text", raw=raw)
    sign = -1 if m["sign"] in ("-", "−") else 1
    if m["frac"] is not None:
        try:
            number: int | float = sign * float(Decimal(f"{digits}.{m['frac']}"))
        except InvalidOperation:
            return Value(kind="text", raw=raw)
    else:
        number = sign * int(digits)
    return Value(kind="number", raw=raw, number=number, unit=m["unit"], separators=digits != m["num"])


def split_trailing_numbers(text: str) -> tuple[str, list[str]] | None:
    """``'1.属于国家秘密 0 0 1'`` → ``('1.属于国家秘密', ['0', '0', '1'])``."""
    t = fold_width(text).strip()
    m = _TRAILING_NUMBERS.match(t)
    if not m or not re.search(r"[\u4e00-\u9fff]", m["label"]):
        return None
    return m["label"].strip(), m["nums"].split()


def split_trailing_run(text: str) -> tuple[str, str] | None:
    """``'（七）总计630020469'`` → ``('（七）总计', '630020469')``: a label glued to its number(s)."""
    t = fold_width(text).strip()
    m = _TRAILING_RUN.match(t)
    if not m or len(re.findall(r"[\u4e00-\u9fff]", m["label"])) < 2 or m["label"].endswith(("第", "年", "月")):
        return None
    return m["label"], m["run"]


def is_run(text: str) -> bool:
    """``'2648-18538'``, ``'1,4881560011,510'``: a row's numbers run together, which no one number
    reads (a sign or a thousands separator out of place)."""
    t = fold_width(text).strip()
    return bool(_RUN.match(t)) and (parse_value(t).kind != "number" or bool(re.search(r"\d[+\-−]", t)))
