"""Replications with different parameters in one batch (model/batch_key.py) are bit for bit the runs alone.

A Sobol row or a calibration candidate differs from its neighbours only in numeric parameters; the
kernel reads those (``BATCHED_PATHS``) per replication. Every table and output must be identical to the
run of each (scenario, seed) alone, and anything else that differs must split the batch or be refused.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functional.test_batch_exact import assert_same
from model import BatchKeyError, load_scenario
from model.batch_key import BATCHED_PATHS, batch_key, group_by_key
from model.experiment import evaluate, evaluate_runs, simulate, simulate_batch, simulate_runs
from model.model import RTWModel
from sensitivity.evaluators import ModelEvaluator
from sensitivity.problem import load_problem

SOBOL = load_problem(Path(__file__).resolve().parents[2] / "analysis/problems/copenhagen_ibbis_sobol.yaml")
EVALUATOR = ModelEvaluator("copenhagen_ibbis")
WEEKS = 104


def sobol_scenario(values):
    return load_scenario("copenhagen_ibbis").with_overrides(
        EVALUATOR.overrides(dict(zip(SOBOL.parameter_names, values))))


def low_high(path: str, low, high) -> list:
    base = load_scenario("copenhagen_ibbis")
    if ".late_effect." in path:
        base = base.with_overrides({"pathways.integrated.late_effect.from_week": 20})
    return [base.with_overrides({path: low}), base.with_overrides({path: high})]


# every parameter of the shipped Sobol problem at both ends of its range, and hazard coefficients in general
SOBOL_PAIRS = {p.path: (int(round(p.bounds[0])), int(round(p.bounds[1]))) if isinstance(
    load_scenario("copenhagen_ibbis").get_path(p.path), int) else tuple(p.bounds) for p in SOBOL.parameters}
OTHER_PAIRS = {
    "hazard.baseline_weekly.depression": (0.006, 0.03),
    "hazard.risk_multiplier.high": (0.3, 1.0),
    "hazard.effects.employed": (0.0, 0.6),
    "hazard.effects.recent_contact": (0.0, 0.4),
    "hazard.other_exit_weekly": (0.0, 0.02),
    "pathways.integrated.coordination_effect": (0.0, 0.5),
    "pathways.integrated.context_log_sd": (0.0, 0.8),
    "pathways.integrated.diagnosis_effect.depression_anxiety": (-0.3, 0.5),
    "pathways.integrated.other_exit_effect.stress_related": (-2.0, 0.0),
    "pathways.integrated.treatment.course.mean": (6.0, 20.0),
    "pathways.standard.treatment.uptake": (0.2, 1.0),
    "consultants.standard.caseload_limit": (15, 70),   # stretch mode: the follow-up interval stretches
    "rules.extension.nr4_rehabilitation_team": (0.0, 0.6),
    # a late effect in one replication and none in the other (the fitted IBBIS evidence has one)
    "pathways.integrated.late_effect.diagnosis_effect.depression_anxiety": (0.0, 0.6),
}
BUDGET_PAIRS = {   # read by the budget only: the same spells, other budget outputs
    "economics.tax.tax_rate": (0.3, 0.45),
    "economics.discount.rate": (0.0, 0.06),
    "economics.therapist_fte_dkk": (500_000.0, 900_000.0),
    "economics.providers.jobcentre_health.fte_dkk": (500_000.0, 900_000.0),
}


def pairs_run(pairs: dict) -> None:
    """For each path: its two values on the same seed differ when run alone (the parameter matters), and
    one batch of all of them gives each run exactly; a replication reading another's value would fail."""
    scs, names = [], []
    for path, (lo, hi) in pairs.items():
        scs += low_high(path, lo, hi)
        names += [f"{path}={lo}", f"{path}={hi}"]
    seeds = [np.random.SeedSequence(11)] * len(scs)   # common random numbers: only the parameter differs
    singles = [simulate(sc, s, WEEKS, r) for r, (sc, s) in enumerate(zip(scs, seeds))]
    for k in range(0, len(scs), 2):
        a, b = singles[k].spells, singles[k + 1].spells
        assert not (a.shape == b.shape and a.equals(b)), f"{names[k]} and {names[k + 1]} give the same spells"
    assert_same(simulate_batch(scs, seeds, WEEKS, list(range(len(scs)))), singles)


