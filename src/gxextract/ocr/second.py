"""A second reading of the cells the first recognizer is unsure of, by an independent one.

Cells read below the review threshold (a seal across them, a faint or broken digit) are read
again by the other engine (PaddleOCR's models when the default is rapidocr's, and the reverse),
when it is installed and asked for (``GXEXTRACT_OCR_SECOND=1``). Two independent readings that agree make the cell as sure as
`AGREED`: just under the review threshold, so that the relations of the form decide — a field
whose relations hold is accepted, one that nothing confirms stays flagged. Readings that differ
leave the cell as unsure as it was, with the other reading as its alternative.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ..confidence import AGREED, REVIEW_BELOW
from .cells import CellText, cell_reading
from .engines import Engine


def reread(texts: dict[Hashable, CellText], crops: dict[Hashable, list[np.ndarray]],
           seals: dict[Hashable, list[float]], engine: Engine) -> int:
    """Read the unsure cells of ``texts`` again with ``engine`` (in place); how many were."""
    unsure = [k for k, ct in texts.items() if ct.score < REVIEW_BELOW and crops.get(k)]
    recs = iter(engine.recognize([c for k in unsure for c in crops[k]]) if unsure else [])
    for k in unsure:
        other = cell_reading([next(recs) for _ in crops[k]], seals[k])
        first = texts[k]
        if other.text.replace(" ", "") == first.text.replace(" ", "") and first.text.strip():
            first.score = max(first.score, AGREED)
        elif first.alternative is None:
            first.alternative = other.text
    return len(unsure)
