"""Batch throughput: documents per minute, and the batch's overhead over plain `extract` calls.

    .venv/bin/python -m benchmarks.batch                  # fixtures/corpus, else the seeds replicated
    .venv/bin/python -m benchmarks.batch --corpus DIR --no-ray
    .venv/bin/python -m benchmarks.batch --seeds --copies 200   # seeds replicated 200 times

Measures, on the same documents:

- ``extract`` one after another in this process (warmed up): the sum of single calls;
- ``gxextract batch`` with 1 and 2 local workers, and on a local Ray instance (2 CPUs),
  each into a fresh output folder, timed whole: discovery and hashing, worker start,
  journals, and the final tables (Parquet, CSV, JSON files).

The overhead of the batch is its 1-worker wall time over the sum of single calls (target
< 10 %). Numbers on a shared machine are noisy: ``--repeat`` takes the best of several runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
CORPUS = ROOT / "fixtures" / "corpus"


def replicate_seeds(folder: Path, copies: int) -> Path:
    """``copies`` distinct documents made from the seed reports (a numbered note appended)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(copies):
        seed = seeds[i % len(seeds)]
        (folder / f"{i:04d}_{seed.name}").write_bytes(
            seed.read_bytes() + f"\n附注：本报告副本编号 {i}。\n".encode("utf-8"))
    return folder


def serial_seconds(paths: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``extract`` on each path, one after another in this process."""
    from gxextract import extract
    from gxextract.errors import GxError

    def one(p: str) -> None:
        try:
            extract(p)
        except GxError:
            pass

    one(paths[0])  # warm up: imports, caches
    start, cpu = time.perf_counter(), time.process_time()
    for p in paths:
        one(p)
    return time.perf_counter() - start, time.process_time() - cpu


def batch_seconds(inputs: str, executor: str, workers: int) -> tuple[float, int, float, float]:
    """(wall seconds, documents, CPU seconds of the batch, seconds to start Ray).

    The batch's CPU is this process's (scan, journals, tables) plus the workers' CPU inside
    their extract calls: unlike wall time, it barely moves when other work shares the machine."""
    from gxextract.batch import BatchOptions, run_batch

    out = Path(tempfile.mkdtemp(prefix="gxbench-"))
    ray_start = 0.0
    try:
        if executor == "ray":  # started apart, to tell its one-off cost from the per-document work
            import logging

            import ray

            t = time.perf_counter()
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
            ray_start = time.perf_counter() - t
        start, cpu = time.perf_counter(), time.process_time()
        summary = run_batch(BatchOptions(inputs=[inputs], out=out, workers=workers, executor=executor,
                                         quiet=True))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return wall, summary.processed, cpu + summary.extract_cpu, ray_start
    finally:
        if executor == "ray":
            import ray

            ray.shutdown()
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="folder of documents (default: fixtures/corpus, else seeds)")
    ap.add_argument("--copies", type=int, default=100, help="documents made from the seeds when there is no corpus")
    ap.add_argument("--seeds", action="store_true", help="the seeds replicated, even if fixtures/corpus exists")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each mode; the best counts")
    ap.add_argument("--no-ray", action="store_true", help="leave out the Ray executor")
    args = ap.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from gxextract.batch.discovery import discover

    tmp = Path(tempfile.mkdtemp(prefix="gxbench-corpus-"))
    try:
        if args.corpus:
            corpus, label = args.corpus, str(args.corpus)
        elif not args.seeds and CORPUS.is_dir() and any(CORPUS.rglob("*")):
            corpus, label = CORPUS, "fixtures/corpus"
        else:
            corpus, label = replicate_seeds(tmp / "seeds", args.copies), f"seeds x {args.copies}"
        # the documents, less truth files; fixed in a list so that every mode gets the same set
        paths = [d.path for d in discover([str(corpus)]).documents
                 if "truth" not in Path(d.path).parts and Path(d.path).name != "manifest.json"]
        n = len(paths)
        if not n:
            raise SystemExit(f"{corpus}: no documents")
        listing = tmp / "documents.lst"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")

        modes = [("local", 1), ("local", 2)]
        if not args.no_ray:
            try:
                import ray  # noqa: F401

                modes.append(("ray", 2))
            except ImportError:
                print("Ray is not installed (pip install -e '.[ray]'): left out")
        serial_runs, runs = [], {m: [] for m in modes}
        for _ in range(args.repeat):  # interleaved, so that a busy spell hits every mode alike
            serial_runs.append(serial_seconds(paths))
            print(f"extract() one by one: {serial_runs[-1][0]:.1f} s", file=sys.stderr)
            for executor, workers in modes:
                runs[(executor, workers)].append(batch_seconds(f"@{listing}", executor, workers))
                print(f"batch {executor} x{workers}: {runs[(executor, workers)][-1][0]:.1f} s", file=sys.stderr)
        serial, serial_cpu = min(serial_runs)
        results = []
        for (executor, workers), mode_runs in runs.items():
            seconds, processed, cpu, ray_start = min(mode_runs)
            assert processed == n, (executor, workers, processed, n)
            results.append((executor, workers, seconds, min(r[2] for r in mode_runs), ray_start))

        table = Table(title=f"gxextract batch: {n} documents ({label})")
        for col in ("mode", "workers", "wall s", "docs/min", "wall / sum of extract", "CPU s", "CPU / sum of extract"):
            table.add_column(col, justify="left" if col == "mode" else "right")
        table.add_row("extract() one by one", "1", f"{serial:.2f}", f"{n / serial * 60:.0f}", "1.00",
                      f"{serial_cpu:.2f}", "1.00")
        for executor, workers, seconds, cpu, ray_start in results:
            ratio, cpu_ratio = seconds / serial, cpu / serial_cpu
            note, cpu_note = f"{ratio:.2f}", f"{cpu_ratio:.2f}"
            if executor == "local" and workers == 1:
                note += f" ({100 * (ratio - 1):+.1f} %)"
                cpu_note += f" ({100 * (cpu_ratio - 1):+.1f} %)"
            mode = f"batch --executor {executor}"
            if ray_start:
                mode += f" (+{ray_start:.1f} s to start Ray)"
            table.add_row(mode, str(workers), f"{seconds:.2f}", f"{n / seconds * 60:.0f}", note, f"{cpu:.2f}", cpu_note)
        Console(width=150).print(table)
        print("overhead of the batch = its 1-worker time over the sum of extract calls, less 1 (target < 10 %); "
              "CPU counts this process and the workers' extract calls (not worker start-up)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
