"""Spell and weekly tables, per-replication outputs, and t-based confidence intervals.

Outputs are named ``<metric>.<group>``: the group is ``all`` or a pathway for spell metrics, and a
consultant pool or treatment provider for capacity metrics. Horizon metrics only count spells that
arrived after the warm-up and early enough to be followed for the whole recovery horizon.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from .intervals import replication_interval
from .scenario import PATHWAYS, Scenario

SPELL_METRICS = {
    "n_spells": "Spells that started after the warm-up and can be followed for the recovery horizon",
    "recovered_share": "Share back at work within the recovery horizon after entry (raskmeldt, any route)",
    "jobafklaring_share": "Share transferred to jobafklaringsforløb within the recovery horizon",
    "other_exit_share": "Share who left for other reasons within the recovery horizon",
    "mean_benefit_weeks": "Mean weeks on sickness benefit from the first day of absence, restricted to the horizon",
    "median_benefit_weeks": "Median weeks on sickness benefit (Kaplan-Meier, all spells after warm-up)",
    **{f"still_on_benefit_{k}w": f"Share still on sickness benefit {k} weeks after the first day of absence "
       "(Kaplan-Meier, all spells after warm-up)" for k in (13, 26, 39, 52)},
    "treatment_share": "Share who started treatment",
    "treatment_wait_weeks": "Mean weeks from referral to treatment start (those who started)",
    "consultant_wait_weeks": "Mean weeks from entry until a consultant was assigned",
    "contacts_per_spell": "Follow-up contacts per spell",
    "meetings_per_spell": "Tripartite meetings per spell",
    "sessions_per_spell": "Treatment sessions per spell",
    "relapse_share": "Share of returns followed by re-sick-listing within 52 weeks",
}
WEEKLY_METRICS = {
    "caseload_mean": "Mean caseload per consultant",
    "caseload_max": "Highest caseload of any consultant in any week",
    "consultant_queue": "Mean number waiting for a consultant",
    "stretch": "Mean follow-up stretch factor (1 = statutory rhythm kept)",
    "hours_utilisation": "Share of consultants' meeting hours used",
    "treatment_queue": "Mean number on the treatment waiting list",
    "therapist_utilisation": "Share of treatment slots in use",
    "on_benefit": "Mean number of open spells (sickness benefit or jobafklaring)",
    "returns_per_year": "Returns to work per year",
}


def _km_median(duration: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median of discrete durations with right censoring."""
    if duration.size == 0:
        return math.nan
    times = np.unique(duration[event])
    surv = 1.0
    for t in times:
        at_risk = np.count_nonzero(duration >= t)
        d = np.count_nonzero((duration == t) & event)
        surv *= 1 - d / at_risk
        if surv <= 0.5:
            return float(t)
    return math.nan


SURVIVAL_WEEKS = (13, 26, 39, 52)


def _km_survival(duration: np.ndarray, event: np.ndarray, at: tuple[int, ...]) -> list[float]:
    """Kaplan-Meier share with duration > t, for each t in ``at`` (discrete weeks, right censoring)."""
    if duration.size == 0:
        return [math.nan] * len(at)
    times, deaths = np.unique(duration[event], return_counts=True)
    at_risk = duration.size - np.searchsorted(np.sort(duration), times, side="left")
    surv = np.cumprod(1 - deaths / at_risk)
    out = []
    for t in at:
        k = np.searchsorted(times, t, side="right")
        if t > duration.max():
            out.append(math.nan)  # nobody followed that long
        else:
            out.append(float(surv[k - 1]) if k else 1.0)
    return out


_SPELL_COLUMNS = ("arrival_week", "pathway", "return_week", "jobafklaring_week", "outcome", "end_week",
                  "benefit_end_week", "spell_start_week", "treatment_start_week", "referral_week",
                  "consultant_assigned_week", "contacts", "meetings", "sessions", "relapse_week")


_LABEL_COLUMNS = ("pathway", "outcome", "population")


