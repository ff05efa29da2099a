"""Problem files: valid ones load, every kind of bad input is named before any run starts."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from cli.main import main
from sensitivity.errors import ProblemError
from sensitivity.evaluators import check
from sensitivity.problem import load_problem

PI = math.pi


def write(tmp_path: Path, data: dict, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def ishigami_problem(**changes) -> dict:
    data = {
        "function": "sensitivity.testfunctions:ishigami",
        "method": "sobol",
        "samples": 64,
        "seed": 7,
        "parameters": [{"path": f"x{i}", "bounds": [-PI, PI]} for i in (1, 2, 3)],
        "outputs": ["y"],
    }
    data.update(changes)
    return data


def test_valid_problem_loads_with_run_count_and_default_name(tmp_path):
    problem = load_problem(write(tmp_path, ishigami_problem(calc_second_order=True)))
    assert problem.name == "p"
    assert problem.num_runs == 64 * (2 * 3 + 2)
    morris = load_problem(write(tmp_path, ishigami_problem(method="morris", samples=10), "m.yaml"))
    assert morris.num_runs == 10 * 4


def test_low_not_below_high_names_file_and_field(tmp_path):
    data = ishigami_problem()
    data["parameters"][1]["bounds"] = [2.0, 2.0]
    path = write(tmp_path, data)
    with pytest.raises(ProblemError) as err:
        load_problem(path)
    assert err.value.field == "parameters[1].bounds"
    assert str(path) in str(err.value) and "low < high" in str(err.value)


def test_unknown_method_lists_allowed_methods(tmp_path):
    with pytest.raises(ProblemError) as err:
        load_problem(write(tmp_path, ishigami_problem(method="sobolev")))
    assert err.value.field == "method"
    for method in ("morris", "sobol", "fast"):
        assert method in str(err.value)


def test_empty_parameter_list_is_rejected(tmp_path):
    with pytest.raises(ProblemError) as err:
        load_problem(write(tmp_path, ishigami_problem(parameters=[])))
    assert err.value.field == "parameters"


def test_misspelt_key_lists_allowed_keys(tmp_path):
    with pytest.raises(ProblemError) as err:
        load_problem(write(tmp_path, ishigami_problem(sample=64)))
    assert err.value.field == "sample"
    assert "samples" in str(err.value)


def test_sobol_sample_size_must_be_power_of_two(tmp_path):
    with pytest.raises(ProblemError, match="power of two.*use 64 or 128"):
        load_problem(write(tmp_path, ishigami_problem(samples=100)))


def test_morris_refuses_unbounded_distribution(tmp_path):
    data = ishigami_problem(method="morris", samples=10)
    data["parameters"][0] = {"path": "x1", "dist": "norm", "mean": 0, "sd": 1}
    with pytest.raises(ProblemError, match="morris"):
        load_problem(write(tmp_path, data))


def test_unknown_parameter_path_is_named_with_allowed_values(tmp_path):
    data = ishigami_problem()
    data["parameters"][2]["path"] = "x4"
    path = write(tmp_path, data)
    with pytest.raises(ProblemError) as err:
        check(load_problem(path), str(path))
    assert err.value.field == "parameters[2].path"
    assert "x4" in str(err.value) and "x1, x2, x3" in str(err.value)


def test_unknown_output_is_named_with_allowed_values(tmp_path):
    path = write(tmp_path, ishigami_problem(outputs=["y", "z"]))
    with pytest.raises(ProblemError) as err:
        check(load_problem(path), str(path))
    assert err.value.field == "outputs[1]"
    assert "'z'" in str(err.value) and "noisy_y" in str(err.value)


def test_cli_rejects_bad_input_before_creating_any_run(tmp_path, capsys):
    data = ishigami_problem()
    data["parameters"][0]["bounds"] = [1.0, -1.0]
    out = tmp_path / "out"
    code = main(["sensitivity", str(write(tmp_path, data)), "--out", str(out), "-j", "1",
                 "--no-progress"])
    assert code == 2
    assert "parameters[0]" in capsys.readouterr().err
    assert not out.exists()
