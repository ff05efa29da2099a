"""Investment plan -> FTE -> staff, capacity and places; a plan replaces the levers it sets; bad plans are named."""
import pytest

from model import ScenarioError, load_scenario, run, scenario_from_dict
from model.economics import compare_budgets
from model.investment import Investment, conversion, plan, plan_from_yaml, plan_notes, plan_yaml, resolve, whole_fte


def _inv(**kw):
    inv = {"total_dkk": 2_000_000, "years": [2024, 2025], "split": {"consultants": 0.5, "health_staff": 0.5},
           "pathway": "integrated", "place_weeks": 26, **kw}
    return scenario_from_dict({"extends": "baseline_standard", "name": "inv", "horizon_weeks": 156,
                               "allocation": {"rule": "all", "pathway": "integrated", "overflow_pathway": "standard"},
                               "economics": {"start_year": 2024}, "investment": inv})


def test_whole_fte_is_one_rule_half_up():
    assert [whole_fte(x) for x in (0.0, 0.49, 0.5, 1.49, 1.5, 2.5, 3.57)] == [0, 0, 1, 1, 2, 3, 4]


def test_fte_conversion_and_places_follow_the_simulated_staff():
    sc = _inv()
    rows = conversion(sc)
    assert [r["year"] for r in rows] == [2024, 2025]
    r = rows[0]
    assert r["dkk"] == pytest.approx(1_000_000)
    assert r["consultant_fte"] == pytest.approx(500_000 / 625_000)
    assert r["therapist_fte"] == pytest.approx(500_000 / 700_000)
    assert (r["consultants_simulated"], r["therapists_simulated"]) == (1, 1)
    # places from the whole staff simulated: 1 consultant x 35 x 52 / 26 = 70; 1 therapist x 15 x 52 / course / 0.95
    course = sc.pathways["integrated"].treatment.course.mean_weeks()
    assert r["places_per_year"] == int(min(70.0, 15 * 52 / course / 0.95))
    res = resolve(sc)
    assert res.consultants["integrated"].count == 1 and res.providers["jobcentre_health"].therapists == 1
    assert res.allocation.places_by_year["integrated"][:3] == [r["places_per_year"]] * 2 + [0]


def test_a_scenario_is_a_value_and_resolve_is_idempotent():
    sc = _inv(total_dkk=20_000_000)
    assert sc.consultants["integrated"].count == 5          # the file's value: validation changes nothing
    once = resolve(sc)
    assert once.consultants["integrated"].count == 8
    twice = resolve(once)
    assert twice.model_dump() == once.model_dump()
    assert resolve(once.with_overrides({"description": "x"})).consultants["integrated"].count == 8


def test_plan_replaces_not_adds_to_a_built_in_investment():
    sc = load_scenario("hjorring_investment")
    new = plan(5e6, 4, 2015, {"consultants": 1.0}, base=sc.investment)
    res = resolve(sc.model_copy(update={"investment": new}))
    assert res.consultants["integrated"].count == whole_fte(5e6 / 625_000) == 8
    # no health staff bought: the pathway refers to the standard pathway's provider, not four kept therapists
    assert res.pathways["integrated"].treatment.provider == sc.pathways["standard"].treatment.provider
    new = plan(5e6, 4, 2015, {"health_staff": 1.0}, base=sc.investment)
    res = resolve(sc.model_copy(update={"investment": new}))
    assert res.providers["jobcentre_health"].therapists == whole_fte(5e6 / 700_000) == 7
    assert res.pathways["integrated"].consultant_pool == sc.pathways["standard"].consultant_pool
    assert any("no consultants bought" in n for n in plan_notes(sc.model_copy(update={"investment": new})))


@pytest.mark.parametrize("split", [{"consultants": 1.0}, {"health_staff": 1.0}, {"consultants": 0.6, "health_staff": 0.4}])
def test_extra_cost_in_funded_years_is_the_plan(split):
    """Public effort cost of scenario minus baseline in funded years = the plan's budget (no kept staff)."""
    sc = load_scenario("hjorring_investment").with_overrides({"horizon_weeks": 156})
    base = load_scenario("hjorring_before_investment").with_overrides({"horizon_weeks": 156})
    new = plan(5e6, 2, 2015, split, base=sc.investment)
    edited = sc.model_copy(update={"investment": new})
    bc = compare_budgets(run(edited, reps=2, seed=3), run(base, reps=2, seed=3))
    p = bc.paired()
    staff = bc.costs[(bc.costs["scenario"] == edited.name) & bc.costs["item"].str.match(r"(consultants\.integrated|therapists\.jobcentre_health)")]
    by_year = staff.groupby(["replication", "year"])["dkk"].sum().groupby("year").mean()
    assert by_year.loc[1] == pytest.approx(5e6) and by_year.loc[2] == pytest.approx(5e6)
    assert by_year.get(3, 0.0) <= 5e6
    assert len(p)


