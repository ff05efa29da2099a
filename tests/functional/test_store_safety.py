"""Issue 15, part 5: the sensitivity store under concurrency and damage.

A second run into the same folder is refused with a named error; a corrupt part is set aside and its
runs recomputed by --resume; pool workers end when the study's process is killed; a Dask study with
no worker stops with "no workers" and a lost scheduler is named as such."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from model import execution
from sensitivity.errors import SensitivityError, StoreLockedError
from sensitivity.problem import problem_from_dict
from sensitivity.sampling import design_matrix
from sensitivity.store import RunStore
from sensitivity.study import run_study

ROOT = Path(__file__).resolve().parents[2]


def linear(function="sensitivity.testfunctions:linear", **over):
    return problem_from_dict({"function": function, "method": "morris", "samples": 6, "seed": 5,
                              "outputs": ["y"], **over,
                              "parameters": [{"path": p, "bounds": [0, 1]} for p in "abc"]})


def test_second_run_into_the_same_folder_is_refused(tmp_path):
    problem = linear()
    held = RunStore.create(tmp_path / "out", problem, "", design_matrix(problem))
    try:
        other = linear(seed=6)  # a different problem: before, both ran and mixed their runs
        with pytest.raises(StoreLockedError, match="being written by another run"):
            run_study(other, "", tmp_path / "out", jobs=1, progress=False)
        with pytest.raises(StoreLockedError):
            run_study(problem, "", tmp_path / "out", jobs=1, progress=False, resume=True)
        # and from another process, through the command line: exit 2 with the message
        f = tmp_path / "p.yaml"
        f.write_text(yaml.safe_dump(other.model_dump(mode="json")))
        proc = subprocess.run([sys.executable, "-m", "cli", "sensitivity", str(f), "--out",
                               str(tmp_path / "out"), "--jobs", "1", "--no-progress"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "being written by another run" in proc.stderr
    finally:
        held.close()
    done = run_study(problem, "", tmp_path / "out", jobs=1, progress=False, resume=True)
    assert done.stats.evaluated == problem.num_runs


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_part_is_quarantined_and_recomputed(tmp_path, capsys, damage):
    problem = linear()
    clean = run_study(problem, "", tmp_path / "clean", jobs=1, progress=False)
    out = tmp_path / "out"
    run_study(problem, "", out, jobs=1, progress=False, batch_size=5)
    part = sorted((out / "runs").glob("*.parquet"))[1]
    lost = len(pd.read_parquet(part))
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"\x00garbage" * 50)
    again = run_study(problem, "", out, jobs=1, progress=False, resume=True)
    assert again.stats.evaluated == lost
    assert (out / "quarantine" / part.name).exists()
    assert "moved to" in capsys.readouterr().err
    pd.testing.assert_frame_equal(again.indices, clean.indices)


WORKERS = textwrap.dedent("""
    import sys, time
    from model.execution import open_executor
    # as in a study: the forkserver imports the analysis modules once (preload)
    with open_executor(jobs=2, preload=("sensitivity.runs",)) as ex:
        futures = [ex.submit(time.sleep, 120) for _ in range(2)]
        time.sleep(5)
        print(" ".join(str(p) for p in ex.executor._processes), flush=True)
        time.sleep(120)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_pool_workers_end_when_the_study_is_killed():
    proc = subprocess.Popen([sys.executable, "-c", WORKERS], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in pids), "pool workers survived the study"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_dask_study_without_workers_stops_with_no_workers(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(execution, "NO_WORKER_SECONDS", 3.0)
    problem = linear("sensitivity.testfunctions:slow_linear", samples=20)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        threading.Timer(3, lambda: cluster.scale(0)).start()
        t0 = time.monotonic()
        with pytest.raises(SensitivityError, match="no workers"):
            run_study(problem, "", tmp_path / "dask", scheduler=cluster.scheduler_address,
                      batch_size=2, progress=False)
        assert time.monotonic() - t0 < 60


def test_lost_scheduler_is_named():
    class Client:
        status = "closed"

        def scheduler_info(self):
            return {}

    with pytest.raises(execution.ExecutionError, match="lost the Dask scheduler at tcp://x:1"):
        execution.dask_health(Client(), "tcp://x:1")()
