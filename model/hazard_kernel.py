"""Compiled loops of the weekly hazard step and the weekly record (issue 18).

Why compiled: in numpy the weekly hazard gathers all 19 columns of every active row of the hazard matrix,
builds five term arrays, stacks them, and sums them per (replication, pathway) with eight weighted
``bincount`` calls; the weekly record makes seven ``bincount`` calls over the arrived citizens. Each is a
pass over memory, and at the size of one municipality each is mostly call overhead. Here one loop reads
each active row once.

Exactness: every float operation is the one numpy does, in the same order (the numpy reading is
:meth:`model.hazards.HazardModel.contributions` and the comments below), so results are bit for bit those
of the numpy code. The exponential is left to numpy (``np.exp`` between the two hazard passes), whose SIMD
exp may differ from a compiled exp in the last bit.

Compiled once per machine (``cache=True``, written next to this file in ``__pycache__``); without a
writable cache directory the kernels compile in each process instead, with a warning.
"""
from __future__ import annotations

import warnings

import numpy as np
from numba import njit

from .state import HC

_H, _E, _LIN_STATIC, _WHO5_0, _PROGRESS = HC["H"], HC["E"], HC["lin_static"], HC["who5_0"], HC["progress"]
_LAST_CONTACT, _JOB_GOAL, _MEETINGS, _SPELL_START = HC["last_contact"], HC["job_goal"], HC["meetings"], HC["spell_start"]
_STATE_MULT, _TREAT_START, _TREAT_LEN = HC["state_mult"], HC["treat_start"], HC["treat_len"]
_EFF_EMPLOYED, _EFF_CATEGORY1, _EFF_COORDINATION = HC["eff_employed"], HC["eff_category1"], HC["eff_coordination"]
_PATHWAY_F, _NO_DURATION, _LATE_DELTA, _LATE_WEEK = HC["pathway_f"], HC["no_duration"], HC["late_delta"], HC["late_week"]


def _compiled(func):
    """``njit(cache=True)``, or plain ``njit`` (compiled in each process) when no cache directory is writable."""
    try:
        return njit(cache=True)(func)
    except RuntimeError as err:  # numba found no writable cache location
        warnings.warn(f"numba cannot cache {func.__name__} ({err}); compiling it in each process", stacklevel=2)
        return njit(func)


@njit(inline="always")
def _np_minimum(a, b):
    """``np.minimum`` of two floats (NaN if either is NaN)."""
    if a != a or b != b:
        return a + b
    return a if a <= b else b


@_compiled
def hazard_linear(hs, active, n, in_treat, rep, w, beta, who5_gain, window, meeting_cap, has_late, duration,
                  use_no_duration, effect_sums, effect_weeks, rows, lin, aux):
    """First pass of the weekly hazard over the rows of ``hs`` (C-ordered float matrix, a row per citizen,
    columns model.state.HAZARD_COLUMNS) with ``active[i]`` among the first ``n``; returns their number m.

    For each such row i, in row order: progress = min(1, (w - treat_start) / treat_len) if ``in_treat[i]``
    (written back); the five time-varying terms with the row's replication's coefficients
    ``beta[rep[i]]`` (shape (replications, 5)) as HazardModel.contributions computes them; lin = lin_static
    + (((t0 + t1) + t2) + t3) + t4 (numpy's sum over the stacked terms) [+ late_delta·(w >= late_week)];
    the duration multiplier (1 where no_duration > 0 when ``use_no_duration``). Writes rows[:m], lin[:m],
    dur[:m]. Adds each term of the eight effects (``effect_sums``, shape (8, replications·pathways)) and
    the number of rows (``effect_weeks``, same key) per key rep·pathways + pathway, the week's sums first
    summed from 0 in row order and then added (as ``sums += np.bincount(key, weights)``).
    """
    nkey = effect_weeks.size
    week_sums = np.zeros((nkey, effect_sums.shape[0]))
    week_rows = np.zeros(nkey, np.int64)
    npw = nkey // beta.shape[0]
    last = duration.size - 1
    m = 0
    for i in range(n):
        if not active[i]:
            continue
        if in_treat[i]:
            hs[i, _PROGRESS] = _np_minimum(1.0, (w - hs[i, _TREAT_START]) / hs[i, _TREAT_LEN])
        b = beta[rep[i]]
        progress = hs[i, _PROGRESS]
        who5 = hs[i, _WHO5_0] + who5_gain * progress
        t0 = b[0] * (who5 - 50.0) / 10.0
        t1 = b[1] * progress
        t2 = b[2] * (1.0 if (w - hs[i, _LAST_CONTACT]) < window else 0.0)
        t3 = b[3] * hs[i, _JOB_GOAL]
        t4 = b[4] * _np_minimum(hs[i, _MEETINGS], meeting_cap)
        x = hs[i, _LIN_STATIC] + ((((t0 + t1) + t2) + t3) + t4)
        if has_late:
            x += hs[i, _LATE_DELTA] * (1.0 if w >= hs[i, _LATE_WEEK] else 0.0)
        sweek = _np_minimum(w - hs[i, _SPELL_START], last)
        d = duration[np.int64(sweek)]
        if use_no_duration and hs[i, _NO_DURATION] > 0:
            d = 1.0
        rows[m] = i
        lin[m] = x
        aux[m, 0] = d
        aux[m, 1] = hs[i, _H]
        aux[m, 2] = hs[i, _STATE_MULT]
        aux[m, 3] = hs[i, _E]
        m += 1
        pw = np.int64(hs[i, _PATHWAY_F])
        if pw < 0 or pw >= npw:
            raise ValueError("an active citizen without a pathway")
        key = rep[i] * npw + pw
        week_rows[key] += 1
        week_sums[key, 0] += t0
        week_sums[key, 1] += t1
        week_sums[key, 2] += t2
        week_sums[key, 3] += t3
        week_sums[key, 4] += t4
        week_sums[key, 5] += hs[i, _EFF_EMPLOYED]
        week_sums[key, 6] += hs[i, _EFF_CATEGORY1]
        week_sums[key, 7] += hs[i, _EFF_COORDINATION]
    if m:
        for k in range(nkey):
            effect_weeks[k] += week_rows[k]
            for j in range(effect_sums.shape[0]):
                effect_sums[j, k] += week_sums[k, j]
    return m


