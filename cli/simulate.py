"""``rtwsim run``, ``compare``, ``validate`` and ``scenarios``: one scenario, several on common random numbers."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from model import compare, list_scenarios, load_scenario, run
from model.economics import comparison_budget_columns, format_budget_columns
from model.evidence import (EFFECT_ASSUMED, effect_note, evidence_fit_table,
                            evidence_parameter_sets, evidence_reps, EVIDENCE_RUNS_TEXT, interval_words)
from model.evidence_compare import compare_under_evidence
from model.headline import fmt, key_table
from model.output import check_writable, write_tables
from model.scenario import ScenarioError
from model.trial import km_curves, summarise_trial, trial_table
from presentation.tables import evidence_table

from .options import add_simulation_options, evidence_choice, parameter_sets, parse_sets, progress


def _write_tables(out: Path, fmt: str, tables: dict[str, pd.DataFrame]) -> None:
    write_tables(out, fmt, tables)  # atomic, with a rescue folder on failure (model/output.py)
    print(f"wrote {', '.join(sorted(tables))} to {out}/", file=sys.stderr)


def print_trial_table(res, out: Path | None = None) -> None:
    """Trial-shaped outputs (model.trial) of a randomised scenario, by arm (ITT) and diagnosis group."""
    tab = trial_table(res.spells, res.weeks)
    summ = summarise_trial(tab, n_sets=res.n_sets)
    if summ.empty:
        return
    wide = summ.assign(cell=[fmt(m, lo, hi, "pct" if k.startswith("in_work") else "num")
                             for m, lo, hi, k in zip(summ["mean"], summ["ci_low"], summ["ci_high"], summ["measure"])])
    wide = wide.pivot_table(index=["diagnosis_group", "arm"], columns="measure", values="cell", aggfunc="first",
                            sort=False).reset_index()
    wide.columns.name = None
    wide = wide.fillna("reference")
    hr = summ[summ["measure"].str.startswith("hr_vs_")].set_index(["diagnosis_group", "arm"])
    wide["hr: one trial's 95% CI"] = [
        f"{hr.loc[k, 'trial_ci_low']:.2f} to {hr.loc[k, 'trial_ci_high']:.2f}" if k in hr.index else ""
        for k in zip(wide["diagnosis_group"], wide["arm"])]
    print(f"\nTrial-shaped outputs by randomised arm (intention to treat), from entry; {interval_words(res.n_sets)} "
          "over replications. in_work_mM = back at work and not re-sick-listed M months after entry; median_weeks = "
          "Kaplan-Meier median to return (52-week follow-up); hr_vs_standard = Cox hazard ratio of return vs standard; "
          "one trial's 95% CI = the interval a single simulated trial of this size reports (geometric mean of bounds)")
    print(wide.to_string(index=False))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        tab.to_csv(out / "trial_by_replication.csv", index=False)
        summ.to_csv(out / "trial_summary.csv", index=False)
        km_curves(res.spells, res.weeks, followup_weeks=52).to_csv(out / "kaplan_meier.csv", index=False)


def _run_all_evidence(args, sc, names) -> int:
    table, results = None, {}
    for ev in names:
        psets = evidence_parameter_sets(ev)
        reps = args.reps or evidence_reps(len(psets))
        res = run(sc, reps=reps, seed=args.seed, weeks=args.weeks, progress=progress(ev), parameter_sets=psets)
        results[ev] = res
        t = key_table(res.summary(), ["all"]).rename(columns={"all": f"{ev} ({reps})"})
        table = t if table is None else table.merge(t, on="metric")
    note = effect_note(sc)
    print(f"\n{sc.name} under each evidence base (replications in brackets), seed {args.seed}; {EVIDENCE_RUNS_TEXT}; "
          "all citizens" + (f" - {note}" if note else ""))
    print(table.to_string(index=False))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        pd.concat([r.summary().assign(evidence=ev) for ev, r in results.items()]).to_csv(out / "summary.csv", index=False)
        print(f"wrote summary.csv to {out}/", file=sys.stderr)
    return 0


def cmd_run(args) -> int:
    if args.out:
        check_writable(args.out)
    sc = load_scenario(args.scenario)
    sets = parse_sets(args.set)
    if sets:
        sc = sc.with_overrides(sets)
    names = evidence_choice(args)
    if len(names) > 1:
        return _run_all_evidence(args, sc, names)
    psets = parameter_sets(args)
    res = run(sc, reps=args.reps, seed=args.seed, weeks=args.weeks, progress=progress(sc.name), parameter_sets=psets)
    summ = res.summary()
    groups = ["all"] + [p for p in sc.used_pathways()]
    print(f"\n{sc.name}: {args.reps} replications, seed {args.seed}, {res.weeks} weeks; {interval_words(res.n_sets)}")
    print(key_table(summ, groups).to_string(index=False))
    if sc.allocation.rule == "randomise":
        print_trial_table(res, Path(args.out) if args.out else None)
    if args.out:
        _write_tables(Path(args.out), args.format, {"summary": summ, "spells": res.spells, "weekly": res.weekly,
                                                     "outputs": res.outputs, "effects": res.effects})
    return 0


def _compare_all_evidence(args, scs, names) -> int:
    bars: dict = {}

    def update(ev, done, total):
        if ev not in bars:
            bars[ev] = progress(f"compare under {ev}")
        bars[ev](done, total)

    ec = compare_under_evidence(scs, names, reps=args.reps, seed=args.seed, weeks=args.weeks, jobs=None,
                                progress=update)
    t = ec.table()
    print(f"\nThe comparison under each evidence base: difference against {scs[0].name} (paired, common random "
          f"numbers, seed {args.seed}); {EVIDENCE_RUNS_TEXT}.")
    print("Back at work = share recovered within the recovery horizon, all citizens; benefit weeks = mean weeks on "
          "benefit; hazard ratio of return = Cox hazard ratio of return to work within 52 weeks, every citizen under the scenario "
          "vs the same inflow under the baseline, by diagnosis group (> 1: faster return; geometric mean over "
          "replications); net budget = baseline public cost - scenario public cost over the simulated years (+ = gain)")
    print(evidence_table(t, "en").to_string(index=False))
    print("\nWhat each evidence base was fitted to, on its own design (targets vs simulated at the point estimate; "
          "hazard ratios are Cox, by randomised arm; `rtwsim fit-report <calibration>` for details):")
    print(evidence_fit_table(names).to_string(index=False))
    if (t["note"].str.startswith(EFFECT_ASSUMED)).any():
        print(f"note: [{EFFECT_ASSUMED}]: no evidence base measured these scenarios' effects; the figures show the "
              "evidence's effects applied to an assumed mechanism", file=sys.stdout)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        t.to_csv(out / "evidence_table.csv", index=False)
        print(f"wrote evidence_table.csv to {out}/", file=sys.stderr)
    return 0


def cmd_compare(args) -> int:
    if args.out:
        check_writable(args.out)
    scs = [load_scenario(n) for n in args.scenarios]
    sets = parse_sets(args.set)
    if sets:
        scs = [s.with_overrides(sets) for s in scs]
    names = evidence_choice(args)
    if len(names) > 1:
        return _compare_all_evidence(args, scs, names)
    psets = parameter_sets(args)
    comp = compare(scs, reps=args.reps, seed=args.seed, weeks=args.weeks, progress=progress("compare"),
                   parameter_sets=psets)
    summ = comp.summary()
    n_sets = next(iter(comp.results.values())).n_sets
    print(f"\nCommon random numbers: {args.reps} replications, seed {args.seed}; {interval_words(n_sets)}, all citizens")
    s_all = summ[summ["group"] == "all"]
    table = None
    for name in comp.results:
        t = key_table(s_all[s_all["scenario"] == name], ["all"]).rename(columns={"all": name})
        table = t if table is None else table.merge(t, on="metric")
    print(table.to_string(index=False))
    diffs = comp.differences()
    d_all = diffs[diffs["group"] == "all"]
    print(f"\nDifference against {comp.baseline} (paired by replication), all citizens:")
    dt = None
    for name in [n for n in comp.results if n != comp.baseline]:
        note = effect_note(comp.results[name].scenario)
        label = f"{name} - {comp.baseline}" + (f" [{note}]" if note else "")
        t = key_table(d_all[d_all["scenario"] == name], ["all"], diff=True).rename(columns={"all": label})
        dt = t if dt is None else dt.merge(t, on="metric")
    print(dt.to_string(index=False))
    bud = comparison_budget_columns(comp)
    notes = {n: effect_note(r.scenario) for n, r in comp.results.items() if n != comp.baseline}
    if any(notes.values()):   # next to every effect and payback figure
        old = bud["note"] if "note" in bud else pd.Series([""] * len(bud))
        bud["note"] = ["; ".join(x for x in (notes.get(n, ""), o if isinstance(o, str) else "") if x)
                       for n, o in zip(bud["scenario"], old)]
    print(f"\nPublic budget over the simulated years, mio. DKK (95% CI); net effect = {comp.baseline} cost - scenario cost:")
    print(format_budget_columns(bud).to_string(index=False))
    if args.out:
        _write_tables(Path(args.out), args.format, {
            "summary": summ, "differences": diffs, "budget": bud,
            "spells": pd.concat([r.spells.assign(scenario=n) for n, r in comp.results.items()], ignore_index=True),
            "weekly": pd.concat([r.weekly.assign(scenario=n) for n, r in comp.results.items()], ignore_index=True)})
    return 0


def cmd_validate(args) -> int:
    bad = 0
    for f in args.files:
        try:
            sc = load_scenario(f)
            print(f"ok: {f} ({sc.name}; pathways {', '.join(sc.used_pathways())})")
        except ScenarioError as err:
            print(f"error: {err}", file=sys.stderr)
            bad += 1
    return 2 if bad else 0


def cmd_scenarios(args) -> int:
    items = list_scenarios()
    width = max((len(n) for n, _ in items), default=10)
    for name, desc in items:
        print(f"{name:<{width}}  {desc}")
    return 0


def register(sub) -> None:
    sp = sub.add_parser("run", help="simulate one scenario with replications")
    sp.add_argument("scenario", help="scenario name (see 'rtwsim scenarios') or YAML file")
    add_simulation_options(sp)
    sp.set_defaults(func=cmd_run, executor=True)

    sp = sub.add_parser("compare", help="compare scenarios on common random numbers (first is the baseline)")
    sp.add_argument("scenarios", nargs="+", help="two or more scenario names or files")
    add_simulation_options(sp)
    sp.set_defaults(func=cmd_compare, executor=True)

    sp = sub.add_parser("validate", help="check scenario files and report every invalid field")
    sp.add_argument("files", nargs="+")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("scenarios", help="list the shipped scenarios")
    sp.set_defaults(func=cmd_scenarios)
