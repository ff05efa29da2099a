"""Where many simulations run: serially, on a local process pool, or on a Dask cluster.

One interface for every verb that runs many simulations (``run``/``compare``, calibration,
sensitivity, the optimiser), in the spirit of EMA Workbench's evaluators::

    with open_executor(jobs=4) as ex:          # or scheduler="tcp://10.0.0.5:8786"
        results = list(ex.map(simulate_one, tasks))
        future = ex.submit(simulate_one, task)

An open executor is also the *current* one: ``run``/``compare`` called inside the ``with`` block
without ``jobs``/``scheduler`` use it, so a command opens one pool (or one Dask client) for all
its runs. Results never depend on the executor: every task carries its own seed (``model.seeds``).

One default for the number of workers, :func:`default_jobs`: every core this process may use, or
``RTWSIM_JOBS`` when set (the test suite sets 1).
"""
from __future__ import annotations

import concurrent.futures as cf
from concurrent.futures import ProcessPoolExecutor
import contextvars
import multiprocessing
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

NO_WORKER_SECONDS = 60.0
"""A Dask run stops with "no workers" after this long without a live worker."""
JOBS_ENV = "RTWSIM_JOBS"
PRELOAD = ("model.experiment",)
"""Modules the forkserver imports once, so pool workers start with the model imported."""


class ExecutionError(ValueError):
    """Bad executor options or a cluster that cannot run anything; the message says what to do."""


def usable_cores() -> int:
    """Cores this process may use (its CPU affinity on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def max_jobs() -> int:
    """At most four worker processes per usable core."""
    return 4 * usable_cores()


def default_jobs() -> int:
    """The one default number of workers: ``RTWSIM_JOBS`` if set, else every usable core."""
    text = os.environ.get(JOBS_ENV, "").strip()
    if not text:
        return usable_cores()
    try:
        jobs = int(text)
    except ValueError:
        raise ExecutionError(f"{JOBS_ENV} must be a whole number from 1 to {max_jobs()}, got {text!r}") from None
    if not 1 <= jobs <= max_jobs():
        raise ExecutionError(f"{JOBS_ENV} must be a whole number from 1 to {max_jobs()}, got {jobs}")
    return jobs


class SerialExecutor(cf.Executor):
    """Runs each task when it is submitted, in this process."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - delivered through the future
            future.set_exception(exc)
        return future


@dataclass
class Executor:
    """A ``concurrent.futures`` executor plus what a caller needs to know about it.

    ``health`` (Dask only) raises an ExecutionError naming the problem when the cluster can no
    longer run anything: no worker for NO_WORKER_SECONDS, or the scheduler lost.
    """

    executor: cf.Executor
    name: str
    workers: int
    health: Callable[[], None] | None = None

    @property
    def kind(self) -> str:
        return self.name.split(" ")[0]   # serial, process, dask

    def check(self) -> None:
        if self.health is not None:
            self.health()

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        return self.executor.submit(fn, *args)

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """``fn(item)`` for every item, yielded in the items' order as they finish."""
        if self.workers == 1 or isinstance(self.executor, SerialExecutor):
            for item in items:
                yield fn(item)
            return
        futures = [self.executor.submit(fn, item) for item in items]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()


_CURRENT: contextvars.ContextVar[Executor | None] = contextvars.ContextVar("rtwsim_executor", default=None)


def current() -> Executor | None:
    """The executor of the innermost ``open_executor`` block, if any."""
    return _CURRENT.get()


def check_jobs(jobs: int) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= max_jobs():
        raise ExecutionError(f"--jobs must be from 1 to {max_jobs()} (four processes per available core), got {jobs}")
    return jobs


@contextmanager
def open_executor(jobs: int | None = None, scheduler: str | None = None, *, tasks: int | None = None,
                  preload: tuple[str, ...] = ()) -> Iterator[Executor]:
    """Serial for jobs=1, a process pool for jobs>1 (default :func:`default_jobs`), Dask for ``scheduler``.

    ``tasks`` (when known) caps the pool: never more processes than tasks. ``preload`` adds
    modules the forkserver imports once, besides the model.
    """
    if scheduler is not None:
        if jobs is not None:
            raise ExecutionError("give either --jobs or --scheduler, not both")
        with _dask_executor(scheduler) as ex, _as_current(ex):
            yield ex
        return
    jobs = check_jobs(default_jobs() if jobs is None else jobs)
    if tasks is not None:
        jobs = max(1, min(jobs, tasks))
    if jobs == 1:
        with _as_current(Executor(SerialExecutor(), "serial", 1)) as ex:
            yield ex
        return
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(list(dict.fromkeys(PRELOAD + tuple(preload))))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=watch_parent,
                                  initargs=(os.getpid(),))
    try:
        with _as_current(Executor(pool, f"process pool ({jobs} workers)", jobs)) as ex:
            yield ex
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def executing(jobs: int | None = None, scheduler: str | None = None, *, tasks: int | None = None) -> Iterator[Executor]:
    """The current executor when neither ``jobs`` nor ``scheduler`` is given, else a new one."""
    ex = current()
    if ex is not None and jobs is None and scheduler is None:
        yield ex
        return
    with open_executor(jobs, scheduler, tasks=tasks) as ex:
        yield ex


@contextmanager
def _as_current(ex: Executor) -> Iterator[Executor]:
    token = _CURRENT.set(ex)
    try:
        yield ex
    finally:
        _CURRENT.reset(token)


def watch_parent(pid: int, interval: float = 1.0) -> None:
    """Pool-worker initializer: end this worker when the process ``pid`` that opened the pool is gone.

    Workers are children of the forkserver, not of the caller, so a ``kill -9`` of the caller
    would leave them computing for nothing. A daemon thread checks every ``interval`` seconds.
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
    # and pay the imports once (preload), not once per worker.
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


@contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ExecutionError(f"cannot reach the Dask scheduler at {address}: {exc}. Start one "
                             "with `dask scheduler` and workers with `dask worker "
                             f"{address}`") from None
    try:
        threads = sum(client.nthreads().values())
        if threads == 0:
            raise ExecutionError(f"the Dask scheduler at {address} has no workers; start one "
                                 f"with `dask worker {address} --nthreads 1`")
        yield Executor(client.get_executor(pure=False), f"dask ({address}, {threads} threads)",
                       threads, dask_health(client, address))
    finally:
        client.close()


def dask_health(client, address: str) -> Callable[[], None]:
    """A check of the cluster from the client's own view (no blocking call to the scheduler)."""
    last_seen = [time.monotonic()]

    def check() -> None:
        if client.status not in ("running", "connecting", "newly-created"):
            raise ExecutionError(
                f"lost the Dask scheduler at {address} (client {client.status}); finished runs are "
                "stored; restart the scheduler and workers, then continue with --resume")
        workers = (client.scheduler_info() or {}).get("workers") or {}
        now = time.monotonic()
        if workers:
            last_seen[0] = now
        elif now - last_seen[0] > NO_WORKER_SECONDS:
            raise ExecutionError(
                f"no workers: the Dask scheduler at {address} has had no live worker for "
                f"{NO_WORKER_SECONDS:.0f} s; finished runs are stored. Start workers with "
                f"`dask worker {address}` and continue with --resume")

    return check
