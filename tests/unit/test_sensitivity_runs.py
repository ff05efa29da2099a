"""Seeds per design row, batching, failure records and the store's refusal rules."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensitivity.errors import StoreMismatchError
from sensitivity.evaluators import FunctionEvaluator
from sensitivity.problem import problem_from_dict
from sensitivity.runs import BatchSpec, auto_batch_size, evaluate_batch, make_batches, row_seed
from sensitivity.sampling import design_matrix
from sensitivity.store import RunStore
from sensitivity.study import run_study

PI = math.pi


def ishigami(function="sensitivity.testfunctions:ishigami", **changes):
    data = {"function": function, "method": "sobol", "samples": 16, "seed": 3,
            "parameters": [{"path": f"x{i}", "bounds": [-PI, PI]} for i in (1, 2, 3)],
            "outputs": ["y", "noisy_y"]}
    data.update(changes)
    return problem_from_dict(data)


def test_row_seed_is_the_spawned_child_of_the_root():
    children = np.random.SeedSequence(99).spawn(10)
    for i in (0, 3, 9):
        assert row_seed(99, i).generate_state(4).tolist() == children[i].generate_state(4).tolist()
    assert row_seed(99, 7, common=True).spawn_key == (0,)


def test_results_do_not_depend_on_batch_size():
    problem = ishigami()
    design = design_matrix(problem)
    spec = BatchSpec(FunctionEvaluator(problem.function), tuple(problem.parameter_names),
                     tuple(problem.outputs), problem.seed)
    indices = list(range(len(design)))
    one = [r for b in make_batches(indices, design, 1) for r in evaluate_batch(spec, b)]
    big = [r for b in make_batches(indices[::-1], design, 7) for r in evaluate_batch(spec, b)]
    by_index = {r["run_index"]: r["outputs"] for r in big}
    assert all(by_index[r["run_index"]] == r["outputs"] for r in one)
    assert len({r["outputs"]["noisy_y"] - r["outputs"]["y"] for r in one}) == len(one)


def test_auto_batch_size_bounds():
    assert auto_batch_size(5632, 2) == 50
    assert auto_batch_size(100, 2) == 7
    assert auto_batch_size(1, 8) == 1


def test_failed_runs_are_recorded_and_do_not_stop_the_others(tmp_path):
    problem = ishigami("sensitivity.testfunctions:fails_when_x1_negative")
    outcome = run_study(problem, "", tmp_path / "out", jobs=1, progress=False, batch_size=4)
    runs = outcome.store.runs()
    assert len(runs) == problem.num_runs
    failed = runs[runs["status"] == "failed"]
    ok = runs[runs["status"] == "ok"]
    assert len(failed) > 0 and len(ok) > 0
    assert (failed["param.x1"] < 0).all() and (ok["param.x1"] >= 0).all()
    assert failed["error"].str.startswith("ValueError: x1 = -").all()
    assert failed["out.y"].isna().all()
    assert set(outcome.skipped_outputs) == {"y", "noisy_y"}
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path}/out/runs/*.parquet') "
                       "WHERE status = 'failed'").fetchall()[0][0]
    assert count == len(failed)


def test_retry_failed_reruns_only_failed_runs_and_latest_wins(tmp_path, monkeypatch):
    problem = ishigami("sensitivity.testfunctions:fails_when_x1_negative")
    out = tmp_path / "out"
    first = run_study(problem, "", out, jobs=1, progress=False)
    n_failed = int((first.store.runs()["status"] == "failed").sum())
    again = run_study(problem, "", out, jobs=1, progress=False, resume=True, retry_failed=True)
    assert again.stats.evaluated == n_failed
    assert again.stats.skipped_done == problem.num_runs - n_failed
    assert len(again.store.all_rows()) == problem.num_runs + n_failed
    assert len(again.store.runs()) == problem.num_runs


def test_store_refuses_existing_study_and_a_different_problem(tmp_path):
    problem = ishigami()
    out = tmp_path / "out"
    run_study(problem, "", out, jobs=1, progress=False)
    with pytest.raises(StoreMismatchError, match="--resume"):
        run_study(problem, "", out, jobs=1, progress=False)
    other = ishigami(seed=4)
    with pytest.raises(StoreMismatchError, match="differs in: seed"):
        run_study(other, "", out, jobs=1, progress=False, resume=True)
    done = run_study(problem, "", out, jobs=1, progress=False, resume=True)
    assert done.stats.evaluated == 0 and done.stats.skipped_done == problem.num_runs


def test_resume_of_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(StoreMismatchError, match="no sensitivity study"):
        RunStore.open(tmp_path)


def test_a_directory_without_runs_can_be_started_again(tmp_path):
    problem = ishigami()
    RunStore.create(tmp_path, problem, "", design_matrix(problem)).close()  # e.g. scheduler unreachable
    outcome = run_study(problem, "", tmp_path, jobs=1, progress=False)
    assert outcome.stats.evaluated == problem.num_runs


def test_analysis_only_settings_may_change_on_resume(tmp_path):
    run_study(ishigami(), "", tmp_path, jobs=1, progress=False)
    again = run_study(ishigami(conf_level=0.9, num_resamples=50), "", tmp_path, jobs=1,
                      progress=False, resume=True)
    assert again.stats.evaluated == 0
    assert again.store.problem().conf_level == 0.9


@settings(max_examples=25, deadline=None)
@given(size=st.integers(1, 40), seed=st.integers(0, 2**32), order=st.randoms(use_true_random=False))
def test_any_batching_and_order_gives_the_same_run_records(size, seed, order):
    problem = ishigami(seed=seed, samples=4)
    design = design_matrix(problem)
    spec = BatchSpec(FunctionEvaluator(problem.function), tuple(problem.parameter_names),
                     tuple(problem.outputs), problem.seed)
    indices = list(range(len(design)))
    whole = make_batches(indices, design, len(indices))[0]
    reference = {r["run_index"]: r["outputs"] for r in evaluate_batch(spec, whole)}
    order.shuffle(indices)
    got = {r["run_index"]: r["outputs"] for b in make_batches(indices, design, size)
           for r in evaluate_batch(spec, b)}
    assert got == reference


class _Many:
    """An evaluator that takes a batch at once; a row with x1 < 0 fails (returned, or the whole call raises)."""

    def __init__(self, whole_fails: bool = False):
        self.whole_fails = whole_fails

    def __call__(self, params, seed):
        if params["x1"] < 0:
            raise ValueError(f"x1 = {params['x1']} < 0")
        return {"y": params["x1"] + params["x2"], "noisy_y": float(seed.generate_state(1)[0])}

    def evaluate_many(self, points):
        if self.whole_fails:
            raise RuntimeError("the batch as a whole failed")
        out = []
        for params, seed in points:
            try:
                out.append(self(params, seed))
            except ValueError as exc:
                out.append(exc)
        return out


@pytest.mark.parametrize("whole_fails", [False, True])
def test_a_batch_evaluated_at_once_gives_the_records_of_one_row_at_a_time(whole_fails):
    """evaluate_batch hands an evaluator with evaluate_many the whole batch; each row keeps its own outputs,
    seed and failure, and a batch that fails as a whole is run row by row."""
    problem = ishigami(samples=4)
    design = design_matrix(problem)
    spec = BatchSpec(_Many(whole_fails), tuple(problem.parameter_names), tuple(problem.outputs), problem.seed)
    indices = list(range(len(design)))
    one = [r for b in make_batches(indices, design, 1) for r in evaluate_batch(spec, b)]
    many = [r for b in make_batches(indices, design, 6) for r in evaluate_batch(spec, b)]
    keep = ("run_index", "status", "outputs", "seed_entropy", "seed_spawn_key")
    assert [{k: r[k] for k in keep} for r in many] == [{k: r[k] for k in keep} for r in one]
    failed = [r for r in many if r["status"] == "failed"]
    assert failed and all(r["error"].startswith("ValueError: x1 = -") for r in failed)
