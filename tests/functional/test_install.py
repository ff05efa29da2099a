"""A non-editable install finds its scenarios, calibrated sets and evidence bases (package data).

``uv pip install .`` (not ``-e``) into a fresh virtual environment, with the same pinned
dependencies from uv's cache, then ``rtwsim`` from a working directory outside the source tree: if
a library folder were found next to the source instead of through ``importlib.resources``, these
commands would find nothing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _uv() -> str:
    uv = Path(sys.executable).parent / "uv"
    found = str(uv) if uv.exists() else shutil.which("uv")
    if not found:
        pytest.skip("uv is not installed (make venv installs it)")
    return found


@pytest.mark.slow
@pytest.mark.install
def test_non_editable_install_runs_from_another_folder(tmp_path):
    uv = _uv()
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    # a clean copy of the source: setuptools would pack stale files from a build/ folder left in the tree
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__",
                                                              ".pytest_cache", ".hypothesis", "tests", "runs", "out"))
    # --refresh-package: build this source now, never a wheel uv cached from an earlier build
    subprocess.run([uv, "pip", "install", "-q", "--refresh-package", "rtwsim", "--python", str(python), str(src)],
                   check=True, timeout=300, cwd=tmp_path)
    site = subprocess.run([str(python), "-c", "import scenarios, model; print(scenarios.__file__, model.__file__)"],
                          capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(ROOT) not in site and str(src) not in site and str(venv) in site   # the installed copy
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "RTWSIM_JOBS": "1"}
    env.pop("PYTHONPATH", None)
    rtwsim = str(venv / "bin" / "rtwsim")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([rtwsim, *args], capture_output=True, text=True, cwd=work, env=env, timeout=300)

    listed = cli("scenarios")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert {"baseline_standard", "copenhagen_ibbis", "hjorring_investment"} <= set(names)
    assert len(names) == len(list((ROOT / "scenarios").glob("*.yaml")))
    ok = cli("validate", "copenhagen_ibbis")
    assert ok.returncode == 0 and ok.stdout.startswith("ok: copenhagen_ibbis"), ok.stderr
    # an evidence base: calibration/evidence/ and the calibrated sets it names are package data too
    comp = cli("compare", "baseline_standard", "copenhagen_ibbis", "--evidence", "local_monitoring_copenhagen",
               "--reps", "2", "--weeks", "60")
    assert comp.returncode == 0, comp.stderr
    assert "Difference against baseline_standard" in comp.stdout
