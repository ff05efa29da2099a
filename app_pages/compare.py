"""Page 2, compare scenarios: two or more on common random numbers, differences with intervals.

The first scenario is the baseline. Differences are paired by replication
(``Comparison.differences()``); the plain-language summary computes the extra returns to work per
year from the per-replication outputs (``returns_per_year.<pathway>`` summed over pathways).
"""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from model import Comparison, Scenario, ScenarioError

from presentation import figures as charts
from presentation import labels, numbers
from presentation.tables import evidence_table, trial_tables

from .common import (DEFAULT_COMPARE, cached_compare, ci_caption, fmt_num, interval_of, library_names, load_library,
                     progress_bar, readable_summary, report_download, run_button, say_if_cancelled,
                     show_table, start_checks, total_returns_per_year)
from .explorer import EDITED, run_settings
from .i18n import GROUP_LABELS, bound, evidence_label, group_label, lang, metric_label, t, term

STATE = "compare"   # {"comparison", "names", "reps", "seed", "seconds", "hits"}
# the shares still on benefit are the headline of durations (a median cannot move past a point mass); the
# median stays in the table
DIFF_METRICS = ["recovered_share", "mean_benefit_weeks", "still_on_benefit_13w", "still_on_benefit_26w",
                "still_on_benefit_39w", "still_on_benefit_52w", "median_benefit_weeks", "jobafklaring_share",
                "treatment_wait_weeks", "consultant_wait_weeks", "relapse_share", "returns_per_year"]


def plain_summary(cmp: Comparison) -> list[dict]:
    """Per non-baseline scenario: extra returns per year, recovered share and benefit weeks (paired, 95%)."""
    base = cmp.results[cmp.baseline]
    b_ret = total_returns_per_year(base.outputs)
    b_out = base.outputs.set_index("replication")
    diffs = cmp.differences()
    out = []
    for name, res in cmp.results.items():
        if name == cmp.baseline:
            continue
        d = total_returns_per_year(res.outputs) - b_ret
        r_m, r_lo, r_hi = interval_of(d, res.n_sets)
        s_out = res.outputs.set_index("replication")
        rows = diffs[diffs["scenario"] == name].set_index("output")

        def pick(output):
            if output not in rows.index:
                return float("nan"), float("nan"), float("nan")
            r = rows.loc[output]
            return float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])

        out.append({"scenario": name, "baseline": cmp.baseline, "reps": len(d),
                    "returns": (r_m, r_lo, r_hi), "recovered": pick("recovered_share.all"),
                    "weeks": pick("mean_benefit_weeks.all"),
                    "recovered_base": float(b_out["recovered_share.all"].mean()),
                    "recovered_scn": float(s_out["recovered_share.all"].mean()),
                    "horizon": res.scenario.recovery_horizon_weeks, "differs": differences_in_kind(res, base)})
    return out


def differences_in_kind(res, base) -> list[str]:
    """What makes totals (returns per year) incomparable: other citizens or another horizon."""
    a, b = res.scenario, base.scenario
    out = [k for k in ("arrivals", "population") if getattr(a, k) != getattr(b, k)]
    if res.weeks != base.weeks or a.warmup_weeks != b.warmup_weeks or a.recovery_horizon_weeks != b.recovery_horizon_weeks:
        out.append("horizon")
    return out


def _pp(x: float, signed: bool = True) -> str:
    """A difference of shares in percentage points, as a number (the sentence names the unit)."""
    return fmt_num(100 * x, 1, signed)


