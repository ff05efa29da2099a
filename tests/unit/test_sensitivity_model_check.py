"""The model-side checks and overrides, against a stand-in `model` module with the agreed API.

The stand-in mirrors the contract (load_scenario, Scenario.get_path/with_overrides,
ScenarioError, output_names, evaluate), so these tests pin our side of it whether or not
the real model is importable.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from sensitivity import evaluators
from sensitivity.errors import ProblemError
from sensitivity.problem import problem_from_dict


class ScenarioError(ValueError):
    pass


class FakeScenario:
    def __init__(self, values):
        self.values = dict(values)

    def get_path(self, path):
        if path not in self.values:
            raise ScenarioError(f"unknown field '{path}'; allowed: {', '.join(self.values)}")
        return self.values[path]

    def model_dump_json(self):
        return repr(sorted(self.values.items()))

    def with_overrides(self, overrides):
        new = dict(self.values)
        for path, value in overrides.items():
            current = self.get_path(path)
            if isinstance(current, int) and not float(value).is_integer():
                raise ScenarioError(f"{path}: expected an integer")
            if value < 0:
                raise ScenarioError(f"{path}: must be >= 0")
            new[path] = value
        return FakeScenario(new)


SCENARIOS = {"copenhagen_ibbis": {"consultants.standard.caseload_limit": 40,
                                  "hazard.effects.job_goal": 0.1, "name_flag": True}}
OUTPUTS = ["recovered_share.all", "mean_benefit_weeks.all"]
CALLS = []


def load_scenario(name):
    if name not in SCENARIOS:
        raise ScenarioError(f"unknown scenario '{name}'; allowed: {', '.join(SCENARIOS)}")
    return FakeScenario(SCENARIOS[name])


def evaluate(scenario, seed_sequence, reps=1, baseline=None):
    CALLS.append((dict(scenario.values), seed_sequence.spawn_key, reps))
    return {"recovered_share.all": scenario.values["hazard.effects.job_goal"],
            "mean_benefit_weeks.all": float(scenario.values["consultants.standard.caseload_limit"])}


@pytest.fixture
def fake_model(monkeypatch):
    module = types.ModuleType("model")
    module.ScenarioError = ScenarioError
    module.load_scenario = load_scenario
    module.output_names = lambda scenario: list(OUTPUTS)
    module.evaluate = evaluate
    monkeypatch.setitem(sys.modules, "model", module)
    evaluators._scenario.cache_clear()
    evaluators._is_integer.cache_clear()
    CALLS.clear()
    yield module
    evaluators._scenario.cache_clear()
    evaluators._is_integer.cache_clear()


def problem(**changes):
    data = {"scenario": "copenhagen_ibbis", "method": "morris", "samples": 4, "seed": 1,
            "parameters": [{"path": "consultants.standard.caseload_limit", "bounds": [25, 45]},
                           {"path": "hazard.effects.job_goal", "bounds": [0.0, 0.3]}],
            "outputs": ["recovered_share.all"]}
    data.update(changes)
    return problem_from_dict(data, "study.yaml")


def test_valid_model_problem_passes(fake_model):
    evaluators.check(problem(), "study.yaml")


def test_unknown_scenario(fake_model):
    with pytest.raises(ProblemError, match="study.yaml: scenario: unknown scenario 'cph'"):
        evaluators.check(problem(scenario="cph"), "study.yaml")


def test_unknown_parameter_path_names_field_and_allowed(fake_model):
    p = problem(parameters=[{"path": "consultants.standard.caseload_limt", "bounds": [1, 2]}])
    with pytest.raises(ProblemError) as err:
        evaluators.check(p, "study.yaml")
    assert err.value.field == "parameters[0].path"
    assert "consultants.standard.caseload_limit" in str(err.value)


def test_value_the_schema_rejects_is_reported_on_bounds(fake_model):
    p = problem(parameters=[{"path": "hazard.effects.job_goal", "bounds": [-0.5, 0.3]}])
    with pytest.raises(ProblemError, match=r"parameters\[0\]\.bounds.*must be >= 0"):
        evaluators.check(p, "study.yaml")


def test_non_numeric_parameter_is_rejected(fake_model):
    p = problem(parameters=[{"path": "name_flag", "bounds": [0, 1]}])
    with pytest.raises(ProblemError, match="only numeric"):
        evaluators.check(p, "study.yaml")


def test_unknown_output_and_diff_without_baseline(fake_model):
    with pytest.raises(ProblemError, match="outputs\\[0\\].*recovered_share.all"):
        evaluators.check(problem(outputs=["recovered.all"]), "study.yaml")
    with pytest.raises(ProblemError, match="need a baseline"):
        evaluators.check(problem(outputs=["diff.recovered_share.all"]), "study.yaml")


def test_diff_outputs_allowed_with_baseline(fake_model):
    SCENARIOS["baseline_standard"] = SCENARIOS["copenhagen_ibbis"]
    evaluators.check(problem(baseline="baseline_standard",
                             outputs=["diff.recovered_share.all"]), "study.yaml")


def test_evaluator_rounds_integer_fields_and_passes_seed_and_reps(fake_model):
    ev = evaluators.make_evaluator(problem(reps=3))
    seed = np.random.SeedSequence(5, spawn_key=(12,))
    out = ev({"consultants.standard.caseload_limit": 35.4, "hazard.effects.job_goal": 0.2}, seed)
    assert out["mean_benefit_weeks.all"] == 35.0
    values, key, reps = CALLS[-1]
    assert values["consultants.standard.caseload_limit"] == 35 and isinstance(
        values["consultants.standard.caseload_limit"], int)
    assert key == (12,) and reps == 3


def test_resume_refuses_a_scenario_edited_since_the_start(fake_model, tmp_path, monkeypatch):
    from sensitivity.errors import StoreMismatchError
    from sensitivity.study import run_study

    p = problem(samples=2)
    first = run_study(p, "", tmp_path, jobs=1, progress=False)
    assert first.stats.evaluated == 6 and first.stats.failed == 0
    monkeypatch.setitem(SCENARIOS, "copenhagen_ibbis",
                        {**SCENARIOS["copenhagen_ibbis"], "hazard.effects.job_goal": 0.2})
    evaluators._scenario.cache_clear()
    with pytest.raises(StoreMismatchError, match="'copenhagen_ibbis' has changed"):
        run_study(p, "", tmp_path, jobs=1, progress=False, resume=True)
