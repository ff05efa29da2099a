"""Small scenarios for core tests: fast, fully specified, built from baseline_standard."""
from __future__ import annotations

import numpy as np

from model import load_scenario, simulate


def tiny(overrides: dict | None = None, name: str = "tiny", **top):
    """baseline_standard shrunk to a few dozen citizens a year, with overrides (dotted paths)."""
    sc = load_scenario("baseline_standard").with_overrides({
        "name": name, "horizon_weeks": 80, "warmup_weeks": 0, "recovery_horizon_weeks": 26,
        "arrivals.per_year": 120, **top, **(overrides or {})})
    return sc


def sim(sc, seed: int = 1, weeks: int | None = None):
    return simulate(sc, np.random.SeedSequence(seed), weeks=weeks)


def is_trial_design(name: str) -> bool:
    """A scenario that reproduces a randomised trial (a cohort randomised to arms), not a municipal system."""
    return load_scenario(name).arrivals.mode == "cohort"


def sum_dkk(df, item=None, payer=None, year=None) -> float:
    """DKK in a cost table, filtered by item, payer and year where given."""
    d = df
    if item is not None:
        d = d[d["item"] == item]
    if payer is not None:
        d = d[d["payer"] == payer]
    if year is not None:
        d = d[d["year"] == year]
    return float(d["dkk"].sum())
