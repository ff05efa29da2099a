"""Speed and memory of the simulation core, printed next to the goals of issue 18 (never asserted).

1. Seconds per replication of copenhagen_ibbis (its own horizon, 3 years), one replication at a time and
   in batches of 4, 16 and 64 replications simulated together (model/batch.py; ``simulate_batch``), then
   in batches whose replications are different rows of the Sobol design (different parameters), with
   their tables and, as a Sobol task needs them, outputs only (``simulate_batch_outputs``).
2. Seconds and peak memory for ~100,000 citizens over 5 years (copenhagen_ibbis scaled 39x in
   arrivals, staff and places), each in a fresh subprocess so peak RSS is the run's own.
3. Scaling: cost per citizen for 25k, 50k, 100k and 200k citizens (goal: flat, linear in citizens).

Wall-clock seconds and CPU seconds are both printed: on a shared machine the wall clock moves with
other people's load, the CPU time much less. The old kernel's figures are in docs/odd.md.

Usage: python benchmarks/bench_core.py [--quick]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
import numpy as np
from model import load_scenario, simulate
factor, weeks = float(sys.argv[1]), int(sys.argv[2])
sc = load_scenario("copenhagen_ibbis")
sc = sc.with_overrides({
    "arrivals.per_year": 510 * factor,
    "consultants.standard.count": max(1, round(4 * factor)),
    "consultants.integrated.count": max(1, round(5 * factor)),
    "providers.jobcentre_health.therapists": max(1, round(4 * factor)),
    "providers.health_outside_jobcentre.therapists": max(1, round(4 * factor)),
    "allocation.places_per_year.integrated": int(170 * factor),
})
t0, c0 = time.perf_counter(), time.process_time()
rep = simulate(sc, np.random.SeedSequence(1), weeks=weeks)
dt, cpu = time.perf_counter() - t0, time.process_time() - c0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "cpu": cpu, "peak_mb": peak_mb, "citizens": int(rep.spells["citizen_id"].nunique()),
                  "spells": len(rep.spells)}))
"""


