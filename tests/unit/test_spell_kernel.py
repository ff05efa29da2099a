"""The compiled spell loops (model/spell_kernel.py) equal the numpy reading of their rules, bit for bit, on
random inputs (the relapse and § 24 loops are checked against the rules in test_relapse_segments.py and
test_capacity_kernel.py)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model import spell_kernel
from model.state import HC, NEVER, S


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 300))
def test_due_contacts_equal_the_numpy_rule(seed, n):
    rng = np.random.default_rng(seed)
    size = n + int(rng.integers(0, 20))  # citizens after the first n (not arrived) are never due
    w = int(rng.integers(0, 30))
    next_contact = np.where(rng.random(size) < 0.3, NEVER, rng.integers(0, 40, size)).astype(np.int64)
    state = rng.integers(-1, len(S), size).astype(np.int8)
    consultant = rng.integers(-1, 4, size).astype(np.int32)
    due = np.flatnonzero((next_contact[:n] <= w) & (state[:n] == S.ON_BENEFIT))
    want = due[consultant[due] >= 0]
    got = spell_kernel.due_contacts(next_contact, state, consultant, n, w, int(S.ON_BENEFIT))
    assert got.dtype == np.int64 and got.tolist() == want.tolist()


def close_rows_numpy(idx, rows, w, outcome, cols, excluded, group, paid_a, paid_b, paid_n):
    """The rule as numpy reads it (the handler's code before it was compiled)."""
    bend = cols["benefit_end_week"][rows]
    nb = rows[np.isnan(bend)]
    cols["benefit_end_week"][nb] = w
    cols["benefit_end_reason"][nb] = outcome
    ja = rows[~np.isnan(cols["jobafklaring_week"][rows]) & np.isnan(cols["jobafklaring_end_week"][rows])]
    cols["jobafklaring_end_week"][ja] = w
    cols["end_week"][rows] = w
    cols["outcome"][rows] = outcome
    start = cols["spell_start_week"][rows] + excluded
    bend = cols["benefit_end_week"][rows]
    paid = (bend > start) & (group[idx] == 0)
    i = idx[paid]
    k = paid_n[i]
    paid_a[i, k] = start[paid]
    paid_b[i, k] = bend[paid]
    paid_n[i] += 1


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_close_rows_equal_the_numpy_rule(seed, n):
    rng = np.random.default_rng(seed)
    citizens, spells, slots = 60, 80, 6
    idx = rng.choice(citizens, n, replace=False)
    rows = rng.choice(spells, n, replace=False)
    w, outcome, excluded = int(rng.integers(0, 100)), int(rng.integers(1, 5)), int(rng.integers(0, 6))

    def weeks(nan_share):
        return np.where(rng.random(spells) < nan_share, np.nan, rng.integers(-10, 100, spells).astype(float))

    cols = {"benefit_end_week": weeks(0.6), "benefit_end_reason": rng.integers(0, 6, spells).astype(np.int8),
            "jobafklaring_week": weeks(0.5), "jobafklaring_end_week": weeks(0.5), "end_week": weeks(0.9),
            "outcome": np.zeros(spells, np.int8), "spell_start_week": rng.integers(-10, 90, spells)}
    group = (rng.random(citizens) < 0.2).astype(np.int64)
    paid_n = rng.integers(0, slots - 1, citizens).astype(np.int8)
    paid_a, paid_b = rng.integers(0, 50, (citizens, slots)), rng.integers(0, 50, (citizens, slots))
    want = [{k: v.copy() for k, v in cols.items()}, paid_a.copy(), paid_b.copy(), paid_n.copy()]
    close_rows_numpy(idx, rows, w, outcome, want[0], excluded, group, *want[1:])
    spell_kernel.close_rows(idx, rows, w, outcome, cols["benefit_end_week"], cols["benefit_end_reason"],
                            cols["jobafklaring_week"], cols["jobafklaring_end_week"], cols["end_week"], cols["outcome"],
                            cols["spell_start_week"], excluded, group, paid_a, paid_b, paid_n)
    for k in cols:
        assert np.array_equal(cols[k], want[0][k], equal_nan=True), k
    assert np.array_equal(paid_a, want[1]) and np.array_equal(paid_b, want[2]) and np.array_equal(paid_n, want[3])


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 30))
def test_start_hazard_rows_equal_the_numpy_rule(seed, n):
    rng = np.random.default_rng(seed)
    citizens, R, P, slots = 50, 3, 3, 6
    idx = rng.choice(citizens, n, replace=False)
    w = int(rng.integers(0, 200))
    start = w - rng.integers(0, 8, n)
    spell = rng.integers(0, slots, n).astype(np.int32)
    e_return = rng.exponential(size=(citizens, slots))
    lin = np.where(rng.random(n) < 0.1, -np.inf, rng.normal(size=n))
    rep, got = rng.integers(0, R, n), rng.integers(0, P, n)
    emp, cat = rng.random(n) < 0.5, rng.integers(1, 3, n)
    group = (rng.random(citizens) < 0.3).astype(np.int64)
    beta_emp, beta_cat = rng.normal(size=R), rng.normal(size=R)
    coordination, late_delta = rng.normal(size=(R, P)), rng.normal(size=n)
    late_from = np.where(rng.random((R, P)) < 0.5, 1e9, rng.integers(0, 100, (R, P)))
    cols = np.array([HC[k] for k in spell_kernel.START_COLUMNS])
    hs = rng.normal(size=(citizens, len(HC)))
    want = hs.copy()
    X = want[idx]  # the numpy reading (the handler's code before it was compiled)
    for name, v in (("H", 0.0), ("progress", 0.0), ("last_contact", -10**6), ("job_goal", 0.0), ("meetings", 0.0),
                    ("state_mult", 1.0), ("spell_start", start), ("E", e_return[idx, spell]), ("lin_static", lin),
                    ("eff_employed", beta_emp[rep] * emp), ("eff_category1", beta_cat[rep] * (cat == 1)),
                    ("eff_coordination", coordination[rep, got]), ("pathway_f", got), ("no_duration", group[idx] > 0),
                    ("late_delta", late_delta), ("late_week", w + late_from[rep, got])):
        X[:, HC[name]] = v
    want[idx] = X
    spell_kernel.start_hazard_rows(hs, cols, idx, w, start, spell, e_return, lin, rep, got, emp, cat, group, beta_emp,
                                   beta_cat, coordination, late_delta, late_from)
    assert np.array_equal(hs, want)
