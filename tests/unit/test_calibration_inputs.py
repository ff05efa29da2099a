"""Targets, contrasts and free parameters: parsing, scoring and clear errors on bad input."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from calibration.contrast import parse_contrast
from calibration.errors import CalibrationError
from calibration.free_parameters import load_free_parameters
from calibration.targets import Target, load_targets
from model import load_scenario, output_names


def write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def target(**kw):
    base = {"name": "t", "output": "recovered_share.integrated", "source": "test"}
    return Target.model_validate({**base, **kw})


@pytest.fixture(scope="module")
def ibbis():
    sc = load_scenario("copenhagen_ibbis")
    return sc, output_names(sc)


def test_contrast_syntax():
    c = parse_contrast("mean_benefit_weeks.integrated - 0.5*mean_benefit_weeks.standard - .5 * mean_benefit_weeks.uncoordinated")
    assert c.terms == ((1.0, "mean_benefit_weeks.integrated"), (-0.5, "mean_benefit_weeks.standard"),
                       (-0.5, "mean_benefit_weeks.uncoordinated"))
    assert c.value({"mean_benefit_weeks.integrated": 20, "mean_benefit_weeks.standard": 24,
                    "mean_benefit_weeks.uncoordinated": 22}) == pytest.approx(-3)
    assert math.isnan(c.value({"mean_benefit_weeks.integrated": 20}))
    assert parse_contrast("-recovered_share.all").terms == ((-1.0, "recovered_share.all"),)


@pytest.mark.parametrize("text", ["", "recovered_share", "a.b c.d", "a.b * 2", "__import__('os').x", "a.b + "])
def test_contrast_rejects_anything_else(text):
    with pytest.raises(ValueError):
        parse_contrast(text)


def test_point_target_scoring_with_skewed_interval():
    t = target(value=0.6, interval=[0.5, 0.8])
    assert t.within(0.5) and t.within(0.8) and not t.within(0.49)
    assert t.z(0.5) == pytest.approx(-1.959964, rel=1e-5)
    assert t.z(0.8) == pytest.approx(1.959964, rel=1e-5)
    assert t.z(math.nan) == math.inf
    se = target(value=0.6, se=0.05)
    assert se.accept_range == pytest.approx((0.6 - 1.959964 * 0.05, 0.6 + 1.959964 * 0.05))


def test_bound_target_scores_only_violations():
    t = target(output="mean_benefit_weeks.integrated - mean_benefit_weeks.uncoordinated", upper=0.0, se=1.0)
    assert t.form == "bound" and t.z(-5) == 0 and t.within(-5)
    assert t.z(2.0) == pytest.approx(2.0) and not t.within(2.0)


@given(value=st.floats(-50, 50), lo=st.floats(0.01, 20), hi=st.floats(0.01, 20), x=st.floats(-100, 100))
def test_within_iff_z_at_most_1_96(value, lo, hi, x):
    t = target(value=value, interval=[value - lo, value + hi])
    assert t.within(x) == (abs(t.z(x)) <= 1.959963984540054 + 1e-9) or math.isclose(abs(t.z(x)), 1.959963984540054)


@pytest.mark.parametrize("kw, message", [
    ({"value": 0.6}, "exactly one uncertainty"),
    ({"value": 0.6, "interval": [0.7, 0.5]}, "must be below high"),
    ({"value": 0.9, "interval": [0.5, 0.7]}, "outside its interval"),
    ({"upper": 0.0}, "needs 'se'"),
    ({"lower": 1.0, "upper": 0.0, "se": 1}, "lower (1.0) must be below upper"),
    ({}, "needs 'value'"),
    ({"value": 0.6, "se": 0.1, "upper": 1}, "not both"),
])
def test_target_validation_messages(kw, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        target(**kw)


def test_shipped_targets_fit_the_shipped_scenario(ibbis):
    sc, names = ibbis
    tset, path = load_targets("copenhagen_ibbis")
    assert path.name == "copenhagen_ibbis.yaml" and len(tset.targets) == 5  # 2 shares, 2 gaps, 1 bound
    assert {t.form for t in tset.targets} == {"point", "bound"}
    assert all(t.source for t in tset.targets)
    tset.check_against(sc, sc.horizon_weeks, names)          # no error
    assert tset.with_horizon(26).horizons == [26]


def test_empty_target_set(tmp_path):
    with pytest.raises(CalibrationError, match="empty"):
        load_targets(write(tmp_path / "e.yaml", {"targets": []}))
    with pytest.raises(CalibrationError, match="targets"):
        load_targets(write(tmp_path / "e2.yaml", {"name": "x"}))


def test_unknown_output_names_field_and_alternatives(tmp_path, ibbis):
    sc, names = ibbis
    tset, _ = load_targets(write(tmp_path / "u.yaml", {"targets": [
        {"name": "a", "output": "recovered_share.integrated - recovered_share.nowhere", "value": 0, "se": 1, "source": "x"}]}))
    with pytest.raises(CalibrationError) as err:
        tset.check_against(sc, sc.horizon_weeks, names)
    text = str(err.value)
    assert "targets[0] (a).output" in text and "recovered_share.nowhere" in text and "recovered_share.standard" in text


def test_horizon_beyond_simulated_weeks(tmp_path, ibbis):
    sc, names = ibbis
    tset, _ = load_targets("copenhagen_ibbis")
    with pytest.raises(CalibrationError, match=r"horizon 140 weeks cannot be followed.*allowed: 1 to 129"):
        tset.with_horizon(140).check_against(sc, 156, names)


def test_unknown_field_in_targets_file(tmp_path):
    with pytest.raises(CalibrationError, match="unknown field"):
        load_targets(write(tmp_path / "f.yaml", {"targets": [
            {"name": "a", "output": "recovered_share.all", "value": 0.5, "se": 0.1, "source": "x", "vaule": 1}]}))


def test_free_parameters_resolve_scales(ibbis):
    sc, _ = ibbis
    free, _ = load_free_parameters("copenhagen_ibbis")
    free.check_against(sc, "copenhagen_ibbis.yaml")
    ov = free.overrides(sc, {"baseline_scale": 2.0, "treatment_progress": 0.1, "job_goal": 0.2,
                             "tripartite_meeting": 0.0, "coordination_effect": -0.1})
    for k, v in sc.hazard.baseline_weekly.items():
        assert ov[f"hazard.baseline_weekly.{k}"] == pytest.approx(2 * v)
    assert ov["pathways.integrated.coordination_effect"] == -0.1


@pytest.mark.parametrize("param, message", [
    ({"name": "x", "path": "hazard.effects.no_such_effect", "low": 0, "high": 1}, "unknown parameter path"),
    ({"name": "x", "path": "hazard.effects.job_goal", "low": 1, "high": 1}, "low (1.0) must be below high"),
    ({"name": "x", "path": "hazard.effects.job_goal", "low": 0, "high": 1, "log": True}, "log prior needs low > 0"),
    ({"name": "x", "path": "hazard.baseline_weekly", "low": 0.1, "high": 1}, "not a number; use 'scale'"),
    ({"name": "x", "path": "hazard.other_exit_weekly", "low": 0.5, "high": 2}, "rejects the prior's high ends"),
    ({"name": "x", "low": 0, "high": 1}, "exactly one of 'path'"),
])
def test_free_parameter_errors(tmp_path, ibbis, param, message):
    sc, _ = ibbis
    with pytest.raises(CalibrationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        free, path = load_free_parameters(write(tmp_path / "p.yaml", {"parameters": [param]}))
        free.check_against(sc, path.name)


def test_the_holdout_targets_load_and_have_no_calibration_record():
    """calibration/holdout/ holds later results kept out of every fit (out-of-sample check D, validation §11)."""
    from pathlib import Path

    from calibration.targets import load_targets

    root = Path(__file__).resolve().parents[2] / "calibration"
    for path in (root / "holdout").glob("*.yaml"):
        tset, _ = load_targets(path)
        assert tset.targets and all(t.is_trial for t in tset.targets)
        assert not (root / "calibrated" / path.name).exists(), f"{path.name} was fitted; holdout targets never are"


def test_a_points_replications_give_the_same_rows_however_they_are_split_into_batches():
    """The calibration runs a point's replications as batches (one per worker); the rows, and so the fit,
    must not depend on how many parts the replications are cut into."""
    import numpy as np

    from calibration.fit import prepare
    from calibration.objective import point_tasks, replication_task

    s = prepare("ibbis1_trials")
    values = {p.name: (p.low + p.high) / 2 for p in s.free.parameters}
    s.problem.weeks = 60
    seed = np.random.SeedSequence(8)
    rows = {parts: [r for task in point_tasks(s.problem, values, seed, 3, parts) for r in replication_task(task)]
            for parts in (1, 2)}
    assert len(point_tasks(s.problem, values, seed, 4, 3)) == 3 and len(point_tasks(s.problem, values, seed, 2, 5)) == 2
    assert len(rows[1]) == 3 and rows[1] == rows[2]
    assert rows[1][0] != rows[1][1]   # different replications, different draws
