"""One execution layer: serial, a local process pool and a real Dask scheduler give identical results.

The Dask cluster is started here on 127.0.0.1 with one worker process (one thread), so the test
exercises pickling to another process, the scheduler and the worker, as on a real cluster.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit import FitSettings, evaluate_points, prepare
from cli.main import main
from model import compare, load_scenario, run, seeds
from model.execution import ExecutionError, current, default_jobs, executing, open_executor

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def small():
    return load_scenario("baseline_standard").with_overrides({"horizon_weeks": 30, "warmup_weeks": 0,
                                                              "arrivals.per_year": 120})


@pytest.mark.slow
def test_run_and_compare_identical_on_every_executor(scheduler):
    sc, other = small(), small().with_overrides({"name": "more_staff", "consultants.standard.count": 9})
    serial = run(sc, reps=3, seed=11, jobs=1)
    pool = run(sc, reps=3, seed=11, jobs=2)
    dask = run(sc, reps=3, seed=11, scheduler=scheduler)
    assert len(serial.spells) > 0
    for res in (pool, dask):
        pd.testing.assert_frame_equal(serial.outputs, res.outputs)
        pd.testing.assert_frame_equal(serial.spells, res.spells)
    with open_executor(scheduler=scheduler) as ex:   # compare inside an open executor uses it
        assert ex.kind == "dask" and current() is ex
        on_dask = compare([sc, other], reps=3, seed=11)
    assert current() is None
    on_serial = compare([sc, other], reps=3, seed=11, jobs=1)
    pd.testing.assert_frame_equal(on_serial.differences(), on_dask.differences())
    # compare's baseline is the same experiment as run's: replication r on child r of the seed
    pd.testing.assert_frame_equal(on_serial.results[sc.name].outputs, serial.outputs)


@pytest.mark.slow
def test_calibration_points_identical_on_every_executor(scheduler, tmp_path):
    targets = tmp_path / "t.yaml"
    targets.write_text("name: t\nhorizon_weeks: 20\ntargets:\n"
                       "  - {name: rec, output: recovered_share.standard, value: 0.4, se: 0.05, source: test}\n")
    free = tmp_path / "f.yaml"
    free.write_text("parameters:\n  - {name: s, scale: hazard.baseline_weekly, low: 0.5, high: 2.0, log: true}\n")
    setup = prepare(targets, small(), free, FitSettings(trials=2, reps=2, accept_reps=2, weeks=30))
    points = [{"s": 0.8}, {"s": 1.5}]
    results = {}
    for name, options in (("serial", {"jobs": 1}), ("pool", {"jobs": 2}), ("dask", {"scheduler": scheduler})):
        with executing(**options) as ex:
            results[name] = evaluate_points(ex, setup, points, seeds.child(3, 0), 2)
    assert results["serial"][0]["simulated"]["rec"]["mean"] != results["serial"][1]["simulated"]["rec"]["mean"]
    assert results["serial"] == results["pool"] == results["dask"]


@pytest.mark.slow
def test_cli_scheduler_option_gives_the_same_table(scheduler, tmp_path, capsys):
    f = tmp_path / "small.yaml"
    f.write_text("extends: baseline_standard\nname: small\nhorizon_weeks: 30\nwarmup_weeks: 0\n")
    assert main(["run", str(f), "--reps", "2", "--jobs", "1"]) == 0
    serial = capsys.readouterr().out
    assert main(["run", str(f), "--reps", "2", "--scheduler", scheduler]) == 0
    assert capsys.readouterr().out == serial


def test_one_seeding_convention():
    """Child r is SeedSequence(seed).spawn(n)[r] for any n > r, computed without spawning."""
    spawned = np.random.SeedSequence(42).spawn(5)
    for r in range(5):
        assert seeds.child(42, r).generate_state(4).tolist() == spawned[r].generate_state(4).tolist()
    assert [s.spawn_key for s in seeds.children(42, 3)] == [(0,), (1,), (2,)]
    assert seeds.child(seeds.child(42, 1), 2).spawn_key == (1, 2)
    assert seeds.named(42, "accept", ("fit", "accept")).spawn_key == (1,)
    with pytest.raises(ValueError, match="unknown stream"):
        seeds.named(42, "other", ("fit", "accept"))


def test_default_jobs_and_bad_options(monkeypatch, capsys):
    monkeypatch.setenv("RTWSIM_JOBS", "3")
    assert default_jobs() == 3
    monkeypatch.setenv("RTWSIM_JOBS", "many")
    with pytest.raises(ExecutionError, match="RTWSIM_JOBS must be a whole number"):
        default_jobs()
    monkeypatch.setenv("RTWSIM_JOBS", "1")
    with pytest.raises(ExecutionError, match="either --jobs or --scheduler"):
        with open_executor(jobs=2, scheduler="tcp://127.0.0.1:1"):
            pass
    with open_executor(jobs=4, tasks=1) as ex:   # never more processes than tasks
        assert ex.kind == "serial"
    with pytest.raises(SystemExit):
        main(["compare", "a", "b", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.slow
def test_unreachable_scheduler_is_named(capsys):
    code = main(["run", "baseline_standard", "--reps", "1", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["run", "x"], ["compare", "x", "y"], ["budget", "x", "--baseline", "y"], ["report", "x", "--out", "r.html"],
    ["calibrate", "t"], ["optimise", "x", "--budget", "1", "--years", "2"], ["sensitivity", "p.yaml", "--out", "d"],
    ["sensitivity-report", "d"]])
def test_every_verb_that_runs_many_simulations_takes_a_scheduler(argv):
    from cli.main import build_parser

    args = build_parser().parse_args([*argv, "--scheduler", "tcp://10.0.0.5:8786"])
    assert args.scheduler == "tcp://10.0.0.5:8786" and args.jobs is None
    # the command's executor is opened by main (sensitivity studies open their own, to watch the cluster)
    assert getattr(args, "executor", False) != argv[0].startswith("sensitivity")
