"""Simulated target values for one parameter point, and their distance to the targets.

One simulation per replication serves every target horizon: the recovery horizon only changes how
spells are summarised (``results.replication_outputs``), not the simulation, so targets at several
horizons cost no extra runs. Contrasts are formed within each replication (paired arms), then
averaged; the distance is the sum of squared standard-error distances (a Gaussian log-likelihood
up to a constant), with bound targets contributing only when violated.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model import seeds
from model.experiment import simulate_batch
from model.intervals import t_interval
from model.results import replication_outputs
from model.scenario import Scenario
from model.trial import trial_index, trial_value

from .free_parameters import FreeParameters
from .targets import TargetSet

STREAMS = ("fit", "accept", "candidates")
"""A calibration's named streams (model.seeds): fit and acceptance use independent seeds, so acceptance is
not judged on the noise the fit tuned to; ``candidates`` samples the trials to accept from. Append only."""


def stream_seed(seed: int, stream: str) -> np.random.SeedSequence:
    """The named stream ``stream`` of the calibration seeded with ``seed``."""
    return seeds.named(seed, stream, STREAMS)


@dataclass
class Problem:
    """Everything a candidate evaluation needs; picklable for process pools."""

    scenario: Scenario
    targets: TargetSet
    free: FreeParameters
    weeks: int

    def candidate(self, values: dict[str, float]) -> Scenario:
        return self.scenario.with_overrides(self.free.overrides(self.scenario, values))


def target_rows(scenario: Scenario, targets: TargetSet, weeks: int, rep_seeds: list[np.random.SeedSequence],
                replications: list[int]) -> list[dict[str, float]]:
    """Each replication's simulated value of every target; the replications run as one batch
    (``model.experiment.simulate_batch``: bit for bit the single runs, at a fraction of their cost)."""
    by_h = {h: scenario.model_copy(update={"recovery_horizon_weeks": h})
            for h in {t.horizon_weeks for t in targets.targets if not t.is_trial}}
    trial = any(t.is_trial for t in targets.targets)
    rows = []
    for rep in simulate_batch(scenario, rep_seeds, weeks, replications):
        outs = {h: replication_outputs(rep.spells, rep.weekly, sc_h, weeks) for h, sc_h in by_h.items()}
        idx = trial_index(rep.spells) if trial else None
        rows.append({t.name: (trial_value(rep.spells, weeks, t.kind, t.arm, t.versus, t.diagnosis_group, t.by,
                                          t.month, t.followup_weeks or t.horizon_weeks, idx=idx)
                              if t.is_trial else t.contrast.value(outs[t.horizon_weeks]))
                     for t in targets.targets})
    return rows


def simulate_targets(scenario: Scenario, targets: TargetSet, weeks: int, seed: np.random.SeedSequence,
                     reps: int) -> pd.DataFrame:
    """One row per replication, one column per target (its simulated value in that replication)."""
    return pd.DataFrame(target_rows(scenario, targets, weeks, seeds.children(seed, reps), list(range(reps))))


def distance(targets: TargetSet, means: dict[str, float]) -> float:
    """Sum of squared z over targets (inf when a target could not be computed)."""
    total = 0.0
    for t in targets.targets:
        z = t.z(means.get(t.name, math.nan))
        if not math.isfinite(z):
            return math.inf
        total += z * z
    return total


def rms_z(targets: TargetSet, dist: float) -> float:
    return math.sqrt(dist / len(targets.targets)) if math.isfinite(dist) else math.inf


def all_within(targets: TargetSet, means: dict[str, float], widen: float = 1.0) -> bool:
    """Every simulated mean inside its target's range; ``widen`` > 1 loosens it (to pick candidates)."""
    for t in targets.targets:
        v = means.get(t.name, math.nan)
        if not (v is not None and math.isfinite(v)):
            return False
        lo, hi = t.accept_range
        if t.form == "point":
            centre = t.value
            lo, hi = centre - (centre - lo) * widen, centre + (hi - centre) * widen
        else:
            lo, hi = lo - (widen - 1) * t.se * 2, hi + (widen - 1) * t.se * 2
        if not lo <= v <= hi:
            return False
    return True


def point_tasks(problem: Problem, values: dict[str, float], seed: np.random.SeedSequence, reps: int,
                parts: int = 1) -> list[tuple]:
    """A parameter point's replications as ``parts`` tasks of consecutive replications (see ``replication_task``),
    for any executor: one batch each, so that the executor's workers share a point when there are few points."""
    rep_seeds = seeds.children(seed, reps)
    bounds = np.linspace(0, reps, max(1, min(parts, reps)) + 1).round().astype(int)
    return [(problem, values, rep_seeds[lo:hi], list(range(lo, hi))) for lo, hi in zip(bounds[:-1], bounds[1:])]


def replication_task(task: tuple) -> list[dict[str, float]]:
    """The target rows of a task's replications, in order."""
    problem, values, rep_seeds, replications = task
    return target_rows(problem.candidate(values), problem.targets, problem.weeks, rep_seeds, replications)


def summarise_point(problem: Problem, values: dict[str, float], rows: list[dict[str, float]],
                    level: float = 0.95) -> dict[str, Any]:
    """Per-target mean and t-interval over replications, and the distance to the targets."""
    per_rep = pd.DataFrame(rows)
    sim: dict[str, dict[str, float]] = {}
    for t in problem.targets.targets:
        m, sd, lo, hi = t_interval(per_rep[t.name], level)
        sim[t.name] = {"mean": m, "sd": sd, "ci_low": lo, "ci_high": hi}
    means = {k: v["mean"] for k, v in sim.items()}
    d = distance(problem.targets, means)
    return {"values": {k: float(v) for k, v in values.items()}, "simulated": sim, "distance": d,
            "within": all_within(problem.targets, means)}