def test_budget_parameters_are_read_per_replication():
    scs = [sc for path, (lo, hi) in BUDGET_PAIRS.items() for sc in low_high(path, lo, hi)]
    seeds = [np.random.SeedSequence(11)] * len(scs)
    singles = [simulate(sc, s, WEEKS, r, budget=True) for r, (sc, s) in enumerate(zip(scs, seeds))]
    for k in range(0, len(scs), 2):
        assert singles[k].outputs != singles[k + 1].outputs, list(BUDGET_PAIRS)[k // 2]
    assert_same(simulate_batch(scs, seeds, WEEKS, list(range(len(scs))), budget=True), singles)


def test_each_sobol_parameter_is_read_per_replication():
    pairs_run(SOBOL_PAIRS)


def test_hazard_coefficients_and_other_parameters_are_read_per_replication():
    pairs_run(OTHER_PAIRS)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.floats(*p.bounds) for p in SOBOL.parameters]), min_size=2, max_size=4),
       st.integers(0, 2**32 - 1), st.booleans())
def test_sobol_rows_in_one_batch_equal_single_runs(rows, seed, common):
    scs = [sobol_scenario(v) for v in rows]
    seeds = [np.random.SeedSequence(seed, spawn_key=(0 if common else r,)) for r in range(len(rows))]
    singles = [simulate(sc, s, 80, r) for r, (sc, s) in enumerate(zip(scs, seeds))]
    assert_same(simulate_batch(scs, seeds, 80), singles)


def test_structural_differences_are_refused_with_the_field_named():
    base = load_scenario("copenhagen_ibbis")
    seeds = [np.random.SeedSequence(1, spawn_key=(r,)) for r in range(2)]
    for change, field in (({"horizon_weeks": 100}, "horizon_weeks"),
                          ({"consultants.standard.count": 5}, "consultants.standard.count"),
                          ({"pathways.integrated.meetings.count": 2}, "pathways.integrated.meetings.count"),
                          ({"rules.extension.rehabilitation_team_weeks": 12}, "rules.extension.rehabilitation_team_weeks")):
        other = base.with_overrides(change)
        assert batch_key(other) != batch_key(base)
        with pytest.raises(BatchKeyError, match=f"'{field}'"):
            RTWModel([base, other], seeds, weeks=20, replication=[0, 1])
        with pytest.raises(BatchKeyError, match=f"'{field}'"):
            simulate_batch([base, other], seeds, 20)
    with pytest.raises(ValueError, match="one scenario per seed"):
        RTWModel([base], seeds, weeks=20, replication=[0, 1])
    # a batched parameter does not change the key
    assert batch_key(base.with_overrides({"hazard.effects.job_goal": 0.3, "providers.jobcentre_health.therapists": 6,
                                          "pathways.standard.treatment.delay.mean": 7.0})) == batch_key(base)
    assert all(p.count(".") >= 1 for p in BATCHED_PATHS)


def test_simulate_runs_splits_by_batch_key_and_keeps_the_order():
    base = load_scenario("copenhagen_ibbis")
    other = base.with_overrides({"consultants.standard.count": 5})
    varied = base.with_overrides({"hazard.effects.wellbeing": 0.3})
    scs = [base, other, varied, other, base]
    assert group_by_key(scs) == [[0, 2, 4], [1, 3]]
    seeds = [np.random.SeedSequence(3, spawn_key=(r,)) for r in range(5)]
    got = simulate_runs(list(zip(scs, seeds)), WEEKS, [10, 11, 12, 13, 14], batch=2)
    assert_same(got, [simulate(sc, s, WEEKS, 10 + r) for r, (sc, s) in enumerate(zip(scs, seeds))])


def test_evaluate_runs_equals_evaluate_point_by_point():
    """Sensitivity's batched evaluation: the same dicts as ``evaluate`` of each point (with a baseline run once
    per distinct seed, common random numbers)."""
    base = load_scenario("copenhagen_ibbis").with_overrides({"horizon_weeks": WEEKS})
    policy = [base.with_overrides({"hazard.effects.job_goal": v, "name": "policy"}) for v in (0.0, 0.2, 0.3)]
    points = [(sc, np.random.SeedSequence(5, spawn_key=(0,))) for sc in policy]
    points.append((policy[1], np.random.SeedSequence(5, spawn_key=(3,))))
    got = evaluate_runs(points, reps=2, baseline=base)
    assert got == [evaluate(sc, s, reps=2, baseline=base) for sc, s in points]
