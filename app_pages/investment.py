"""Page 3, investment planner: a plan (budget per year, funded years, split, target group) becomes
staff and places, is simulated exactly as typed, and shows its outcomes and budget year by year
against a baseline on common random numbers.

The plan is data (``model.investment.Investment``): the page builds one from the widgets, puts it in
the scenario's ``investment:`` block (replacing any built-in investment) and runs the scenario;
``model.run`` applies it with ``model.investment.resolve``, so the staff shown in *What the plan
buys* are the staff simulated (one rounding rule, ``whole_fte``). A scenario without an investment
gets none unless the planner switches a plan on. Plans can be saved (YAML), loaded and sent to Compare.
"""
from __future__ import annotations

import datetime as _dt
import io
import math
import time

import pandas as pd
import streamlit as st

from presentation import numbers
from presentation.budget_quantities import year_rows

from .i18n import METRIC_LABELS, lang, metric_label, name_label, t, term, translate_warning
from .modules import available, load, not_available

STATE = "investment"
PLANS = "inv_plans"          # {name: Scenario} sent to Compare (plan scenarios and their baselines)
MIO = 1e6
NEEDS = ("model.economics", "model.investment")
DEFAULT_PAIRS = [("hjorring_investment", "hjorring_before_investment"), ("copenhagen_ibbis", "baseline_standard")]
SPLIT_LINES = [("consultants", "inv_line_consultants"), ("health_staff", "inv_line_health"),
               ("treatment", "inv_line_treatment")]
YEAR_COLUMNS = ("plan_cost", "cost_scenario", "cost_baseline", "extra_effort_cost", "benefit_savings",
                "net.municipality", "net.state", "net.region", "net.total", "cumulative_net", "extra_returns")
"""The lines of the app's year table (labels: presentation/budget_quantities.py, shared with CLI and workbook)."""


def current_year() -> int:
    return _dt.date.today().year


def _defaults(sc) -> dict:
    """Start values: the scenario's own plan per year for the modelled group, else 5 mio. a year; the
    current year; the whole budget for the modelled group (share 1)."""
    inv = sc.investment
    if inv is None:
        return {"on": False, "per_year": 5.0, "years": 4, "split": {"consultants": 0.5, "health_staff": 0.5, "treatment": 0.0},
                "note": None}
    by_year = inv.dkk_by_year()   # already the modelled group's share
    years = inv.funded_years() or [sc.economics.start_year]
    note = None
    if inv.share_for_target_group < 1:
        note = t("inv_builtin_share", share=f"{inv.share_for_target_group:.0%}",
                 total=f"{sum(by_year.values()) / inv.share_for_target_group / len(years) / MIO:.2f}",
                 per_year=f"{sum(by_year.values()) / len(years) / MIO:.2f}", reason=inv.target_group_reason)
    return {"on": True, "per_year": sum(by_year.values()) / len(years) / MIO, "years": len(years),
            "split": {k: inv.split.get(k, 0.0) for k, _ in SPLIT_LINES}, "note": note}


def _apply_upload(k: str) -> None:
    """Load a saved plan into the widgets (once per uploaded file); a bad file gets a named message."""
    from model.investment import plan_from_yaml

    up = st.session_state.get("inv_upload")
    if up is None or st.session_state.get("inv_upload_done") == up.file_id:
        return
    st.session_state["inv_upload_done"] = up.file_id
    try:
        inv, _scn = plan_from_yaml(up.getvalue().decode("utf-8", errors="replace"), where=f"file {up.name}")
    except ValueError as err:
        st.session_state["inv_upload_error"] = str(err)
        return
    st.session_state.pop("inv_upload_error", None)
    by_year = {int(y): v for y, v in inv.dkk_by_year().items()}
    years = sorted(by_year)
    share = inv.share_for_target_group
    st.session_state[k + "on"] = True
    st.session_state[k + "dkk"] = round(sum(by_year.values()) / len(years) / share / MIO, 2)
    st.session_state[k + "start"] = years[0]
    st.session_state[k + "years"] = len(years)
    st.session_state[k + "target"] = float(share)
    st.session_state[k + "reason"] = inv.target_group_reason
    for line, _ in SPLIT_LINES:
        st.session_state[k + line] = int(round(100 * inv.split.get(line, 0.0)))


