"""Trial-shaped outputs (model.trial): Cox and Kaplan-Meier on synthetic spells, ITT vs pathway, named errors."""

import numpy as np
import pandas as pd
import pytest

from model import load_scenario
from model.experiment import run
from model.trial import (TrialOutputError, cox_hazard_ratio, in_work_share, index_spells, km_curves, median_weeks,
                         trial_table, trial_value)


def _synthetic(hr: float, n: int = 4000, seed: int = 7, weeks: int = 200) -> pd.DataFrame:
    """Proportional hazards: exponential times, weekly rate 0.03 (standard) and 0.03*hr (integrated)."""
    rng = np.random.default_rng(seed)
    arm = np.where(rng.random(n) < 0.5, "integrated", "standard")
    rate = np.where(arm == "integrated", 0.03 * hr, 0.03)
    t = np.ceil(rng.exponential(1 / rate))
    arrival = rng.integers(0, 50, n)
    ret = np.where(arrival + t < weeks, arrival + t, np.nan)
    return pd.DataFrame({"replication": 0, "citizen_id": np.arange(n), "spell": 0, "arm": arm, "allocated": arm,
                         "pathway": arm, "diagnosis": np.where(rng.random(n) < 0.5, "depression", "stress"),
                         "arrival_week": arrival.astype(float), "return_week": ret,
                         "end_week": np.where(np.isnan(ret), np.nan, ret), "relapse_week": np.nan})


def test_cox_recovers_a_known_hazard_ratio():
    sp = _synthetic(1.5)
    hr, lo, hi = cox_hazard_ratio(index_spells(sp), 200, "integrated", "standard")
    assert lo < 1.5 < hi
    assert 1.35 < hr < 1.65 and hi - lo < 0.3


def test_no_effect_gives_an_interval_around_one_and_a_smaller_median_under_a_higher_hazard():
    hr, lo, hi = cox_hazard_ratio(index_spells(_synthetic(1.0, seed=3)), 200, "integrated", "standard")
    assert lo < 1.0 < hi
    idx = index_spells(_synthetic(1.5))
    m_int = median_weeks(idx[idx["arm"] == "integrated"], 200)[0]
    m_std = median_weeks(idx[idx["arm"] == "standard"], 200)[0]
    # exponential median ln2/rate: 23.1 weeks at 0.03, 15.4 at 0.045 (weekly ceiling adds < 1)
    assert 22 <= m_std <= 25 and 14 <= m_int <= 17


def test_in_work_share_counts_returned_and_not_re_sick_listed():
    sp = pd.DataFrame({"replication": 0, "citizen_id": [0, 1, 2, 3], "spell": 0, "arm": "standard",
                       "pathway": "standard", "diagnosis": "depression", "arrival_week": 0.0,
                       "return_week": [10.0, 10.0, 60.0, np.nan], "end_week": [10.0, 10.0, 60.0, np.nan],
                       "relapse_week": [np.nan, 40.0, np.nan, np.nan]})
    share, n = in_work_share(index_spells(sp), 200, 12)   # month 12 = week 52
    assert n == 4 and share == pytest.approx(0.25)
    assert in_work_share(index_spells(sp), 200, 6)[0] == pytest.approx(0.5)  # week 26: 0 and 1 at work


def test_in_work_difference_is_the_paired_difference_of_the_arms_shares():
    sp = _synthetic(1.5, n=2000)
    idx = index_spells(sp)
    share = {a: in_work_share(idx[idx["arm"] == a], 200, 12)[0] for a in ("integrated", "standard")}
    diff = trial_value(sp, 200, "in_work_difference", "integrated", "standard", month=12)
    assert diff == pytest.approx(share["integrated"] - share["standard"]) and diff > 0.05
    with pytest.raises(TrialOutputError, match="versus"):
        trial_value(sp, 200, "in_work_difference", "integrated", None, month=12)


