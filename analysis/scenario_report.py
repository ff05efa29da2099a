"""``rtwsim report``: one self-contained HTML file comparing scenarios, for readers who install nothing.

This module runs the scenarios and assembles the sections; ``presentation`` draws them (the same
figures as the app: survival on benefit, queues and caseloads over time, the budget by year with
95% bands, Kaplan-Meier by randomised arm) and writes the page with plotly.js inlined once. The
first scenario is the baseline of every paired difference (common random numbers).
"""
from __future__ import annotations

import html
from datetime import date

from model.headline import key_table
from model.economics import compare_budgets
from model.experiment import compare
from presentation import figures
from presentation.html import Raw, page, table_html
from presentation.tables import evidence_table, trial_tables


def evidence_section(scenarios, evidence: list[str], years: int, seed: int, jobs: int, progress=None) -> str:
    """One table: the comparison's key outcomes and budget effect under each evidence base."""
    from model.evidence import load_evidence
    from model.evidence_compare import compare_under_evidence

    ec = compare_under_evidence(scenarios, evidence, seed=seed, weeks=years * 52, jobs=jobs,
                                progress=(lambda ev, d, t: progress(d, t)) if progress else None)
    items = "".join(f"<li><b>{html.escape(e)}</b>: {html.escape(load_evidence(e).description)}</li>" for e in evidence)
    return ("<h2>Under each body of evidence</h2><p>The same comparison with each evidence base's accepted "
            "parameter sets (one replication per set); differences against the first scenario, mean (95% CI).</p>"
            f"<ul>{items}</ul>" + table_html(evidence_table(ec.table(), "en")))


def build_report(scenarios, reps: int = 10, seed: int = 1, years: int = 10, jobs: int = 1, progress=None,
                 parameter_sets=None, parameter_sets_name: str | None = None,
                 evidence: list[str] | None = None) -> str:
    """Run the scenarios on common random numbers and return the report as one HTML string.

    With ``parameter_sets`` (a list, a calibrated set name, or one evidence base's sets) replication r
    of every scenario uses set r mod K, so the budget intervals include calibration uncertainty and
    say so; ``evidence`` (names) adds a table of the comparison under each of those evidence bases."""
    from analysis.budget_text import headline_lines, totals_table, year_table
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
    esc = html.escape
    sections: list[tuple[str, object]] = [
        ("Scenarios", Raw("<ul>" + "".join(
            f"<li><b>{esc(n)}</b>: {esc(r.scenario.description)} <i>Source: {esc(r.scenario.source)}</i>"
            + (f" <b>[{esc(effect_note(r.scenario))}]</b>" if n != base and effect_note(r.scenario) else "")
            + "</li>" for n, r in comp.results.items()) + "</ul>"))]
    if evidence:
        sections.append(("", Raw(evidence_section(scenarios, evidence, years, seed, jobs, progress))))
    sections += [("Outcomes, all citizens (mean, 95% CI)", outcomes),
                 ("Time back to work", figures.survival_figure(comp)),
                 ("Queues and caseloads", figures.capacity_figure(comp))]
    km = figures.km_figure(comp)
    if km is not None:
        sections.append(("Trial-shaped outputs (randomised scenarios)", km))
        for name, w in trial_tables(comp):
            sections.append(("", Raw(f"<h3>{esc(name)}: by randomised arm (intention to treat) and diagnosis group, "
                                     f"mean over replications (95% CI)</h3>{table_html(w)}")))
    if budgets:
        sections.append(("Budget by year", figures.budget_figure(budgets)))
        for name, bc in budgets.items():
            h = bc.headline(seed=seed)
            note = effect_note(comp.results[name].scenario)
            assumed = getattr(getattr(comp.results[name].scenario, "costing", None), "effect", "") == "assumed"
            sections.append(("", Raw(
                f"<h3>{esc(name)} against {esc(base)}" + (f" [{esc(note)}]" if note else "") + "</h3>"
                + "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in headline_lines(h, assumed or bool(note))) + "</ul>"
                + "<h4>Per payer and view: undiscounted and present value</h4>" + table_html(totals_table(bc.totals()))
                + table_html(year_table(bc.by_year())))))
    sections.append(("", Raw(
        "<p class='note'>Net effect = baseline cost - scenario cost for municipality, state and region; employer "
        "payments are shown but not part of the public total. Benefit rates per year come from the versioned rate "
        "table (model/rates/), most figures are secondary sources or assumptions: see docs/economics.md and each "
        "scenario file's header.</p>")))
    intro = [f"{reps} replications per scenario on common random numbers (seed {seed}), {years} simulated years; "
             f"baseline of the differences: {base}. Intervals are 95% t-intervals over replications (payback and "
             f"cost per return: bootstrap); they include {uncertainty}. Generated {date.today().isoformat()}."]
    return page(f"rtwsim report: {', '.join(comp.results)}", sections, lang="en", intro=intro)