def plan_inputs(sc) -> tuple[dict | None, str | None, dict]:
    """Widgets for the plan; returns (plan terms or None for no plan, error message, terms for display)."""
    d = _defaults(sc)
    from .common import number_input

    k = f"inv:{sc.name}:"
    _apply_upload(k)
    on = st.toggle(t("inv_plan_on"), value=d["on"], key=k + "on", help=t("inv_plan_on_help"))
    if not on:
        st.caption(t("inv_no_plan"))
        return None, None, {}
    if d["note"]:
        st.caption(d["note"])
    c1, c2, c3 = st.columns(3)
    per_year = number_input(c1, t("inv_per_year"), 0.0, 10_000.0, round(float(d["per_year"]), 2), 0.5, key=k + "dkk")
    start = number_input(c2, t("inv_start"), 1990, 2100, current_year(), 1, key=k + "start", help=t("inv_start_help"))
    years = number_input(c3, t("inv_years"), 1, 20, int(d["years"]), 1, key=k + "years")
    c4, c5 = st.columns([1, 2])
    target = c4.slider(t("inv_target_share"), 0.05, 1.0, 1.0, 0.05, key=k + "target", help=t("inv_target_help"))
    reason = c5.text_input(t("inv_target_reason"), "", key=k + "reason", help=t("inv_target_reason_help"),
                           disabled=target >= 1.0)
    st.markdown(f"**{t('inv_split')}**")
    cols = st.columns(3)
    split = {}
    for col, (line, label) in zip(cols, SPLIT_LINES):
        split[line] = number_input(col, t(label), 0, 100, int(round(100 * d["split"][line])), 5, key=k + line,
                                       help=term("sagsstamme") if line == "consultants" else None) / 100
    terms = {"per_year": float(per_year), "start": int(start), "years": int(years), "target": float(target),
             "reason": reason.strip() if target < 1 else "", "split": split}
    total = sum(split.values())
    if abs(total - 1) > 1e-9:
        return None, t("inv_split_sum", pct=round(100 * total)), terms
    if target < 1 and not reason.strip():
        return None, t("inv_reason_needed", share=f"{target:.0%}"), terms
    return terms, None, terms


def build_plan(sc, base, terms: dict, horizon_years: int):
    """(scenario with the plan, baseline) for the run: the plan replaces any built-in investment; both
    start their calendar in the plan's first year and run ``horizon_years``. Raises ScenarioError/ValueError."""
    from model import ScenarioError
    from model.investment import plan

    weeks = {"horizon_weeks": horizon_years * 52}
    if terms:
        weeks["economics.start_year"] = terms["start"]
        inv = plan(terms["per_year"] * MIO, terms["years"], terms["start"], terms["split"],
                   share_for_target_group=terms["target"], target_group_reason=terms["reason"],
                   base=sc.investment, label=t("inv_label"))
        edited = sc.with_overrides({**weeks, "investment": inv.model_dump()})
    else:
        edited = sc.with_overrides({**weeks, "investment": None})
    base = base.with_overrides(weeks)
    if edited.name == base.name:
        raise ScenarioError(t("inv_same"))
    for s in (edited, base):
        s.economics.check_years(horizon_years)
    return edited, base


def conversion_view(conv: pd.DataFrame) -> pd.DataFrame:
    """What the plan buys (``model.investment.conversion``): FTE bought and the whole staff simulated."""
    cols = [("year", "inv_col_year"), ("dkk", "inv_col_dkk"), ("consultant_fte", "inv_col_cfte"),
            ("consultants_simulated", "inv_col_csim"), ("caseload_places", "inv_col_caseload"),
            ("therapist_fte", "inv_col_tfte"), ("therapists_simulated", "inv_col_tsim"),
            ("treatment_slots", "inv_col_slots"), ("places_per_year", "inv_col_places"),
            ("binding_line", "inv_col_binding")]
    out = pd.DataFrame({t(label): conv[c] for c, label in cols if c in conv.columns})
    if t("inv_col_dkk") in out:
        out[t("inv_col_dkk")] = (conv["dkk"] / MIO).round(2)
    for c, label in cols:
        if c in {"consultant_fte", "therapist_fte", "caseload_places", "treatment_slots"} and t(label) in out:
            out[t(label)] = conv[c].round(2)
    return out


def year_table(by_year: pd.DataFrame) -> pd.DataFrame:
    """Rows = quantities, columns = years, 'mean (95% interval)': the SØM layout finance officers know."""
    from model.economics import budget_year_table

    rows = year_rows(lang(), columns=[c for c in YEAR_COLUMNS if c in by_year.columns])
    return numbers.localise_table(budget_year_table(by_year, rows, quantity=t("inv_quantity"),
                                                    year_header=lambda y, cy: f"{y} ({cy})", missing="-"), lang())


