"""Problem → SALib problem dict → design matrix (one row per run).

The design depends only on the problem (method, sample size, ranges, seed), so a resumed
study can regenerate it and compare it with the stored copy.
"""

from __future__ import annotations

import numpy as np
from SALib.sample import fast_sampler, morris, sobol

from sensitivity.problem import SensitivityProblem


def salib_problem(problem: SensitivityProblem) -> dict:
    """The dict SALib's samplers and analyzers take (names are the dotted parameter paths)."""
    spec = {
        "num_vars": len(problem.parameters),
        "names": problem.parameter_names,
        "bounds": [p.salib_bounds() for p in problem.parameters],
    }
    if any(p.dist != "unif" for p in problem.parameters):
        spec["dists"] = [p.dist for p in problem.parameters]
    return spec


def design_matrix(problem: SensitivityProblem) -> np.ndarray:
    """The SALib sample for the problem's method: shape (num_runs, num_parameters)."""
    spec = salib_problem(problem)
    if problem.method == "morris":
        x = morris.sample(spec, problem.samples, num_levels=problem.num_levels, seed=problem.seed)
    elif problem.method == "sobol":
        x = sobol.sample(spec, problem.samples, calc_second_order=problem.calc_second_order,
                         seed=problem.seed)
    else:
        x = fast_sampler.sample(spec, problem.samples, M=problem.fast_m, seed=problem.seed)
    x = np.asarray(x, dtype=float)
    assert x.shape == (problem.num_runs, len(problem.parameters)), x.shape
    return x
