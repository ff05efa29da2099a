"""Page 3, investment planner: a budget per year and its split become FTE and places, and a budget
effect by year (SØM style) with payback, against a baseline on common random numbers.

Builds on the budget model (``model.economics``, ``model.investment``); until those modules exist
the page says so. The investment is written into the scenario (``with_overrides({"investment": …})``)
so the model converts it to staff and places exactly as ``rtwsim budget`` does.
"""
from __future__ import annotations

import math
import time

import pandas as pd
import streamlit as st

from .i18n import t, term
from .modules import available, load, not_available

STATE = "investment"
MIO = 1e6
NEEDS = ("model.economics", "model.investment")
DEFAULT_PAIRS = [("hjorring_investment", "hjorring_before_investment"), ("copenhagen_ibbis", "baseline_standard")]
SPLIT_LINES = [("consultants", "inv_line_consultants"), ("health_staff", "inv_line_health"),
               ("treatment", "inv_line_treatment")]
YEAR_ROWS = [  # column, label key, unit
    ("cost_scenario", "inv_cost_scenario", "mio"), ("cost_baseline", "inv_cost_baseline", "mio"),
    ("extra_effort_cost", "inv_effort", "mio"), ("benefit_savings", "inv_savings", "mio"),
    ("net.municipality", "inv_net_muni", "mio"), ("net.state", "inv_net_state", "mio"),
    ("net.region", "inv_net_region", "mio"), ("net.total", "inv_net_total", "mio"),
    ("cumulative_net", "inv_cumulative", "mio"), ("extra_returns", "inv_extra_returns", "n"),
]


def _defaults(sc) -> dict:
    inv = sc.investment
    if inv is None:
        return {"per_year": 10.0, "start": sc.economics.start_year, "years": 3, "target": 1.0,
                "split": {"consultants": 0.5, "health_staff": 0.3, "treatment": 0.2}}
    by_year = inv.dkk_by_year()
    years = inv.funded_years() or [sc.economics.start_year]
    return {"per_year": sum(by_year.values()) / max(len(years), 1) / inv.share_for_target_group / MIO,
            "start": min(years), "years": len(years), "target": inv.share_for_target_group,
            "split": {k: inv.split.get(k, 0.0) for k, _ in SPLIT_LINES}}


def investment_inputs(sc) -> tuple[dict | None, str | None]:
    """Widgets for the budget; returns (investment dict for the scenario, error message)."""
    d = _defaults(sc)
    k = f"inv:{sc.name}:"
    c1, c2, c3 = st.columns(3)
    per_year = c1.number_input(t("inv_per_year"), 0.0, 10_000.0, round(float(d["per_year"]), 2), 0.5, key=k + "dkk")
    start = c2.number_input(t("inv_start"), 1990, 2100, int(d["start"]), 1, key=k + "start")
    years = c3.number_input(t("inv_years"), 1, 20, int(d["years"]), 1, key=k + "years")
    target = st.slider(t("inv_target_share"), 0.05, 1.0, float(d["target"]), 0.05, key=k + "target",
                       help=t("inv_target_help"))
    st.markdown(f"**{t('inv_split')}**")
    cols = st.columns(3)
    split = {}
    for col, (line, label) in zip(cols, SPLIT_LINES):
        split[line] = col.number_input(t(label), 0, 100, int(round(100 * d["split"][line])), 5, key=k + line,
                                       help=term("sagsstamme") if line == "consultants" else None) / 100
    total = sum(split.values())
    if abs(total - 1) > 1e-9:
        return None, t("inv_split_sum", pct=round(100 * total))
    split = {**split, "management": 0.0, "other": 0.0}
    base = sc.investment.model_dump() if sc.investment is not None else {}
    inv = {**{k2: v for k2, v in base.items() if k2 not in {"total_dkk", "years", "year_shares", "per_year_dkk"}},
           "label": base.get("label") or t("inv_label"),
           "per_year_dkk": {int(start) + i: float(per_year) * MIO for i in range(int(years))},
           "share_for_target_group": float(target), "split": split}
    inv.setdefault("pathway", "integrated")
    return inv, None


