"""The ``rtwsim`` command: a thin layer over the Python API.

Core commands live here; calibration and sensitivity add theirs through ``register(subparsers)``
in ``calibration.commands`` and ``analysis.commands`` (imported by name, so the simulation core
does not depend on them).
"""
from __future__ import annotations

import argparse
import importlib
import math
import sys
from pathlib import Path

import pandas as pd
from . import __version__, safe_yaml
from .experiment import MAX_REPS, compare, max_jobs, run
from .output import OutputError, check_writable, write_tables
from .scenario import ScenarioError, list_scenarios, load_scenario

EXTENSIONS = ("calibration.commands", "analysis.commands", "analysis.budget_commands", "analysis.optimise")

KEY_METRICS = [
    ("recovered_share", "Back at work within horizon", "pct"),
    ("mean_benefit_weeks", "Mean weeks on sickness benefit", "num"),
    # shares still on sickness benefit replace the median as headline (issue 12): the median cannot
    # move while many spells end in the same weeks; it stays in the tables (--out, summary CSV)
    ("still_on_benefit_13w", "Still on sickness benefit at 13 weeks", "pct"),
    ("still_on_benefit_26w", "Still on sickness benefit at 26 weeks", "pct"),
    ("still_on_benefit_39w", "Still on sickness benefit at 39 weeks", "pct"),
    ("still_on_benefit_52w", "Still on sickness benefit at 52 weeks", "pct"),
    ("jobafklaring_share", "Transferred to jobafklaring", "pct"),
    ("treatment_wait_weeks", "Wait for treatment (weeks)", "num"),
    ("consultant_wait_weeks", "Wait for a consultant (weeks)", "num"),
    ("relapse_share", "Re-sick-listed within 52 weeks", "pct"),
]


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


def whole_number(minimum: int, maximum: int | None = None, why: str = ""):
    """An argparse type for whole numbers in [minimum, maximum], with the allowed range (and why
    there is an upper bound) in its error."""
    allowed = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}" + (f" ({why})" if why else "")

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number {allowed}, got {text!r}") from None
        if v < minimum or (maximum is not None and v > maximum):
            raise argparse.ArgumentTypeError(f"expected a whole number {allowed}, got {v}")
        return v
    return parse


def finite_number(minimum: float, maximum: float, what: str, above_minimum: bool = False):
    """An argparse type for finite numbers in [minimum, maximum] (or (minimum, maximum] with
    ``above_minimum``), naming what is expected and the allowed range in its error."""
    allowed = f"{what} ({'>' if above_minimum else '>='} {minimum:g} and <= {maximum:g})"

    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {allowed}, got {text!r}") from None
        if not math.isfinite(v) or v < minimum or v > maximum or (above_minimum and v == minimum):
            raise argparse.ArgumentTypeError(f"expected {allowed}, got {text!r}")
        return v
    return parse


positive_int = whole_number(1)
seed_int = whole_number(0, 2**128 - 1, "numpy SeedSequence entropy")
reps_int = whole_number(1, MAX_REPS, "each replication's tables are held in memory")
weeks_int = whole_number(1, 1040, "20 years")
jobs_int = whole_number(1, max_jobs(), "four processes per available core")


def parse_sets(items: list[str] | None) -> dict:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise CliError(f"--set expects PATH=VALUE (e.g. consultants.standard.caseload_limit=35), got {item!r}")
        path, value = item.split("=", 1)
        try:
            out[path.strip()] = safe_yaml.load_text(value, max_aliases=0)
        except safe_yaml.UnsafeYAMLError as err:
            raise CliError(f"--set {path}: value {safe_yaml.cut(repr(value), 80)}: {err}") from None
    return out


def _progress(total_label: str):
    from tqdm import tqdm

    bar = {"b": None}

    def update(done: int, total: int) -> None:
        if bar["b"] is None:
            bar["b"] = tqdm(total=total, desc=total_label, unit="rep", file=sys.stderr, mininterval=0.5,
                            disable=None)
        bar["b"].n = done
        bar["b"].refresh()
        if done >= total:
            bar["b"].close()

    return update


