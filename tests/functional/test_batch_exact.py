"""Replications run in one batch (model/batch.py) are bit for bit the replications run one by one.

Every table a replication produces (spells, weekly, effects, onward) and every output must be
identical, not close: the batch is a speed-up, never a different model.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core_helpers import tiny
from functional.test_invariants import scenarios
from model.evidence import evidence_parameter_sets
from model import load_scenario
from model.experiment import simulate, simulate_batch
from model.model import RTWModel


def assert_same(batch, singles) -> None:
    assert [b.replication for b in batch] == [s.replication for s in singles]
    for b, s in zip(batch, singles):
        for what in ("spells", "weekly", "effects", "onward"):
            pd.testing.assert_frame_equal(getattr(b, what), getattr(s, what), check_exact=True, obj=what)
        assert b.outputs.keys() == s.outputs.keys()
        for k, v in s.outputs.items():
            assert b.outputs[k] == v or (np.isnan(v) and np.isnan(b.outputs[k])), k


def queues_at_capacity():
    """Many arrivals on few consultants with few hours: queues, deferred contacts and large bookings."""
    return load_scenario("baseline_standard").with_overrides({
        "name": "queues", "horizon_weeks": 100, "arrivals.per_year": 2500.0,
        "consultants.standard.when_full": "queue", "consultants.standard.caseload_limit": 25,
        "consultants.standard.hours_per_week": 8.0, "consultants.integrated.count": 2,
        "consultants.integrated.caseload_limit": 10, "consultants.integrated.hours_per_week": 5.0})


CASES = {
    "copenhagen_ibbis": lambda: load_scenario("copenhagen_ibbis"),
    "baseline_standard": lambda: load_scenario("baseline_standard"),
    "hjorring_investment": lambda: load_scenario("hjorring_investment"),
    "herning_trial": lambda: load_scenario("herning_trial"),
    "cash_benefit": lambda: load_scenario("hjorring_before_investment"),   # the second population
    "ibbis1_trials": lambda: load_scenario("ibbis1_trials"),
    # the fitted IBBIS point estimate: context spread, other-exit effect and a late effect from week 26 at work
    "ibbis1_trials_fitted": lambda: load_scenario("copenhagen_ibbis").with_overrides(
        {**evidence_parameter_sets("ibbis1_trials")[0], "horizon_weeks": 80}),
    "queues_at_capacity": queues_at_capacity,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_batch_equals_single_runs(case):
    sc = CASES[case]()
    seeds = [np.random.SeedSequence(2026, spawn_key=(r,)) for r in range(3)]
    reps = [4, 7, 9]  # replication numbers need not be 0..R-1
    weeks = min(sc.horizon_weeks, 156)
    singles = [simulate(sc, s, weeks, r) for r, s in zip(reps, seeds)]
    assert_same(simulate_batch(sc, seeds, weeks, reps), singles)


def test_queues_and_large_bookings_are_exercised():
    """The capacity case does what it is there for: queues, deferrals, and weeks with more than the
    calendar's and the pools' small-batch sizes of arrivals per replication."""
    rep = simulate(queues_at_capacity(), np.random.SeedSequence(1))
    assert rep.weekly["consultant_queue.standard"].max() > 100
    assert rep.spells["contact_deferrals"].sum() > 0
    assert (rep.weekly["spells_started"].diff() > 32).any()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_batch_equals_single_runs_property(case, size, seed):
    sc, _ = case
    seeds = [np.random.SeedSequence(seed, spawn_key=(r,)) for r in range(size)]
    assert_same(simulate_batch(sc, seeds), [simulate(sc, s, None, r) for r, s in enumerate(seeds)])


def test_each_replication_has_its_own_staff_and_citizens():
    """Consultants and therapists are per replication (Mesa agents that say whose they are); a citizen is
    only ever on a caseload of its own replication's pool; citizen views are per replication."""
    sc = tiny()
    seeds = [np.random.SeedSequence(5, spawn_key=(r,)) for r in range(3)]
    m = RTWModel(sc, seeds, replication=[10, 11, 12])
    for _ in range(40):
        m.step()
    consultants = [a for a in m.agents if type(a).__name__ == "Consultant"]
    assert len(consultants) == 3 * sum(c.count for c in sc.consultants.values())
    for r in range(3):
        for pool in m.pools_of[r]:
            assert pool.rep == r
            for c in pool.consultants:
                assert c.replication == r
                assert (m.cs.rep[c.caseload] == r).all()
                assert c.load == c.caseload.size
        views = m.citizens_of(r)
        assert len(views) == int(m.layout.arrived_at[r, m.week])
        assert [v.unique_id for v in views] == list(range(len(views)))
        assert {v.replication for v in views} == {10 + r}
    single = RTWModel(sc, seeds[1], replication=11)
    for _ in range(40):
        single.step()
    assert [(c.state, c.pathway, c.spell) for c in single.citizens] == \
        [(c.state, c.pathway, c.spell) for c in m.citizens_of(1)]


