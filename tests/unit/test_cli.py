"""The rtwsim command: outputs, files and clear errors with a non-zero exit."""
import pandas as pd
import pytest

from cli.main import main

FAST = ["--reps", "2", "--weeks", "70", "--seed", "3"]


def test_run_prints_table_and_writes_files(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["run", "copenhagen_ibbis", *FAST, "--out", str(out), "--format", "parquet"]) == 0
    text = capsys.readouterr().out
    assert "Back at work within horizon" in text and "integrated" in text
    spells = pd.read_parquet(out / "spells.parquet")
    assert set(spells["replication"]) == {0, 1}
    summary = pd.read_csv(out / "summary.csv")
    assert {"output", "mean", "ci_low", "ci_high"} <= set(summary.columns)


def test_compare_reports_paired_differences(tmp_path, capsys):
    assert main(["compare", "baseline_standard", "copenhagen_ibbis", *FAST, "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "copenhagen_ibbis - baseline_standard" in text
    diffs = pd.read_csv(tmp_path / "differences.csv")
    assert (diffs["baseline"] == "baseline_standard").all()


def test_set_override_changes_result(capsys):
    assert main(["run", "baseline_standard", *FAST, "--set", "consultants.standard.caseload_limit=10",
                 "--set", "consultants.standard.when_full=queue"]) == 0
    assert "Wait for a consultant" in capsys.readouterr().out


@pytest.mark.parametrize("argv, needle", [
    (["run", "nope"], "unknown scenario 'nope'"),
    (["run", "baseline_standard", "--set", "consultants.standard.caseload_limit=0"], "caseload_limit"),
    (["run", "baseline_standard", "--set", "no.such.path=1"], "unknown parameter path"),
    (["run", "baseline_standard", "--set", "novalue"], "PATH=VALUE"),
])
def test_bad_input_exit_2_with_message(argv, needle, capsys):
    assert main(argv) == 2
    assert needle in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["run", "baseline_standard", "--reps", "0"],
    ["run", "baseline_standard", "--format", "xlsx"],
    ["compare", "baseline_standard"],
    ["run", "baseline_standard", "--seed", "-1"],
])
def test_bad_flags_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert "error" in capsys.readouterr().err


def test_validate_and_scenarios(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: baseline_standard\nconsultants:\n  standard: {count: 2, caseload_limit: 0}\n")
    assert main(["validate", "scenarios/copenhagen_ibbis.yaml"]) == 0
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "consultants.standard.caseload_limit" in err
    assert main(["scenarios"]) == 0
    assert "copenhagen_ibbis" in capsys.readouterr().out
