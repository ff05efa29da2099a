"""Cost rows: the tidy (replication, year, item, payer, DKK) layout every budget line is written in.

A leaf module (numpy, pandas, the scenario's types), so that the budget (model.economics), its extra
lines (model.budget_lines) and the second population's costs (model.cash_benefit) share the layout
without importing each other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .scenario import Scenario

COST_COLUMNS = ["replication", "year", "item", "payer", "dkk"]


def expand_weeks(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spread intervals [start, end) (fractional weeks) over whole weeks: (row, week, weight)."""
    start = np.asarray(start, float)
    end = np.asarray(end, float)
    ok = end > start
    rows = np.flatnonzero(ok)
    a, b = start[ok], end[ok]
    w0 = np.floor(a).astype(np.int64)
    n = np.ceil(b).astype(np.int64) - w0
    if n.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    idx = np.repeat(np.arange(rows.size), n)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    week = w0[idx] + offs
    weight = np.minimum(week + 1, b[idx]) - np.maximum(week, a[idx])
    return rows[idx], week, weight


def _by_year(rep: np.ndarray, week: np.ndarray, amount: np.ndarray, item: str, payer: str) -> pd.DataFrame:
    """Sum ``amount`` by replication and simulated year (numpy bincount: this runs for every replication's outputs)."""
    rep = np.asarray(rep)
    year = np.asarray(week, dtype=np.int64) // 52 + 1
    if rep.size == 0:
        return pd.DataFrame({"replication": rep, "year": year, "item": item, "payer": payer,
                             "dkk": np.zeros(0)})[COST_COLUMNS]
    reps, ri = np.unique(rep, return_inverse=True)
    ny = int(year.max())
    idx = ri * ny + (year - 1)
    size = reps.size * ny
    sums = np.bincount(idx, weights=np.asarray(amount, float), minlength=size)
    k = np.flatnonzero(np.bincount(idx, minlength=size) > 0)
    return pd.DataFrame({"replication": reps[k // ny], "year": k % ny + 1, "item": item, "payer": payer,
                         "dkk": sums[k]})[COST_COLUMNS]


def _used_pools_providers(sc: Scenario) -> tuple[set[str], set[str]]:
    pools, provs = set(), set()
    for p in sc.used_pathways():
        pw = sc.pathways[p]
        pools.add(pw.consultant_pool)
        if pw.treatment is not None:
            provs.add(pw.treatment.provider)
            if pw.treatment.escalation.provider and pw.treatment.escalation.probability > 0:
                provs.add(pw.treatment.escalation.provider)
    return pools, provs
