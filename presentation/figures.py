"""Every plotly figure of rtwsim, drawn one way for the app, the CLI's HTML reports and the fit report.

Pure functions from the API's tables to figures (no Streamlit here). One band helper draws every
mean-with-95%-band line; one layout gives titles room (automargin) and the language's number
separators (Danish 1.234,5; English 1,234.5). Fixed words come from ``presentation.labels`` in the
``lang`` passed in (the CLI passes English).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats

from .labels import text

PATHWAY_COLOURS = {"standard": "#5b6c8f", "uncoordinated": "#e08a2c", "integrated": "#2f9e6b", "all": "#333333"}
PALETTE = ["#5b6c8f", "#2f9e6b", "#e08a2c", "#b5475b", "#7b5ea7", "#3a9fbf", "#a08c2a", "#666666"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]
SEPARATORS = {"da": ",.", "en": ".,"}   # plotly's layout.separators: decimal mark, then thousands mark
MORRIS_LABELS = 5  # Morris points labelled on the plot; all of them name themselves on hover


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def band_stats(df: pd.DataFrame, by: list[str], value: str, level: float = 0.95,
               floor: float | None = None) -> pd.DataFrame:
    """Mean and t-based interval of ``value`` across replications for each ``by`` group.

    ``floor`` clips the band of a quantity that cannot go below it (queues, shares: 0) for drawing.
    """
    g = df.groupby(by, sort=True)[value]
    out = g.agg(["mean", "std", "count"]).reset_index()
    n = out["count"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * out["std"].to_numpy(float) / np.sqrt(n)
    half = np.where(n > 1, half, np.nan)
    out["lo"] = out["mean"] - half
    out["hi"] = out["mean"] + half
    if floor is not None:
        out["lo"] = out["lo"].clip(lower=floor)
    return out


def add_band(fig: go.Figure, x, mean, lo, hi, name: str, colour: str, dash: str = "solid", group: str | None = None,
             hover: str = "%{y:.3f}", showlegend: bool = True, row: int | None = None, col: int | None = None) -> None:
    """A mean line with its shaded 95% band (the band is skipped where it is undefined, e.g. one replication)."""
    group = group or name
    kw = {"row": row, "col": col} if row else {}
    x, lo, hi = list(x), np.asarray(lo, float), np.asarray(hi, float)
    if np.isfinite(lo).any():
        fig.add_trace(go.Scatter(x=x + x[::-1], y=list(hi) + list(lo)[::-1], fill="toself",
                                 fillcolor=_rgba(colour, 0.18), line={"width": 0}, hoverinfo="skip",
                                 showlegend=False, legendgroup=group, name=f"{name} 95%"), **kw)
    fig.add_trace(go.Scatter(x=x, y=list(mean), mode="lines", name=name, legendgroup=group, showlegend=showlegend,
                             line={"color": colour, "dash": dash, "width": 2},
                             hovertemplate=f"{name}<br>%{{x}}: {hover}<extra></extra>"), **kw)


def layout(fig: go.Figure, title: str, xtitle: str, ytitle: str, pct: bool = False, lang: str = "en",
           height: int = 400) -> go.Figure:
    """Title, axis titles with room to show in full (automargin), legend below, the language's separators."""
    fig.update_layout(title={"text": title, "font": {"size": 15}}, xaxis_title=xtitle, yaxis_title=ytitle,
                      margin={"l": 70, "r": 20, "t": 60, "b": 50}, height=height, template="plotly_white",
                      separators=SEPARATORS.get(lang, SEPARATORS["en"]),
                      legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0})
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if pct:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


# ---- outcomes of runs and comparisons -----------------------------------------------------
def benefit_curve_figure(curve: pd.DataFrame, labels: dict[str, str], title: str, xtitle: str, ytitle: str,
                         lang: str = "en") -> go.Figure:
    """Share still on benefit by week since entry, one line with a 95% band per pathway."""
    fig = go.Figure()
    for pathway, d in curve.groupby("pathway", sort=False):
        b = band_stats(d, ["week"], "on_benefit_share", floor=0.0)
        add_band(fig, b["week"], b["mean"], b["lo"], b["hi"], labels.get(pathway, pathway),
                 PATHWAY_COLOURS.get(pathway, "#444444"), hover="%{y:.1%}")
    return layout(fig, title, xtitle, ytitle, pct=True, lang=lang)


