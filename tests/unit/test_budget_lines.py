"""The whole public purse: onward-state benefits (synthetic onward table), tax revenue, present values, views."""
import math

import numpy as np
import pandas as pd
import pytest

from model import ScenarioError, scenario_from_dict
from model.budget_lines import discount_factors, item_kind, onward_costs, tax_revenue
from model.economics import BudgetComparison, budget
from model.rate_table import load_rate_table
from core_helpers import sum_dkk as _sum

T = load_rate_table("dk_rates_v1")


def _sc(**economics):
    eco = {"start_year": 2024, "benefit": {"share_at_maximum": 1.0, "refund": True}, **economics}
    return scenario_from_dict({"extends": "baseline_standard", "name": "tiny", "horizon_weeks": 104,
                               "economics": eco})


def _spells(rows):
    base = {"replication": 0, "citizen_id": 0, "spell": 0, "pathway": "standard", "employed": False,
            "jobafklaring_week": np.nan, "jobafklaring_end_week": np.nan, "treatment_start_week": np.nan,
            "treatment_end_week": np.nan, "provider": "", "return_week": np.nan, "relapse_week": np.nan}
    return pd.DataFrame([{**base, **r} for r in rows])


def _onward(rows):
    base = {"replication": 0, "citizen_id": 0, "spell": 0}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_onward_state_with_refund_continues_the_staircase_of_the_spell():
    sc = _sc()
    spells = _spells([{"spell_start_week": 0, "benefit_end_week": 60}])  # unemployed: public from week 0
    on = _onward([{"state": "cash_benefit", "start_week": 60.0, "end_week": 70.0}])
    c = onward_costs(on, spells, sc, 104)
    week = 13_746 * 12 / 52  # 2024 rate (rate_year 2024), year 2 = 2025 indexed by 2.5%
    gross = 10 * week * 1.025
    assert _sum(c) == pytest.approx(gross)
    # weeks 61-70 of public support: past week 52, so the state refunds 20%
    assert _sum(c, "onward.cash_benefit_refund", "state") == pytest.approx(0.2 * gross)
    assert _sum(c, "onward.cash_benefit", "municipality") == pytest.approx(0.8 * gross)


def test_onward_open_end_runs_to_horizon_and_unknown_citizen_counts_from_onward_start():
    sc = _sc()
    on = _onward([{"citizen_id": 9, "state": "foertidspension", "start_week": 100.0, "end_week": np.nan}])
    c = onward_costs(on, _spells([]), sc, 104)
    gross = 4 * 20_370 * 12 / 52 * 1.025
    assert _sum(c) == pytest.approx(gross)
    assert _sum(c, payer="state") == pytest.approx(0.8 * gross)  # weeks 1-4 of public support: 80% refund


def test_onward_payer_split_without_refund_and_switch_off():
    sc = _sc(onward={"states": {"unemployment_insurance": {"monthly_dkk": 20_359, "payer": {"state": 1.0},
                                                           "refund": False}}})
    on = _onward([{"state": "unemployment_insurance", "start_week": 0.0, "end_week": 52.0},
                  {"citizen_id": 1, "state": "self_support", "start_week": 0.0, "end_week": 52.0}])
    c = onward_costs(on, _spells([]), sc, 104)
    assert _sum(c, payer="state") == pytest.approx(20_359 * 12) and _sum(c, payer="municipality") == 0
    off = _sc(onward={"include": False})
    assert len(onward_costs(on, _spells([]), off, 104)) == 0


def test_onward_bad_input_is_named():
    with pytest.raises(ScenarioError, match="unknown onward state"):
        _sc(onward={"states": {"holiday": {"monthly_dkk": 1}}})
    with pytest.raises(ValueError, match="lacks columns"):
        onward_costs(pd.DataFrame({"state": ["flexjob"]}), _spells([]), _sc(), 104)


