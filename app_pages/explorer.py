"""Page 1, scenario explorer: pick or upload a scenario, adjust the levers, run, see the results.

Levers become dotted-path overrides (``Scenario.with_overrides``); only levers that differ from the
scenario's own values are applied, so an untouched scenario keeps its YAML (and its cache entry).
Results live in ``st.session_state["explorer"]`` and survive bad input on later reruns.
"""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from model import Scenario, ScenarioError

from presentation import figures as charts

from .common import (DEFAULT_REPS, DEFAULT_SEED, cached_run, ci_caption, default_jobs, fmt_value, input_problems,
                     interval_of, library_names, load_library, number_input, parse_uploads,
                     progress_bar, readable_summary, report_download, run_button, say_if_cancelled,
                     scenario_file_name, show_table, start_checks, table_downloads,
                     total_returns_per_year, upload_files)
from .i18n import (EFFECT_LABELS, GROUP_LABELS, effect_label, group_label, lang, metric_label, name_label,
                   scenario_description, t, term)

STATE = "explorer"          # last results: {"result", "yaml", "name", "reps", "seed", "seconds", "cached"}
EDITED = "explorer_scenario"  # the scenario as edited here (the compare page offers it)
# the shares still on benefit are the headline of durations (a median cannot move past a point mass); the
# median stays in the table
KEY_METRICS = ["recovered_share", "mean_benefit_weeks", "still_on_benefit_13w", "still_on_benefit_26w",
               "still_on_benefit_39w", "still_on_benefit_52w", "median_benefit_weeks", "jobafklaring_share",
               "treatment_wait_weeks", "consultant_wait_weeks", "relapse_share", "returns_per_year", "n_spells"]


# ---- input --------------------------------------------------------------------------------
def scenario_input() -> Scenario | None:
    """Library pick or upload; returns a validated scenario or None (with the message on the page)."""
    if not st.toggle(t("upload"), key="exp_source_upload", help=t("upload_help")):
        names = library_names()
        default = names.index("copenhagen_ibbis") if "copenhagen_ibbis" in names else 0
        name = st.selectbox(t("choose_scenario"), names, index=default, key="exp_scenario")
        try:
            sc = load_library(name)
        except ScenarioError as err:
            st.error(str(err))
            return None
    else:
        ups = st.file_uploader(t("upload"), type=None, accept_multiple_files=True, key="exp_upload",
                               help=t("upload_help"), label_visibility="collapsed")
        if not ups:
            st.info(t("upload_prompt"))
            return None
        try:
            scenarios, errors = parse_uploads(upload_files([(u.name, u.getvalue()) for u in ups]))
        except ScenarioError as err:
            st.error(str(err))
            return None
        for name, msg in errors.items():
            head = t("upload_invalid", name=name) if msg.startswith("invalid scenario") else None
            st.error(f"{head}\n\n```\n{msg}\n```" if head else msg)
        if not scenarios:
            return None
        pick = st.selectbox(t("upload_pick"), list(scenarios), key="exp_upload_pick") if len(scenarios) > 1 \
            else next(iter(scenarios))
        sc = scenarios[pick]
        st.success(t("upload_ok", name=sc.name))
    if scenario_description(sc):
        st.caption(scenario_description(sc))
    return sc


def _used_pools_and_providers(sc: Scenario) -> tuple[list[str], list[str]]:
    pools, providers = [], []
    for p in sc.used_pathways():
        pw = sc.pathways[p]
        if pw.consultant_pool not in pools:
            pools.append(pw.consultant_pool)
        if pw.treatment is not None:
            for prov in (pw.treatment.provider, pw.treatment.escalation.provider):
                if prov and sc.providers[prov].kind == "internal" and prov not in providers:
                    providers.append(prov)
    return pools, providers


def set_by_investment(sc: Scenario) -> set[str]:
    """Lever paths the scenario's investment plan sets when it is run (``model.investment.resolve``);
    editing them here would be replaced, so they are shown with the plan's values and locked."""
    inv = getattr(sc, "investment", None)
    if inv is None:
        return set()
    from model.investment import targets

    try:
        tg = targets(sc)
    except ValueError:
        return set()
    out = {f"allocation.places_per_year.{inv.pathway}", f"consultants.{tg['pool']}.count"}
    if tg["provider"]:
        out.add(f"providers.{tg['provider']}.therapists")
    return out


