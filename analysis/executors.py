"""Where batches run: serially, on a local process pool, or on a Dask cluster.

All three give a `concurrent.futures`-style ``submit`` returning a ``concurrent.futures.Future``,
so the study loop is the same everywhere. Results do not depend on the executor because
each row carries its own seed (see `runs.row_seed`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

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


@dataclass
class RunExecutor:
    """An executor plus what the study loop needs to know about it."""

    executor: cf.Executor
    name: str
    workers: int

    def submit(self, fn, *args) -> cf.Future:
        return self.executor.submit(fn, *args)


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context)
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
                          threads)
    finally:
        client.close()