def test_tax_on_wages_after_return_until_relapse_and_on_benefits():
    sc = _sc(tax={"annual_wage_dkk": 520_000, "tax_rate": 0.4, "employment_rate": 0.5, "benefit_tax_rate": 0.3,
                  "payer": {"municipality": 0.6, "state": 0.4}})
    spells = _spells([{"spell_start_week": 0, "benefit_end_week": 10, "return_week": 10, "relapse_week": 30}])
    transfers = pd.DataFrame({"replication": [0], "year": [1], "item": ["sickness_benefit"], "payer": ["municipality"],
                              "dkk": [1000.0]})
    t = tax_revenue(spells, transfers, sc, 104)
    wages = 20 * 520_000 / 52 * 0.5 * 0.4
    assert _sum(t, "tax.wages") == pytest.approx(-wages)
    assert _sum(t, "tax.wages", "municipality") == pytest.approx(-0.6 * wages)
    assert _sum(t, "tax.benefits") == pytest.approx(-300.0)
    # a return with no later spell works to the horizon; year 2 wages are indexed by the rate table
    t2 = tax_revenue(_spells([{"spell_start_week": 0, "return_week": 100}]), transfers.iloc[0:0], sc, 104)
    assert _sum(t2, "tax.wages") == pytest.approx(-4 * 520_000 / 52 * 0.5 * 0.4 * 1.025)
    assert len(tax_revenue(spells, transfers, _sc(tax={"include": False}), 104)) == 0


def test_item_kinds():
    assert item_kind("sickness_benefit_refund") == "transfer" and item_kind("onward.flexjob") == "transfer"
    assert item_kind("consultants.standard") == "service" and item_kind("tax.wages") == "tax"


def test_discount_factors_follow_the_finance_ministry_rate():
    eco = _sc().economics
    assert eco.discount.rate == 0.035
    f = discount_factors(eco, 3)
    assert f[0] == 1.0 and f[2] == pytest.approx(1 / 1.035 ** 2)
    eco2 = _sc(discount={"rate": 0.04, "first_year_discounted": True}).economics
    assert discount_factors(eco2, 1)[0] == pytest.approx(1 / 1.04)


def _comparison(costs_s, costs_b, years=3, **economics):
    sc = _sc(**economics)
    costs = pd.concat([pd.DataFrame(costs_s).assign(scenario="s"), pd.DataFrame(costs_b).assign(scenario="b")])
    reps = sorted(costs["replication"].unique())
    returns = pd.DataFrame([{"scenario": n, "replication": r, "year": y, "returns": 0.0}
                            for n in ("s", "b") for r in reps for y in range(1, years + 1)])
    return BudgetComparison("s", "b", costs, returns, years, 2024, sc.economics)


def test_npv_per_payer_discounted_payback_and_block_grant_view():
    # scenario: 100 of service in year 1 (municipality); saves 60 of municipal transfer in years 2 and 3
    s = [{"replication": r, "year": 1, "item": "consultants.x", "payer": "municipality", "dkk": 100.0} for r in (0, 1)]
    b = [{"replication": r, "year": y, "item": "sickness_benefit", "payer": "municipality", "dkk": 60.0}
         for r in (0, 1) for y in (2, 3)]
    bc = _comparison(s, b, block_grant={"transfer_offset_share": 0.5})
    h = bc.headline()
    assert h["net.municipality"] == pytest.approx(20.0)
    assert h["npv.municipality"] == pytest.approx(-100 + 60 / 1.035 + 60 / 1.035 ** 2)
    assert h["npv.total"] == h["npv.municipality"] and h["npv.state"] == 0
    assert h["payback_year"] == 3 and h["payback_year_discounted"] == 3
    p = bc.paired()
    assert p["net.municipality_after_block_grant"].sum() == pytest.approx(2 * (-100 + 0.5 * 120))
    assert p["net.state_after_block_grant"].sum() == pytest.approx(2 * 0.5 * 120)
    tot = bc.totals().set_index("line")
    assert tot.loc["net_service", "undiscounted"] == pytest.approx(-100)
    assert tot.loc["net_transfer", "undiscounted"] == pytest.approx(120)
    # a higher discount rate can push payback on discounted flows past the horizon
    bc2 = _comparison(s, [{**r, "dkk": 51.0} for r in b], discount={"rate": 0.1})
    h2 = bc2.headline()
    assert h2["payback_year"] == 3 and math.isinf(h2["payback_year_discounted"])


