import math

import numpy as np

from model.hazards import geometric_weeks, piecewise_weeks, step_table


def test_step_table():
    t = step_table([(0, 1.0), (3, 0.5), (5, 0.25)], 7)
    assert t.tolist() == [1, 1, 1, 0.5, 0.5, 0.25, 0.25]


def test_geometric_weeks_matches_weekly_bernoulli():
    """Exp(1) thresholds against a constant hazard give the same law as weekly draws with p."""
    p = 0.1
    rate = -math.log1p(-p)
    e = np.random.default_rng(0).exponential(size=40000)
    weeks = np.array([geometric_weeks(x, rate) for x in e])
    assert abs(weeks.mean() - 1 / p) < 0.15
    assert abs((weeks == 1).mean() - p) < 0.006
    assert geometric_weeks(1.0, 0.0) == math.inf


def test_relapse_default_reproduces_secondary_source():
    """About 19% re-sick-listed within 7 years, 90% of them within 3 years (DESIGN §4)."""
    steps = [(0, 0.0012), (156, 0.000112)]
    e = np.random.default_rng(1).exponential(size=60000)
    t = np.array([piecewise_weeks(x, steps, limit=400) for x in e])
    within7 = (t <= 364).mean()
    within3 = (t <= 156).mean()
    assert abs(within7 - 0.19) < 0.01
    assert abs(within3 / within7 - 0.90) < 0.02


def test_aftercare_multiplier_lowers_early_relapse():
    steps = [(0, 0.01)]
    e = np.random.default_rng(2).exponential(size=20000)
    plain = np.array([piecewise_weeks(x, steps) for x in e])
    cared = np.array([piecewise_weeks(x, steps, multiplier_until=12, multiplier=0.5) for x in e])
    assert (cared >= plain).all()
    assert (cared <= 12).mean() < (plain <= 12).mean() * 0.6
