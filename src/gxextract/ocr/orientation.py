"""Which way up a page image is: the quarter turn (0, 90, 180 or 270 degrees) that makes its
text upright, decided before anything else reads the page, in a few tens of milliseconds.

    text lines        the page's ink, its ruling lines taken out, closed along one axis so that
                      the characters of a line join: lines of text come out as long thin strokes
                      along the axis the text runs (square CJK characters say nothing; their
                      lines do)
    sideways?         more length of text lines running vertically than horizontally
    upside down?      pieces of the longest lines, turned level, put to PP-OCR's text-direction
                      classifier (0° or 180°, shipped in the rapidocr wheel); their log-odds summed
                      (the first few alone where they are clear)

A page with too little text to decide is left as it is.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np

from .engines import onnx_session, wheel_model
from .images import components, ink_mask
from .rules import text_height

WORK_SIDE = 1000
"""The page is reduced until its short side is this many pixels: 10 pt print stays ≥ 12 px high at A4."""
WORK_LENGTH = 2800
"""Only this much of a long picture's length (its middle) is looked at: enough lines to decide."""
JOIN = 0.6
"""Gap closed between characters, in text heights: wider than the space between characters of a
line, narrower than the space between lines."""
MIN_LINE = 3.0
"""A text line is at least this many text heights long, and at most `MAX_THICK` thick."""
MAX_THICK = 1.8
RULE = 4.0
"""Straight ink longer than this many text heights is a ruling line, not text."""
SIDEWAYS = 2.0
"""Vertical text lines must outweigh horizontal ones this many times to turn the page a quarter."""
MIN_TEXT = 10.0
"""Less line length than this many text heights (both ways): too little text to tell."""
PIECES = 24
"""Line pieces put to the classifier (its input is 48 × 192: about four characters)."""
PIECE_RATIO = 4
UPSIDE_DOWN = 2.0
"""Summed log-odds (180° against 0°) above this turn the page over; a handful of clear pieces
give hundreds."""
FIRST_PIECES = 8
CLEAR_ODDS = 20.0
"""Summed log-odds of the first `FIRST_PIECES` pieces, either way, past which the rest are not asked:
on 124 scanned pages, upright, upside down and sideways, the first eight gave 58 at least, always the
verdict of all 24."""


class DirectionClassifier:
    """PP-OCR's text-line direction classifier (ch_ppocr_mobile_v2.0_cls) on onnxruntime."""

    SHAPE = (48, 192)

    def __init__(self) -> None:
        self._session = onnx_session(wheel_model("_cls_"))
        self._input = self._session.get_inputs()[0].name

    def upside_down(self, crops: list[np.ndarray]) -> np.ndarray:
        """log P(180°) − log P(0°) for each grey crop of a line of text."""
        h, w = self.SHAPE
        batch = np.zeros((len(crops), 3, h, w), np.float32)
        for i, c in enumerate(crops):
            cw = min(w, int(np.ceil(h * c.shape[1] / max(1, c.shape[0]))))
            batch[i, :, :, :cw] = (cv2.resize(c, (cw, h)).astype(np.float32) / 255 - 0.5) / 0.5
        p = self._session.run(None, {self._input: batch})[0]
        return np.log(p[:, 1] + 1e-6) - np.log(p[:, 0] + 1e-6)


_classifier: DirectionClassifier | None = None
_lock = threading.Lock()


def classifier() -> DirectionClassifier:
    global _classifier
    with _lock:
        if _classifier is None:
            _classifier = DirectionClassifier()
        return _classifier


def _work_image(gray: np.ndarray) -> np.ndarray:
    """The page reduced to `WORK_SIDE` and cut to `WORK_LENGTH` along its long side."""
    scale = min(1.0, WORK_SIDE / min(gray.shape[:2]))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    hh, ww = small.shape
    if hh > WORK_LENGTH:
        small = small[(hh - WORK_LENGTH) // 2:][:WORK_LENGTH]
    if ww > WORK_LENGTH:
        small = small[:, (ww - WORK_LENGTH) // 2:][:, :WORK_LENGTH]
    return np.ascontiguousarray(small)


def _text_ink(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Ink without its ruling lines, and the text height. A rule is straight ink `RULE` text heights
    long; on a page that leans, its rules lean too and no straight stroke finds them, but a piece of
    ink that long is no character either (a grid's rules hold together, a seal's ring too)."""
    ink = ink_mask(gray)
    h = text_height(ink)
    long = int(h * RULE)
    rules = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long))))
    text = cv2.subtract(ink, rules)
    _, labels, stats, _ = components(text)
    ruled = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= long
    ruled[0] = False
    if ruled.any():
        text[ruled[labels]] = 0
    return text, h


def joined_pieces(ink: np.ndarray, h: float) -> np.ndarray:
    """(x, y, width, height) of each piece of ink once characters closer than `JOIN` text heights
    along a line are joined."""
    k = max(3, int(h * JOIN))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    _, _, stats, _ = components(closed)
    return stats[1:, :4]


def text_lines(ink: np.ndarray, h: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the horizontal lines of text in a mask of text ink."""
    x, y, w, t = joined_pieces(ink, h).T
    keep = (w >= MIN_LINE * h) & (t <= MAX_THICK * h) & (t >= 0.5 * h)
    return [(int(a), int(b), int(a + c), int(b + d)) for a, b, c, d in zip(x[keep], y[keep], w[keep], t[keep])]


def _pieces(gray: np.ndarray, lines: list[tuple[int, int, int, int]], h: float) -> list[np.ndarray]:
    """Crops of about four characters from the longest lines."""
    pad = int(h * 0.2)
    out = []
    for x0, y0, x1, y1 in sorted(lines, key=lambda b: b[0] - b[2]):
        crop = gray[max(0, y0 - pad): y1 + pad, max(0, x0 - pad): x1 + pad]
        step = crop.shape[0] * PIECE_RATIO
        out += [crop[:, s: s + step] for s in range(0, crop.shape[1], step)
                if crop[:, s: s + step].shape[1] > crop.shape[0] * 1.5]
        if len(out) >= PIECES:
            break
    return out[:PIECES]


def quarter_turn(gray: np.ndarray) -> int:
    """Degrees counter-clockwise (as `np.rot90` turns) that make the page's text upright."""
    small = _work_image(gray)
    ink, h = _text_ink(small)
    across = text_lines(ink, h)
    down = text_lines(np.ascontiguousarray(np.rot90(ink)), h)
    length = sum(b[2] - b[0] for b in across)
    length_down = sum(b[2] - b[0] for b in down)
    if max(length, length_down) < MIN_TEXT * h:
        return 0
    turn, lines = 0, across
    if length_down > SIDEWAYS * length:
        turn, lines, small = 90, down, np.ascontiguousarray(np.rot90(small))
    pieces = _pieces(small, lines, h)
    if pieces and _upside_down(pieces):
        turn += 180
    return turn


def _upside_down(pieces: list[np.ndarray]) -> bool:
    """Whether the pieces' text is upside down: the first `FIRST_PIECES` decide when their verdict is
    clear, else all of them together."""
    odds = classifier().upside_down(pieces[:FIRST_PIECES]).sum()
    if abs(odds) < CLEAR_ODDS and len(pieces) > FIRST_PIECES:
        odds += classifier().upside_down(pieces[FIRST_PIECES:]).sum()
    return bool(odds > UPSIDE_DOWN)