def test_a_batch_needs_one_number_per_seed():
    with pytest.raises(ValueError, match="one replication number per seed"):
        RTWModel(tiny(), [np.random.SeedSequence(1)] * 2, replication=[0])


def test_run_and_compare_do_not_depend_on_the_batch_size():
    """run/compare/evaluate simulate replications of a parameter set in batches; the results and the
    progress reports (one per replication) are those of batches of one."""
    from model.experiment import compare, evaluate, run

    sc = tiny()
    seen: list[tuple[int, int]] = []
    one = run(sc, reps=5, seed=3, batch=1)
    many = run(sc, reps=5, seed=3, batch=4, progress=lambda k, n: seen.append((k, n)))
    assert seen == [(k, 5) for k in range(1, 6)]
    pd.testing.assert_frame_equal(one.outputs, many.outputs, check_exact=True)
    pd.testing.assert_frame_equal(one.spells, many.spells, check_exact=True)
    sets = [{"pathways.integrated.coordination_effect": 0.1}, {"pathways.integrated.coordination_effect": 0.4}]
    a = compare([tiny(name="base"), tiny(name="policy")], reps=5, seed=2, parameter_sets=sets, batch=1)
    b = compare([tiny(name="base"), tiny(name="policy")], reps=5, seed=2, parameter_sets=sets, batch=16)
    pd.testing.assert_frame_equal(a.differences(), b.differences(), check_exact=True)
    assert evaluate(sc, 9, reps=3, batch=1) == evaluate(sc, 9, reps=3)


def test_batches_stay_below_the_citizen_limit_and_bad_sizes_are_refused():
    from model.experiment import MAX_CITIZENS, ScenarioError, _tasks, batch_size, expected_citizens, run

    big = tiny({"arrivals.per_year": 40_000.0}, horizon_weeks=156)   # about 120,000 citizens a replication
    assert batch_size(big, None, 20) == MAX_CITIZENS // int(expected_citizens(big))
    assert batch_size(tiny(), None, 20, workers=2) == 10   # every worker gets a batch
    assert batch_size(tiny(), None, 40, workers=1, batch=8) == 8
    sets = [{"hazard.other_exit_weekly": 0.0}, {"hazard.other_exit_weekly": 0.01}]
    tasks = _tasks(tiny(), 7, 1, None, sets)   # sets differing in a per-replication parameter share a batch
    assert [t[3] for t in tasks] == [[0, 1, 2, 3, 4, 5, 6]]
    assert [sc.hazard.other_exit_weekly for sc in tasks[0][0]] == [0.0, 0.01, 0.0, 0.01, 0.0, 0.01, 0.0]
    tasks = _tasks(tiny(), 7, 1, None, [{"consultants.standard.count": 2}, {"consultants.standard.count": 3}])
    assert [t[3] for t in tasks] == [[0, 2, 4, 6], [1, 3, 5]]   # structural differences: a batch per set
    for bad in (0, -1, 2.5, True, "4"):
        with pytest.raises(ScenarioError, match="batch must be a whole number"):
            run(tiny(), reps=2, batch=bad)
