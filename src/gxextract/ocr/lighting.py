"""Uneven light evened out before anything reads the page.

A page photographed under a lamp, or scanned with the spine of a bound report lifting it off the
glass, is lit unevenly: its paper goes from white to a dull grey across it. Every tone the reader
judges is then off where the shadow lies — the local threshold's step, the paper's tone against
which show-through, a grey seal and faint print are told — and a table's rules and digits in the
shadow read as something else (a rule's remnant beside a 0 read `10`).

The paper's light is found where the print is not: the page, shrunk, with its marks closed over
(a morphological closing) by a window wider than any character, a header's band or a seal's star
(`LIGHT_WINDOW`), and smoothed. A page whose paper varies more than `UNEVEN` grey levels is
divided by it, each channel by its own, so that its paper is as light everywhere as where it is
lightest (no pixel lit up more than `MOST_GAIN` times); any other page is left exactly as it is, and
so is one with something darker than a shadow round it.
"""

from __future__ import annotations

import cv2
import numpy as np

SHRINK = 8
"""The light is found on the page shrunk this many times: it varies over inches, not pixels."""
LIGHT_WINDOW = 0.08
"""The window that closes the print over, as a share of the page's shorter side: wider than a seal's
star (0.5 inch) or a header's grey band, which a narrower one would take for shadow."""
MOST_GAIN = 2.5
"""The most a pixel is lit up: paper in a shadow 60 % deep. What is darker still is no paper in
shadow but what lies around the page (a desk under a photographed sheet): lit up, its grain reads
as marks and its edge with the page blurs, so a page where a twentieth of the picture is that dark
is left as it is."""
UNEVEN = 24
"""Grey levels between the lightest and darkest paper (5th and 95th percentiles of the light) above
which a page is lit unevenly: a flatbed scan's paper varies by a few levels, a photo's shadow by 50
and more."""


def paper_light(img: np.ndarray) -> np.ndarray:
    """The light falling on the page's paper, on the page shrunk `SHRINK` times (one channel per
    channel of ``img``)."""
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, w // SHRINK), max(1, h // SHRINK)), interpolation=cv2.INTER_AREA)
    k = max(3, int(min(small.shape[:2]) * LIGHT_WINDOW) | 1)
    window = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    return cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, window), (0, 0), k / 2)


def evened(img: np.ndarray) -> np.ndarray:
    """``img`` (grey or RGB) with its paper's light made even, if it is lit unevenly; else itself."""
    light = paper_light(img).astype(np.float32)
    low, high = np.percentile(light if light.ndim == 2 else light.mean(axis=2), (5, 95))
    if high - low <= UNEVEN or low * MOST_GAIN < high:
        return img  # lit evenly, or dark beyond a shadow: something else than paper lies round the page
    top = np.percentile(light.reshape(-1, *light.shape[2:]), 95, axis=0)
    gain = np.minimum(top / np.maximum(light, 1.0), MOST_GAIN)
    full = cv2.resize(gain, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
    return (img * full).clip(0, 255).astype(np.uint8)
