"""The versioned rule table (model/rules/*.yaml) and the rule logic of model/rules.py (issue 12)."""
import copy

import numpy as np
import pytest
import yaml

from model import load_scenario
from model.rules import (RULES_DIR, MissingParagraphError, NegativeLimitError, OverlappingYearsError, RuleError,
                         calendar, load_rule_table, parse_rule_table, passing_week, rules_for, support_offsets)
from model.scenario import ScenarioError


@pytest.fixture
def raw():
    return yaml.safe_load((RULES_DIR / "dk_rules_v1.yaml").read_text(encoding="utf-8"))


def test_every_rule_has_paragraph_source_and_years(raw):
    t = parse_rule_table(raw, "dk_rules_v1")
    for name, entries in t.rules.items():
        for e in entries:
            assert e["paragraph"].strip() and e["source"].strip() and len(e["years"]) == 2, name


def test_start_year_picks_the_version_in_force():
    t = load_rule_table("dk_rules_v1")
    before, after = t.for_year(2024), t.for_year(2025)
    assert before["followup_employed"]["only_first_contact_if_uncomplicated"] is False
    assert after["followup_employed"]["only_first_contact_if_uncomplicated"] is True
    assert "2025" in after["followup_employed"]["paragraph"]
    assert "ASSUMPTION" in t.for_year(2015)["refund_staircase"]["paragraph"]  # before the 2016 refund reform
    assert "ASSUMPTION" not in t.for_year(2016)["refund_staircase"]["paragraph"]
    assert t.for_year(2024).limit("nr3") == 134 and t.for_year(2024).limit("nr2") == 69
    # a scenario picks by economics.start_year
    sc = load_scenario("baseline_standard")
    assert rules_for(sc.with_overrides({"economics.start_year": 2025}))["followup_employed"] is after["followup_employed"]


def test_start_year_outside_the_table_is_refused():
    with pytest.raises(RuleError, match="outside the rule table"):
        load_rule_table("dk_rules_v1").for_year(2012)
    with pytest.raises(ScenarioError, match="rule table"):
        load_scenario("baseline_standard").with_overrides({"economics.start_year": 2012})


def test_missing_paragraph_is_a_named_error(raw):
    bad = copy.deepcopy(raw)
    del bad["rules"]["extension_nr3"][0]["paragraph"]
    with pytest.raises(MissingParagraphError, match="extension_nr3"):
        parse_rule_table(bad, "bad")


def test_overlapping_years_is_a_named_error(raw):
    bad = copy.deepcopy(raw)
    bad["rules"]["followup_employed"][0]["years"] = [2015, 2025]
    with pytest.raises(OverlappingYearsError, match="followup_employed"):
        parse_rule_table(bad, "bad")


def test_negative_limit_is_a_named_error(raw):
    bad = copy.deepcopy(raw)
    bad["rules"]["extension_nr2"][0]["limit_weeks"] = -69
    with pytest.raises(NegativeLimitError, match="limit_weeks"):
        parse_rule_table(bad, "bad")


def test_unknown_table_names_the_available_ones():
    with pytest.raises(RuleError, match="dk_rules_v1"):
        load_rule_table("dk_rules_v9")


def test_calendar_month_end():
    c = calendar(2024, 104)
    # week 26 of 2024 begins Monday 1 July (day 182); July ends on day 212 (week 30): due in week 31
    assert c.month_end_week(26) == 31
    assert c.month_end_week(0) == 5  # 31 January = day 30, in week 4
    assert c.month_end_week(-4) == 0  # 4 December 2023: the month ends on day -1


def test_earlier_spells_within_nine_months_count():
    # no history: the 23rd counted week
    assert passing_week(10, [], 22, 39) == 32
    # 10 paid weeks just before: the count passes 22 after 13 weeks of the new spell
    assert passing_week(30, [(15, 25)], 22, 39) == 30 + 12
    # paid weeks more than 9 months (39 weeks) ago do not count
    assert passing_week(100, [(15, 25)], 22, 39) == 122


def test_refund_count_restarts_only_after_52_weeks_of_self_support_within_3_years():
    # 20 weeks, 30 weeks off, 10 weeks: the second interval continues the count (30 < 52)
    off = support_offsets(np.array([0, 50]), np.array([20, 60]), 52, 156)
    assert list(off) == [0, 20]
    # a gap of 52 weeks restarts the count
    off = support_offsets(np.array([0, 72]), np.array([20, 80]), 52, 156)
    assert list(off) == [0, 0]
    # two gaps of 30 weeks within 3 years add up to 52+: restart at the third interval
    off = support_offsets(np.array([0, 40, 80]), np.array([10, 50, 90]), 52, 156)
    assert list(off) == [0, 10, 0]
    # the same gaps spread over more than 3 years do not
    off = support_offsets(np.array([0, 40, 200]), np.array([10, 170, 210]), 52, 156)
    assert list(off) == [0, 10, 140]