def overlaid_curves_figure(curves: dict[str, pd.DataFrame], labels: dict[str, str], title: str, xtitle: str,
                           ytitle: str, lang: str = "en") -> go.Figure:
    """Benefit curves of several scenarios: colour by scenario, dash by pathway."""
    fig = go.Figure()
    pathways = sorted({p for c in curves.values() for p in c["pathway"].unique()})
    for k, (name, curve) in enumerate(curves.items()):
        for pathway, d in curve.groupby("pathway", sort=False):
            b = band_stats(d, ["week"], "on_benefit_share", floor=0.0)
            add_band(fig, b["week"], b["mean"], b["lo"], b["hi"], f"{name}: {labels.get(pathway, pathway)}",
                     PALETTE[k % len(PALETTE)], DASHES[pathways.index(pathway) % len(DASHES)], hover="%{y:.1%}")
    return layout(fig, title, xtitle, ytitle, pct=True, lang=lang)


def weekly_figure(weekly: pd.DataFrame, columns: dict[str, str], title: str, xtitle: str, ytitle: str,
                  warmup: int = 0, pct: bool = False, colours: dict[str, str] | None = None,
                  lang: str = "en") -> go.Figure:
    """Weekly series (mean over replications with 95% band) for the given ``{column: label}``."""
    fig = go.Figure()
    for k, (col, label) in enumerate(columns.items()):
        if col not in weekly.columns:
            continue
        b = band_stats(weekly, ["week"], col, floor=0.0)
        colour = (colours or {}).get(col, PALETTE[k % len(PALETTE)])
        add_band(fig, b["week"], b["mean"], b["lo"], b["hi"], label, colour, hover="%{y:.1%}" if pct else "%{y:.1f}")
    if warmup:
        fig.add_vline(x=warmup, line={"dash": "dot", "color": "#999999", "width": 1})
    return layout(fig, title, xtitle, ytitle, pct=pct, lang=lang)


def interval_bars_figure(rows: pd.DataFrame, title: str, ytitle: str, pct: bool = False,
                         colour_by: str | None = None, lang: str = "en") -> go.Figure:
    """Bars with 95% error bars; ``rows`` has columns label, mean, ci_low, ci_high and optionally series."""
    fig = go.Figure()
    series = rows[colour_by].unique() if colour_by else [None]
    for k, s in enumerate(series):
        d = rows if s is None else rows[rows[colour_by] == s]
        colour = PATHWAY_COLOURS.get(str(s), PALETTE[k % len(PALETTE)]) if s is not None else PALETTE[0]
        err_hi = (d["ci_high"] - d["mean"]).to_numpy(float)
        err_lo = (d["mean"] - d["ci_low"]).to_numpy(float)
        fig.add_trace(go.Bar(x=d["label"], y=d["mean"], name=str(s) if s is not None else ytitle,
                             marker_color=colour, showlegend=s is not None,
                             error_y={"type": "data", "array": err_hi, "arrayminus": err_lo, "visible": True,
                                      "color": "#333333"},
                             hovertemplate="%{x}: %{y:" + (".1%" if pct else ".2f") + "}<extra></extra>"))
    fig.update_layout(barmode="group")
    return layout(fig, title, "", ytitle, pct=pct, lang=lang)


def effects_figure(effects: pd.DataFrame, effect_labels: dict[str, str], pathway_labels: dict[str, str], title: str,
                   xtitle: str, lang: str = "en") -> go.Figure:
    """Hazard multiplier of each named lever by pathway (log scale, 1 = no effect)."""
    fig = go.Figure()
    for pathway, d in effects.groupby("pathway", sort=False):
        d = d.sort_values("effect")
        fig.add_trace(go.Bar(
            y=[effect_labels.get(e, e) for e in d["effect"]], x=d["hazard_multiplier"], orientation="h",
            name=pathway_labels.get(pathway, pathway), marker_color=PATHWAY_COLOURS.get(pathway, "#444444"),
            error_x={"type": "data", "array": np.exp(d["ci_high"]) - d["hazard_multiplier"],
                     "arrayminus": d["hazard_multiplier"] - np.exp(d["ci_low"]), "visible": True, "color": "#333333"},
            hovertemplate="%{y}: ×%{x:.3f}<extra></extra>"))
    fig.add_vline(x=1.0, line={"color": "#999999", "width": 1})
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="log")
    return layout(fig, title, xtitle, "", lang=lang, height=440)