def test_km_curves_have_bands_around_the_estimate():
    c = km_curves(_synthetic(1.5, n=600), 200, followup_weeks=52)
    assert set(c["arm"]) == {"integrated", "standard"}
    assert set(c["diagnosis_group"]) >= {"all", "depression_anxiety", "stress_related"}
    ok = c.dropna()
    assert ((ok["band_low"] <= ok["not_returned"] + 1e-12) & (ok["not_returned"] <= ok["band_high"] + 1e-12)).all()
    assert c.groupby(["arm", "diagnosis_group"])["not_returned"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_itt_equals_pathway_outputs_without_overflow():
    sc = load_scenario("ibbis1_trial_depression_anxiety").model_copy(update={"horizon_weeks": 80})
    res = run(sc, reps=2, seed=3)
    sp = res.spells
    assert (index_spells(sp)["arm"] == index_spells(sp)["pathway"]).all()
    a = trial_table(sp, 80, by="arm", months=(6, 12))
    p = trial_table(sp, 80, by="pathway", months=(6, 12))
    pd.testing.assert_frame_equal(a.drop(columns="by"), p.drop(columns="by"))


def test_itt_differs_from_pathway_when_places_overflow():
    sc = load_scenario("ibbis1_trial_depression_anxiety").with_overrides(
        {"allocation.places_per_year": {"integrated": 20}, "horizon_weeks": 60})
    sp = run(sc, reps=1, seed=3).spells
    idx = index_spells(sp)
    assert ((idx["arm"] == "integrated") & (idx["pathway"] == "standard")).any()
    a = trial_table(sp, 60, by="arm", months=(6,))
    p = trial_table(sp, 60, by="pathway", months=(6,))
    assert a.set_index(["arm", "diagnosis_group"])["n"].to_dict() != p.set_index(["arm", "diagnosis_group"])["n"].to_dict()


@pytest.mark.parametrize("kw, word", [({"measure": "odds_ratio", "arm": "integrated"}, "measure"),
                                      ({"measure": "in_work_share", "arm": "integrated", "month": 0}, "month"),
                                      ({"measure": "median_weeks", "arm": "treatment"}, "arm"),
                                      ({"measure": "median_weeks", "arm": "integrated", "group": "psychosis"}, "group"),
                                      ({"measure": "median_weeks", "arm": "integrated", "by": "site"}, "by"),
                                      ({"measure": "hazard_ratio", "arm": "integrated"}, "versus")])
def test_bad_trial_requests_are_named(kw, word):
    with pytest.raises(TrialOutputError, match=word):
        trial_value(_synthetic(1.0, n=50), 200, **kw)


def test_policy_hazard_ratio_compares_a_whole_inflow_with_its_baseline_by_diagnosis_group():
    """Policy 'integrated' arm = the policy run, 'standard' arm = the baseline run; stress gets no effect."""
    from model.trial import policy_hazard_ratio

    sp = _synthetic(1.5, n=8000, seed=11)
    # the policy helps depression (HR 1.5) but not stress: give the policy's stress citizens the baseline rate
    rng = np.random.default_rng(5)
    stress_pol = (sp["arm"] == "integrated") & (sp["diagnosis"] == "stress")
    t = np.ceil(rng.exponential(1 / 0.03, stress_pol.sum()))
    arr = sp.loc[stress_pol, "arrival_week"].to_numpy()
    sp.loc[stress_pol, "return_week"] = np.where(arr + t < 200, arr + t, np.nan)
    sp.loc[stress_pol, "end_week"] = sp.loc[stress_pol, "return_week"]
    policy, baseline = sp[sp["arm"] == "integrated"], sp[sp["arm"] == "standard"]
    hr_dep = policy_hazard_ratio(policy, baseline, 200, "depression_anxiety", followup_weeks=None)
    hr_stress = policy_hazard_ratio(policy, baseline, 200, "stress_related", followup_weeks=None)
    assert 1.35 < hr_dep < 1.65
    assert 0.9 < hr_stress < 1.1
    with pytest.raises(TrialOutputError, match="unknown diagnosis group"):
        policy_hazard_ratio(policy, baseline, 200, "burnout")
