"""``rtwsim budget`` (SØM-style year table, CSV + Excel) and ``rtwsim report`` (one HTML file)."""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from analysis.budget_text import headline_lines, print_console_table, totals_table
from analysis.claims import claim_rows, load_claims, print_claims
from model.economics import BudgetError, budget_cell, compare_budgets, uncertainty_label
from model.evidence import EFFECT_ASSUMED, EVIDENCE_RUNS_TEXT, effect_note, evidence_parameter_sets, evidence_reps
from model.experiment import run
from model.investment import conversion
from model.plan_outcomes import workbook_sheet as plan_outcomes_sheet
from model.scenario import load_scenario

from .options import (CliError, add_executor_options, add_reps, add_seed, add_set, add_uncertainty, evidence_choice,
                      parameter_sets, parse_sets, positive_int, progress)

def _budget_all_evidence(args, sc, base, names, weeks) -> int:
    """One table: the budget headline of the scenario against the baseline under each evidence base."""
    rows = []
    note = effect_note(sc)
    for ev in names:
        psets = evidence_parameter_sets(ev)
        reps = args.reps or evidence_reps(len(psets))
        res = run(sc, reps=reps, seed=args.seed, weeks=weeks, progress=progress(f"{sc.name} ({ev})"),
                  parameter_sets=psets)
        bres = run(base, reps=reps, seed=args.seed, weeks=weeks, progress=progress(f"{base.name} ({ev})"),
                   parameter_sets=psets)
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
          f"seed {args.seed}; {EVIDENCE_RUNS_TEXT}; net effect = baseline cost - scenario cost")
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
    psets = parameter_sets(args)
    uncertainty = uncertainty_label(psets, args.evidence or args.parameter_sets, args.reps)
    res = run(sc, reps=args.reps, seed=args.seed, weeks=weeks, progress=progress(sc.name), parameter_sets=psets)
    bres = run(base, reps=args.reps, seed=args.seed, weeks=weeks, progress=progress(base.name), parameter_sets=psets)
    try:
        bc = compare_budgets(res, bres, uncertainty=uncertainty)
    except BudgetError as err:
        raise CliError(str(err)) from None
    by_year = bc.by_year()
    head = bc.headline(seed=args.seed)
    totals = bc.totals()
    effect_assumed = getattr(getattr(sc, "costing", None), "effect", "") == "assumed"
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
    from presentation.workbook import budget_sheets, write_budget_workbook   # openpyxl: loaded when written

    sheets = budget_sheets(bc, head, sc, reps=args.reps, seed=args.seed, investment=conv if len(conv) else None,
                           parameter_sets=args.parameter_sets)
    sheets["Plan outcomes by year"] = plan_outcomes_sheet(res, bres)  # returns, waits, caseloads by year
    write_budget_workbook(out / "budget.xlsx", sheets)
    print(f"\nwrote budget_by_year.csv, budget_by_replication.csv, costs_by_item.csv, budget_totals.csv, headline.csv "
          f"and budget.xlsx to {out}/", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    from analysis.scenario_report import build_report   # plotly: loaded when a report is drawn

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
    psets = parameter_sets(args) if len(evidence) <= 1 else None  # one evidence base, or --parameter-sets
    html = build_report(scs, reps=args.reps or 10, seed=args.seed, years=args.years,
                        jobs=None,  # type: ignore[arg-type]  # None: the command's executor (model.execution)
                        progress=progress("report"), parameter_sets=psets,
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
    add_reps(sp, "replications (default 20; with --parameter-sets or --evidence, one per accepted set)")
    add_seed(sp)
    add_executor_options(sp)
    sp.add_argument("--out", default=None, help="folder for CSV and budget.xlsx (default budget_<A>_vs_<B>/)")
    add_set(sp, "override a parameter in both scenarios")
    add_uncertainty(sp, parameter_sets_help="cycle the accepted sets of a calibration over replications (e.g. "
                    "calibrated/copenhagen_ibbis) in both scenarios, so the intervals include calibration uncertainty",
                    evidence_help="the budget under an evidence base (calibration/evidence/) or under all of them "
                    "in one table")
    sp.set_defaults(func=cmd_budget, executor=True)

    rp = subparsers.add_parser("report", help="one self-contained HTML report comparing scenarios (first = baseline)")
    rp.add_argument("scenarios", nargs="+", help="one or more scenarios; the first is the baseline of the budget")
    rp.add_argument("--out", required=True, help="HTML file to write")
    rp.add_argument("--years", type=_years, default=10, help="simulated years (default 10)")
    add_reps(rp, "replications (default 10; with --parameter-sets, one per accepted set)")
    add_seed(rp)
    add_executor_options(rp)
    add_set(rp, "override a parameter in every scenario")
    add_uncertainty(rp, parameter_sets_help="cycle the accepted sets of a calibration over replications in every "
                    "scenario", evidence_help="run under an evidence base, or with 'all' add a table of the "
                    "comparison under each")
    rp.set_defaults(func=cmd_report, executor=True)
