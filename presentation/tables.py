"""Tables for people: the API's summaries and a calibration's fit with labels and numbers in one language.

Each function takes the language; the numbers go through ``presentation.numbers`` so a table never
mixes formats. The raw ``output`` identifier stays as the last column of a summary, for a reader who
joins the table with a CSV export.
"""
from __future__ import annotations

import pandas as pd

from model.trial import output_unit

from . import numbers
from .labels import LABELS as LABEL_KEYS
from .labels import group_label, metric_label, text

COUNTS = {"n_spells", "returns_per_year", "on_benefit", "caseload_max"}


def is_share(metric: str) -> bool:
    return metric.endswith("share") or metric.endswith("utilisation") or metric.startswith("still_on_benefit")


def fmt_value(metric: str, x: float, lang: str = "en", signed: bool = False) -> str:
    """One output's value: shares as percentages, counts with one decimal, the rest with two."""
    if is_share(metric):
        return numbers.percent(x, 1, lang, signed)
    return numbers.number(x, 1 if metric in COUNTS else 2, lang, signed)


def fmt_interval(metric: str, lo: float, hi: float, lang: str = "en", signed: bool = False) -> str:
    return numbers.interval(fmt_value(metric, lo, lang, signed), fmt_value(metric, hi, lang, signed), lang)


def readable_summary(summary: pd.DataFrame, lang: str = "en", signed: bool = False,
                     metrics: list[str] | None = None) -> pd.DataFrame:
    """A summary table (``ExperimentResult.summary()`` shape) with labels and formatted intervals."""
    s = summary if metrics is None else summary[summary["metric"].isin(metrics)]
    out = pd.DataFrame({
        text("metric_col", lang): [metric_label(m, lang) for m in s["metric"]],
        text("group_col", lang): [group_label(g, lang) for g in s["group"]],
        text("mean_col", lang): [fmt_value(m, v, lang, signed) for m, v in zip(s["metric"], s["mean"])],
        text("ci_col", lang): [fmt_interval(m, lo, hi, lang, signed)
                               for m, lo, hi in zip(s["metric"], s["ci_low"], s["ci_high"])],
    })
    if "scenario" in s.columns:
        out.insert(0, text("scenario_col", lang), s["scenario"].to_numpy())
    out["output"] = s["output"].to_numpy()
    return out.reset_index(drop=True)


# ---- calibration --------------------------------------------------------------------------
def _f(x, lang: str, pct: str | bool = False) -> str:
    if isinstance(x, str):
        return x
    if x is None or x != x:
        return "-"
    if pct == "pp":
        return numbers.points(x, 1, lang)
    return numbers.percent(x, 1, lang) if pct else numbers.number(x, 3 if abs(x) < 10 else 1, lang)


