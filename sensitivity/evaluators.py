"""Evaluation functions: one design row (parameter values + seed) → named outputs.

Every method and executor goes through the same two kinds of evaluator, both small picklable
objects that hold names only, so shipping them to a process pool or a Dask worker is cheap;
each worker loads (and caches) the scenario itself.

* `ModelEvaluator` runs an rtwsim scenario with the row's values as dotted-path overrides
  via `model.evaluate` (optionally paired against a baseline on common random numbers).
* `FunctionEvaluator` calls any ``module:callable`` — test functions, other models.

`check` validates a problem against its target (parameter paths, values at both ends of every
range, output names) before any run starts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from sensitivity.errors import ProblemError
from sensitivity.problem import SensitivityProblem
from model import seeds


@lru_cache(maxsize=16)
def _scenario(name: str):
    from model import load_scenario

    return load_scenario(name)


@dataclass(frozen=True)
class ModelEvaluator:
    """Run `reps` replications of `scenario` with the row's overrides (paired with `baseline`)."""

    scenario: str
    baseline: str | None = None
    reps: int = 1
    override_baseline: bool = False
    budget: bool = False  # compute budget_npv.* / budget_cost.* (only when the study asks for them)

    def overrides(self, params: dict[str, float]) -> dict[str, object]:
        """Turn sampled floats into values the schema accepts (integers stay integers)."""
        return {path: int(round(value)) if _is_integer(self.scenario, path) else float(value)
                for path, value in params.items()}

    def __call__(self, params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
        from model import evaluate

        overrides = self.overrides(params)
        scenario = _scenario(self.scenario).with_overrides(overrides)
        baseline = None
        if self.baseline:
            baseline = _scenario(self.baseline)
            if self.override_baseline:
                baseline = baseline.with_overrides(overrides)
        extra = {"budget": True} if self.budget else {}  # only studies of budget outputs pay for the budget
        return evaluate(scenario, seed, reps=self.reps, baseline=baseline, **extra)

    def evaluate_many(self, points: list[tuple[dict[str, float], np.random.SeedSequence]]) -> list:
        """``self(params, seed)`` of every point, in order (a dict, or the exception of a point whose values
        the scenario rejects): the rows run as replications of shared batched models (model.evaluate_runs),
        bit for bit the same outputs as one at a time."""
        from model import evaluate_runs
        from model.experiment import MAX_REPS

        if self.override_baseline:  # every row has its own baseline: one at a time
            return [_call_or_error(self, params, seed) for params, seed in points]
        out: list = [None] * len(points)
        good: list[int] = []
        scenarios = []
        for k, (params, _seed) in enumerate(points):
            try:
                scenarios.append(_scenario(self.scenario).with_overrides(self.overrides(params)))
                good.append(k)
            except Exception as exc:  # noqa: BLE001 - this row fails, the others run
                out[k] = exc
        baseline = _scenario(self.baseline) if self.baseline else None
        done = evaluate_runs([(sc, points[k][1]) for sc, k in zip(scenarios, good)], reps=self.reps,
                             baseline=baseline, budget=self.budget, batch=min(MAX_REPS, max(1, len(good) * self.reps)))
        for k, result in zip(good, done):
            out[k] = result
        return out

    def base_values(self, problem: SensitivityProblem) -> dict[str, float]:
        """The scenario's own value of each parameter (the centre of a tornado)."""
        base = _scenario(self.scenario)
        return {p.path: float(base.get_path(p.path)) for p in problem.parameters}


def _call_or_error(evaluator, params, seed):
    try:
        return evaluator(params, seed)
    except Exception as exc:  # noqa: BLE001 - kept with its row
        return exc


@lru_cache(maxsize=256)
def _is_integer(scenario: str, path: str) -> bool:
    current = _scenario(scenario).get_path(path)
    return isinstance(current, int) and not isinstance(current, bool)


# Functions a problem file may name. Any other ``module:callable`` would let a file run any code
# (``function: os:system``); researchers evaluating their own function pass ``--trust-module`` on
# the command line (never possible from the app).
REGISTERED_FUNCTIONS = ("sensitivity.testfunctions:ishigami", "sensitivity.testfunctions:linear",
                        "sensitivity.testfunctions:fails_when_x1_negative", "sensitivity.testfunctions:slow_linear")


class UntrustedFunctionError(ValueError):
    """A problem names a function outside the registry and the caller did not trust modules."""


def _import_callable(target: str, trusted: bool = False) -> Callable:
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ValueError(f"'{target}' is not of the form module:callable")
    if target not in REGISTERED_FUNCTIONS and not trusted:
        raise UntrustedFunctionError(
            f"'{target}' is not a registered evaluator; a problem file may name "
            f"{', '.join(REGISTERED_FUNCTIONS)}, or the scenario of a model study. To evaluate your "
            "own function, run `rtwsim sensitivity` with --trust-module (it imports and runs that code)")
    fn = getattr(importlib.import_module(module_name), attr)
    if not callable(fn):
        raise ValueError(f"'{target}' is not callable")
    return fn


@dataclass(frozen=True)
class FunctionEvaluator:
    """Call ``module:callable`` as fn(params, seed); with reps > 1, average over spawned seeds."""

    target: str
    reps: int = 1
    trusted: bool = False

    def __call__(self, params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
        fn = _import_callable(self.target, self.trusted)
        if self.reps == 1:
            return fn(params, seed)
        results = [fn(params, child) for child in seeds.children(seed, self.reps)]
        return {k: float(np.mean([r[k] for r in results])) for k in results[0]}

    def base_values(self, problem: SensitivityProblem) -> dict[str, float]:
        return {p.path: _centre(p) for p in problem.parameters}


def _centre(p) -> float:
    if p.bounds is not None and p.dist in ("unif", "logunif", "triang"):
        return (p.bounds[0] + p.bounds[1]) / 2
    return float(p.mean)


def make_evaluator(problem: SensitivityProblem, trust_module: bool = False):
    """The evaluator a problem names (the model scenario, or a function: a registered one, or any
    with ``trust_module``)."""
    if problem.scenario is not None:
        wants_budget = any(o.removeprefix("diff.").startswith("budget_") for o in problem.outputs)
        return ModelEvaluator(problem.scenario, problem.baseline, problem.reps,
                              problem.override_baseline, wants_budget)
    return FunctionEvaluator(problem.function, problem.reps, trust_module)


def target_fingerprint(problem: SensitivityProblem) -> str | None:
    """A hash of the scenario (and baseline) contents, so a resume notices an edited scenario."""
    if problem.scenario is None:
        return None
    import hashlib

    names = [problem.scenario] + ([problem.baseline] if problem.baseline else [])
    text = "\n".join(_scenario(n).model_dump_json() for n in names)
    return hashlib.sha256(text.encode()).hexdigest()


def _probe_values(p) -> list[float]:
    """Values at which a parameter path is tried during the up-front check."""
    if p.bounds is not None:
        return list(p.bounds)
    return [p.mean]


def check(problem: SensitivityProblem, file: str = "<problem>", trust_module: bool = False) -> None:
    """Reject unknown scenarios, parameter paths, out-of-schema values and outputs, before runs."""
    if problem.function is not None:
        _check_function(problem, file, trust_module)
    else:
        _check_model(problem, file)


def _check_function(problem: SensitivityProblem, file: str, trust_module: bool = False) -> None:
    try:
        fn = _import_callable(problem.function, trust_module)
    except UntrustedFunctionError as exc:
        raise ProblemError(file, "function", str(exc)) from None
    except (ImportError, AttributeError, ValueError) as exc:
        raise ProblemError(file, "function", f"cannot load '{problem.function}': {exc}",
                           "an importable module:callable") from None
    allowed_params = getattr(fn, "parameters", None)
    if allowed_params is not None:
        for i, p in enumerate(problem.parameters):
            if p.path not in allowed_params:
                raise ProblemError(file, f"parameters[{i}].path", f"unknown parameter '{p.path}'",
                                   list(allowed_params))
    allowed_outputs = getattr(fn, "outputs", None)
    if allowed_outputs is not None:
        _check_outputs(problem, file, list(allowed_outputs))


def _check_model(problem: SensitivityProblem, file: str) -> None:
    from model import ScenarioError, output_names

    try:
        scenario = _scenario(problem.scenario)
    except ScenarioError as exc:
        raise ProblemError(file, "scenario", str(exc)) from None
    baseline = None
    if problem.baseline is not None:
        try:
            baseline = _scenario(problem.baseline)
        except ScenarioError as exc:
            raise ProblemError(file, "baseline", str(exc)) from None
    targets = [scenario] + ([baseline] if problem.override_baseline else [])
    for i, p in enumerate(problem.parameters):
        try:
            current = scenario.get_path(p.path)
        except (ScenarioError, KeyError, AttributeError) as exc:
            raise ProblemError(file, f"parameters[{i}].path", str(exc)) from None
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise ProblemError(file, f"parameters[{i}].path",
                               f"'{p.path}' is {type(current).__name__} {current!r}; only numeric "
                               "parameters can be varied")
        for value in _probe_values(p):
            if isinstance(current, int):
                value = int(round(value))
            for target in targets:
                try:
                    target.with_overrides({p.path: value})
                except ScenarioError as exc:
                    field = "bounds" if p.bounds is not None else "mean"
                    raise ProblemError(file, f"parameters[{i}].{field}",
                                       f"{p.path} = {value} is rejected by the scenario: {exc}") from None
    _check_outputs(problem, file, _model_output_names(output_names, scenario, baseline))


def _model_output_names(output_names, scenario, baseline) -> list[str]:
    """What `evaluate` returns; `output_names` takes the baseline when it knows about diffs."""
    if baseline is None:
        return list(output_names(scenario))
    try:
        return list(output_names(scenario, baseline))
    except TypeError:  # an output_names without the baseline argument
        names = list(output_names(scenario))
        return names + [f"diff.{n}" for n in names]


def _check_outputs(problem: SensitivityProblem, file: str, allowed: list[str]) -> None:
    for j, name in enumerate(problem.outputs):
        if name not in allowed:
            hint = ("paired differences 'diff.*' need a baseline"
                    if name.startswith("diff.") and problem.baseline is None else "")
            raise ProblemError(file, f"outputs[{j}]",
                               f"unknown output '{name}'" + (f"; {hint}" if hint else ""),
                               allowed)