def outcome_table(long: pd.DataFrame) -> pd.DataFrame:
    from model.plan_outcomes import outcome_year_table, quantity_label

    def label(q: str) -> str:
        if f"inv_q_{q}" in _KNOWN:
            return t(f"inv_q_{q}")
        metric, _, name = q.partition(".")   # a pool's or provider's quantity, named in words
        return f"{metric_label(metric)} ({name_label(name)})" if name and metric in METRIC_LABELS else quantity_label(q)

    labels = {q: label(q) for q in long["quantity"].unique()}
    return numbers.localise_table(outcome_year_table(long, labels, quantity=t("inv_quantity"),
                                                     plan_word=t("inv_plan_word"), diff_word=t("inv_diff_word")), lang())


_KNOWN = {"inv_q_returns", "inv_q_on_benefit", "inv_q_still_on_benefit", "inv_q_consultant_wait", "inv_q_treatment_wait",
          "inv_q_funded_pathway_entries", "inv_q_plan_cost"}


def _payback(x: float, years: int) -> str:
    return t("inv_year_n", n=int(x)) if math.isfinite(x) else t("inv_not_within", n=years)


def plan_workbook(entry: dict) -> bytes:
    """The numeric workbook `rtwsim budget` writes (one writer, presentation.workbook), with the
    plan's outcomes by year as one more sheet."""
    from presentation.workbook import budget_sheets, write_budget_workbook
    from model.plan_outcomes import sheet_of

    conv = entry["conversion"]
    sheets = budget_sheets(entry["budget"], entry["headline"], entry["plan_scenario"], reps=entry["reps"],
                           seed=entry["seed"], investment=conv if len(conv) else None,
                           parameter_sets=entry["parameter_sets"])
    sheets["Plan outcomes by year"] = sheet_of(entry["outcomes"])
    buf = io.BytesIO()
    write_budget_workbook(buf, sheets)
    return buf.getvalue()


def show_budget(entry: dict) -> None:
    from presentation import figures as charts

    from .common import ci_caption, cost_per_return_text, fmt_num, report_download, show_table
    lg = lang()
    by_year, head, conv = entry["by_year"], entry["headline"], entry["conversion"]
    st.caption(t("inv_results_for", name=entry["scenario"], base=entry["baseline"], reps=entry["reps"],
                 seed=entry["seed"], years=head["years"]))
    if entry.get("parameter_sets"):
        st.caption(t("calibration_carried", name=entry["parameter_sets"]))
    st.caption(f"{t('intervals_include')}: {translate_warning(entry['budget'].uncertainty)}")
    for note in entry.get("notes", []):
        st.caption(f"ⓘ {note}")
    c = [*st.columns(2), *st.columns(2)]
    with c[0].container(border=True):
        st.metric(t("inv_net_total_years", n=head["years"]), numbers.mdkk(head["net_total"], 2, lg, signed=True),
                  help=t("inv_net_help"))
        st.caption(ci_caption(numbers.mdkk(head["net_total.lo"], 2, lg, True), numbers.mdkk(head["net_total.hi"], 2, lg, True)))
    with c[1].container(border=True):
        st.metric(t("inv_payback"), _payback(head["payback_year"], head["years"]))
        st.caption(ci_caption(_payback(head["payback_year.lo"], head["years"]),
                              _payback(head["payback_year.hi"], head["years"])))
    with c[2].container(border=True):
        st.metric(t("inv_extra_returns"), fmt_num(head["extra_returns"], 0, True), help=term("raskmelding"))
        st.caption(ci_caption(fmt_num(head["extra_returns.lo"], 0, True), fmt_num(head["extra_returns.hi"], 0, True)))
    with c[3].container(border=True):
        v = head["net_cost_per_extra_return"]
        st.metric(t("inv_cost_per_return"), numbers.dkk(v, lg))
        lo, hi = head.get("net_cost_per_extra_return.lo", math.nan), head.get("net_cost_per_extra_return.hi", math.nan)
        st.caption(ci_caption(numbers.dkk(lo, lg), numbers.dkk(hi, lg)))
        st.caption(cost_per_return_text(v))  # a negative figure is a saving, in words (issue 14)

    rows = pd.DataFrame({"label": [str(int(y)) for y in by_year["calendar_year"]],
                         "mean": by_year["net.total"] / MIO, "ci_low": by_year["net.total.lo"] / MIO,
                         "ci_high": by_year["net.total.hi"] / MIO, "series": t("inv_net_total")})
    cum = pd.DataFrame({"label": [str(int(y)) for y in by_year["calendar_year"]],
                        "mean": by_year["cumulative_net"] / MIO, "ci_low": by_year["cumulative_net.lo"] / MIO,
                        "ci_high": by_year["cumulative_net.hi"] / MIO, "series": t("inv_cumulative")})
    fig = charts.interval_bars_figure(pd.concat([rows, cum]), t("inv_chart_title"), t("mio_unit"), colour_by="series",
                                      lang=lg)
    st.plotly_chart(fig, width="stretch", key="inv_chart")
    st.caption(t("inv_net_help"))
    st.subheader(t("inv_outcomes_by_year"))
    st.caption(t("inv_outcomes_help"))
    outcomes = outcome_table(entry["outcomes"])
    show_table(outcomes, "plan_outcomes_by_year", "inv_dl_outcomes")
    st.subheader(t("inv_by_year"))
    budget = year_table(by_year)
    show_table(budget, "budget_by_year", "inv_dl_table")
    with st.expander(t("inv_by_year_numbers")):
        show_table(by_year, "budget_by_year_numbers", "inv_dl_numbers", height=300)
    if len(conv):
        st.subheader(t("inv_buys"))
        show_table(conversion_view(conv), "investment_conversion", "inv_dl_conv")
    c1, c2, _ = st.columns([1, 1, 3])
    with c1:
        report_download(f"rtwsim: {entry['scenario']} vs {entry['baseline']}",
                        [t("inv_results_for", name=entry["scenario"], base=entry["baseline"], reps=entry["reps"],
                           seed=entry["seed"], years=head["years"]), *entry.get("notes", []), t("inv_outcomes_help")],
                        [(t("inv_outcomes_by_year"), outcomes), (t("inv_by_year"), budget), (t("inv_chart_title"), fig)]
                        + ([(t("inv_buys"), conversion_view(conv))] if len(conv) else []),
                        "plan_report.html", "inv_dl_report")
    c2.download_button(f"⬇ {t('inv_workbook')}", lambda: plan_workbook(entry), "plan.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="inv_dl_workbook",
                       on_click="ignore")


