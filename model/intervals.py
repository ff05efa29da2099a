"""The t-interval over replications: the one statistic every output, budget and trial estimate uses.

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