def _fmt(mean: float, lo: float, hi: float, kind: str, diff: bool = False) -> str:
    if pd.isna(mean):
        return "n/a"
    if kind == "pct" and diff:  # a difference of shares is in percentage points
        return f"{100 * mean:+5.1f} pp ({100 * lo:+.1f} to {100 * hi:+.1f})" if not pd.isna(lo) else f"{100 * mean:+5.1f} pp"
    if diff:
        return f"{mean:+6.2f} ({lo:+.2f} to {hi:+.2f})" if not pd.isna(lo) else f"{mean:+6.2f}"
    if kind == "pct":
        return f"{100 * mean:5.1f}% ({100 * lo:.1f} to {100 * hi:.1f})" if not pd.isna(lo) else f"{100 * mean:5.1f}%"
    return f"{mean:6.2f} ({lo:.2f} to {hi:.2f})" if not pd.isna(lo) else f"{mean:6.2f}"


def key_table(summary: pd.DataFrame, groups: list[str], diff: bool = False) -> pd.DataFrame:
    s = summary.set_index("output")
    rows = []
    for metric, label, kind in KEY_METRICS:
        row = {"metric": label}
        for g in groups:
            key = f"{metric}.{g}"
            row[g] = (_fmt(s.loc[key, "mean"], s.loc[key, "ci_low"], s.loc[key, "ci_high"], kind, diff)
                      if key in s.index else "")
        rows.append(row)
    return pd.DataFrame(rows)


def _write_tables(out: Path, fmt: str, tables: dict[str, pd.DataFrame]) -> None:
    write_tables(out, fmt, tables)  # atomic, with a rescue folder on failure (model/output.py)
    print(f"wrote {', '.join(sorted(tables))} to {out}/", file=sys.stderr)


def evidence_choice(args) -> list[str]:
    """The evidence bases named by --evidence (NAME, NAME,NAME or all); [] without the flag."""
    ev = getattr(args, "evidence", None)
    if not ev:
        return []
    if getattr(args, "parameter_sets", None):
        raise CliError("give either --evidence or --parameter-sets, not both (an evidence base is a calibration's "
                       "accepted sets plus what carries over from it)")
    from .evidence import resolve_evidence

    return resolve_evidence(ev)


def _parameter_sets(args) -> list[dict] | None:
    """The accepted sets to cycle over; without --reps, one replication per set (20 without sets)."""
    names = evidence_choice(args)
    if len(names) == 1:
        from .evidence import evidence_parameter_sets

        scen = [getattr(args, "scenario", None)] if getattr(args, "scenario", None) else list(getattr(args, "scenarios", []) or [])
        from .evidence import evidence_reps

        sets = evidence_parameter_sets(names[0], [Path(x).stem for x in scen])
        args.reps = args.reps or evidence_reps(len(sets))
        print(f"evidence {names[0]}: {len(sets)} accepted parameter sets cycled over replications", file=sys.stderr)
        return sets
    if not getattr(args, "parameter_sets", None):
        args.reps = args.reps or 20
        return None
    from .parameter_sets import accepted_parameter_sets

    sets = accepted_parameter_sets(args.parameter_sets, allow_path=True)
    args.reps = args.reps or len(sets)
    note = f"{args.parameter_sets}: {len(sets)} accepted parameter sets cycled over replications"
    if args.reps < len(sets):
        note += f" (only the first {args.reps} are used; pass --reps {len(sets)} or more to cover all)"
    print(note, file=sys.stderr)
    return sets


