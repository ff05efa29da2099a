"""The second population (issue 17): citizens on cash benefit (kontanthjælp, activity-ready and job-ready)
and in ressourceforløb, beside the sick-listed, on the same consultants, health staff and treatment capacity.

Design (docs/odd.md, "Second population"):
- arrivals and attributes are drawn from their own named stream ``cash_benefit`` (appended to the stream
  list), so the sick-listed citizens' draws are the same with or without the second population;
- the two populations are merged into one array population sorted by arrival week (the kernel's arrays,
  events and hazard step are shared); ``Population.group`` says who is who (0 = sick-listed);
- a cash-benefit citizen has no sickness-benefit rules (no reassessment, extension, jobafklaring, onward
  states, relapse into a sickness spell): the spell ends at a job or at another exit;
- the return-to-work hazard is the group's own weekly rate with no sickness-week duration dependence,
  times the risk multiplier relative to the group's mix, times the pathway's levers as for the sick-listed;
- benefit costs are the group's rate (kontanthjælp or ressourceforløbsydelse, the rate table) with the
  state's refund staircase, starting at the group's ``prior_support_weeks`` (:func:`cash_benefit_costs`).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .draws import NamedDraws
from .population import Population, draw_spell_columns, static_draws, who5_scores
from .scenario import CASH_GROUPS, DIAGNOSES, RISKS, Scenario

SICK_LISTED = "sick_listed"
POPULATIONS = (SICK_LISTED,) + CASH_GROUPS  # population code k -> name


class CashBenefitError(ValueError):
    """Bad input for the second population (names the field and the allowed values)."""


def enabled(sc: Scenario) -> bool:
    cb = sc.cash_benefit
    return bool(cb.enabled) and any(g.per_year > 0 for _, g in cb.groups())


def draw_cash_population(sc: Scenario, weeks: int, seed: np.random.SeedSequence) -> Population:
    """Arrivals (poisson per group) and attributes of the second population, in the sick-listed layout:
    arrivals from the ``cash_benefit`` stream's generator, draws by name from the same stream's seed."""
    rng = np.random.Generator(np.random.PCG64(seed))
    cb = sc.cash_benefit
    arr_parts, group_parts = [], []
    for k, (name, g) in enumerate(cb.groups(), start=1):
        lam = g.per_year / 52.0
        if not (math.isfinite(lam) and lam >= 0):
            raise CashBenefitError(f"cash_benefit.{name}.per_year must be a finite number >= 0, got {g.per_year!r}")
        counts = rng.poisson(lam, size=weeks)
        arr_parts.append(np.repeat(np.arange(weeks), counts))
        group_parts.append(np.full(int(counts.sum()), k, dtype=np.int64))
    arr = np.concatenate(arr_parts) if arr_parts else np.zeros(0, np.int64)
    group = np.concatenate(group_parts) if group_parts else np.zeros(0, np.int64)
    n = arr.size
    draws = NamedDraws(seed)
    u = static_draws(draws, n)
    pop = sc.population
    diag_cdf = np.cumsum([pop.diagnosis[d] for d in DIAGNOSES])
    diagnosis = np.minimum(np.searchsorted(diag_cdf, u["diagnosis"], side="right"), len(DIAGNOSES) - 1)
    risk = np.zeros(n, dtype=np.int64)
    for k, (_name, g) in enumerate(cb.groups(), start=1):
        m = group == k
        cdf = np.cumsum([g.risk[r] for r in RISKS])
        risk[m] = np.minimum(np.searchsorted(cdf, u["risk"][m], side="right"), len(RISKS) - 1)
    who5 = who5_scores(sc, risk, u["who5"])
    employed = np.zeros(n, bool)          # no workplace: on cash benefit or in ressourceforløb
    category = np.full(n, 2, dtype=np.int64)
    spell, onward = draw_spell_columns(draws, n)
    return Population(arr, diagnosis, risk, who5, employed, category, u["arm"], spell, onward, group)


def merge(sick: Population, cash: Population) -> Population:
    """One population sorted by arrival week (stable: within a week the sick-listed come first)."""
    order = np.argsort(np.concatenate([sick.arrival_week, cash.arrival_week]), kind="stable")
    cat = lambda a, b: np.concatenate([a, b])[order]  # noqa: E731
    group = np.concatenate([np.zeros(sick.size, np.int64), cash.group])[order]
    return Population(cat(sick.arrival_week, cash.arrival_week), cat(sick.diagnosis, cash.diagnosis),
                      cat(sick.risk, cash.risk), cat(sick.who5, cash.who5), cat(sick.employed, cash.employed),
                      cat(sick.category, cash.category), cat(sick.u_arm, cash.u_arm),
                      {k: cat(sick.spell[k], cash.spell[k]) for k in sick.spell},
                      {k: cat(sick.onward[k], cash.onward[k]) for k in sick.onward}, group)


class CashHazards:
    """Per-group constants for the kernel: log weekly rate (mean-risk corrected), other-exit rate, pathway."""

    def __init__(self, sc: Scenario):
        hz = sc.hazard
        log_rr = np.log(np.maximum([hz.risk_multiplier[r] for r in RISKS], 1e-300))
        self.log_base = np.zeros(len(POPULATIONS))
        self.other_rate = np.zeros(len(POPULATIONS))
        self.pathway: list[str | None] = [None] * len(POPULATIONS)
        for k, (_name, g) in enumerate(sc.cash_benefit.groups(), start=1):
            mean_log_rr = float(sum(g.risk[r] * log_rr[j] for j, r in enumerate(RISKS)))
            self.log_base[k] = math.log(-math.log1p(-g.weekly_to_work)) - mean_log_rr
            self.other_rate[k] = -math.log1p(-g.weekly_other_exit) if g.weekly_other_exit > 0 else 0.0
            self.pathway[k] = g.pathway
        self.log_rr = log_rr


def cash_benefit_costs(spells: pd.DataFrame, sc: Scenario, n_weeks: int) -> pd.DataFrame:
    """Cash benefit / ressourceforløbsydelse of the second population with the state's refund staircase.

    Paid from arrival to the end of the spell (job, other exit or the horizon); the refund share is read
    at the week of support counted from the group's ``prior_support_weeks`` (refusion reform 2016)."""
    from .cost_rows import COST_COLUMNS, _by_year, expand_weeks
    from .rate_table import load_rate_table
    from .rules import rules_for

    if spells.empty or "population" not in spells:
        return pd.DataFrame(columns=COST_COLUMNS)
    eco = sc.economics
    table = load_rate_table(eco.rates)
    rs = rules_for(sc)
    n_years = math.ceil(n_weeks / 52)
    years = [eco.start_year + k for k in range(n_years)]
    frames = []
    for name, g in sc.cash_benefit.groups():
        s = spells[spells["population"] == name]
        if s.empty:
            continue
        week_rate = np.array([(1 - g.with_children_share) * table.rate(g.rate + "_no_children", y)
                              + g.with_children_share * table.rate(g.rate + "_with_children", y) for y in years]) * 12 / 52
        a = s["arrival_week"].to_numpy(float)
        e = s["benefit_end_week"].to_numpy(float)
        e = np.where(np.isnan(e), n_weeks, e)
        rep = s["replication"].to_numpy()
        r, w, wt = expand_weeks(a, e)
        keep = (w >= 0) & (w < n_weeks)
        r, w, wt = r[keep], w[keep], wt[keep]
        gross = wt * week_rate[w // 52]
        k = (w - a[r]).astype(np.int64) + 1 + g.prior_support_weeks
        share = rs.refund_share(k) if eco.benefit.refund else np.zeros(w.size)
        item = "cash_benefit" if g.rate == "cash_benefit_month" else "cash_benefit.resource_course"
        frames.append(_by_year(rep[r], w, gross * (1 - share), item, "municipality"))
        frames.append(_by_year(rep[r], w, gross * share, item + "_refund", "state"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COST_COLUMNS)
