"""``rtwsim report``: one self-contained HTML file comparing scenarios, for readers who install nothing.

Plotly's JavaScript is inlined once; charts show survival on benefit, queues and caseloads over
time and the budget by year with 95% bands; tables give outcomes and the SØM-style budget. The
first scenario is the baseline of every paired difference (common random numbers).
"""
from __future__ import annotations

import html
import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from model.cli import key_table
from model.economics import compare_budgets
from model.experiment import compare
from model.results import benefit_curve, t_interval

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _band(fig, x, m, lo, hi, name, color, row=None, col=None, showlegend=True, dash=None):
    kw = {"row": row, "col": col} if row else {}
    rgba = "rgba({},{},{},0.18)".format(*(int(color[i:i + 2], 16) for i in (1, 3, 5)))
    fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]), y=np.concatenate([hi, lo[::-1]]), fill="toself",
                             fillcolor=rgba, line={"width": 0}, hoverinfo="skip", showlegend=False,
                             legendgroup=name), **kw)
    fig.add_trace(go.Scatter(x=x, y=m, name=name, line={"color": color, "dash": dash}, legendgroup=name,
                             showlegend=showlegend), **kw)


def _mean_band(df: pd.DataFrame, by: str, col: str) -> pd.DataFrame:
    rows = []
    for k, g in df.groupby(by):
        m, _, lo, hi = t_interval(g[col])
        rows.append((k, m, m if math.isnan(lo) else lo, m if math.isnan(hi) else hi))
    return pd.DataFrame(rows, columns=[by, "m", "lo", "hi"])


def survival_figure(comp) -> go.Figure:
    fig = go.Figure()
    for k, (name, res) in enumerate(comp.results.items()):
        sp = res.spells.assign(pathway="all")
        curve = benefit_curve(sp, min(104, res.weeks), res.weeks, res.scenario.warmup_weeks)
        b = _mean_band(curve, "week", "on_benefit_share")
        _band(fig, b["week"].to_numpy(), b["m"].to_numpy(), b["lo"].to_numpy(), b["hi"].to_numpy(), name,
              COLORS[k % len(COLORS)])
    fig.update_layout(title="Share still on benefit by weeks since entry to the jobcentre (Kaplan-Meier, 95% band)",
                      xaxis_title="weeks since entry", yaxis_title="share on benefit", yaxis_tickformat=".0%",
                      height=450)
    return fig


def capacity_figure(comp) -> go.Figure:
    panels = [("caseload_mean.", "Mean caseload per consultant"), ("consultant_queue.", "Waiting for a consultant"),
              ("treatment_queue.", "Waiting for treatment"), ("on_benefit", "Citizens on benefit (open spells)")]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[t for _, t in panels])
    for k, (name, res) in enumerate(comp.results.items()):
        wk = res.weekly.copy()
        wk["on_benefit"] = wk[[c for c in wk.columns if c.startswith("active.")]].sum(axis=1)
        first = True
        for j, (prefix, _) in enumerate(panels):
            cols = [c for c in wk.columns if c.startswith(prefix)] if prefix.endswith(".") else [prefix]
            for c in cols:
                if prefix == "caseload_mean." and wk[c].max() == 0:
                    continue
                b = _mean_band(wk, "week", c)
                label = name if prefix == "on_benefit" else f"{name}: {c.split('.', 1)[1]}"
                _band(fig, b["week"].to_numpy(), b["m"].to_numpy(), b["lo"].to_numpy(), b["hi"].to_numpy(), label,
                      COLORS[k % len(COLORS)], row=j // 2 + 1, col=j % 2 + 1, showlegend=True,
                      dash=None if first else "dot")
                first = False
    fig.update_layout(height=750, title="Queues and caseloads over time (mean of replications, 95% band)")
    fig.update_xaxes(title_text="simulated week")
    return fig


def budget_figure(budgets: dict) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, subplot_titles=["Net effect per year (mio. DKK)", "Cumulative net effect (mio. DKK)"])
    for k, (name, bc) in enumerate(budgets.items()):
        by = bc.by_year()
        x = by["calendar_year"].to_numpy()
        c = COLORS[(k + 1) % len(COLORS)]
        _band(fig, x, by["net.total"].to_numpy() / 1e6, by["net.total.lo"].to_numpy() / 1e6,
              by["net.total.hi"].to_numpy() / 1e6, name, c, row=1, col=1)
        _band(fig, x, by["cumulative_net"].to_numpy() / 1e6, by["cumulative_net.lo"].to_numpy() / 1e6,
              by["cumulative_net.hi"].to_numpy() / 1e6, name, c, row=1, col=2, showlegend=False)
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    fig.update_layout(height=450, title="Public budget against the baseline: baseline cost - scenario cost "
                      "(positive = the public purse gains), 95% band")
    fig.update_xaxes(title_text="year")
    return fig