def print_trial_table(res, out: Path | None = None) -> None:
    """Trial-shaped outputs (model.trial) of a randomised scenario, by arm (ITT) and diagnosis group."""
    from .trial import km_curves, summarise_trial, trial_table

    tab = trial_table(res.spells, res.weeks)
    summ = summarise_trial(tab)
    if summ.empty:
        return
    wide = summ.assign(cell=[_fmt(m, lo, hi, "pct" if k.startswith("in_work") else "num")
                             for m, lo, hi, k in zip(summ["mean"], summ["ci_low"], summ["ci_high"], summ["measure"])])
    wide = wide.pivot_table(index=["diagnosis_group", "arm"], columns="measure", values="cell", aggfunc="first",
                            sort=False).reset_index()
    wide.columns.name = None
    wide = wide.fillna("reference")
    hr = summ[summ["measure"].str.startswith("hr_vs_")].set_index(["diagnosis_group", "arm"])
    wide["hr: one trial's 95% CI"] = [
        f"{hr.loc[k, 'trial_ci_low']:.2f} to {hr.loc[k, 'trial_ci_high']:.2f}" if k in hr.index else ""
        for k in zip(wide["diagnosis_group"], wide["arm"])]
    print("\nTrial-shaped outputs by randomised arm (intention to treat), from entry; mean over replications "
          "(95% CI). in_work_mM = back at work and not re-sick-listed M months after entry; median_weeks = "
          "Kaplan-Meier median to return (52-week follow-up); hr_vs_standard = Cox hazard ratio of return vs standard; "
          "one trial's 95% CI = the interval a single simulated trial of this size reports (geometric mean of bounds)")
    print(wide.to_string(index=False))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        tab.to_csv(out / "trial_by_replication.csv", index=False)
        summ.to_csv(out / "trial_summary.csv", index=False)
        km_curves(res.spells, res.weeks, followup_weeks=52).to_csv(out / "kaplan_meier.csv", index=False)


def _run_all_evidence(args, sc, names) -> int:
    from .evidence import effect_note, evidence_parameter_sets, evidence_reps

    table, results = None, {}
    for ev in names:
        psets = evidence_parameter_sets(ev)
        reps = args.reps or evidence_reps(len(psets))
        res = run(sc, reps=reps, seed=args.seed, weeks=args.weeks, jobs=args.jobs, progress=_progress(ev),
                  parameter_sets=psets)
        results[ev] = res
        t = key_table(res.summary(), ["all"]).rename(columns={"all": f"{ev} ({reps})"})
        table = t if table is None else table.merge(t, on="metric")
    note = effect_note(sc)
    print(f"\n{sc.name} under each evidence base (replications in brackets, one per accepted set, at least 10), seed {args.seed}; "
          f"mean (95% CI), all citizens" + (f" - {note}" if note else ""))
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
    psets = _parameter_sets(args)
    res = run(sc, reps=args.reps, seed=args.seed, weeks=args.weeks, jobs=args.jobs,
              progress=_progress(sc.name), parameter_sets=psets)
    summ = res.summary()
    groups = ["all"] + [p for p in sc.used_pathways()]
    print(f"\n{sc.name}: {args.reps} replications, seed {args.seed}, {res.weeks} weeks; mean (95% CI)")
    print(key_table(summ, groups).to_string(index=False))
    if sc.allocation.rule == "randomise":
        print_trial_table(res, Path(args.out) if args.out else None)
    if args.out:
        _write_tables(Path(args.out), args.format, {"summary": summ, "spells": res.spells, "weekly": res.weekly,
                                                     "outputs": res.outputs, "effects": res.effects})
    return 0