def summary_sentences(item: dict) -> list[str]:
    if item.get("differs"):   # totals are not comparable: quote per-citizen differences only, and say why
        m, lo, hi = item["recovered"]
        w, wlo, whi = item["weeks"]
        lines = [t("summary_per_citizen", base=item["baseline"], name=item["scenario"],
                   why=", ".join(t(f"differs_{k}") for k in item["differs"]), h=item["horizon"],
                   x=_pp(m), lo=_pp(lo), hi=_pp(hi), w=fmt_num(w, 2, True), wlo=fmt_num(wlo, 2, True),
                   whi=fmt_num(whi, 2, True))]
        if lo <= 0 <= hi:
            lines.append(t("summary_uncertain", reps=item["reps"]))
        return lines
    r_m, r_lo, r_hi = item["returns"]
    more = t("more") if r_m >= 0 else t("fewer")
    lines = [t("summary_returns", base=item["baseline"], name=item["scenario"], x=fmt_num(abs(r_m)), more=more,
               lo=fmt_num(r_lo), hi=fmt_num(r_hi))]
    m, lo, hi = item["recovered"]
    lines.append(t("summary_recovered", h=item["horizon"], x=_pp(m), lo=_pp(lo), hi=_pp(hi),
                   b=numbers.percent(item["recovered_base"], 1, lang()), s=numbers.percent(item["recovered_scn"], 1, lang())))
    m, lo, hi = item["weeks"]
    lines.append(t("summary_weeks", x=fmt_num(m, 2, True), lo=fmt_num(lo, 2, True), hi=fmt_num(hi, 2, True)))
    if r_lo <= 0 <= r_hi:
        lines.append(t("summary_uncertain", reps=item["reps"]))
    return lines


def _choices() -> tuple[list[str], dict[str, Scenario]]:
    names = library_names()
    extra = {}
    edited = st.session_state.get(EDITED)
    if edited is not None and edited.name not in names:
        extra[edited.name] = edited   # the scenario edited (or uploaded) on the explorer page
    for name, sc in st.session_state.get("inv_plans", {}).items():   # plans sent from the Investment page
        if name not in names:
            extra[name] = sc
    return names + list(extra), extra


def show_comparison(entry: dict) -> None:
    cmp: Comparison = entry["comparison"]
    st.caption(t("compare_results_for", n=len(cmp.results), reps=entry["reps"], seed=entry["seed"], base=cmp.baseline))
    st.subheader(t("summary_head"))
    for item in plain_summary(cmp):
        with st.container(border=True, key=f"cmp_summary_{item['scenario']}"):
            from model.evidence import effect_note

            note = effect_note(cmp.results[item["scenario"]].scenario)
            if note:
                st.caption(f"⚠ {item['scenario']}: {t('effect_assumed_short')}")
            c = st.columns(3)
            r_m, r_lo, r_hi = item["returns"]
            with c[0]:
                if item["differs"]:
                    st.metric(t("returns_year"), "-", help=term("raskmelding"))
                    st.caption(t("returns_not_comparable"))
                else:
                    st.metric(t("returns_year"), fmt_num(r_m, 1, True), help=term("raskmelding"))
                    st.caption(ci_caption(fmt_num(r_lo, 1, True), fmt_num(r_hi, 1, True)))
            m, lo, hi = item["recovered"]
            with c[1]:
                st.metric(t("recovered", h=item["horizon"]), numbers.points(m, 1, lang()))
                st.caption(ci_caption(numbers.points(lo, 1, lang()), numbers.points(hi, 1, lang())))
            m, lo, hi = item["weeks"]
            with c[2]:
                st.metric(t("mean_weeks"), fmt_num(m, 2, True), help=term("sygedagpenge"))
                st.caption(ci_caption(fmt_num(lo, 2, True), fmt_num(hi, 2, True)))
            st.markdown(" ".join(summary_sentences(item)))
    st.warning(t("caveat"))
    from model.evidence import effect_note

    assumed = [n for n, r in cmp.results.items() if n != cmp.baseline and effect_note(r.scenario)]
    if assumed:
        st.warning(t("effect_assumed_names", names=", ".join(assumed)))
    base_sc = cmp.results[cmp.baseline].scenario
    unpaired = [name for name, res in cmp.results.items()
                if res.scenario.arrivals != base_sc.arrivals or res.scenario.population != base_sc.population]
    if unpaired:
        st.info(t("not_paired", names=", ".join(unpaired), base=cmp.baseline))

    diffs = cmp.differences()
    st.subheader(t("differences"))
    show_table(readable_summary(diffs, signed=True, metrics=DIFF_METRICS), "differences_key", "cmp_dl_diff_key")
    with st.expander(t("all_outputs")):
        show_table(diffs, "differences_all", "cmp_dl_diff_all", height=360)

    pl = {p: group_label(p) for p in GROUP_LABELS}
    curves = {name: res.benefit_curve() for name, res in cmp.results.items()}
    f1 = charts.overlaid_curves_figure(curves, pl, t("benefit_curve"), t("weeks_since_entry"), t("share_on_benefit"),
                                        lang=lang())
    st.plotly_chart(f1, width="stretch", key="cmp_curves")
    summary = cmp.summary()
    rows = summary[summary["metric"] == "recovered_share"].copy()
    rows["label"] = [group_label(g) for g in rows["group"]]
    rows = rows.rename(columns={"scenario": "series"})
    f2 = charts.interval_bars_figure(rows, t("recovered", h=cmp.results[cmp.baseline].scenario.recovery_horizon_weeks),
                                     metric_label("recovered_share"), pct=True, colour_by="series",
                                     lang=lang())
    weekly = []
    for name, res in cmp.results.items():
        w = res.weekly
        active = [c for c in w.columns if c.startswith("active.")]
        weekly.append(pd.DataFrame({"replication": w["replication"], "week": w["week"], name: w[active].sum(axis=1)}))
    wk = weekly[0]
    for w in weekly[1:]:
        wk = wk.merge(w, on=["replication", "week"])
    f3 = charts.weekly_figure(wk, {n: n for n in cmp.results}, t("overlaid_capacity"), t("week"), t("on_benefit_now"),
                              cmp.results[cmp.baseline].scenario.warmup_weeks, lang=lang())
    st.plotly_chart(f2, width="stretch", key="cmp_recovered")
    st.plotly_chart(f3, width="stretch", key="cmp_onbenefit")
    show_trial_outputs(cmp)

    st.subheader(t("side_by_side"))
    side = readable_summary(summary, metrics=DIFF_METRICS)
    show_table(side, "side_by_side", "cmp_dl_side", height=360)
    sentences = [s for item in plain_summary(cmp) for s in summary_sentences(item)]
    report_download("rtwsim: " + " vs ".join(cmp.results),
                    [s.replace("**", "") for s in sentences] + [t("caveat")],
                    [(t("differences"), readable_summary(diffs, signed=True, metrics=DIFF_METRICS).drop(columns=["output"])),
                     (t("benefit_curve"), f1), (metric_label("recovered_share"), f2), (t("overlaid_capacity"), f3),
                     (t("side_by_side"), side.drop(columns=["output"]))],
                    "comparison_report.html", "cmp_dl_report")


