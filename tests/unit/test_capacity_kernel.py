"""The compiled capacity loops (model/capacity_kernel.py) against plain readings of their rules, on random
inputs: the same answers and the same counts, to the last bit for the hours."""
from collections import deque
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from model import capacity_kernel as kernel
from model import rules as statute
from model.capacity import WaitingLists
from model.distributions import Empirical, Fixed, Geometric, LogNormal
from model.pathway_statute import StatuteRules


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_take_therapists_one_citizen_at_a_time(seed):
    rng = np.random.default_rng(seed)
    R, T = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    n_ther = rng.integers(0, T + 1, R)
    slots = rng.integers(1, 4, R)
    used = np.zeros((R, T), np.int64)
    for r in range(R):
        used[r, :n_ther[r]] = rng.integers(0, slots[r] + 1, n_ther[r])
    n = int(rng.integers(0, 30))
    reps = rng.integers(0, R, n)
    required = np.where(rng.random(n) < 0.4, rng.integers(0, T, n), -1)
    required = np.where(required < n_ther[reps], required, -1)
    want_used, want = used.copy(), []
    for r, req in zip(reps.tolist(), required.tolist()):  # TreatmentProvider.free_therapist, then assign
        row = want_used[r, :n_ther[r]]
        if req >= 0:
            k = req if row[req] < slots[r] else -1
        else:
            k = int(row.argmin()) if row.size else -1
            k = k if k >= 0 and row[k] < slots[r] else -1
        if k >= 0:
            row[k] += 1
        want.append(k)
    got = kernel.take_therapists(used, n_ther, slots, reps, required)
    assert got.tolist() == want
    assert used.tolist() == want_used.tolist()


def _hours_reference(used, keys, reps, hours, limit, many):
    """CaseloadPool.book_hours before the kernel: one at a time for a replication's few requests, the
    vectorised room rule for its many."""
    used = used.copy()
    ok = np.zeros(keys.size, bool)
    count = np.bincount(reps)[reps]
    for j in np.flatnonzero(count <= many):
        after = used[keys[j]] + hours
        if after <= limit + 1e-9:
            used[keys[j]] = after
            ok[j] = True
    at = np.flatnonzero(count > many)
    if at.size:
        kk = keys[at]
        room = np.floor((limit + 1e-9 - used) / hours + 1e-9).astype(np.int64)
        order = np.argsort(kk, kind="stable")
        sk = kk[order]
        starts = np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1]]))
        rank = np.arange(sk.size) - np.repeat(starts, np.diff(np.append(starts, sk.size)))
        got = np.empty(at.size, bool)
        got[order] = rank < room[sk]
        np.add.at(used, kk[got], hours)
        ok[at] = got
    return ok, used


def test_book_hours_as_before_few_and_many():
    rng = np.random.default_rng(5)
    for trial in range(300):
        R, C = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        hours = float(rng.choice([0.5, 0.75, 1.0, 1.5, 0.1]))
        limit = float(rng.choice([2.0, 3.7, 7.5, 20.0]))
        used = np.round(rng.random(R * C) * limit * 4) / 4
        n = int(rng.integers(0, 90))
        reps = rng.integers(0, R, n)
        keys = reps * C + rng.integers(0, C, n)
        many = int(rng.choice([4, 32]))
        want_ok, want_used = _hours_reference(used, keys, reps, hours, limit, many)
        got_used = used.copy()
        got = kernel.book_hours(got_used, keys, reps, R, hours, limit + 1e-9, many)
        assert got.tolist() == want_ok.tolist(), trial
        assert got_used.tobytes() == want_used.tobytes(), trial


def test_waiting_lists_serve_as_one_fifo_list():
    """Random joins, departures (token changes) and freed therapists: the same citizens, in the same order,
    as one FIFO list scanned for the first citizen the therapist may treat."""
    rng = np.random.default_rng(11)
    for trial in range(40):
        R, T, N = int(rng.integers(1, 4)), int(rng.integers(1, 4)), 60
        lists = WaitingLists(R, T)
        tokens = np.zeros(N, np.int64)
        plain: list[deque] = [deque() for _ in range(R)]  # (citizen, token, required)
        for step in range(80):
            what = rng.random()
            if what < 0.45:
                reps = rng.integers(0, R, int(rng.integers(1, 4)))
                idx = rng.integers(0, N, reps.size)
                req = np.where(rng.random(reps.size) < 0.5, rng.integers(0, T, reps.size), -1)
                lists.join(reps, idx, req, tokens)
                for r, i, q in zip(reps.tolist(), idx.tolist(), req.tolist()):
                    plain[r].append((i, int(tokens[i]), q))
            elif what < 0.6:
                tokens[rng.integers(0, N)] += 1  # a citizen leaves the list
            else:
                reps = rng.integers(0, R, int(rng.integers(1, 4)))
                ks = rng.integers(0, T, reps.size).astype(np.int32)
                want, used = [], rng.integers(5, 9, (R, T))
                want_used = used.copy()
                for r, k in zip(reps.tolist(), ks.tolist()):
                    hit = next((e for e in plain[r] if tokens[e[0]] == e[1] and e[2] in (-1, k)), None)
                    if hit is not None:
                        plain[r].remove(hit)
                    else:
                        want_used[r, k] -= 1  # nobody to take: the slot is free again
                    want.append(-1 if hit is None else hit[0])
                assert lists.serve(reps, ks, tokens, used).tolist() == want, (trial, step)
                np.testing.assert_array_equal(used, want_used)


