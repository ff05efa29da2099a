"""Evidence bases (model.evidence) and trial-shaped target kinds (calibration.targets): named errors, transfer."""
import pytest
import yaml

from calibration.errors import CalibrationError
from calibration.targets import load_targets
from model import load_scenario
from cli.main import main
from model.evidence import (EFFECT_ASSUMED, EvidenceError, effect_note, known_evidence, load_evidence,
                            resolve_evidence)
from model.experiment import output_names


def test_shipped_evidence_bases():
    assert {"local_monitoring_copenhagen", "ibbis1_trials", "herning_trial"} <= set(known_evidence())
    assert resolve_evidence("all") == known_evidence()


def test_unknown_evidence_lists_the_known_ones():
    with pytest.raises(EvidenceError) as err:
        resolve_evidence("cochrane_review")
    for name in known_evidence():
        assert name in str(err.value)


def test_cli_rejects_unknown_evidence_with_exit_code_2(capsys):
    assert main(["compare", "baseline_standard", "copenhagen_ibbis", "--evidence", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown evidence base 'nope'" in err and "ibbis1_trials" in err


def test_local_monitoring_transfers_every_fitted_value():
    ev = load_evidence("local_monitoring_copenhagen")
    sets = ev.parameter_sets()
    assert len(sets) > 1 and "hazard.effects.job_goal" in sets[0]


def test_trial_evidence_transfers_only_relative_effects_and_the_context_spread(tmp_path, monkeypatch):
    ev = load_evidence("ibbis1_trials")
    fake = [{"hazard.baseline_weekly.stress": 0.02, "pathways.integrated.diagnosis_effect.stress_related": -0.4,
             "pathways.uncoordinated.diagnosis_effect.depression_anxiety": 0.1}]
    monkeypatch.setattr("model.evidence.accepted_parameter_sets", lambda ref: fake)
    (s,) = ev.parameter_sets()
    assert "hazard.baseline_weekly.stress" not in s
    assert s["pathways.integrated.diagnosis_effect.stress_related"] == -0.4
    assert s["pathways.integrated.context_log_sd"] == pytest.approx(0.32)
    sc = load_scenario("copenhagen_ibbis").with_overrides(s)
    assert sc.pathways["integrated"].diagnosis_effect == {"stress_related": -0.4}


def test_effect_note_marks_scenarios_without_outcome_evidence():
    assert effect_note("kolding_screening") == EFFECT_ASSUMED
    assert effect_note("copenhagen_ibbis") == ""
    assert effect_note(load_scenario("herning_stress_clinic")) == ""


def _write(tmp_path, target: dict, scenario="ibbis1_trial_depression_anxiety") -> str:
    p = tmp_path / "t.yaml"
    p.write_text(yaml.safe_dump({"name": "t", "scenario": scenario, "free_parameters": "ibbis1_trials",
                                 "targets": [{"name": "x", "source": "test", **target}]}))
    return str(p)


GOOD = {"kind": "hazard_ratio", "arm": "integrated", "versus": "standard", "value": 1.2, "interval": [0.9, 1.6]}


@pytest.mark.parametrize("change, field", [({"kind": "odds_ratio"}, "kind"), ({"arm": "treatment"}, "arm"),
                                           ({"versus": None}, "versus"), ({"versus": "integrated"}, "versus"),
                                           ({"diagnosis_group": "psychosis"}, "diagnosis_group"),
                                           ({"value": -1.0, "interval": [-2, 1]}, "hazard ratio must be > 0"),
                                           ({"kind": "in_work_share", "versus": None}, "month"),
                                           ({"kind": "in_work_share", "versus": None, "month": -3}, "month"),
                                           ({"kind": "in_work_difference", "month": 12, "versus": None}, "versus"),
                                           ({"kind": "in_work_difference", "month": None}, "month"),
                                           ({"kind": "in_work_difference", "month": 12, "followup_weeks": 52},
                                            "followup_weeks"),
                                           ({"kind": "median_weeks", "month": 12, "versus": None}, "month")])
def test_bad_trial_targets_give_named_errors(tmp_path, change, field):
    with pytest.raises(CalibrationError, match=field):
        load_targets(_write(tmp_path, {**GOOD, **change}))


def test_trial_target_horizon_and_arm_are_checked_against_the_scenario(tmp_path):
    sc = load_scenario("ibbis1_trial_depression_anxiety")
    names = output_names(sc)
    tset, _ = load_targets(_write(tmp_path, {**GOOD, "kind": "in_work_share", "versus": None, "month": 30}))
    with pytest.raises(CalibrationError, match="month"):
        tset.check_against(sc, sc.horizon_weeks, names)     # month 30 = 130 weeks > 112 simulated
    tset, _ = load_targets(_write(tmp_path, {**GOOD, "followup_weeks": 200}))
    with pytest.raises(CalibrationError, match="followup_weeks"):
        tset.check_against(sc, sc.horizon_weeks, names)
    herning = load_scenario("herning_trial")                 # no 'uncoordinated' arm in the Herning trial
    tset, _ = load_targets(_write(tmp_path, {**GOOD, "versus": "uncoordinated"}, "herning_trial"))
    with pytest.raises(CalibrationError, match="versus.*not allocated"):
        tset.check_against(herning, herning.horizon_weeks, output_names(herning))


def test_shipped_trial_targets_load_and_fit_their_scenarios():
    for name in ("ibbis1_trials", "herning_trial"):
        tset, _ = load_targets(name)
        sc = load_scenario(tset.scenario)
        tset.check_against(sc, sc.horizon_weeks, output_names(sc))
        assert all(t.source for t in tset.targets)
        assert any(t.kind == "hazard_ratio" for t in tset.targets)


def test_in_work_difference_target_is_labelled_and_its_month_checked(tmp_path):
    diff = {**GOOD, "kind": "in_work_difference", "month": 12, "value": 0.112, "interval": [0.0115, 0.2125]}
    tset, _ = load_targets(_write(tmp_path, diff))
    (t,) = tset.targets
    assert t.output == "in_work_difference integrated - standard at month 12" and t.follow_weeks == 52
    sc = load_scenario("ibbis1_trial_depression_anxiety")
    tset.check_against(sc, sc.horizon_weeks, output_names(sc))
    tset, _ = load_targets(_write(tmp_path, {**diff, "month": 30}))
    with pytest.raises(CalibrationError, match="month"):
        tset.check_against(sc, sc.horizon_weeks, output_names(sc))


def test_not_significant_scores_a_likelihood_zero_at_no_effect_and_about_one_at_the_bound(tmp_path):
    from calibration.targets import non_significance_z

    assert non_significance_z(1.0, 0.13) == 0.0
    assert 1.0 < non_significance_z(1.29, 0.13) < 1.25 and non_significance_z(0.78, 0.13) < -1.0
    assert 0 < non_significance_z(1.1, 0.13) < non_significance_z(1.25, 0.13) < non_significance_z(1.6, 0.13)
    t = {**GOOD, "value": None, "interval": None, "lower": 0.78, "upper": 1.29, "se": 0.13, "not_significant": True}
    (target,), _ = load_targets(_write(tmp_path, t))[0].targets, None
    assert target.z(1.0) == 0.0 and target.z(1.25) > 0.9 and target.within(1.25) and not target.within(1.35)
    with pytest.raises(CalibrationError, match="not_significant"):
        load_targets(_write(tmp_path, {**t, "kind": "median_weeks", "versus": None}))