def levers(sc: Scenario) -> dict:
    """Widgets for the key levers; returns the overrides that differ from the scenario."""
    k = f"lv:{sc.name}:"
    values: dict[str, object] = {}
    fixed = set_by_investment(sc)
    if fixed:
        from model.investment import resolve

        shown = resolve(sc)   # the staff the plan buys, as simulated
    else:
        shown = sc
    with st.expander(t("levers"), expanded=True):
        st.caption(t("levers_help"))
        if fixed:
            st.info(t("levers_investment"))
        values["arrivals.per_year"] = number_input(
            st, t("arrivals_per_year"), 0.0, 100000.0, float(sc.arrivals.per_year), 10.0, key=k + "arr",
            help=t("arrivals_help"), disabled=sc.arrivals.mode != "poisson")
        # which populations the scenario covers (issue 17): the sick-listed, and optionally the second population
        cb = sc.cash_benefit
        values["cash_benefit.enabled"] = st.checkbox(t("cash_on"), cb.enabled, key=k + "cb", help=t("cash_help"))
        if values["cash_benefit.enabled"]:
            cols = st.columns(3)
            for col, (g, grp) in zip(cols, cb.groups()):
                values[f"cash_benefit.{g}.per_year"] = number_input(
                    col, t("cash_group_per_year", name=name_label(g)), 0.0, 100000.0, float(grp.per_year), 10.0,
                    key=k + f"cb:{g}")
        pools, providers = _used_pools_and_providers(sc)
        for pool in pools:
            st.markdown(f"**{t('pool', name=name_label(pool))}**")
            c1, c2 = st.columns(2)
            values[f"consultants.{pool}.count"] = number_input(
                c1, t("consultants"), 0, 1000, shown.consultants[pool].count, 1, key=k + f"cc:{pool}",
                disabled=f"consultants.{pool}.count" in fixed)
            values[f"consultants.{pool}.caseload_limit"] = number_input(
                c2, t("caseload_limit"), 0, 500, sc.consultants[pool].caseload_limit, 1, key=k + f"cl:{pool}",
                help=term("sagsstamme"))
        for prov in providers:
            st.markdown(f"**{t('provider', name=name_label(prov))}**")
            c1, c2 = st.columns(2)
            values[f"providers.{prov}.therapists"] = number_input(
                c1, t("therapists"), 0, 500, shown.providers[prov].therapists, 1, key=k + f"th:{prov}",
                disabled=f"providers.{prov}.therapists" in fixed)
            values[f"providers.{prov}.slots_per_therapist"] = number_input(
                c2, t("slots"), 0, 200, sc.providers[prov].slots_per_therapist, 1, key=k + f"sl:{prov}")
        if ("integrated" in sc.used_pathways() or "integrated" in sc.allocation.places_per_year) and \
                "allocation.places_per_year.integrated" not in fixed:
            current = sc.allocation.places_per_year.get("integrated")
            unlimited = st.checkbox(t("places_unlimited"), current is None, key=k + "pl_unl")
            if not unlimited:
                values["allocation.places_per_year.integrated"] = int(number_input(
                    st, t("places"), 0, 100000, int(current if current is not None else 170), 10, key=k + "pl"))
            elif current is not None:
                values["allocation.places_per_year.integrated"] = None
        coordinated = [p for p in sc.used_pathways() if p == "integrated" or sc.pathways[p].meetings.count > 0
                       or sc.pathways[p].aftercare_weeks > 0]
        for p in coordinated:
            pw = sc.pathways[p]
            st.markdown(f"**{t('pathway_settings', name=group_label(p))}**")
            c1, c2 = st.columns(2)
            values[f"pathways.{p}.meetings.count"] = number_input(
                c1, t("meetings"), 0, 20, pw.meetings.count, 1, key=k + f"mt:{p}", help=term("trepartssamtale"))
            values[f"pathways.{p}.aftercare_weeks"] = number_input(
                c2, t("aftercare"), 0, 104, pw.aftercare_weeks, 1, key=k + f"ac:{p}", help=term("efterværn"))
        lo = sc.warmup_weeks + sc.recovery_horizon_weeks + 1
        values["horizon_weeks"] = st.slider(
            t("horizon"), min(lo, sc.horizon_weeks), max(520, sc.horizon_weeks), sc.horizon_weeks, 1, key=k + "hz",
            help=t("horizon_help", warmup=sc.warmup_weeks, rec=sc.recovery_horizon_weeks))
    overrides = {}
    for path, v in values.items():
        if path in fixed:
            continue
        old = sc.get_path(path) if not path.startswith("allocation.places_per_year.") else \
            sc.allocation.places_per_year.get(path.rsplit(".", 1)[1])
        if v != old and not (isinstance(v, float) and isinstance(old, (int, float)) and abs(v - old) < 1e-12):
            overrides[path] = v
    return overrides


