"""``extends``: a distribution in a child file replaces the parent's, it is not merged key by key."""
from __future__ import annotations

import pytest

from model import load_scenario, scenario_from_dict
from model.scenario import ScenarioError


def test_fixed_over_a_parents_lognormal_replaces_it(tmp_path):
    parent = load_scenario("baseline_standard")
    assert parent.providers["external_psychologist"].wait.dist == "lognormal"
    child = tmp_path / "child.yaml"
    child.write_text("extends: baseline_standard\nname: child\n"
                     "providers:\n  external_psychologist:\n    wait: {dist: fixed, weeks: 3}\n"
                     "pathways:\n  standard:\n    treatment:\n      course: {dist: geometric, mean: 8}\n")
    sc = load_scenario(child)
    wait = sc.providers["external_psychologist"].wait
    assert wait.dist == "fixed" and wait.weeks_value == 3
    assert sc.pathways["standard"].treatment.course.dist == "geometric"
    # the rest of the section is still merged from the parent
    assert sc.providers["external_psychologist"].kind == parent.providers["external_psychologist"].kind
    assert sc.pathways["standard"].treatment.provider == parent.pathways["standard"].treatment.provider


def test_a_child_may_still_change_one_parameter_of_the_parents_distribution(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text("extends: baseline_standard\nname: child\n"
                     "providers:\n  external_psychologist:\n    wait: {sd: 2}\n")
    wait = load_scenario(child).providers["external_psychologist"].wait
    assert wait.dist == "lognormal" and wait.sd == 2 and wait.mean == 10


def test_an_upload_replaces_the_distribution_too_and_bad_keys_are_named():
    sc = scenario_from_dict({"extends": "baseline_standard", "name": "up",
                             "providers": {"external_psychologist": {"wait": {"dist": "fixed", "weeks": 4}}}})
    assert sc.providers["external_psychologist"].wait.weeks_value == 4
    with pytest.raises(ScenarioError, match="mean"):   # a fixed distribution has no mean: named, not merged
        scenario_from_dict({"extends": "baseline_standard", "name": "up", "providers": {
            "external_psychologist": {"wait": {"dist": "fixed", "weeks": 4, "mean": 2}}}})
