"""The public budget of a simulated policy, year by year and by payer (DESIGN §5).

Pure numpy/pandas over the tables a run already produces: the spell table gives benefit weeks,
treatment weeks and returns; the weekly table gives how much a pool or provider was used. Prices
and payers come from the scenario's ``economics:`` section, rates per calendar year from a
versioned rate table (``model/rates/``), and an investment's money from ``investment:``.

Conventions (docs/economics.md): simulated week ``w`` lies in simulated year ``w // 52 + 1`` and
calendar year ``economics.start_year + w // 52``; costs are positive DKK; ``public`` is municipality
+ state + region (employer and citizen are shown, not summed in). Against a baseline, the *net
effect* is baseline cost minus scenario cost: positive means the public purse gains.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .economics_params import PUBLIC_PAYERS
from .rate_table import load_rate_table
from .intervals import indexed_interval
from .rules import rules_for, support_offsets
from .cost_rows import COST_COLUMNS, _by_year, _used_pools_providers, expand_weeks  # noqa: F401  (re-exported)
from .scenario import Scenario

BOOT = 2000


class BudgetError(ValueError):
    """A budget that cannot be computed (years outside the rate table, mismatched runs)."""


# ------------------------------------------------------------------------------------------------
def _rows(rep, year, item, payer, dkk) -> pd.DataFrame:
    df = pd.DataFrame({"replication": rep, "year": year, "item": item, "payer": payer, "dkk": dkk})
    return df[df["dkk"] != 0]





def _split_rows(df: pd.DataFrame, payer_split: dict[str, float]) -> pd.DataFrame:
    """Spread rows with payer '*' over a payer split."""
    out = [df.assign(payer=p, dkk=df["dkk"] * s) for p, s in payer_split.items()]
    return pd.concat(out, ignore_index=True) if out else df.iloc[0:0]


def benefit_costs(spells: pd.DataFrame, sc: Scenario, n_weeks: int, onward: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sickness benefit, resource-course benefit and the state's refund, by replication and year.

    The employer pays the first ``employer_period_days`` of a spell for citizens with a workplace
    (DESIGN §4); the municipality pays from then, and the state refunds it by the staircase of the
    rule table (financing act § 5, stk. 2). The staircase runs on each citizen's support history
    (§ 6): weeks of public support are counted across spells, relapses, jobafklaring and (when
    ``onward`` is given, ``Replication.onward``) onward states other than self-support, and the count
    restarts only after 52 weeks of self-support within 3 years (:func:`support_history_offsets`)."""
    if "population" in spells and len(spells) and (spells["population"] != "sick_listed").any():
        # the second population (issue 17) is paid cash benefit / ressourceforløbsydelse, not sickness benefit
        from .cash_benefit import cash_benefit_costs

        sick = spells[spells["population"] == "sick_listed"]
        parts = [benefit_costs(sick, sc, n_weeks, onward), cash_benefit_costs(spells, sc, n_weeks)]
        return pd.concat([p for p in parts if len(p)], ignore_index=True)
    eco = sc.economics
    table = load_rate_table(eco.rates)
    rs = rules_for(sc)
    n_years = math.ceil(n_weeks / 52)
    years = [eco.start_year + k for k in range(n_years)]
    b = eco.benefit
    sick_week = np.array([table.rate("sickness_benefit_max_week", y) for y in years])
    sick_week *= b.share_at_maximum + (1 - b.share_at_maximum) * b.below_max_fraction
    ws = b.resource_course_with_children_share
    rc_week = np.array([(1 - ws) * table.rate("resource_course_month_no_children", y)
                        + ws * table.rate("resource_course_month_with_children", y) for y in years]) * 12 / 52
    if spells.empty:
        return pd.DataFrame(columns=COST_COLUMNS)
    s0 = spells["spell_start_week"].to_numpy(float)
    bend = spells["benefit_end_week"].to_numpy(float)
    bend = np.where(np.isnan(bend), n_weeks, bend)
    employed = spells["employed"].to_numpy(bool) if "employed" in spells else np.ones(len(spells), bool)
    emp = np.where(employed | b.employer_period_for_unemployed, b.employer_period_days / 7.0, 0.0)
    public_from = s0 + emp
    rep = spells["replication"].to_numpy()
    frames = []
    # employer period (not public money, shown for completeness)
    r, w, wt = expand_weeks(s0, np.minimum(public_from, bend))
    keep = (w >= 0) & (w < n_weeks)
    frames.append(_by_year(rep[r][keep], w[keep], wt[keep] * sick_week[w[keep] // 52], "sickness_benefit", "employer"))
    # public sickness benefit and resource-course benefit, with the refund staircase on the support history
    ja = spells["jobafklaring_week"].to_numpy(float) if "jobafklaring_week" in spells else np.full(len(spells), np.nan)
    jend = spells["jobafklaring_end_week"].to_numpy(float) if "jobafklaring_end_week" in spells else ja
    jend = np.where(np.isnan(ja), np.nan, np.where(np.isnan(jend), n_weeks, jend))
    rc_from = np.maximum(ja, public_from)
    off_sick, off_rc = support_history_offsets(spells, public_from, bend, rc_from, jend, onward, rs, n_weeks)
    for item, a, e, rate, off in (("sickness_benefit", public_from, bend, sick_week, off_sick),
                                  ("resource_course_benefit", rc_from, jend, rc_week, off_rc)):
        valid = ~np.isnan(a) & ~np.isnan(e)
        a_, e_ = np.where(valid, a, 0.0), np.where(valid, e, 0.0)
        r, w, wt = expand_weeks(a_, e_)
        keep = (w >= 0) & (w < n_weeks)
        r, w, wt = r[keep], w[keep], wt[keep]
        gross = wt * rate[w // 52]
        mid = (np.maximum(w, a_[r]) + np.minimum(w + 1, e_[r])) / 2  # a partial week counts at its midpoint
        k = np.floor(mid - a_[r] + off[r]).astype(np.int64) + 1
        share = rs.refund_share(np.maximum(k, 1)) if b.refund else np.zeros(w.size)
        frames.append(_by_year(rep[r], w, gross * (1 - share), item, "municipality"))
        frames.append(_by_year(rep[r], w, gross * share, item + "_refund", "state"))
    return pd.concat(frames, ignore_index=True)


def support_history_offsets(spells: pd.DataFrame, sick_from: np.ndarray, sick_end: np.ndarray, rc_from: np.ndarray,
                            rc_end: np.ndarray, onward: pd.DataFrame | None, rs, n_weeks: int
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Weeks of public support each citizen has already had (since the last restart, financing act
    § 6) when each spell's public sickness benefit and its jobafklaring begin.

    A citizen's support intervals are the public sickness-benefit weeks of every spell, jobafklaring
    and onward stays other than self-support; the gaps between them are self-support (the employer
    period included: it is not public support). Citizens with one interval need no loop."""
    n = len(spells)
    off_sick, off_rc = np.zeros(n), np.zeros(n)
    restart = rs["refund_restart"]
    if "citizen_id" not in spells:  # no citizen key: every row its own history (hand-made tables)
        spells = spells.assign(citizen_id=np.arange(n))
    cols = {"rep": spells["replication"].to_numpy(), "cid": spells["citizen_id"].to_numpy()}
    parts = [pd.DataFrame({**cols, "a": sick_from, "b": sick_end, "kind": 0, "row": np.arange(n)}),
             pd.DataFrame({**cols, "a": rc_from, "b": rc_end, "kind": 1, "row": np.arange(n)})]
    if onward is not None and len(onward):
        o = onward[onward["state"] != "self_support"]
        parts.append(pd.DataFrame({"rep": o["replication"].to_numpy(), "cid": o["citizen_id"].to_numpy(),
                                   "a": o["start_week"].to_numpy(float),
                                   "b": o["end_week"].fillna(n_weeks).to_numpy(float), "kind": 2, "row": -1}))
    iv = pd.concat(parts, ignore_index=True)
    iv = iv[~iv["a"].isna() & ~iv["b"].isna() & (iv["b"] > iv["a"])]
    multi = iv.groupby(["rep", "cid"])["a"].transform("size") > 1
    iv = iv[multi].sort_values(["rep", "cid", "a", "kind"], kind="stable")
    if iv.empty:
        return off_sick, off_rc
    a, b = iv["a"].to_numpy(), iv["b"].to_numpy()
    kind, row = iv["kind"].to_numpy(), iv["row"].to_numpy()
    key = iv["rep"].astype(str).to_numpy() + ":" + iv["cid"].astype(str).to_numpy()
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        off = support_offsets(a[lo:hi], b[lo:hi], int(restart["self_support_weeks"]), int(restart["window_weeks"]))
        for j in range(lo, hi):
            if kind[j] == 0:
                off_sick[row[j]] = off[j - lo]
            elif kind[j] == 1:
                off_rc[row[j]] = off[j - lo]
    return off_sick, off_rc


def _year_fractions(n_weeks: int) -> dict[int, float]:
    return {y + 1: min(52, n_weeks - 52 * y) / 52 for y in range(math.ceil(n_weeks / 52))}


def staff_and_treatment_costs(spells: pd.DataFrame, weekly: pd.DataFrame, sc: Scenario, n_weeks: int) -> pd.DataFrame:
    """Consultant and therapist salaries, treatment fees, investment lines and fixed costs by year."""
    eco, inv = sc.economics, sc.investment
    reps = np.unique(weekly["replication"]) if len(weekly) else np.array([0])
    frac = _year_fractions(n_weeks)
    years = np.array(sorted(frac))
    funded_cal = set(inv.funded_years()) if inv else set()
    funded = {y for y in years if eco.start_year + y - 1 in funded_cal}
    pools, provs = _used_pools_providers(sc)
    inv_pool = inv_prov = None
    if inv is not None:
        from .investment import conversion

        if conversion(sc):   # the plan's own pool and provider are charged by the plan alone (0% line: nothing)
            from .investment import targets

            tg = targets(sc)
            inv_pool, inv_prov = tg["pool"], tg["provider"]
        pools |= {inv_pool} - {None}
        provs |= {inv_prov} - {None}
    wk = weekly.assign(year=weekly["week"] // 52 + 1) if len(weekly) else weekly
    frames = []

    def use_ratio(col: str) -> pd.DataFrame:
        """Use in each year relative to the mean use in funded years (wind-down charge), per replication."""
        if col not in wk:
            return pd.DataFrame({"replication": np.repeat(reps, years.size), "year": np.tile(years, reps.size), "ratio": 0.0})
        u = wk.groupby(["replication", "year"])[col].mean().rename("use").reset_index()
        ref = u[u["year"].isin(funded)].groupby("replication")["use"].mean().rename("ref")
        u = u.join(ref, on="replication")
        u["ratio"] = np.where(u["ref"] > 0, np.minimum(1.0, u["use"] / u["ref"]), 0.0)
        return u[["replication", "year", "ratio"]]

    def charge(item: str, annual: float, payer: dict[str, float], funded_line: str | None, use_col: str | None):
        rows = []
        ratio = use_ratio(use_col) if funded_line else None
        for y in years:
            if funded_line and y in funded:
                amount = np.full(reps.size, inv.line_dkk(funded_line, eco.start_year + y - 1) * frac[y] / frac[y])
                # a funded year is charged what the budget line spends that calendar year (partial last year pro rata)
                amount = amount * frac[y]
                rows.append(pd.DataFrame({"replication": reps, "year": y, "dkk": amount}))
            elif funded_line:
                r = ratio[ratio["year"] == y]
                rows.append(pd.DataFrame({"replication": r["replication"], "year": y,
                                          "dkk": annual * frac[y] * r["ratio"].to_numpy()}))
            else:
                rows.append(pd.DataFrame({"replication": reps, "year": y, "dkk": annual * frac[y]}))
        df = pd.concat(rows, ignore_index=True).assign(item=item, payer="*")
        frames.append(_split_rows(df, payer))

    for name in sorted(pools):
        cfg = sc.consultants[name]
        pc = eco.pools.get(name)
        price = pc.fte_dkk if pc and pc.fte_dkk is not None else eco.consultant_fte_dkk
        is_inv = name == inv_pool
        charge(f"consultants.{name}", cfg.count * price, inv.payer if is_inv else (pc.payer if pc else {"municipality": 1.0}),
               "consultants" if is_inv else None, f"caseload_mean.{name}" if is_inv else None)
    for name in sorted(provs):
        cfg = sc.providers[name]
        pc = eco.providers.get(name)
        if cfg.kind == "internal":
            price = pc.fte_dkk if pc and pc.fte_dkk is not None else eco.therapist_fte_dkk
            is_inv = name == inv_prov
            charge(f"therapists.{name}", cfg.therapists * price,
                   inv.payer if is_inv else (pc.payer if pc else {"municipality": 1.0}),
                   "health_staff" if is_inv else None, f"in_treatment_at.{name}" if is_inv else None)
    # fees per session and per course, from the spell table
    if len(spells) and "treatment_start_week" in spells:
        spw = spells["pathway"].map({p: (pw.treatment.sessions_per_week if pw.treatment else 0.0)
                                     for p, pw in sc.pathways.items()}).to_numpy(float)
        ts = spells["treatment_start_week"].to_numpy(float)
        te = spells["treatment_end_week"].to_numpy(float)
        te = np.where(np.isnan(te), n_weeks, te)
        prov = spells["provider"].to_numpy(object)
        rep = spells["replication"].to_numpy()
        cover_treatment = inv is not None and inv.split["treatment"] > 0
        for name, pc in eco.providers.items():
            sel = (prov == name) & ~np.isnan(ts)
            if not sel.any():
                continue
            if pc.per_session_dkk > 0:
                r, w, wt = expand_weeks(np.where(sel, ts, 0.0), np.where(sel, te, 0.0))
                keep = (w >= 0) & (w < n_weeks)
                r, w, wt = r[keep], w[keep], wt[keep]
                amount = wt * spw[r] * pc.per_session_dkk
                if cover_treatment and name == (inv.provider or sc.pathways[inv.pathway].treatment.provider):
                    amount = np.where(np.isin(w // 52 + 1, list(funded)), 0.0, amount)
                frames.append(_split_rows(_by_year(rep[r], w, amount, f"sessions.{name}", "*"), pc.payer))
            if pc.per_course_dkk > 0:
                w = ts[sel].astype(np.int64)
                keep = (w >= 0) & (w < n_weeks)
                frames.append(_split_rows(_by_year(rep[sel][keep], w[keep], np.full(keep.sum(), pc.per_course_dkk),
                                                   f"courses.{name}", "*"), pc.payer))
    # investment lines that buy no modelled capacity, and fixed / one-off costs
    if inv is not None:
        for line in ("treatment", "management", "other"):
            if inv.split[line] > 0:
                for y in sorted(funded):
                    df = pd.DataFrame({"replication": reps, "year": y,
                                       "dkk": inv.line_dkk(line, eco.start_year + y - 1) * frac[y], "item": f"investment.{line}",
                                       "payer": "*"})
                    frames.append(_split_rows(df, inv.payer))
    for line in eco.fixed_costs:
        for y in (line.years or list(years)):
            if y in frac:
                sign = -1.0 if line.saving else 1.0
                df = pd.DataFrame({"replication": reps, "year": y,
                                   "dkk": sign * line.dkk * (frac[y] if line.years is None else 1.0),
                                   "item": f"fixed.{line.label}", "payer": "*"})
                frames.append(_split_rows(df, line.payer))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[COST_COLUMNS] if frames else pd.DataFrame(columns=COST_COLUMNS)


def budget(spells: pd.DataFrame, weekly: pd.DataFrame, sc: Scenario, n_weeks: int,
           onward: pd.DataFrame | None = None) -> pd.DataFrame:
    """All costs of one scenario: one row per replication, year, item and payer (DKK; revenue negative).

    Lines: benefits and refund (``benefit_costs``; ``onward`` = ``Replication.onward`` lets the refund
    staircase count onward support weeks, issue 12), staff, treatment and investment
    (``staff_and_treatment_costs``), onward-state benefits (``budget_lines.onward_costs``, when
    ``economics.onward.include``) and tax revenue (``budget_lines.tax_revenue``, when
    ``economics.tax.include``)."""
    from .budget_lines import item_kind, onward_costs, tax_revenue

    n_years = math.ceil(n_weeks / 52)
    try:
        sc.economics.check_years(n_years)
    except ValueError as err:
        raise BudgetError(str(err)) from None
    parts = [benefit_costs(spells, sc, n_weeks, onward), staff_and_treatment_costs(spells, weekly, sc, n_weeks)]
    try:
        parts.append(onward_costs(onward, spells, sc, n_weeks))
    except ValueError as err:
        raise BudgetError(str(err)) from None
    parts = [p for p in parts if len(p)]
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COST_COLUMNS)
    transfers = df[df["item"].map(item_kind) == "transfer"] if len(df) else df
    tax = tax_revenue(spells, transfers, sc, n_weeks)
    if len(tax):
        df = pd.concat([df, tax], ignore_index=True)
    df = df.groupby(["replication", "year", "item", "payer"], as_index=False)["dkk"].sum()
    df["calendar_year"] = sc.economics.start_year + df["year"] - 1
    return df


def returns_by_year(spells: pd.DataFrame, n_weeks: int, reps) -> pd.DataFrame:
    """Spells ending in a return to work, per replication and simulated year."""
    years = np.arange(1, math.ceil(n_weeks / 52) + 1)
    full = pd.MultiIndex.from_product([sorted(reps), years], names=["replication", "year"])
    if spells.empty:
        return pd.DataFrame(index=full, data={"returns": 0.0}).reset_index()
    rw = spells["return_week"].to_numpy(float)
    ok = ~np.isnan(rw) & (rw >= 0) & (rw < n_weeks)
    g = pd.DataFrame({"replication": spells["replication"].to_numpy()[ok], "year": rw[ok].astype(np.int64) // 52 + 1})
    counts = g.groupby(["replication", "year"]).size().rename("returns").astype(float)
    return counts.reindex(full, fill_value=0.0).reset_index()


def result_budget(result) -> pd.DataFrame:
    """Budget of an ``ExperimentResult``."""
    return budget(result.spells, result.weekly, result.scenario, result.weeks, getattr(result, "onward", None))


# ------------------------------------------------------------------------------------------------
_ci = indexed_interval   # mean and interval of per-replication values indexed by replication (model.intervals)


SIM_ONLY = "simulation noise only (paired replications on common random numbers)"


@dataclass
class BudgetComparison:
    """A scenario's budget against a baseline run on the same replication seeds (paired)."""

    scenario: str
    baseline: str
    costs: pd.DataFrame      # scenario, replication, year, item, payer, dkk
    returns: pd.DataFrame    # scenario, replication, year, returns
    n_years: int
    start_year: int
    economics: object = None  # the scenario's Economics (discount rate, block grant)
    uncertainty: str = SIM_ONLY  # which uncertainty the intervals include
    effect: str = "not stated"   # the scenario's costing.effect: 'measured' or 'assumed' (payback conditional)
    n_sets: int = 1              # parameter sets the replications cycled (r mod n_sets): above 1, evidence intervals

    def _wide(self, name: str) -> pd.DataFrame:
        from .budget_lines import item_kind

        c = self.costs[self.costs["scenario"] == name]
        kind = c["item"].map(item_kind) if len(c) else pd.Series(dtype=object)
        w = c.pivot_table(index=["replication", "year"], columns="payer", values="dkk", aggfunc="sum", fill_value=0.0)
        reps = sorted(self.returns["replication"].unique())
        full = pd.MultiIndex.from_product([reps, range(1, self.n_years + 1)], names=["replication", "year"])
        w = w.reindex(full, fill_value=0.0)
        for p in PUBLIC_PAYERS + ("employer",):
            if p not in w:
                w[p] = 0.0
        w["public"] = w[list(PUBLIC_PAYERS)].sum(axis=1)
        public = c["payer"].isin(PUBLIC_PAYERS)

        def total(mask) -> pd.Series:
            return c[mask].groupby(["replication", "year"])["dkk"].sum().reindex(full, fill_value=0.0)

        is_benefit = c["item"].str.startswith(("sickness_benefit", "resource_course_benefit", "cash_benefit"))
        w["benefit_public"] = total(is_benefit & public)
        w["onward_public"] = total(c["item"].str.startswith("onward.") & public)
        for k in ("service", "transfer", "tax"):
            w[f"{k}_public"] = total((kind == k) & public)
        w["effort_public"] = w["service_public"]
        w["transfer_municipality"] = total((kind == "transfer") & (c["payer"] == "municipality"))
        r = self.returns[self.returns["scenario"] == name].set_index(["replication", "year"])["returns"]
        w["returns"] = r.reindex(full, fill_value=0.0)
        return w

    def discount(self) -> np.ndarray:
        from .budget_lines import discount_factors

        if self.economics is None:
            return np.ones(self.n_years)
        return discount_factors(self.economics, self.n_years)

    def paired(self) -> pd.DataFrame:
        """Per replication and year: costs of both, effort cost, savings by line, net effect by payer and view.

        ``net.*`` = baseline cost − scenario cost (positive: the public purse gains); ``pv.*`` the same
        discounted to simulated year 1 (``economics.discount``)."""
        s, b = self._wide(self.scenario), self._wide(self.baseline)
        out = pd.DataFrame(index=s.index)
        out["cost_scenario"] = s["public"]
        out["cost_baseline"] = b["public"]
        out["extra_effort_cost"] = s["effort_public"] - b["effort_public"]
        out["benefit_savings"] = b["benefit_public"] - s["benefit_public"]
        out["onward_savings"] = b["onward_public"] - s["onward_public"]
        out["tax_gain"] = b["tax_public"] - s["tax_public"]
        for k in ("service", "transfer", "tax"):
            out[f"net_{k}"] = b[f"{k}_public"] - s[f"{k}_public"]
        for p in PUBLIC_PAYERS:
            out[f"net.{p}"] = b[p] - s[p]
        out["net.total"] = b["public"] - s["public"]
        off = self.economics.block_grant.transfer_offset_share if self.economics is not None else 0.0
        shift = off * (b["transfer_municipality"] - s["transfer_municipality"])
        out["net.municipality_after_block_grant"] = out["net.municipality"] - shift
        out["net.state_after_block_grant"] = out["net.state"] + shift
        out["employer_savings"] = b["employer"] - s["employer"]
        out["extra_returns"] = s["returns"] - b["returns"]
        out = out.reset_index()
        df = self.discount()[out["year"].to_numpy() - 1]
        out["discount_factor"] = df
        for p in PUBLIC_PAYERS + ("total",):
            out[f"pv.{p}"] = out[f"net.{p}"] * df
        out["pv.municipality_after_block_grant"] = out["net.municipality_after_block_grant"] * df
        out["cumulative_net"] = out.groupby("replication")["net.total"].cumsum()
        out["cumulative_pv"] = out.groupby("replication")["pv.total"].cumsum()
        out["cumulative_extra_returns"] = out.groupby("replication")["extra_returns"].cumsum()
        return out

    def by_year(self) -> pd.DataFrame:
        """The SØM-style table: one row per year, mean and 95% interval of each quantity (DKK)."""
        p = self.paired()
        rows = []
        cols = [c for c in p.columns if c not in {"replication", "year"}]
        for y, g in p.groupby("year"):
            row = {"year": int(y), "calendar_year": self.start_year + int(y) - 1}
            g = g.set_index("replication")
            for c in cols:
                m, lo, hi = _ci(g[c], self.n_sets)
                row[c], row[c + ".lo"], row[c + ".hi"] = m, lo, hi
            rows.append(row)
        return pd.DataFrame(rows)

    def totals(self) -> pd.DataFrame:
        """Undiscounted sums and present values over the years, per payer and view: mean, low, high (DKK)."""
        p = self.paired()
        rows = []
        views = [("municipality", "Municipality"), ("state", "State"), ("region", "Region"), ("total", "Public total"),
                 ("municipality_after_block_grant", "Municipality after block-grant adjustment (approximation)"),
                 ("state_after_block_grant", "State after block-grant adjustment (approximation)")]
        sums = p.groupby("replication").sum(numeric_only=True)
        df = p["discount_factor"].to_numpy()
        pv_all = p.assign(**{c: p[c] * df for c in p.columns if c.startswith(("net", "extra_effort", "benefit_sav",
                                                                               "onward_sav", "tax_gain"))})
        pv_sums = pv_all.groupby("replication").sum(numeric_only=True)
        lines = [(f"net.{k}", label) for k, label in views] + [
            ("net_service", "Service spending (under the municipal spending ceiling), public"),
            ("net_transfer", "Transfers (benefits; outside the ceiling), public"),
            ("net_tax", "Tax revenue, public"), ("extra_effort_cost", "Extra cost of the effort (service)"),
            ("benefit_savings", "Savings on sickness, resource-course and cash benefit"),
            ("onward_savings", "Savings on onward-state benefits"), ("tax_gain", "Extra tax revenue")]
        for col, label in lines:
            m, lo, hi = _ci(sums[col], self.n_sets)
            pm, plo, phi = _ci(pv_sums[col], self.n_sets)
            rows.append({"line": col, "label": label, "undiscounted": m, "undiscounted.lo": lo, "undiscounted.hi": hi,
                         "present_value": pm, "present_value.lo": plo, "present_value.hi": phi})
        return pd.DataFrame(rows)

    def headline(self, seed: int = 0) -> dict[str, float]:
        """Payback year and cost per extra citizen back at work, with bootstrap intervals over replications."""
        p = self.paired()
        cum = p.pivot(index="replication", columns="year", values="cumulative_net").to_numpy()
        cum_pv = p.pivot(index="replication", columns="year", values="cumulative_pv").to_numpy()
        by_rep = p.groupby("replication")
        net_s, extra_s = by_rep["net.total"].sum(), by_rep["extra_returns"].sum()
        net, extra = net_s.to_numpy(), extra_s.to_numpy()
        cost = p.groupby("replication")["extra_effort_cost"].sum().to_numpy()
        rng = np.random.default_rng(seed)
        n = cum.shape[0]
        idx = rng.integers(0, n, size=(BOOT, n))

        def payback(mean_cum: np.ndarray) -> float:
            pos = np.flatnonzero(mean_cum >= 0)
            return float(pos[0] + 1) if pos.size else math.inf

        def per_return(nets, extras):
            return -nets.mean() / extras.mean() if extras.mean() > 0 else math.nan

        boot_cpr = np.array([per_return(net[i], extra[i]) for i in idx])
        boot_gross = np.array([cost[i].mean() / extra[i].mean() if extra[i].mean() > 0 else math.nan for i in idx])
        out = {"years": self.n_years, "replications": n, "uncertainty": self.uncertainty, "effect": self.effect,
               "discount_rate": self.economics.discount.rate if self.economics is not None else 0.0}
        k = self.n_sets
        m, lo, hi = _ci(net_s, k)
        out.update({"net_total": m, "net_total.lo": lo, "net_total.hi": hi})
        for pay in PUBLIC_PAYERS + ("total",):
            m, lo, hi = _ci(by_rep[f"net.{pay}"].sum(), k)
            out.update({f"net.{pay}": m, f"net.{pay}.lo": lo, f"net.{pay}.hi": hi})
            m, lo, hi = _ci(by_rep[f"pv.{pay}"].sum(), k)
            out.update({f"npv.{pay}": m, f"npv.{pay}.lo": lo, f"npv.{pay}.hi": hi})
        m, lo, hi = _ci(extra_s, k)
        out.update({"extra_returns": m, "extra_returns.lo": lo, "extra_returns.hi": hi})
        for key, c in (("payback_year", cum), ("payback_year_discounted", cum_pv)):
            boot_pb = np.array([payback(c[i].mean(axis=0)) for i in idx])
            out[key] = payback(c.mean(axis=0))
            finite = np.where(np.isfinite(boot_pb), boot_pb, self.n_years + 1)  # "not within the horizon" sorts last
            lo, hi = np.percentile(finite, [2.5, 97.5], method="inverted_cdf")
            out[key + ".lo"], out[key + ".hi"] = (float(lo) if lo <= self.n_years else math.inf,
                                                  float(hi) if hi <= self.n_years else math.inf)
        out["paid_back_share_of_replications"] = float(np.mean(cum[:, -1] >= 0))
        out["net_cost_per_extra_return"] = per_return(net, extra)
        out["gross_cost_per_extra_return"] = cost.mean() / extra.mean() if extra.mean() > 0 else math.nan
        for k, arr in (("net_cost_per_extra_return", boot_cpr), ("gross_cost_per_extra_return", boot_gross)):
            a = arr[~np.isnan(arr)]
            ok = a.size >= 0.95 * BOOT
            out[k + ".lo"] = float(np.percentile(a, 2.5)) if ok else math.nan
            out[k + ".hi"] = float(np.percentile(a, 97.5)) if ok else math.nan
        return out


def compare_budgets(scenario_result, baseline_result, n_years: int | None = None,
                    uncertainty: str | None = None) -> BudgetComparison:
    """Pair two ``ExperimentResult`` runs made on the same seed (common random numbers).

    ``uncertainty`` names what the intervals include (default: simulation noise only); pass the
    calibrated set when the runs cycled ``parameter_sets``."""
    if scenario_result.seed != baseline_result.seed or len(scenario_result.reps) != len(baseline_result.reps):
        raise BudgetError("budget comparison needs both runs on the same seed and number of replications "
                          "(common random numbers)")
    if scenario_result.weeks != baseline_result.weeks:
        raise BudgetError(f"budget comparison needs equal simulated weeks, got {scenario_result.weeks} and "
                          f"{baseline_result.weeks}")
    if scenario_result.scenario.economics.start_year != baseline_result.scenario.economics.start_year:
        raise BudgetError("economics.start_year differs between scenario and baseline "
                          f"({scenario_result.scenario.economics.start_year} vs "
                          f"{baseline_result.scenario.economics.start_year}); the years would not line up")
    sa, sb = scenario_result.scenario, baseline_result.scenario
    for part in ("arrivals", "population"):
        if getattr(sa, part) != getattr(sb, part):
            raise BudgetError(f"{sa.name} and {sb.name} differ in '{part}', so their citizens are not the same and "
                              f"the comparison would not be paired; use a baseline with the same {part} "
                              f"(or --set the same {part} values for both)")
    weeks = scenario_result.weeks
    frames, rets = [], []
    for res in (scenario_result, baseline_result):
        name = res.scenario.name
        frames.append(result_budget(res).assign(scenario=name))
        rets.append(returns_by_year(res.spells, weeks, [r.replication for r in res.reps]).assign(scenario=name))
    nyears = n_years or math.ceil(weeks / 52)
    costs = pd.concat(frames, ignore_index=True)
    costs = costs[costs["year"] <= nyears]
    returns = pd.concat(rets, ignore_index=True)
    returns = returns[returns["year"] <= nyears]
    return BudgetComparison(scenario_result.scenario.name, baseline_result.scenario.name, costs, returns, nyears,
                            scenario_result.scenario.economics.start_year, scenario_result.scenario.economics,
                            uncertainty or SIM_ONLY,
                            sa.costing.effect if getattr(sa, "costing", None) is not None else "not stated",
                            getattr(scenario_result, "n_sets", 1))


def uncertainty_label(parameter_sets: list | None, name: str | None, reps: int) -> str:
    """What the intervals of a budget include, in words (printed, in the report and the workbook)."""
    if not parameter_sets:
        return SIM_ONLY
    return (f"simulation noise and calibration uncertainty: the range of the expected result over "
            f"{min(len(parameter_sets), reps)} of "
            f"{len(parameter_sets)} accepted parameter sets of {name or 'the given list'}, cycled over {reps} paired "
            "replications (a random-effects interval that does not narrow as replications are added; evidence "
            "uncertainty beyond the calibration is not included)")


def comparison_budget_columns(comparison) -> pd.DataFrame:
    """Budget columns for ``rtwsim compare``: public cost over the simulated years and net effect vs the baseline."""
    rows = []
    base = comparison.results[comparison.baseline]
    for name, res in comparison.results.items():
        costs = result_budget(res)
        tot = costs[costs["payer"].isin(PUBLIC_PAYERS)].groupby("replication")["dkk"].sum()
        m, lo, hi = _ci(tot, res.n_sets)
        row = {"scenario": name, "years": math.ceil(res.weeks / 52), "public_cost": m, "public_cost.lo": lo,
               "public_cost.hi": hi}
        if name != comparison.baseline:
            try:
                h = compare_budgets(res, base).headline()
                row.update({k: h[k] for k in ("net_total", "net_total.lo", "net_total.hi", "extra_returns",
                                              "extra_returns.lo", "extra_returns.hi", "payback_year",
                                              "net_cost_per_extra_return")})
            except BudgetError as err:
                row["note"] = f"not paired: {err}"
        rows.append(row)
    return pd.DataFrame(rows)


def format_budget_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns of ``comparison_budget_columns`` for a terminal (mio. DKK, mean and 95% CI)."""
    def ci(r, k, scale=1e6, fmt="{:.2f}"):
        if k not in r or pd.isna(r.get(k)):
            return ""
        lo, hi = r.get(k + ".lo"), r.get(k + ".hi")
        txt = fmt.format(r[k] / scale)
        return txt + (f" ({fmt.format(lo / scale)} to {fmt.format(hi / scale)})" if not pd.isna(lo) else "")

    rows = []
    for _, r in df.iterrows():
        pb = r.get("payback_year")
        rows.append({"scenario": r["scenario"], "years": int(r["years"]), "public cost": ci(r, "public_cost"),
                     "net effect vs baseline": ci(r, "net_total"),
                     "extra returns": ci(r, "extra_returns", 1, "{:.0f}"),
                     "payback year": "" if pb is None or pd.isna(pb) else (f"{pb:.0f}" if math.isfinite(pb) else "none"),
                     "note": r.get("note", "") if isinstance(r.get("note", ""), str) else ""})
    return pd.DataFrame(rows)


def budget_cell(m: float, lo: float, hi: float, unit: str, missing: str = "n/a") -> str:
    """'mean (low to high)' in mio. DKK (unit 'mio') or whole numbers (unit 'n'), as budget tables show it."""
    if m is None or (isinstance(m, float) and math.isnan(m)):
        return missing
    scale, fmt = (1e6, ".2f") if unit == "mio" else (1.0, ".0f")
    text = f"{m / scale:{fmt}}"
    return text if math.isnan(lo) else f"{text} ({lo / scale:{fmt}} to {hi / scale:{fmt}})"


def budget_year_table(by_year: pd.DataFrame, rows: list[tuple[str, str, str]], quantity: str = "quantity",
                      year_header=lambda y, cy: f"Y{y} {cy}", missing: str = "n/a") -> pd.DataFrame:
    """SØM layout: one row per (column, label, unit) quantity, one column per year, text cells with intervals.

    Shared by the CLI, the HTML report and the app so that a finance officer sees the same table everywhere.
    """
    out = []
    for col, label, unit in rows:
        row = {quantity: label + (" (mio. DKK)" if unit == "mio" else "")}
        for _, r in by_year.iterrows():
            row[year_header(int(r["year"]), int(r["calendar_year"]))] = budget_cell(
                r[col], r[col + ".lo"], r[col + ".hi"], unit, missing)
        out.append(row)
    return pd.DataFrame(out)