def apply_levers(sc: Scenario, overrides: dict) -> Scenario:
    """The edited scenario (renamed ``<name>_edited`` when anything changed); raises ScenarioError."""
    if not overrides:
        return sc
    name = sc.name if sc.name.endswith("_edited") else f"{sc.name}_edited"
    return sc.with_overrides({**overrides, "name": name})


def run_settings(prefix: str, wide: bool = False) -> tuple[int, int, int]:
    c1, c2, c3 = st.columns(3) if wide else (*st.columns(2), st)
    reps = number_input(c1, t("reps"), 1, 500, DEFAULT_REPS, 1, key=f"{prefix}_reps", help=t("reps_help"))
    seed = number_input(c2, t("seed"), 0, 2**31 - 1, DEFAULT_SEED, 1, key=f"{prefix}_seed", help=t("seed_help"))
    jobs = number_input(c3, t("jobs"), 1, 8, default_jobs(), 1, key=f"{prefix}_jobs", help=t("jobs_help"))
    return int(reps), int(seed), int(jobs)


# ---- results ------------------------------------------------------------------------------
def _metric_card(col, label: str, metric: str, m: float, lo: float, hi: float, help_text: str | None = None) -> None:
    with col.container(border=True):
        st.metric(label, fmt_value(metric, m), help=help_text)
        st.caption(ci_caption(fmt_value(metric, lo), fmt_value(metric, hi)))


def _summary_row(summary: pd.DataFrame, output: str) -> tuple[float, float, float]:
    row = summary[summary["output"] == output]
    if row.empty:
        return float("nan"), float("nan"), float("nan")
    r = row.iloc[0]
    return float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])


def weekly_means(weekly: pd.DataFrame) -> pd.DataFrame:
    """Mean over replications per week of every numeric weekly column (the data behind the charts)."""
    cols = [c for c in weekly.columns if c not in {"replication", "week", "year"}]
    return weekly.groupby("week", as_index=False)[cols].mean()


