"""Each mechanism of DESIGN §3-4 in a small, fully controlled scenario."""

from core_helpers import sim, tiny

ZERO_H0 = {"hazard.baseline_weekly": {"depression": 0, "anxiety": 0, "stress": 0, "functional": 0, "personality": 0}}
EXTEND_ALL = {"rules.extension.outside_treatment_share": 1.0, "rules.extension.nr3_expected_recovery": 1.0}
EXTEND_NONE = {"rules.extension.nr3_expected_recovery": 0.0, "rules.extension.nr2_clarification": 0.0,
               "rules.extension.nr4_rehabilitation_team": 0.0}


def test_zero_hazard_nobody_returns():
    rep = sim(tiny({**ZERO_H0, "hazard.other_exit_weekly": 0}))
    assert rep.spells["return_week"].isna().all()


def test_statutory_rhythm_first_contact_and_every_four_weeks():
    sc = tiny({**ZERO_H0, "consultants.standard.hours_per_week": None, "consultants.standard.count": 50,
               **EXTEND_ALL, "hazard.other_exit_weekly": 0})
    rep = sim(sc, weeks=60)
    s = rep.spells
    assert ((s["first_contact_week"] - s["arrival_week"]).dropna() == 4).all()
    # contacts up to the horizon every 4 weeks: count = floor((H-1 - first)/4) + 1
    expect = ((60 - 1 - s["first_contact_week"]) // 4 + 1).clip(lower=0)
    ok = s["first_contact_week"].notna()
    assert (s.loc[ok, "contacts"] == expect[ok]).all()


def test_reassessment_transfers_to_jobafklaring_at_the_statutory_month_end():
    """§ 24: the first 30 days (4 weeks) do not count; due at the end of the calendar month in which
    the counted weeks pass 22 (week 0 = 1 January of economics.start_year)."""
    import datetime as dt

    sc = tiny({**ZERO_H0, **EXTEND_NONE, "hazard.other_exit_weekly": 0})
    s = sim(sc).spells
    moved = s.dropna(subset=["jobafklaring_week"])
    assert len(moved) > 0
    jan1 = dt.date(sc.economics.start_year, 1, 1)

    def expected(spell_start: int) -> int:
        passing = jan1 + dt.timedelta(weeks=int(spell_start) + 4 + 22)  # first day of the 23rd counted week
        nxt = dt.date(passing.year + passing.month // 12, passing.month % 12 + 1, 1)
        month_end = (nxt - jan1).days - 1
        return month_end // 7 + 1

    exp = moved["spell_start_week"].map(expected)
    assert (moved["jobafklaring_week"] == exp).all()
    lag = moved["jobafklaring_week"] - moved["spell_start_week"]
    assert lag.between(27, 31).all() and lag.nunique() > 1  # 4 weeks + 22 + up to a month: not one fixed week
    assert (moved["benefit_end_reason"] == "jobafklaring").all()


def test_extension_keeps_everyone_on_benefit():
    sc = tiny({**ZERO_H0, **EXTEND_ALL, "hazard.other_exit_weekly": 0})
    s = sim(sc).spells
    assert s["jobafklaring_week"].isna().all()
    assert s["reassessed"].sum() > 0 and s["extended"].sum() == s["reassessed"].sum()
    assert (s.loc[s["extended"], "extension_ground"] == "nr3").all()


def test_nr3_extension_ends_at_134_weeks_after_reassessment():
    sc = tiny({**ZERO_H0, **EXTEND_ALL, "rules.extension.nr2_clarification": 0.0,
               "rules.extension.nr4_rehabilitation_team": 0.0, "hazard.other_exit_weekly": 0,
               "pathways.standard.treatment.uptake": 0.0}, horizon_weeks=220)
    s = sim(sc).spells
    moved = s.dropna(subset=["jobafklaring_week"])
    assert len(moved) > 0
    assert ((moved["jobafklaring_week"] - moved["reassessment_week"]) == 134).all()
    assert (moved["extension_ground"] == "nr3").all()


def test_nr2_extension_ends_at_69_weeks_then_jobafklaring():
    sc = tiny({**ZERO_H0, "rules.extension.outside_treatment_share": 0.0, "rules.extension.nr2_clarification": 1.0,
               "rules.extension.nr4_rehabilitation_team": 0.0, "hazard.other_exit_weekly": 0,
               "pathways.standard.treatment.uptake": 0.0}, horizon_weeks=150)
    s = sim(sc).spells
    moved = s.dropna(subset=["jobafklaring_week"])
    assert len(moved) > 0
    assert ((moved["jobafklaring_week"] - moved["reassessment_week"]) == 69).all()


def test_rehabilitation_team_ends_the_spell_in_an_onward_state():
    sc = tiny({**ZERO_H0, "rules.extension.outside_treatment_share": 0.0, "rules.extension.nr2_clarification": 0.0,
               "rules.extension.nr4_rehabilitation_team": 1.0, "hazard.other_exit_weekly": 0,
               "pathways.standard.treatment.uptake": 0.0}, horizon_weeks=100)
    rep = sim(sc)
    s = rep.spells
    team = s[s["outcome"] == "rehabilitation_team"]
    assert len(team) > 0
    assert ((team["end_week"] - team["reassessment_week"]) == sc.rules.extension.rehabilitation_team_weeks).all()
    first = rep.onward.sort_values("start_week", kind="stable").drop_duplicates(["citizen_id", "spell"])
    on = first.merge(team[["citizen_id", "spell", "end_week"]], on=["citizen_id", "spell"])
    assert len(on) == len(team) and (on["start_week"] == on["end_week_y"]).all()
    assert set(on["state"]) <= {"ressourceforloeb", "flexjob", "foertidspension"}


def test_external_wait_and_course_lengths():
    sc = tiny({"providers.external_psychologist.wait": {"dist": "fixed", "weeks": 5},
               "pathways.standard.treatment.uptake": 1.0,
               "pathways.standard.treatment.dropout_weekly": 0.0,
               "pathways.standard.treatment.course": {"dist": "fixed", "weeks": 6}})
    s = sim(sc).spells
    started = s.dropna(subset=["treatment_start_week"])
    assert len(started) > 10
    assert ((started["treatment_start_week"] - started["referral_week"]) == 5).all()
    done = started[started["treatment_completed"]]
    assert ((done["treatment_end_week"] - done["treatment_start_week"]) == 6).all()
    # GP referral follows the first contact in the standard route
    assert (started["referral_week"] > started["first_contact_week"]).all()


def test_integrated_meetings_and_job_goal():
    sc = tiny({"allocation.pathway": "integrated", **ZERO_H0, "hazard.other_exit_weekly": 0,
               "consultants.integrated.hours_per_week": None, "consultants.integrated.count": 40})
    s = sim(sc, weeks=60).spells
    full = s[s["arrival_week"] <= 60 - 15]
    assert (full["meetings"] == 3).all()
    assert ((full["job_goal_week"] - full["arrival_week"]) == 2).all()


def test_places_per_year_limit_and_overflow():
    sc = tiny({"allocation.rule": "all", "allocation.pathway": "integrated",
               "allocation.places_per_year": {"integrated": 30}, "allocation.overflow_pathway": "standard"})
    s = sim(sc).spells
    first = s[s["spell"] == 0]
    per_year = first[first["pathway"] == "integrated"].groupby(first["arrival_week"] // 52).size()
    assert (per_year <= 30).all() and per_year.max() == 30
    assert (first.loc[first["pathway"] == "standard", "allocated"] == "integrated").all()


def test_screening_rule_who5():
    sc = tiny({"allocation.rule": "screening", "allocation.screening.criterion": "who5_below",
               "allocation.screening.who5_threshold": 40})
    s = sim(sc).spells
    first = s[s["spell"] == 0]
    assert (first.loc[first["who5_start"] < 40, "pathway"] == "integrated").all()
    assert (first.loc[first["who5_start"] >= 40, "pathway"] == "standard").all()


def test_negative_effect_lowers_recovery():
    pos = sim(tiny({"hazard.effects.recent_contact": 0.5}), seed=4).outputs["recovered_share.all"]
    neg = sim(tiny({"hazard.effects.recent_contact": -0.5}), seed=4).outputs["recovered_share.all"]
    assert neg < pos


def test_crn_coupling_is_monotone():
    """With the same citizens, a uniformly higher hazard never delays anyone's first return."""
    lo = sim(tiny({"hazard.effects.employed": 0.0, "hazard.other_exit_weekly": 0}), seed=5).spells
    hi = sim(tiny({"hazard.effects.employed": 0.5, "hazard.other_exit_weekly": 0}), seed=5).spells
    key = ["citizen_id", "spell"]
    m = lo[lo["spell"] == 0].merge(hi[hi["spell"] == 0], on=key, suffixes=("_lo", "_hi"))
    both = m.dropna(subset=["return_week_lo", "return_week_hi"])
    emp = both[both["employed_lo"]]
    assert len(emp) > 20
    assert (emp["return_week_hi"] <= emp["return_week_lo"]).all()


def test_relapse_starts_a_new_spell():
    sc = tiny({"relapse.hazard": [{"from_week": 0, "weekly": 0.2}], "relapse.max_spells": 3})
    s = sim(sc).spells
    assert s["spell"].max() >= 1
    joined = s[s["spell"] == 0].merge(s[s["spell"] == 1], on="citizen_id", suffixes=("", "_next"))
    assert (joined["relapse_week"] == joined["spell_start_week_next"]).all()
    assert (joined["relapse_week"] > joined["return_week"]).all()


def test_aftercare_keeps_caseload_and_lowers_relapse():
    base = {"allocation.pathway": "integrated", "relapse.hazard": [{"from_week": 0, "weekly": 0.05}]}
    with_care = sim(tiny({**base, "pathways.integrated.aftercare_relapse_multiplier": 0.2}), seed=6).spells
    without = sim(tiny({**base, "pathways.integrated.aftercare_relapse_multiplier": 1.0}), seed=6).spells
    assert (with_care["spell"] > 0).sum() < (without["spell"] > 0).sum()


def test_queue_mode_waits_for_a_consultant():
    sc = tiny({"consultants.standard.count": 1, "consultants.standard.caseload_limit": 5,
               "consultants.standard.when_full": "queue"})
    rep = sim(sc)
    s = rep.spells
    waited = s.dropna(subset=["consultant_queued_week", "consultant_assigned_week"])
    assert len(waited) > 0
    assert (rep.weekly["caseload_max.standard"] <= 5).all()
    assert rep.outputs["consultant_wait_weeks.all"] > 0


def test_2025_simplification_only_first_contact_for_employed_uncomplicated():
    """From 2025 (rule followup_employed, § 13 f): employed citizens in category 1 get no follow-up
    contact after the first; before 2025 they follow the 4-week rhythm like everyone."""
    base = {**ZERO_H0, **EXTEND_ALL, "hazard.other_exit_weekly": 0, "consultants.standard.hours_per_week": None,
            "consultants.standard.count": 50, "population.category1_share": 0.5}
    for year, expect_one in ((2024, False), (2025, True)):
        s = sim(tiny({**base, "economics.start_year": year}), weeks=60).spells
        simple = s[s["employed"] & (s["category"] == 1) & (s["first_contact_week"] <= 40)]
        others = s[~(s["employed"] & (s["category"] == 1)) & (s["first_contact_week"] <= 40)]
        assert len(simple) > 5 and len(others) > 5
        assert ((simple["contacts"] == 1).all()) == expect_one
        assert (others["contacts"] > 1).all()


def test_contacts_beyond_the_consultants_hours_move_to_the_next_week():
    """Contacts are computed each week, not booked; a consultant's full week still defers them."""
    sc = tiny({**ZERO_H0, **EXTEND_ALL, "hazard.other_exit_weekly": 0, "allocation.rule": "all",
               "allocation.pathway": "standard", "consultants.standard.count": 1,
               "consultants.standard.caseload_limit": 1000, "consultants.standard.when_full": "stretch",
               "consultants.standard.hours_per_week": 2, "consultants.standard.contact_hours": 1.0})
    rep = sim(sc, weeks=60)
    per_week = rep.weekly["contacts.standard"]
    assert per_week.max() == 2, "two hours a week hold two one-hour contacts"
    assert rep.spells["contact_deferrals"].sum() > 0
    assert rep.spells["contacts"].sum() == per_week.sum()


def test_stretched_caseloads_space_contacts_out():
    """When caseloads exceed the norm (when_full: stretch), the interval grows with caseload / limit."""
    base = {**ZERO_H0, **EXTEND_ALL, "hazard.other_exit_weekly": 0, "allocation.rule": "all",
            "allocation.pathway": "standard", "consultants.standard.count": 1,
            "consultants.standard.when_full": "stretch", "consultants.standard.hours_per_week": None}
    free = sim(tiny({**base, "consultants.standard.caseload_limit": 1000}), weeks=60)
    tight = sim(tiny({**base, "consultants.standard.caseload_limit": 10}), weeks=60)
    assert tight.weekly["stretch.standard"].max() > 2
    assert tight.spells["contacts"].sum() < 0.7 * free.spells["contacts"].sum()
