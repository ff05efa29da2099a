"""Sensitivity throughput: runs per second of copenhagen_ibbis on each executor (printed, never asserted).

    python benchmarks/bench_sensitivity.py                 # serial vs process pool vs local Dask
    python benchmarks/bench_sensitivity.py --runs 48       # more runs per executor
    python benchmarks/bench_sensitivity.py --scheduler tcp://127.0.0.1:8786   # an existing cluster
    python benchmarks/bench_sensitivity.py --sobol         # the full 12-parameter Sobol N=256 (6,656 runs)
    python benchmarks/bench_sensitivity.py --sobol --samples 64   # the same at N=64 (1,664 runs)

Each executor evaluates the same first rows of the design in analysis/problems/
copenhagen_ibbis_sobol.yaml, through the real study loop and Parquet store (a task's rows run as
replications of shared batched models, sensitivity.runs.evaluate_batch), and the runs are checked to
be identical across executors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.execution import default_jobs  # noqa: E402
from sensitivity.store import RunStore  # noqa: E402
from sensitivity.study import execute, prepare, run_study  # noqa: E402
from sensitivity.sampling import design_matrix  # noqa: E402

PROBLEM = ROOT / "analysis" / "problems" / "copenhagen_ibbis_sobol.yaml"


def measure(problem, design, label: str, **where) -> tuple[float, list]:
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore.create(Path(tmp), problem, "", design)
        start = time.perf_counter()
        stats = execute(problem, design, store, progress=False, **where)
        seconds = time.perf_counter() - start  # includes pool / client start-up
        outputs = store.runs()[[c for c in store.runs().columns if c.startswith("out.")]]
        failed = stats.failed
    rate = len(design) / seconds
    print(f"{label:<34} {len(design):>5} runs  {seconds:7.2f} s  {rate:6.2f} runs/s"
          + (f"  ({failed} failed)" if failed else ""), flush=True)
    return rate, outputs.round(12).values.tolist()


def throughput(runs: int, jobs: int, scheduler: str | None) -> None:
    problem, _ = prepare(PROBLEM)
    design = design_matrix(problem)[:runs]
    print(f"copenhagen_ibbis, {runs} design rows of {PROBLEM.name}, reps={problem.reps}, "
          f"{os.cpu_count()} cores")
    serial, ref = measure(problem, design, "serial", jobs=1)
    pool, out = measure(problem, design, f"process pool ({jobs} workers)", jobs=jobs)
    assert out == ref, "process pool differs from serial"
    if scheduler:
        dask, out = measure(problem, design, f"dask {scheduler}", scheduler=scheduler)
    else:
        from distributed import LocalCluster

        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:
            dask, out = measure(problem, design, f"dask LocalCluster ({jobs}x1 thread)",
                                scheduler=cluster.scheduler_address)
    assert out == ref, "dask differs from serial"
    print(f"speed-up over serial: process pool {pool / serial:.2f}x, dask {dask / serial:.2f}x; "
          "results identical")
    n_sobol = problem.num_runs
    best = max(pool, dask)
    print(f"Sobol {len(problem.parameters)} parameters, N={problem.samples} ({n_sobol:,d} runs) on {jobs} workers, "
          f"estimated from this rate: {n_sobol / best / 60:.1f} min | goal <= 2 min (measure with --sobol)")


def full_sobol(jobs: int, scheduler: str | None, out: str | None, samples: int | None = None) -> None:
    problem, text = prepare(PROBLEM)
    if samples:
        problem = problem.model_copy(update={"samples": samples})
    where = {"scheduler": scheduler} if scheduler else {"jobs": jobs}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(out) if out else Path(tmp) / "sobol"
        start = time.perf_counter()
        outcome = run_study(problem, text, target, progress=True, **where)
        seconds = time.perf_counter() - start
    full = problem.num_runs * 256 // problem.samples
    print(f"Sobol {len(problem.parameters)} parameters, N={problem.samples}, "
          f"{problem.num_runs} runs on {outcome.stats.executor}: {seconds / 60:.1f} min "
          f"({outcome.stats.runs_per_second:.2f} runs/s, {outcome.stats.failed} failed)"
          + (f"; scaled to N=256 ({full:,d} runs): {full / outcome.stats.runs_per_second / 60:.1f} min"
             if problem.samples != 256 else "") + " | goal <= 2 min at N=256")
    st = outcome.indices[outcome.indices["index"] == "ST"]
    print(st.pivot(index="parameter", columns="output", values="value").round(3).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=128, help="design rows per executor (default 128)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="workers (default model.execution.default_jobs: all cores or RTWSIM_JOBS)")
    parser.add_argument("--scheduler", help="use this Dask scheduler instead of a LocalCluster")
    parser.add_argument("--sobol", action="store_true",
                        help="run the full Sobol N=256 study (6,656 runs; minutes)")
    parser.add_argument("--samples", type=int, help="with --sobol: N instead of the problem's 256 (a power of two)")
    parser.add_argument("--out", help="with --sobol: keep the study in this directory")
    args = parser.parse_args()
    if args.sobol:
        full_sobol(args.jobs, args.scheduler, args.out, args.samples)
    else:
        throughput(args.runs, args.jobs, args.scheduler)


if __name__ == "__main__":
    main()