def _uncertainty_options() -> tuple[str | None, str]:
    """Calibration uncertainty and evidence: replication r uses accepted parameter set r mod K.

    Returns (parameter sets for the plan's own run, evidence choice). One evidence base replaces the
    calibration choice (its sets are a calibration's, with what carries over); 'all' (the default)
    adds the budget under every evidence base in one table, as on the Compare page."""
    from model.parameter_sets import available_parameter_sets

    from .compare import evidence_selector

    none = t("calibration_none")
    c1, c2 = st.columns(2)
    with c2:
        evidence = evidence_selector("inv")
    if evidence and evidence != "all":
        c1.caption(t("calibration_carried", name=f"evidence/{evidence}"))
        return f"evidence/{evidence}", evidence
    psets = c1.selectbox(t("calibration_sets"), [none, *available_parameter_sets()], key="inv_psets",
                         help=t("calibration_sets_help"))
    return (None if psets == none else psets), evidence


def _plan_name(sc, terms: dict) -> str:
    """A name for Compare (also a CSS-safe widget key): scenario, budget, years, first year, split."""
    s = terms["split"]
    mio = f"{terms['per_year']:g}".replace(".", "_")
    return (f"{sc.name}_plan_{mio}mio_{terms['years']}y_{terms['start']}_"
            f"{round(100 * s['consultants'])}-{round(100 * s['health_staff'])}-{round(100 * s['treatment'])}")


