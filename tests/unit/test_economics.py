"""Cost model: rate table, refund staircase, employer period, year boundaries, a hand-computed budget."""
import math

import numpy as np
import pandas as pd
import pytest

from model import ScenarioError, load_scenario, scenario_from_dict
from model.economics import BudgetError, budget, expand_weeks
from model.rate_table import RateError, load_rate_table
from core_helpers import sum_dkk as _sum

T = load_rate_table("dk_rates_v1")


def _sc(**economics):
    eco = {"start_year": 2024, "benefit": {"share_at_maximum": 1.0, "refund": True}, "tax": {"include": False},
           **economics}
    return scenario_from_dict({"extends": "baseline_standard", "name": "tiny", "horizon_weeks": 104,
                               "economics": eco})


def _spells(rows):
    base = {"replication": 0, "pathway": "standard", "employed": False, "jobafklaring_week": np.nan,
            "jobafklaring_end_week": np.nan, "treatment_start_week": np.nan, "treatment_end_week": np.nan,
            "provider": "", "return_week": np.nan}
    return pd.DataFrame([{**base, **r} for r in rows])


def _weekly(weeks=104):
    return pd.DataFrame({"replication": 0, "week": np.arange(weeks)})


def test_known_rates_and_explicit_extrapolation():
    assert T.rate("sickness_benefit_max_week", 2024) == 4695
    assert T.rate("sickness_benefit_max_week", 2025) == 4865
    assert T.rate("resource_course_month_no_children", 2024) == 12326
    assert T.rate("resource_course_month_with_children", 2024) == 16382
    assert T.rate("sickness_benefit_max_week", 2026) == round(4865 * 1.025)
    assert T.rate("sickness_benefit_max_week", 2015) == round(4695 * 1.025 ** -9)
    assert T.rate("resource_course_month_no_children", 2025) == round(12326 * 1.025)


def test_year_outside_table_is_a_clear_error():
    with pytest.raises(RateError, match=r"outside the rate table dk_rates_v1 \(valid years 2010-2040\)"):
        T.rate("sickness_benefit_max_week", 2041)
    with pytest.raises(ScenarioError, match="economics.start_year 2040 with 2 simulated years"):
        _sc(start_year=2040)
    with pytest.raises(ScenarioError, match="unknown rate table 'dk_rates_v9'"):
        _sc(rates="dk_rates_v9")


def test_refund_staircase():
    weeks = [1, 4, 5, 26, 27, 52, 53, 200]
    assert list(T.refund_share(weeks)) == [0.8, 0.8, 0.4, 0.4, 0.3, 0.3, 0.2, 0.2]


def test_expand_weeks_fractions():
    r, w, wt = expand_weeks(np.array([0.5, 3.0]), np.array([2.0, 3.0]))
    assert list(w) == [0, 1] and list(wt) == [0.5, 1.0] and list(r) == [0, 0]


