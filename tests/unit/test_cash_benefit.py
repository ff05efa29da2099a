"""The second population (issue 17): named errors for bad input, benefit costs with the refund staircase."""
import numpy as np
import pandas as pd
import pytest

from model import load_scenario
from model.cash_benefit import POPULATIONS, cash_benefit_costs, enabled
from model.rate_table import load_rate_table
from model.scenario import ScenarioError

BASE = load_scenario("baseline_standard")


def test_off_by_default_in_every_shipped_scenario_but_hjorring():
    from model import list_scenario_names

    on = {n for n in list_scenario_names() if load_scenario(n).cash_benefit.enabled}
    assert on <= {"hjorring_investment", "hjorring_before_investment"}
    assert not enabled(BASE)


@pytest.mark.parametrize("path,value,words", [
    ("cash_benefit.activity_ready.risk", {"low": 0.5, "medium": 0.6, "high": 0.0}, ["cash_benefit.activity_ready.risk", "sum to 1"]),
    ("cash_benefit.job_ready.risk", {"low": 1.0, "severe": 0.0}, ["cash_benefit.job_ready.risk", "allowed"]),
    ("cash_benefit.job_ready.weekly_to_work", 1.5, ["cash_benefit.job_ready.weekly_to_work"]),
    ("cash_benefit.job_ready.weekly_to_work", 0.0, ["cash_benefit.job_ready.weekly_to_work"]),
    ("cash_benefit.ressourceforloeb.per_year", -3, ["cash_benefit.ressourceforloeb.per_year"]),
    ("cash_benefit.ressourceforloeb.per_year", float("inf"), ["cash_benefit.ressourceforloeb.per_year"]),
    ("cash_benefit.activity_ready.rate", "unemployment", ["cash_benefit.activity_ready.rate", "cash_benefit_month"]),
    ("cash_benefit.activity_ready.with_children_share", 2, ["cash_benefit.activity_ready.with_children_share"]),
    ("cash_benefit.activity_ready.pathway", "express", ["cash_benefit.activity_ready.pathway", "allowed"]),
])
def test_bad_input_gets_a_named_error(path, value, words):
    with pytest.raises(ScenarioError) as err:
        BASE.with_overrides({"cash_benefit.enabled": True, path: value})
    for w in words:
        assert w in str(err.value), str(err.value)


def test_pathway_must_be_defined_when_enabled():
    pw = BASE.model_dump()["pathways"]
    only_standard = {"pathways": {"standard": pw["standard"]}, "allocation.rule": "all", "allocation.pathway": "standard"}
    BASE.with_overrides({**only_standard, "cash_benefit.job_ready.pathway": "integrated"})  # off: not checked
    with pytest.raises(ScenarioError, match="cash_benefit.job_ready.pathway"):
        BASE.with_overrides({**only_standard, "cash_benefit.enabled": True, "cash_benefit.job_ready.pathway": "integrated"})


def test_cash_benefit_cost_is_rate_times_weeks_with_the_refund_staircase():
    sc = BASE.with_overrides({"cash_benefit.enabled": True, "economics.start_year": 2024,
                              "cash_benefit.job_ready.prior_support_weeks": 0,
                              "cash_benefit.job_ready.with_children_share": 0.0})
    spells = pd.DataFrame({"replication": [0], "population": ["job_ready"], "arrival_week": [0.0],
                           "benefit_end_week": [10.0]})
    c = cash_benefit_costs(spells, sc, 52)
    week = load_rate_table("dk_rates_v1").rate("cash_benefit_month_no_children", 2024) * 12 / 52
    assert week == pytest.approx(12326 * 12 / 52)
    gross = c["dkk"].sum()
    assert gross == pytest.approx(10 * week)
    state = c[c["payer"] == "state"]["dkk"].sum()
    assert state == pytest.approx(week * (4 * 0.8 + 6 * 0.4))   # refund staircase weeks 1-4, 5-10


def test_long_prior_support_gets_the_lowest_refund():
    sc = BASE.with_overrides({"cash_benefit.enabled": True, "economics.start_year": 2024})
    spells = pd.DataFrame({"replication": [0], "population": ["ressourceforloeb"], "arrival_week": [0.0],
                           "benefit_end_week": [np.nan]})
    c = cash_benefit_costs(spells, sc, 52)
    assert set(c["item"]) == {"cash_benefit.resource_course", "cash_benefit.resource_course_refund"}
    assert c[c["payer"] == "state"]["dkk"].sum() / c["dkk"].sum() == pytest.approx(0.2)


def test_populations_and_rates_are_known():
    assert POPULATIONS[0] == "sick_listed"
    t = load_rate_table("dk_rates_v1")
    assert t.rate("cash_benefit_month_with_children", 2014) == 14203  # bm.dk satser 2014
    assert t.rate("cash_benefit_month_no_children", 2023) == 11944    # bm.dk satser 2023


def test_cli_bad_population_input_exits_2_naming_the_field(capsys, tmp_path):
    from cli.main import main

    rc = main(["run", "baseline_standard", "--reps", "1", "--weeks", "20", "--out", str(tmp_path),
               "--set", "cash_benefit.enabled=true", "--set", "cash_benefit.job_ready.per_year=-5"])
    assert rc == 2
    assert "cash_benefit.job_ready.per_year" in capsys.readouterr().err