ALL, NONE = "all", "none"   # selector values; labels come from i18n


def evidence_selector(prefix: str) -> str:
    """The evidence selector ('all' by default, each shipped evidence base, or none = the scenario files'
    parameters). Returns the choice; the Investment page can call it with its own key prefix."""
    from model.evidence import known_evidence

    words, ev_name = {ALL: t("evidence_all"), NONE: t("evidence_none")}, bound(labels.evidence_label)
    options = [ALL, *known_evidence(), NONE]
    choice = st.selectbox(t("evidence_select"), options, index=0, key=f"{prefix}_evidence",
                          format_func=lambda o: words.get(o) or ev_name(o), help=t("evidence_help"))
    return "" if choice == NONE else choice


def compare_by_evidence(scenarios: list[Scenario], choice: str, reps: int, seed: int, jobs: int = 1,
                        progress=None):
    """Run (cached) the comparison under each chosen evidence base: ``model.evidence_compare.EvidenceComparison``.

    ``choice`` is 'all' or one evidence name. Replication r uses the evidence's accepted set r mod K."""
    from model.evidence import resolve_evidence
    from model.evidence_compare import evidence_comparison

    names = resolve_evidence(choice)
    comps, hits = {}, 0
    for k, ev in enumerate(names):
        step = (lambda d, n, k=k: progress(k * n + d, n * len(names))) if progress else None
        cmp, h = cached_compare(scenarios, reps, seed, jobs, step, f"evidence/{ev}")
        comps[ev], hits = cmp, hits + h
    return evidence_comparison(comps, seed), hits


