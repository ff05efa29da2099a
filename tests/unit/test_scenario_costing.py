"""Seed scenarios are costed at the margin: each lists what it charges as new cost and why (issue 14)."""
import pytest

from core_helpers import is_trial_design

from model import list_scenario_names, load_scenario, scenario_from_dict
from model.budget_lines import charged_items, costing_problems

BASELINES = {"baseline_standard", "hjorring_before_investment"}
# trial designs (a randomised cohort, e.g. ibbis1_trials) reproduce a study, not a municipal effort: nothing to cost
SEED_SCENARIOS = [n for n in list_scenario_names() if n not in BASELINES and not is_trial_design(n)]


def test_there_are_seed_scenarios():
    assert len(SEED_SCENARIOS) >= 10


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_seed_scenario_lists_its_new_costs_against_its_own_baseline(name):
    assert costing_problems(load_scenario(name)) == []


def _ips(costing_over):
    return scenario_from_dict({"extends": "copenhagen_ips", "name": "bad_ips",
                               "costing": {**load_scenario("copenhagen_ips").costing.model_dump(), **costing_over}})


def test_a_scenario_charging_its_baselines_pool_as_new_fails():
    assert "consultants.standard" in charged_items(load_scenario("baseline_standard"))
    bad = _ips({"new_costs": [{"item": "consultants.standard", "why": "x", "source": "y"},
                              {"item": "consultants.ips", "why": "x", "source": "y"}]})
    assert any("baseline baseline_standard already has it" in p for p in costing_problems(bad))


def test_unlisted_charge_and_charged_existing_service_fail():
    probs = costing_problems(_ips({"new_costs": []}))
    assert any("without listing it" in p and "consultants.ips" in p for p in probs)
    probs = costing_problems(_ips({"in_baseline": [{"item": "consultants.ips", "why": "x", "source": "y"}]}))
    assert any("charges existing services ['consultants.ips']" in p for p in probs)
