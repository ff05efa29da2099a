"""One-at-a-time ranges for the tornado plot: each parameter to its low and high end alone.

The design has 2k+1 rows: the base point, then for each parameter its low and high end with
the others at base. All rows share one seed (common random numbers), so a bar shows the
parameter's effect, not replication noise. Ends are the bounds for bounded distributions
and the 5th/95th percentiles for norm/lognorm. The base is the scenario's own value (the
range midpoint for functions), clipped into the range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sensitivity.evaluators import make_evaluator, target_fingerprint
from sensitivity.problem import Parameter, SensitivityProblem
from sensitivity.store import OUT, RunStore


def ends(p: Parameter) -> tuple[float, float]:
    if p.dist in ("unif", "logunif", "triang", "truncnorm"):
        return p.bounds
    if p.dist == "norm":
        return tuple(stats.norm.ppf([0.05, 0.95], loc=p.mean, scale=p.sd))
    return tuple(np.exp(stats.norm.ppf([0.05, 0.95], loc=p.mean, scale=p.sd)))


def oat_design(problem: SensitivityProblem, base: dict[str, float]) -> np.ndarray:
    k = len(problem.parameters)
    centre = np.array([min(max(base[p.path], ends(p)[0]), ends(p)[1]) for p in problem.parameters])
    design = np.tile(centre, (2 * k + 1, 1))
    for j, p in enumerate(problem.parameters):
        low, high = ends(p)
        design[1 + 2 * j, j] = low
        design[2 + 2 * j, j] = high
    return design


def tornado_table(problem: SensitivityProblem, design: np.ndarray, runs: pd.DataFrame) -> pd.DataFrame:
    """Per output and parameter: value at base, at the low end and at the high end."""
    ok = runs[runs["status"] == "ok"].set_index("run_index")
    rows = []
    for output in problem.outputs:
        col = OUT + output
        base = ok[col].get(0, np.nan)
        for j, p in enumerate(problem.parameters):
            y_low = ok[col].get(1 + 2 * j, np.nan)
            y_high = ok[col].get(2 + 2 * j, np.nan)
            rows.append({"output": output, "parameter": p.name, "base_value": design[0, j],
                         "low_value": design[1 + 2 * j, j], "high_value": design[2 + 2 * j, j],
                         "y_base": base, "y_low": y_low, "y_high": y_high,
                         "swing": abs(y_high - y_low)})
    return pd.DataFrame(rows)


def run_oat(study: RunStore, *, jobs=None, scheduler=None, progress=True, trust_module=False) -> pd.DataFrame:
    """Run (or reuse) the one-at-a-time design in DIR/oat and return the tornado table."""
    from sensitivity.study import execute

    problem = study.problem()
    design = oat_design(problem, make_evaluator(problem, trust_module).base_values(problem))
    root = study.root / "oat"
    target = target_fingerprint(problem)
    if (root / "manifest.json").exists():
        store = RunStore.resume(root, problem, design, target)
    else:
        store = RunStore.create(root, problem, problem.model_dump_json(), design, target)
    try:
        execute(problem, design, store, jobs=jobs, scheduler=scheduler, progress=progress,
                common_random_numbers=True, desc="one-at-a-time", trust_module=trust_module)
    finally:
        store.close()
    table = tornado_table(problem, design, store.runs())
    table.to_csv(study.root / "tornado.csv", index=False)
    return table
