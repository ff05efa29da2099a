"""A whole study: check the problem, build the design, run what is missing, analyse.

The loop keeps only a few batches in flight (one when serial), writes each finished batch to
the store at once, and on Ctrl-C stops cleanly: everything finished is on disk, and
``--resume`` evaluates only the run indices that are not.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from sensitivity.errors import SensitivityError
from model.execution import ExecutionError, open_executor
from sensitivity.evaluators import check, make_evaluator, target_fingerprint
from sensitivity.indices import compute_indices
from sensitivity.problem import SensitivityProblem, load_problem
from sensitivity.runs import BATCHED_ROWS, BatchSpec, auto_batch_size, evaluate_batch, make_batches
from sensitivity.sampling import design_matrix
from sensitivity.store import RunStore


HEALTH_SECONDS = 2.0  # how often a waiting study checks that its cluster can still run anything


@dataclass
class ExecutionStats:
    """What one call of `execute` did."""

    executor: str = ""
    evaluated: int = 0
    failed: int = 0
    skipped_done: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def runs_per_second(self) -> float:
        return self.evaluated / self.seconds if self.seconds > 0 else float("nan")


@dataclass
class StudyOutcome:
    store: RunStore
    problem: SensitivityProblem
    stats: ExecutionStats
    indices: pd.DataFrame | None = None
    skipped_outputs: dict[str, str] = field(default_factory=dict)


def prepare(path: str | Path, trust_module: bool = False) -> tuple[SensitivityProblem, str]:
    """Load, validate and check a problem file against its target; no run happens here.
    ``trust_module`` lets the file name a function outside the registry (command line only)."""
    problem = load_problem(path)
    check(problem, str(path), trust_module)
    return problem, Path(path).read_text()


def pending_indices(store: RunStore, num_runs: int, retry_failed: bool) -> tuple[list[int], int]:
    """Run indices still to evaluate, and how many are already recorded."""
    runs = store.runs()
    if retry_failed and len(runs):
        runs = runs[runs["status"] == "ok"]
    recorded = set(runs["run_index"].astype(int)) if len(runs) else set()
    return [i for i in range(num_runs) if i not in recorded], len(recorded)


def execute(problem: SensitivityProblem, design: np.ndarray, store: RunStore, *,
            jobs: int | None = None, scheduler: str | None = None, retry_failed: bool = False,
            batch_size: int | None = None, progress: bool = True, common_random_numbers: bool | None = None,
            desc: str = "runs", trust_module: bool = False) -> ExecutionStats:
    """Evaluate the missing rows of `design` on the chosen executor, storing batches as they end."""
    pending, recorded = pending_indices(store, len(design), retry_failed)
    stats = ExecutionStats(skipped_done=recorded)
    if common_random_numbers is None:
        common_random_numbers = problem.common_random_numbers
    spec = BatchSpec(make_evaluator(problem, trust_module), tuple(problem.parameter_names),
                     tuple(problem.outputs), problem.seed, common_random_numbers)
    if not pending:
        return stats
    start = time.perf_counter()
    try:
        _run_pending(problem, design, store, pending, recorded, spec, stats, jobs, scheduler, batch_size,
                     progress, desc)
    except ExecutionError as exc:   # bad --jobs/--scheduler, or a cluster that can no longer run anything
        raise SensitivityError(str(exc)) from None
    stats.seconds = time.perf_counter() - start
    return stats


def _run_pending(problem, design, store, pending, recorded, spec, stats, jobs, scheduler, batch_size,
                 progress, desc) -> None:
    """The loop of `execute`: a few batches in flight, each stored as it finishes."""
    with open_executor(jobs, scheduler, preload=_preload(problem)) as ex:
        stats.executor = ex.name
        if hasattr(spec.evaluator, "evaluate_many"):  # a task's rows run together: fewer, larger tasks pay
            size = batch_size or auto_batch_size(len(pending), ex.workers, per_worker=2, cap=BATCHED_ROWS)
        else:
            size = batch_size or auto_batch_size(len(pending), ex.workers)
        batches = iter(make_batches(pending, design, size))
        window = 1 if ex.workers == 1 else 2 * ex.workers
        in_flight: dict[cf.Future, int] = {}
        bar = tqdm(total=len(design), initial=recorded, unit="run", desc=desc,
                   disable=not progress, dynamic_ncols=True, file=sys.stderr)

        def refill() -> None:
            while len(in_flight) < window:
                batch = next(batches, None)
                if batch is None:
                    return
                in_flight[ex.submit(evaluate_batch, spec, batch)] = len(batch)

        def keep(records: list[dict]) -> None:
            store_batch(store, records, design, problem, stats)
            bar.update(len(records))

        try:
            refill()
            while in_flight:
                finished, _ = cf.wait(list(in_flight), timeout=HEALTH_SECONDS,
                                      return_when=cf.FIRST_COMPLETED)
                if not finished:
                    ex.check()  # Dask: no workers for too long, or the scheduler lost
                for future in finished:
                    in_flight.pop(future)
                    try:
                        records = future.result()
                    except Exception as exc:  # the task itself died, not a run inside it
                        ex.check()  # name a lost scheduler as such, not as a lost worker
                        raise SensitivityError(
                            f"a worker was lost ({type(exc).__name__}: {exc}); finished runs are "
                            f"stored in {store.root}; continue with --resume") from exc
                    keep(records)
                refill()
        except KeyboardInterrupt:
            stats.interrupted = True
            # keep batches that finished while we were interrupted; drop the rest
            for future in list(in_flight):
                if future.done() and not future.cancelled() and future.exception() is None:
                    keep(future.result())
                    in_flight.pop(future)
        finally:
            for future in in_flight:
                future.cancel()
            bar.close()


def store_batch(store: RunStore, records: list[dict], design: np.ndarray,
                problem: SensitivityProblem, stats: ExecutionStats) -> None:
    store.append(records, design, problem)
    stats.evaluated += len(records)
    stats.failed += sum(r["status"] != "ok" for r in records)


def _preload(problem: SensitivityProblem) -> tuple[str, ...]:
    """Modules worth importing once in the forkserver for this problem's evaluator."""
    target = "model" if problem.scenario is not None else problem.function.partition(":")[0]
    return ("sensitivity.runs", "sensitivity.evaluators", target)


