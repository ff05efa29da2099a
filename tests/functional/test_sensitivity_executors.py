"""Serial, local process pool and a local Dask cluster give identical runs and indices."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sensitivity.problem import problem_from_dict
from sensitivity.study import run_study

PI = math.pi


@pytest.fixture(scope="module")
def problem():
    return problem_from_dict({
        "function": "sensitivity.testfunctions:ishigami", "method": "sobol", "samples": 128,
        "seed": 42, "outputs": ["y", "noisy_y"], "calc_second_order": True,
        "parameters": [{"path": f"x{i}", "bounds": [-PI, PI]} for i in (1, 2, 3)]})


def outputs(store):
    return store.runs()[["run_index", "out.y", "out.noisy_y", "seed_spawn_key"]].reset_index(drop=True)


@pytest.mark.slow
def test_identical_results_serial_pool_and_dask(problem, tmp_path):
    distributed = pytest.importorskip("distributed")
    serial = run_study(problem, "", tmp_path / "serial", jobs=1, progress=False)
    pool = run_study(problem, "", tmp_path / "pool", jobs=2, batch_size=13, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        dask = run_study(problem, "", tmp_path / "dask", scheduler=cluster.scheduler_address,
                         batch_size=29, progress=False)
    assert serial.stats.executor == "serial"
    assert pool.stats.executor.startswith("process pool")
    assert dask.stats.executor.startswith("dask (tcp://127.0.0.1:")
    # runs really happened elsewhere: the worker column names other processes
    assert set(pool.store.runs()["worker"]) != set(serial.store.runs()["worker"])
    for other in (pool, dask):
        pd.testing.assert_frame_equal(outputs(serial.store), outputs(other.store))
        pd.testing.assert_frame_equal(serial.indices, other.indices)
    assert len(serial.indices) > 0
