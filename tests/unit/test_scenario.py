import textwrap

import pytest

from model import ScenarioError, list_scenario_names, load_scenario, scenario_from_dict


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_shipped_scenarios_load():
    for name in list_scenario_names():
        assert load_scenario(name).name == name


def test_extends_merges_and_overrides():
    sc = load_scenario("copenhagen_ibbis")
    base = load_scenario("baseline_standard")
    assert sc.allocation.rule == "randomise"
    assert sc.consultants == base.consultants
    assert sc.used_pathways() == ["standard", "uncoordinated", "integrated"]


def test_with_overrides_validates_and_leaves_original():
    sc = load_scenario("baseline_standard")
    sc2 = sc.with_overrides({"consultants.standard.caseload_limit": 35})
    assert sc2.consultants["standard"].caseload_limit == 35
    assert sc.consultants["standard"].caseload_limit == 50
    assert sc2.get_path("consultants.standard.caseload_limit") == 35


@pytest.mark.parametrize("path, value, needles", [
    ("consultants.standard.caseload_limit", 0, ["consultants.standard.caseload_limit", ">= 1"]),
    ("consultants.standard.count", -2, ["consultants.standard.count", ">= 1"]),
    ("rules.extension.nr2_clarification", 1.5, ["rules.extension.nr2_clarification", "<= 1"]),
    ("population.employed_share", -0.1, ["population.employed_share", ">= 0"]),
    ("consultants.standard.when_full", "overflow", ["when_full", "'queue' or 'stretch'"]),
    ("horizon_weeks", "long", ["horizon_weeks", "integer"]),
    ("pathways.standard.treatment.provider", "nowhere", ["nowhere", "external_psychologist"]),
])
def test_override_errors_name_field_and_allowed(path, value, needles):
    with pytest.raises(ScenarioError) as e:
        load_scenario("baseline_standard").with_overrides({path: value})
    for n in needles:
        assert n in str(e.value)


def test_unknown_override_path():
    with pytest.raises(ScenarioError, match="unknown parameter path 'consultants.standard.caseload'"):
        load_scenario("baseline_standard").with_overrides({"consultants.standard.caseload": 3})


def test_unknown_key_in_file_names_file_and_field(tmp_path):
    p = write(tmp_path, """
        extends: baseline_standard
        arrivals: {per_yaer: 100}
        """, "typo.yaml")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert "typo.yaml" in msg and "arrivals.per_yaer" in msg and "unknown field" in msg


def test_negative_capacity_and_bad_probability_in_file(tmp_path):
    p = write(tmp_path, """
        extends: baseline_standard
        providers:
          jobcentre_health: {kind: internal, therapists: -1, slots_per_therapist: 5}
        pathways:
          standard: {treatment: {uptake: 2}}
        """)
    msg = str(pytest.raises(ScenarioError, load_scenario, p).value)
    assert "providers.jobcentre_health.therapists" in msg
    assert "pathways.standard.treatment.uptake" in msg and "<= 1" in msg


def test_not_yaml_and_not_mapping(tmp_path):
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(write(tmp_path, "a: [1, 2\n"))
    with pytest.raises(ScenarioError, match="mapping"):
        load_scenario(write(tmp_path, "- 1\n- 2\n", "list.yaml"))


def test_extends_cycle_and_unknown_parent(tmp_path):
    write(tmp_path, "extends: b\n", "a.yaml")
    write(tmp_path, "extends: a\n", "b.yaml")
    with pytest.raises(ScenarioError, match="unknown scenario|cycle"):
        load_scenario(tmp_path / "a.yaml")
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        load_scenario(write(tmp_path, "extends: nope\n", "c.yaml"))


def test_unknown_scenario_lists_available():
    with pytest.raises(ScenarioError, match="available: .*baseline_standard"):
        load_scenario("no_such_scenario")


def test_shares_must_sum_to_one():
    with pytest.raises(ScenarioError, match="sum to 1"):
        load_scenario("copenhagen_ibbis").with_overrides({"allocation.shares": {"standard": 0.5, "integrated": 0.2}})


def test_allocation_to_undefined_pathway():
    data = load_scenario("baseline_standard").model_dump(by_alias=True)
    del data["pathways"]["integrated"]
    data["allocation"] = {"rule": "all", "pathway": "integrated"}
    with pytest.raises(ScenarioError, match="integrated.*not defined"):
        scenario_from_dict(data)


def test_yaml_round_trip(tmp_path):
    sc = load_scenario("copenhagen_ibbis").with_overrides({"arrivals.per_year": 333})
    p = tmp_path / "x.yaml"
    p.write_text(sc.to_yaml())
    assert load_scenario(p).model_dump(exclude={"extends"}) == sc.model_dump(exclude={"extends"})
