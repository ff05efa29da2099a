"""What the commands share: argument types with named ranges, the shared option groups, progress bars.

Every verb that runs many simulations takes the executor group (``--jobs`` or ``--scheduler``);
``main`` opens that executor once around the command, so all its runs share one pool or one Dask
client (model.execution).
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from model import safe_yaml
from model.evidence import evidence_parameter_sets, evidence_reps, resolve_evidence
from model.execution import max_jobs
from model.experiment import MAX_REPS
from model.parameter_sets import accepted_parameter_sets


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


# ---- shared option groups ---------------------------------------------------------------------
def add_executor_options(sp: argparse.ArgumentParser, short: bool = False) -> None:
    """``--jobs N`` (local worker processes) or ``--scheduler tcp://…`` (a Dask cluster), not both."""
    where = sp.add_mutually_exclusive_group()
    where.add_argument(*(["--jobs", "-j"] if short else ["--jobs"]), type=jobs_int, default=None,
                       help="local worker processes (default: every core, or RTWSIM_JOBS; 1 = serial); "
                            "results do not depend on it")
    where.add_argument("--scheduler", metavar="ADDR", default=None,
                       help="run on a Dask cluster instead, e.g. tcp://10.0.0.5:8786 (see docs/sensitivity.md)")


def add_seed(sp: argparse.ArgumentParser, default: int = 1, help: str = "experiment seed (default 1)") -> None:
    sp.add_argument("--seed", type=seed_int, default=default, help=help)


def add_reps(sp: argparse.ArgumentParser,
             help: str = "replications (default 20; with --parameter-sets, one per accepted set)") -> None:
    sp.add_argument("--reps", type=reps_int, default=None, help=help)


def add_set(sp: argparse.ArgumentParser,
            help: str = "override a scenario parameter, e.g. consultants.standard.caseload_limit=35") -> None:
    sp.add_argument("--set", action="append", metavar="PATH=VALUE", help=help)


def add_uncertainty(sp: argparse.ArgumentParser, parameter_sets_help: str, evidence_help: str) -> None:
    """``--parameter-sets`` and ``--evidence``: where the parameter uncertainty comes from."""
    sp.add_argument("--evidence", default=None, metavar="NAME|all", help=evidence_help)
    sp.add_argument("--parameter-sets", default=None, metavar="CALIBRATION", help=parameter_sets_help)


def add_simulation_options(sp: argparse.ArgumentParser) -> None:
    """The options of ``run`` and ``compare``."""
    add_reps(sp)
    add_seed(sp)
    sp.add_argument("--weeks", type=weeks_int, default=None, help="simulated weeks (default: the scenario's)")
    add_executor_options(sp)
    sp.add_argument("--out", default=None, help="folder for result tables")
    sp.add_argument("--format", choices=["csv", "parquet"], default="csv", help="format of large tables")
    add_set(sp)
    add_uncertainty(
        sp, parameter_sets_help="cycle the accepted sets of a calibration over replications (e.g. "
        "calibrated/copenhagen_ibbis), so intervals include calibration uncertainty",
        evidence_help="read the answer under an evidence base (calibration/evidence/: "
        "local_monitoring_copenhagen, ibbis1_trials, herning_trial) or under all of them side "
        "by side; one replication per accepted set unless --reps")


# ---- reading the shared options ---------------------------------------------------------------
def parse_sets(items: list[str] | None) -> dict:
    """``--set PATH=VALUE`` items → {path: value}; values are YAML scalars (no aliases)."""
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


def evidence_choice(args) -> list[str]:
    """The evidence bases named by --evidence (NAME, NAME,NAME or all); [] without the flag."""
    ev = getattr(args, "evidence", None)
    if not ev:
        return []
    if getattr(args, "parameter_sets", None):
        raise CliError("give either --evidence or --parameter-sets, not both (an evidence base is a calibration's "
                       "accepted sets plus what carries over from it)")
    return resolve_evidence(ev)


def parameter_sets(args) -> list[dict] | None:
    """The accepted sets to cycle over; without --reps, one replication per set (20 without sets)."""
    names = evidence_choice(args)
    if len(names) == 1:
        scen = [args.scenario] if getattr(args, "scenario", None) else list(getattr(args, "scenarios", []) or [])
        sets = evidence_parameter_sets(names[0], [Path(x).stem for x in scen])
        args.reps = args.reps or evidence_reps(len(sets))
        print(f"evidence {names[0]}: {len(sets)} accepted parameter sets cycled over replications", file=sys.stderr)
        return sets
    if not getattr(args, "parameter_sets", None):
        args.reps = args.reps or 20
        return None
    sets = accepted_parameter_sets(args.parameter_sets, allow_path=True)
    args.reps = args.reps or len(sets)
    note = f"{args.parameter_sets}: {len(sets)} accepted parameter sets cycled over replications"
    if args.reps < len(sets):
        note += f" (only the first {args.reps} are used; pass --reps {len(sets)} or more to cover all)"
    print(note, file=sys.stderr)
    return sets


# ---- progress -----------------------------------------------------------------------------------
def progress(label: str, unit: str = "rep", show_best: bool = False):
    """A tqdm bar on stderr, created on the first update: ``update(done, total[, best])``."""
    from tqdm import tqdm

    bar: dict[str, Any] = {"b": None}

    def update(done: int, total: int, best: float | None = None) -> None:
        if bar["b"] is None:
            bar["b"] = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, mininterval=0.5, disable=None)
        bar["b"].n = done
        if show_best and best is not None:
            bar["b"].set_postfix_str(f"best distance {best:.3g}", refresh=False)
        bar["b"].refresh()
        if done >= total:
            bar["b"].close()

    return update
