"""Replications and paired comparisons: the verbs of the public API.

``run`` simulates one scenario N times; ``compare`` runs several scenarios on the same
replication seeds (common random numbers) and reports paired differences against the first;
``evaluate`` is the flat parameters-to-outputs function that calibration and sensitivity call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from . import seeds
from .batch_key import group_by_key
from .execution import current, default_jobs, executing
from .hazards import EFFECT_NAMES
from .investment import resolve as resolve_investment
from .model import ONWARD_COLUMNS, RTWModel
from .intervals import replication_interval
from .batch_outputs import batch_outputs
from .results import benefit_curve, budget_outputs, summarise
from .scenario import PATHWAYS, Scenario, ScenarioError, load_scenario

Progress = Callable[[int, int], None]


@dataclass
class Replication:
    replication: int
    spells: pd.DataFrame
    weekly: pd.DataFrame
    effects: pd.DataFrame
    outputs: dict[str, float]
    # onward states after sickness benefit / jobafklaring, one row per stay (issue 12):
    # replication, citizen_id, spell, state, start_week, end_week (NaN while still there at the horizon)
    onward: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ONWARD_COLUMNS))


@dataclass
class ExperimentResult:
    """All replications of one scenario: tidy tables and summaries with intervals."""

    scenario: Scenario
    seed: int | None
    weeks: int
    reps: list[Replication] = field(repr=False)
    n_sets: int = 1
    """Parameter sets the replications cycled (replication r used set r mod n_sets); above 1, every interval is
    the evidence interval over the sets (model.intervals.replication_interval), not the simulation-noise one."""

    @property
    def spells(self) -> pd.DataFrame:
        return pd.concat([r.spells for r in self.reps], ignore_index=True)

    @property
    def weekly(self) -> pd.DataFrame:
        return pd.concat([r.weekly for r in self.reps], ignore_index=True)

    @property
    def effects(self) -> pd.DataFrame:
        return pd.concat([r.effects for r in self.reps], ignore_index=True)

    @property
    def onward(self) -> pd.DataFrame:
        return pd.concat([r.onward for r in self.reps], ignore_index=True)

    @property
    def outputs(self) -> pd.DataFrame:
        return pd.DataFrame([{"replication": r.replication, **r.outputs} for r in self.reps])

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        return summarise(self.outputs, level, self.n_sets)

    def effect_summary(self) -> pd.DataFrame:
        """Mean log-hazard contribution of each named lever by pathway, with intervals across replications."""
        rows = []
        for (p, e), g in self.effects.groupby(["pathway", "effect"]):
            m, sd, lo, hi = replication_interval(g["mean_log_hazard"].to_numpy(), self.n_sets, g["replication"].to_numpy())
            rows.append({"pathway": p, "effect": e, "mean_log_hazard": m, "ci_low": lo, "ci_high": hi,
                         "hazard_multiplier": float(np.exp(m))})
        return pd.DataFrame(rows)

    def benefit_curve(self, weeks: int | None = None) -> pd.DataFrame:
        w = weeks or min(self.weeks, 104)
        return benefit_curve(self.spells, w, self.weeks, self.scenario.warmup_weeks)


def simulate(scenario: Scenario, rep_seed: np.random.SeedSequence, weeks: int | None = None,
             replication: int = 0, budget: bool = False) -> Replication:
    """One replication: run the Mesa model and reduce it to tables and outputs (``budget``: add the
    budget's present value and sum by payer, ``budget_npv.*`` / ``budget_cost.*``)."""
    return simulate_batch(scenario, [rep_seed], weeks, [replication], budget)[0]


def simulate_batch(scenario: Scenario | Sequence[Scenario], rep_seeds: Sequence[np.random.SeedSequence],
                   weeks: int | None = None, replications: Sequence[int] | None = None,
                   budget: bool = False) -> list[Replication]:
    """Several replications in one model (model/batch.py), each reduced as ``simulate`` reduces it alone: the
    results are bit for bit those of running them one by one, at a fraction of the cost when a replication
    is small (the cost of a week is mostly fixed). ``scenario``: one for every seed, or one per seed that
    differ only in model.batch_key.BATCHED_PATHS (else BatchKeyError; ``simulate_runs`` groups them)."""
    m, scenarios, reps = _batch_model(scenario, rep_seeds, weeks, replications)
    outputs = batch_outputs(m, scenarios)
    out = []
    for code, (spells, weekly, onward) in enumerate(m.tables()):
        replication = reps[code]
        if spells.empty:
            spells = pd.DataFrame(columns=["replication", "citizen_id", "spell", "pathway", "arrival_week",
                                           "spell_start_week", "return_week", "benefit_end_week", "end_week", "outcome"])
        eff_rows = []
        for k, p in enumerate(PATHWAYS):
            if m.effect_weeks[code, k] > 0:
                for j, e in enumerate(EFFECT_NAMES):
                    eff_rows.append({"replication": replication, "pathway": p, "effect": e,
                                     "mean_log_hazard": m.effect_sums[j, code, k] / m.effect_weeks[code, k]})
        effects = pd.DataFrame(eff_rows, columns=["replication", "pathway", "effect", "mean_log_hazard"])
        onward = pd.DataFrame(onward, columns=ONWARD_COLUMNS)
        if budget:
            outputs[code].update(budget_outputs(spells, weekly, scenarios[code], m.horizon, onward))
        out.append(Replication(replication, spells, weekly, effects, outputs[code], onward))
    return out


def _batch_model(scenario: Scenario | Sequence[Scenario], rep_seeds: Sequence[np.random.SeedSequence],
                 weeks: int | None, replications: Sequence[int] | None) -> tuple[RTWModel, list[Scenario], list[int]]:
    """The batched model, run: (model, each replication's scenario, replication numbers)."""
    scenarios = ([resolve_investment(scenario)] * len(rep_seeds) if isinstance(scenario, Scenario)
                 else [resolve_investment(s) for s in scenario])
    one = isinstance(scenario, Scenario)
    if len(scenarios) != len(rep_seeds):
        raise ValueError(f"simulate_batch: {len(scenarios)} scenarios for {len(rep_seeds)} seeds; give one per seed")
    reps = list(range(len(rep_seeds))) if replications is None else [int(r) for r in replications]
    m = RTWModel(scenarios[0] if one else scenarios, list(rep_seeds), weeks=weeks, replication=reps).run()
    return m, scenarios, reps


def simulate_batch_outputs(scenario: Scenario | Sequence[Scenario], rep_seeds: Sequence[np.random.SeedSequence],
                           weeks: int | None = None, replications: Sequence[int] | None = None,
                           budget: bool = False) -> list[dict[str, float]]:
    """The ``outputs`` of ``simulate_batch``'s replications, computed from the model's columns without building
    tables (what calibration-style and sensitivity evaluations read); the budget needs the tables."""
    if budget:
        return [rep.outputs for rep in simulate_batch(scenario, rep_seeds, weeks, replications, budget)]
    m, scenarios, _ = _batch_model(scenario, rep_seeds, weeks, replications)
    return batch_outputs(m, scenarios)


def simulate_runs(runs: Sequence[tuple[Scenario, np.random.SeedSequence]], weeks: int | None = None,
                  replications: Sequence[int] | None = None, budget: bool = False,
                  batch: int | None = None) -> list[Replication]:
    """Replications given as (scenario, seed) pairs, in that order: those whose scenarios share a batch key
    (model.batch_key: they differ only in per-replication parameters) run together in models of at most
    ``batch`` (default BATCH_REPS) replications; the others in models of their own. Bit for bit the
    replications run one by one."""
    return _in_batches(simulate_batch, runs, weeks, replications, budget, batch)


def simulate_runs_outputs(runs: Sequence[tuple[Scenario, np.random.SeedSequence]], weeks: int | None = None,
                          replications: Sequence[int] | None = None, budget: bool = False,
                          batch: int | None = None) -> list[dict[str, float]]:
    """The ``outputs`` of ``simulate_runs``' replications, without their tables (``simulate_batch_outputs``)."""
    return _in_batches(simulate_batch_outputs, runs, weeks, replications, budget, batch)


def _in_batches(simulate_part: Callable, runs: Sequence[tuple[Scenario, np.random.SeedSequence]],
                weeks: int | None, replications: Sequence[int] | None, budget: bool, batch: int | None) -> list:
    """``simulate_part`` (simulate_batch or simulate_batch_outputs) over groups of runs that share a batch key."""
    runs = list(runs)
    reps = list(range(len(runs))) if replications is None else [int(r) for r in replications]
    if len(reps) != len(runs):
        raise ValueError(f"simulate_runs: {len(reps)} replication numbers for {len(runs)} runs")
    scenarios = [resolve_investment(sc) for sc, _ in runs]
    out: list = [None] * len(runs)
    for group in group_by_key(scenarios):
        size = batch_size(scenarios[group[0]], weeks, len(group), 1, batch)
        for lo in range(0, len(group), size):
            part = group[lo:lo + size]
            done = simulate_part([scenarios[k] for k in part], [runs[k][1] for k in part], weeks,
                                 [reps[k] for k in part], budget)
            for k, r in zip(part, done):
                out[k] = r
    return out


def _simulate_task(args) -> list[Replication]:
    """One task of an executor: a batch of replications of one scenario variant."""
    return simulate_batch(*args)


def _resolve(scenario: Scenario | str) -> Scenario:
    return load_scenario(scenario) if isinstance(scenario, str) else scenario


MAX_REPS = 5000
"""Replications of one run: each keeps its spell and weekly tables in memory until the run ends
(the baseline scenario: about 0.5 MB each), so 5000 stay below about 3 GB."""
MAX_CITIZENS = 250_000
"""Citizens expected in one replication (arrivals over the simulated weeks); about 4.5 kB each
(measured: 20,000 citizens add 90 MB), so one replication stays near 1 GB."""


BATCH_REPS = 16
"""Replications of one scenario variant simulated together in one model (model/batch.py), at most: a
municipality-sized replication costs a fraction of a single run in a batch of 16 (docs/odd.md
§3.13). Batches are also kept below MAX_CITIZENS citizens and split so every worker has one."""


def expected_citizens(sc: Scenario, weeks: int | None = None) -> float:
    """Citizens a replication is expected to hold (arrivals over the simulated weeks, both populations)."""
    horizon = int(weeks or sc.horizon_weeks)
    sick = sc.arrivals.per_year * horizon / 52 if sc.arrivals.mode == "poisson" else sc.arrivals.cohort_size
    cash = sum(g.per_year for _, g in sc.cash_benefit.groups()) * horizon / 52 if sc.cash_benefit.enabled else 0.0
    return sick + cash


def check_batch(batch: int | None) -> int:
    if batch is None:
        return BATCH_REPS
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or not 1 <= batch <= MAX_REPS:
        raise ScenarioError(f"batch must be a whole number from 1 to {MAX_REPS} (replications simulated together "
                            f"in one model), got {batch!r}")
    return int(batch)


def batch_size(sc: Scenario, weeks: int | None, reps: int, workers: int = 1, batch: int | None = None) -> int:
    """Replications per batch: at most ``batch`` (default BATCH_REPS), a batch below MAX_CITIZENS citizens,
    and no fewer batches than workers when there are enough replications."""
    cap = max(1, int(MAX_CITIZENS // max(1.0, expected_citizens(sc, weeks))))
    return max(1, min(check_batch(batch), cap, -(-reps // max(1, workers))))


def _check(reps: int, weeks: int | None, sc: Scenario | None = None) -> None:
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or not 1 <= reps <= MAX_REPS:
        raise ScenarioError(f"reps must be a whole number from 1 to {MAX_REPS} (each replication's tables are held "
                            f"in memory), got {reps!r}")
    if weeks is not None and (isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer))
                              or weeks < 1 or weeks > 1040):
        raise ScenarioError(f"weeks must be a whole number from 1 to 1040, got {weeks!r}")
    if sc is None:
        return
    horizon = int(weeks or sc.horizon_weeks)
    if horizon <= sc.warmup_weeks:
        raise ScenarioError(f"weeks ({horizon}) must be above the scenario's warmup_weeks ({sc.warmup_weeks}): "
                            "spells arriving during the warm-up are not counted, so every result would be n/a")
    expected = sc.arrivals.per_year * horizon / 52 if sc.arrivals.mode == "poisson" else sc.arrivals.cohort_size
    if expected > MAX_CITIZENS:
        raise ScenarioError(f"arrivals: about {expected:,.0f} citizens in {horizon} weeks; at most {MAX_CITIZENS:,} "
                            "per replication (about 4.5 kB of memory each). Lower arrivals.per_year / "
                            "arrivals.cohort_size or the weeks")


def run(scenario: Scenario | str, reps: int = 20, seed: int | None = 1, weeks: int | None = None,
        jobs: int | None = None, progress: Progress | None = None,
        parameter_sets: list[dict] | str | None = None, scheduler: str | None = None,
        batch: int | None = None) -> ExperimentResult:
    """Simulate ``reps`` replications of a scenario from one seed (replication r uses child r of the seed).

    ``parameter_sets`` (a list of ``{path: value}`` or a calibrated set name such as
    ``calibrated/copenhagen_ibbis``, or an evidence base ``evidence/ibbis1_trials``) gives replication r the
    overrides of set r mod K, so that the intervals are the range over the sets (model.intervals); use
    reps >= 2K so that each set runs at least twice.
    ``jobs``/``scheduler`` choose the executor (model.execution); without them the current one, or
    the default number of local workers. Replications run in batches of up to ``batch`` (default
    BATCH_REPS) in one model, sets that differ only in per-replication parameters (model.batch_key)
    together; the results do not depend on the batch size.
    """
    sc = _prepare(scenario, reps, weeks)
    check_batch(batch)
    if isinstance(parameter_sets, str):   # read the named sets once
        parameter_sets = named_parameter_sets(parameter_sets)
    tasks = _tasks(sc, reps, seed, weeks, parameter_sets, _workers(jobs, scheduler), batch)
    with executing(jobs, scheduler, tasks=len(tasks)) as ex:
        out = _collect(ex.map(_simulate_task, tasks), reps, progress)
    return ExperimentResult(sc, seed, int(weeks or sc.horizon_weeks), out, _n_sets(parameter_sets))


def _workers(jobs: int | None, scheduler: str | None) -> int:
    """The workers the tasks will be spread over (to cut batches so that each has work)."""
    ex = current()
    if ex is not None and jobs is None and scheduler is None:
        return ex.workers
    return jobs if jobs is not None else default_jobs()


def _prepare(scenario: Scenario | str, reps: int, weeks: int | None) -> Scenario:
    sc = resolve_investment(_resolve(scenario))   # the result carries the scenario as simulated
    _check(reps, weeks, sc)
    return sc


def _tasks(sc: Scenario, reps: int, seed: int | None, weeks: int | None,
           parameter_sets: list[dict] | str | None, workers: int = 1, batch: int | None = None) -> list[tuple]:
    """Batches of replications (replication r uses variant r mod K), each a task (scenario or one scenario per
    replication, seeds, weeks, replication numbers). Variants that differ only in per-replication parameters
    (model.batch_key: e.g. calibrated or evidence sets) share batches; others get batches of their own."""
    variants = _variants(sc, parameter_sets)
    k = len(variants)
    rep_seeds = seeds.children(seed, reps)
    tasks = []
    for group in group_by_key(variants):
        mine = [r for r in range(reps) if r % k in group]
        if not mine:
            continue
        size = batch_size(variants[group[0]], weeks, len(mine), max(1, workers * len(group) // k), batch)
        for lo in range(0, len(mine), size):
            part = mine[lo:lo + size]
            scenario = variants[group[0]] if len(group) == 1 else [variants[r % k] for r in part]
            tasks.append((scenario, [rep_seeds[r] for r in part], weeks, part))
    return tasks


def _n_sets(parameter_sets: list[dict] | None) -> int:
    """How many parameter sets the replications cycle (1: none)."""
    return 1 if parameter_sets is None else len(parameter_sets)


def _collect(results: Iterable[list[Replication]], total: int, progress: Progress | None) -> list[Replication]:
    """Every batch's replications, in the order of their numbers; progress counted in replications."""
    out: list[Replication] = []
    for batch in results:
        for r in batch:
            out.append(r)
            if progress:
                progress(len(out), total)
    return sorted(out, key=lambda r: r.replication)


def named_parameter_sets(name: str) -> list[dict]:
    """``evidence/<name>`` → an evidence base's transferred sets (model.evidence); otherwise a calibrated set
    name such as ``calibrated/copenhagen_ibbis`` → its accepted sets."""
    if name.startswith("evidence/"):
        from .evidence import evidence_parameter_sets

        return evidence_parameter_sets(name.split("/", 1)[1])
    from .parameter_sets import accepted_parameter_sets

    return accepted_parameter_sets(name)


def _variants(sc: Scenario, parameter_sets: list[dict] | str | None) -> list[Scenario]:
    if parameter_sets is None:
        return [sc]
    if isinstance(parameter_sets, str):
        parameter_sets = named_parameter_sets(parameter_sets)
    if not isinstance(parameter_sets, list) or not parameter_sets or not all(isinstance(p, dict) for p in parameter_sets):
        raise ScenarioError("parameter_sets must be a non-empty list of {dotted.path: value} mappings "
                            "or a calibrated set name such as 'calibrated/copenhagen_ibbis'")
    return [sc.with_overrides(p) for p in parameter_sets]


@dataclass
class Comparison:
    """Several scenarios on common random numbers; differences are paired by replication."""

    results: dict[str, ExperimentResult]
    baseline: str

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        frames = []
        for name, res in self.results.items():
            s = res.summary(level)
            s.insert(0, "scenario", name)
            frames.append(s)
        return pd.concat(frames, ignore_index=True)

    def differences(self, level: float = 0.95) -> pd.DataFrame:
        """Scenario minus baseline per replication, summarised with intervals (the evidence interval when the
        replications cycled parameter sets, model.intervals.replication_interval)."""
        base = self.results[self.baseline].outputs.set_index("replication")
        frames = []
        for name, res in self.results.items():
            if name == self.baseline:
                continue
            other = res.outputs.set_index("replication")
            cols = [c for c in other.columns if c in base.columns]
            diff = (other[cols] - base[cols]).reset_index()
            s = summarise(diff, level, res.n_sets)
            s.insert(0, "scenario", name)
            s.insert(1, "baseline", self.baseline)
            frames.append(s)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compare(scenarios: Sequence[Scenario | str], reps: int = 20, seed: int | None = 1, weeks: int | None = None,
            jobs: int | None = None, progress: Progress | None = None,
            parameter_sets: list[dict] | str | None = None, scheduler: str | None = None,
            batch: int | None = None) -> Comparison:
    """Run each scenario on the same replication seeds; the first is the baseline.

    With ``parameter_sets`` replication r of every scenario uses the same set (r mod K), so the
    paired differences carry calibration uncertainty too.
    """
    if len(scenarios) < 2:
        raise ScenarioError("compare needs at least two scenarios (the first is the baseline)")
    scs = [_resolve(s) for s in scenarios]
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ScenarioError(f"compare got the same scenario name twice: {names}")
    for sc in scs:  # every scenario before the first replication runs
        _check(reps, weeks, sc)
    if isinstance(parameter_sets, str):
        parameter_sets = named_parameter_sets(parameter_sets)
    prepared = [_prepare(sc, reps, weeks) for sc in scs]
    check_batch(batch)
    workers = _workers(jobs, scheduler)
    per_scenario = [_tasks(sc, reps, seed, weeks, parameter_sets, max(1, workers // len(prepared)), batch)
                    for sc in prepared]
    tasks = [t for ts in per_scenario for t in ts]
    with executing(jobs, scheduler, tasks=len(tasks)) as ex:   # one pool for every scenario's replications
        done = iter(ex.map(_simulate_task, tasks))
        counted = _counting(done, len(prepared) * reps, progress)
        outs = [_collect((next(counted) for _ in ts), reps, None) for ts in per_scenario]
    results = {sc.name: ExperimentResult(sc, seed, int(weeks or sc.horizon_weeks), outs[k], _n_sets(parameter_sets))
               for k, sc in enumerate(prepared)}
    return Comparison(results, names[0])


def _counting(batches: Iterable[list[Replication]], total: int, progress: Progress | None):
    """The batches as they come, with progress counted in replications over every scenario."""
    done = 0
    for batch in batches:
        done += len(batch)
        if progress:
            for k in range(done - len(batch) + 1, done + 1):
                progress(k, total)
        yield batch


def _batched(scenario: Scenario, rep_seeds: list, weeks: int | None, budget: bool, batch: int | None) -> list[dict]:
    """Outputs of replications 0..n-1 of one scenario, simulated in batches in this process."""
    size = batch_size(scenario, weeks, len(rep_seeds), 1, batch)
    return [out for lo in range(0, len(rep_seeds), size)
            for out in simulate_batch_outputs(scenario, rep_seeds[lo:lo + size], weeks,
                                              range(lo, min(lo + size, len(rep_seeds))), budget)]


def evaluate(scenario: Scenario, seed_sequence: np.random.SeedSequence | int, reps: int = 1,
             baseline: Scenario | None = None, weeks: int | None = None, budget: bool = False,
             batch: int | None = None) -> dict[str, float]:
    """Flat outputs (mean over ``reps``) for calibration and sensitivity; with a baseline, paired ``diff.*`` too.

    ``budget``: also the budget's present value and sum by payer (``budget_npv.*``, ``budget_cost.*``;
    paired, ``diff.budget_npv.public`` is minus the net effect's present value)."""
    rep_seeds = seeds.children(seed_sequence, reps)
    outs = _batched(scenario, rep_seeds, weeks, budget, batch)
    return _flat(outs, None if baseline is None else _batched(baseline, rep_seeds, weeks, budget, batch))


def _flat(outs: list[dict], bouts: list[dict] | None) -> dict[str, float]:
    """The mean of the replications' outputs, and with a baseline's the mean paired difference ``diff.*``."""
    table = pd.DataFrame(outs)
    result = {k: float(v) for k, v in table.mean().items()}
    if bouts is not None:
        base = pd.DataFrame(bouts)
        cols = [c for c in table.columns if c in base.columns]
        for k, v in (table[cols] - base[cols]).mean().items():
            result[f"diff.{k}"] = float(v)
    return result


def evaluate_runs(points: Sequence[tuple[Scenario, np.random.SeedSequence]], reps: int = 1,
                  baseline: Scenario | None = None, weeks: int | None = None, budget: bool = False,
                  batch: int | None = None) -> list[dict[str, float]]:
    """``evaluate`` of several (scenario, seed) points at once, in order: every point's replications run in
    shared batches (``simulate_runs``; a Sobol study's rows differ only in per-replication parameters), and
    a baseline replication shared by several points (common random numbers) runs once. Each result is
    bit for bit ``evaluate(scenario, seed, reps, baseline, ...)``."""
    points = list(points)
    children = [seeds.children(seed, reps) for _, seed in points]
    runs = [(sc, child) for (sc, _), kids in zip(points, children) for child in kids]
    numbers = [r for _ in points for r in range(reps)]
    outs = simulate_runs_outputs(runs, weeks, numbers, budget, batch)
    bouts = None
    if baseline is not None:  # one baseline run per distinct seed
        key = lambda s: (repr(s.entropy), tuple(s.spawn_key))  # noqa: E731
        distinct: dict = {}
        for kids in children:
            for r, child in enumerate(kids):
                distinct.setdefault(key(child), (child, r))
        done = simulate_runs_outputs([(baseline, c) for c, _ in distinct.values()], weeks,
                                     [r for _, r in distinct.values()], budget, batch)
        by_seed = dict(zip(distinct, done))
        bouts = [by_seed[key(child)] for kids in children for child in kids]
    return [_flat(outs[k * reps:(k + 1) * reps], None if bouts is None else bouts[k * reps:(k + 1) * reps])
            for k in range(len(points))]


def output_names(scenario: Scenario, baseline: Scenario | None = None) -> list[str]:
    """Names that ``evaluate`` returns for this scenario (computed from a short run)."""
    short = scenario.model_copy(update={"horizon_weeks": max(scenario.recovery_horizon_weeks + 1,
                                                             scenario.warmup_weeks + 2)})
    from .results import BUDGET_OUTPUT_NAMES

    names = list(simulate(short, np.random.SeedSequence(0)).outputs) + list(BUDGET_OUTPUT_NAMES)
    if baseline is not None:
        bshort = baseline.model_copy(update={"horizon_weeks": short.horizon_weeks})
        bnames = set(simulate(bshort, np.random.SeedSequence(0)).outputs) | set(BUDGET_OUTPUT_NAMES)
        names += [f"diff.{n}" for n in names if n in bnames]
    return names
