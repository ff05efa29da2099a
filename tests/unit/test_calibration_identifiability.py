"""Identifiability warnings on accepted sets: trade-offs, unconstrained parameters, prior bounds."""
from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.free_parameters import FreeParameters
from calibration.identifiability import edge_warnings, ranges, warnings_for

FREE = FreeParameters.model_validate({"parameters": [
    {"name": "a", "path": "hazard.effects.job_goal", "low": 0.0, "high": 1.0},
    {"name": "b", "path": "pathways.integrated.coordination_effect", "low": 0.0, "high": 1.0},
    {"name": "c", "path": "hazard.effects.employed", "low": 0.1, "high": 10.0, "log": True}]})


def test_trade_off_and_unconstrained_are_warned():
    rng = np.random.default_rng(1)
    a = rng.uniform(0.3, 0.6, 40)
    acc = pd.DataFrame({"a": a, "b": 0.9 - a + rng.normal(0, 0.01, 40), "c": np.exp(rng.uniform(np.log(0.1), np.log(10), 40))})
    text = " | ".join(warnings_for(FREE, acc, n_point_targets=2))
    assert "a and b trade off" in text
    assert "c: accepted values span" in text and "barely constrain" in text
    assert "3 free parameters but 2 point targets" in text
    assert "a: accepted values span" not in text          # a is pinned to 30% of its prior


def test_independent_well_constrained_parameters_give_no_warning():
    rng = np.random.default_rng(2)
    acc = pd.DataFrame({"a": rng.uniform(0.4, 0.5, 40), "b": rng.uniform(0.2, 0.3, 40), "c": rng.uniform(0.9, 1.1, 40)})
    assert warnings_for(FREE, acc, n_point_targets=3) == []


def test_prior_bound_and_too_few_sets():
    acc = pd.DataFrame({"a": [0.99, 0.8, 0.9, 0.85, 0.95], "b": [0.5] * 5, "c": [1.0] * 5})
    assert any("a: accepted values reach the prior's upper bound" in w for w in edge_warnings(ranges(FREE, acc)))
    assert "too few" in warnings_for(FREE, acc.head(2), 3)[0]