def _compare_all_evidence(args, scs, names) -> int:
    from .evidence import EFFECT_ASSUMED, compare_under_evidence, evidence_fit_table, format_evidence_table

    bars: dict = {}

    def progress(ev, done, total):
        if ev not in bars:
            bars[ev] = _progress(f"compare under {ev}")
        bars[ev](done, total)

    ec = compare_under_evidence(scs, names, reps=args.reps, seed=args.seed, weeks=args.weeks, jobs=args.jobs,
                                progress=progress)
    t = ec.table()
    print(f"\nThe comparison under each evidence base: difference against {scs[0].name} (paired, common random "
          f"numbers, seed {args.seed}); one replication per accepted parameter set (at least 10, sets cycled); mean (95% CI).")
    print("back at work = share recovered within the recovery horizon, all citizens; benefit weeks = mean weeks on "
          "benefit; HR of return = Cox hazard ratio of return to work within 52 weeks, every citizen under the scenario "
          "vs the same inflow under the baseline, by diagnosis group (> 1: faster return; geometric mean over "
          "replications); net budget = baseline public cost - scenario public cost over the simulated years (+ = gain)")
    print(format_evidence_table(t).to_string(index=False))
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
    psets = _parameter_sets(args)
    comp = compare(scs, reps=args.reps, seed=args.seed, weeks=args.weeks, jobs=args.jobs,
                   progress=_progress("compare"), parameter_sets=psets)
    summ = comp.summary()
    print(f"\nCommon random numbers: {args.reps} replications, seed {args.seed}; mean (95% CI), all citizens")
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
    from .evidence import effect_note

    for name in [n for n in comp.results if n != comp.baseline]:
        note = effect_note(comp.results[name].scenario)
        label = f"{name} - {comp.baseline}" + (f" [{note}]" if note else "")
        t = key_table(d_all[d_all["scenario"] == name], ["all"], diff=True).rename(columns={"all": label})
        dt = t if dt is None else dt.merge(t, on="metric")
    print(dt.to_string(index=False))
    from .economics import comparison_budget_columns, format_budget_columns  # budget columns (issue 4)

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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rtwsim", description="Return-to-work policy simulation for Danish jobcentres")
    p.add_argument("--version", action="version", version=f"rtwsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp):
        sp.add_argument("--reps", type=reps_int, default=None,
                        help="replications (default 20; with --parameter-sets, one per accepted set)")
        sp.add_argument("--seed", type=seed_int, default=1, help="experiment seed (default 1)")
        sp.add_argument("--weeks", type=weeks_int, default=None, help="simulated weeks (default: the scenario's)")
        sp.add_argument("--jobs", type=jobs_int, default=1, help="parallel processes for replications (default 1)")
        sp.add_argument("--out", default=None, help="folder for result tables")
        sp.add_argument("--format", choices=["csv", "parquet"], default="csv", help="format of large tables")
        sp.add_argument("--set", action="append", metavar="PATH=VALUE",
                        help="override a scenario parameter, e.g. consultants.standard.caseload_limit=35")
        sp.add_argument("--evidence", default=None, metavar="NAME|all",
                        help="read the answer under an evidence base (calibration/evidence/: "
                             "local_monitoring_copenhagen, ibbis1_trials, herning_trial) or under all of them side "
                             "by side; one replication per accepted set unless --reps")
        sp.add_argument("--parameter-sets", default=None, metavar="CALIBRATION",
                        help="cycle the accepted sets of a calibration over replications (e.g. "
                             "calibrated/copenhagen_ibbis), so intervals include calibration uncertainty")

    sp = sub.add_parser("run", help="simulate one scenario with replications")
    sp.add_argument("scenario", help="scenario name (see 'rtwsim scenarios') or YAML file")
    common(sp)
    sp.set_defaults(func=cmd_run)

    sp = sub.add_parser("compare", help="compare scenarios on common random numbers (first is the baseline)")
    sp.add_argument("scenarios", nargs="+", help="two or more scenario names or files")
    common(sp)
    sp.set_defaults(func=cmd_compare)

    sp = sub.add_parser("validate", help="check scenario files and report every invalid field")
    sp.add_argument("files", nargs="+")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("scenarios", help="list the shipped scenarios")
    sp.set_defaults(func=cmd_scenarios)

    for modname in EXTENSIONS:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as err:
            if err.name != modname:
                raise
            continue
        mod.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) == "compare" and len(args.scenarios) < 2:
        parser.error("compare needs at least two scenarios (the first is the baseline)")
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, CliError, OutputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
