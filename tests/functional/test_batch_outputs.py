"""Outputs computed from a batch's columns (model/batch_outputs.py) are bit for bit the outputs of the
replication's tables (model/results.py), and the evaluation paths that skip the tables return them."""
from __future__ import annotations

import math

import numpy as np
import pytest

from functional.test_batch_exact import queues_at_capacity
from model import load_scenario, seeds
from model.experiment import evaluate_runs, simulate_batch, simulate_batch_outputs
from model.results import replication_outputs


def assert_identical(got: dict, want: dict) -> None:
    assert list(got) == list(want)  # the same outputs in the same order
    for k, v in want.items():
        assert got[k] == v or (math.isnan(v) and math.isnan(got[k])), (k, got[k], v)


def from_tables(rep, sc, weeks=None) -> dict:
    return replication_outputs(rep.spells, rep.weekly, sc, int(weeks or sc.horizon_weeks))


@pytest.mark.parametrize("scenario, weeks, reps", [
    ("copenhagen_ibbis", None, 4),
    ("hjorring_before_investment", 104, 2),   # the second population: groups by population too
    ("herning_trial", 80, 2),
    ("queues", None, 2),                       # queues, deferred contacts, hours full
])
def test_outputs_from_columns_equal_outputs_from_tables(scenario, weeks, reps):
    sc = queues_at_capacity() if scenario == "queues" else load_scenario(scenario)
    seeds = [np.random.SeedSequence(40 + r) for r in range(reps)]
    batch = simulate_batch(sc, seeds, weeks)
    for rep in batch:
        assert_identical(rep.outputs, from_tables(rep, sc, weeks))
    for got, rep in zip(simulate_batch_outputs(sc, seeds, weeks), batch):  # without tables: the same
        assert_identical(got, rep.outputs)


def test_different_parameters_in_one_batch():
    base = load_scenario("copenhagen_ibbis")
    scs = [base.with_overrides({"pathways.integrated.treatment.uptake": u}) for u in (0.2, 0.9, 0.6)]
    seeds = [np.random.SeedSequence(5), np.random.SeedSequence(6), np.random.SeedSequence(5)]
    for sc, rep in zip(scs, simulate_batch(scs, seeds, 80)):
        assert_identical(rep.outputs, from_tables(rep, sc, 80))


def test_replications_without_spells_take_the_tables_path():
    sc = load_scenario("copenhagen_ibbis").with_overrides({"arrivals.per_year": 0.0})
    for rep in simulate_batch(sc, [np.random.SeedSequence(1), np.random.SeedSequence(2)], 60):
        assert rep.outputs["n_spells.all"] == 0.0
        assert_identical(rep.outputs, from_tables(rep, sc, 60))


def test_evaluate_runs_reads_the_same_outputs_as_the_tables():
    sc = load_scenario("copenhagen_ibbis")
    other = sc.with_overrides({"pathways.integrated.treatment.uptake": 0.5})
    got = evaluate_runs([(sc, np.random.SeedSequence(3)), (other, np.random.SeedSequence(4))], reps=2, weeks=80)
    for (s, seed), out in zip([(sc, 3), (other, 4)], got):
        reps = simulate_batch(s, seeds.children(np.random.SeedSequence(seed), 2), 80)
        want = {k: float(np.mean([from_tables(r, s, 80)[k] for r in reps])) for k in reps[0].outputs}
        for k, v in want.items():
            assert out[k] == v or (math.isnan(v) and math.isnan(out[k])), k


def test_few_arrivals_a_week_at_the_norm_queue_as_alone():
    """Each replication's few arrivals a week (the batch's vectorised one-at-a-time rule) on consultants at
    their norm: the same assignments, queues, tables and outputs as the replications run alone."""
    from functional.test_batch_exact import assert_same
    from model.experiment import simulate

    sc = load_scenario("baseline_standard").with_overrides({
        "name": "few_at_norm", "horizon_weeks": 90, "arrivals.per_year": 450.0,
        "consultants.standard.when_full": "queue", "consultants.standard.caseload_limit": 12,
        "consultants.standard.count": 3, "consultants.standard.hours_per_week": 6.0})
    seeds = [np.random.SeedSequence(90 + r) for r in range(4)]
    batch = simulate_batch(sc, seeds)
    assert any(b.outputs["consultant_wait_weeks.all"] > 0 for b in batch)  # citizens did wait
    assert_same(batch, [simulate(sc, s, replication=r) for r, s in enumerate(seeds)])


def test_scenarios_that_group_differently_take_the_tables_path():
    """Outputs asked with scenarios whose output groups or horizons differ within the batch (here: another
    recovery horizon for one replication) come from each replication's tables, with its own scenario."""
    from model.batch_outputs import batch_outputs
    from model.model import RTWModel

    sc = load_scenario("copenhagen_ibbis")
    seeds = [np.random.SeedSequence(8), np.random.SeedSequence(9)]
    m = RTWModel(sc, seeds, weeks=90, replication=[0, 1]).run()
    asked = [sc, sc.model_copy(update={"recovery_horizon_weeks": 26})]
    got = batch_outputs(m, asked)
    for r, (spells, weekly, _onward) in enumerate(m.tables()):
        assert_identical(got[r], replication_outputs(spells, weekly, asked[r], 90))
    assert got[0]["recovered_share.all"] != got[1]["recovered_share.all"]