def test_no_investment_means_no_investment():
    sc = load_scenario("copenhagen_ibbis")
    assert sc.investment is None and resolve(sc) is sc


def test_target_share_needs_a_reason_and_per_year_budget():
    with pytest.raises(ScenarioError, match="target_group_reason"):
        _inv(total_dkk=None, years=[], per_year_dkk={2024: 4_000_000}, share_for_target_group=0.25)
    sc = _inv(total_dkk=None, years=[], per_year_dkk={2024: 4_000_000}, share_for_target_group=0.25,
              target_group_reason="the effort also served other groups")
    rows = conversion(sc)
    assert len(rows) == 1 and rows[0]["dkk"] == pytest.approx(1_000_000)


def test_places_by_year_limits_the_pathway_in_a_run():
    sc = _inv()
    res = run(sc, reps=1, seed=2, weeks=104)
    sp = res.spells
    cap = res.scenario.allocation.places_by_year["integrated"][0]
    y1 = sp[(sp["arrival_week"] < 52) & (sp["pathway"] == "integrated")]
    assert 0 < len(y1) <= cap
    assert len(sp[(sp["arrival_week"] >= 104) & (sp["pathway"] == "integrated")]) == 0


def test_plan_yaml_round_trip():
    inv = plan(5e6, 3, 2026, {"consultants": 0.5, "health_staff": 0.5}, share_for_target_group=0.5,
               target_group_reason="half the caseload has other diagnoses")
    back, scn = plan_from_yaml(plan_yaml(inv, "hjorring_investment"))
    assert back == inv and scn == "hjorring_investment"
    with pytest.raises(ValueError, match="investment.split"):
        plan_from_yaml("investment: {per_year_dkk: {2026: 5000000}, split: {consultants: 0.5}}")
    with pytest.raises(ValueError, match="investment:"):
        plan_from_yaml("budget: 5")
    assert isinstance(back, Investment)


@pytest.mark.parametrize("kw, field, text", [
    ({"split": {"consultants": 0.6, "health_staff": 0.6}}, "investment.split", "add up to 1"),
    ({"split": {"consultants": 0.5, "salaries": 0.5}}, "investment.split", "unknown budget line"),
    ({"total_dkk": -5}, "investment.total_dkk", ">= 0"),
    ({"per_year_dkk": {2024: 1}}, "investment", "either total_dkk"),
    ({"year_shares": [0.5, 0.6]}, "investment", "year_shares"),
    ({"payer": {"state": 0.5}}, "investment.payer", "add up to 1"),
    ({"total_dkk": 600_000}, "investment", "below one FTE"),
    ({"years": [2050, 2051]}, "investment", "outside rate table"),
    ({"years": [2020, 2021]}, "investment", "before the first simulated year"),
    ({"pathway": "uncoordinated", "split": {"consultants": 1.0}}, "investment", "also serves pathway"),
])
def test_bad_investment_names_the_field(kw, field, text):
    with pytest.raises(ScenarioError) as err:
        _inv(**kw)
    assert field in str(err.value) and text in str(err.value)


def test_outcomes_by_year_agree_with_the_budget_and_mark_funded_years():
    from model.plan_outcomes import outcomes_by_year

    sc = load_scenario("hjorring_investment").with_overrides({"horizon_weeks": 156})
    base = load_scenario("hjorring_before_investment").with_overrides({"horizon_weeks": 156})
    edited = sc.model_copy(update={"investment": plan(5e6, 2, 2015, {"consultants": 0.6, "health_staff": 0.4},
                                                      base=sc.investment)})
    res, bres = run(edited, reps=2, seed=4), run(base, reps=2, seed=4)
    long = outcomes_by_year(res, bres).set_index(["quantity", "year"])
    by_year = compare_budgets(res, bres).by_year().set_index("year")
    for y in (1, 2, 3):
        assert long.loc[("returns", y), "difference"] == pytest.approx(by_year.loc[y, "extra_returns"])
    assert [long.loc[("plan_cost", y), "plan"] for y in (1, 2)] == pytest.approx([5e6, 5e6])
    assert list(long.xs("returns")["funded"]) == [True, True, False]
    assert long.loc[("plan_cost", 1), "baseline"] == 0.0
    share = long.xs("still_on_benefit")["plan"]
    assert ((share.dropna() >= 0) & (share.dropna() <= 1)).all()
