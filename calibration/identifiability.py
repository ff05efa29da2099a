"""Warnings where the targets do not pin a parameter down.

Three signs, computed on the accepted sets: two parameters whose accepted values are strongly
rank-correlated trade off against each other (e.g. a job-goal effect and a coordination effect that
both only act in the integrated pathway); a parameter whose accepted values span most of its prior
range is not constrained by the targets; and more free parameters than point targets cannot all
be identified. Warnings are advice to read the intervals with care, not errors.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .free_parameters import FreeParameters

CORRELATION_WARN = 0.6
SPAN_WARN = 0.75
MIN_SETS = 5


def _unit(p, x: np.ndarray) -> np.ndarray:
    if p.log:
        return (np.log(x) - math.log(p.low)) / (math.log(p.high) - math.log(p.low))
    return (x - p.low) / (p.high - p.low)


def correlations(free: FreeParameters, accepted: pd.DataFrame) -> pd.DataFrame:
    """Spearman rank correlation of every pair of free parameters over the accepted sets."""
    rows = []
    names = free.names
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            x, y = accepted[a].to_numpy(float), accepted[b].to_numpy(float)
            if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
                rho = math.nan
            else:
                rho = float(stats.spearmanr(x, y).statistic)
            rows.append({"parameter": a, "parameter2": b, "spearman": rho})
    return pd.DataFrame(rows, columns=["parameter", "parameter2", "spearman"])


def ranges(free: FreeParameters, accepted: pd.DataFrame) -> pd.DataFrame:
    """Accepted min/median/max per parameter and the share of the prior range they span."""
    rows = []
    for p in free.parameters:
        x = accepted[p.name].to_numpy(float) if len(accepted) else np.array([])
        span = float(np.ptp(_unit(p, x))) if x.size else math.nan
        rows.append({"parameter": p.name, "target": p.target, "prior_low": p.low, "prior_high": p.high,
                     "log": p.log, "accepted_low": float(x.min()) if x.size else math.nan,
                     "accepted_median": float(np.median(x)) if x.size else math.nan,
                     "accepted_high": float(x.max()) if x.size else math.nan, "prior_span_share": span})
    return pd.DataFrame(rows)


def edge_warnings(ranges_table: pd.DataFrame, edge: float = 0.03) -> list[str]:
    """Accepted values reaching a prior bound: the targets may want values the prior rules out."""
    out = []
    for _, r in ranges_table.iterrows():
        if pd.isna(r["accepted_low"]):
            continue
        width = r["prior_high"] - r["prior_low"]
        for side, acc, bound in (("lower", r["accepted_low"], r["prior_low"]), ("upper", r["accepted_high"], r["prior_high"])):
            if abs(acc - bound) <= edge * width:
                out.append(f"{r['parameter']}: accepted values reach the prior's {side} bound ({bound:g}); the fit is "
                           "limited by the prior there, so its accepted range is a statement about the prior too")
    return out


def warnings_for(free: FreeParameters, accepted: pd.DataFrame, n_point_targets: int) -> list[str]:
    out = []
    if len(free.parameters) > n_point_targets:
        out.append(f"{len(free.parameters)} free parameters but {n_point_targets} point targets: the targets cannot "
                   "identify every parameter; read each parameter's accepted range, not its point value")
    if len(accepted) < MIN_SETS:
        out.append(f"only {len(accepted)} accepted sets: too few to judge identifiability or calibration uncertainty; "
                   "run more trials")
        return out
    out += edge_warnings(ranges(free, accepted))
    for _, r in ranges(free, accepted).iterrows():
        if r["prior_span_share"] >= SPAN_WARN:
            out.append(f"{r['parameter']}: accepted values span {100 * r['prior_span_share']:.0f}% of the prior range "
                       f"[{r['prior_low']:g}, {r['prior_high']:g}]; the targets barely constrain it")
    for _, r in correlations(free, accepted).iterrows():
        if not math.isnan(r["spearman"]) and abs(r["spearman"]) >= CORRELATION_WARN:
            kind = "trade off (a rise in one is offset by a fall in the other)" if r["spearman"] < 0 else \
                "move together (only their combination is pinned down)"
            out.append(f"{r['parameter']} and {r['parameter2']} {kind}: rank correlation {r['spearman']:+.2f} "
                       "over the accepted sets; they are not separately identifiable from these targets")
    return out
