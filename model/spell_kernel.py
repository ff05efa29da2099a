"""Compiled loops for the spell rules (model/pathway_spells.py).

Why compiled: a week's relapse draws concern a handful of citizens, and the plain numpy reading of the
rule (every citizen against every segment of its table, then the first segment reached picked out)
costs some twenty numpy calls whatever their number; one compiled loop over the citizens costs one
call. Each kernel does the same floating-point operations, in the same order, as the rule its
docstring states (tests/unit/test_relapse_segments.py checks the result against the table walked per
group, :func:`model.hazards.piecewise_weeks_many`).

Layout: a set of piecewise hazard tables is four matrices (table code, segment), padded to one
length (``pathway_spells.Segments``); a citizen names its table by its code.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def first_segment_weeks(start: np.ndarray, length: np.ndarray, rate: np.ndarray, cum: np.ndarray,
                        instant: np.ndarray, e: np.ndarray, code: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """The week each threshold ``e[i]`` is reached in its table ``code[i]`` (inf: never).

    Rule: in segment j the cumulative hazard needs ``need = (e - cum[j]) / rate[j]`` more weeks (0 for
    an instant segment); the first segment with ``need <= length[j]`` is reached, in week
    ``start[j] + max(1, ceil(need - 1e-12))``."""
    out = np.full(e.size, np.inf)
    for i in range(e.size):
        c = code[i]
        for j in range(start.shape[1]):
            need = 0.0 if instant[c, j] else (e[i] - cum[c, j]) / rate[c, j]
            if need <= length[c, j]:
                out[i] = start[c, j] + max(1.0, np.ceil(need - 1e-12))
                break
    return out


@njit(cache=True)
def due_contacts(next_contact: np.ndarray, state: np.ndarray, consultant: np.ndarray, n: int, w: int,
                 followed: int) -> np.ndarray:  # pragma: no cover - compiled
    """The citizens among the first ``n`` whose contact is due, in citizen order.

    Rule: ``due = flatnonzero((next_contact[:n] <= w) & (state[:n] == followed))``, those with a
    consultant (``consultant[due] >= 0``). One pass over the arrived citizens, the rarer due week
    tested first, instead of a few numpy passes and their temporaries."""
    due = np.empty(n, np.int64)
    m = 0
    for i in range(n):
        if next_contact[i] <= w:
            if state[i] == followed and consultant[i] >= 0:
                due[m] = i
                m += 1
    return due[:m].copy()


@njit(cache=True)
def passing_weeks(paid_a: np.ndarray, paid_b: np.ndarray, paid_n: np.ndarray, idx: np.ndarray, start: np.ndarray,
                  limit: int, window: int) -> np.ndarray:  # pragma: no cover - compiled
    """``rules.passing_week`` of citizens ``idx`` (their spell counted from ``start``, earlier spells' paid
    weeks ``[paid_a, paid_b)`` in their first ``paid_n`` slots): the first week p in ``start .. start +
    limit`` whose weeks paid within the ``window`` weeks up to p exceed ``limit``, else ``start + limit``.
    Integer sums only, as in the rule."""
    out = np.empty(idx.size, np.int64)
    for j in range(idx.size):
        i, s = idx[j], start[j]
        out[j] = s + limit
        for p in range(s, s + limit + 1):
            lo = p - window + 1
            n = p - max(s, lo) + 1
            for k in range(paid_n[i]):
                n += max(0, min(paid_b[i, k], s, p + 1) - max(paid_a[i, k], lo))
            if n > limit:
                out[j] = p
                break
    return out


@njit(cache=True)
def close_rows(idx: np.ndarray, rows: np.ndarray, w: int, outcome: int, benefit_end: np.ndarray,
               benefit_end_reason: np.ndarray, jobafklaring: np.ndarray, jobafklaring_end: np.ndarray,
               end: np.ndarray, outcome_col: np.ndarray, spell_start: np.ndarray, excluded: int, group: np.ndarray,
               paid_a: np.ndarray, paid_b: np.ndarray, paid_n: np.ndarray) -> None:  # pragma: no cover - compiled
    """Close the spell rows ``rows`` of citizens ``idx`` in week ``w`` with ``outcome``.

    Rule (``SpellRules._close``): a benefit not yet ended ends now for this reason; a jobafklaring begun and
    not ended ends now; the row's end week and outcome are set; a sick-listed citizen (group 0) whose
    counted weeks ``[spell start + excluded, benefit end)`` are not empty keeps them as its next earlier
    paid interval (§ 24). Each citizen appears once."""
    for j in range(idx.size):
        i, r = idx[j], rows[j]
        if np.isnan(benefit_end[r]):
            benefit_end[r] = w
            benefit_end_reason[r] = outcome
        if not np.isnan(jobafklaring[r]) and np.isnan(jobafklaring_end[r]):
            jobafklaring_end[r] = w
        end[r] = w
        outcome_col[r] = outcome
        start = spell_start[r] + excluded
        if benefit_end[r] > start and group[i] == 0:
            k = paid_n[i]
            paid_a[i, k] = start
            paid_b[i, k] = benefit_end[r]
            paid_n[i] += 1


# the hazard-matrix columns start_hazard_rows writes, in the order of its ``cols`` argument
START_COLUMNS = ("H", "progress", "last_contact", "job_goal", "meetings", "state_mult", "spell_start", "E", "lin_static",
                 "eff_employed", "eff_category1", "eff_coordination", "pathway_f", "no_duration", "late_delta", "late_week")


@njit(cache=True)
def start_hazard_rows(hs: np.ndarray, cols: np.ndarray, idx: np.ndarray, w: int, start: np.ndarray, spell: np.ndarray,
                      e_return: np.ndarray, lin: np.ndarray, rep: np.ndarray, pathway: np.ndarray, employed: np.ndarray,
                      category: np.ndarray, group: np.ndarray, beta_employed: np.ndarray, beta_category1: np.ndarray,
                      coordination: np.ndarray, late_delta: np.ndarray, late_from: np.ndarray) -> None:  # pragma: no cover - compiled
    """The hazard rows of new spells (``hs[idx[j]]``; ``cols``: the columns of START_COLUMNS, in order).

    Rule (``SpellRules._start_spells``): nothing accumulated (H, progress, job goal, meetings 0, no recent
    contact, state multiplier 1); the spell's start week; its return threshold ``e_return[i, spell]``; its
    static log-hazard ``lin`` and effect terms (the replication's coefficient times employed / category 1,
    the replication's coordination effect of the pathway); the pathway; no duration dependence for the
    second population (group > 0); the late effect ``late_delta`` from week ``w + late_from[r, pathway]``."""
    for j in range(idx.size):
        i, r, p = idx[j], rep[j], pathway[j]
        hs[i, cols[0]] = 0.0
        hs[i, cols[1]] = 0.0
        hs[i, cols[2]] = -1e6
        hs[i, cols[3]] = 0.0
        hs[i, cols[4]] = 0.0
        hs[i, cols[5]] = 1.0
        hs[i, cols[6]] = start[j]
        hs[i, cols[7]] = e_return[i, spell[j]]
        hs[i, cols[8]] = lin[j]
        hs[i, cols[9]] = beta_employed[r] * employed[j]
        hs[i, cols[10]] = beta_category1[r] * (category[j] == 1)
        hs[i, cols[11]] = coordination[r, p]
        hs[i, cols[12]] = p
        hs[i, cols[13]] = group[i] > 0
        hs[i, cols[14]] = late_delta[j]
        hs[i, cols[15]] = w + late_from[r, p]
