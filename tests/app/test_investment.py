"""Investment planner page: budget -> FTE and places, budget effect by year against the API's numbers."""
from __future__ import annotations

import json

import pytest
from conftest import chart_json, charts, no_exception, texts

from app_pages.modules import available

pytestmark = pytest.mark.skipif(not (available("model.economics") and available("model.investment")),
                                reason="budget model (model.economics / model.investment) not in this checkout")
REPS = 2


def _setup(at):
    at.run()
    no_exception(at)
    at.number_input(key="inv_reps").set_value(REPS)
    at.number_input(key="inv_jobs").set_value(1)
    at.run()
    return at


def test_budget_effect_matches_the_budget_model(page):
    from model import load_scenario, run
    from model.economics import compare_budgets
    from model.investment import conversion

    at = _setup(page("investment"))
    scn, base = at.selectbox(key="inv_scenario").value, at.selectbox(key="inv_baseline").value
    assert (scn, base) == ("hjorring_investment", "hjorring_before_investment")
    at.slider(key="inv_horizon").set_value(5)
    key = f"inv:{scn}:"
    at.number_input(key=key + "dkk").set_value(20.0)
    at.number_input(key=key + "consultants").set_value(50)
    at.number_input(key=key + "health_staff").set_value(50)
    at.number_input(key=key + "treatment").set_value(0)
    at.run()
    no_exception(at)
    buys = at.dataframe[0].value
    assert {"Consultants (FTE)", "Therapists (FTE)", "Citizens in the pathway per year"} <= set(buys.columns)
    at.button(key="inv_run").click().run()
    no_exception(at)

    sc = load_scenario(scn)
    inv = {**sc.investment.model_dump(), "total_dkk": None, "years": [], "year_shares": None,
           "per_year_dkk": {sc.investment.funded_years()[0] + i: 20e6 for i in range(len(sc.investment.funded_years()))},
           "split": {"consultants": 0.5, "health_staff": 0.5, "treatment": 0.0, "management": 0.0, "other": 0.0}}
    edited = sc.with_overrides({"horizon_weeks": 260, "investment": inv})
    b = load_scenario(base).with_overrides({"horizon_weeks": 260})
    bc = compare_budgets(run(edited, reps=REPS, seed=1), run(b, reps=REPS, seed=1))
    head = bc.headline(seed=1)
    conv = conversion(edited)
    assert [round(r["consultant_fte"], 1) for r in conv] == list(buys["Consultants (FTE)"])
    assert [r["places_per_year"] for r in conv] == list(buys["Citizens in the pathway per year"])
    metric = next(m for m in at.metric if m.label.startswith("Net effect years 1-5"))
    assert metric.value == f"{head['net_total'] / 1e6:+.2f} mio. DKK"
    extra = next(m for m in at.metric if m.label == "Extra citizens back at work")
    assert extra.value == f"{head['extra_returns']:+.0f}"
    fig = json.loads(chart_json(charts(at)[0]))
    assert {tr["name"] for tr in fig["data"]} == {"Net effect, total", "Cumulative net effect"}
    assert len(fig["data"][0]["x"]) == 5
    table = next(d.value for d in at.dataframe if "Quantity" in d.value.columns)
    assert len(table.columns) == 6 and "Net effect, total (mio. DKK)" in set(table["Quantity"])
    keys = {d.key for d in at.get("download_button")}
    assert {"inv_dl_table_csv", "inv_dl_table_xlsx", "inv_dl_numbers_xlsx", "inv_dl_conv_csv"} <= keys


def test_split_not_summing_to_100_is_a_message(page):
    at = _setup(page("investment"))
    key = f"inv:{at.selectbox(key='inv_scenario').value}:"
    at.number_input(key=key + "treatment").set_value(40).run()
    no_exception(at)
    assert "must add up to 100%" in texts(at)
    assert at.button(key="inv_run").disabled
