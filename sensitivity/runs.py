"""Worker side: evaluate a batch of design rows, one seed per row, failures kept per run.

Row i's seed is child i of the study's seed (model.seeds: ``SeedSequence(root, spawn_key=(i,))``,
exactly ``SeedSequence(root).spawn(n)[i]``), so it depends on the row only, never on the executor,
worker or batch a row lands in.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from dataclasses import dataclass
from typing import Callable

import numpy as np

from model import seeds

MAX_ERROR_CHARS = 4000


def row_seed(root: int, run_index: int, common: bool = False) -> np.random.SeedSequence:
    """The seed of one run; with common random numbers every row gets child 0."""
    return seeds.child(root, 0 if common else run_index)


@dataclass(frozen=True)
class BatchSpec:
    """Everything a worker needs besides the rows; small and picklable."""

    evaluator: Callable[[dict[str, float], np.random.SeedSequence], dict[str, float]]
    parameter_names: tuple[str, ...]
    output_names: tuple[str, ...]
    root_seed: int
    common_random_numbers: bool = False


def _record(spec: BatchSpec, run_index: int, seed: np.random.SeedSequence) -> dict:
    return {"run_index": int(run_index), "status": "ok", "error": None,
            "seed_entropy": str(seed.entropy), "seed_spawn_key": int(seed.spawn_key[-1]),
            "worker": f"{socket.gethostname()}:{os.getpid()}", "outputs": {}}


def _fill(spec: BatchSpec, record: dict, result: dict | BaseException) -> None:
    """The run's outputs into its record; an exception (raised, or returned for this row) becomes 'failed'."""
    try:
        if isinstance(result, BaseException):
            raise result
        missing = [o for o in spec.output_names if o not in result]
        if missing:
            raise KeyError(f"evaluation returned no {', '.join(missing)}; "
                           f"it returned {', '.join(sorted(result))}")
        record["outputs"] = {o: float(result[o]) for o in spec.output_names}
    except Exception as exc:  # noqa: BLE001 - every failure is data, the study goes on
        record["status"] = "failed"
        record["outputs"] = {}
        record["error"] = (f"{type(exc).__name__}: {exc}\n"
                           + "".join(traceback.format_exception(exc)))[:MAX_ERROR_CHARS]


def _params(spec: BatchSpec, values) -> dict[str, float]:
    return dict(zip(spec.parameter_names, (float(v) for v in values)))


def evaluate_run(spec: BatchSpec, run_index: int, values) -> dict:
    """One run → a record; an exception becomes status 'failed' with its error text."""
    seed = row_seed(spec.root_seed, run_index, spec.common_random_numbers)
    record = _record(spec, run_index, seed)
    start = time.perf_counter()
    result: dict[str, float] | Exception
    try:
        result = spec.evaluator(_params(spec, values), seed)
    except Exception as exc:  # noqa: BLE001
        result = exc
    _fill(spec, record, result)
    record["elapsed_s"] = time.perf_counter() - start
    return record


def evaluate_batch(spec: BatchSpec, batch: list[tuple[int, list[float]]]) -> list[dict]:
    """Runs a batch in order; one task per batch keeps scheduling overhead small.

    An evaluator with ``evaluate_many`` (the model: its rows differ only in numeric parameters, so they
    run as replications of shared batched models, model.evaluate_runs) gets the whole batch at once, with
    the same outputs as row by row; if that call fails as a whole, the batch runs row by row so that
    every failure stays with its row. ``elapsed_s`` is then the batch's time shared over its rows."""
    many = getattr(spec.evaluator, "evaluate_many", None)
    if many is None or len(batch) < 2:
        return [evaluate_run(spec, i, values) for i, values in batch]
    start = time.perf_counter()
    seeds = [row_seed(spec.root_seed, i, spec.common_random_numbers) for i, _ in batch]
    try:
        results = many([(_params(spec, values), seed) for (_, values), seed in zip(batch, seeds)])
    except Exception:  # noqa: BLE001 - find the row that fails, one at a time
        return [evaluate_run(spec, i, values) for i, values in batch]
    share = (time.perf_counter() - start) / len(batch)
    records = []
    for (i, _), seed, result in zip(batch, seeds, results):
        record = _record(spec, i, seed)
        _fill(spec, record, result)
        record["elapsed_s"] = share
        records.append(record)
    return records


def make_batches(indices: list[int], design: np.ndarray, batch_size: int) -> list[list[tuple[int, list[float]]]]:
    """Split pending run indices into batches of (run_index, row values)."""
    rows = [(int(i), design[i].tolist()) for i in indices]
    return [rows[k:k + batch_size] for k in range(0, len(rows), batch_size)]


BATCHED_ROWS = 64
"""Rows per task when the evaluator runs a task's rows together (``evaluate_many``): one batched model of
64 replications costs about a fifth of 64 single runs (docs/odd.md §3.13)."""


def auto_batch_size(pending: int, workers: int, per_worker: int = 8, cap: int = 50) -> int:
    """About `per_worker` batches per worker: few tasks, yet a stop loses little work."""
    if pending <= 0:
        return 1
    return max(1, min(cap, -(-pending // (max(1, workers) * per_worker))))
