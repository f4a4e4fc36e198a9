"""Batch extraction of whole collections: ``gxextract batch INPUT... --out DIR``.

Small modules, each named for what it does:

- ``discovery``  inputs (files, folders, list files) → documents keyed by content hash, and the
                 files left out with their reasons
- ``resume``     which documents a run does: those without a record, and what an interrupted
                 ``--force`` run left to redo
- ``worker``     the per-document task, the same for every executor
- ``executors``  where the task runs: a local process pool with time and memory limits, or Ray
- ``progress``   the progress bar and the summary table
- ``run``        ties them together (``run_batch``); ``command`` is the click command

The output folder (journals, atomic files, its lock, the tables) is `gxextract.outputs`.
"""

from .run import BatchOptions, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
