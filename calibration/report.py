"""`rtwsim fit-report CALIBRATION`: targets against simulated values, accepted ranges, identifiability.

Reads a calibration record (``calibration/calibrated/<name>.yaml``), prints the fit and the accepted
parameter ranges as tables, and writes an offline HTML page with one plot per target (observed value
and interval; simulated value at the point estimate with its replication interval; the accepted
sets' simulated values, i.e. the spread calibration uncertainty adds), the accepted ranges against
the priors, and the accepted sets pairwise (where trade-offs show as diagonal bands).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .store import load_record


@dataclass
class FitReport:
    record: dict[str, Any]
    path: Path
    fit: pd.DataFrame
    ranges: pd.DataFrame
    warnings: list[str]
    files: list[Path] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.record["status"]


def _f(x: Any, pct: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if isinstance(x, str):
        return x
    return f"{100 * x:.1f}%" if pct else f"{x:.3g}"


def _is_share(row) -> bool:
    return "share" in str(row["output"]) and "-" not in str(row["output"])


def fit_text(fit: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, r in fit.iterrows():
        pct = _is_share(r)
        if r["kind"] == "point":
            target = f"{_f(r['value'], pct)} [{_f(r['lower'], pct)}, {_f(r['upper'], pct)}]"
        else:
            parts = ([f">= {_f(r['lower'], pct)}"] if not pd.isna(r["lower"]) else []) + \
                    ([f"<= {_f(r['upper'], pct)}"] if not pd.isna(r["upper"]) else [])
            target = " and ".join(parts)
        rows.append({"target": r["target"], "horizon": r["horizon_weeks"], "observed (range)": target,
                     "simulated (95% CI)": f"{_f(r['simulated'], pct)} ({_f(r['sim_ci_low'], pct)} to {_f(r['sim_ci_high'], pct)})",
                     "z": _f(r["z"]), "within": "yes" if r["within"] else "NO"})
    return pd.DataFrame(rows)


def ranges_text(ranges: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame([{"parameter": r["parameter"], "prior": f"[{_f(r['prior_low'])}, {_f(r['prior_high'])}]",
                          "accepted": f"[{_f(r['accepted_low'])}, {_f(r['accepted_high'])}]",
                          "median": _f(r["accepted_median"]),
                          "share of prior": _f(r["prior_span_share"], True)} for _, r in ranges.iterrows()])


def target_figure(row: pd.Series, accepted: list[float], rejected: list[float]) -> go.Figure:
    pct = _is_share(row)
    k = 100.0 if pct else 1.0
    fig = go.Figure()
    lo, hi = row["lower"], row["upper"]
    if row["kind"] == "point":
        fig.add_trace(go.Scatter(x=[row["value"] * k], y=["observed"], mode="markers", name="observed (target range)",
                                 marker={"size": 12, "color": "black", "symbol": "diamond"},
                                 error_x={"type": "data", "symmetric": False, "array": [(hi - row["value"]) * k],
                                          "arrayminus": [(row["value"] - lo) * k]}))
    else:
        for b, label in ((lo, "lower bound"), (hi, "upper bound")):
            if not pd.isna(b):
                fig.add_vline(x=b * k, line_dash="dash", line_color="black", annotation_text=label)
    if rejected:
        fig.add_trace(go.Scatter(x=[v * k for v in rejected], y=["rejected candidates"] * len(rejected), mode="markers",
                                 name="rejected candidates", marker={"color": "#bbbbbb", "size": 6}))
    if accepted:
        fig.add_trace(go.Scatter(x=[v * k for v in accepted], y=["accepted sets"] * len(accepted), mode="markers",
                                 name="accepted parameter sets", marker={"color": "#4c78a8", "size": 7, "opacity": 0.7}))
    ci_lo, ci_hi, m = row["sim_ci_low"], row["sim_ci_high"], row["simulated"]
    err = ({"type": "data", "symmetric": False, "array": [(ci_hi - m) * k], "arrayminus": [(m - ci_lo) * k]}
           if ci_lo is not None and ci_hi is not None and not (isinstance(ci_lo, float) and math.isnan(ci_lo)) else None)
    fig.add_trace(go.Scatter(x=[m * k], y=["point estimate"], mode="markers", name="simulated at point estimate (95% CI)",
                             marker={"size": 12, "color": "#f58518"}, error_x=err))
    unit = " (%)" if pct else ""
    fig.update_layout(title=f"{row['target']}: {row['output']} at {row['horizon_weeks']} weeks"
                            f" — {'within' if row['within'] else 'OUTSIDE'} the target range",
                      xaxis_title=f"{row['output']}{unit}", height=320, margin={"l": 160})
    return fig


def ranges_figure(ranges: pd.DataFrame, accepted: pd.DataFrame) -> go.Figure:
    """Accepted values on each parameter's prior range scaled to 0..1 (log scale where the prior is)."""
    fig = go.Figure()
    for _, r in ranges.iterrows():
        x = accepted[r["parameter"]] if r["parameter"] in accepted else pd.Series(dtype=float)
        if r["log"]:
            u = (x.apply(math.log) - math.log(r["prior_low"])) / (math.log(r["prior_high"]) - math.log(r["prior_low"]))
        else:
            u = (x - r["prior_low"]) / (r["prior_high"] - r["prior_low"])
        fig.add_trace(go.Box(x=u, name=r["parameter"], boxpoints="all", jitter=0.4, orientation="h",
                             customdata=x, hovertemplate="%{customdata:.4g}<extra></extra>"))
    fig.update_layout(title="Accepted parameter values within their prior ranges (0 = prior low, 1 = prior high)",
                      xaxis={"range": [-0.02, 1.02], "title": "position in prior range"}, showlegend=False,
                      height=120 + 60 * len(ranges))
    return fig


