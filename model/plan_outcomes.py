"""Outcomes of an investment plan by calendar year: returns, shares still on benefit, waits,
caseloads, utilisation and the plan's own cost, for the plan and its baseline on common random
numbers, with 95% intervals across replications and the funded years marked.

One long table (``outcomes_by_year``) feeds the app's Investment page, the HTML report and the
Excel sheet (``outcome_year_table`` lays it out as quantities x years, as the budget table does).
The core never formats for a page: labels are passed in.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .intervals import replication_interval

# quantity key -> (default English label, unit: "n" count, "pct" share, "wk" weeks, "mio" DKK)
QUANTITIES = {
    "returns": ("Returns to work", "n"),
    "on_benefit": ("Citizens on benefit (mean of the year)", "n"),
    "still_on_benefit": ("Share of the year's new spells still on benefit after the recovery horizon", "pct"),
    "consultant_wait": ("Wait for a consultant (weeks)", "wk"),
    "treatment_wait": ("Wait for treatment (weeks)", "wk"),
    "funded_pathway_entries": ("Citizens entering the funded pathway", "n"),
    "plan_cost": ("Cost of the plan's staff and lines (DKK)", "mio"),
}


def _per_year(values: pd.Series, years: np.ndarray, reps: list[int]) -> pd.DataFrame:
    """(replication, year) -> value, reindexed to every replication and year (missing = NaN)."""
    full = pd.MultiIndex.from_product([reps, years], names=["replication", "year"])
    return values.reindex(full)


def _used(sc) -> tuple[list[str], list[str]]:
    """Pools and in-house providers of the pathways citizens use (and the plan's own)."""
    pools, provs = [], []
    for p in sc.used_pathways():
        pw = sc.pathways[p]
        pools.append(pw.consultant_pool)
        if pw.treatment is not None and sc.providers[pw.treatment.provider].kind == "internal":
            provs.append(pw.treatment.provider)
    if sc.investment is not None:
        from .investment import targets

        tg = targets(sc)
        pools.append(tg["pool"])
        provs += [tg["provider"]] if tg["provider"] else []
    return list(dict.fromkeys(pools)), list(dict.fromkeys(provs))


def _spell_year(spells: pd.DataFrame, col: str) -> np.ndarray:
    return spells[col].to_numpy(float) // 52 + 1


def replication_year_outcomes(result, funded_pathway: str | None = None) -> pd.DataFrame:
    """One row per replication and simulated year of a run: the quantities of ``QUANTITIES``."""
    sc, weeks = result.scenario, result.weeks
    years = np.arange(1, math.ceil(weeks / 52) + 1)
    reps = [r.replication for r in result.reps]
    wk = result.weekly.copy()
    wk["year"] = wk["week"] // 52 + 1
    g = wk.groupby(["replication", "year"])
    out = pd.DataFrame(index=pd.MultiIndex.from_product([reps, years], names=["replication", "year"]))
    ret_cols = [c for c in wk.columns if c.startswith("returns.")]
    act_cols = [c for c in wk.columns if c.startswith("active.")]
    out["returns"] = _per_year(g[ret_cols].sum().sum(axis=1), years, reps) if ret_cols else 0.0
    out["on_benefit"] = _per_year(g[act_cols].mean().sum(axis=1), years, reps) if act_cols else 0.0
    pools, provs = _used(sc)
    for col in [f"caseload_mean.{p}" for p in pools] + [f"therapist_utilisation.{p}" for p in provs]:
        if col in wk.columns:
            out[col] = _per_year(g[col].mean(), years, reps)
    sp = result.spells
    h = sc.recovery_horizon_weeks
    if len(sp):
        sp = sp.assign(arr_year=_spell_year(sp, "arrival_week"))
        ok = sp["arrival_week"].to_numpy(float) <= weeks - h
        bend = sp["benefit_end_week"].to_numpy(float)
        still = np.where(np.isnan(bend), True, bend - sp["arrival_week"].to_numpy(float) >= h)
        s = sp.assign(still=still)[ok].groupby(["replication", "arr_year"])["still"].mean()
        out["still_on_benefit"] = _per_year(s.rename_axis(["replication", "year"]), years, reps)
        if "consultant_assigned_week" in sp:
            a = sp[~sp["consultant_assigned_week"].isna()]
            w = (a["consultant_assigned_week"] - a["arrival_week"]).groupby([a["replication"], a["arr_year"]]).mean()
            out["consultant_wait"] = _per_year(w.rename_axis(["replication", "year"]), years, reps)
        if "treatment_start_week" in sp and "referral_week" in sp:
            tr = sp[~sp["treatment_start_week"].isna() & ~sp["referral_week"].isna()]
            ty = tr["referral_week"].to_numpy(float) // 52 + 1
            w = (tr["treatment_start_week"] - tr["referral_week"]).groupby([tr["replication"].to_numpy(), ty]).mean()
            out["treatment_wait"] = _per_year(w.rename_axis(["replication", "year"]), years, reps)
        funded_pathway = funded_pathway or (sc.investment.pathway if sc.investment is not None else None)
        if funded_pathway:
            f = sp[sp["pathway"] == funded_pathway].groupby(["replication", "arr_year"]).size().astype(float)
            out["funded_pathway_entries"] = _per_year(f.rename_axis(["replication", "year"]), years, reps).fillna(0.0)
    return out.reset_index()


def plan_cost(result) -> pd.DataFrame:
    """The plan's own cost per replication and simulated year: its pool's and provider's staff and its lines."""
    from .economics import result_budget
    from .investment import targets

    sc = result.scenario
    reps = [r.replication for r in result.reps]
    years = np.arange(1, math.ceil(result.weeks / 52) + 1)
    if sc.investment is None:
        return pd.DataFrame({"replication": np.repeat(reps, years.size), "year": np.tile(years, len(reps)),
                             "plan_cost": 0.0})
    tg = targets(sc)
    items = {f"consultants.{tg['pool']}", *(f"investment.{k}" for k in ("treatment", "management", "other"))}
    if tg["provider"]:
        items.add(f"therapists.{tg['provider']}")
    costs = result_budget(result)
    c = costs[costs["item"].isin(items)].groupby(["replication", "year"])["dkk"].sum()
    return _per_year(c, years, reps).fillna(0.0).rename("plan_cost").reset_index()


def outcomes_by_year(result, baseline_result, level: float = 0.95) -> pd.DataFrame:
    """Long table: quantity x year with the plan's and baseline's mean, and the paired difference, with intervals.

    Both runs must share seed and replications (common random numbers), as ``compare_budgets`` requires."""
    sc = result.scenario
    funded_pathway = sc.investment.pathway if sc.investment is not None else None
    a = replication_year_outcomes(result, funded_pathway).merge(plan_cost(result), on=["replication", "year"], how="left")
    b = replication_year_outcomes(baseline_result, funded_pathway).merge(plan_cost(baseline_result), on=["replication", "year"],
                                                         how="left")
    funded = set(sc.investment.funded_years()) if sc.investment is not None else set()
    rows = []
    keys = [k for k in a.columns if k not in {"replication", "year"}]
    for key in keys:
        for y, ga in a.groupby("year"):
            gb = b[b["year"] == y].set_index("replication")
            va = ga.set_index("replication")[key]
            vb = gb[key] if key in gb else pd.Series(np.nan, index=va.index)
            cal = sc.economics.start_year + int(y) - 1
            row = {"quantity": key, "year": int(y), "calendar_year": cal, "funded": cal in funded}
            for tag, v in (("plan", va), ("baseline", vb.reindex(va.index)), ("difference", va - vb.reindex(va.index))):
                v = v.dropna()
                if len(v):
                    m, _sd, lo, hi = replication_interval(v.to_numpy(float), result.n_sets, v.index.to_numpy(), level)
                else:
                    m = lo = hi = math.nan
                row[tag], row[f"{tag}.lo"], row[f"{tag}.hi"] = m, lo, hi
            rows.append(row)
    return pd.DataFrame(rows)


def _cell(m: float, lo: float, hi: float, unit: str, signed: bool) -> str:
    if m is None or math.isnan(m):
        return "-"
    if unit == "pct":
        f = (lambda x: f"{x * 100:+.1f}") if signed else (lambda x: f"{x * 100:.1f}")
        suffix = " pp" if signed else "%"
    elif unit == "mio":
        f = (lambda x: f"{x / 1e6:+.2f}") if signed else (lambda x: f"{x / 1e6:.2f}")
        suffix = ""
    elif unit == "wk":
        f = (lambda x: f"{x:+.1f}") if signed else (lambda x: f"{x:.1f}")
        suffix = ""
    else:
        f = (lambda x: f"{x:+.0f}") if signed else (lambda x: f"{x:.0f}")
        suffix = ""
    text = f(m) + suffix
    return text if math.isnan(lo) else f"{text} ({f(lo)} to {f(hi)})"


def outcome_year_table(long: pd.DataFrame, labels: dict[str, str] | None = None, quantity: str = "Quantity",
                       plan_word: str = "plan", diff_word: str = "difference", funded_mark: str = " *") -> pd.DataFrame:
    """Quantities x calendar years (funded years marked), two rows per quantity: the plan's level and the
    difference from the baseline, each 'mean (95% interval)'."""
    labels = labels or {}
    out = []
    order = [k for k in QUANTITIES if k in set(long["quantity"])] + sorted(
        k for k in set(long["quantity"]) if k not in QUANTITIES)
    for key in order:
        g = long[long["quantity"] == key].sort_values("year")
        label, unit = labels.get(key) or QUANTITIES.get(key, (key, "n"))[0], _unit(key)
        for tag, signed in (("plan", False), ("difference", True)):
            row = {quantity: f"{label}, {plan_word if tag == 'plan' else diff_word}"}
            for _, r in g.iterrows():
                head = f"{int(r['calendar_year'])}{funded_mark if r['funded'] else ''}"
                row[head] = _cell(r[tag], r[f"{tag}.lo"], r[f"{tag}.hi"], unit, signed)
            out.append(row)
    return pd.DataFrame(out)


def workbook_sheet(result, baseline_result) -> pd.DataFrame:
    """The 'Plan outcomes by year' sheet of ``rtwsim budget``'s workbook (English labels, funded years marked *)."""
    return sheet_of(outcomes_by_year(result, baseline_result))


def sheet_of(long: pd.DataFrame) -> pd.DataFrame:
    """The workbook sheet of outcomes already computed by ``outcomes_by_year`` (the app keeps them)."""
    return outcome_year_table(long, {q: quantity_label(q) for q in long["quantity"].unique()})


def _unit(key: str) -> str:
    if key in QUANTITIES:
        return QUANTITIES[key][1]
    if key.startswith("therapist_utilisation."):
        return "pct"
    return "n" if key.startswith(("consultant_queue.", "treatment_queue.")) else "wk" if key.startswith("caseload") else "n"


def quantity_label(key: str) -> str:
    """Default English label of a quantity (pool- and provider-specific ones named after the pool/provider)."""
    if key in QUANTITIES:
        return QUANTITIES[key][0]
    metric, _, name = key.partition(".")
    return {"caseload_mean": f"Caseload per consultant ({name})", "therapist_utilisation": f"Therapist utilisation ({name})",
            "consultant_queue": f"Queue for a consultant ({name})",
            "treatment_queue": f"Queue for treatment ({name})"}.get(metric, key)


__all__ = ["QUANTITIES", "workbook_sheet", "outcome_year_table", "outcomes_by_year", "plan_cost", "quantity_label",
           "replication_year_outcomes"]