def spell_outputs(spells: pd.DataFrame, sc: Scenario, horizon: int) -> dict[str, float]:
    """Per group (all, each pathway, each population): shares, benefit weeks, waits and activity.

    Computed on numpy columns read once from the table (filtering a DataFrame per group and output
    cost more than the simulation of a municipality)."""
    out: dict[str, float] = {}
    if spells.empty:  # no citizen arrived (e.g. arrivals.per_year = 0): every output is n/a, not a crash
        spells = spells.reindex(columns=list(dict.fromkeys([*spells.columns, *_SPELL_COLUMNS])))
    h = sc.recovery_horizon_weeks
    col = {c: spells[c].to_numpy() if c in _LABEL_COLUMNS else spells[c].to_numpy(float)
           for c in spells.columns if c in _SPELL_COLUMNS or c == "population"}  # only what is read
    after_m = col["arrival_week"] >= sc.warmup_weeks
    window_m = after_m & (col["arrival_week"] <= horizon - h)
    groups = [("all", None, None)] + [(p, "pathway", p) for p in PATHWAYS if p in sc.used_pathways()]
    if sc.cash_benefit.enabled and "population" in col:  # outputs by population too (issue 17)
        from .cash_benefit import POPULATIONS

        groups += [(pop, "population", pop) for pop in POPULATIONS]
    for gname, by, p in groups:
        member = True if p is None else col[by] == p
        g = {c: v[window_m & member] for c, v in col.items()}
        ga = {c: v[after_m & member] for c, v in col.items()}
        n = len(g["arrival_week"])
        out[f"n_spells.{gname}"] = float(n)
        arr = g["arrival_week"]
        since = lambda c: g[c] - arr  # noqa: E731  NaN when it never happened
        with np.errstate(invalid="ignore"):
            out[f"recovered_share.{gname}"] = float(np.mean(since("return_week") < h)) if n else math.nan
            out[f"jobafklaring_share.{gname}"] = float(np.mean(since("jobafklaring_week") < h)) if n else math.nan
            oth = (g["outcome"] == "other_exit") & (since("end_week") < h)
            out[f"other_exit_share.{gname}"] = float(np.mean(oth)) if n else math.nan
            bend = np.where(np.isnan(g["benefit_end_week"]), np.inf, g["benefit_end_week"])
            out[f"mean_benefit_weeks.{gname}"] = (float(np.mean(np.minimum(bend, arr + h) - g["spell_start_week"]))
                                                  if n else math.nan)
        be = ga["benefit_end_week"]
        ended = ~np.isnan(be)
        dur = np.where(ended, be, horizon) - ga["spell_start_week"]
        out[f"median_benefit_weeks.{gname}"] = _km_median(dur, ended)
        for k, v in zip(SURVIVAL_WEEKS, _km_survival(dur, ended, SURVIVAL_WEEKS)):
            out[f"still_on_benefit_{k}w.{gname}"] = v
        started = ~np.isnan(g["treatment_start_week"])
        out[f"treatment_share.{gname}"] = float(started.mean()) if n else math.nan
        both = ~np.isnan(ga["treatment_start_week"]) & ~np.isnan(ga["referral_week"])
        out[f"treatment_wait_weeks.{gname}"] = (_mean(ga["treatment_start_week"][both] - ga["referral_week"][both])
                                                if both.any() else math.nan)
        ass = ~np.isnan(ga["consultant_assigned_week"])
        out[f"consultant_wait_weeks.{gname}"] = (_mean(ga["consultant_assigned_week"][ass] - ga["arrival_week"][ass])
                                                 if ass.any() else math.nan)
        for what in ("contacts", "meetings", "sessions"):
            out[f"{what}_per_spell.{gname}"] = _mean(g[what]) if n else math.nan
        ret = ga["return_week"] <= horizon - 52 - sc.arrivals.entry_spell_week
        if ret.any():
            gap = ga["relapse_week"][ret] - ga["return_week"][ret]
            with np.errstate(invalid="ignore"):
                out[f"relapse_share.{gname}"] = float(np.mean(gap <= 52))
        else:
            out[f"relapse_share.{gname}"] = math.nan
    return out


def _mean(values: np.ndarray) -> float:
    """Mean skipping NaN, as pandas' ``Series.mean`` (NaN when nothing is left)."""
    ok = ~np.isnan(values)
    return float(values[ok].mean()) if ok.any() else math.nan


def weekly_outputs(weekly: pd.DataFrame, sc: Scenario) -> dict[str, float]:
    out: dict[str, float] = {}
    wk = weekly[weekly["week"] >= sc.warmup_weeks]
    years = max(len(wk), 1) / 52.0
    for col in wk.columns:
        if "." not in col:
            continue
        metric, group = col.split(".", 1)
        if metric in {"caseload_mean", "consultant_queue", "stretch", "hours_utilisation", "treatment_queue",
                      "therapist_utilisation"}:
            out[col] = float(wk[col].mean())
        elif metric == "caseload_max":
            out[col] = float(wk[col].max())
        elif metric == "active":
            out[f"on_benefit.{group}"] = float(wk[col].mean())
        elif metric == "returns":
            out[f"returns_per_year.{group}"] = float(wk[col].sum() / years)
    return out


