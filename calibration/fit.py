"""Fitting: Optuna TPE on common random numbers, then acceptance re-evaluated with more replications.

1. Search. Every trial simulates its candidate on the *same* seed (common random numbers), so two
   candidates differ only by their parameters and the search is not chasing noise. The first
   quarter of the trials are drawn at random from the prior (TPE's start-up), the rest by TPE.
   Finished trials live in an Optuna journal file, so a stopped run resumes where it stopped.
2. Acceptance. Trials whose targets lie within (slightly widened) target ranges are re-simulated
   with more replications on an independent seed; a set is *accepted* when every simulated target
   mean lies within its target's range (95% interval, or the bound). This is history matching /
   rejection ABC on the search's candidates: the accepted sets span the parameter values the targets
   cannot rule out. The point estimate is the accepted set nearest to the targets.
3. When nothing is accepted the calibration is marked ``unreachable`` with the best fit and its
   distance; it is saved for inspection but scenarios refuse to use it.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import hashlib

import numpy as np
import optuna
from optuna.distributions import BaseDistribution, FloatDistribution
from optuna.trial import TrialState

from model.execution import Executor, executing
from model.experiment import output_names
from model.scenario import Scenario, load_scenario

from .errors import CalibrationError
from .free_parameters import FreeParameters, load_free_parameters
from .objective import Problem, all_within, point_tasks, replication_task, rms_z, stream_seed, summarise_point
from .targets import TargetSet, load_targets

Progress = Callable[[int, int, float], None]
RUNS_DIR = Path(__file__).resolve().parent / "runs"


@dataclass
class FitSettings:
    trials: int = 200
    reps: int = 4
    accept_reps: int = 12
    seed: int = 20260101
    weeks: int | None = None
    horizon: int | None = None
    jobs: int | None = None       # local workers (default model.execution.default_jobs); results do not depend on it
    scheduler: str | None = None  # a Dask scheduler instead of local workers
    batch: int = 1                # trials asked of TPE at once: changes the search, so it is part of the study
    max_candidates: int = 80
    widen: float = 1.25
    storage: Path | None = None

    def check(self) -> None:
        for name in ("trials", "reps", "accept_reps", "jobs", "batch", "max_candidates"):
            v = getattr(self, name)
            if name == "jobs" and v is None:
                continue
            if not isinstance(v, int) or v < 1:
                raise CalibrationError("settings", name, f"must be a whole number >= 1, got {v!r}")
        if self.accept_reps < 2:
            raise CalibrationError("settings", "accept_reps", "needs >= 2 replications for an interval", ">= 2")
        if self.widen < 1:
            raise CalibrationError("settings", "widen", f"must be >= 1, got {self.widen}")


@dataclass
class Setup:
    """Loaded and cross-checked inputs of one calibration."""

    targets: TargetSet
    targets_path: Path
    free: FreeParameters
    free_path: Path
    scenario: Scenario
    problem: Problem
    settings: FitSettings
    study_name: str = ""
    storage_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def prepare(targets: str | Path, scenario: str | Path | Scenario | None = None,
            free_parameters: str | Path | None = None, settings: FitSettings | None = None) -> Setup:
    """Load the files, apply the horizon, and reject bad input before anything is simulated."""
    st = settings or FitSettings()
    st.check()
    tset, tpath = load_targets(targets)
    if st.horizon is not None:
        tset = tset.with_horizon(st.horizon)
    sc_ref = scenario if scenario is not None else tset.scenario
    if sc_ref is None:
        raise CalibrationError(tpath.name, "scenario", "no scenario given: pass --scenario or set 'scenario' in the targets file")
    sc = sc_ref if isinstance(sc_ref, Scenario) else load_scenario(sc_ref)
    fp_ref = free_parameters if free_parameters is not None else tset.free_parameters
    if fp_ref is None:
        raise CalibrationError(tpath.name, "free_parameters",
                               "no free parameters given: pass --free-parameters or set 'free_parameters' in the targets file")
    free, fpath = load_free_parameters(fp_ref)
    weeks = int(st.weeks or sc.horizon_weeks)
    if weeks <= sc.warmup_weeks:
        raise CalibrationError("settings", "weeks", f"{weeks} simulated weeks do not exceed the warm-up of "
                               f"{sc.warmup_weeks}", f"> {sc.warmup_weeks}")
    names = output_names(sc)
    tset.check_against(sc, weeks, names)
    free.check_against(sc, fpath.name)
    setup = Setup(tset, tpath, free, fpath, sc, Problem(sc, tset, free, weeks), st)
    setup.study_name = study_name(setup)
    setup.storage_path = Path(st.storage) if st.storage else RUNS_DIR / f"{setup.study_name}.journal"
    return setup


def study_name(s: Setup) -> str:
    """Name derived from everything that changes the objective, so a resumed study is the same problem."""
    h = hashlib.sha256()
    for part in (s.targets.model_dump_json(), s.free.model_dump_json(), s.scenario.to_yaml(),
                 str(s.settings.seed), str(s.settings.reps), str(s.problem.weeks), f"batch {s.settings.batch}",
                 "seeds: model.seeds children"):   # the seeding convention: older journals are another problem
        h.update(part.encode())
    hz = "-".join(str(x) for x in s.targets.horizons)
    return f"{s.targets.name or 'targets'}_h{hz}_{h.hexdigest()[:10]}"


def _storage(path: Path) -> optuna.storages.BaseStorage:
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    path.parent.mkdir(parents=True, exist_ok=True)
    return JournalStorage(JournalFileBackend(str(path)))


def open_study(s: Setup) -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    n_startup = max(10, s.settings.trials // 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(seed=s.settings.seed, n_startup_trials=n_startup, multivariate=True,
                                             constant_liar=True)
    return optuna.create_study(study_name=s.study_name, storage=_storage(s.storage_path), sampler=sampler,
                               direction="minimize", load_if_exists=True)


def distributions(free: FreeParameters) -> dict[str, BaseDistribution]:
    return {p.name: FloatDistribution(p.low, p.high, log=p.log) for p in free.parameters}


def evaluate_points(ex: Executor, s: Setup, points: list[dict[str, float]], seed, reps: int) -> list[dict]:
    """Every point's replications as batches on the executor (a point split over the workers when there are fewer
    points than workers); summaries in the points' order. The rows do not depend on the split."""
    parts = max(1, ex.workers // max(1, len(points)))
    tasks = [t for values in points for t in point_tasks(s.problem, values, seed, reps, parts)]
    rows = [row for part in ex.map(replication_task, tasks) for row in part]
    return [summarise_point(s.problem, values, rows[k * reps:(k + 1) * reps]) for k, values in enumerate(points)]


def search(s: Setup, progress: Progress | None = None) -> optuna.Study:
    """Run trials until ``settings.trials`` are complete (resuming a stored study)."""
    study = open_study(s)
    for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study.enqueue_trial(t.params, skip_if_exists=True)   # interrupted: evaluate those parameters again
        study.tell(t.number, state=TrialState.FAIL)
    dists = distributions(s.free)
    seed = stream_seed(s.settings.seed, "fit")
    total = s.settings.trials
    done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
    with executing(s.settings.jobs, s.settings.scheduler) as ex:
        while done < total:
            batch = [study.ask(dists) for _ in range(min(s.settings.batch, total - done))]
            results = evaluate_points(ex, s, [t.params for t in batch], seed, s.settings.reps)
            for trial, res in zip(batch, results):
                trial.set_user_attr("simulated", {k: v["mean"] for k, v in res["simulated"].items()})
                study.tell(trial, res["distance"] if math.isfinite(res["distance"]) else 1e12)
            done += len(batch)
            if progress:
                progress(done, total, study.best_value)
    return study


def candidates(s: Setup, study: optuna.Study) -> list[dict[str, Any]]:
    """The best trial and (a seeded sample of) the trials whose targets lie within the widened ranges."""
    trials = sorted(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)), key=lambda t: t.value)
    if not trials:
        raise CalibrationError(s.study_name, "trials", "no completed trial to accept from")
    near = [t for t in trials[1:] if all_within(s.targets, t.user_attrs.get("simulated", {}), s.settings.widen)]
    k = s.settings.max_candidates - 1
    if len(near) > k:   # a seeded random sample, not the k best: the accepted ranges must not shrink to the optimum
        rng = np.random.default_rng(stream_seed(s.settings.seed, "candidates"))
        near = [near[i] for i in sorted(rng.choice(len(near), size=k, replace=False))]
    chosen = [trials[0]] + near
    return [{"trial": t.number, "values": dict(t.params), "fit_distance": float(t.value)} for t in chosen]


