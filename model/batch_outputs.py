"""Every replication's outputs of a batched model, computed from its record columns at once.

Why: building a spell and a weekly DataFrame per replication and filtering it per group cost about a
fifth of a batched replication (docs/odd.md §3.13). Here each output is one ``bincount`` over
(replication, group) for the whole batch. The results are bit for bit those of
``results.spell_outputs`` / ``weekly_outputs`` on the replication's tables: sums of whole numbers
(weeks, counts, shares of a count) are exact in any order, the one fractional spell mean (sessions)
is taken per group over the rows in table order, and weekly means are numpy's pairwise sums over
the same weeks as pandas takes. Anything outside that (durations that are not whole weeks, groups
that differ between the batch's scenarios, a replication without spells) falls back to the table
functions for that replication.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .recorder import OUTCOME_CODE
from .results import SURVIVAL_WEEKS, _km_median, _km_survival, spell_outputs, weekly_outputs
from .scenario import PATHWAYS, Scenario

if TYPE_CHECKING:
    from .model import RTWModel

_WEEKLY_MEAN = {"caseload_mean", "consultant_queue", "stretch", "hours_utilisation", "treatment_queue",
                "therapist_utilisation"}


def _groups(sc: Scenario) -> list[tuple[str, str | None, str | None]]:
    """(name, column, label) of each output group, as ``results.spell_outputs`` forms them."""
    groups: list = [("all", None, None)] + [(p, "pathway", p) for p in PATHWAYS if p in sc.used_pathways()]
    if sc.cash_benefit.enabled:
        from .cash_benefit import POPULATIONS

        groups += [(pop, "population", pop) for pop in POPULATIONS]
    return groups


class _Grouped:
    """Sums over (replication, group) for rows of the batch's spell table; a row counts in 'all' and in
    the groups of its pathway and population."""

    def __init__(self, rep: np.ndarray, R: int, groups: list, codes: dict[str, np.ndarray],
                 labels: dict[str, tuple[str, ...]]):
        self.R, self.G = R, len(groups)
        self.members: list[tuple[np.ndarray, np.ndarray]] = [(rep * self.G, np.ones(rep.size, bool))]
        for column in ("pathway", "population"):
            g_of_code = np.full(len(labels[column]), -1)
            for g, (_name, by, label) in enumerate(groups):
                if by == column:
                    g_of_code[labels[column].index(label)] = g
            if (g_of_code >= 0).any():
                g = g_of_code[codes[column]]
                self.members.append((rep * self.G + np.maximum(g, 0), g >= 0))

    def sum(self, mask: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        """(R, G) sums of ``values`` (counts without) over the rows in ``mask``."""
        out = np.zeros(self.R * self.G)
        for keys, ok in self.members:
            m = mask & ok
            out += np.bincount(keys[m], None if values is None else values[m], minlength=self.R * self.G)
        return out.reshape(self.R, self.G)

    def dense(self, mask: np.ndarray, t: np.ndarray, T: int, weights: np.ndarray | None = None) -> np.ndarray:
        """(R, G, T) counts of the rows in ``mask`` by whole week ``t`` (0..T-1)."""
        out = np.zeros(self.R * self.G * T)
        for keys, ok in self.members:
            m = mask & ok
            out += np.bincount(keys[m] * T + t[m], None if weights is None else weights[m],
                               minlength=self.R * self.G * T)
        return out.reshape(self.R, self.G, T)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), math.nan)


def _km(grouped: _Grouped, after: np.ndarray, dur: np.ndarray, ended: np.ndarray):
    """Kaplan-Meier median and survival at SURVIVAL_WEEKS per (replication, group), as ``results._km_median``
    and ``_km_survival`` give them (the product over weeks without a death multiplies by exactly 1)."""
    lo = int(dur[after].min()) if after.any() else 0
    t = (np.where(after, dur, lo) - lo).astype(np.int64)
    T = int(t[after].max()) + 1 if after.any() else 1
    at = grouped.dense(after, t, T)
    deaths = grouped.dense(after & ended, t, T)
    at_risk = np.cumsum(at[:, :, ::-1], axis=2)[:, :, ::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(deaths > 0, 1 - deaths / np.where(at_risk > 0, at_risk, 1), 1.0)
    surv = np.cumprod(factor, axis=2)
    n = at.sum(axis=2)
    present = at > 0
    top = T - 1 - np.argmax(present[:, :, ::-1], axis=2)  # the longest duration of each group
    below = surv <= 0.5
    first = np.argmax(below, axis=2)
    median = np.where(below.any(axis=2), (first + lo).astype(float), math.nan)
    median[n == 0] = math.nan
    still = []
    for k in SURVIVAL_WEEKS:
        i = k - lo
        v = surv[:, :, min(max(i, 0), T - 1)] if i >= 0 else np.ones(n.shape)
        v = np.where((n == 0) | (k > top + lo), math.nan, v)
        still.append(v)
    return median, still


def batch_outputs(m: "RTWModel", scenarios: Sequence[Scenario]) -> list[dict[str, float]]:
    """Each replication's ``results.spell_outputs`` and ``weekly_outputs`` (in that order), from the columns."""
    R, horizon = m.R, m.horizon
    rec = m.rec
    n = rec.n
    cols = rec.cols
    sc0 = scenarios[0]
    groups = _groups(sc0)
    uniform = all(_groups(sc) == groups and sc.recovery_horizon_weeks == sc0.recovery_horizon_weeks
                  and sc.warmup_weeks == sc0.warmup_weeks
                  and sc.arrivals.entry_spell_week == sc0.arrivals.entry_spell_week for sc in scenarios)
    rep = cols["rep_code"][:n]
    if not uniform:
        spells = m.rec.frames(R)
        return [_from_tables(m, r, scenarios[r], spells[r]) for r in range(R)]
    seq, cid = cols["close_seq"][:n], cols["citizen_id"][:n]
    still_open = seq < 0
    order = np.lexsort((np.where(still_open, cid, seq), still_open, rep))  # the tables' row order
    rep = rep[order]
    f = {c: cols[c][:n][order].astype(float) for c in (
        "arrival_week", "return_week", "jobafklaring_week", "end_week", "benefit_end_week", "spell_start_week",
        "treatment_start_week", "referral_week", "consultant_assigned_week", "contacts", "meetings", "sessions",
        "relapse_week")}
    codes = {c: cols[c][:n][order] for c in ("pathway", "population", "outcome")}
    labels = rec.labels
    grouped = _Grouped(rep, R, groups, codes, labels)
    h, warmup = sc0.recovery_horizon_weeks, sc0.warmup_weeks
    arr = f["arrival_week"]
    after = arr >= warmup
    window = after & (arr <= horizon - h)
    res: dict[str, np.ndarray] = {}
    count = grouped.sum(window)
    res["n_spells"] = count
    with np.errstate(invalid="ignore"):
        res["recovered_share"] = _ratio(grouped.sum(window & (f["return_week"] - arr < h)), count)
        res["jobafklaring_share"] = _ratio(grouped.sum(window & (f["jobafklaring_week"] - arr < h)), count)
        oth = (codes["outcome"] == OUTCOME_CODE["other_exit"]) & (f["end_week"] - arr < h)
        res["other_exit_share"] = _ratio(grouped.sum(window & oth), count)
        bend = np.where(np.isnan(f["benefit_end_week"]), np.inf, f["benefit_end_week"])
        res["mean_benefit_weeks"] = _ratio(grouped.sum(window, np.minimum(bend, arr + h) - f["spell_start_week"]),
                                           count)
    be = f["benefit_end_week"]
    ended = ~np.isnan(be)
    dur = np.where(ended, be, horizon) - f["spell_start_week"]
    whole = bool(np.all(dur == np.round(dur)))
    if whole:
        res["median_benefit_weeks"], still = _km(grouped, after, dur, ended)
        for k, v in zip(SURVIVAL_WEEKS, still):
            res[f"still_on_benefit_{k}w"] = v
    started = ~np.isnan(f["treatment_start_week"])
    res["treatment_share"] = _ratio(grouped.sum(window & started), count)
    both = after & started & ~np.isnan(f["referral_week"])
    res["treatment_wait_weeks"] = _ratio(grouped.sum(both, np.where(both, f["treatment_start_week"] - f["referral_week"], 0)),
                                         grouped.sum(both))
    ass = after & ~np.isnan(f["consultant_assigned_week"])
    res["consultant_wait_weeks"] = _ratio(grouped.sum(ass, np.where(ass, f["consultant_assigned_week"] - arr, 0)),
                                          grouped.sum(ass))
    for what in ("contacts", "meetings"):
        res[f"{what}_per_spell"] = _ratio(grouped.sum(window, f[what]), count)
    with np.errstate(invalid="ignore"):
        ret = after & (f["return_week"] <= horizon - 52 - sc0.arrivals.entry_spell_week)
        res["relapse_share"] = _ratio(grouped.sum(ret & (f["relapse_week"] - f["return_week"] <= 52)), grouped.sum(ret))
    cuts = np.searchsorted(rep, np.arange(R + 1))
    member_of = _member_masks(groups, codes, labels)
    weekly = _weekly(m, warmup)
    out = []
    for r in range(R):
        a, b = cuts[r], cuts[r + 1]
        if a == b:  # no spell at all: the table functions know that case
            out.append(_from_tables(m, r, scenarios[r]))
            continue
        d: dict[str, float] = {}
        for g, (gname, _by, _label) in enumerate(groups):
            for metric in ("n_spells", "recovered_share", "jobafklaring_share", "other_exit_share",
                           "mean_benefit_weeks"):
                d[f"{metric}.{gname}"] = float(res[metric][r, g])
            if whole:
                d[f"median_benefit_weeks.{gname}"] = float(res["median_benefit_weeks"][r, g])
                for k in SURVIVAL_WEEKS:
                    d[f"still_on_benefit_{k}w.{gname}"] = float(res[f"still_on_benefit_{k}w"][r, g])
            else:
                sel = after[a:b] & member_of[g][a:b]
                d[f"median_benefit_weeks.{gname}"] = _km_median(dur[a:b][sel], ended[a:b][sel])
                for k, v in zip(SURVIVAL_WEEKS, _km_survival(dur[a:b][sel], ended[a:b][sel], SURVIVAL_WEEKS)):
                    d[f"still_on_benefit_{k}w.{gname}"] = v
            for metric in ("treatment_share", "treatment_wait_weeks", "consultant_wait_weeks", "contacts_per_spell",
                           "meetings_per_spell"):
                d[f"{metric}.{gname}"] = float(res[metric][r, g])
            # sessions are fractional: their mean is summed in the table's order, as numpy does it there
            s = f["sessions"][a:b][window[a:b] & member_of[g][a:b]]
            d[f"sessions_per_spell.{gname}"] = float(s[~np.isnan(s)].mean()) if (~np.isnan(s)).any() else math.nan
            d[f"relapse_share.{gname}"] = float(res["relapse_share"][r, g])
        d.update(weekly[r])
        out.append(d)
    return out