def fit_text(fit: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Each calibration target: observed value and range against the simulated value and its 95% interval."""
    rows = []
    for _, r in fit.iterrows():
        pct = output_unit(str(r["output"]))
        if r["kind"] == "point":
            target = f"{_f(r['value'], lang, pct)} [{_f(r['lower'], lang, pct)}; {_f(r['upper'], lang, pct)}]"
        else:
            parts = ([f">= {_f(r['lower'], lang, pct)}"] if not pd.isna(r["lower"]) else []) + \
                    ([f"<= {_f(r['upper'], lang, pct)}"] if not pd.isna(r["upper"]) else [])
            target = f" {text('and', lang)} ".join(parts)
            if r.get("not_significant") in (True,):   # missing in records written before the field
                target += f" ({text('cal_not_significant', lang)})"
        simulated = numbers.interval(_f(r["sim_ci_low"], lang, pct), _f(r["sim_ci_high"], lang, pct), lang)
        rows.append({text("cal_col_target", lang): r["target"], text("cal_col_horizon", lang): r["horizon_weeks"],
                     text("cal_col_observed", lang): target,
                     text("cal_col_simulated", lang): f"{_f(r['simulated'], lang, pct)} ({simulated})",
                     "z": _f(r["z"], lang), text("cal_col_within", lang): text("yes" if r["within"] else "no", lang)})
    return pd.DataFrame(rows)


def ranges_text(ranges: pd.DataFrame, lang: str = "en", name=lambda p: p) -> pd.DataFrame:
    """Each free parameter's prior range against the accepted sets' range and median."""
    return pd.DataFrame([{text("cal_col_parameter", lang): name(r["parameter"]),
                          text("cal_col_prior", lang): f"[{_f(r['prior_low'], lang)}; {_f(r['prior_high'], lang)}]",
                          text("cal_col_accepted", lang):
                              f"[{_f(r['accepted_low'], lang)}; {_f(r['accepted_high'], lang)}]",
                          text("cal_col_median", lang): _f(r["accepted_median"], lang),
                          text("cal_col_span", lang): _f(r["prior_span_share"], lang, True)}
                         for _, r in ranges.iterrows()])


# ---- a comparison under several evidence bases ----------------------------------------------
def evidence_table(table: pd.DataFrame, lang: str = "en", evidence_name=lambda e: e) -> pd.DataFrame:
    """``model.evidence_compare.EvidenceComparison.table()`` as text cells, 'mean (low to high)', in the language; the
    'effect assumed' note next to each figure of a scenario no evidence base measured."""
    from model.evidence import EFFECT_ASSUMED

    def cell(r, col, fmt):
        m, lo, hi = r[col], r[col + ".lo"], r[col + ".hi"]
        if m is None or m != m:
            return "-"
        out = fmt(m) + (f" ({numbers.interval(fmt(lo), fmt(hi), lang)})" if lo == lo else "")
        return out + (f" [{text('effect_assumed_short', lang)}]" if str(r["note"]).startswith(EFFECT_ASSUMED) else "")

    def num(x):
        return numbers.number(x, 1, lang, signed=True)

    def ratio(x):
        return numbers.number(x, 2, lang)

    return pd.DataFrame([{text("ev_col_evidence", lang): evidence_name(r["evidence"]),
                          text("ev_col_pair", lang): text("ev_pair", lang, name=r["scenario"], base=r["baseline"]),
                          text("ev_col_sets", lang): f"{int(r['sets'])} × {int(r['replications']) / int(r['sets']):g}",
                          text("ev_col_work", lang): cell(r, "back_at_work_pp", num),
                          text("ev_col_weeks", lang): cell(r, "benefit_weeks", num),
                          text("ev_col_hr_da", lang): cell(r, "hr_depression_anxiety", ratio),
                          text("ev_col_hr_stress", lang): cell(r, "hr_stress_related", ratio),
                          text("ev_col_budget", lang): cell(r, "net_budget_mio", num)} for _, r in table.iterrows()])


# ---- trial-shaped outputs -----------------------------------------------------------------
TRIAL_MEASURES = ("in_work_m6", "in_work_m12", "in_work_m24", "median_weeks", "hr_vs_standard")


def trial_tables(comp, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """Per randomised scenario: in work at 6/12/24 months, Kaplan-Meier median and Cox HR against standard, by
    randomised arm and diagnosis group, 'mean (low to high)' over replications (model.trial)."""
    from model.trial import summarise_trial, trial_table

    out = []
    for name, res in comp.results.items():
        if res.scenario.allocation.rule != "randomise":
            continue
        summ = summarise_trial(trial_table(res.spells, res.weeks), n_sets=res.n_sets)
        if summ.empty:
            continue

        def cell(m, lo, hi, measure):
            fmt = (lambda x: numbers.percent(x, 1, lang)) if measure.startswith("in_work") else \
                (lambda x: numbers.number(x, 2, lang))
            return fmt(m) + (f" ({numbers.interval(fmt(lo), fmt(hi), lang)})" if lo == lo else "")

        summ["cell"] = [cell(*v) for v in zip(summ["mean"], summ["ci_low"], summ["ci_high"], summ["measure"])]
        w = summ.pivot_table(index=["diagnosis_group", "arm"], columns="measure", values="cell", aggfunc="first",
                             sort=False).reset_index()
        w = w[["diagnosis_group", "arm", *[m for m in TRIAL_MEASURES if m in w.columns]]]
        w["diagnosis_group"] = [text(f"diag_{g}", lang) if f"diag_{g}" in LABEL_KEYS else g for g in w["diagnosis_group"]]
        w["arm"] = [group_label(a, lang) for a in w["arm"]]
        w.columns = [text(f"trial_col_{c}", lang) for c in w.columns]
        out.append((name, w))
    return out


# ---- the optimiser's result in words --------------------------------------------------------
def optimise_lines(r, lang: str = "en") -> list[str]:
    """The best-on-average and the robust split of an ``analysis.optimise`` result, in the language."""
    def mdkk(x, signed=True):
        return numbers.mdkk(x, 2, lang, signed)

    def describe(i: int) -> str:
        c = r.candidates[i]
        lv = c.levers
        extra = "".join(f", {text('opt_w_' + k, lang)} {numbers.number(lv[k], 0, lang)}"
                        for k in ("caseload_limit", "who5_threshold") if k in lv)
        return text("opt_w_plan", lang, c=lv["consultants"], h=lv["health_staff"], t=lv["treatment"], extra=extra,
                    returns=numbers.number(c.extra_returns, 0, lang, True), cost=mdkk(c.net_present_cost),
                    years=r.years, p=numbers.percent(c.p_payback, 0, lang))

    df = r.table()
    b, rb = r.best_on_average(), r.robust()
    unc = text("opt_w_sets", lang, n=r.n_sets) if r.n_sets > 1 else text("opt_w_one_set", lang)
    lines = [text("opt_w_head", lang, budget=mdkk(r.budget_dkk, False), years=r.funded_years, first=r.first_year,
                  policy=r.policy, baseline=r.baseline, counted=r.years, reps=r.reps, seed=r.seed, unc=unc,
                  rate=numbers.percent(r.discount_rate, 1, lang), n=len(r.candidates),
                  s=numbers.number(r.seconds, 0, lang)),
             text("opt_w_best", lang, plan=describe(b)),
             text("opt_w_robust", lang, regret=mdkk(df["regret_max_mio"].iloc[rb] * 1e6, False), plan=describe(rb))]
    if b == rb:
        lines.append(text("opt_w_same", lang))
    else:
        cb, cr = r.candidates[b], r.candidates[rb]
        lines.append(text("opt_w_differ", lang, returns=numbers.number(cr.extra_returns - cb.extra_returns, 0, lang, True),
                          cost=mdkk(cr.net_present_cost - cb.net_present_cost)))
    return lines
