"""The compiled hazard step and weekly counts (model/hazard_kernel.py) give bit for bit the numpy reading:
``HazardModel.contributions``, the stacked terms summed, numpy's exp, weighted ``bincount`` per key."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import hazard_kernel as kernel
from model.hazards import EFFECT_NAMES, HazardModel, geometric_weeks_many
from model.scenario import load_scenario
from model.state import HAZARD_COLUMNS, HC

NPW = 5
HZ = HazardModel(load_scenario("copenhagen_ibbis"), 300)
STATICS = [HC["eff_employed"], HC["eff_category1"], HC["eff_coordination"]]


def _citizens(rng: np.random.Generator, n: int, w: int, npw: int) -> np.ndarray:
    """A hazard matrix with values of every kind the model writes (including -inf static log-hazards)."""
    hs = np.zeros((n, len(HAZARD_COLUMNS)))
    c = HC
    hs[:, c["H"]] = rng.exponential(0.5, n)
    hs[:, c["E"]] = rng.exponential(1.0, n)
    hs[:, c["lin_static"]] = np.where(rng.random(n) < 0.05, -np.inf, rng.normal(-3, 1, n))
    hs[:, c["who5_0"]] = rng.uniform(0, 100, n)
    hs[:, c["progress"]] = rng.random(n)
    hs[:, c["last_contact"]] = np.where(rng.random(n) < 0.2, -1e6, w - rng.integers(0, 10, n))
    hs[:, c["job_goal"]] = rng.integers(0, 2, n)
    hs[:, c["meetings"]] = rng.integers(0, 6, n)
    hs[:, c["spell_start"]] = w - rng.integers(0, 300, n)
    hs[:, c["state_mult"]] = rng.choice([1.0, 0.5, 0.0, 1.7], n)
    hs[:, c["treat_start"]] = w - rng.integers(0, 20, n)
    hs[:, c["treat_len"]] = rng.integers(1, 16, n)
    for k in STATICS:
        hs[:, k] = rng.normal(0, 0.3, n)
    hs[:, c["pathway_f"]] = rng.integers(0, npw, n)
    hs[:, c["no_duration"]] = rng.integers(0, 2, n)
    hs[:, c["late_delta"]] = rng.normal(0, 0.2, n)
    hs[:, c["late_week"]] = w - rng.integers(-5, 5, n)
    return hs


def _numpy_step(hs, active, n, in_treat, rep, w, beta, has_late, use_no_duration, sums, weeks, npw):
    """The numpy reading (the code the kernels replaced); updates ``hs``, ``sums``, ``weeks``; the returners."""
    idx = np.flatnonzero(active[:n])
    if idx.size == 0:
        return idx
    tr = idx[in_treat[idx]]
    hs[tr, HC["progress"]] = np.minimum(1.0, (w - hs[tr, HC["treat_start"]]) / hs[tr, HC["treat_len"]])
    X = hs[idx]
    b = {name: beta[rep[idx], k] for k, name in enumerate(EFFECT_NAMES[:5])}
    contrib = HZ.contributions(w, X[:, HC["who5_0"]], X[:, HC["progress"]], X[:, HC["last_contact"]],
                               X[:, HC["job_goal"]], X[:, HC["meetings"]], b)
    assert list(contrib) == list(EFFECT_NAMES[:5])
    terms = np.stack(list(contrib.values()))
    lin = X[:, HC["lin_static"]] + terms.sum(axis=0)
    if has_late:
        lin += X[:, HC["late_delta"]] * (w >= X[:, HC["late_week"]])
    sweek = np.minimum(w - X[:, HC["spell_start"]], HZ.duration.size - 1).astype(np.int64)
    dur = HZ.duration[sweek]
    if use_no_duration:
        dur = np.where(X[:, HC["no_duration"]] > 0, 1.0, dur)
    H = X[:, HC["H"]] + np.exp(lin) * dur * X[:, HC["state_mult"]]
    hs[idx, HC["H"]] = H
    key = X[:, HC["pathway_f"]].astype(np.intp) + rep[idx] * npw
    weeks += np.bincount(key, minlength=weeks.size)
    for j in range(8):
        sums[j] += np.bincount(key, weights=terms[j] if j < 5 else X[:, STATICS[j - 5]], minlength=weeks.size)
    return idx[H >= X[:, HC["E"]]]


def _kernel_step(hs, active, n, in_treat, rep, w, beta, has_late, use_no_duration, sums, weeks):
    size = hs.shape[0]
    rows, lin, aux = np.empty(size, np.int64), np.empty(size), np.empty((size, 4))
    m = kernel.hazard_linear(hs, active, n, in_treat, rep, w, beta, HZ.who5_gain, float(HZ.window),
                             float(HZ.meeting_cap), has_late, HZ.duration, use_no_duration, sums, weeks, rows, lin, aux)
    if m == 0:
        return np.empty(0, np.int64)
    expl = np.exp(lin[:m], out=lin[:m])
    return kernel.hazard_apply(hs, rows[:m], expl, aux[:m])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 400), reps=st.integers(1, 4),
       has_late=st.booleans(), use_no_duration=st.booleans(), weeks=st.integers(1, 4))
def test_hazard_step_is_the_numpy_reading_bit_for_bit(seed, n, reps, has_late, use_no_duration, weeks):
    rng = np.random.default_rng(seed)
    w0 = int(rng.integers(0, 200))
    hs = _citizens(rng, n + 7, w0, NPW)
    active = rng.random(n + 7) < 0.6
    in_treat = active & (rng.random(n + 7) < 0.3)
    rep = np.sort(rng.integers(0, reps, n + 7))
    beta = rng.normal(0, 0.3, (reps, 5))
    beta[:, 2] = np.where(rng.random(reps) < 0.3, -0.0, beta[:, 2])  # a negative zero times False: -0.0
    hs_np = hs.copy()
    sums_np, weeks_np = np.zeros((8, reps * NPW)), np.zeros(reps * NPW)
    sums, weeks_k = np.zeros((8, reps * NPW)), np.zeros(reps * NPW)
    for w in range(w0, w0 + weeks):  # several weeks: sums carried over, progress and H updated in place
        back = _numpy_step(hs_np, active, n, in_treat, rep, w, beta, has_late, use_no_duration, sums_np, weeks_np, NPW)
        got = _kernel_step(hs, active, n, in_treat, rep, w, beta, has_late, use_no_duration, sums, weeks_k)
        np.testing.assert_array_equal(got, back)
        assert got.dtype == back.dtype
    assert hs.tobytes() == hs_np.tobytes()  # every bit, signs of zeros included
    assert sums.tobytes() == sums_np.tobytes()
    assert weeks_k.tobytes() == weeks_np.tobytes()


def test_an_active_citizen_without_a_pathway_is_an_error():
    rng = np.random.default_rng(1)
    hs = _citizens(rng, 5, 10, NPW)
    hs[3, HC["pathway_f"]] = -1
    with pytest.raises(ValueError, match="without a pathway"):
        _kernel_step(hs, np.ones(5, bool), 5, np.zeros(5, bool), np.zeros(5, np.int64), 10, np.zeros((1, 5)),
                     False, False, np.zeros((8, NPW)), np.zeros(NPW))


def _numpy_counts(n, rep, state, pathway, active, in_treat, in_aftercare, group, provider, pool_of, queued_state,
                  R, ks):
    """The numpy reading: one bincount per (replication, code) table."""
    def count(mask, codes, k, via=None):
        c = codes[mask] if via is None else via[codes[mask]]
        return np.bincount(rep[:n][mask] * k + c, minlength=R * k).reshape(R, k)
    st_, pw, prov = state[:n], pathway[:n], provider[:n]
    has = prov >= 0
    treating = has & in_treat[:n]
    n_state, npw, n_group, n_pool, n_prov = ks
    return (count(st_ >= 0, st_, n_state), count(active[:n], pw, npw), count(in_treat[:n], pw, npw),
            count(in_aftercare[:n], pw, npw), count(active[:n], group[:n], n_group),
            count(st_ == queued_state, pw, n_pool, pool_of), count(has & ~treating, prov, n_prov),
            count(treating, prov, n_prov))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 500), reps=st.integers(1, 5), by_group=st.booleans())
def test_weekly_counts_are_the_bincounts(seed, n, reps, by_group):
    rng = np.random.default_rng(seed)
    size, n_state, npw, n_group, n_pool, n_prov, queued_state = n + 9, 15, NPW, 3, 2, 3, 0
    rep = np.sort(rng.integers(0, reps, size))
    state = rng.integers(-1, n_state, size).astype(np.int8)
    pathway = rng.integers(-1, npw, size).astype(np.int8)
    has_pw = pathway >= 0
    state[~has_pw & (state == queued_state)] = 1
    active = has_pw & (rng.random(size) < 0.5)
    in_treat = has_pw & (rng.random(size) < 0.2)
    in_aftercare = has_pw & (rng.random(size) < 0.1)
    group = rng.integers(0, n_group, size)
    provider = np.where(rng.random(size) < 0.3, rng.integers(0, n_prov, size), -1).astype(np.int8)
    pool_of = rng.integers(0, n_pool, npw)
    ks = (n_state, npw, n_group, n_pool, n_prov)
    want = _numpy_counts(n, rep, state, pathway, active, in_treat, in_aftercare, group, provider, pool_of,
                         queued_state, reps, ks)
    # each count's columns, in a shuffled row with unrecorded codes (-1) and other columns left alone
    sizes = [n_state, npw, npw, npw, n_group if by_group else 0, n_pool, n_prov, n_prov]
    width = sum(sizes) + 3
    place = rng.permutation(width)
    cols = np.full((8, max(sizes)), -1, np.int64)
    at = 0
    for what, k in enumerate(sizes):
        cols[what, :k] = place[at:at + k]
        at += k
    row = rng.random((reps, width))
    untouched = row[:, place[at:]].copy()
    kernel.weekly_counts(n, rep, state, pathway, active, in_treat, in_aftercare, group, provider, pool_of,
                         queued_state, row, cols)
    for what, (k, x) in enumerate(zip(sizes, want)):
        np.testing.assert_array_equal(row[:, cols[what, :k]], x[:, :k])
    np.testing.assert_array_equal(row[:, place[at:]], untouched)


@pytest.mark.parametrize("a, b", [(0.5, 1.0), (1.0, 0.5), (np.nan, 1.0), (1.0, np.nan), (2.0, 2.0), (-np.inf, 1.0)])
def test_minimum_is_numpys(a, b):
    assert np.array_equal(kernel._np_minimum(a, b), np.minimum(a, b), equal_nan=True)


def test_without_a_writable_cache_the_kernels_compile_with_a_warning(monkeypatch):
    def njit(*args, **kwargs):
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return args[0]
    monkeypatch.setattr(kernel, "njit", njit)
    with pytest.warns(UserWarning, match="compiling it in each process"):
        f = kernel._compiled(lambda x: x + 1)
    assert f(1) == 2


def _numpy_geometric_weeks(e, rate):
    """The numpy reading of model.hazards.geometric_weeks_many (as it was before the compiled loop)."""
    with np.errstate(invalid="ignore"):  # inf / inf: NaN, never < 1e12
        need = e / np.where(rate > 1e-250, rate, 1.0)
    return np.where((rate > 1e-250) & (need < 1e12), np.maximum(1.0, np.ceil(need - 1e-12)), np.inf)


_rates = st.one_of(st.sampled_from([0.0, 1e-300, 1e-250, 1e-13, np.inf]), st.floats(1e-6, 50.0))
_thresholds = st.one_of(st.sampled_from([0.0, 1e-12, 2e-12, 1.0, 3.0, np.inf]), st.floats(0.0, 40.0))


@settings(max_examples=60, deadline=None)
@given(e=st.lists(_thresholds, max_size=12), rates=st.lists(_rates, min_size=12, max_size=12), one=st.booleans())
def test_geometric_weeks_are_the_numpy_reading(e, rates, one):
    e = np.array(e, float)
    rate = np.array(rates[:1] if one else rates[:e.size], float)
    got = geometric_weeks_many(e, rate[0] if one else rate)
    want = _numpy_geometric_weeks(e, np.broadcast_to(rate, e.shape) if one else rate)
    assert got.tobytes() == want.tobytes()
    assert geometric_weeks_many(e.reshape(-1, 1), rates[0]).shape == (e.size, 1)
