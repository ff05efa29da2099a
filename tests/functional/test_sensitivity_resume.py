"""A study killed or interrupted midway resumes to the same result without redoing stored runs.

The studies run in subprocesses (`python -m analysis sensitivity`) with an evaluation function
that logs every evaluation's run index to a file, so the test can count evaluations across
the crash and the resume.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sensitivity.problem import problem_from_dict
from sensitivity.store import RunStore
from sensitivity.study import run_study

ROOT = Path(__file__).resolve().parents[2]
PI = math.pi
HANG = 180  # seconds before a CLI run counts as hung: a guard, not a speed test (start-up alone takes several
# seconds when the two cores are busy: Python, pandas and numba imports in every worker)

LOGGING_FUNCTION = '''
import os, time
from sensitivity.testfunctions import ishigami

def evaluate(params, seed):
    log = os.environ["SA_LOG"]
    with open(log, "a") as f:
        f.write(f"{seed.spawn_key[-1]}\\n")
    crash_after = int(os.environ.get("SA_CRASH_AFTER", "0"))
    if crash_after and sum(1 for _ in open(log)) >= crash_after:
        os._exit(9)  # like a kill -9: no cleanup, no flush
    time.sleep(float(os.environ.get("SA_SLEEP", "0")))
    return ishigami(params, seed)

evaluate.parameters = ishigami.parameters
evaluate.outputs = ishigami.outputs
'''


def problem_data(function: str) -> dict:
    return {"function": function, "method": "sobol", "samples": 16, "seed": 11,
            "outputs": ["y", "noisy_y"],
            "parameters": [{"path": f"x{i}", "bounds": [-PI, PI]} for i in (1, 2, 3)]}


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "logging_function.py").write_text(LOGGING_FUNCTION)
    problem_file = tmp_path / "problem.yaml"
    problem_file.write_text(yaml.safe_dump(problem_data("logging_function:evaluate")))
    reference = run_study(problem_from_dict(problem_data("sensitivity.testfunctions:ishigami")),
                          "", tmp_path / "reference", jobs=1, progress=False)
    return tmp_path, problem_file, reference


def cli(tmp_path, problem_file, out, *args, env=None, **popen):
    full_env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", **(env or {})}
    command = [sys.executable, "-m", "cli", "sensitivity", str(problem_file), "--out",
               str(out), "--no-progress", "--trust-module", *args]
    # A shell that starts jobs in the background (CI runners, `cmd &`) leaves SIGINT ignored, and an
    # ignored SIGINT survives exec: restore the default so the child behaves as in a terminal.
    return subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **popen)


def logged(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def assert_same_result(out: Path, reference) -> None:
    store = RunStore.open(out)
    runs = store.runs()
    assert len(store.all_rows()) == len(runs) == 16 * 5  # every run stored exactly once
    assert (runs["status"] == "ok").all()
    ref = reference.store.runs()
    pd.testing.assert_frame_equal(runs[["run_index", "out.y", "out.noisy_y"]],
                                  ref[["run_index", "out.y", "out.noisy_y"]])
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"),
                                  pd.read_csv(reference.store.root / "indices.csv"))


@pytest.mark.slow
def test_killed_serial_run_resumes_without_redoing_stored_runs(setup):
    tmp_path, problem_file, reference = setup
    out = tmp_path / "out"
    first = cli(tmp_path, problem_file, out, "-j", "1", "--batch-size", "5",
                env={"SA_LOG": str(tmp_path / "log1"), "SA_CRASH_AFTER": "23"})
    assert first.wait(timeout=HANG) == 9
    stored = set(RunStore.open(out).runs()["run_index"])
    assert stored == set(range(20))  # four whole batches were on disk before the kill

    second = cli(tmp_path, problem_file, out, "-j", "1", "--resume",
                 env={"SA_LOG": str(tmp_path / "log2")})
    stdout, stderr = second.communicate(timeout=HANG)
    assert second.returncode == 0, stderr
    redone = logged(tmp_path / "log2")
    assert sorted(redone) == list(range(20, 80))  # only what was not stored, each once
    assert not stored & set(redone)
    assert "20 were already stored" in stderr.replace("\n", " ")
    assert_same_result(out, reference)


@pytest.mark.slow
def test_interrupted_process_pool_resumes_to_the_same_result(setup):
    tmp_path, problem_file, reference = setup
    out = tmp_path / "out"
    first = cli(tmp_path, problem_file, out, "-j", "2", "--batch-size", "4",
                env={"SA_LOG": str(tmp_path / "log1"), "SA_SLEEP": "0.1"},  # ~4 s of work: Ctrl-C lands mid-run
                start_new_session=True)
    deadline = time.monotonic() + 30
    while not list((out / "runs").glob("*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    stdout, stderr = first.communicate(timeout=HANG)
    assert first.returncode == 130, stderr
    assert "--resume" in stderr
    stored = set(RunStore.open(out).runs()["run_index"])
    assert 0 < len(stored) < 80

    second = cli(tmp_path, problem_file, out, "-j", "2", "--resume",
                 env={"SA_LOG": str(tmp_path / "log2")})
    _, stderr = second.communicate(timeout=HANG)
    assert second.returncode == 0, stderr
    redone = logged(tmp_path / "log2")
    assert sorted(redone) == sorted(set(range(80)) - stored)
    assert_same_result(out, reference)