def km_figure(comp, followup_weeks: int = 52) -> go.Figure | None:
    """Kaplan-Meier curves of time to return to work by randomised arm (ITT), with 95% Hall-Wellner bands,
    for every randomised scenario; replications pooled (model.trial)."""
    from model.trial import km_curves

    fig = go.Figure()
    k = 0
    for name, res in comp.results.items():
        if res.scenario.allocation.rule != "randomise":
            continue
        c = km_curves(res.spells, res.weeks, by="arm", followup_weeks=followup_weeks, groups=("all",))
        for arm, g in c.groupby("arm", sort=False):
            _band(fig, g["week"].to_numpy(), g["not_returned"].to_numpy(), g["band_low"].to_numpy(),
                  g["band_high"].to_numpy(), f"{name}: {arm}", COLORS[k % len(COLORS)])
            k += 1
    if k == 0:
        return None
    fig.update_layout(title=f"Not yet back at work by weeks since entry, by randomised arm (Kaplan-Meier, 95% band, "
                            f"{followup_weeks}-week follow-up)", xaxis_title="weeks since entry",
                      yaxis_title="share not yet back at work", yaxis_tickformat=".0%", height=450)
    return fig


def trial_tables(comp) -> list[tuple[str, pd.DataFrame]]:
    """Per randomised scenario: in work at 6/12/24 months, KM median and Cox HR vs standard, by arm and diagnosis group."""
    from model.cli import _fmt
    from model.trial import summarise_trial, trial_table

    out = []
    for name, res in comp.results.items():
        if res.scenario.allocation.rule != "randomise":
            continue
        summ = summarise_trial(trial_table(res.spells, res.weeks))
        if summ.empty:
            continue
        summ["cell"] = [_fmt(m, lo, hi, "pct" if k.startswith("in_work") else "num")
                        for m, lo, hi, k in zip(summ["mean"], summ["ci_low"], summ["ci_high"], summ["measure"])]
        w = summ.pivot_table(index=["diagnosis_group", "arm"], columns="measure", values="cell", aggfunc="first",
                             sort=False).reset_index()
        w.columns.name = None
        out.append((name, w))
    return out


def evidence_section(scenarios, evidence: list[str], years: int, seed: int, jobs: int, progress=None) -> str:
    """One table: the comparison's key outcomes and budget effect under each evidence base."""
    from model.evidence import compare_under_evidence, format_evidence_table, load_evidence

    ec = compare_under_evidence(scenarios, evidence, seed=seed, weeks=years * 52, jobs=jobs,
                                progress=(lambda ev, d, t: progress(d, t)) if progress else None)
    items = "".join(f"<li><b>{html.escape(e)}</b>: {html.escape(load_evidence(e).description)}</li>" for e in evidence)
    return ("<h2>Under each body of evidence</h2><p>The same comparison with each evidence base's accepted "
            "parameter sets (one replication per set); differences against the first scenario, mean (95% CI).</p>"
            f"<ul>{items}</ul>" + _table(format_evidence_table(ec.table())))


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, classes="t", na_rep="n/a", escape=True)


