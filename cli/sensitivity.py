"""``rtwsim sensitivity`` and ``rtwsim sensitivity-report``.

Exit codes: 0 done, 1 done but some runs failed, 2 bad input or directory, 130 stopped by Ctrl-C
(finished runs are kept; continue with --resume). A study opens its own executor (it checks the
cluster's health while it waits), so these commands are not wrapped in the command's executor.
"""

from __future__ import annotations

import argparse

from rich.console import Console

from sensitivity.errors import SensitivityError

from .options import add_executor_options, positive_int


def _add_executor_options(parser: argparse.ArgumentParser) -> None:
    add_executor_options(parser, short=True)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--trust-module", action="store_true",
                        help="let the problem file name any module:callable as its function (imports and "
                             "runs that code; default: only the registered evaluators)")


def register(subparsers) -> None:
    """Add the two sensitivity commands to an argparse subparsers object."""
    p = subparsers.add_parser(
        "sensitivity", help="run a SALib Morris/Sobol/FAST study from a problem file",
        description="Evaluate every row of the SALib design of FILE, storing runs in DIR as they "
                    "finish, then print the indices. See docs/sensitivity.md.")
    p.add_argument("file", metavar="FILE", help="sensitivity problem file (YAML)")
    p.add_argument("--out", "-o", metavar="DIR", required=True, help="result directory")
    p.add_argument("--resume", action="store_true",
                   help="continue the study in DIR: evaluate only runs not stored yet")
    p.add_argument("--retry-failed", action="store_true",
                   help="with --resume, evaluate failed runs again")
    p.add_argument("--batch-size", type=positive_int, default=None,
                   help="runs per task (default: about 8 tasks per worker, at most 50 runs)")
    _add_executor_options(p)
    p.set_defaults(func=run_sensitivity)

    r = subparsers.add_parser(
        "sensitivity-report", help="print indices and write CSV and HTML plots of a study",
        description="Print the indices of the study in DIR, write indices.csv, the Morris or Sobol "
                    "plot and a tornado of one-at-a-time ranges (runs 2k+1 extra runs once).")
    r.add_argument("dir", metavar="DIR", help="result directory of `rtwsim sensitivity`")
    r.add_argument("--no-tornado", action="store_true", help="skip the one-at-a-time runs")
    _add_executor_options(r)
    r.set_defaults(func=run_report)


def run_sensitivity(args: argparse.Namespace) -> int:
    from sensitivity.study import prepare, run_study   # SALib, DuckDB: loaded when a study runs
    from presentation.console_tables import indices_tables

    console = Console(stderr=True, soft_wrap=True)
    if args.retry_failed and not args.resume:
        console.print("error: --retry-failed needs --resume")
        return 2
    try:
        problem, text = prepare(args.file, trust_module=args.trust_module)
        console.print(f"{problem.name}: {problem.method}, {len(problem.parameters)} parameters, "
                      f"{problem.num_runs} runs × {problem.reps} replications → {args.out}")
        outcome = run_study(problem, text, args.out, jobs=args.jobs, scheduler=args.scheduler,
                            resume=args.resume, retry_failed=args.retry_failed,
                            batch_size=args.batch_size, progress=not args.no_progress,
                            trust_module=args.trust_module)
    except SensitivityError as exc:
        console.print(f"error: {exc}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:  # before or after the run loop, which handles its own
        console.print("stopped; anything finished is stored (continue with --resume)")
        return 130
    stats = outcome.stats
    if stats.evaluated:
        console.print(f"{stats.evaluated} runs on {stats.executor} in {stats.seconds:.1f} s "
                      f"({stats.runs_per_second:.1f} runs/s); {stats.skipped_done} were already stored")
    if stats.interrupted:
        stored = stats.skipped_done + stats.evaluated
        console.print(f"stopped: {stored} of {problem.num_runs} runs are stored in {args.out}; "
                      f"continue with `rtwsim sensitivity {args.file} --out {args.out} --resume`")
        return 130
    if not stats.evaluated:
        console.print(f"nothing to run: all {stats.skipped_done} runs are stored")
    out = Console()
    for table in indices_tables(outcome.indices, problem.method):
        out.print(table)
    for output, reason in outcome.skipped_outputs.items():
        console.print(f"no indices for {output}: {reason}")
    runs = outcome.store.runs()
    failed = int((runs["status"] == "failed").sum())
    if failed:
        console.print(f"{failed} runs failed (recorded with their errors); rerun them with "
                      "--resume --retry-failed")
        return 1
    return 0


def run_report(args: argparse.Namespace) -> int:
    from analysis.report import build_report   # plotly: loaded when a report is drawn

    try:
        rep = build_report(args.dir, tornado=not args.no_tornado, jobs=args.jobs,
                           scheduler=args.scheduler, progress=not args.no_progress,
                           trust_module=args.trust_module)
    except SensitivityError as exc:
        Console(stderr=True, soft_wrap=True).print(f"error: {exc}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        Console(stderr=True).print("stopped; one-at-a-time runs finished so far are stored in DIR/oat")
        return 130
    return 1 if rep.runs_failed else 0
