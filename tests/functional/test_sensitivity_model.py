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


def test_batched_rows_equal_row_at_a_time_and_survive_a_resume(tmp_path):
    """Sobol rows of the model run as replications of shared batched models (sensitivity.runs.evaluate_batch
    with ModelEvaluator.evaluate_many): the stored outputs and the indices are exactly those of one row at a
    time, serial or on a process pool, and a study resumed after some batches gives the same indices."""
    from sensitivity.evaluators import target_fingerprint
    from sensitivity.runs import BatchSpec, evaluate_batch, make_batches
    from sensitivity.sampling import design_matrix
    from sensitivity.store import RunStore

    path = write(tmp_path, method="sobol", samples=4, calc_second_order=False, common_random_numbers=True,
                 parameters=[{"path": "providers.jobcentre_health.therapists", "bounds": [2, 6]},
                             {"path": "hazard.effects.job_goal", "bounds": [0.0, 0.3]},
                             {"path": "rules.extension.nr2_clarification", "bounds": [0.1, 0.5]}])
    problem, text = prepare(path)
    one = run_study(problem, text, tmp_path / "one", jobs=1, batch_size=1, progress=False)
    batched = run_study(problem, text, tmp_path / "batched", jobs=1, progress=False)
    pool = run_study(problem, text, tmp_path / "pool", jobs=2, batch_size=7, progress=False)

    def outputs(outcome):
        runs = outcome.store.runs().sort_values("run_index").reset_index(drop=True)
        assert (runs["status"] == "ok").all(), runs["error"].tolist()
        return runs[[c for c in runs.columns if c.startswith(("out.", "param.")) or c == "run_index"]]

    reference = outputs(one)
    assert reference["out.recovered_share.all"].nunique() > 1
    assert batched.store.runs()["elapsed_s"].value_counts().max() > 1   # rows of a batch share its time: batched
    for other in (batched, pool):
        assert outputs(other).equals(reference)
        assert other.indices.equals(one.indices)
    # a study stopped after two batches of 6 rows and resumed: the same indices
    design = design_matrix(problem)
    store = RunStore.create(tmp_path / "resumed", problem, text, design, target_fingerprint(problem))
    from sensitivity.evaluators import make_evaluator
    spec = BatchSpec(make_evaluator(problem), tuple(problem.parameter_names), tuple(problem.outputs), problem.seed,
                     problem.common_random_numbers)
    for batch in make_batches([0, 3, 4, 9, 11, 12, 1, 2, 5, 6, 7, 8], design, 6):
        store.append(evaluate_batch(spec, batch), design, problem)
    store.close()
    resumed = run_study(problem, text, tmp_path / "resumed", jobs=1, resume=True, progress=False)
    assert resumed.stats.evaluated == len(design) - 12
    assert outputs(resumed).equals(reference)
    assert resumed.indices.equals(one.indices)
