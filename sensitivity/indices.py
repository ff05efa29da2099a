"""Outputs of all runs → SALib indices, as one tidy table for printing, CSV and plots.

Columns: output, parameter, parameter2 (S2 only), index, value, conf. Index names:
morris ``mu``, ``mu_star`` and ``sigma`` with bootstrap intervals (SALib's for mu*, the same
resampling of trajectories here for sigma, which SALib does not give); sobol ``S1``,
``ST``, ``S2``; fast ``S1``, ``ST``. Bootstrap resampling is seeded from the problem seed,
so identical outputs give identical confidence intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from SALib.analyze import fast, morris, sobol
from SALib.analyze.morris import _compute_elementary_effects
from SALib.sample.morris import _compute_delta

from sensitivity.problem import SensitivityProblem
from sensitivity.sampling import salib_problem

COLUMNS = ["output", "parameter", "parameter2", "index", "value", "conf"]


def _rows(output: str, names: list[str], result: dict, index: str, conf: str | None) -> list[dict]:
    values = np.asarray(result[index], dtype=float)
    confs = np.asarray(result[conf], dtype=float) if conf else np.full(len(names), np.nan)
    return [{"output": output, "parameter": n, "parameter2": None, "index": index,
             "value": float(v), "conf": float(c)} for n, v, c in zip(names, values, confs)]


def morris_sigma_conf(problem: SensitivityProblem, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bootstrap half-width of sigma: resample trajectories, as SALib does for mu*."""
    d = len(problem.parameters)
    ee = _compute_elementary_effects(x, y, d + 1, _compute_delta(problem.num_levels))
    rng = np.random.default_rng(problem.seed)
    picks = rng.integers(ee.shape[1], size=(problem.num_resamples, ee.shape[1]))
    sigmas = ee[:, picks].std(axis=2, ddof=1)  # (d, resamples)
    return norm.ppf(0.5 + problem.conf_level / 2) * sigmas.std(axis=1, ddof=1)


def analyze_output(problem: SensitivityProblem, x: np.ndarray, y: np.ndarray, output: str) -> list[dict]:
    """Indices of one output; `y` must be complete (no failed runs)."""
    spec = salib_problem(problem)
    names = problem.parameter_names
    common = dict(num_resamples=problem.num_resamples, conf_level=problem.conf_level,
                  print_to_console=False, seed=problem.seed)
    if problem.method == "morris":
        r = morris.analyze(spec, x, y, num_levels=problem.num_levels, **common)
        r["sigma_conf"] = morris_sigma_conf(problem, x, y)
        return (_rows(output, names, r, "mu_star", "mu_star_conf")
                + _rows(output, names, r, "sigma", "sigma_conf")
                + _rows(output, names, r, "mu", None))
    if problem.method == "fast":
        r = fast.analyze(spec, y, M=problem.fast_m, **common)
        return _rows(output, names, r, "S1", "S1_conf") + _rows(output, names, r, "ST", "ST_conf")
    r = sobol.analyze(spec, y, calc_second_order=problem.calc_second_order, **common)
    rows = _rows(output, names, r, "S1", "S1_conf") + _rows(output, names, r, "ST", "ST_conf")
    if problem.calc_second_order:
        for i, a in enumerate(names):
            for j in range(i + 1, len(names)):
                rows.append({"output": output, "parameter": a, "parameter2": names[j],
                             "index": "S2", "value": float(r["S2"][i, j]),
                             "conf": float(r["S2_conf"][i, j])})
    return rows


def compute_indices(problem: SensitivityProblem, x: np.ndarray,
                    outputs: dict[str, np.ndarray]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Indices for every output; outputs with missing runs are skipped with a reason."""
    rows: list[dict] = []
    skipped: dict[str, str] = {}
    for name in problem.outputs:
        y = np.asarray(outputs[name], dtype=float)
        missing = int(np.isnan(y).sum())
        if missing:
            skipped[name] = f"{missing} of {len(y)} runs missing or failed"
            continue
        if np.ptp(y) == 0:
            skipped[name] = "output is constant over the design; indices are undefined"
            continue
        rows.extend(analyze_output(problem, x, y, name))
    return pd.DataFrame(rows, columns=COLUMNS), skipped