def conversion_view(conv: pd.DataFrame) -> pd.DataFrame:
    """The investment's conversion (``model.investment.conversion``) with readable headers."""
    cols = [("year", "inv_col_year"), ("dkk", "inv_col_dkk"), ("consultant_fte", "inv_col_cfte"),
            ("caseload_places", "inv_col_caseload"), ("therapist_fte", "inv_col_tfte"),
            ("treatment_slots", "inv_col_slots"), ("places_per_year", "inv_col_places"),
            ("binding_line", "inv_col_binding")]
    out = pd.DataFrame({t(label): conv[c] for c, label in cols if c in conv.columns})
    if t("inv_col_dkk") in out:
        out[t("inv_col_dkk")] = (conv["dkk"] / MIO).round(2)
    for c, label in cols:
        if c in {"consultant_fte", "therapist_fte", "caseload_places", "treatment_slots"} and t(label) in out:
            out[t(label)] = conv[c].round(1)
    return out


def year_table(by_year: pd.DataFrame) -> pd.DataFrame:
    """Rows = quantities, columns = years, 'mean (95% interval)': the SØM layout finance officers know."""
    from model.economics import budget_year_table

    rows = [(col, t(label), unit) for col, label, unit in YEAR_ROWS]
    return budget_year_table(by_year, rows, quantity=t("inv_quantity"),
                             year_header=lambda y, cy: f"{y} ({cy})", missing="-")


def _payback(x: float, years: int) -> str:
    return t("inv_year_n", n=int(x)) if math.isfinite(x) else t("inv_not_within", n=years)


def show_budget(entry: dict) -> None:
    from . import charts
    from .common import cost_per_return_text, show_table
    by_year, head, conv = entry["by_year"], entry["headline"], entry["conversion"]
    st.caption(t("inv_results_for", name=entry["scenario"], base=entry["baseline"], reps=entry["reps"],
                 seed=entry["seed"], years=head["years"]))
    c = [*st.columns(2), *st.columns(2)]
    with c[0].container(border=True):
        st.metric(t("inv_net_total_years", n=head["years"]), f"{head['net_total'] / MIO:+.2f} mio. DKK",
                  help=t("inv_net_help"))
        st.caption(f"95%: {head['net_total.lo'] / MIO:+.2f} to {head['net_total.hi'] / MIO:+.2f}")
    with c[1].container(border=True):
        st.metric(t("inv_payback"), _payback(head["payback_year"], head["years"]))
        st.caption(f"95%: {_payback(head['payback_year.lo'], head['years'])} - "
                   f"{_payback(head['payback_year.hi'], head['years'])}")
    with c[2].container(border=True):
        st.metric(t("inv_extra_returns"), f"{head['extra_returns']:+.0f}", help=term("raskmelding"))
        st.caption(f"95%: {head['extra_returns.lo']:+.0f} to {head['extra_returns.hi']:+.0f}")
    with c[3].container(border=True):
        v = head["net_cost_per_extra_return"]
        st.metric(t("inv_cost_per_return"), "-" if math.isnan(v) else f"{v:,.0f} DKK")
        lo, hi = head.get("net_cost_per_extra_return.lo", math.nan), head.get("net_cost_per_extra_return.hi", math.nan)
        st.caption("95%: -" if math.isnan(lo) else f"95%: {lo:,.0f} to {hi:,.0f} DKK")
        st.caption(cost_per_return_text(v))  # a negative figure is a saving, in words (issue 14)

    rows = pd.DataFrame({"label": [str(int(y)) for y in by_year["calendar_year"]],
                         "mean": by_year["net.total"] / MIO, "ci_low": by_year["net.total.lo"] / MIO,
                         "ci_high": by_year["net.total.hi"] / MIO, "series": t("inv_net_total")})
    cum = pd.DataFrame({"label": [str(int(y)) for y in by_year["calendar_year"]],
                        "mean": by_year["cumulative_net"] / MIO, "ci_low": by_year["cumulative_net.lo"] / MIO,
                        "ci_high": by_year["cumulative_net.hi"] / MIO, "series": t("inv_cumulative")})
    fig = charts.interval_bars_figure(pd.concat([rows, cum]), t("inv_chart_title"), "mio. DKK", colour_by="series")
    st.plotly_chart(fig, width="stretch", key="inv_chart")
    st.caption(t("inv_net_help"))
    st.subheader(t("inv_by_year"))
    show_table(year_table(by_year), "budget_by_year", "inv_dl_table")
    with st.expander(t("inv_by_year_numbers")):
        show_table(by_year, "budget_by_year_numbers", "inv_dl_numbers", height=300)
    if len(conv):
        st.subheader(t("inv_buys"))
        show_table(conversion_view(conv), "investment_conversion", "inv_dl_conv")


