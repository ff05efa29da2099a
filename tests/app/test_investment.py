"""Investment planner page: the plan typed is the plan simulated (staff and cost), outcomes by year,
no invented investment, named messages for bad input with earlier results kept, save and Compare."""
from __future__ import annotations

import json

import pytest
import yaml
from conftest import chart_json, charts, no_exception, texts

from app_pages.modules import available

pytestmark = pytest.mark.skipif(not (available("model.economics") and available("model.investment")),
                                reason="budget model (model.economics / model.investment) not in this checkout")
REPS = 2
SCN = "hjorring_investment"
K = f"inv:{SCN}:"


def _setup(at, horizon=5):
    at.run()
    no_exception(at)
    at.number_input(key="inv_reps").set_value(REPS)
    at.number_input(key="inv_jobs").set_value(1)
    at.slider(key="inv_horizon").set_value(horizon)
    at.selectbox(key="inv_evidence").set_value("none")  # the scenario files' parameters (default: all evidence)
    at.run()
    return at


def _plan(at, mio, split, start=None, years=4):
    at.number_input(key=K + "dkk").set_value(mio)
    at.number_input(key=K + "years").set_value(years)
    if start is not None:
        at.number_input(key=K + "start").set_value(start)
    for line, v in zip(("consultants", "health_staff", "treatment"), split):
        at.number_input(key=K + line).set_value(v)
    at.run()
    no_exception(at)
    return at


def _row(table, label):
    return table[table["Quantity"] == label].iloc[0]


@pytest.mark.parametrize("split", [(100, 0, 0), (0, 100, 0)])
def test_simulated_staff_and_cost_are_what_the_plan_buys(page, split):
    from model.investment import whole_fte

    at = _setup(page("investment"))
    assert at.number_input(key=K + "start").value == __import__("datetime").date.today().year
    assert at.slider(key=K + "target").value == 1.0          # whole budget for the modelled group by default
    _plan(at, 5.0, split)
    buys = at.dataframe[0].value
    consultants, therapists = whole_fte(5e6 / 625_000), whole_fte(5e6 / 700_000)
    want_c, want_t = (consultants, 0) if split[0] else (0, therapists)
    assert list(buys["Consultants simulated"]) == [want_c] * 4
    assert list(buys["Therapists simulated"]) == [want_t] * 4
    at.button(key="inv_run").click().run()
    no_exception(at)
    entry = at.session_state["investment"]
    sim = entry["simulated"]
    if want_c:
        assert sim["consultants.integrated.count"] == want_c
        assert sim["pathways.integrated.consultant_pool"] == "integrated"
    else:   # no consultants bought: the existing standard pool follows the pathway (no kept investment staff)
        assert sim["pathways.integrated.consultant_pool"] == "standard"
    if want_t:
        assert sim["providers.jobcentre_health.therapists"] == want_t
    budget = next(d.value for d in at.dataframe if "Quantity" in d.value.columns and "1 (" in " ".join(d.value.columns))
    cost = _row(budget, "Cost of the plan (DKK m)")
    assert [cost[c] for c in budget.columns[1:5]] == ["5.00 (5.00 to 5.00)"] * 4
    # the extra effort cost is the plan plus only its knock-on fees: never the 7.5 / 8.45 mio. of kept staff
    by_year = entry["by_year"]
    assert list(by_year["plan_cost"].iloc[:4]) == pytest.approx([5e6] * 4)
    from model import run
    from model.economics import PUBLIC_PAYERS, compare_budgets
    bc = compare_budgets(run(entry["plan_scenario"], reps=REPS, seed=1), run(entry["baseline_scenario"], reps=REPS, seed=1))
    c = bc.costs[bc.costs["payer"].isin(PUBLIC_PAYERS) & (bc.costs["year"] <= 4)]
    staff = c[c["item"].str.match(r"(consultants|therapists)\.")].groupby("scenario")["dkk"].sum() / REPS / 4
    assert staff[entry["scenario"]] - staff[entry["baseline"]] == pytest.approx(5e6)   # extra staff cost = the plan
    outcomes = next(d.value for d in at.dataframe if "Quantity" in d.value.columns and any("*" in c for c in d.value.columns))
    y = __import__("datetime").date.today().year
    assert [c for c in outcomes.columns[1:]] == [f"{y + i} *" for i in range(4)] + [str(y + 4)]
    assert {"Returns to work, plan", "Wait for treatment (weeks), difference from baseline",
            "Share of the year's new spells still on benefit after 52 weeks, plan"} <= set(outcomes["Quantity"])
    assert any(q.startswith("Mean caseload per consultant (") for q in outcomes["Quantity"])  # pool named in words
    fig = json.loads(chart_json(charts(at)[0]))
    assert {tr["name"] for tr in fig["data"]} == {"Net effect, total", "Cumulative net effect"}


