"""The intervals every output, budget and trial estimate uses: one rule, ``replication_interval``.

Over replications of one parameter set, the t-interval of the mean (simulation noise); over replications
that cycled an evidence base's accepted sets, the range of the expected result over those sets
(``evidence_interval``), which does not narrow as replications are added.

A leaf module (numpy and scipy only), so the budget, the trial outputs and the evidence bases can use
it without importing the kernel's outputs (``model.results``) and the circle that would close.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import stdtrit


def t_interval(values, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, sd and the t-based confidence interval of replication values (NaNs dropped)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan
    m = float(x.mean())
    if n == 1:
        return m, math.nan, math.nan, math.nan
    sd = float(x.std(ddof=1))
    half = float(stdtrit(n - 1, 0.5 + level / 2) * sd / math.sqrt(n))
    return m, sd, m - half, m + half


def evidence_interval(values, sets, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, sd and interval of replications that cycled K parameter sets (an evidence base's accepted sets).

    A t-interval of the mean over such replications shrinks as replications are added, as if more runs
    made the evidence surer. What a planner needs is the range of the expected result over the sets the
    evidence accepts. One-way random-effects ANOVA separates the spread between the sets' expected results
    (tau², parameter uncertainty) from the spread within a set (simulation noise and the municipality's
    context draw, sigma²); the interval is that of a further accepted set's expected result,
    mean of set means ± t(K−1)·sqrt(tau²·(1 + 1/K) + mean sigma²/n_k / K), the prediction interval of
    random-effects meta-analysis (Higgins, Thompson & Spiegelhalter, J R Stat Soc A 2009;172(1):137-159).
    With no set run twice, tau² cannot be told from sigma²: the interval is then that of one further
    replication (mean ± t(n−1)·s·sqrt(1 + 1/n)), wider, never narrower. ``sd`` is sqrt of the variance used.
    """
    x = np.asarray(values, dtype=float)
    g = np.asarray(sets)
    ok = ~np.isnan(x)
    x, g = x[ok], g[ok]
    labels, code = np.unique(g, return_inverse=True)
    k, n = labels.size, x.size
    if k < 2:
        return t_interval(x, level)
    counts = np.bincount(code, minlength=k).astype(float)
    means = np.bincount(code, weights=x, minlength=k) / counts
    q = 0.5 + level / 2
    if n == k:  # every set once: the spread of single replications
        m, sd = float(x.mean()), float(x.std(ddof=1))
        half = float(stdtrit(n - 1, q) * sd * math.sqrt(1 + 1 / n))
        return m, sd, m - half, m + half
    msw = float(((x - means[code]) ** 2).sum() / (n - k))
    grand = float(x.mean())
    msb = float((counts * (means - grand) ** 2).sum() / (k - 1))
    n0 = (n - float((counts ** 2).sum()) / n) / (k - 1)
    tau2 = max(0.0, (msb - msw) / n0)
    m = float(means.mean())
    var = tau2 * (1 + 1 / k) + msw * float((1 / counts).mean()) / k
    sd = math.sqrt(var)
    half = float(stdtrit(k - 1, q) * sd)
    return m, sd, m - half, m + half


def replication_interval(values, n_sets: int = 1, replications=None,
                         level: float = 0.95) -> tuple[float, float, float, float]:
    """The interval every output uses: over replications that cycled ``n_sets`` parameter sets (replication
    r used set r mod K) the evidence interval, otherwise the t-interval of the mean (simulation noise only)."""
    if n_sets <= 1:
        return t_interval(values, level)
    reps = np.arange(len(values)) if replications is None else np.asarray(replications)
    return evidence_interval(values, reps % n_sets, level)


def indexed_interval(values, n_sets: int = 1, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and interval of per-replication values indexed by replication number (a pandas Series):
    ``replication_interval`` with the replications read from the index."""
    m, _sd, lo, hi = replication_interval(values.to_numpy(float), n_sets, values.index.to_numpy(), level)
    return m, lo, hi