def render() -> None:
    st.header(t("page_investment"))
    if not all(available(m) for m in NEEDS):
        not_available(" + ".join(NEEDS))
        return
    economics, investment = load("model.economics"), load("model.investment")
    if economics is None or investment is None:
        return
    from model import ScenarioError

    from .common import cached_run, library_names, load_library, progress_bar
    from .explorer import run_settings

    st.caption(t("inv_intro"))
    names = library_names()
    pair = next(((s, b) for s, b in DEFAULT_PAIRS if s in names and b in names), (names[-1], names[0]))
    c1, c2 = st.columns(2)
    scn_name = c1.selectbox(t("inv_scenario"), names, index=names.index(pair[0]), key="inv_scenario")
    base_name = c2.selectbox(t("inv_baseline"), names, index=names.index(pair[1]), key="inv_baseline")
    try:
        sc, base = load_library(scn_name), load_library(base_name)
    except ScenarioError as err:
        st.error(str(err))
        return
    horizon_years = st.slider(t("inv_horizon"), 1, 10, max(1, min(10, math.ceil(sc.horizon_weeks / 52))), 1,
                              key="inv_horizon", help=t("inv_horizon_help"))
    inv, problem = investment_inputs(sc)
    edited = None
    if problem is None:
        try:
            weeks = {"horizon_weeks": horizon_years * 52}
            edited = sc.with_overrides({**weeks, "investment": inv})
            base = base.with_overrides(weeks)
            if edited.name == base.name:
                raise ScenarioError(t("inv_same"))
            for s in (edited, base):
                s.economics.check_years(horizon_years)
        except (ScenarioError, ValueError) as err:
            problem, edited = str(err), None
    if problem:
        st.error(f"{t('invalid_levers')}\n\n```\n{problem}\n```")
    else:
        conv = pd.DataFrame(investment.conversion(edited))
        if len(conv):
            st.markdown(f"**{t('inv_buys')}**")
            st.dataframe(conversion_view(conv), hide_index=True, width="stretch")
    reps, seed, jobs = run_settings("inv", wide=True)
    clicked = st.button(t("inv_run"), type="primary", key="inv_run", disabled=edited is None)
    if clicked and edited is not None:
        bar, update = progress_bar()
        start = time.perf_counter()
        try:
            res, _ = cached_run(edited, reps, seed, jobs, lambda d, n: update(d, 2 * n))
            bres, _ = cached_run(base, reps, seed, jobs, lambda d, n: update(n + d, 2 * n))
            bc = economics.compare_budgets(res, bres)
            entry = {"by_year": bc.by_year(), "headline": bc.headline(seed=seed),
                     "conversion": pd.DataFrame(investment.conversion(edited)), "scenario": edited.name,
                     "baseline": base.name, "reps": reps, "seed": seed, "seconds": time.perf_counter() - start}
        except (ScenarioError, ValueError) as err:
            st.error(str(err))
        else:
            st.session_state[STATE] = entry
        bar.empty()
    entry = st.session_state.get(STATE)
    if entry is None:
        st.info(t("no_results", run=t("inv_run")))
        return
    show_budget(entry)