def show_results(entry: dict) -> None:
    res = entry["result"]
    sc = res.scenario
    summary = res.summary()
    h = sc.recovery_horizon_weeks
    st.caption(t("results_for", name=sc.name, reps=entry["reps"], seed=entry["seed"], weeks=res.weeks))

    c = [*st.columns(2), *st.columns(2)]
    _metric_card(c[0], t("recovered", h=h), "recovered_share", *_summary_row(summary, "recovered_share.all"),
                 help_text=term("raskmelding"))
    _metric_card(c[1], t("mean_weeks"), "mean_benefit_weeks", *_summary_row(summary, "mean_benefit_weeks.all"),
                 help_text=term("sygedagpenge"))
    _metric_card(c[2], t("to_jobafklaring"), "jobafklaring_share", *_summary_row(summary, "jobafklaring_share.all"),
                 help_text=term("jobafklaring"))
    m, lo, hi = interval_of(total_returns_per_year(res.outputs), res.n_sets)
    _metric_card(c[3], t("returns_year"), "returns_per_year", m, lo, hi)

    pl = {p: group_label(p) for p in GROUP_LABELS}
    tabs = st.tabs([t("tab_curve"), t("tab_outcomes"), t("tab_capacity"), t("tab_util"), t("tab_effects"),
                    t("tab_all")])
    figs = []
    with tabs[0]:
        curve = res.benefit_curve()
        fig = charts.benefit_curve_figure(curve, pl, t("benefit_curve"), t("weeks_since_entry"), t("share_on_benefit"),
                                          lang=lang())
        st.plotly_chart(fig, width="stretch", key="exp_curve")
        st.caption(t("benefit_curve_caption"))
        figs.append((t("benefit_curve"), fig))
        cb = charts.band_stats(curve, ["pathway", "week"], "on_benefit_share").drop(columns=["std"])
        table_downloads(cb.rename(columns={"count": "replications", "lo": "ci_low", "hi": "ci_high"}),
                        f"{sc.name}_benefit_curve", "exp_dl_curve")
    with tabs[1]:
        rows = summary[summary["metric"].isin(["recovered_share"])].copy()
        rows["label"] = [group_label(g) for g in rows["group"]]
        f1 = charts.interval_bars_figure(rows, t("recovered", h=h), metric_label("recovered_share"), pct=True,
                                         lang=lang())
        rows = summary[summary["metric"].isin(["mean_benefit_weeks", "median_benefit_weeks"])].copy()
        rows["label"] = [group_label(g) for g in rows["group"]]
        rows["series"] = [metric_label(m) for m in rows["metric"]]
        f2 = charts.interval_bars_figure(rows, t("mean_weeks"), t("week"), colour_by="series",
                                         lang=lang())
        st.plotly_chart(f1, width="stretch", key="exp_recovered")
        st.plotly_chart(f2, width="stretch", key="exp_durations")
        figs += [(t("recovered", h=h), f1), (t("mean_weeks"), f2)]
        key_table = readable_summary(summary, metrics=KEY_METRICS)
        show_table(key_table, f"{sc.name}_outcomes", "exp_dl_outcomes")
    with tabs[2]:
        weekly = res.weekly
        cl = {c: name_label(c.split(".", 1)[1]) for c in weekly.columns if c.startswith("caseload_mean.")}
        tq = {c: name_label(c.split(".", 1)[1]) for c in weekly.columns if c.startswith("treatment_queue.")}
        cq = {c: name_label(c.split(".", 1)[1]) for c in weekly.columns if c.startswith("consultant_queue.")}
        f3 = charts.weekly_figure(weekly, cl, t("caseload_per_consultant"), t("week"), t("caseload_per_consultant"),
                                  sc.warmup_weeks, lang=lang())
        f4 = charts.weekly_figure(weekly, tq, t("treatment_waiting"), t("week"), t("treatment_waiting"), sc.warmup_weeks,
                                  lang=lang())
        st.plotly_chart(f3, width="stretch", key="exp_caseload")
        st.plotly_chart(f4, width="stretch", key="exp_tqueue")
        figs += [(t("caseload_per_consultant"), f3), (t("treatment_waiting"), f4)]
        if any(weekly[c].max() > 0 for c in cq):
            f5 = charts.weekly_figure(weekly, cq, t("consultant_waiting"), t("week"), t("consultant_waiting"),
                                      sc.warmup_weeks, lang=lang())
            st.plotly_chart(f5, width="stretch", key="exp_cqueue")
            figs.append((t("consultant_waiting"), f5))
        st.caption(t("capacity_caption"))
        cap = readable_summary(summary, metrics=["caseload_mean", "caseload_max", "consultant_queue", "stretch",
                                                 "treatment_queue"])
        show_table(cap, f"{sc.name}_capacity", "exp_dl_capacity")
        table_downloads(weekly_means(weekly), f"{sc.name}_weekly_means", "exp_dl_weekly")
    with tabs[3]:
        rows = summary[summary["metric"].isin(["hours_utilisation", "therapist_utilisation"])].copy()
        rows["label"] = [name_label(g) for g in rows["group"]]
        rows["series"] = [metric_label(m) for m in rows["metric"]]
        f6 = charts.interval_bars_figure(rows, t("utilisation"), t("utilisation"), pct=True, colour_by="series",
                                         lang=lang())
        st.plotly_chart(f6, width="stretch", key="exp_util")
        st.caption(t("utilisation_caption"))
        figs.append((t("utilisation"), f6))
        util = readable_summary(summary, metrics=["hours_utilisation", "therapist_utilisation"])
        show_table(util, f"{sc.name}_utilisation", "exp_dl_util")
    with tabs[4]:
        eff = res.effect_summary()
        f7 = charts.effects_figure(eff, {e: effect_label(e) for e in EFFECT_LABELS}, pl, t("effects"),
                                   t("hazard_multiplier"), lang=lang())
        st.plotly_chart(f7, width="stretch", key="exp_effects")
        st.caption(t("effects_caption"))
        figs.append((t("effects"), f7))
        eff_table = pd.DataFrame({
            t("pathway_col"): [group_label(p) for p in eff["pathway"]],
            t("effect_col"): [effect_label(e) for e in eff["effect"]],
            t("hazard_multiplier"): eff["hazard_multiplier"].round(3),
            "mean_log_hazard": eff["mean_log_hazard"].round(4),
            "ci_low": eff["ci_low"].round(4), "ci_high": eff["ci_high"].round(4),
            "pathway": eff["pathway"], "effect": eff["effect"]})
        show_table(eff_table, f"{sc.name}_effects", "exp_dl_effects")
    with tabs[5]:
        st.markdown(f"**{t('all_outputs')}**")
        show_table(summary, f"{sc.name}_summary", "exp_dl_summary", height=360)
        st.markdown(f"**{t('per_replication')}**")
        show_table(res.outputs, f"{sc.name}_outputs", "exp_dl_outputs", height=300)

    key_table = readable_summary(summary, metrics=KEY_METRICS)
    report_download(f"rtwsim: {sc.name}", [scenario_description(sc), t("results_for", name=sc.name, reps=entry["reps"],
                                                                          seed=entry["seed"], weeks=res.weeks)],
                    [(t("outcomes"), key_table.drop(columns=["output"])), *figs], f"{sc.name}_report.html",
                    "exp_dl_report")


