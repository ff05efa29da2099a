"""Page 4, find the best split: the optimiser (``analysis.optimise``) behind a form.

A budget per year and the years counted; the optimiser searches the split across consultants,
health staff and purchased treatment (and the caseload norm) on common random numbers, and shows
the Pareto front of extra returns against net present cost, the probability of payback within N
years over the parameter sets, and the best-on-average and robust choices. Results are kept in
``st.session_state`` so bad input never removes them.
"""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from presentation.tables import optimise_lines

from .i18n import lang, t
from .modules import available, not_available

STATE = "optimise"
NEEDS = ("analysis.optimise", "optuna")


def front_figure(df: pd.DataFrame):
    import plotly.graph_objects as go

    from presentation.figures import layout

    fig = go.Figure()
    for is_front, name, size in ((False, t("opt_other"), 7), (True, t("opt_front"), 11)):
        d = df[df["pareto"] == is_front]
        label = [f"{int(r.consultants)}/{int(r.health_staff)}/{int(r.treatment)}" for r in d.itertuples()]
        fig.add_trace(go.Scatter(x=d["net_present_cost_mio"], y=d["extra_returns"], mode="markers", name=name,
                                 text=label, marker={"size": size},
                                 hovertemplate="%{text}<br>%{x:.2f} " + t("mio_unit") + "<br>%{y:.0f}<extra></extra>"))
    return layout(fig, t("opt_chart"), t("opt_npc"), t("opt_extra"), lang=lang(), height=420)


def render() -> None:
    st.header(t("page_optimise"))
    if not all(available(m) for m in NEEDS):
        not_available(" + ".join(NEEDS))
        return
    from analysis.optimise import DEFAULT_DISCOUNT_RATE, optimise
    from model import ScenarioError
    from model.parameter_sets import available_parameter_sets

    from .common import library_names, number_input, progress_bar, run_button, say_if_cancelled, start_checks

    start_checks()

    say_if_cancelled()

    st.caption(t("opt_intro"))
    names = library_names()
    c1, c2 = st.columns(2)
    base = c1.selectbox(t("opt_baseline"), names, index=names.index("hjorring_before_investment")
                        if "hjorring_before_investment" in names else 0, key="opt_baseline")
    policy = c2.selectbox(t("opt_policy"), names, index=names.index("hjorring_investment")
                          if "hjorring_investment" in names else 0, key="opt_policy")
    c1, c2, c3, c4 = st.columns(4)
    budget = number_input(c1, t("inv_per_year"), 0.0, 1000.0, 5.0, 0.5, key="opt_budget")
    years = number_input(c2, t("opt_years"), 1, 10, 4, 1, key="opt_years")
    trials = number_input(c3, t("opt_trials"), 1, 200, 20, 5, key="opt_trials")
    reps = number_input(c4, t("reps"), 1, 50, 2, 1, key="opt_reps")
    c1, c2 = st.columns(2)
    none = t("calibration_none")
    psets = c1.selectbox(t("calibration_sets"), [none, *available_parameter_sets()], key="opt_psets",
                         help=t("calibration_sets_help"))
    rate = number_input(c2, t("opt_rate"), 0.0, 0.2, DEFAULT_DISCOUNT_RATE, 0.005, format="%.3f", key="opt_rate",
                           help=t("opt_rate_help"))
    if run_button(t("opt_run"), key="opt_run"):
        bar, update = progress_bar()
        start = time.perf_counter()
        try:
            if budget <= 0:
                raise ScenarioError(t("opt_budget_zero"))
            r = optimise(base, float(budget), int(years), policy=policy, trials=int(trials), reps=int(reps),
                         parameter_sets=None if psets == none else psets, discount_rate=float(rate), progress=update)
        except ScenarioError as err:
            st.error(str(err))
        else:
            st.session_state[STATE] = {"result": r, "seconds": time.perf_counter() - start}
        bar.empty()
    entry = st.session_state.get(STATE)
    if entry is None:
        st.info(t("no_results", run=t("opt_run")))
        return
    from .common import show_table

    r = entry["result"]
    for line in optimise_lines(r, lang()):
        st.markdown(line)
    df = r.table()
    st.plotly_chart(front_figure(df), width="stretch", key="opt_chart")
    st.subheader(t("opt_front"))
    show_table(df[df["pareto"]].sort_values("net_present_cost_mio").round(3), "pareto_front", "opt_dl_front")
    with st.expander(t("opt_all")):
        show_table(df.round(3), "optimiser_candidates", "opt_dl_all", height=360)