def show_evidence_table(ec) -> None:
    """One table: key outcomes and the budget effect under each evidence base, with the effect note."""
    from model.evidence import EFFECT_ASSUMED, load_evidence

    st.subheader(t("evidence_table"))
    st.caption(t("evidence_table_help"))
    raw = ec.table()
    st.dataframe(evidence_table(raw, lang(), evidence_label), hide_index=True, key="cmp_evidence_table")
    for ev in ec.comparisons:
        st.caption(f"**{evidence_label(ev)}**: "
                   f"{labels.evidence_description(ev, lang(), load_evidence(ev).description)}")
    if len(raw) and raw["note"].astype(str).str.startswith(EFFECT_ASSUMED).any():
        st.warning(t("effect_assumed_warning"))


def show_trial_outputs(cmp: Comparison) -> None:
    """Kaplan-Meier curves by randomised arm with 95% bands and the trial table (model.trial), for randomised
    scenarios: what a trial of the scenario would report."""
    fig = charts.km_figure(cmp, lang=lang(), arm_name=lambda a: group_label(a))
    if fig is None:
        return
    st.subheader(t("trial_outputs"))
    st.caption(t("trial_outputs_help"))
    st.plotly_chart(fig, width="stretch", key="cmp_km")
    for name, table in trial_tables(cmp, lang()):
        st.markdown(f"**{name}**")
        st.dataframe(table, hide_index=True, key=f"cmp_trial_{name}")


def render() -> None:
    st.header(t("page_compare"))
    start_checks()
    say_if_cancelled()
    st.caption(t("compare_intro"))
    options, extra = _choices()
    default = [n for n in DEFAULT_COMPARE if n in options]
    pending = st.session_state.pop("cmp_pending_pick", None)   # set by the Investment page's "Put the plan in Compare"
    if pending:
        st.session_state["cmp_pick"] = [n for n in pending if n in options]
    picked = st.multiselect(t("compare_pick"), options, default=default, key="cmp_pick", help=term("crn"))
    if extra:
        st.caption(t("edited_option", name=", ".join(extra)))
    reps, seed, jobs = run_settings("cmp", wide=True)
    from model.parameter_sets import available_parameter_sets

    evidence = evidence_selector("cmp")
    psets = None
    if not evidence:
        none = t("calibration_none")
        psets = st.selectbox(t("calibration_sets"), [none, *available_parameter_sets()], key="cmp_psets",
                             help=t("calibration_sets_help"))
        psets = None if psets == none else psets
    clicked = run_button(t("compare_run"), key="cmp_run")
    if clicked:
        scenarios, error = [], None
        for n in picked:
            try:
                scenarios.append(extra[n] if n in extra else load_library(n))
            except ScenarioError as err:
                error = str(err)
        if error:
            st.error(error)
        elif len(scenarios) < 2 or len({s.name for s in scenarios}) < len(scenarios):
            st.error(t("compare_need_two"))
        else:
            bar, update = progress_bar()
            start = time.perf_counter()
            try:
                if evidence:
                    ec, hits = compare_by_evidence(scenarios, evidence, reps, seed, jobs, update)
                    cmp = next(iter(ec.comparisons.values()))
                    hits = hits // max(1, len(ec.comparisons))
                else:
                    ec, (cmp, hits) = None, cached_compare(scenarios, reps, seed, jobs, update, psets)
            except ScenarioError as err:
                st.error(str(err))
            else:
                st.session_state[STATE] = {"comparison": cmp, "names": [s.name for s in scenarios], "reps": reps,
                                           "seed": seed, "seconds": time.perf_counter() - start, "hits": hits,
                                           "parameter_sets": psets, "evidence": ec}
            bar.empty()
    entry = st.session_state.get(STATE)
    if entry is None:
        st.info(t("no_results", run=t("compare_run")))
        return
    st.caption(t("from_cache") if entry["hits"] == len(entry["names"]) else t("done_in", s=entry["seconds"]))
    if entry.get("parameter_sets"):
        st.caption(t("calibration_carried", name=entry["parameter_sets"]))
    ec = entry.get("evidence")
    if ec is not None:
        show_evidence_table(ec)
        names = list(ec.comparisons)
        pick = st.selectbox(t("evidence_details"), names, key="cmp_evidence_detail",
                            format_func=bound(labels.evidence_label)) if len(names) > 1 else names[0]
        st.caption(t("calibration_carried", name=evidence_label(pick)))
        entry = {**entry, "comparison": ec.comparisons[pick]}
    show_comparison(entry)
