"""Comparisons under each evidence base: the same scenarios run once per evidence base, side by side.

Apart from model.evidence (which only names the evidence bases and their parameter sets), because this
module runs simulations (model.experiment) and budgets (model.economics), while the experiment layer
itself reads an evidence base's sets (``--parameter-sets evidence/<name>``): one direction each, no circle.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from .economics import BudgetError, compare_budgets
from .evidence import (DEFAULT_EVIDENCE, EvidenceError, effect_note, evidence_parameter_sets, evidence_reps,
                       known_evidence, resolve_evidence)
from .experiment import compare
from .intervals import replication_interval
from .scenario import Scenario
from .trial import policy_hazard_ratios


KEY_DIFFS = (("recovered_share.all", "back_at_work_pp", 100.0),
             ("mean_benefit_weeks.all", "benefit_weeks", 1.0))


@dataclass
class EvidenceComparison:
    comparisons: dict[str, Any]          # evidence name -> model.experiment.Comparison
    budgets: dict[str, dict[str, dict]]  # evidence name -> scenario -> budget headline (or {"note": ...})

    def table(self) -> pd.DataFrame:
        """One row per evidence base and scenario (not the baseline): differences to the baseline with 95% CIs."""
        rows = []
        for ev, cmp in self.comparisons.items():
            diffs = cmp.differences().set_index(["scenario", "output"])
            for name, res in cmp.results.items():
                if name == cmp.baseline:
                    continue
                row = {"evidence": ev, "scenario": name, "baseline": cmp.baseline, "replications": len(res.reps),
                       "sets": res.n_sets,
                       "note": effect_note(res.scenario)}
                for out, col, k in KEY_DIFFS:
                    d = diffs.loc[(name, out)] if (name, out) in diffs.index else None
                    for suffix, key in (("", "mean"), (".lo", "ci_low"), (".hi", "ci_high")):
                        row[col + suffix] = float(d[key]) * k if d is not None else math.nan
                row.update(_policy_hrs(res, cmp.results[cmp.baseline]))
                h = self.budgets.get(ev, {}).get(name, {})
                for suffix in ("", ".lo", ".hi"):
                    row["net_budget_mio" + suffix] = h.get("net_total" + suffix, math.nan) / 1e6
                row["budget_years"] = h.get("years", math.nan)
                if "note" in h:
                    row["note"] = "; ".join(x for x in (row["note"], h["note"]) if x)
                rows.append(row)
        return pd.DataFrame(rows)


HR_GROUPS = ("depression_anxiety", "stress_related")


def _policy_hrs(res, base) -> dict[str, float]:
    """Per diagnosis group: the geometric mean over paired replications of the policy's Cox hazard ratio of
    return against its baseline, with a 95% interval (the evidence interval over the parameter sets,
    model.intervals.replication_interval; ``model.trial.policy_hazard_ratios``)."""
    per_rep = [policy_hazard_ratios(a.spells, b.spells, res.weeks, HR_GROUPS) for a, b in zip(res.reps, base.reps)]
    reps = np.array([r.replication for r in res.reps])
    out: dict[str, float] = {}
    for group in HR_GROUPS:
        col = f"hr_{group}"
        raw = np.log([hr[group] for hr in per_rep])
        logs = raw[np.isfinite(raw)]
        if len(logs) < 2:
            out.update({col: math.nan, col + ".lo": math.nan, col + ".hi": math.nan})
            continue
        m, _sd, lo, hi = replication_interval(logs, res.n_sets, reps[np.isfinite(raw)])
        out.update({col: math.exp(m), col + ".lo": math.exp(lo), col + ".hi": math.exp(hi)})
    return out


def compare_under_evidence(scenarios: list[Scenario | str], evidence: str | list[str] = DEFAULT_EVIDENCE,
                           reps: int | None = None, seed: int | None = 1, weeks: int | None = None, jobs: int | None = None,
                           progress: Callable[[str, int, int], None] | None = None,
                           budget: bool = True) -> EvidenceComparison:
    """``compare`` once per evidence base (one replication per accepted set, at least 10, unless ``reps``),
    with budgets.

    This is the function the app's Compare and Investment pages call for the evidence selector."""
    names = resolve_evidence(evidence)
    if not names:
        raise EvidenceError(f"no evidence base chosen; known: {known_evidence()} (or 'all')")
    comps = {}
    for ev in names:
        sets = evidence_parameter_sets(ev)
        n = reps or evidence_reps(len(sets))
        step = (lambda d, t, _ev=ev: progress(_ev, d, t)) if progress else None
        comps[ev] = compare(scenarios, reps=n, seed=seed, weeks=weeks, jobs=jobs, progress=step, parameter_sets=sets)
    return evidence_comparison(comps, seed, budget)


def evidence_comparison(comparisons: dict[str, Any], seed: int | None = 1, budget: bool = True) -> EvidenceComparison:
    """Wrap comparisons already run under each evidence base (e.g. cached in the app) with their budgets."""
    budgets: dict[str, dict[str, dict]] = {}
    for ev, cmp in comparisons.items():
        budgets[ev] = {}
        if not budget:
            continue
        base = cmp.results[cmp.baseline]
        for name, res in cmp.results.items():
            if name == cmp.baseline:
                continue
            try:
                budgets[ev][name] = compare_budgets(res, base).headline(seed=seed or 0)
            except BudgetError as err:
                budgets[ev][name] = {"note": f"budget not paired: {err}"}
    return EvidenceComparison(dict(comparisons), budgets)
