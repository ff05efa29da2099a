"""CLI commands ``rtwsim budget`` (SØM-style year table, CSV + Excel) and ``rtwsim report`` (one HTML file).

Registered by ``model.cli`` through ``register(subparsers)``; the simulation core stays free of
plotly and openpyxl.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from analysis.budget_workbook import budget_sheets, write_budget_workbook
from model.cli import (CliError, _parameter_sets, _progress, evidence_choice, jobs_int, parse_sets, positive_int, reps_int,
                       seed_int)
from model.economics import (SIM_ONLY, BudgetError, budget_cell, budget_year_table, compare_budgets,
                             uncertainty_label)
from model.experiment import run
from model.investment import conversion
from model.plan_outcomes import workbook_sheet as plan_outcomes_sheet
from model.rate_table import load_rate_table
from model.scenario import ScenarioError, load_scenario

MIO = 1e6

TABLE_ROWS = [  # (column, label, unit)
    ("cost_scenario", "Public cost, scenario", "mio"),
    ("cost_baseline", "Public cost, baseline", "mio"),
    ("extra_effort_cost", "Extra cost of the effort (staff, treatment, investment)", "mio"),
    ("benefit_savings", "Benefit savings (sickness + resource-course benefit)", "mio"),
    ("onward_savings", "Savings on onward-state benefits", "mio"),
    ("tax_gain", "Extra tax revenue", "mio"),
    ("net_service", "Net effect, service spending (under the spending ceiling)", "mio"),
    ("net_transfer", "Net effect, transfers (outside the ceiling)", "mio"),
    ("net.municipality", "Net effect, municipality", "mio"),
    ("net.state", "Net effect, state", "mio"),
    ("net.region", "Net effect, region", "mio"),
    ("net.total", "Net effect, public total", "mio"),
    ("net.municipality_after_block_grant", "Net effect, municipality after block-grant adjustment (approx.)", "mio"),
    ("cumulative_net", "Cumulative net effect", "mio"),
    ("pv.total", "Present value of the net effect, public total", "mio"),
    ("cumulative_pv", "Cumulative present value", "mio"),
    ("extra_returns", "Extra returns to work", "n"),
    ("cumulative_extra_returns", "Cumulative extra returns", "n"),
    ("employer_savings", "Employer savings (not public; info)", "mio"),
]


def year_table(by_year: pd.DataFrame) -> pd.DataFrame:
    """Rows = quantities, columns = years: 'mean (95% CI)' text, as a finance officer reads SØM."""
    return budget_year_table(by_year, TABLE_ROWS)


CONSOLE_BLOCKS = [
    ("Costs and savings (mio. DKK)", [("cost_scenario", "cost scenario"), ("cost_baseline", "cost baseline"),
                                      ("extra_effort_cost", "effort cost"), ("benefit_savings", "benefit savings"),
                                      ("onward_savings", "onward savings"), ("tax_gain", "tax gain")]),
    ("Net effect by payer (mio. DKK; + = public gains) and extra returns to work",
     [("net.municipality", "municipality"), ("net.state", "state"), ("net.region", "region"),
      ("net.total", "total"), ("cumulative_net", "cumulative"), ("cumulative_pv", "cumulative PV"),
      ("extra_returns", "extra returns")]),
]


def print_console_table(by_year: pd.DataFrame) -> None:
    """Two blocks of year rows that fit a terminal; the full table is in the CSV and workbook."""
    units = {c: u for c, _, u in TABLE_ROWS}
    for title, cols in CONSOLE_BLOCKS:
        rows = []
        for _, r in by_year.iterrows():
            row = {"year": f"{int(r['year'])} ({int(r['calendar_year'])})"}
            for c, label in cols:
                row[label] = budget_cell(r[c], r[c + ".lo"], r[c + ".hi"], units[c])
            rows.append(row)
        print(f"\n{title}; mean (95% CI)")
        print(pd.DataFrame(rows).to_string(index=False))


def headline_lines(h: dict, effect_assumed: bool | None = None) -> list[str]:
    """The headline in words; where the effect is assumed every payback is stated as conditional on it."""
    if effect_assumed is None:
        effect_assumed = h.get("effect") == "assumed"

    def pb(x):
        return f"year {int(x)}" if math.isfinite(x) else f"not within {h['years']} years"

    cond = " (CONDITIONAL on the assumed effect: the seed reports no measured outcome)" if effect_assumed else ""
    out = [f"Net effect, years 1-{h['years']}: {h['net_total'] / MIO:.2f} mio. DKK "
           f"(95% CI {h['net_total.lo'] / MIO:.2f} to {h['net_total.hi'] / MIO:.2f}); positive = public budget gains",
           f"Present value (discount rate {h.get('discount_rate', 0):.1%}): {h['npv.total'] / MIO:.2f} mio. DKK "
           f"(95% CI {h['npv.total.lo'] / MIO:.2f} to {h['npv.total.hi'] / MIO:.2f})",
           f"Payback year{cond}: {pb(h['payback_year'])} (95% bootstrap interval {pb(h['payback_year.lo'])} to "
           f"{pb(h['payback_year.hi'])}); on discounted flows {pb(h['payback_year_discounted'])} "
           f"({pb(h['payback_year_discounted.lo'])} to {pb(h['payback_year_discounted.hi'])}); paid back by year "
           f"{h['years']} in {100 * h['paid_back_share_of_replications']:.0f}% of replications",
           f"Extra returns to work: {h['extra_returns']:.0f} ({h['extra_returns.lo']:.0f} to {h['extra_returns.hi']:.0f})"]
    for k, label in (("gross_cost_per_extra_return", "Effort cost per extra citizen back at work"),
                     ("net_cost_per_extra_return", "Net cost per extra citizen back at work (negative = saves)")):
        v = h[k]
        out.append(f"{label}: " + ("n/a (no extra returns)" if math.isnan(v) else
                                  f"{v:,.0f} DKK ({h[k + '.lo']:,.0f} to {h[k + '.hi']:,.0f})"))
    out.append(f"Intervals include: {h.get('uncertainty', SIM_ONLY)}")
    return out


def totals_table(totals: pd.DataFrame) -> pd.DataFrame:
    """Per payer and view: undiscounted sum and present value, 'mean (95% CI)' in mio. DKK."""
    return pd.DataFrame({"line": totals["label"],
                         "undiscounted (mio. DKK)": [budget_cell(r["undiscounted"], r["undiscounted.lo"],
                                                                 r["undiscounted.hi"], "mio") for _, r in totals.iterrows()],
                         "present value (mio. DKK)": [budget_cell(r["present_value"], r["present_value.lo"],
                                                                  r["present_value.hi"], "mio")
                                                      for _, r in totals.iterrows()]})


def _budget_all_evidence(args, sc, base, names, weeks) -> int:
    """One table: the budget headline of the scenario against the baseline under each evidence base."""
    from model.evidence import EFFECT_ASSUMED, effect_note, evidence_parameter_sets, evidence_reps

    rows = []
    note = effect_note(sc)
    for ev in names:
        psets = evidence_parameter_sets(ev)
        reps = args.reps or evidence_reps(len(psets))
        res = run(sc, reps=reps, seed=args.seed, weeks=weeks, jobs=args.jobs, progress=_progress(f"{sc.name} ({ev})"),
                  parameter_sets=psets)
        bres = run(base, reps=reps, seed=args.seed, weeks=weeks, jobs=args.jobs,
                   progress=_progress(f"{base.name} ({ev})"), parameter_sets=psets)
        try:
            h = compare_budgets(res, bres, uncertainty=uncertainty_label(psets, ev, reps)).headline(seed=args.seed)
        except BudgetError as err:
            raise CliError(str(err)) from None
        pb = h["payback_year"]
        rows.append({"evidence": ev, "sets": reps,
                     "net effect, mio. DKK": budget_cell(h["net_total"], h["net_total.lo"], h["net_total.hi"], "mio"),
                     "extra returns": budget_cell(h["extra_returns"], h["extra_returns.lo"], h["extra_returns.hi"], "n"),
                     "payback year": f"year {int(pb)}" if math.isfinite(pb) else f"not within {args.years} years",
                     "note": note})
    print(f"\nBudget of {sc.name} against {base.name} under each evidence base, years 1-{args.years}; "
          f"one replication per accepted set (at least 10), seed {args.seed}; mean (95% CI); net effect = baseline cost - scenario cost")
    print(pd.DataFrame(rows).to_string(index=False))
    if note:
        print(f"note: [{EFFECT_ASSUMED}]: no evidence base measured {sc.name}'s effects")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_csv(out / "budget_by_evidence.csv", index=False)
        print(f"wrote budget_by_evidence.csv to {out}/", file=sys.stderr)
    return 0


def cmd_budget(args) -> int:
    from model.evidence import effect_note

    sc = load_scenario(args.scenario)
    base = load_scenario(args.baseline)
    sets = parse_sets(args.set)
    if sets:
        sc, base = sc.with_overrides(sets), base.with_overrides(sets)
    if sc.name == base.name:
        raise CliError(f"--baseline must differ from the scenario, got {base.name!r} twice")
    weeks = args.years * 52
    for s in (sc, base):
        try:
            s.economics.check_years(args.years)
        except ValueError as err:
            raise CliError(f"{s.name}: {err}") from None
    names = evidence_choice(args)
    if len(names) > 1:
        return _budget_all_evidence(args, sc, base, names, weeks)
    psets = _parameter_sets(args)
    uncertainty = uncertainty_label(psets, args.evidence or args.parameter_sets, args.reps)
    res = run(sc, reps=args.reps, seed=args.seed, weeks=weeks, jobs=args.jobs, progress=_progress(sc.name),
              parameter_sets=psets)
    bres = run(base, reps=args.reps, seed=args.seed, weeks=weeks, jobs=args.jobs, progress=_progress(base.name),
               parameter_sets=psets)
    try:
        bc = compare_budgets(res, bres, uncertainty=uncertainty)
    except BudgetError as err:
        raise CliError(str(err)) from None
    by_year = bc.by_year()
    head = bc.headline(seed=args.seed)
    totals = bc.totals()
    effect_assumed = getattr(getattr(sc, "costing", None), "effect", "") == "assumed"
    table = year_table(by_year)
    print(f"\nBudget of {sc.name} against {base.name}: {args.reps} replications on common random numbers, "
          f"seed {args.seed}; mean (95% CI); net effect = baseline cost - scenario cost")
    conv = pd.DataFrame(conversion(sc))
    if len(conv):
        print("\nWhat the investment buys (per calendar year):")
        print(conv[["year", "dkk", "consultant_fte", "consultants_simulated", "therapist_fte", "therapists_simulated",
                    "management_fte", "places_per_year", "binding_line"]].round(1).to_string(index=False))
    print_console_table(by_year)
    print(f"\nYears 1-{args.years} per payer and view: undiscounted and present value (discount rate "
          f"{sc.economics.discount.rate:.1%} a year, Finansministeriet 2021); mean (95% CI); intervals include "
          f"{uncertainty}")
    print(totals_table(totals).to_string(index=False))
    print()
    note = effect_note(sc)
    for line in headline_lines(head, effect_assumed or bool(note)):
        print(line)
    if note:
        print(f"note: [{note}]: no evidence base measured {sc.name}'s effects")
    from .claims import claim_rows, load_claims, print_claims  # the seed's claims, where a file exists (issue 17)

    claims = load_claims(sc.name)
    claims_table = None
    if claims is not None and claims.get("baseline") == base.name:
        claims_table = claim_rows(claims, res, bres, bc, weeks)
        print_claims(claims, claims_table)
    out = Path(args.out) if args.out else Path(f"budget_{sc.name}_vs_{base.name}")
    out.mkdir(parents=True, exist_ok=True)
    by_year.to_csv(out / "budget_by_year.csv", index=False)
    bc.paired().to_csv(out / "budget_by_replication.csv", index=False)
    bc.costs.to_csv(out / "costs_by_item.csv", index=False)
    totals.to_csv(out / "budget_totals.csv", index=False)
    pd.DataFrame([head]).to_csv(out / "headline.csv", index=False)
    if claims_table is not None:
        claims_table.to_csv(out / "claims.csv", index=False)
    sheets = budget_sheets(bc, head, sc, reps=args.reps, seed=args.seed, investment=conv if len(conv) else None,
                           parameter_sets=args.parameter_sets)
    sheets["Plan outcomes by year"] = plan_outcomes_sheet(res, bres)  # returns, waits, caseloads by year
    write_budget_workbook(out / "budget.xlsx", sheets)
    print(f"\nwrote budget_by_year.csv, budget_by_replication.csv, costs_by_item.csv, budget_totals.csv, headline.csv "
          f"and budget.xlsx to {out}/", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    from analysis.scenario_report import build_report

    names = args.scenarios
    if len(set(names)) != len(names):
        raise CliError(f"report got the same scenario twice: {names}")
    scs = [load_scenario(n) for n in names]
    sets = parse_sets(args.set)
    if sets:
        scs = [s.with_overrides(sets) for s in scs]
    evidence = evidence_choice(args)
    if not evidence and not args.parameter_sets:
        args.reps = args.reps or 10
    psets = _parameter_sets(args) if len(evidence) <= 1 else None  # one evidence base, or --parameter-sets
    html = build_report(scs, reps=args.reps or 10, seed=args.seed, years=args.years, jobs=args.jobs,
                        progress=_progress("report"), parameter_sets=psets,
                        parameter_sets_name=args.evidence or args.parameter_sets,
                        evidence=evidence if len(evidence) > 1 else None)
    out = Path(args.out)
    if out.suffix.lower() not in {".html", ".htm"}:
        raise CliError(f"--out must name an .html file, got {str(out)!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


def _years(text: str) -> int:
    v = positive_int(text)
    if v > 20:
        raise argparse.ArgumentTypeError(f"expected 1 to 20 years (the model runs at most 1040 weeks), got {v}")
    return v


def register(subparsers) -> None:
    sp = subparsers.add_parser("budget", help="year-by-year public budget against a baseline (SØM style), CSV + Excel")
    sp.add_argument("scenario", help="scenario name or YAML file")
    sp.add_argument("--baseline", required=True, help="baseline scenario (same arrivals, run on the same seeds)")
    sp.add_argument("--years", type=_years, default=10, help="budget years 1-N (default 10, as SØM)")
    sp.add_argument("--reps", type=reps_int, default=None,
                    help="replications (default 20; with --parameter-sets or --evidence, one per accepted set)")
    sp.add_argument("--seed", type=seed_int, default=1, help="experiment seed (default 1)")
    sp.add_argument("--jobs", type=jobs_int, default=1, help="parallel processes (default 1)")
    sp.add_argument("--out", default=None, help="folder for CSV and budget.xlsx (default budget_<A>_vs_<B>/)")
    sp.add_argument("--set", action="append", metavar="PATH=VALUE", help="override a parameter in both scenarios")
    sp.add_argument("--parameter-sets", default=None, metavar="CALIBRATION",
                    help="cycle the accepted sets of a calibration over replications (e.g. calibrated/copenhagen_ibbis) "
                         "in both scenarios, so the intervals include calibration uncertainty")
    sp.add_argument("--evidence", default=None, metavar="NAME|all",
                    help="the budget under an evidence base (calibration/evidence/) or under all of them in one table")
    sp.set_defaults(func=cmd_budget)

    rp = subparsers.add_parser("report", help="one self-contained HTML report comparing scenarios (first = baseline)")
    rp.add_argument("scenarios", nargs="+", help="one or more scenarios; the first is the baseline of the budget")
    rp.add_argument("--out", required=True, help="HTML file to write")
    rp.add_argument("--years", type=_years, default=10, help="simulated years (default 10)")
    rp.add_argument("--reps", type=reps_int, default=None,
                    help="replications (default 10; with --parameter-sets, one per accepted set)")
    rp.add_argument("--seed", type=seed_int, default=1, help="experiment seed (default 1)")
    rp.add_argument("--jobs", type=jobs_int, default=1, help="parallel processes (default 1)")
    rp.add_argument("--set", action="append", metavar="PATH=VALUE", help="override a parameter in every scenario")
    rp.add_argument("--parameter-sets", default=None, metavar="CALIBRATION",
                    help="cycle the accepted sets of a calibration over replications in every scenario")
    rp.add_argument("--evidence", default=None, metavar="NAME|all",
                    help="run under an evidence base, or with 'all' add a table of the comparison under each")
    rp.set_defaults(func=cmd_report)


__all__ = ["register", "year_table", "headline_lines", "ScenarioError"]