def _member_masks(groups: list, codes: dict[str, np.ndarray], labels: dict) -> list[np.ndarray]:
    n = codes["pathway"].size
    return [np.ones(n, bool) if by is None else codes[by] == labels[by].index(label) for _name, by, label in groups]


def _weekly(m: "RTWModel", warmup: int) -> list[dict[str, float]]:
    """``results.weekly_outputs`` of every replication from the weekly matrix: sums over weeks taken along a
    contiguous axis (numpy's pairwise sum, as pandas takes it on the table's column)."""
    names, values = m.weekly.names, m.weekly.values[:, warmup:m.weekly.n, :]
    R, W = values.shape[0], values.shape[1]
    years = max(W, 1) / 52.0
    v = np.ascontiguousarray(values.transpose(0, 2, 1))  # (R, column, week)
    nan = np.isnan(v)
    good = W - nan.sum(axis=2)
    sums = np.where(nan, 0.0, v).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(good > 0, sums / np.where(good > 0, good, 1), math.nan)
    maxes = np.where(good > 0, np.where(nan, -np.inf, v).max(axis=2, initial=-np.inf), math.nan)
    out: list[dict[str, float]] = [{} for _ in range(R)]
    for j, col in enumerate(names):
        if "." not in col:
            continue
        metric, group = col.split(".", 1)
        if metric in _WEEKLY_MEAN:
            key, vals = col, means[:, j]
        elif metric == "caseload_max":
            key, vals = col, maxes[:, j]
        elif metric == "active":
            key, vals = f"on_benefit.{group}", means[:, j]
        elif metric == "returns":
            key, vals = f"returns_per_year.{group}", sums[:, j] / years
        else:
            continue
        for r in range(R):
            out[r][key] = float(vals[r])
    return out


def _from_tables(m: "RTWModel", r: int, sc: Scenario, spells=None) -> dict[str, float]:
    """One replication's outputs through its tables (the general path; ``spells``: its table if built)."""
    import pandas as pd

    spells = m.rec.frames(m.R)[r] if spells is None else spells
    if spells.empty:
        spells = pd.DataFrame(columns=["replication", "citizen_id", "spell", "pathway", "arrival_week",
                                       "spell_start_week", "return_week", "benefit_end_week", "end_week", "outcome"])
    return {**spell_outputs(spells, sc, m.horizon), **weekly_outputs(m.weekly.frame(r), sc)}