# ---- page ---------------------------------------------------------------------------------
def render() -> None:
    st.header(t("page_explorer"))
    start_checks()
    say_if_cancelled()
    left, right = st.columns([1.3, 2.7], gap="large")
    with left:
        base = scenario_input()
        edited, problem = None, None
        if base is not None:
            overrides = levers(base)
            try:
                edited = apply_levers(base, overrides)
            except ScenarioError as err:
                problem = str(err)
            if overrides and edited is not None:
                st.caption(t("changed_levers", n=len(overrides)))
        reps, seed, jobs = run_settings("exp")
        if problem:
            st.error(f"{t('invalid_levers')}\n\n```\n{problem}\n```")
        if input_problems():
            edited = None   # an out-of-range field: nothing to run or download until it is fixed
        clicked = run_button(t("run"), key="exp_run", disabled=edited is None, width="stretch")
        if edited is not None:
            st.session_state[EDITED] = edited
            st.download_button(f"⬇ {t('download_yaml')}", edited.to_yaml().encode("utf-8"), scenario_file_name(edited),
                               "application/x-yaml", key="exp_dl_yaml", help=t("download_yaml_help"), width="stretch",
                               on_click="ignore")
    with right:
        if clicked and edited is not None:
            bar, update = progress_bar()
            start = time.perf_counter()
            try:
                res, hit = cached_run(edited, reps, seed, jobs, update)
            except ScenarioError as err:
                bar.empty()
                st.error(str(err))
            else:
                bar.empty()
                st.session_state[STATE] = {"result": res, "yaml": edited.to_yaml(), "name": edited.name, "reps": reps,
                                           "seed": seed, "seconds": time.perf_counter() - start, "cached": hit}
        entry = st.session_state.get(STATE)
        if entry is None:
            st.info(t("no_results", run=t("run")))
            return
        if entry["cached"]:
            st.caption(t("from_cache"))
        else:
            st.caption(t("done_in", s=entry["seconds"]))
        current = edited.to_yaml() if edited is not None else None
        if current != entry["yaml"] or reps != entry["reps"] or seed != entry["seed"]:
            st.warning(t("stale", name=entry["name"], reps=entry["reps"], seed=entry["seed"], run=t("run")))
        show_results(entry)