def pairs_figure(accepted: pd.DataFrame) -> go.Figure | None:
    names = list(accepted.columns)
    if len(names) < 2 or len(accepted) < 3:
        return None
    fig = go.Figure(go.Splom(dimensions=[{"label": n, "values": accepted[n]} for n in names],
                             diagonal_visible=False, marker={"size": 5, "color": "#4c78a8"}))
    fig.update_layout(title="Accepted sets pairwise: diagonal bands are parameters that trade off",
                      height=200 + 150 * len(names), width=200 + 150 * len(names))
    return fig


def write_html(path: Path, title: str, intro: str, figures: list[go.Figure], tables: dict[str, pd.DataFrame],
               warnings: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    js = path.parent / "plotly.min.js"
    if not js.exists():
        from plotly.offline import get_plotlyjs

        js.write_text(get_plotlyjs())
    warn = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             "<style>body{font-family:sans-serif;max-width:1100px;margin:auto} table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:3px 8px} .warn{background:#fff3cd;padding:8px}</style></head><body>",
             f"<h1>{html.escape(title)}</h1><p>{intro}</p>"]
    if warn:
        parts.append(f"<div class='warn'><b>Warnings</b><ul>{warn}</ul></div>")
    for name, df in tables.items():
        parts.append(f"<h2>{html.escape(name)}</h2>{df.to_html(index=False, escape=True)}")
    parts += [f.to_html(full_html=False, include_plotlyjs="directory" if i == 0 else False) for i, f in enumerate(figures)]
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def build_report(ref: str | Path, out_dir: Path | None = None) -> FitReport:
    rec, path = load_record(ref)
    fit = pd.DataFrame(rec["fit"])
    ranges = pd.DataFrame(rec.get("accepted_ranges") or [])
    names = [p["name"] for p in rec["free_parameters"]]
    accepted = pd.DataFrame([a["parameters"] for a in rec.get("accepted") or []], columns=names)
    warns = list(rec.get("warnings") or [])
    if len(ranges) and rec.get("accepted"):
        from .identifiability import edge_warnings

        warns += [w for w in edge_warnings(ranges) if w not in warns]
    rep = FitReport(rec, path, fit, ranges, warns)
    if out_dir is None:
        return rep
    figs = []
    for _, row in fit.iterrows():
        acc = [a["simulated"][row["target"]] for a in rec.get("accepted") or [] if a["simulated"].get(row["target"]) is not None]
        rej = [a["simulated"][row["target"]] for a in rec.get("rejected_candidates") or []
               if a["simulated"].get(row["target"]) is not None]
        figs.append(target_figure(row, acc, rej))
    if len(accepted):
        figs.append(ranges_figure(ranges, accepted))
        pf = pairs_figure(accepted)
        if pf is not None:
            figs.append(pf)
    prov = rec["provenance"]
    intro = html.escape(
        f"Status: {rec['status']}. Scenario {prov['scenario']}, targets {prov['targets_file']} "
        f"(sha256 {prov['targets_sha256'][:12]}), seed {prov['seed']}, {prov['trials']} trials x {prov['reps_per_trial']} "
        f"replications, {len(accepted)} accepted sets re-simulated with {prov['accept_reps']} replications; "
        f"rtwsim {prov['package_version']}, {prov['date']}.")
    tables = {"Targets against simulated (point estimate)": fit_text(fit)}
    if len(ranges):
        tables["Accepted parameter ranges"] = ranges_text(ranges)
    page = write_html(Path(out_dir) / f"fit_report_{path.stem}.html", f"Calibration fit: {path.stem}", intro, figs,
                      tables, rep.warnings)
    fit_text(fit).to_csv(Path(out_dir) / f"fit_{path.stem}.csv", index=False)
    rep.files = [page, Path(out_dir) / f"fit_{path.stem}.csv"]
    return rep
