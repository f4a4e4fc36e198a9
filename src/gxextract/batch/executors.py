"""Where the per-document task (`worker.process_document`) runs.

`LocalExecutor` keeps N worker processes of its own (one per core by default). Each
worker takes one document at a time, so the parent always knows which document a
worker holds, and:

- a document over the **time limit** gets its worker killed (SIGKILL) and is recorded as
  ``timeout``; a fresh worker takes its place;
- a worker **over its memory limit** (``RLIMIT_AS``, set in the worker) gets MemoryError,
  records ``out_of_memory`` and is replaced;
- a worker that **dies** (segfault, abort, the kernel's OOM killer) is recorded as
  ``crashed`` with its exit signal, and replaced;
- workers also leave if the batch process dies (kill -9), so none are orphaned.

Workers start from a fork server that has imported gxextract and its readers once, so
starting or replacing one is cheap.

`RayExecutor` sends the same task to a Ray cluster (or a local Ray instance): one task
per document, no retries, at most one task per CPU in flight; Ray's own errors are mapped
to the same codes (``out_of_memory`` from Ray's memory monitor, ``crashed`` for a dead
worker, ``timeout`` for a task we cancelled). When the cluster itself goes away (its local
raylet, a node, its control plane) the run stops with `ExecutorLost`: no document is
blamed, and those not finished stay to do.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait as mp_wait

from .worker import DEFAULT_EXTRACTOR, Outcome, failed, worker_main

log = logging.getLogger(__name__)


class ExecutorLost(Exception):
    """Where the documents run went away: the documents not finished are not recorded."""


def preload_modules(extractor: str) -> list[str]:
    """What the fork server imports once for every worker: gxextract, its readers, the extractor."""
    modules = ["gxextract.batch.worker", "gxextract"]
    try:
        from ..readers import READERS

        modules += [f"gxextract.readers.{m}" for m in dict.fromkeys(READERS.values())]
    except Exception:  # noqa: BLE001 - a preload is an optimisation only
        pass
    return modules + [extractor.partition(":")[0]]


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit code"
    if exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


def crash_outcome(task: dict, exitcode: int | None, seconds: float) -> Outcome:
    how = _signal_name(exitcode)
    hint = " (killed, most likely by the system's out-of-memory killer)" if exitcode == -signal.SIGKILL else ""
    return failed(task, "crashed", f"the worker process died while extracting this document: {how}{hint}",
                  seconds)


def _watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    """In a worker: leave when the batch process is gone (it was killed, nothing will read us)."""
    start_ppid = os.getppid()
    while True:
        time.sleep(interval)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        if os.getppid() != start_ppid:
            os._exit(1)


def _worker_entry(conn, memory_limit: int | None, extractor: str, parent_pid: int) -> None:
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    worker_main(conn, memory_limit, extractor)


class _Slot:
    """One worker process and the document it holds."""

    def __init__(self, ctx, memory_limit: int | None, extractor: str):
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_entry, args=(child_end, memory_limit, extractor, os.getpid()),
                                name="gxextract-batch-worker")
        self.proc.start()
        child_end.close()
        self.conn = parent_end
        self.task: dict | None = None
        self.started = 0.0
        self.done = 0

    def assign(self, task: dict) -> None:
        self.conn.send(task)
        self.task = task
        self.started = time.monotonic()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=10)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(timeout=2)
        self.kill()


class LocalExecutor:
    """A pool of worker processes on this machine (see the module doc)."""

    name = "local"

    def __init__(self, workers: int | None = None, timeout: float | None = None,
                 memory_limit: int | None = None, extractor: str = DEFAULT_EXTRACTOR,
                 max_tasks_per_worker: int = 500, start_method: str = "forkserver"):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout or None
        self.memory_limit = memory_limit or None
        self.extractor = extractor
        self.max_tasks_per_worker = max_tasks_per_worker
        self.ctx = mp.get_context(start_method)
        if start_method == "forkserver":
            self.ctx.set_forkserver_preload(preload_modules(extractor))

    def prepare(self) -> None:
        """Start the fork server now (it imports gxextract while the batch scans its inputs).

        Native thread pools (OpenMP, OpenBLAS, MKL) get the cores shared among the workers
        unless the environment already says otherwise: N workers each using every core
        would only fight over them."""
        if self.ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            threads = str(max(1, (os.cpu_count() or 1) // self.workers))
            unset = [v for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
                     if v not in os.environ]
            os.environ.update({v: threads for v in unset})  # seen by the fork server it starts…
            try:
                forkserver.ensure_running()
            finally:
                for v in unset:  # …and not by the rest of this process
                    os.environ.pop(v, None)

    def _slot(self) -> _Slot:
        return _Slot(self.ctx, self.memory_limit, self.extractor)

    def map(self, tasks: Iterable[dict]) -> Iterator[Outcome]:
        """Outcomes in the order they finish; every task gives exactly one."""
        pending = deque(tasks)
        slots: list[_Slot] = [self._slot() for _ in range(min(self.workers, len(pending)))]
        try:
            while pending or any(s.task is not None for s in slots):
                for i, s in enumerate(slots):
                    if s.task is None and pending:
                        task = pending.popleft()
                        try:
                            s.assign(task)
                        except (BrokenPipeError, OSError):  # died while idle: replace, try again
                            s.kill()
                            slots[i] = self._slot()
                            pending.appendleft(task)
                busy = [s for s in slots if s.task is not None]
                if not busy:
                    continue
                wait_for = None
                if self.timeout:
                    wait_for = max(0.0, min(s.started + self.timeout for s in busy) - time.monotonic())
                ready = set(mp_wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for))
                now = time.monotonic()
                for i, s in enumerate(slots):
                    if s.task is None:
                        continue
                    outcome, replace = None, False
                    if s.conn in ready or s.proc.sentinel in ready:
                        try:
                            if s.conn.poll():
                                outcome = s.conn.recv()
                        except (EOFError, OSError, Exception):  # noqa: BLE001 - a torn message is a crash
                            outcome = None
                        if outcome is None:
                            s.proc.join(timeout=5)
                            outcome = crash_outcome(s.task, s.proc.exitcode, now - s.started)
                            replace = True
                        elif outcome.fatal:
                            replace = True
                    elif self.timeout and now - s.started >= self.timeout:
                        s.kill()
                        outcome = failed(s.task, "timeout",
                                         f"extraction took longer than the limit of {self.timeout:g} s",
                                         now - s.started)
                        replace = True
                    if outcome is None:
                        continue
                    s.task = None
                    s.done += 1
                    if replace or (self.max_tasks_per_worker and s.done >= self.max_tasks_per_worker):
                        s.stop()
                        slots[i] = self._slot()
                    yield outcome
        finally:
            for s in slots:
                if s.task is not None:
                    s.kill()
                else:
                    s.stop()


class RayExecutor:
    """The same task on Ray: ``address`` of a running cluster, or a local instance."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None, timeout: float | None = None,
                 extractor: str = DEFAULT_EXTRACTOR, init_kwargs: dict | None = None):
        self.address = address
        self.num_cpus = num_cpus
        self.timeout = timeout or None
        self.extractor = extractor
        self.init_kwargs = init_kwargs or {}

    def prepare(self) -> None:
        pass

    def _init(self) -> bool:
        try:
            import ray
        except ImportError:
            from ..errors import MissingDependency

            raise MissingDependency("--executor ray needs Ray: pip install 'gxextract[ray]'") from None
        if ray.is_initialized():
            return False
        kwargs = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING,
                  **self.init_kwargs}
        if self.address:
            ray.init(address=self.address, **kwargs)
        else:
            ray.init(num_cpus=self.num_cpus, **kwargs)
        return True

    def map(self, tasks: Iterable[dict]) -> Iterator[Outcome]:
        import ray
        from ray import exceptions as rex

        from .worker import process_document

        pending = deque(tasks)
        if not pending:
            return
        started_here = self._init()
        remote = ray.remote(num_cpus=1, max_retries=0)(process_document)
        slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
        inflight: dict = {}
        lost = (rex.LocalRayletDiedError, rex.NodeDiedError, rex.RaySystemError)
        try:
            while pending or inflight:
                while pending and len(inflight) < slots:
                    task = pending.popleft()
                    inflight[remote.remote(task, self.extractor)] = (task, time.monotonic())
                wait_for = None
                if self.timeout:
                    wait_for = max(0.0, min(st for _, st in inflight.values()) + self.timeout - time.monotonic())
                ready, _ = ray.wait(list(inflight), num_returns=1, timeout=wait_for)
                now = time.monotonic()
                for ref in ready:
                    task, st = inflight[ref]
                    try:
                        outcome = ray.get(ref)
                    except rex.OutOfMemoryError as exc:
                        outcome = failed(task, "out_of_memory", f"Ray's memory monitor killed the task: {exc}"[:2000],
                                         now - st)
                    except lost:
                        raise
                    except rex.WorkerCrashedError as exc:
                        outcome = failed(task, "crashed", f"the Ray worker died: {type(exc).__name__}", now - st)
                    except rex.TaskCancelledError:
                        outcome = failed(task, "timeout", "the task was cancelled", now - st)
                    except rex.RayError as exc:
                        outcome = failed(task, "crashed", f"{type(exc).__name__}: {exc}"[:2000], now - st)
                    del inflight[ref]
                    yield outcome
                if self.timeout:
                    for ref, (task, st) in list(inflight.items()):
                        if now - st >= self.timeout:
                            ray.cancel(ref, force=True)
                            del inflight[ref]
                            yield failed(task, "timeout",
                                         f"extraction took longer than the limit of {self.timeout:g} s", now - st)
        except lost as exc:
            raise ExecutorLost(f"the Ray cluster went away ({type(exc).__name__}) with {len(inflight) + len(pending)} "
                               "documents not finished: they are not recorded; run the same command again to do "
                               "them") from None
        finally:
            for ref in inflight:
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # noqa: BLE001 - best effort on the way out
                    pass
            if started_here:
                ray.shutdown()
