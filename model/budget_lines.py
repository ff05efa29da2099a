"""The whole public purse after exit: onward-state benefits, tax revenue, present values and views.

Separate from ``economics.benefit_costs`` (the sickness-benefit and refund logic, owned by the rules
work) so that each line here is its own, switchable function (docs/economics.md):

- ``onward_costs``: benefits in the states a citizen goes on to after sickness benefit or
  jobafklaring (ressourceforløb, flexjob, førtidspension, cash benefit, unemployment insurance,
  self-support), from the run's onward table ``replication, citizen_id, spell, state, start_week,
  end_week`` (``end_week`` NaN = still there at the horizon);
- ``tax_revenue``: income tax paid by citizens back at work, and tax paid on benefits; public
  revenue, booked as negative cost;
- ``discount_factors`` and ``item_kind`` for present values and the service / transfer / tax view.

Numbers are positive DKK of cost, like the rest of ``model.economics``.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .rate_table import load_rate_table
from .rules import rules_for

ONWARD_COLUMNS = ["replication", "citizen_id", "spell", "state", "start_week", "end_week"]
TRANSFER_PREFIXES = ("sickness_benefit", "resource_course_benefit", "onward.", "cash_benefit")


def item_kind(item: str) -> str:
    """'transfer' (benefits: outside the municipal service ceiling), 'tax' (revenue) or 'service'."""
    if item.startswith("tax."):
        return "tax"
    if item.startswith(TRANSFER_PREFIXES):
        return "transfer"
    return "service"


def discount_factors(eco, n_years: int) -> np.ndarray:
    """Discount factor of simulated years 1..n (index 0 = year 1): 1 / (1 + r)^(y - 1), or ^y if year 1 is discounted."""
    r = eco.discount.rate
    shift = 0 if eco.discount.first_year_discounted else 1
    return np.array([(1 + r) ** -(y - shift) for y in range(1, n_years + 1)])


def _spread(rep, a, b, rate_week, n_weeks, item, payer, refund_from=None, table=None, refund=False):
    """Weekly amounts over [a, b) summed by replication and simulated year; with a refund, split muni / state."""
    from .cost_rows import _by_year, expand_weeks

    r, w, wt = expand_weeks(a, b)
    keep = (w >= 0) & (w < n_weeks)
    r, w, wt = r[keep], w[keep], wt[keep]
    if r.size == 0:
        return []
    gross = wt * rate_week[r, np.minimum(w // 52, rate_week.shape[1] - 1)]
    if not refund:
        return [_by_year(rep[r], w, gross * share, item, p) for p, share in payer.items()]
    mid = (np.maximum(w, a[r]) + np.minimum(w + 1, b[r])) / 2
    k = np.floor(mid - refund_from[r]).astype(np.int64) + 1
    s = table.refund_share(np.maximum(k, 1))  # the rule table's staircase (financing act § 5)
    return [_by_year(rep[r], w, gross * (1 - s), item, "municipality"),
            _by_year(rep[r], w, gross * s, item + "_refund", "state")]


def onward_costs(onward: pd.DataFrame | None, spells: pd.DataFrame, sc, n_weeks: int) -> pd.DataFrame:
    """Benefits in the onward states, by replication, simulated year, item and payer.

    Weekly amount = monthly rate × 12 / 52, indexed from ``economics.onward.rate_year`` by the rate
    table's annual rate. Where the state's ``refund`` is on, the municipality pays (1 − share) and
    the state the share of the refund staircase, counted in weeks of public benefit since the
    public part of the sickness-benefit spell began (refusionsreformen counts the whole period of
    public support; a citizen not found in the spell table counts from the onward start)."""
    from .cost_rows import COST_COLUMNS

    eco = sc.economics
    if onward is None or len(onward) == 0 or not eco.onward.include:
        return pd.DataFrame(columns=COST_COLUMNS)
    missing = set(ONWARD_COLUMNS) - set(onward.columns)
    if missing:
        raise ValueError(f"onward table lacks columns {sorted(missing)}; expected {ONWARD_COLUMNS}")
    unknown = set(onward["state"].unique()) - set(eco.onward.states)
    if unknown:
        raise ValueError(f"onward table has unknown states {sorted(unknown)}; allowed: {sorted(eco.onward.states)}")
    table = load_rate_table(eco.rates)
    stair = rules_for(sc)  # the refund staircase of the rule table (issue 12)
    n_years = math.ceil(n_weeks / 52)
    cal = eco.start_year + np.arange(n_years)
    idx = (1 + table.annual_rate) ** (cal - eco.onward.rate_year)
    # where public benefit began for the spell the citizen came from (refund count)
    b = eco.benefit
    if len(spells):
        sp = spells[["replication", "citizen_id", "spell", "spell_start_week"]].copy()
        emp = spells["employed"].to_numpy(bool) if "employed" in spells else np.ones(len(spells), bool)
        sp["public_from"] = sp["spell_start_week"].to_numpy(float) + np.where(
            emp | b.employer_period_for_unemployed, b.employer_period_days / 7.0, 0.0)
        on = onward.merge(sp[["replication", "citizen_id", "spell", "public_from"]],
                          on=["replication", "citizen_id", "spell"], how="left")
    else:
        on = onward.assign(public_from=np.nan)
    start = on["start_week"].to_numpy(float)
    end = on["end_week"].to_numpy(float)
    end = np.where(np.isnan(end), n_weeks, end)
    pf = on["public_from"].to_numpy(float)
    pf = np.where(np.isnan(pf), start, np.minimum(pf, start))
    rep = on["replication"].to_numpy()
    frames = []
    for state, cfg in eco.onward.states.items():
        sel = (on["state"] == state).to_numpy()
        if not sel.any() or cfg.monthly_dkk == 0:
            continue
        rate = np.tile(cfg.monthly_dkk * 12 / 52 * idx, (sel.sum(), 1))
        frames += _spread(rep[sel], start[sel], end[sel], rate, n_weeks, f"onward.{state}", cfg.payer,
                          refund_from=pf[sel], table=stair, refund=cfg.refund and b.refund)
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[COST_COLUMNS] if frames else pd.DataFrame(columns=COST_COLUMNS)


def tax_revenue(spells: pd.DataFrame, transfers: pd.DataFrame, sc, n_weeks: int) -> pd.DataFrame:
    """Tax on wages after a return to work and tax on benefits, as negative cost split by ``economics.tax.payer``.

    Work weeks run from ``return_week`` to the next spell (``relapse_week``) or the horizon, times
    ``employment_rate``; weekly wage = annual wage / 52, indexed by the rate table's annual rate from
    ``start_year``. Tax on benefits = ``benefit_tax_rate`` × every benefit paid (incl. the employer
    period's sickness benefit and the onward states), from ``transfers`` (cost rows of kind transfer)."""
    from .cost_rows import COST_COLUMNS, _by_year, expand_weeks

    eco = sc.economics
    t = eco.tax
    if not t.include:
        return pd.DataFrame(columns=COST_COLUMNS)
    table = load_rate_table(eco.rates)
    n_years = math.ceil(n_weeks / 52)
    idx = (1 + table.annual_rate) ** np.arange(n_years)
    frames = []
    if len(spells) and "return_week" in spells:
        a = spells["return_week"].to_numpy(float)
        e = spells["relapse_week"].to_numpy(float) if "relapse_week" in spells else np.full(len(spells), np.nan)
        ok = ~np.isnan(a)
        a_ = np.where(ok, a, 0.0)
        e_ = np.where(ok, np.where(np.isnan(e), n_weeks, e), 0.0)
        r, w, wt = expand_weeks(a_, e_)
        keep = (w >= 0) & (w < n_weeks)
        r, w, wt = r[keep], w[keep], wt[keep]
        amount = -wt * t.employment_rate * t.annual_wage_dkk / 52 * idx[w // 52] * t.tax_rate
        rep = spells["replication"].to_numpy()
        for p, share in t.payer.items():
            frames.append(_by_year(rep[r], w, amount * share, "tax.wages", p))
    if len(transfers):
        g = transfers.groupby(["replication", "year"], as_index=False)["dkk"].sum()
        for p, share in t.payer.items():
            frames.append(g.assign(dkk=-g["dkk"] * t.benefit_tax_rate * share, item="tax.benefits", payer=p)[COST_COLUMNS])
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[COST_COLUMNS] if frames else pd.DataFrame(columns=COST_COLUMNS)


def charged_items(sc) -> set[str]:
    """The budget items a scenario charges with a positive price, read from its configuration (no run).

    Used to check a seed scenario's ``costing``: items it charges that its baseline does not must be
    listed as new costs, and services listed as already in the baseline must not be charged."""
    from .cost_rows import _used_pools_providers

    eco, inv = sc.economics, sc.investment
    pools, provs = _used_pools_providers(sc)
    out = set()
    for name in pools:
        pc = eco.pools.get(name)
        price = pc.fte_dkk if pc and pc.fte_dkk is not None else eco.consultant_fte_dkk
        if price > 0 and sc.consultants[name].count > 0:
            out.add(f"consultants.{name}")
    for name in provs:
        cfg, pc = sc.providers[name], eco.providers.get(name)
        if cfg.kind == "internal":
            price = pc.fte_dkk if pc and pc.fte_dkk is not None else eco.therapist_fte_dkk
            if price > 0 and cfg.therapists > 0:
                out.add(f"therapists.{name}")
        if pc and pc.per_session_dkk > 0:
            out.add(f"sessions.{name}")
        if pc and pc.per_course_dkk > 0:
            out.add(f"courses.{name}")
    out |= {f"fixed.{c.label}" for c in eco.fixed_costs if c.dkk > 0}
    if inv is not None:
        out |= {f"investment.{line}" for line, share in inv.split.items() if share > 0}
    return out


def costing_problems(sc) -> list[str]:
    """What is wrong with a scenario's ``costing`` against its own baseline (empty list: costed at the margin)."""
    from .investment import conversion
    from .scenario import load_scenario

    c = sc.costing
    if c is None:
        return [f"{sc.name}: no costing section (what it charges as new cost, why, with the seed's words)"]
    base = load_scenario(c.baseline)
    out = []
    if base.arrivals != sc.arrivals or base.population != sc.population:
        out.append(f"{sc.name}: baseline {c.baseline} has other arrivals or population (not paired)")
    mine, theirs = charged_items(sc), charged_items(base)
    listed = {i.item for i in c.new_costs}
    conv = conversion(sc) if sc.investment is not None else []
    by_investment = {f"consultants.{conv[0]['consultant_pool']}", f"therapists.{conv[0]['provider']}"} if conv else set()
    already = sorted(listed & theirs)
    if already:
        out.append(f"{sc.name}: charges {already} as new cost, but its baseline {c.baseline} already has it")
    unexplained = sorted(mine - theirs - listed - by_investment)
    if unexplained:
        out.append(f"{sc.name}: charges {unexplained} without listing it in costing.new_costs")
    stale = sorted(listed - mine)
    if stale:
        out.append(f"{sc.name}: costing.new_costs lists {stale}, which the budget does not charge")
    existing = sorted({i.item for i in c.in_baseline} & mine)
    if existing:
        out.append(f"{sc.name}: charges existing services {existing} that costing.in_baseline says are not new")
    out += [f"{sc.name}: {i.item} needs a reason and a source" for i in c.new_costs + c.in_baseline
            if not (i.why.strip() and i.source.strip())]
    return out