def child(factor: float, weeks: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(factor), str(weeks)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the 100,000-citizen runs")
    args = ap.parse_args()
    if not args.quick:
        # first, while this process is small: a child's peak memory (ru_maxrss) counts the pages it
        # shared with this process when it was forked, so a large parent would inflate it
        scaling()

    import numpy as np
    from model import load_scenario, simulate

    sc = load_scenario("copenhagen_ibbis")
    simulate(sc, np.random.SeedSequence(0))  # warm caches and imports
    batched(sc)
    batched_sobol_rows(sc)
    second_population()


def scaling() -> None:
    factor = 100_000 / (510 * 5)
    print("scaling (5 years, one replication each, fresh process):")
    per_citizen = {}
    for f in (factor / 4, factor / 2, factor, 2 * factor):
        r = child(f, 260)
        per_citizen[r["citizens"]] = 1e6 * r["cpu"] / r["citizens"]
        goal = " | goal <= 2.5 s and <= 1 GB" if f == factor else ""
        print(f"  {r['citizens']:>7,d} citizens, {r['spells']:>7,d} spells: {r['seconds']:6.2f} s ({r['cpu']:.2f} s CPU), "
              f"peak {r['peak_mb']:7.0f} MB, {per_citizen[r['citizens']]:.1f} us CPU per citizen{goal}", flush=True)
    lo, hi = per_citizen[min(per_citizen)], per_citizen[max(per_citizen)]
    print(f"cost per citizen, {max(per_citizen):,d} vs {min(per_citizen):,d} citizens: {hi / lo:.2f} x | goal: flat (1.0 x)")


def batched(sc, sizes: tuple[int, ...] = (1, 4, 16, 64), total: int = 64) -> None:
    """CPU seconds per replication of ``simulate_batch`` (tables and outputs included) at each batch size,
    about ``total`` replications each (at least 16 one at a time)."""
    import numpy as np
    from model.experiment import simulate_batch

    for size in sizes:
        n_batches = max(1, max(total, 16) // size) if size > 1 else 16
        seeds = [np.random.SeedSequence(100 + r) for r in range(n_batches * size)]
        t0, c0 = time.perf_counter(), time.process_time()
        for b in range(n_batches):
            simulate_batch(sc, seeds[b * size:(b + 1) * size])
        n = n_batches * size
        per, cpu = (time.perf_counter() - t0) / n, (time.process_time() - c0) / n
        print(f"copenhagen_ibbis, {sc.horizon_weeks} weeks, batches of {size:>2d}: {cpu:.3f} s CPU per replication "
              f"({per:.3f} s wall; {n} replications) | goal <= 0.03 s", flush=True)


def batched_sobol_rows(sc, sizes: tuple[int, ...] = (1, 16, 64), total: int = 128) -> None:
    """As ``batched``, but every replication of a batch is another row of the shipped Sobol design
    (analysis/problems/copenhagen_ibbis_sobol.yaml: 12 parameters, different values in each replication,
    model/batch_key.py), each with its own seed: what a batched Sobol task simulates."""
    from pathlib import Path

    import numpy as np
    from model.experiment import simulate_batch
    from sensitivity.evaluators import ModelEvaluator
    from sensitivity.problem import load_problem
    from sensitivity.sampling import design_matrix

    problem = load_problem(Path(__file__).resolve().parents[1] / "analysis/problems/copenhagen_ibbis_sobol.yaml")
    design = design_matrix(problem)
    ev = ModelEvaluator(problem.scenario)
    scenarios = [sc.with_overrides(ev.overrides(dict(zip(problem.parameter_names, row)))) for row in design[:total]]
    from model.experiment import simulate_batch_outputs

    runs = [(size, simulate_batch, "Sobol rows (different parameters)") for size in sizes]
    # what a Sobol task computes: the outputs, without tables
    runs += [(size, simulate_batch_outputs, "Sobol rows, outputs only (a Sobol task)") for size in sizes if size > 1]
    for size, simulate_part, label in runs:
        n = total if size > 1 else 16
        seeds = [np.random.SeedSequence(300 + r) for r in range(n)]
        t0, c0 = time.perf_counter(), time.process_time()
        for lo in range(0, n, size):
            simulate_part(scenarios[lo:lo + size], seeds[lo:lo + size])
        per, cpu = (time.perf_counter() - t0) / n, (time.process_time() - c0) / n
        print(f"copenhagen_ibbis, {label}, batches of {size:>2d}: {cpu:.3f} s CPU per "
              f"replication ({per:.3f} s wall; {n} replications) | goal <= 0.03 s", flush=True)


def second_population(n_per_year: int = 2000, weeks: int = 260, reps: int = 3) -> None:
    """Cost per citizen of the second population (issue 17): hjorring_before_investment with only the
    sick-listed, then with only cash-benefit recipients and ressourceforløb, the same number a year."""
    import numpy as np
    from model import load_scenario, simulate

    base = load_scenario("hjorring_before_investment").with_overrides({"horizon_weeks": weeks})
    sick = base.with_overrides({"cash_benefit.enabled": False, "arrivals.per_year": n_per_year})
    share = {"activity_ready": 0.5, "job_ready": 0.4, "ressourceforloeb": 0.1}
    cash = base.with_overrides({"arrivals.per_year": 0, "cash_benefit.enabled": True,
                                **{f"cash_benefit.{g}.per_year": n_per_year * v for g, v in share.items()}})
    per = {}
    print(f"second population (hjorring_before_investment, {n_per_year} a year, {reps} replications each):")
    for label, sc in (("sick-listed", sick), ("cash benefit + ressourceforløb", cash)):
        simulate(sc, np.random.SeedSequence(0), weeks=52)  # warm up
        t0, citizens = time.perf_counter(), 0
        for r in range(reps):
            rep = simulate(sc, np.random.SeedSequence(200 + r))
            citizens += int(rep.spells["citizen_id"].nunique())
        dt = time.perf_counter() - t0
        per[label] = 1e6 * dt / citizens
        print(f"  {label:<32s} {citizens / reps:>8,.0f} citizens over {weeks} weeks: {dt / reps:6.2f} s per replication, "
              f"{per[label]:.1f} us per citizen")
    ratio = per["cash benefit + ressourceforløb"] / per["sick-listed"]
    print(f"second population: {ratio:.2f} x the sick-listed citizens' cost per citizen (goal: within 1.20; note: "
          f"cash-benefit stays are longer, so a citizen is active for more weeks)")


if __name__ == "__main__":
    main()