def test_admit_least_loaded_one_citizen_at_a_time():
    rng = np.random.default_rng(2)
    for trial in range(200):
        R, C = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        limits = rng.integers(1, 6, R)
        queue_mode = bool(trial % 2)
        loads = rng.integers(0, 7, (R, C))
        reps = rng.integers(0, R, int(rng.integers(0, 40)))
        want_loads, want, full = loads.copy(), [], set()
        for r in reps.tolist():
            c = min(range(C), key=lambda x: (want_loads[r, x], x))
            if r in full or (queue_mode and want_loads[r, c] >= limits[r]):
                full.add(r)  # this one and the replication's later ones wait
                want.append(-1)
                continue
            want_loads[r, c] += 1
            want.append(c)
        assert kernel.admit_least_loaded(loads, limits, reps, queue_mode).tolist() == want
        assert loads.tolist() == want_loads.tolist()


def test_passing_weeks_of_many_equal_the_rule():
    """StatuteRules._passing_weeks (all relapsed citizens at once) against rules.passing_week, one by one."""
    rng = np.random.default_rng(7)
    n, K, window, limit = 400, 4, 39, 22
    paid_n = rng.integers(1, K + 1, n).astype(np.int8)
    a = np.sort(rng.integers(0, 200, (n, K)), axis=1)
    b = a + rng.integers(0, 40, (n, K))
    start = b.max(axis=1) + rng.integers(-10, 60, n)
    host = SimpleNamespace(cs=SimpleNamespace(paid_a=a, paid_b=b, paid_n=paid_n), _window=window)
    idx = np.arange(n)
    got = StatuteRules._passing_weeks(host, idx, start, limit)
    want = [statute.passing_week(int(start[i]), list(zip(a[i, :paid_n[i]].tolist(), b[i, :paid_n[i]].tolist())),
                                 limit, window) for i in range(n)]
    assert got.tolist() == want


def test_weeks_of_a_few_citizens_equal_the_table():
    """Weeks computed for the citizens concerned equal a table of every citizen's weeks (element-wise)."""
    rng = np.random.default_rng(3)
    u = rng.random((5000, 3))
    dists = [LogNormal(dist="lognormal", mean=12.0, sd=7.0, max_weeks=60),
             Geometric(dist="geometric", mean=9.0), Fixed(dist="fixed", weeks=6),
             Empirical(dist="empirical", values=[2, 8, 20], probs=[0.2, 0.5, 0.3])]
    for d in dists:
        table = d.weeks(u)
        for size in (1, 2, 3, 7, 8, 9, 15, 16, 17, 33, 250):
            i, s = rng.integers(0, 5000, size), rng.integers(0, 3, size)
            assert d.weeks(u[i, s]).tolist() == table[i, s].tolist()


@pytest.mark.parametrize("completed", [True, False])
def test_end_courses_are_the_numpy_reading(completed):
    rng = np.random.default_rng(5 + completed)
    for trial in range(50):
        N, M, w = 40, 60, int(rng.integers(0, 300))
        idx = rng.permutation(N)[:int(rng.integers(0, 12))]
        rows = rng.permutation(M)[:idx.size]
        hs = rng.normal(0, 1, (N, 5))  # strided columns, as the hazard matrix's
        treat_start, treat_len, progress = hs[:, 0], hs[:, 1], hs[:, 2]
        treat_start[:] = w - rng.integers(0, 60, N)
        treat_len[:] = rng.integers(1, 40, N)
        pathway = rng.integers(0, 5, N).astype(np.int8)
        in_treat = rng.random(N) < 0.8
        treat_token = rng.integers(0, 5, N)
        therapist = rng.integers(-1, 4, N).astype(np.int32)
        provider = rng.integers(-1, 3, N).astype(np.int8)
        spw = rng.random(5)
        end_week, done, sessions = np.full(M, np.nan), np.zeros(M, bool), np.zeros(M)
        ground = rng.integers(0, 4, M).astype(np.int16)
        state = [a.copy() for a in (hs, in_treat, treat_token, therapist, provider, end_week, done, sessions)]
        th, prov, nr3 = kernel.end_courses(idx, rows, w, completed, pathway, treat_start, treat_len, progress, in_treat,
                                           treat_token, therapist, provider, spw, end_week, done, sessions, ground)
        w_hs, w_in, w_tok, w_th, w_prov, w_end, w_done, w_sess = state
        weeks_in = w - w_hs[idx, 0]
        w_hs[idx, 2] = 1.0 if completed else np.minimum(1.0, weeks_in / w_hs[idx, 1])
        w_in[idx] = False
        w_end[rows], w_done[rows], w_sess[rows] = w, completed, weeks_in * spw[pathway[idx]]
        w_tok[idx] += 1
        assert th.tolist() == w_th[idx].tolist() and prov.tolist() == w_prov[idx].tolist(), trial
        assert nr3.tolist() == (ground[rows] == 2).tolist(), trial
        w_th[idx], w_prov[idx] = -1, -1
        for got, want in zip((hs, in_treat, treat_token, therapist, provider, end_week, done, sessions),
                             (w_hs, w_in, w_tok, w_th, w_prov, w_end, w_done, w_sess)):
            assert got.tobytes() == want.tobytes(), trial
