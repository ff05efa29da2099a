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


def evaluate_run(spec: BatchSpec, run_index: int, values) -> dict:
    """One run → a record; an exception becomes status 'failed' with its error text."""
    params = dict(zip(spec.parameter_names, (float(v) for v in values)))
    seed = row_seed(spec.root_seed, run_index, spec.common_random_numbers)
    record = {"run_index": int(run_index), "status": "ok", "error": None,
              "seed_entropy": str(seed.entropy), "seed_spawn_key": int(seed.spawn_key[-1]),
              "worker": f"{socket.gethostname()}:{os.getpid()}", "outputs": {}}
    start = time.perf_counter()
    try:
        result = spec.evaluator(params, seed)
        missing = [o for o in spec.output_names if o not in result]
        if missing:
            raise KeyError(f"evaluation returned no {', '.join(missing)}; "
                           f"it returned {', '.join(sorted(result))}")
        record["outputs"] = {o: float(result[o]) for o in spec.output_names}
    except Exception as exc:  # noqa: BLE001 - every failure is data, the study goes on
        record["status"] = "failed"
        record["error"] = (f"{type(exc).__name__}: {exc}\n"
                           + traceback.format_exc())[:MAX_ERROR_CHARS]
    record["elapsed_s"] = time.perf_counter() - start
    return record


def evaluate_batch(spec: BatchSpec, batch: list[tuple[int, list[float]]]) -> list[dict]:
    """Runs a batch in order; one task per batch keeps scheduling overhead small."""
    return [evaluate_run(spec, i, values) for i, values in batch]


def make_batches(indices: list[int], design: np.ndarray, batch_size: int) -> list[list[tuple[int, list[float]]]]:
    """Split pending run indices into batches of (run_index, row values)."""
    rows = [(int(i), design[i].tolist()) for i in indices]
    return [rows[k:k + batch_size] for k in range(0, len(rows), batch_size)]


def auto_batch_size(pending: int, workers: int, per_worker: int = 8, cap: int = 50) -> int:
    """About `per_worker` batches per worker: few tasks, yet a stop loses little work."""
    if pending <= 0:
        return 1
    return max(1, min(cap, -(-pending // (max(1, workers) * per_worker))))
