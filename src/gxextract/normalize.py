"""Text normalisation shared by readers and the aligner."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

MISREAD_GLYPHS = str.maketrans({"末": "未", "童": "章", "堂": "章"})
"""Glyphs a recognizer reads in place of a form's own and that no label of a form holds, folded
into the form's glyph before labels are compared (尚末审结 is 尚未审结: a scan's 未 whose short upper
stroke reads long; 规童 and 规堂 are 规章: a black-and-white page's 章, its strokes thickened).
Measured on 40 scans of the corpus, JPEG and one bit a pixel, and on 48 black-and-white pages stored
as grey JPEGs; a test keeps every glyph folded out of the forms' labels."""

# Numbering in front of a label: 一、 （三） (3) 1. 1、 1． 第二十条第（一）项 is kept.
_NUMBERING = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．](?!\d))\s*"
)
_INNER_NUMBERING = re.compile(r"(?<=[\u4e00-\u9fff])\s*(?:\d{1,2}|[（(]\s*[一二三四五六七八九十]+\s*[)）])\s*[、.．]?(?=[\u4e00-\u9fff])")
_PUNCT = re.compile(r"[\s\u3000，,、。；;：:“”\"'‘’()（）《》〈〉【】\[\]/／|｜·•*#_—\-－~～]+")


def fold_width(text: str) -> str:
    """Full-width ASCII (digits, letters, punctuation) to half-width; NFKC otherwise."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def simplify(text: str) -> str:
    """Traditional to simplified characters (貴陽 → 贵阳)."""
    try:
        return _T2S.convert(text)
    except UnicodeEncodeError:  # lone surrogates from a damaged text layer
        return _T2S.convert(text.encode("utf-8", "replace").decode("utf-8"))


def strip_numbering(text: str) -> str:
    prev = None
    while prev != text:
        prev, text = text, _NUMBERING.sub("", text, count=1)
    return text


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The form labels are compared in: simplified, half-width, no numbering or punctuation."""
    text = simplify(fold_width(text)).translate(MISREAD_GLYPHS)
    text = _INNER_NUMBERING.sub("", strip_numbering(text))
    return _PUNCT.sub("", text)
