"""Plotly figures of a study: Morris mu*–sigma, Sobol bars with intervals, tornado.

One figure per output; `write_page` puts several figures on one offline HTML page and writes
plotly.js once next to it (``include_plotlyjs='directory'``), so pages stay small.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

LABELS = 5  # Morris points labelled on the plot


def morris_figure(indices: pd.DataFrame, output: str) -> go.Figure:
    d = indices[indices["output"] == output]
    mu_star = d[d["index"] == "mu_star"].set_index("parameter")
    sigma_rows = d[d["index"] == "sigma"].set_index("parameter").reindex(mu_star.index)
    sigma = sigma_rows["value"]
    # label only the most influential points; all of them name themselves on hover
    labelled = set(mu_star["value"].nlargest(LABELS).index)
    fig = go.Figure(go.Scatter(
        x=mu_star["value"], y=sigma, mode="markers+text", customdata=mu_star.index,
        text=[p if p in labelled else "" for p in mu_star.index],
        textposition="top center",
        error_x={"type": "data", "array": mu_star["conf"], "visible": True},
        error_y={"type": "data", "array": sigma_rows["conf"], "visible": True},
        hovertemplate="%{customdata}<br>μ* = %{x:.4g}<br>σ = %{y:.4g}<extra></extra>"))
    top = float(max(mu_star["value"].max(), sigma.max(), 0) * 1.05) or 1.0
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", showlegend=False,
                             line={"dash": "dot", "color": "grey"}, hoverinfo="skip"))
    fig.update_layout(title=f"Morris screening: {output}", xaxis_title="μ* (mean |elementary effect|)",
                      yaxis_title="σ (non-linearity / interactions)", showlegend=False)
    return fig


def sobol_figure(indices: pd.DataFrame, output: str) -> go.Figure:
    d = indices[(indices["output"] == output) & indices["index"].isin(["S1", "ST"])]
    fig = go.Figure()
    for index, label in (("S1", "first order S1"), ("ST", "total ST")):
        part = d[d["index"] == index]
        fig.add_trace(go.Bar(x=part["parameter"], y=part["value"], name=label,
                             error_y={"type": "data", "array": part["conf"], "visible": True}))
    fig.update_layout(title=f"Sobol indices with confidence intervals: {output}", barmode="group",
                      yaxis_title="share of output variance", xaxis_title="parameter")
    return fig


def tornado_figure(tornado: pd.DataFrame, output: str) -> go.Figure:
    d = tornado[tornado["output"] == output].sort_values("swing")
    base = float(d["y_base"].iloc[0]) if len(d) else 0.0
    fig = go.Figure()
    for end, colour in (("low", "#4c78a8"), ("high", "#f58518")):
        fig.add_trace(go.Bar(
            y=d["parameter"], x=d[f"y_{end}"] - base, base=base, orientation="h",
            name=f"parameter at {end} end", marker_color=colour,
            customdata=d[f"{end}_value"],
            hovertemplate="%{y} = %{customdata:.4g}<br>output %{x:+.4g} from base<extra></extra>"))
    fig.update_layout(title=f"One-at-a-time ranges: {output} (base {base:.4g})", barmode="overlay",
                      xaxis_title=output, yaxis_title="")
    return fig


def write_page(path: Path, figures: list[go.Figure], title: str) -> Path:
    js = path.parent / "plotly.min.js"
    if not js.exists():
        from plotly.offline import get_plotlyjs

        js.write_text(get_plotlyjs())
    parts = [f.to_html(full_html=False, include_plotlyjs="directory" if i == 0 else False)
             for i, f in enumerate(figures)]
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
                    f"</head><body><h1>{title}</h1>{''.join(parts)}</body></html>")
    return path
