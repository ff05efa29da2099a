"""``rtwsim optimise``: the best split of an investment budget under uncertainty (analysis.optimise)."""
from __future__ import annotations

import sys
from pathlib import Path

from analysis.optimise import DEFAULT_DISCOUNT_RATE, optimise
from presentation.tables import optimise_lines

from .options import add_executor_options, finite_number, positive_int, progress, seed_int, whole_number

_budget = finite_number(0, 1e6, "mio. DKK a year", above_minimum=True)
_rate = finite_number(0, 0.2, "a yearly discount rate, e.g. 0.035")


def cmd_optimise(args) -> int:
    r = optimise(args.scenario, args.budget, args.years, policy=args.policy, funded_years=args.funded_years,
                 first_year=args.first_year, trials=args.trials, reps=args.reps, seed=args.seed,
                 parameter_sets=args.parameter_sets, max_sets=args.max_sets, discount_rate=args.discount_rate,
                 progress=progress("optimise"))
    df = r.table()
    front = df[df["pareto"]].sort_values("net_present_cost_mio")
    print("\nPareto front (extra returns against net present cost):")
    print(front.round(2).to_string(index=False))
    print()
    for line in optimise_lines(r, "en"):
        print(line)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        df.to_csv(out / "candidates.csv", index=False)
        (out / "summary.txt").write_text("\n".join(optimise_lines(r, "en")) + "\n", encoding="utf-8")
        print(f"wrote candidates.csv and summary.txt to {out}/", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    sp = subparsers.add_parser("optimise", help="best split of an investment budget under uncertainty (Optuna)")
    sp.add_argument("scenario", help="baseline scenario without an investment, e.g. hjorring_before_investment")
    sp.add_argument("--budget", type=_budget, required=True, help="mio. DKK a year for the modelled group")
    sp.add_argument("--years", type=whole_number(1), required=True, help="years counted; payback within N years")
    sp.add_argument("--policy", default=None, help="scenario with the investment plan to vary (default: the library "
                    "scenario that extends SCENARIO with an investment)")
    sp.add_argument("--funded-years", type=positive_int, default=None, help="years with budget (default: --years)")
    sp.add_argument("--first-year", type=whole_number(2010), default=None, help="first funded year (default: this year)")
    sp.add_argument("--trials", type=positive_int, default=30, help="search trials after the coarse grid (default 30)")
    sp.add_argument("--reps", type=positive_int, default=4, help="replications per parameter set (default 4)")
    sp.add_argument("--seed", type=seed_int, default=1, help="seed of the runs and the search (default 1)")
    sp.add_argument("--parameter-sets", default=None, help="calibrated sets, e.g. calibrated/copenhagen_ibbis")
    sp.add_argument("--max-sets", type=positive_int, default=8, help="at most this many accepted sets (default 8)")
    sp.add_argument("--discount-rate", type=_rate, default=DEFAULT_DISCOUNT_RATE,
                    help="yearly discount rate of the net present cost (default 0.035, Finansministeriet 2021)")
    add_executor_options(sp)
    sp.add_argument("--out", default=None, help="folder for candidates.csv and summary.txt")
    sp.set_defaults(func=cmd_optimise, executor=True)