def accept(s: Setup, cands: list[dict[str, Any]], progress: Progress | None = None) -> list[dict[str, Any]]:
    """Re-simulate candidates with ``accept_reps`` replications on the acceptance seed."""
    seed = stream_seed(s.settings.seed, "accept")
    out: list[dict[str, Any]] = []
    with executing(s.settings.jobs, s.settings.scheduler) as ex:
        step = max(1, ex.workers)   # a few candidates at a time, so progress moves
        for i in range(0, len(cands), step):
            chunk = cands[i:i + step]
            for c, res in zip(chunk, evaluate_points(ex, s, [c["values"] for c in chunk], seed, s.settings.accept_reps)):
                out.append({**c, **res, "rms_z": rms_z(s.targets, res["distance"])})
            if progress:
                progress(len(out), len(cands), min(r["distance"] for r in out))
    return sorted(out, key=lambda r: r["distance"])


def calibrate(targets: str | Path, scenario: str | Path | Scenario | None = None,
              free_parameters: str | Path | None = None, settings: FitSettings | None = None,
              progress: Progress | None = None, accept_progress: Progress | None = None) -> dict[str, Any]:
    """Fit, accept and return the calibration record (see ``store.save`` for the file format)."""
    from .record import build_record

    s = prepare(targets, scenario, free_parameters, settings)
    study = search(s, progress)
    evaluated = accept(s, candidates(s, study), accept_progress)
    return build_record(s, study, evaluated)
