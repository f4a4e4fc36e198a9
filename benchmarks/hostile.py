"""Hostile inputs, each run by ``gxextract extract`` in a child process: outcome, time, peak memory.

    python -m benchmarks.hostile                    # this checkout
    python -m benchmarks.hostile --src OTHER/src    # another checkout's code on the same inputs (before/after)

The inputs are generated (`benchmarks.make_bad_fixtures`), into a temporary folder: the large
ones are not committed. Every case must end in a report or a one-line typed error within
``BOUND_SECONDS`` and ``BOUND_MB``; the child's address space is capped at
``--cap-mb`` so that a reader that decodes everything up front fails here instead of taking the
machine down.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.make_bad_fixtures import blank_pages_pdf, docx_bomb, frames_tiff, long_table_html

BOUND_SECONDS = 60.0
BOUND_MB = 2048

CASES = {
    "docx_bomb.docx": ("DOCX whose XML unpacks to 1.1 GB", lambda: docx_bomb(1100 << 20)),
    "frames.tif": ("TIFF of 300 frames 10000 x 10000, 1-bit", frames_tiff),
    "blank_pages.pdf": ("PDF of 60 blank 31-inch pages", blank_pages_pdf),
    "blank_pages_5.pdf": ("PDF of 5 blank 31-inch pages (read, page by page)", lambda: blank_pages_pdf(5)),
    "long_table.html": ("HTML of one table of 550k rows (50 MB)", long_table_html),
}


def run(path: Path, src: Path | None, cap_mb: int, timeout: float) -> tuple[str, float, float]:
    """(the outcome's line, seconds, peak resident MB) of ``gxextract extract path`` in a child."""
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None

    def cap() -> None:  # pragma: no cover - in the child
        resource.setrlimit(resource.RLIMIT_AS, (cap_mb << 20, cap_mb << 20))

    with tempfile.TemporaryFile("w+") as out:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "gxextract", "extract", str(path)], stdout=out,
                                stderr=subprocess.STDOUT, text=True, env=env, preexec_fn=cap)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line.strip()]
    if proc.returncode == -9:
        outcome = f"killed after {timeout:g} s"
    elif proc.returncode == 0:
        outcome = "a report: " + (lines[0] if lines else "")
    else:
        outcome = next((line for line in lines if line.startswith("error (")), lines[-1] if lines else "")
    return outcome[:140], seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, help="the src folder of another checkout to run instead of this one")
    ap.add_argument("--cap-mb", type=int, default=6144, help="address space of the child (default 6 GiB)")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--only", nargs="*", help="case file names to run")
    args = ap.parse_args(argv)
    print(f"{'case':45} {'seconds':>8} {'peak MB':>8}  within  outcome")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, (what, make) in CASES.items():
            if args.only and name not in args.only:
                continue
            path = Path(tmp) / name
            path.write_bytes(make())
            outcome, seconds, peak = run(path, args.src, args.cap_mb, args.timeout)
            within = seconds <= BOUND_SECONDS and peak <= BOUND_MB and outcome.startswith(("error (", "a report"))
            ok &= within
            print(f"{what:45} {seconds:8.1f} {peak:8.0f}  {'yes' if within else 'NO':6}  {outcome}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
