"""Investment -> FTE -> staff, capacity and places; bad budgets are refused with the field named."""
import pytest

from model import ScenarioError, run, scenario_from_dict
from model.investment import conversion


def _inv(**kw):
    inv = {"total_dkk": 2_000_000, "years": [2024, 2025], "split": {"consultants": 0.5, "health_staff": 0.5},
           "pathway": "integrated", "place_weeks": 26, **kw}
    return scenario_from_dict({"extends": "baseline_standard", "name": "inv", "horizon_weeks": 156,
                               "allocation": {"rule": "all", "pathway": "integrated", "overflow_pathway": "standard"},
                               "economics": {"start_year": 2024}, "investment": inv})


def test_fte_conversion_and_places():
    sc = _inv()
    rows = conversion(sc)
    assert [r["year"] for r in rows] == [2024, 2025]
    r = rows[0]
    assert r["dkk"] == pytest.approx(1_000_000)
    assert r["consultant_fte"] == pytest.approx(500_000 / 625_000)
    assert r["therapist_fte"] == pytest.approx(500_000 / 700_000)
    # consultants: 0.8 FTE x caseload 35 x 52 / 26 weeks = 56 places; health: 0.714 x 15 slots x 52 / course / uptake
    course = sc.pathways["integrated"].treatment.course.mean_weeks()
    health = 500_000 / 700_000 * 15 * 52 / course / 0.95
    assert r["places_per_year"] == int(min(56.0, health))
    assert sc.consultants["integrated"].count == 1 and sc.providers["jobcentre_health"].therapists == 1
    assert sc.allocation.places_by_year["integrated"][:3] == [r["places_per_year"]] * 2 + [0]


def test_conversion_is_idempotent_under_overrides():
    sc = _inv(total_dkk=20_000_000)
    again = sc.with_overrides({"description": "x"})
    assert again.consultants["integrated"].count == sc.consultants["integrated"].count == 8
    assert again.allocation.places_by_year == sc.allocation.places_by_year


def test_target_share_and_per_year_budget():
    sc = _inv(total_dkk=None, years=[], per_year_dkk={2024: 4_000_000}, share_for_target_group=0.25)
    rows = conversion(sc)
    assert len(rows) == 1 and rows[0]["dkk"] == pytest.approx(1_000_000)


def test_places_by_year_limits_the_pathway_in_a_run():
    sc = _inv()
    res = run(sc, reps=1, seed=2, weeks=104)
    sp = res.spells
    cap = sc.allocation.places_by_year["integrated"][0]
    y1 = sp[(sp["arrival_week"] < 52) & (sp["pathway"] == "integrated")]
    assert 0 < len(y1) <= cap
    assert len(sp[(sp["arrival_week"] >= 104) & (sp["pathway"] == "integrated")]) == 0


@pytest.mark.parametrize("kw, field, text", [
    ({"split": {"consultants": 0.6, "health_staff": 0.6}}, "investment.split", "add up to 1"),
    ({"split": {"consultants": 0.5, "salaries": 0.5}}, "investment.split", "unknown budget line"),
    ({"total_dkk": -5}, "investment.total_dkk", ">= 0"),
    ({"per_year_dkk": {2024: 1}}, "investment", "either total_dkk"),
    ({"year_shares": [0.5, 0.6]}, "investment", "year_shares"),
    ({"payer": {"state": 0.5}}, "investment.payer", "add up to 1"),
])
def test_bad_investment_names_the_field(kw, field, text):
    with pytest.raises(ScenarioError) as err:
        _inv(**kw)
    assert field in str(err.value) and text in str(err.value)
