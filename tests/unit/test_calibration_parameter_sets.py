"""Using a calibrated set: `parameters:` in scenarios and `parameter_sets=` in run/compare."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from model import compare, load_scenario, run
from model.parameter_sets import accepted_parameter_sets
from model.scenario import ScenarioError

SETS = [{"hazard.effects.job_goal": 0.9, "pathways.integrated.coordination_effect": 0.5},
        {"hazard.effects.job_goal": -0.3, "pathways.integrated.coordination_effect": -0.4}]


def record(tmp: Path, status: str = "fitted", name: str = "cal") -> Path:
    p = tmp / f"{name}.yaml"
    p.write_text(yaml.safe_dump({
        "name": name, "status": status, "provenance": {}, "fit": [], "free_parameters": [],
        "point_estimate": {"parameters": {}, "overrides": SETS[0]},
        "accepted": [{"parameters": {}, "overrides": s} for s in SETS]}))
    return p


def scenario_file(tmp: Path, body: dict) -> Path:
    p = tmp / f"{body['name']}.yaml"
    p.write_text(yaml.safe_dump(body))
    return p


def test_parameters_apply_point_estimate(tmp_path):
    cal = record(tmp_path)
    sc = load_scenario(scenario_file(tmp_path, {"name": "s", "extends": "copenhagen_ibbis", "parameters": cal.name}))
    assert sc.hazard.effects.job_goal == 0.9 and sc.pathways["integrated"].coordination_effect == 0.5
    assert sc.parameters == cal.name
    # relative to the scenario file, and a child may override a calibrated value again
    child = load_scenario(scenario_file(tmp_path, {"name": "c", "extends": "s.yaml",
                                                   "hazard": {"effects": {"job_goal": 0.0}}}))
    assert child.hazard.effects.job_goal == 0.0 and child.pathways["integrated"].coordination_effect == 0.5
    rel = load_scenario(scenario_file(tmp_path, {"name": "r", "extends": "copenhagen_ibbis", "parameters": "cal.yaml"}))
    assert rel.hazard.effects.job_goal == 0.9
    # a dumped scenario (values + parameters) loads again
    (tmp_path / "dumped.yaml").write_text(sc.to_yaml())
    again = load_scenario(tmp_path / "dumped.yaml")
    assert again.hazard.effects.job_goal == 0.9


def test_conflicting_explicit_value_is_an_error(tmp_path):
    cal = record(tmp_path)
    bad = scenario_file(tmp_path, {"name": "b", "extends": "copenhagen_ibbis", "parameters": cal.name,
                                   "hazard": {"effects": {"job_goal": 0.1}}})
    with pytest.raises(ScenarioError, match="sets hazard.effects.job_goal = 0.1 but also takes"):
        load_scenario(bad)


def test_unknown_and_unfitted_sets_are_refused(tmp_path):
    with pytest.raises(ScenarioError, match="unknown calibrated set 'calibrated/nope'; available"):
        load_scenario(scenario_file(tmp_path, {"name": "u", "extends": "copenhagen_ibbis", "parameters": "calibrated/nope"}))
    bad = record(tmp_path, status="unreachable", name="bad")
    with pytest.raises(ScenarioError, match="status 'unreachable'"):
        load_scenario(scenario_file(tmp_path, {"name": "v", "extends": "copenhagen_ibbis", "parameters": bad.name}))
    with pytest.raises(ScenarioError, match="status 'unreachable'"):
        accepted_parameter_sets(str(bad), allow_path=True)


def test_run_cycles_parameter_sets_over_replications():
    sc = load_scenario("copenhagen_ibbis").with_overrides({"horizon_weeks": 40, "warmup_weeks": 0,
                                                           "recovery_horizon_weeks": 12})
    mixed = run(sc, reps=3, seed=3, parameter_sets=SETS).outputs.set_index("replication")
    only0 = run(sc.with_overrides(SETS[0]), reps=3, seed=3).outputs.set_index("replication")
    only1 = run(sc.with_overrides(SETS[1]), reps=3, seed=3).outputs.set_index("replication")
    col = "recovered_share.integrated"
    assert mixed.loc[0, col] == only0.loc[0, col] and mixed.loc[2, col] == only0.loc[2, col]   # r mod 2 == 0
    assert mixed.loc[1, col] == only1.loc[1, col]
    assert only0.loc[1, col] != only1.loc[1, col]   # the sets do differ in effect


def test_compare_uses_the_same_set_in_every_scenario():
    base = load_scenario("baseline_standard").with_overrides({"horizon_weeks": 40, "warmup_weeks": 0,
                                                              "recovery_horizon_weeks": 12})
    alt = base.with_overrides({"consultants.standard.caseload_limit": 30}).model_copy(update={"name": "alt"})
    sets = [{"hazard.baseline_weekly.stress": 0.05}, {"hazard.baseline_weekly.stress": 0.001}]
    comp = compare([base, alt], reps=2, seed=4, parameter_sets=sets)
    ref = run(base.with_overrides(sets[1]), reps=2, seed=4).outputs.set_index("replication")
    got = comp.results["baseline_standard"].outputs.set_index("replication")
    assert got.loc[1, "recovered_share.all"] == ref.loc[1, "recovered_share.all"]


def test_bad_parameter_sets_argument():
    with pytest.raises(ScenarioError, match="non-empty list"):
        run("baseline_standard", reps=1, weeks=30, parameter_sets=[])
    with pytest.raises(ScenarioError, match="unknown parameter path"):
        run("baseline_standard", reps=1, weeks=30, parameter_sets=[{"hazard.nope": 1}])
