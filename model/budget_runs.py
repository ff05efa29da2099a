"""A scenario and its baseline run on common random numbers with their budgets paired: the app's entry point.

Kept apart from model.economics, which only counts what runs produced, so the budget never imports the
experiment layer (no import circle between them).
"""
from __future__ import annotations

from .economics import BudgetComparison, BudgetError, compare_budgets, uncertainty_label
from .experiment import run
from .parameter_sets import accepted_parameter_sets
from .scenario import load_scenario


def budget_comparison(scenario, baseline, reps: int = 20, seed: int = 1, years: int = 10, jobs: int = 1,
                      parameter_sets: list[dict] | str | None = None, progress=None) -> BudgetComparison:
    """Run a scenario and its baseline on common random numbers and pair their budgets (the app's entry point).

    ``parameter_sets`` (a calibrated set name such as ``calibrated/copenhagen_ibbis`` or a list of
    ``{path: value}``) gives replication r of both arms set r mod K, so every interval includes
    calibration uncertainty; ``BudgetComparison.uncertainty`` says which uncertainty is included.
    ``progress(k, n)`` is called after each of the 2 × reps replications."""
    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    base = load_scenario(baseline) if isinstance(baseline, str) else baseline
    name = parameter_sets if isinstance(parameter_sets, str) else None
    if isinstance(parameter_sets, str):
        parameter_sets = accepted_parameter_sets(parameter_sets)
    for s in (sc, base):
        try:
            s.economics.check_years(years)
        except ValueError as err:
            raise BudgetError(f"{s.name}: {err}") from None
    done = [0]

    def step(_k, _n):
        done[0] += 1
        if progress:
            progress(done[0], 2 * reps)

    res = run(sc, reps=reps, seed=seed, weeks=years * 52, jobs=jobs, progress=step, parameter_sets=parameter_sets)
    bres = run(base, reps=reps, seed=seed, weeks=years * 52, jobs=jobs, progress=step, parameter_sets=parameter_sets)
    return compare_budgets(res, bres, uncertainty=uncertainty_label(parameter_sets, name, reps))