def _mean_band(df: pd.DataFrame, col: str) -> pd.DataFrame:
    """``band_stats`` by week, with the mean standing in where the band is undefined (one replication)."""
    b = band_stats(df, ["week"], col)
    return b.assign(lo=b["lo"].fillna(b["mean"]), hi=b["hi"].fillna(b["mean"]))


def survival_figure(comp, lang: str = "en") -> go.Figure:
    """All citizens' share still on benefit by week since entry, one line per scenario."""
    from model.results import benefit_curve

    fig = go.Figure()
    for k, (name, res) in enumerate(comp.results.items()):
        curve = benefit_curve(res.spells.assign(pathway="all"), min(104, res.weeks), res.weeks,
                              res.scenario.warmup_weeks)
        b = _mean_band(curve, "on_benefit_share")
        add_band(fig, b["week"], b["mean"], b["lo"], b["hi"], name, PALETTE[k % len(PALETTE)], hover="%{y:.1%}")
    return layout(fig, text("rep_survival_title", lang), text("weeks_since_entry", lang),
                  text("share_on_benefit", lang), pct=True, lang=lang, height=450)


def capacity_figure(comp, lang: str = "en", pool_name=lambda p: p) -> go.Figure:
    """Caseloads, queues and citizens on benefit over time, four panels, one colour per scenario."""
    panels = [("caseload_mean.", "caseload_per_consultant"), ("consultant_queue.", "consultant_waiting"),
              ("treatment_queue.", "treatment_waiting"), ("on_benefit", "on_benefit_now")]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[text(k, lang) for _, k in panels])
    for k, (name, res) in enumerate(comp.results.items()):
        wk = res.weekly.copy()
        wk["on_benefit"] = wk[[c for c in wk.columns if c.startswith("active.")]].sum(axis=1)
        first = True
        for j, (prefix, _) in enumerate(panels):
            cols = [c for c in wk.columns if c.startswith(prefix)] if prefix.endswith(".") else [prefix]
            for c in cols:
                if prefix == "caseload_mean." and wk[c].max() == 0:
                    continue
                b = _mean_band(wk, c)
                label = name if prefix == "on_benefit" else f"{name}: {pool_name(c.split('.', 1)[1])}"
                add_band(fig, b["week"], b["mean"], b["lo"], b["hi"], label, PALETTE[k % len(PALETTE)],
                         dash="solid" if first else "dot", hover="%{y:.1f}", row=j // 2 + 1, col=j % 2 + 1)
                first = False
    layout(fig, text("rep_capacity_title", lang), "", "", lang=lang, height=750)
    fig.update_xaxes(title_text=text("week", lang))
    return fig


def budget_figure(budgets: dict, lang: str = "en") -> go.Figure:
    """Net public budget effect per year and cumulated (million DKK), one colour per scenario."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[text("rep_net_per_year", lang), text("rep_net_cumulative", lang)])
    for k, (name, bc) in enumerate(budgets.items()):
        by = bc.by_year()
        x, c = by["calendar_year"], PALETTE[(k + 1) % len(PALETTE)]
        add_band(fig, x, by["net.total"] / 1e6, by["net.total.lo"] / 1e6, by["net.total.hi"] / 1e6, name, c,
                 hover="%{y:.2f}", row=1, col=1)
        add_band(fig, x, by["cumulative_net"] / 1e6, by["cumulative_net.lo"] / 1e6, by["cumulative_net.hi"] / 1e6,
                 name, c, hover="%{y:.2f}", showlegend=False, row=1, col=2)
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    layout(fig, text("rep_budget_title", lang), "", "", lang=lang, height=450)
    fig.update_xaxes(title_text=text("inv_col_year", lang))
    return fig


def km_figure(comp, followup_weeks: int = 52, lang: str = "en", arm_name=lambda a: a) -> go.Figure | None:
    """Kaplan-Meier curves of time to return to work by randomised arm (ITT), with 95% Hall-Wellner bands,
    for every randomised scenario; replications pooled (model.trial). None without a randomised scenario."""
    from model.trial import km_curves

    fig, k = go.Figure(), 0
    for name, res in comp.results.items():
        if res.scenario.allocation.rule != "randomise":
            continue
        c = km_curves(res.spells, res.weeks, by="arm", followup_weeks=followup_weeks, groups=("all",))
        for arm, g in c.groupby("arm", sort=False):
            add_band(fig, g["week"], g["not_returned"], g["band_low"], g["band_high"], f"{name}: {arm_name(arm)}",
                     PALETTE[k % len(PALETTE)], hover="%{y:.1%}")
            k += 1
    if k == 0:
        return None
    return layout(fig, text("rep_km_title", lang, weeks=followup_weeks), text("weeks_since_entry", lang),
                  text("rep_km_axis", lang), pct=True, lang=lang, height=450)


# ---- sensitivity --------------------------------------------------------------------------
def morris_figure(indices: pd.DataFrame, output: str, lang: str = "en", name=lambda p: p,
                  output_name: str | None = None) -> go.Figure:
    """mu* against sigma per parameter; the most influential few are labelled, alternating above and below
    so that neighbouring labels do not overlap; every point names itself on hover."""
    d = indices[indices["output"] == output]
    mu_star = d[d["index"] == "mu_star"].set_index("parameter")
    sigma_rows = d[d["index"] == "sigma"].set_index("parameter").reindex(mu_star.index)
    sigma = sigma_rows["value"]
    top = list(mu_star["value"].nlargest(MORRIS_LABELS).index)
    positions = {p: ("top right", "bottom right", "top left", "bottom left", "middle right")[i % 5]
                 for i, p in enumerate(sorted(top, key=lambda p: float(mu_star.loc[p, "value"])))}
    fig = go.Figure(go.Scatter(
        x=mu_star["value"], y=sigma, mode="markers+text", customdata=[name(p) for p in mu_star.index],
        text=[name(p) if p in positions else "" for p in mu_star.index],
        textposition=[positions.get(p, "top center") for p in mu_star.index], textfont={"size": 11},
        error_x={"type": "data", "array": mu_star["conf"], "visible": True},
        error_y={"type": "data", "array": sigma_rows["conf"], "visible": True},
        hovertemplate="%{customdata}<br>μ* = %{x:.4g}<br>σ = %{y:.4g}<extra></extra>"))
    top_value = float(max(mu_star["value"].max(), sigma.max(), 0) * 1.05) or 1.0
    fig.add_trace(go.Scatter(x=[0, top_value], y=[0, top_value], mode="lines", showlegend=False,
                             line={"dash": "dot", "color": "grey"}, hoverinfo="skip"))
    layout(fig, text("sens_morris_title", lang, output=output_name or output), text("sens_mu_star", lang), text("sens_sigma", lang),
           lang=lang, height=480)
    fig.update_layout(showlegend=False)
    return fig


def sobol_figure(indices: pd.DataFrame, output: str, lang: str = "en", name=lambda p: p,
                 output_name: str | None = None) -> go.Figure:
    d = indices[(indices["output"] == output) & indices["index"].isin(["S1", "ST"])]
    fig = go.Figure()
    for index, key in (("S1", "sens_s1"), ("ST", "sens_st")):
        part = d[d["index"] == index]
        fig.add_trace(go.Bar(x=[name(p) for p in part["parameter"]], y=part["value"], name=text(key, lang),
                             error_y={"type": "data", "array": part["conf"], "visible": True}))
    fig.update_layout(barmode="group")
    return layout(fig, text("sens_sobol_title", lang, output=output_name or output), text("sens_parameter", lang),
                  text("sens_variance_share", lang), lang=lang, height=460)


def tornado_figure(tornado: pd.DataFrame, output: str, lang: str = "en", name=lambda p: p) -> go.Figure:
    d = tornado[tornado["output"] == output].sort_values("swing")
    base = float(d["y_base"].iloc[0]) if len(d) else 0.0
    fig = go.Figure()
    for end, colour in (("low", "#4c78a8"), ("high", "#f58518")):
        fig.add_trace(go.Bar(
            y=[name(p) for p in d["parameter"]], x=d[f"y_{end}"] - base, base=base, orientation="h",
            name=text(f"sens_end_{end}", lang), marker_color=colour, customdata=d[f"{end}_value"],
            hovertemplate="%{y} = %{customdata:.4g}<br>%{x:+.4g}<extra></extra>"))
    fig.update_layout(barmode="overlay")
    return layout(fig, text("sens_tornado_title", lang, output=output, base=f"{base:.4g}"), output, "", lang=lang,
                  height=160 + 40 * max(len(d), 3))


# ---- calibration --------------------------------------------------------------------------
def _is_share(row) -> bool:
    return "share" in str(row["output"]) and "-" not in str(row["output"])


def target_figure(row: pd.Series, accepted: list[float], rejected: list[float], lang: str = "en",
                  title: str | None = None, xtitle: str | None = None) -> go.Figure:
    """One calibration target: the observed value and range, the simulated value at the point estimate with its
    replication interval, and the accepted (and rejected) sets' simulated values."""
    pct = _is_share(row)
    k = 100.0 if pct else 1.0
    fig = go.Figure()
    lo, hi = row["lower"], row["upper"]
    y = {key: text(key, lang) for key in ("cal_observed", "cal_rejected", "cal_accepted", "cal_point")}
    if row["kind"] == "point":
        fig.add_trace(go.Scatter(x=[row["value"] * k], y=[y["cal_observed"]], mode="markers",
                                 name=text("cal_observed_range", lang),
                                 marker={"size": 12, "color": "black", "symbol": "diamond"},
                                 error_x={"type": "data", "symmetric": False, "array": [(hi - row["value"]) * k],
                                          "arrayminus": [(row["value"] - lo) * k]}))
    else:
        for b, key in ((lo, "cal_lower_bound"), (hi, "cal_upper_bound")):
            if not pd.isna(b):
                fig.add_vline(x=b * k, line_dash="dash", line_color="black", annotation_text=text(key, lang))
    if rejected:
        fig.add_trace(go.Scatter(x=[v * k for v in rejected], y=[y["cal_rejected"]] * len(rejected), mode="markers",
                                 name=y["cal_rejected"], marker={"color": "#bbbbbb", "size": 6}))
    if accepted:
        fig.add_trace(go.Scatter(x=[v * k for v in accepted], y=[y["cal_accepted"]] * len(accepted), mode="markers",
                                 name=y["cal_accepted"], marker={"color": "#4c78a8", "size": 7, "opacity": 0.7}))
    ci_lo, ci_hi, m = row["sim_ci_low"], row["sim_ci_high"], row["simulated"]
    has_ci = ci_lo is not None and ci_hi is not None and not (isinstance(ci_lo, float) and math.isnan(ci_lo))
    err = {"type": "data", "symmetric": False, "array": [(ci_hi - m) * k], "arrayminus": [(m - ci_lo) * k]} \
        if has_ci else None
    fig.add_trace(go.Scatter(x=[m * k], y=[y["cal_point"]], mode="markers", name=text("cal_point_ci", lang),
                             marker={"size": 12, "color": "#f58518"}, error_x=err))
    status = text("cal_within" if row["within"] else "cal_outside", lang)
    title = title or text("cal_target_title", lang, target=row["target"], output=row["output"],
                          weeks=row["horizon_weeks"], status=status)
    return layout(fig, title, (xtitle or str(row["output"])) + (" (%)" if pct else ""), "", lang=lang, height=320)


def ranges_figure(ranges: pd.DataFrame, accepted: pd.DataFrame, lang: str = "en", name=lambda p: p) -> go.Figure:
    """Accepted values on each parameter's prior range scaled to 0..1 (log scale where the prior is)."""
    fig = go.Figure()
    for _, r in ranges.iterrows():
        x = accepted[r["parameter"]] if r["parameter"] in accepted else pd.Series(dtype=float)
        if r["log"]:
            u = (x.apply(math.log) - math.log(r["prior_low"])) / (math.log(r["prior_high"]) - math.log(r["prior_low"]))
        else:
            u = (x - r["prior_low"]) / (r["prior_high"] - r["prior_low"])
        fig.add_trace(go.Box(x=u, name=name(r["parameter"]), boxpoints="all", jitter=0.4, orientation="h",
                             customdata=x, hovertemplate="%{customdata:.4g}<extra></extra>"))
    layout(fig, text("cal_ranges_title", lang), text("cal_prior_position", lang), "", lang=lang,
           height=160 + 60 * len(ranges))
    fig.update_layout(showlegend=False, xaxis={"range": [-0.02, 1.02]})
    return fig


def pairs_figure(accepted: pd.DataFrame, lang: str = "en", name=lambda p: p) -> go.Figure | None:
    names = list(accepted.columns)
    if len(names) < 2 or len(accepted) < 3:
        return None
    fig = go.Figure(go.Splom(dimensions=[{"label": name(n), "values": accepted[n]} for n in names],
                             diagonal_visible=False, marker={"size": 5, "color": "#4c78a8"}))
    layout(fig, text("cal_pairs", lang), "", "", lang=lang, height=200 + 150 * len(names))
    fig.update_layout(width=200 + 150 * len(names))
    return fig