def test_budget_adds_the_lines_and_switching_them_off_removes_them():
    spells = _spells([{"spell_start_week": 0, "benefit_end_week": 10, "return_week": 10, "outcome": "returned"}])
    weekly = pd.DataFrame({"replication": 0, "week": np.arange(104)})
    on = _onward([{"citizen_id": 1, "state": "flexjob", "start_week": 20.0, "end_week": 40.0}])
    full = budget(spells, weekly, _sc(), 104, on)
    assert _sum(full, "tax.wages") < 0 and _sum(full, "onward.flexjob") > 0
    bare = budget(spells, weekly, _sc(tax={"include": False}, onward={"include": False}), 104, on)
    assert not bare["item"].str.startswith(("tax.", "onward.")).any()
    assert _sum(full, "sickness_benefit") == pytest.approx(_sum(bare, "sickness_benefit"))


def test_payback_is_conditional_where_the_effect_is_assumed():
    from analysis.budget_text import headline_lines

    s = [{"replication": r, "year": 1, "item": "consultants.x", "payer": "municipality", "dkk": 10.0} for r in (0, 1)]
    b = [{"replication": r, "year": 2, "item": "sickness_benefit", "payer": "municipality", "dkk": 30.0} for r in (0, 1)]
    bc = _comparison(s, b)
    assert not any("CONDITIONAL" in x for x in headline_lines(bc.headline()))
    bc.effect = "assumed"
    h = bc.headline()
    assert h["effect"] == "assumed"
    assert any("Payback year (CONDITIONAL on the assumed effect" in x for x in headline_lines(h))


def test_budget_comparison_api_carries_calibration_uncertainty_and_the_effect():
    from model.budget_runs import budget_comparison
    from model.economics import SIM_ONLY

    calls = []
    bc = budget_comparison("copenhagen_ibbis", "baseline_standard", reps=2, seed=2, years=1,
                           parameter_sets="calibrated/copenhagen_ibbis", progress=lambda k, n: calls.append((k, n)))
    assert "calibration uncertainty" in bc.uncertainty and "calibrated/copenhagen_ibbis" in bc.uncertainty
    assert calls[-1] == (4, 4) and bc.effect == "measured"
    assert budget_comparison("copenhagen_ibbis", "baseline_standard", reps=1, years=1).uncertainty == SIM_ONLY
    from model.economics import BudgetError

    with pytest.raises(BudgetError, match="rate table dk_rates_v1 covers 2010-2040"):
        budget_comparison(_sc(start_year=2030), "baseline_standard", reps=1, years=15)


def test_app_workbook_bytes_are_numeric_and_sum():
    import io

    import openpyxl

    from presentation.workbook import budget_workbook_bytes

    s = [{"replication": r, "year": 1, "item": "consultants.x", "payer": "municipality", "dkk": 100.0} for r in (0, 1)]
    b = [{"replication": r, "year": y, "item": "sickness_benefit", "payer": "state", "dkk": 60.0}
         for r in (0, 1) for y in (2, 3)]
    bc = _comparison(s, b)
    data = budget_workbook_bytes(bc, bc.headline(), _sc(), reps=2, seed=1)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Items"]
    header = [c.value for c in ws[1]]
    means = [r[header.index("mean")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(m, (int, float)) for m in means) and sum(means) == pytest.approx(100 + 2 * 60)  # means over replications
    assert dict(wb["About"].iter_rows(min_row=2, values_only=True))["discount rate"] == 0.035
