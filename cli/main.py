"""``rtwsim``: every subcommand registered here, and one executor opened around the verbs that run
many simulations (``--jobs`` or ``--scheduler``; model.execution)."""
from __future__ import annotations

import argparse
import sys

from model import ScenarioError, __version__
from model.execution import ExecutionError, open_executor
from model.output import OutputError

from . import budget, calibrate, optimise, sensitivity, simulate
from .options import CliError

COMMANDS = (simulate, budget, calibrate, sensitivity, optimise)
"""Modules whose ``register(subparsers)`` adds their subcommands, in the order of ``rtwsim --help``."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rtwsim", description="Return-to-work policy simulation for Danish jobcentres")
    p.add_argument("--version", action="version", version=f"rtwsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) == "compare" and len(args.scenarios) < 2:
        parser.error("compare needs at least two scenarios (the first is the baseline)")
    try:
        if getattr(args, "executor", False):   # one pool or Dask client for all the command's runs
            with open_executor(args.jobs, args.scheduler):
                return int(args.func(args) or 0)
        return int(args.func(args) or 0)
    except (ScenarioError, CliError, OutputError, ExecutionError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
