"""``rtwsim calibrate`` and ``rtwsim fit-report``."""
from __future__ import annotations

import sys
from pathlib import Path

from .options import add_executor_options, progress, whole_number as _int


# calibration's modules are imported by the commands that use them: they load Optuna and plotly,
# which `rtwsim run` does not need at start-up


def _print_report(rep) -> None:
    from calibration.report import fit_text, ranges_text

    print(f"\nCalibration {rep.path.stem}: status {rep.status.upper()}")
    pe = rep.record["point_estimate"]
    print(f"point estimate (distance {pe['distance']:.3g}, RMS z {pe['rms_z']:.2f}): "
          + ", ".join(f"{k}={v:.4g}" for k, v in pe["parameters"].items()))
    print("\nTargets against simulated (95% CI over the acceptance replications):")
    print(fit_text(rep.fit).to_string(index=False))
    if len(rep.ranges) and rep.record.get("accepted"):
        print(f"\nAccepted parameter ranges ({len(rep.record['accepted'])} accepted sets):")
        print(ranges_text(rep.ranges).to_string(index=False))
    for w in rep.warnings:
        print(f"warning: {w}", file=sys.stderr)


def cmd_calibrate(args) -> int:
    from calibration.fit import FitSettings, accept, candidates, prepare, search
    from calibration.record import build_record
    from calibration.report import build_report
    from calibration.store import default_path, save

    st = FitSettings(trials=args.trials, reps=args.reps, accept_reps=args.accept_reps, seed=args.seed,
                     weeks=args.weeks, horizon=args.horizon, batch=args.batch, max_candidates=args.max_candidates,
                     storage=Path(args.storage) if args.storage else None)
    setup = prepare(args.targets, args.scenario, args.free_parameters, st)
    print(f"calibrating {setup.scenario.name} to {setup.targets_path.name} "
          f"({len(setup.targets.targets)} targets at horizon {setup.targets.horizons} weeks; "
          f"{len(setup.free.parameters)} free parameters; {setup.problem.weeks} simulated weeks); "
          f"trials stored in {setup.storage_path}", file=sys.stderr)
    study = search(setup, progress("trials", "trial", show_best=True))
    evaluated = accept(setup, candidates(setup, study), progress("acceptance", "set", show_best=True))
    record = build_record(setup, study, evaluated)
    name = setup.targets.name if args.horizon is None else f"{setup.targets.name}_h{args.horizon}"
    record["name"] = name
    out = save(record, Path(args.out) if args.out else default_path(name))
    print(f"wrote {out}", file=sys.stderr)
    _print_report(build_report(out))
    if record["status"] != "fitted":
        print("error: the targets were not reached by any parameter set within the priors (status 'unreachable'); "
              "the record is saved for inspection but scenarios will refuse to use it", file=sys.stderr)
        return 3
    return 0


def cmd_fit_report(args) -> int:
    from calibration.report import build_report

    out = Path(args.out) if args.out else Path("out") / "calibration" / Path(args.calibration).stem
    rep = build_report(args.calibration, out)
    _print_report(rep)
    for f in rep.files:
        print(f"wrote {f}", file=sys.stderr)
    return 0 if rep.status == "fitted" else 3


def register(subparsers) -> None:
    sp = subparsers.add_parser(
        "calibrate", help="fit free parameters to a target set (Optuna TPE, common random numbers, resumable)",
        description="Fit the free parameters to the targets; save point estimate, accepted sets and provenance in "
                    "calibration/calibrated/<targets>.yaml. Exit code 3 when no parameter set reaches the targets.")
    sp.add_argument("targets", help="targets file or name in calibration/targets/ (e.g. copenhagen_ibbis)")
    sp.add_argument("--scenario", default=None, help="scenario to fit (default: the targets file's 'scenario')")
    sp.add_argument("--free-parameters", default=None,
                    help="free-parameter file or name in calibration/free_parameters/ (default: the targets file's)")
    sp.add_argument("--horizon", type=_int(1), default=None,
                    help="recovery horizon in weeks for every target (default: each target's); the output file gets _h<weeks>")
    sp.add_argument("--trials", type=_int(1), default=200, help="completed trials to reach, counting stored ones (default 200)")
    sp.add_argument("--reps", type=_int(1), default=4, help="replications per trial, same seed for every trial (default 4)")
    sp.add_argument("--accept-reps", type=_int(2), default=12,
                    help="replications to re-simulate candidates for acceptance (default 12)")
    sp.add_argument("--max-candidates", type=_int(1), default=80, help="candidates re-simulated for acceptance: the best trial and a seeded sample of the near ones (default 80)")
    sp.add_argument("--seed", type=_int(0), default=20260101, help="calibration seed (default 20260101)")
    sp.add_argument("--weeks", type=_int(1), default=None, help="simulated weeks (default: the scenario's horizon_weeks)")
    sp.add_argument("--batch", type=_int(1), default=1,
                    help="trials asked of the sampler at once (default 1); part of the study: it changes the search")
    add_executor_options(sp)
    sp.add_argument("--storage", default=None,
                    help="Optuna journal file of finished trials; rerun with the same file to resume "
                         "(default calibration/runs/<study>.journal)")
    sp.add_argument("--out", default=None, help="calibration record to write (default calibration/calibrated/<targets>.yaml)")
    sp.set_defaults(func=cmd_calibrate, executor=True)

    sp = subparsers.add_parser("fit-report", help="targets vs simulated, accepted ranges and plots of a calibration")
    sp.add_argument("calibration", help="calibration record: name in calibration/calibrated/ or a YAML path")
    sp.add_argument("--out", default=None, help="folder for the HTML page and CSV (default out/calibration/<name>/)")
    sp.set_defaults(func=cmd_fit_report)

