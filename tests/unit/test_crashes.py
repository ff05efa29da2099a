"""Issue 15, part 2: inputs that crashed with a traceback now end with a named error (exit 2) or a
sensible run. Each test reproduces one line of the issue's "Why" (they fail on commit 655b729)."""
from __future__ import annotations

import concurrent.futures as cf

import pytest
import yaml

from model import execution, experiment
from model import scenario as scenario_mod
from cli.main import main
from model.scenario import ScenarioError, list_scenarios, load_scenario


def cli(capsys, *argv) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def test_directory_or_empty_name_as_scenario(tmp_path, capsys):
    (tmp_path / "folder.yaml").mkdir()
    for name in (str(tmp_path / "folder.yaml"), str(tmp_path), "", " "):
        code, err = cli(capsys, "validate", name)
        assert code == 2 and "error:" in err, name


def test_non_utf8_file(tmp_path, capsys):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("name: k\u00f8ge\n".encode("latin-1"))
    code, err = cli(capsys, "validate", str(f))
    assert code == 2 and "UTF-8" in err


def test_extends_cycle_by_file_name(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"extends": "b.yaml"}))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({"extends": "a.yaml"}))
    code, err = cli(capsys, "validate", str(tmp_path / "a.yaml"))
    assert code == 2 and "cycle" in err


def test_scenarios_listing_survives_a_cycle_in_the_library(tmp_path, monkeypatch):
    (tmp_path / "loop1.yaml").write_text(yaml.safe_dump({"extends": "loop2.yaml", "description": "x"}))
    (tmp_path / "loop2.yaml").write_text(yaml.safe_dump({"extends": "loop1.yaml", "description": "y"}))
    monkeypatch.setattr(scenario_mod, "SCENARIO_DIR", tmp_path)
    items = dict(list_scenarios())
    assert items["loop1"].startswith("INVALID") and "cycle" in items["loop1"]


def test_zero_arrivals_runs_to_n_a(capsys):
    code, err = cli(capsys, "run", "baseline_standard", "--reps", "1", "--weeks", "40",
                    "--set", "arrivals.per_year=0")
    assert code == 0, err


@pytest.mark.parametrize("value, words", [(".inf", "finite"), ("1e9", "50000"), ("1.0e6", "50000")])
def test_huge_or_infinite_arrivals(capsys, value, words):
    code, err = cli(capsys, "run", "baseline_standard", "--reps", "1", "--set", f"arrivals.per_year={value}")
    assert code == 2 and "arrivals.per_year" in err and words in err


def test_arrivals_times_weeks_is_bounded():
    sc = load_scenario("baseline_standard").with_overrides({"arrivals.per_year": 50_000})
    with pytest.raises(ScenarioError, match="citizens in 1040 weeks"):
        experiment.run(sc, reps=1, weeks=1040)


@pytest.mark.parametrize("args, words", [(["--reps", "10000000"], "--reps"), (["--jobs", "100"], "--jobs"),
                                         (["--weeks", "20"], "warmup_weeks"), (["--weeks", "5000"], "--weeks")])
def test_run_settings_out_of_range(capsys, args, words):
    code, err = cli(capsys, "run", "baseline_standard", *args)
    assert code == 2 and words in err


def test_never_more_processes_than_replications(monkeypatch):
    seen = {}

    class Pool(cf.ThreadPoolExecutor):
        def __init__(self, max_workers=None, **kw):
            seen["workers"] = max_workers
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(execution, "ProcessPoolExecutor", Pool)
    sc = load_scenario("baseline_standard").with_overrides({"horizon_weeks": 40, "warmup_weeks": 0})
    experiment.run(sc, reps=3, jobs=8)
    assert seen["workers"] == 3
