"""The sensitivity path against the real simulation: overrides reach the model, bad input stops early."""

from __future__ import annotations

import pytest
import yaml

pytest.importorskip("model.experiment")

from cli.main import main  # noqa: E402
from sensitivity.errors import ProblemError  # noqa: E402
from sensitivity.study import prepare, run_study  # noqa: E402


def write(tmp_path, **changes):
    data = {"scenario": "copenhagen_ibbis", "method": "morris", "samples": 2, "seed": 5,
            "parameters": [{"path": "consultants.standard.caseload_limit", "bounds": [20, 60]},
                           {"path": "hazard.effects.job_goal", "bounds": [0.0, 0.3]}],
            "outputs": ["recovered_share.all", "caseload_mean.standard"]}
    data.update(changes)
    path = tmp_path / "problem.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_small_morris_on_copenhagen_ibbis(tmp_path):
    problem, text = prepare(write(tmp_path))
    outcome = run_study(problem, text, tmp_path / "out", jobs=1, progress=False)
    runs = outcome.store.runs()
    assert len(runs) == 6 and (runs["status"] == "ok").all(), runs["error"].tolist()
    assert runs["out.recovered_share.all"].between(0, 1).all()
    # the overrides reach the model: different rows give different outputs
    assert runs["out.recovered_share.all"].nunique() > 1
    mu_star = outcome.indices[outcome.indices["index"] == "mu_star"]
    assert set(mu_star["output"]) == {"recovered_share.all", "caseload_mean.standard"}


@pytest.mark.parametrize("changes, field, words", [
    ({"parameters": [{"path": "consultants.standard.caseload_limt", "bounds": [20, 60]}]},
     "parameters[0].path", ["caseload_limt", "caseload_limit"]),
    ({"outputs": ["recovered_share.everyone"]}, "outputs[0]", ["recovered_share.all"]),
    ({"outputs": ["diff.recovered_share.all"]}, "outputs[0]", ["need a baseline"]),
    ({"parameters": [{"path": "hazard.effects.job_goal", "bounds": [0.0, 0.3]},
                     {"path": "pathways.integrated.treatment.uptake", "bounds": [0.5, 1.5]}]},
     "parameters[1].bounds", ["1.5"]),
    ({"scenario": "copenhagen_ibis"}, "scenario", ["copenhagen_ibis"]),
])
def test_bad_input_is_named_before_any_run(tmp_path, changes, field, words):
    path = write(tmp_path, **changes)
    with pytest.raises(ProblemError) as err:
        prepare(path)
    assert err.value.field == field
    assert str(path) in str(err.value)
    for word in words:
        assert word in str(err.value)
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "out"), "-j", "1"]) == 2
    assert not (tmp_path / "out").exists()