def build_report(scenarios, reps: int = 10, seed: int = 1, years: int = 10, jobs: int = 1, progress=None,
                 parameter_sets=None, parameter_sets_name: str | None = None,
                 evidence: list[str] | None = None) -> str:
    """Run the scenarios on common random numbers and return the report as one HTML string.

    With ``parameter_sets`` (a list, a calibrated set name, or one evidence base's sets) replication r
    of every scenario uses set r mod K, so the budget intervals include calibration uncertainty and
    say so; ``evidence`` (names) adds a table of the comparison under each of those evidence bases."""
    from analysis.budget_commands import headline_lines, totals_table, year_table
    from model.economics import uncertainty_label
    from model.evidence import effect_note

    if isinstance(parameter_sets, str):
        from model.parameter_sets import accepted_parameter_sets

        parameter_sets_name = parameter_sets_name or parameter_sets
        parameter_sets = accepted_parameter_sets(parameter_sets)
    uncertainty = uncertainty_label(parameter_sets, parameter_sets_name, reps)

    weeks = years * 52
    for s in scenarios:
        s.economics.check_years(years)
    if len(scenarios) == 1:
        from model.experiment import Comparison, run

        res = run(scenarios[0], reps=reps, seed=seed, weeks=weeks, jobs=jobs, progress=progress,
                  parameter_sets=parameter_sets)
        comp = Comparison({scenarios[0].name: res}, scenarios[0].name)
    else:
        comp = compare(scenarios, reps=reps, seed=seed, weeks=weeks, jobs=jobs, progress=progress,
                       parameter_sets=parameter_sets)
    base = comp.baseline
    budgets = {n: compare_budgets(r, comp.results[base], uncertainty=uncertainty)
               for n, r in comp.results.items() if n != base}
    summ = comp.summary()
    s_all = summ[summ["group"] == "all"]
    outcomes = None
    for name in comp.results:
        t = key_table(s_all[s_all["scenario"] == name], ["all"]).rename(columns={"all": name})
        outcomes = t if outcomes is None else outcomes.merge(t, on="metric")
    figs = [survival_figure(comp), capacity_figure(comp)]
    if budgets:
        figs.append(budget_figure(budgets))
    km = km_figure(comp)
    if km is not None:
        figs.append(km)
    parts = [fig.to_html(full_html=False, include_plotlyjs=(k == 0), config={"displaylogo": False})
             for k, fig in enumerate(figs)]
    esc = html.escape
    body = [f"<h1>rtwsim report: {esc(', '.join(comp.results))}</h1>",
            f"<p>{reps} replications per scenario on common random numbers (seed {seed}), {years} simulated years; "
            f"baseline of the differences: <b>{esc(base)}</b>. Intervals are 95% t-intervals over replications "
            f"(payback and cost per return: bootstrap); they include {esc(uncertainty)}. "
            f"Generated {date.today().isoformat()}.</p>",
            "<h2>Scenarios</h2><ul>" + "".join(
                f"<li><b>{esc(n)}</b>: {esc(r.scenario.description)} <i>Source: {esc(r.scenario.source)}</i>"
                + (f" <b>[{esc(effect_note(r.scenario))}]</b>" if n != base and effect_note(r.scenario) else "")
                + "</li>" for n, r in comp.results.items()) + "</ul>",
            "<h2>Outcomes, all citizens (mean, 95% CI)</h2>", _table(outcomes),
            "<h2>Time back to work</h2>", parts[0], "<h2>Queues and caseloads</h2>", parts[1]]
    if evidence:
        body.insert(3, evidence_section(scenarios, evidence, years, seed, jobs, progress))
    if km is not None:
        body += ["<h2>Trial-shaped outputs (randomised scenarios)</h2>", parts[-1]]
        for name, w in trial_tables(comp):
            body += [f"<h3>{esc(name)}: by randomised arm (intention to treat) and diagnosis group, mean over "
                     "replications (95% CI)</h3>", _table(w)]
    if budgets:
        body += ["<h2>Budget by year</h2>", parts[2]]
        for name, bc in budgets.items():
            h = bc.headline(seed=seed)
            note = effect_note(comp.results[name].scenario)
            assumed = getattr(getattr(comp.results[name].scenario, "costing", None), "effect", "") == "assumed"
            body += [f"<h3>{esc(name)} against {esc(base)}" + (f" [{esc(note)}]" if note else "") + "</h3>",
                     "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in headline_lines(h, assumed or bool(note))) + "</ul>",
                     "<h4>Per payer and view: undiscounted and present value</h4>", _table(totals_table(bc.totals())),
                     _table(year_table(bc.by_year()))]
    body.append("<p class='note'>Net effect = baseline cost - scenario cost for municipality, state and region; "
                "employer payments are shown but not part of the public total. Benefit rates per year come from the "
                "versioned rate table (model/rates/), most figures are secondary sources or assumptions: see "
                "docs/economics.md and each scenario file's header.</p>")
    style = ("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
             "table.t{border-collapse:collapse;font-size:13px;margin:1em 0}table.t td,table.t th{padding:4px 8px;"
             "border-bottom:1px solid #ddd;text-align:right}table.t td:first-child,table.t th:first-child{text-align:left}"
             ".note{color:#555;font-size:13px}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>rtwsim report</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>")
