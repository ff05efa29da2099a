"""Where batches run: serially, on a local process pool, or on a Dask cluster.

All three give a `concurrent.futures`-style ``submit`` returning a ``concurrent.futures.Future``,
so the study loop is the same everywhere. Results do not depend on the executor because
each row carries its own seed (see `runs.row_seed`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from analysis.errors import SensitivityError


class SerialExecutor(cf.Executor):
    """Runs each task when it is submitted; the study loop submits one at a time."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - delivered through the future
            future.set_exception(exc)
        return future


NO_WORKER_SECONDS = 60.0
"""A Dask study stops with "no workers" after this long without a live worker."""


@dataclass
class RunExecutor:
    """An executor plus what the study loop needs to know about it.

    ``health`` (Dask only) raises a SensitivityError naming the problem when the cluster can no
    longer run anything: no worker for NO_WORKER_SECONDS, or the scheduler lost.
    """

    executor: cf.Executor
    name: str
    workers: int
    health: Callable[[], None] | None = None

    def check(self) -> None:
        if self.health is not None:
            self.health()

    def submit(self, fn, *args) -> cf.Future:
        return self.executor.submit(fn, *args)


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def watch_parent(pid: int, interval: float = 1.0) -> None:
    """Pool-worker initializer: end this worker when the study's process ``pid`` is gone.

    Workers are children of the forkserver, not of the study, so a ``kill -9`` of the study
    would leave them computing for nothing. A daemon thread checks every ``interval`` seconds
    and exits the worker at once when ``pid`` no longer exists.
    """
    import threading

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(1)

    threading.Thread(target=watch, name="rtwsim-parent-watch", daemon=True).start()


def _start_method() -> str:
    # forkserver: workers start clean (no threads inherited from tqdm/duckdb in the parent),
    # and pay the imports once per worker, not once per task.
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


@contextmanager
def open_executor(jobs: int | None = None, scheduler: str | None = None,
                  preload: tuple[str, ...] = ()) -> Iterator[RunExecutor]:
    """Serial for jobs=1, a process pool for jobs>1 (default all cores), Dask for `scheduler`.

    `preload` names modules the forkserver imports once, so pool workers start with the
    model already imported instead of each paying a second or two of imports.
    """
    if scheduler is not None:
        if jobs is not None:
            raise SensitivityError("give either --jobs or --scheduler, not both")
        with _dask_executor(scheduler) as ex:
            yield ex
        return
    jobs = default_jobs() if jobs is None else jobs
    if not 1 <= jobs <= 4 * default_jobs():
        raise SensitivityError(f"--jobs must be from 1 to {4 * default_jobs()} (four processes per available "
                               f"core), got {jobs}")
    if jobs == 1:
        yield RunExecutor(SerialExecutor(), "serial", 1)
        return
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver" and preload:
        context.set_forkserver_preload(list(preload))
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=watch_parent,
                                  initargs=(os.getpid(),))
    try:
        yield RunExecutor(pool, f"process pool ({jobs} workers)", jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask_executor(address: str) -> Iterator[RunExecutor]:
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise SensitivityError(f"cannot reach the Dask scheduler at {address}: {exc}. Start one "
                               "with `dask scheduler` and workers with `dask worker "
                               f"{address}`") from None
    try:
        threads = sum(client.nthreads().values())
        if threads == 0:
            raise SensitivityError(f"the Dask scheduler at {address} has no workers; start one "
                                   f"with `dask worker {address} --nthreads 1`")
        yield RunExecutor(client.get_executor(pure=False), f"dask ({address}, {threads} threads)",
                          threads, _dask_health(client, address))
    finally:
        client.close()


def _dask_health(client, address: str) -> Callable[[], None]:
    """A check of the cluster from the client's own view (no blocking call to the scheduler)."""
    last_seen = [time.monotonic()]

    def check() -> None:
        if client.status not in ("running", "connecting", "newly-created"):
            raise SensitivityError(
                f"lost the Dask scheduler at {address} (client {client.status}); finished runs are "
                "stored; restart the scheduler and workers, then continue with --resume")
        workers = (client.scheduler_info() or {}).get("workers") or {}
        now = time.monotonic()
        if workers:
            last_seen[0] = now
        elif now - last_seen[0] > NO_WORKER_SECONDS:
            raise SensitivityError(
                f"no workers: the Dask scheduler at {address} has had no live worker for "
                f"{NO_WORKER_SECONDS:.0f} s; finished runs are stored. Start workers with "
                f"`dask worker {address}` and continue with --resume")

    return check
