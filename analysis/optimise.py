"""The best split of a fixed investment budget under uncertainty (``rtwsim optimise``).

Given a baseline scenario without an investment and a policy scenario whose ``investment:`` plan
funds a pathway that citizens enter, the optimiser searches the plan's levers for a fixed budget
per year:

- the split across the lines that buy capacity: consultants (lower caseloads), health staff,
  purchased treatment (in steps of ``step`` percent, summing to 100%);
- the caseload norm of the plan's consultant pool (places follow from it);
- the screening threshold (WHO-5), when the policy allocates by a WHO-5 screen.

Every candidate runs on the same seed as the baseline (common random numbers) and, with
``parameter_sets``, over the accepted calibrated sets (replication r uses set r mod K, as
``model.run`` does), so candidates differ only by their levers. The search uses Optuna's
multi-objective TPE sampler (maximise extra returns to work, minimise net present cost), seeded
with a coarse grid of splits so the search never does worse than the grid.

Reported per candidate: expected extra returns and net present cost over the parameter sets, the
probability that it pays back within N years (share of parameter sets whose mean cumulative net
effect is >= 0 by year N; with one set, the share of replications), the Pareto front, the
best-on-average choice (highest expected net present value) and a robust choice (smallest
worst-case regret across parameter sets). Minimum *expected* regret picks the same candidate as
the best on average (regret is linear in the value), so the robust choice uses the worst case.

Net present cost = -(sum over years of the public net effect discounted at ``discount_rate``).
The default 3.5% is the Danish Ministry of Finance's recommended social discount rate for years
0-35 (Finansministeriet, "Dokumentationsnotat - den samfundsøkonomiske diskonteringsrente",
7 January 2021). This is a plain parameter here: the present-value function planned for
``model.economics`` (issue 14) was not available when this was written.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from model import Scenario, ScenarioError, list_scenario_names, load_scenario, run
from model.execution import executing
from model.economics import compare_budgets
from model.investment import plan
from model.scenario import read_raw

DEFAULT_DISCOUNT_RATE = 0.035   # Finansministeriet, dokumentationsnotat 7 Jan 2021: 3.5% in years 0-35
LINES3 = ("consultants", "health_staff", "treatment")


class OptimiseError(ScenarioError):
    """Bad optimiser input (named; the CLI prints it and exits with 2)."""


def find_policy(baseline: Scenario) -> str:
    """A library scenario that extends ``baseline`` and has an investment plan (e.g. hjorring_investment)."""
    found = []
    for name in list_scenario_names():
        try:
            data, _ = read_raw(name)
        except ScenarioError:
            continue
        if data.get("extends") == baseline.name and data.get("investment"):
            found.append(name)
    if len(found) != 1:
        raise OptimiseError(f"no single policy scenario found for baseline {baseline.name!r} (scenarios that extend it "
                            f"with an investment: {found}); name one with --policy")
    return found[0]


def splits_on_grid(step: int) -> list[tuple[int, int, int]]:
    """All (consultants, health staff, treatment) percentages in steps of ``step`` that add up to 100."""
    return [(c, h, 100 - c - h) for c in range(0, 101, step) for h in range(0, 101 - c, step)]


@dataclass
class Candidate:
    levers: dict
    extra_returns: float          # expected over parameter sets, summed over the N years
    net_present_cost: float       # expected, DKK (positive = costs the public budget)
    p_payback: float              # share of parameter sets (or replications) paid back by year N
    per_set_npv: np.ndarray = field(repr=False)      # net present value per parameter set (DKK)
    per_set_returns: np.ndarray = field(repr=False)

    def row(self) -> dict:
        return {**self.levers, "extra_returns": self.extra_returns, "net_present_cost_mio": self.net_present_cost / 1e6,
                "p_payback": self.p_payback,
                "npv_min_mio": float(self.per_set_npv.min()) / 1e6, "npv_max_mio": float(self.per_set_npv.max()) / 1e6}


@dataclass
class OptimiseResult:
    policy: str
    baseline: str
    budget_dkk: float
    funded_years: int
    years: int
    first_year: int
    reps: int
    seed: int
    n_sets: int
    discount_rate: float
    candidates: list[Candidate]
    seconds: float

    def table(self) -> pd.DataFrame:
        df = pd.DataFrame([c.row() for c in self.candidates])
        df["pareto"] = pareto_mask(df["extra_returns"].to_numpy(), df["net_present_cost_mio"].to_numpy())
        df["regret_max_mio"] = [r / 1e6 for r in self.max_regret()]
        return df

    def max_regret(self) -> np.ndarray:
        npv = np.vstack([c.per_set_npv for c in self.candidates])      # candidates x sets
        return (npv.max(axis=0, keepdims=True) - npv).max(axis=1)

    def best_on_average(self) -> int:
        return int(np.argmax([-c.net_present_cost for c in self.candidates]))

    def robust(self) -> int:
        return int(np.argmin(self.max_regret()))


def pareto_mask(gain: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """True where no other point has at least the gain at most the cost, and is better in one."""
    n = len(gain)
    out = np.ones(n, dtype=bool)
    for i in range(n):
        dominated = (gain >= gain[i]) & (cost <= cost[i]) & ((gain > gain[i]) | (cost < cost[i]))
        out[i] = not dominated.any()
    return out


class Evaluator:
    """Runs plans on common random numbers against one baseline run (made once)."""

    def __init__(self, policy: Scenario, baseline: Scenario, budget_dkk: float, funded_years: int, years: int,
                 first_year: int, reps: int, seed: int, parameter_sets: list[dict] | None, discount_rate: float,
                 jobs: int | None = None):
        weeks = {"horizon_weeks": years * 52, "economics.start_year": first_year}
        self.plan_base = policy.investment            # pathway, place weeks, course price, payer of the plan
        self.policy = policy.with_overrides({**weeks, "investment": None})
        self.baseline = baseline.with_overrides({**weeks, "investment": None})
        for s in (self.policy, self.baseline):
            try:
                s.economics.check_years(years)
            except ValueError as err:
                raise OptimiseError(f"{s.name}: {err}") from None
        self.budget, self.funded, self.years, self.first = budget_dkk, funded_years, years, first_year
        self.sets = parameter_sets
        self.k = len(parameter_sets) if parameter_sets else 1
        self.reps = reps * self.k
        self.seed, self.rate, self.jobs = seed, discount_rate, jobs
        self.base_result = run(self.baseline, reps=self.reps, seed=seed, jobs=jobs, parameter_sets=parameter_sets)
        self.cache: dict[tuple, Candidate] = {}
        self.screening = (self.policy.allocation.rule == "screening"
                          and self.policy.allocation.screening.criterion == "who5_below")

    def scenario(self, levers: dict) -> Scenario:
        split = {line: levers[line] / 100 for line in LINES3}
        inv = plan(self.budget, self.funded, self.first, split, base=self.plan_base, label="optimised plan")
        over: dict[str, object] = {"investment": inv.model_dump()}
        pool = self.plan_base.consultant_pool or self.policy.pathways[inv.pathway].consultant_pool
        if "caseload_limit" in levers:
            over[f"consultants.{pool}.caseload_limit"] = int(levers["caseload_limit"])
        if "who5_threshold" in levers:
            over["allocation.screening.who5_threshold"] = float(levers["who5_threshold"])
        return self.policy.with_overrides(over)

    def __call__(self, levers: dict) -> Candidate:
        key = tuple(sorted(levers.items()))
        if key in self.cache:
            return self.cache[key]
        res = run(self.scenario(levers), reps=self.reps, seed=self.seed, jobs=self.jobs, parameter_sets=self.sets)
        p = compare_budgets(res, self.base_result).paired()
        p["set"] = p["replication"] % self.k
        disc = 1.0 / (1.0 + self.rate) ** (p["year"] - 1)
        p["pv"] = p["net.total"] * disc
        per_rep = p.groupby("replication").agg(set=("set", "first"), npv=("pv", "sum"),
                                               returns=("extra_returns", "sum"))
        cum_n = p[p["year"] == self.years].set_index("replication")["cumulative_net"]
        per_rep["paid"] = cum_n.reindex(per_rep.index).to_numpy() >= 0
        per_set = per_rep.groupby("set").agg(npv=("npv", "mean"), returns=("returns", "mean"))
        cum_set = p[p["year"] == self.years].groupby("set")["cumulative_net"].mean()
        p_pay = float((cum_set >= 0).mean()) if self.k > 1 else float(per_rep["paid"].mean())
        cand = Candidate(dict(levers), float(per_set["returns"].mean()), float(-per_set["npv"].mean()), p_pay,
                         per_set["npv"].to_numpy(), per_set["returns"].to_numpy())
        self.cache[key] = cand
        return cand


def optimise(scenario: str | Scenario, budget_mio: float, years: int, *, policy: str | Scenario | None = None,
             funded_years: int | None = None, first_year: int | None = None, trials: int = 30, reps: int = 4,
             seed: int = 1, step: int = 10, grid_step: int = 50, caseloads: tuple[int, int] | None = (20, 80),
             parameter_sets: list[dict] | str | None = None, max_sets: int = 8,
             discount_rate: float = DEFAULT_DISCOUNT_RATE, jobs: int | None = None, scheduler: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> OptimiseResult:
    """Search the split of ``budget_mio`` mio. DKK a year (and the caseload norm, and a WHO-5 screening
    threshold where the policy has one) for the plan with the most extra returns at the least net present
    cost over ``years`` years; see the module docstring. ``jobs``/``scheduler`` choose where the
    replications run (model.execution); the result does not depend on them."""
    with executing(jobs, scheduler):
        return _optimise(scenario, budget_mio, years, policy, funded_years, first_year, trials, reps, seed, step,
                         grid_step, caseloads, parameter_sets, max_sets, discount_rate, progress)


def _optimise(scenario, budget_mio, years, policy, funded_years, first_year, trials, reps, seed, step, grid_step,
              caseloads, parameter_sets, max_sets, discount_rate, progress) -> OptimiseResult:
    import datetime

    import optuna

    if not (isinstance(budget_mio, (int, float)) and budget_mio > 0):
        raise OptimiseError(f"--budget must be a positive number of mio. DKK a year, got {budget_mio!r}")
    if not (1 <= years <= 20):
        raise OptimiseError(f"--years must be 1 to 20, got {years}")
    if step not in (5, 10, 20, 25, 50) or grid_step % step:
        raise OptimiseError(f"split step must be one of 5, 10, 20, 25, 50 and divide the grid step, got {step}/{grid_step}")
    base = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if base.investment is not None:
        raise OptimiseError(f"{base.name!r} has an investment; give the baseline without one (e.g. "
                            "hjorring_before_investment) and the policy with --policy")
    pol = policy if isinstance(policy, Scenario) else load_scenario(policy or find_policy(base))
    if pol.investment is None:
        raise OptimiseError(f"policy {pol.name!r} has no investment: block (it names the funded pathway)")
    first = int(first_year or datetime.date.today().year)
    funded = int(funded_years or years)
    if isinstance(parameter_sets, str):
        from model.parameter_sets import accepted_parameter_sets

        parameter_sets = accepted_parameter_sets(parameter_sets)
    if parameter_sets and len(parameter_sets) > max_sets:   # evenly spaced subset, reproducible
        idx = np.linspace(0, len(parameter_sets) - 1, max_sets).round().astype(int)
        parameter_sets = [parameter_sets[i] for i in dict.fromkeys(idx)]
    start = time.perf_counter()
    ev = Evaluator(pol, base, budget_mio * 1e6, funded, years, first, reps, seed, parameter_sets, discount_rate)

    def objective(trial: "optuna.Trial"):
        c = trial.suggest_int("consultants", 0, 100, step=step)
        h = trial.suggest_int("health_staff", 0, 100, step=step)
        if c + h > 100:          # outside the simplex: not a split of the budget
            raise optuna.TrialPruned()
        levers = {"consultants": c, "health_staff": h, "treatment": 100 - c - h}
        if caseloads:
            levers["caseload_limit"] = trial.suggest_int("caseload_limit", caseloads[0], caseloads[1], step=5)
        if ev.screening:
            levers["who5_threshold"] = trial.suggest_int("who5_threshold", 30, 70, step=5)
        try:
            cand = ev(levers)
        except (ScenarioError, ValueError):
            raise optuna.TrialPruned() from None
        trial.set_user_attr("levers", levers)
        return cand.extra_returns, cand.net_present_cost

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(directions=["maximize", "minimize"],
                                sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5))
    default_cl = pol.consultants[pol.investment.consultant_pool or pol.pathways[pol.investment.pathway].consultant_pool].caseload_limit
    for c, h, _tr in splits_on_grid(grid_step):    # the coarse grid first: the search never does worse than it
        params = {"consultants": c, "health_staff": h}
        if caseloads:
            params["caseload_limit"] = int(min(max(5 * round(default_cl / 5), caseloads[0]), caseloads[1]))
        if ev.screening:
            params["who5_threshold"] = int(5 * round(pol.allocation.screening.who5_threshold / 5))
        study.enqueue_trial(params)
    done = 0
    total = trials + len(splits_on_grid(grid_step))
    while done < total:
        study.optimize(objective, n_trials=1)
        done += 1
        if progress:
            progress(done, total)
    cands = list(ev.cache.values())
    if not cands:
        raise OptimiseError("no plan could be evaluated (every split was refused); see `rtwsim validate` on the policy")
    return OptimiseResult(pol.name, base.name, budget_mio * 1e6, funded, years, first, reps, seed, ev.k,
                          discount_rate, cands, time.perf_counter() - start)