BUDGET_METRICS = {
    "budget_npv": "Present value of the public budget over the run (DKK, discounted at economics.discount.rate; "
                  "cost positive, tax revenue negative) by payer: municipality, state, region, public",
    "budget_cost": "Undiscounted public budget over the run (DKK) by payer: municipality, state, region, public",
}


def budget_outputs(spells: pd.DataFrame, weekly: pd.DataFrame, sc: Scenario, horizon: int,
                   onward: pd.DataFrame | None = None) -> dict[str, float]:
    """NPV and undiscounted sum of the scenario's public budget by payer, for sensitivity and calibration reports.

    Paired against a baseline, ``diff.budget_npv.public`` = scenario − baseline = minus the net effect's
    present value (docs/economics.md). Empty when the horizon falls outside the rate table."""
    from .budget_lines import discount_factors
    from .economics import BudgetError, budget

    try:
        costs = budget(spells, weekly, sc, horizon, onward)
    except BudgetError:
        return {}
    n_years = math.ceil(horizon / 52)
    df = discount_factors(sc.economics, n_years)
    out = {}
    for payer in ("municipality", "state", "region", "public"):
        sel = costs if payer == "public" else costs[costs["payer"] == payer]
        if payer == "public":
            sel = costs[costs["payer"].isin(["municipality", "state", "region"])]
        yearly = sel.groupby("year")["dkk"].sum().reindex(range(1, n_years + 1), fill_value=0.0).to_numpy()
        out[f"budget_npv.{payer}"] = float(np.sum(yearly * df))
        out[f"budget_cost.{payer}"] = float(np.sum(yearly))
    return out


BUDGET_OUTPUT_NAMES = [f"{m}.{p}" for m in BUDGET_METRICS for p in ("municipality", "state", "region", "public")]


def replication_outputs(spells: pd.DataFrame, weekly: pd.DataFrame, sc: Scenario, horizon: int,
                        budget: bool = False, onward: pd.DataFrame | None = None) -> dict[str, float]:
    """Flat outputs of one replication; with ``budget`` also ``budget_npv.*`` / ``budget_cost.*`` (costs time)."""
    out = {**spell_outputs(spells, sc, horizon), **weekly_outputs(weekly, sc)}
    if budget:
        out.update(budget_outputs(spells, weekly, sc, horizon, onward))
    return out


def summarise(outputs: pd.DataFrame, level: float = 0.95, n_sets: int = 1) -> pd.DataFrame:
    """One row per output: mean, sd, interval and n across replications (``outputs``: one row per rep, with a
    ``replication`` column when the replications cycled ``n_sets`` > 1 parameter sets: then the evidence interval)."""
    rows = []
    reps = outputs["replication"].to_numpy() if "replication" in outputs else None
    for col in outputs.columns:
        if col == "replication":
            continue
        m, sd, lo, hi = replication_interval(outputs[col].to_numpy(float), n_sets, reps, level)
        metric, _, group = col.partition(".")
        rows.append({"output": col, "metric": metric, "group": group, "mean": m, "sd": sd, "ci_low": lo,
                     "ci_high": hi, "n": int(outputs[col].notna().sum())})
    return pd.DataFrame(rows)


def benefit_curve(spells: pd.DataFrame, weeks: int, horizon: int, warmup: int = 0) -> pd.DataFrame:
    """Kaplan-Meier share still on benefit k weeks after entry, by pathway and replication (for plots)."""
    rows = []
    for (rep, pathway), g in spells[spells["arrival_week"] >= warmup].groupby(["replication", "pathway"]):
        end = g["benefit_end_week"].to_numpy(float)
        ended = ~np.isnan(end)
        dur = np.where(ended, end, horizon) - g["arrival_week"].to_numpy(float)
        surv = 1.0
        for k in range(weeks + 1):
            at_risk = np.count_nonzero(dur >= k)
            d = np.count_nonzero((dur == k) & ended)
            if at_risk:
                surv *= 1 - d / at_risk
            rows.append((rep, pathway, k, surv))
    return pd.DataFrame(rows, columns=["replication", "pathway", "week", "on_benefit_share"])
