"""Plotly figures of the app: pure functions from the API's tables to figures (no Streamlit here)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

PATHWAY_COLOURS = {"standard": "#5b6c8f", "uncoordinated": "#e08a2c", "integrated": "#2f9e6b", "all": "#333333"}
PALETTE = ["#5b6c8f", "#2f9e6b", "#e08a2c", "#b5475b", "#7b5ea7", "#3a9fbf", "#a08c2a", "#666666"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]


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


def _band(fig: go.Figure, x, mean, lo, hi, name: str, colour: str, dash: str = "solid", group: str | None = None,
          hover: str = "%{y:.3f}") -> None:
    group = group or name
    if np.isfinite(np.asarray(lo, float)).any():
        fig.add_trace(go.Scatter(x=list(x) + list(x)[::-1], y=list(hi) + list(lo)[::-1], fill="toself",
                                 fillcolor=_rgba(colour, 0.18), line={"width": 0}, hoverinfo="skip",
                                 showlegend=False, legendgroup=group, name=f"{name} 95%"))
    fig.add_trace(go.Scatter(x=list(x), y=list(mean), mode="lines", name=name, legendgroup=group,
                             line={"color": colour, "dash": dash, "width": 2},
                             hovertemplate=f"{name}<br>%{{x}}: {hover}<extra></extra>"))


def _layout(fig: go.Figure, title: str, xtitle: str, ytitle: str, pct: bool = False) -> go.Figure:
    fig.update_layout(title={"text": title, "font": {"size": 15}}, xaxis_title=xtitle, yaxis_title=ytitle,
                      margin={"l": 60, "r": 20, "t": 50, "b": 40}, height=400, template="plotly_white",
                      legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0})
    if pct:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


def benefit_curve_figure(curve: pd.DataFrame, labels: dict[str, str], title: str, xtitle: str, ytitle: str) -> go.Figure:
    """Share still on benefit by week since entry, one line with a 95% band per pathway."""
    fig = go.Figure()
    for pathway, d in curve.groupby("pathway", sort=False):
        b = band_stats(d, ["week"], "on_benefit_share", floor=0.0)
        _band(fig, b["week"], b["mean"], b["lo"], b["hi"], labels.get(pathway, pathway),
              PATHWAY_COLOURS.get(pathway, "#444444"), hover="%{y:.1%}")
    return _layout(fig, title, xtitle, ytitle, pct=True)


def overlaid_curves_figure(curves: dict[str, pd.DataFrame], labels: dict[str, str], title: str, xtitle: str,
                           ytitle: str) -> go.Figure:
    """Benefit curves of several scenarios: colour by scenario, dash by pathway."""
    fig = go.Figure()
    pathways = sorted({p for c in curves.values() for p in c["pathway"].unique()})
    for k, (name, curve) in enumerate(curves.items()):
        for pathway, d in curve.groupby("pathway", sort=False):
            b = band_stats(d, ["week"], "on_benefit_share", floor=0.0)
            _band(fig, b["week"], b["mean"], b["lo"], b["hi"], f"{name}: {labels.get(pathway, pathway)}",
                  PALETTE[k % len(PALETTE)], DASHES[pathways.index(pathway) % len(DASHES)], hover="%{y:.1%}")
    return _layout(fig, title, xtitle, ytitle, pct=True)


def weekly_figure(weekly: pd.DataFrame, columns: dict[str, str], title: str, xtitle: str, ytitle: str,
                  warmup: int = 0, pct: bool = False, colours: dict[str, str] | None = None) -> go.Figure:
    """Weekly series (mean over replications with 95% band) for the given ``{column: label}``."""
    fig = go.Figure()
    for k, (col, label) in enumerate(columns.items()):
        if col not in weekly.columns:
            continue
        b = band_stats(weekly, ["week"], col, floor=0.0)
        colour = (colours or {}).get(col, PALETTE[k % len(PALETTE)])
        _band(fig, b["week"], b["mean"], b["lo"], b["hi"], label, colour, hover="%{y:.1%}" if pct else "%{y:.1f}")
    if warmup:
        fig.add_vline(x=warmup, line={"dash": "dot", "color": "#999999", "width": 1})
    return _layout(fig, title, xtitle, ytitle, pct=pct)


def interval_bars_figure(rows: pd.DataFrame, title: str, ytitle: str, pct: bool = False,
                         colour_by: str | None = None) -> go.Figure:
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
    return _layout(fig, title, "", ytitle, pct=pct)


def effects_figure(effects: pd.DataFrame, effect_labels: dict[str, str], pathway_labels: dict[str, str], title: str,
                   xtitle: str) -> go.Figure:
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
    _layout(fig, title, xtitle, "")
    fig.update_layout(height=440)
    return fig