def render() -> None:
    st.header(t("page_investment"))
    if not all(available(m) for m in NEEDS):
        not_available(" + ".join(NEEDS))
        return
    economics, investment = load("model.economics"), load("model.investment")
    if economics is None or investment is None:
        return
    from model import ScenarioError
    from model.plan_outcomes import outcomes_by_year

    from .common import (cached_run, library_names, load_library, progress_bar, run_button, say_if_cancelled,
                         start_checks)
    from .explorer import run_settings

    start_checks()

    say_if_cancelled()
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
    st.file_uploader(t("inv_load_plan"), type=["yaml", "yml"], key="inv_upload", help=t("inv_load_plan_help"))
    if st.session_state.get("inv_upload_error"):
        st.error(st.session_state["inv_upload_error"])
    horizon_years = st.slider(t("inv_horizon"), 1, 10, max(1, min(10, math.ceil(sc.horizon_weeks / 52))), 1,
                              key="inv_horizon", help=t("inv_horizon_help"))
    terms, problem, shown = plan_inputs(sc)
    edited = None
    if problem is None:
        try:
            edited, base = build_plan(sc, base, terms, horizon_years)
        except (ScenarioError, ValueError) as err:
            problem, edited = str(err), None
    if problem:
        st.error(f"{t('invalid_plan')}\n\n```\n{problem}\n```")
    elif edited.investment is not None:
        conv = pd.DataFrame(investment.conversion(edited))
        if len(conv):
            st.markdown(f"**{t('inv_buys')}**")
            st.dataframe(conversion_view(conv), hide_index=True, width="stretch")
        for note in investment.plan_notes(edited):
            st.caption(f"ⓘ {note}")
        st.download_button(f"⬇ {t('inv_save_plan')}", investment.plan_yaml(edited.investment, sc.name),
                           "investment_plan.yaml", "application/x-yaml", key="inv_save_plan", on_click="ignore")
    psets, evidence = _uncertainty_options()
    reps, seed, jobs = run_settings("inv", wide=True)
    clicked = run_button(t("inv_run"), key="inv_run", disabled=edited is None)
    if clicked and edited is not None:
        bar, update = progress_bar()
        start = time.perf_counter()
        try:
            res, _ = cached_run(edited, reps, seed, jobs, lambda d, n: update(d, 2 * n), psets)
            bres, _ = cached_run(base, reps, seed, jobs, lambda d, n: update(n + d, 2 * n), psets)
            from model.experiment import named_parameter_sets

            sets = named_parameter_sets(psets) if psets else None
            bc = economics.compare_budgets(res, bres, uncertainty=economics.uncertainty_label(sets, psets, reps))
            if evidence == "all":  # the same plan under every body of evidence, one table
                from .compare import compare_by_evidence

                ec, _ = compare_by_evidence([base, edited], evidence, reps, seed, jobs)
            else:
                ec = None
            outcomes = outcomes_by_year(res, bres)
            by_year = bc.by_year()
            cost = outcomes[outcomes["quantity"] == "plan_cost"].set_index("year")
            by_year["plan_cost"] = by_year["year"].map(cost["plan"])
            by_year["plan_cost.lo"] = by_year["year"].map(cost["plan.lo"])
            by_year["plan_cost.hi"] = by_year["year"].map(cost["plan.hi"])
            entry = {"by_year": by_year, "headline": bc.headline(seed=seed), "outcomes": outcomes, "budget": bc,
                     "conversion": pd.DataFrame(investment.conversion(edited)), "scenario": edited.name,
                     "baseline": base.name, "reps": reps, "seed": seed, "parameter_sets": psets,
                     "notes": investment.plan_notes(edited), "seconds": time.perf_counter() - start, "evidence": ec,
                     "plan_name": _plan_name(sc, shown) if edited.investment is not None else None,
                     "plan_scenario": edited, "baseline_scenario": base,
                     "simulated": {**{f"consultants.{n}.count": c.count for n, c in res.scenario.consultants.items()},
                                   **{f"providers.{n}.therapists": v.therapists for n, v in res.scenario.providers.items()
                                      if v.kind == "internal"},
                                   **{f"pathways.{n}.consultant_pool": pw.consultant_pool
                                      for n, pw in res.scenario.pathways.items()}}}
        except (ScenarioError, ValueError) as err:
            st.error(str(err))
        else:
            st.session_state[STATE] = entry
        bar.empty()
    entry = st.session_state.get(STATE)
    if entry is None:
        st.info(t("no_results", run=t("inv_run")))
        return
    if entry.get("plan_name") and st.button(t("inv_to_compare"), key="inv_to_compare", help=t("inv_to_compare_help")):
        send_to_compare(entry)
        st.success(t("inv_sent", name=entry["plan_name"]))
    if entry.get("evidence") is not None:
        from .compare import show_evidence_table

        show_evidence_table(entry["evidence"])
    show_budget(entry)


def send_to_compare(entry: dict) -> None:
    """Put the plan (and its baseline, on the same calendar and horizon) among Compare's choices."""
    plans = dict(st.session_state.get(PLANS, {}))
    base = entry["baseline_scenario"]
    base_name = f"{base.name}_{base.economics.start_year}_{math.ceil(base.horizon_weeks / 52)}y"
    plans[base_name] = base.model_copy(update={"name": base_name})
    plans[entry["plan_name"]] = entry["plan_scenario"].model_copy(update={"name": entry["plan_name"]})
    st.session_state[PLANS] = plans
    picked = [n for n in st.session_state.get("cmp_pick", []) if n in plans]
    st.session_state["cmp_pending_pick"] = list(dict.fromkeys([base_name, *picked, entry["plan_name"]]))
