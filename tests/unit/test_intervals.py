"""The interval of replications that cycled parameter sets: the range over the sets, not the simulation noise."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from model.intervals import evidence_interval, replication_interval, t_interval


def _draw(k: int, per_set: int, tau: float, sigma: float, seed: int):
    rng = np.random.default_rng(seed)
    mu = rng.normal(0.0, tau, k)
    sets = np.tile(np.arange(k), per_set)   # replication r uses set r mod k, as run/compare cycle them
    return mu, sets, mu[sets] + rng.normal(0.0, sigma, sets.size)


def test_one_set_is_the_t_interval():
    x = np.random.default_rng(1).normal(size=20)
    assert replication_interval(x, 1) == t_interval(x)
    assert evidence_interval(x, np.zeros(20, int)) == t_interval(x)


def test_the_interval_covers_the_sets_and_does_not_narrow_with_more_replications():
    """Spread between sets tau = 1, noise within sigma = 0.5: about 95% of the sets' expected results lie
    inside, whether each set ran twice or eight times; the t-interval of the mean covers far fewer."""
    inside, inside_t, widths = [], [], {2: [], 8: []}
    for seed in range(60):
        for per_set in (2, 8):
            mu, sets, x = _draw(30, per_set, 1.0, 0.5, seed)
            m, _sd, lo, hi = evidence_interval(x, sets)
            widths[per_set].append(hi - lo)
            if per_set == 2:
                inside.append(np.mean((mu >= lo) & (mu <= hi)))
                _m, _s, tlo, thi = t_interval(x)
                inside_t.append(np.mean((mu >= tlo) & (mu <= thi)))
    assert 0.88 < np.mean(inside) < 0.99
    assert np.mean(inside_t) < 0.35
    assert np.mean(widths[8]) == pytest.approx(np.mean(widths[2]), rel=0.15)


def test_without_spread_between_sets_it_is_close_to_the_noise_interval():
    mu, sets, x = _draw(20, 4, 0.0, 1.0, 3)
    _m, _sd, lo, hi = evidence_interval(x, sets)
    _m, _sd, tlo, thi = t_interval(x)
    assert (hi - lo) < 2.5 * (thi - tlo)


def test_each_set_once_gives_the_interval_of_one_further_replication():
    x = np.random.default_rng(4).normal(size=25)
    m, sd, lo, hi = evidence_interval(x, np.arange(25))
    assert m == pytest.approx(x.mean()) and sd == pytest.approx(x.std(ddof=1))
    assert hi - lo > 3.9 * sd   # about ±2.06·sd·sqrt(1 + 1/25), not ±2.06·sd/5


@settings(max_examples=40, deadline=None)
@given(k=st.integers(2, 12), per_set=st.integers(1, 5), seed=st.integers(0, 10_000),
       nan_at=st.lists(st.integers(0, 59), max_size=3))
def test_the_interval_holds_its_mean_and_is_never_narrower_than_the_noise_interval(k, per_set, seed, nan_at):
    _mu, sets, x = _draw(k, per_set, 0.7, 0.4, seed)
    x[[i for i in nan_at if i < x.size]] = np.nan
    m, sd, lo, hi = evidence_interval(x, sets)
    if np.isnan(lo):
        return
    assert lo <= m <= hi and sd >= 0
    ok = ~np.isnan(x)
    if np.unique(sets[ok]).size >= 2:
        _tm, _ts, tlo, thi = t_interval(x)
        assert hi - lo >= 0.5 * (thi - tlo)


def test_runs_over_parameter_sets_report_the_range_over_the_sets():
    """run() with parameter sets records how many it cycled, and its summary's interval is the evidence
    interval over them (wider than the noise-only interval when the sets differ)."""
    from model import load_scenario
    from model.experiment import run

    sc = load_scenario("copenhagen_ibbis").with_overrides({"horizon_weeks": 104})
    sets = [{"hazard.effects.job_goal": v} for v in (-0.6, 0.0, 0.6)]
    res = run(sc, reps=6, seed=5, parameter_sets=sets, jobs=1)
    assert res.n_sets == 3 and run(sc, reps=2, seed=5, jobs=1).n_sets == 1
    row = res.summary().set_index("output").loc["recovered_share.integrated"]
    x = res.outputs["recovered_share.integrated"].to_numpy()
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(evidence_interval(x, np.arange(6) % 3)[2:])
    _m, _sd, tlo, thi = t_interval(x)
    assert row["ci_high"] - row["ci_low"] > thi - tlo


def test_an_evidence_base_uses_at_most_twenty_sets_evenly_spread_each_run_twice():
    from model.evidence import MAX_EVIDENCE_SETS, evidence_parameter_sets, evidence_reps, thin_sets

    sets = [{"x": i} for i in range(64)]
    kept = thin_sets(sets)
    assert len(kept) == MAX_EVIDENCE_SETS and kept[0] == {"x": 0} and kept[-1] == {"x": 63}
    assert len({k["x"] for k in kept}) == MAX_EVIDENCE_SETS
    assert thin_sets(sets[:5]) == sets[:5]
    assert evidence_reps(20) == 40 and evidence_reps(3) == 10
    assert len(evidence_parameter_sets("herning_trial")) <= MAX_EVIDENCE_SETS
