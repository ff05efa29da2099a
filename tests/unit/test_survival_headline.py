"""Shares still on sickness benefit at 13/26/39/52 weeks (Kaplan-Meier), the headline that replaces the median."""
import math

import numpy as np

from core_helpers import sim, tiny
from model.headline import KEY_METRICS
from model.results import _km_survival


def test_km_survival_by_hand():
    d = np.array([1, 2, 2, 3, 5, 8, 8, 10])
    e = np.array([1, 1, 1, 1, 0, 1, 1, 0], bool)
    got = _km_survival(d, e, (1, 2, 4, 8, 11))
    # 7/8; 7/8*5/7; *4/5 (t=3); t=8: 3 at risk, 2 end -> 0.5/3; nobody followed beyond 10
    assert np.allclose(got[:4], [7 / 8, 5 / 8, 0.5, 0.5 / 3])
    assert math.isnan(got[4])


def test_headline_shares_are_outputs_and_in_the_cli():
    rep = sim(tiny({"horizon_weeks": 120}))
    vals = [rep.outputs[f"still_on_benefit_{k}w.all"] for k in (13, 26, 39, 52)]
    assert all(0 <= v <= 1 for v in vals) and vals == sorted(vals, reverse=True)
    assert "median_benefit_weeks.all" in rep.outputs  # kept in the tables
    names = [m for m, _, _ in KEY_METRICS]
    assert [f"still_on_benefit_{k}w" for k in (13, 26, 39, 52)] == [n for n in names if n.startswith("still")]
    assert "median_benefit_weeks" not in names