def test_employer_period_then_municipality_with_refund():
    sc = _sc()
    rate = 4695.0
    b = budget(_spells([{"spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 10, "employed": True}]),
               _weekly(), sc, 104)
    emp = 30 / 7
    assert _sum(b, "sickness_benefit", "employer") == pytest.approx(emp * rate)
    # public from week 4.29; a partial week counts at its midpoint: [4.29,5) is public week 1, [5,6) week 2,
    # [6,7) week 3, [7,8) week 4 at 80%; [8,9) and [9,10) are weeks 5-6 at 40%
    gross = (10 - emp) * rate
    refund = ((5 - emp + 3) * 0.8 + 2 * 0.4) * rate
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(refund)
    assert _sum(b, "sickness_benefit", "municipality") == pytest.approx(gross - refund)


def test_unemployed_no_employer_period():
    b = budget(_spells([{"spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 10}]), _weekly(), _sc(), 104)
    assert _sum(b, "sickness_benefit", "employer") == 0
    assert _sum(b, "sickness_benefit_refund") == pytest.approx((4 * 0.8 + 6 * 0.4) * 4695)


def test_rate_changes_at_year_boundary():
    sc = _sc(benefit={"share_at_maximum": 1.0, "refund": False})
    b = budget(_spells([{"spell_start_week": 50, "arrival_week": 54, "benefit_end_week": 54}]), _weekly(), sc, 104)
    assert _sum(b, "sickness_benefit", year=1) == pytest.approx(2 * 4695)
    assert _sum(b, "sickness_benefit", year=2) == pytest.approx(2 * 4865)


def test_share_at_maximum_scales_benefit():
    sc = _sc(benefit={"share_at_maximum": 0.5, "below_max_fraction": 0.5, "refund": False})
    b = budget(_spells([{"spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 2}]), _weekly(), sc, 104)
    assert _sum(b, "sickness_benefit") == pytest.approx(2 * 4695 * 0.75)


def test_hand_computed_budget_of_tiny_scenario():
    """Two citizens, two years: one returns in week 20, one goes to jobafklaring at week 22 and is censored."""
    sc = _sc(benefit={"share_at_maximum": 1.0, "resource_course_with_children_share": 0.0, "refund": True})
    spells = _spells([
        {"spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 20, "return_week": 20,
         "treatment_start_week": 8, "treatment_end_week": 18, "provider": "external_psychologist"},
        {"spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 22, "jobafklaring_week": 22},
    ])
    b = budget(spells, _weekly(), sc, 104)
    r24 = 4695.0
    rc24 = 12326 * 12 / 52
    rc25 = round(12326 * 1.025) * 12 / 52
    # sickness benefit: 20 + 22 weeks in 2024, all public (unemployed)
    assert _sum(b, "sickness_benefit") + _sum(b, "sickness_benefit_refund") == pytest.approx(42 * r24)
    # resource-course benefit weeks 22..103: 30 weeks in year 1, 52 in year 2
    rc = _sum(b, "resource_course_benefit") + _sum(b, "resource_course_benefit_refund")
    assert rc == pytest.approx(30 * rc24 + 52 * rc25)
    # refund of citizen 2: weeks 1-4 80%, 5-26 40%, 27-52 30%, 53+ 20% across both benefits
    weeks = np.arange(22, 104)
    k = weeks + 1
    share = np.select([k <= 4, k <= 26, k <= 52], [0.8, 0.4, 0.3], 0.2)
    ref2 = (4 * 0.8 + 18 * 0.4) * r24 + float(np.sum(share * np.where(weeks < 52, rc24, rc25)))
    ref1 = (4 * 0.8 + 16 * 0.4) * r24
    assert _sum(b, payer="state") == pytest.approx(ref1 + ref2)
    # staff: 4 standard consultants at 625,000 a year, two years; sessions 10 weeks x 0.75 x 1,017, 60% region
    assert _sum(b, "consultants.standard") == pytest.approx(4 * 625_000 * 2)
    assert _sum(b, "sessions.external_psychologist", "region") == pytest.approx(10 * 0.75 * 1017 * 0.6)
    assert _sum(b, "sessions.external_psychologist", "citizen") == pytest.approx(10 * 0.75 * 1017 * 0.4)
    assert set(b["calendar_year"]) == {2024, 2025}


def test_fixed_costs_and_negative_salary_and_bad_split():
    sc = _sc(fixed_costs=[{"label": "IT", "dkk": 100_000, "years": [2], "payer": {"state": 0.5, "municipality": 0.5}}])
    b = budget(_spells([]), _weekly(), sc, 104)
    assert _sum(b, "fixed.IT", "state", year=2) == 50_000 and _sum(b, "fixed.IT", year=1) == 0
    with pytest.raises(ScenarioError, match=r"economics.consultant_fte_dkk.*>= 0"):
        _sc(consultant_fte_dkk=-1)
    with pytest.raises(ScenarioError, match=r"economics.providers.external_psychologist.payer.*add up to 1"):
        _sc(providers={"external_psychologist": {"per_session_dkk": 1000, "payer": {"region": 0.6, "citizen": 0.6}}})
    with pytest.raises(ScenarioError, match=r"unknown payer \['county'\]; allowed"):
        _sc(providers={"external_psychologist": {"payer": {"county": 1.0}}})


def test_budget_refuses_years_beyond_table():
    sc = _sc(start_year=2038)
    with pytest.raises(BudgetError, match="covers 2010-2040"):
        budget(_spells([]), _weekly(260), sc, 260)


def test_simulated_run_budget_is_consistent():
    """On a real short run: public net = gross - refund, and refund never exceeds 80% of gross."""
    from model import run

    res = run(load_scenario("baseline_standard"), reps=1, seed=3, weeks=60)
    b = budget(res.spells, res.weekly, res.scenario, res.weeks)
    muni = _sum(b, "sickness_benefit", "municipality")
    ref = _sum(b, "sickness_benefit_refund", "state")
    assert muni > 0 and 0 < ref <= 0.8 * (muni + ref) + 1e-6
    assert not math.isnan(b["dkk"].sum())


def _refund(k, rate):
    k = np.asarray(k)
    return float(np.sum(np.select([k <= 4, k <= 26, k <= 52], [0.8, 0.4, 0.3], 0.2) * rate))


def test_refund_share_follows_the_support_history_across_a_relapse():
    """Financing act §§ 5-6: public-support weeks count across spells; a gap of less than 52 weeks of
    self-support does not restart the staircase, a gap of 52 weeks does."""
    sc = _sc()
    rate = lambda w: np.where(np.asarray(w) < 52, 4695.0, 4865.0)  # noqa: E731
    first = {"citizen_id": 1, "spell": 0, "spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 20,
             "return_week": 20}
    # relapse 20 weeks after the return: weeks 40-59 are support weeks 21-40
    again = {"citizen_id": 1, "spell": 1, "spell_start_week": 40, "arrival_week": 44, "benefit_end_week": 60,
             "return_week": 60}
    b = budget(_spells([first, again]), _weekly(), sc, 104)
    expect = _refund(np.arange(1, 21), 4695.0) + _refund(np.arange(21, 41), rate(np.arange(40, 60)))
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(expect)
    # the same relapse after 52 weeks of self-support restarts the count
    late = {**again, "spell_start_week": 72, "arrival_week": 76, "benefit_end_week": 92, "return_week": 92}
    b = budget(_spells([first, late]), _weekly(), sc, 104)
    expect = _refund(np.arange(1, 21), 4695.0) + _refund(np.arange(1, 21), 4865.0)
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(expect)
    # another citizen's spells never count
    other = {**again, "citizen_id": 2, "spell": 0}
    b = budget(_spells([first, other]), _weekly(), sc, 104)
    expect = _refund(np.arange(1, 21), 4695.0) + _refund(np.arange(1, 21), rate(np.arange(40, 60)))
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(expect)


def test_onward_support_weeks_count_in_the_history_self_support_does_not():
    sc = _sc()
    first = {"citizen_id": 1, "spell": 0, "spell_start_week": 0, "arrival_week": 4, "benefit_end_week": 20}
    again = {"citizen_id": 1, "spell": 1, "spell_start_week": 40, "arrival_week": 44, "benefit_end_week": 50,
             "return_week": 50}
    spells = _spells([first, again])
    on = lambda state: pd.DataFrame([{"replication": 0, "citizen_id": 1, "spell": 0, "state": state,  # noqa: E731
                                      "start_week": 20, "end_week": 30}])
    b = budget(spells, _weekly(), sc, 104, onward=on("cash_benefit"))
    # 20 sickness weeks + 10 cash-benefit weeks before the relapse: weeks 40-49 are support weeks 31-40
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(
        _refund(np.arange(1, 21), 4695.0) + _refund(np.arange(31, 41), 4695.0))
    b = budget(spells, _weekly(), sc, 104, onward=on("self_support"))
    assert _sum(b, "sickness_benefit_refund", "state") == pytest.approx(
        _refund(np.arange(1, 21), 4695.0) + _refund(np.arange(21, 31), 4695.0))