def test_scenario_without_investment_gets_none(page):
    at = page("investment")
    at.run()
    at.selectbox(key="inv_scenario").set_value("copenhagen_ibbis")
    at.selectbox(key="inv_baseline").set_value("baseline_standard")
    at.run()
    at.number_input(key="inv_reps").set_value(REPS).run()
    at.slider(key="inv_horizon").set_value(3).run()
    no_exception(at)
    assert at.toggle(key="inv:copenhagen_ibbis:on").value is False
    assert "No investment plan" in texts(at)
    at.button(key="inv_run").click().run()
    no_exception(at)
    entry = at.session_state["investment"]
    assert entry["plan_scenario"].investment is None and len(entry["conversion"]) == 0
    assert (entry["by_year"]["plan_cost"] == 0).all()
    budget = next(d.value for d in at.dataframe if "Quantity" in d.value.columns and "1 (" in " ".join(d.value.columns))
    assert set(_row(budget, "Cost of the plan (DKK m)")[1:]) == {"0.00 (0.00 to 0.00)"}


def test_bad_input_is_named_and_earlier_results_stay(page):
    at = _setup(page("investment"), horizon=3)
    _plan(at, 5.0, (50, 50, 0))
    at.button(key="inv_run").click().run()
    no_exception(at)
    before = at.session_state["investment"]["headline"]["net_total"]
    cases = [((5.0, (50, 50, 40), None), "must add up to 100%"),
             ((0.3, (50, 50, 0), None), "below one FTE"),
             ((5.0, (50, 50, 0), 2039), "rate table")]
    for (mio, split, start), message in cases:
        _plan(at, mio, split, start)
        assert message in texts(at), message
        assert at.button(key="inv_run").disabled
        assert at.session_state["investment"]["headline"]["net_total"] == before
        assert any(m.label.startswith("Net effect years 1-3") for m in at.metric)   # results still on the page
        _plan(at, 5.0, (50, 50, 0), __import__("datetime").date.today().year)


def test_target_share_below_one_needs_a_reason(page):
    at = _setup(page("investment"), horizon=3)
    at.slider(key=K + "target").set_value(0.5).run()
    assert "say why" in texts(at) and at.button(key="inv_run").disabled
    at.text_input(key=K + "reason").input("half the effort serves other groups").run()
    no_exception(at)
    assert not at.button(key="inv_run").disabled


def test_save_plan_and_put_it_in_compare(page):
    from model.investment import plan_from_yaml

    at = _setup(page("investment"), horizon=3)
    _plan(at, 5.0, (60, 40, 0))
    saved = next(d for d in at.get("download_button") if d.proto.id and "inv_save_plan" in d.proto.id)
    assert saved is not None
    at.button(key="inv_run").click().run()
    entry = at.session_state["investment"]
    text = __import__("model.investment", fromlist=["plan_yaml"]).plan_yaml(entry["plan_scenario"].investment, SCN)
    inv, scn = plan_from_yaml(text)
    assert scn == SCN and inv.split["consultants"] == 0.6 and set(inv.dkk_by_year().values()) == {5e6}
    assert yaml.safe_load(text)["investment"]["per_year_dkk"]
    at.button(key="inv_to_compare").click().run()
    no_exception(at)
    plans = at.session_state["inv_plans"]
    assert entry["plan_name"] in plans and len(plans) == 2
    assert at.session_state["cmp_pending_pick"][-1] == entry["plan_name"]


def test_calibration_uncertainty_option_is_carried_through(page):
    at = _setup(page("investment"), horizon=2)
    at.selectbox(key="inv_psets").set_value("calibrated/copenhagen_ibbis").run()
    at.button(key="inv_run").click().run()
    no_exception(at)
    entry = at.session_state["investment"]
    assert entry["parameter_sets"] == "calibrated/copenhagen_ibbis"
    assert "calibrated/copenhagen_ibbis" in texts(at)


def test_default_view_adds_the_plan_under_every_evidence_base(page):
    """'all' is the default, as on Compare: the plan against its baseline under each evidence base, one table."""
    from model.evidence import known_evidence

    at = page("investment")
    at.run()
    assert at.selectbox(key="inv_evidence").value == "all"
    at.number_input(key="inv_reps").set_value(REPS)
    at.number_input(key="inv_jobs").set_value(1)
    at.slider(key="inv_horizon").set_value(2)
    at.run()
    at.button(key="inv_run").click().run()
    no_exception(at)
    from presentation.labels import evidence_label

    shown = next(d.value for d in at.dataframe if "Evidence" in d.value.columns)
    assert list(shown["Evidence"]) == [evidence_label(e, "en") for e in known_evidence()]
    assert shown["Net budget, DKK m"].notna().all()


def test_one_evidence_base_carries_its_sets_through(page):
    at = _setup(page("investment"), horizon=2)
    at.selectbox(key="inv_evidence").set_value("herning_trial").run()
    at.button(key="inv_run").click().run()
    no_exception(at)
    entry = at.session_state["investment"]
    assert entry["parameter_sets"] == "evidence/herning_trial"
    assert "evidence/herning_trial" in entry["budget"].uncertainty
