"""Hjørring on its own scope (issue 17): screening suspension, the claims file and the claims table."""
import numpy as np
import pytest

from analysis.claims import MEASURES, ClaimsError, claim_rows, load_claims, ratio_year4
from core_helpers import sim, tiny
from model import load_scenario, run
from model.economics import compare_budgets


def test_screening_suspended_from_a_year_sends_everyone_to_the_suspended_pathway():
    sc = tiny({"allocation.rule": "screening", "allocation.screening.criterion": "risk_in",
               "allocation.screening.risk_groups": ["high"], "allocation.screening.positive": "integrated",
               "allocation.screening.negative": "standard", "economics.start_year": 2018,
               "allocation.screening.suspended_from_year": 2019, "allocation.screening.when_suspended": "uncoordinated",
               "horizon_weeks": 104})
    s = sim(sc, seed=2).spells
    first = s[s["spell"] == 0]
    before, after = first[first["arrival_week"] < 52], first[first["arrival_week"] >= 52]
    assert set(before["allocated"]) <= {"integrated", "standard"} and len(before)
    assert (before["allocated"] == np.where(before["risk"] == "high", "integrated", "standard")).all()
    assert (after["allocated"] == "uncoordinated").all() and len(after)


def test_hjorring_spends_the_whole_investment_on_its_target_group():
    sc = load_scenario("hjorring_investment")
    assert sc.investment.share_for_target_group == 1.0
    assert sc.cash_benefit.enabled and load_scenario("hjorring_before_investment").cash_benefit.enabled
    assert sc.investment.years == list(range(2015, 2023))
    assert sc.allocation.screening.suspended_from_year is not None


def test_claims_file_states_the_seed_values_with_intervals():
    c = load_claims("hjorring_investment")
    assert c["baseline"] == "hjorring_before_investment"
    by = {x["measure"]: x for x in c["claims"]}
    assert set(by) == set(MEASURES)
    assert by["savings_to_cost_ratio_year4"]["value"] == 2.0
    assert by["job_effect_activity_ready"]["value"] == 0.5
    for x in c["claims"]:
        assert x["interval"][0] < x["value"] < x["interval"][1] and x["source"]


def test_bad_claims_file_gets_a_named_error(tmp_path, monkeypatch):
    import analysis.claims as cl

    (tmp_path / "x.yaml").write_text("claims:\n  - {name: a, measure: payback, value: 1, interval: [0, 2]}\n")
    monkeypatch.setattr(cl, "CLAIMS_DIR", tmp_path)
    with pytest.raises(ClaimsError, match="claims\\[0\\].measure"):
        cl.load_claims("x")


def test_claim_rows_on_a_short_hjorring_run():
    over = {"horizon_weeks": 260, "arrivals.per_year": 60, "cash_benefit.activity_ready.per_year": 80,
            "cash_benefit.job_ready.per_year": 60, "cash_benefit.ressourceforloeb.per_year": 20}
    sc = load_scenario("hjorring_investment").with_overrides(over)
    base = load_scenario("hjorring_before_investment").with_overrides(over)
    res, bres = run(sc, reps=2, seed=3), run(base, reps=2, seed=3)
    bc = compare_budgets(res, bres)
    table = claim_rows(load_claims("hjorring_investment"), res, bres, bc, 260)
    assert set(table["claim"]) == {"earned_back_twice_in_four_years", "job_effect_activity_ready",
                                   "one_year_less_on_public_support"}
    assert np.isfinite(table["simulated"]).all()
    assert (table["simulated.lo"] <= table["simulated"]).all() and (table["simulated"] <= table["simulated.hi"]).all()
    # the ratio is public savings over the extra effort cost in years 1-4, per replication
    p = bc.paired()
    p4 = p[p["year"] <= 4].groupby("replication").sum(numeric_only=True)
    manual = (p4["benefit_savings"] + p4["onward_savings"] + p4["tax_gain"]) / p4["extra_effort_cost"]
    assert np.allclose(ratio_year4(bc)["public"], manual.to_numpy())
    # outputs by population: every population has spells in both arms
    assert set(res.spells["population"]) == {"sick_listed", "activity_ready", "job_ready", "ressourceforloeb"}


def test_outputs_by_population_add_up_to_the_total():
    on = tiny({"cash_benefit.enabled": True, "cash_benefit.activity_ready.per_year": 80,
               "cash_benefit.job_ready.per_year": 50, "cash_benefit.ressourceforloeb.per_year": 20})
    out = sim(on, seed=6).outputs
    pops = ("sick_listed", "activity_ready", "job_ready", "ressourceforloeb")
    assert sum(out[f"n_spells.{p}"] for p in pops) == out["n_spells.all"]
    recovered = sum(out[f"recovered_share.{p}"] * out[f"n_spells.{p}"] for p in pops if out[f"n_spells.{p}"])
    assert recovered == pytest.approx(out["recovered_share.all"] * out["n_spells.all"])
    assert "recovered_share.activity_ready" not in sim(tiny(), seed=6).outputs