def run_study(problem: SensitivityProblem, problem_text: str, out_dir: str | Path, *,
              jobs: int | None = None, scheduler: str | None = None, resume: bool = False,
              retry_failed: bool = False, batch_size: int | None = None,
              progress: bool = True, trust_module: bool = False) -> StudyOutcome:
    """Run (or continue) a study in `out_dir` and, once complete, compute and save indices."""
    design = design_matrix(problem)
    out_dir = Path(out_dir)
    target = target_fingerprint(problem)
    if resume:
        store = RunStore.resume(out_dir, problem, design, target)
    else:
        store = RunStore.create(out_dir, problem, problem_text, design, target)
    try:  # the store's lock is held until the indices are written
        stats = execute(problem, design, store, jobs=jobs, scheduler=scheduler,
                        retry_failed=retry_failed, batch_size=batch_size, progress=progress,
                        desc=problem.name or "sensitivity", trust_module=trust_module)
        outcome = StudyOutcome(store, problem, stats)
        if not stats.interrupted:
            outcome.indices, outcome.skipped_outputs = analyze_store(store)
    finally:
        store.close()
    return outcome


def analyze_store(store: RunStore) -> tuple[pd.DataFrame, dict[str, str]]:
    """Indices from whatever the store holds; writes DIR/indices.csv."""
    problem = store.problem()
    design = store.design()
    outputs = store.outputs_matrix(problem, len(design))
    indices, skipped = compute_indices(problem, design, outputs)
    indices.to_csv(store.root / "indices.csv", index=False)
    return indices, skipped