@_compiled
def hazard_apply(hs, rows, expl, aux):
    """Second pass: H += exp(lin)·d·m(state) (``expl`` = np.exp(lin), multiplied in that order) for ``rows``,
    written back; returns the rows whose H reaches the threshold E, in row order."""
    out = np.empty(rows.size, np.int64)
    k = 0
    for j in range(rows.size):
        i = rows[j]
        h = aux[j, 1] + expl[j] * aux[j, 0] * aux[j, 2]
        hs[i, _H] = h
        if h >= aux[j, 3]:
            out[k] = rows[j]
            k += 1
    return out[:k]


# the maps of ``weekly_counts``: the row's column of each code, by what is counted (-1: not recorded)
W_STATE, W_ACTIVE, W_TREAT, W_AFTERCARE, W_GROUP, W_QUEUED, W_WAITING, W_TREATED = range(8)


@_compiled
def weekly_counts(n, rep, state, pathway, active, in_treat, in_aftercare, group, provider, pool_of, queued_state,
                  row, cols):
    """The weekly record's (replication, code) counts over the first ``n`` citizens, in one pass, written into
    ``row`` (replication, column) at the columns ``cols[what, code]`` (what: the W_* above; -1: not recorded):
    by state (state >= 0); by pathway of the active, the treated and those in aftercare; by population group
    of the active; queued by consultant pool (``pool_of[pathway]``); by provider, waiting (a provider, not in
    treatment) and treated. The numpy reading: one ``bincount`` of (replication, code) per count."""
    for what in range(cols.shape[0]):
        for code in range(cols.shape[1]):
            c = cols[what, code]
            if c >= 0:
                row[:, c] = 0.0
    for i in range(n):
        r = rep[i]
        s = state[i]
        if s >= 0:
            _count(row, r, cols[W_STATE, s])
        a, t, af, v = active[i], in_treat[i], in_aftercare[i], provider[i]
        if not (a or t or af or v >= 0 or s == queued_state):
            continue
        p = pathway[i]
        if p < 0 and (a or t or af or s == queued_state):
            raise ValueError("a counted citizen without a pathway")
        if a:
            _count(row, r, cols[W_ACTIVE, p])
            _count(row, r, cols[W_GROUP, group[i]])
        if t:
            _count(row, r, cols[W_TREAT, p])
        if af:
            _count(row, r, cols[W_AFTERCARE, p])
        if s == queued_state:
            _count(row, r, cols[W_QUEUED, pool_of[p]])
        if v >= 0:
            _count(row, r, cols[W_TREATED if t else W_WAITING, v])


@njit(inline="always")
def _count(row, r, c):
    """One more in column ``c`` of replication ``r``'s row, unless the column is not recorded (-1)."""
    if c >= 0:
        row[r, c] += 1.0


@_compiled
def geometric_weeks(e, rate):
    """Weeks until an event with constant weekly hazard ``rate`` given Exp(1) thresholds ``e`` (1-D; ``rate``
    of one element or one per threshold): ceil(e / rate - 1e-12), at least 1, inf where the rate is
    (almost) 0 or the week beyond 1e12. The numpy reading and callers: model/hazards.py
    ``geometric_weeks_many``; compiled because it is called for a handful of citizens at a time (the same
    division, subtraction and ceil per element)."""
    out = np.empty(e.size)
    one_rate = rate.size == 1
    for i in range(e.size):
        r = rate[0] if one_rate else rate[i]
        if not r > 1e-250:
            out[i] = np.inf
            continue
        need = e[i] / r
        if need < 1e12:
            c = np.ceil(need - 1e-12)
            out[i] = c if c >= 1.0 else 1.0  # np.maximum(1.0, c): c is never NaN here
        else:
            out[i] = np.inf
    return out
