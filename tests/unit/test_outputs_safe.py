"""Issue 15, part 4: an unwritable --out fails before any simulation, and a write that fails keeps the
computed tables (written under a temporary name, then moved; a rescue folder on failure)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model import experiment, output
from cli.main import main


def test_unwritable_out_fails_before_simulating(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    calls = []
    monkeypatch.setattr(experiment, "_simulate_task", lambda *a, **k: calls.append(1))
    for out in (blocker, blocker / "sub"):
        code = main(["run", "baseline_standard", "--reps", "1", "--out", str(out)])
        assert code == 2
        assert str(out) in capsys.readouterr().err
    code = main(["compare", "baseline_standard", "copenhagen_ibbis", "--reps", "1", "--out", str(blocker / "c")])
    assert code == 2
    assert calls == []  # nothing was simulated


def test_failed_write_keeps_the_results(tmp_path, monkeypatch):
    tables = {"summary": pd.DataFrame({"a": [1]}), "spells": pd.DataFrame({"b": [2]}),
              "weekly": pd.DataFrame({"c": [3]})}
    real = output._write_one
    target = tmp_path / "out"

    def flaky(df, path, fmt):
        if path.parent == target and path.stem == "weekly":
            raise OSError(28, "No space left on device")
        real(df, path, fmt)

    monkeypatch.setattr(output, "_write_one", flaky)
    with pytest.raises(output.OutputError, match="saved in") as exc:
        output.write_tables(target, "csv", tables)
    rescue = Path(str(exc.value).split("saved in ")[1].split("/ instead")[0])
    assert sorted(p.name for p in rescue.iterdir()) == ["spells.csv", "summary.csv", "weekly.csv"]
    assert not [p for p in target.iterdir() if ".tmp" in p.name]  # no half-written file left behind


def test_tables_are_renamed_into_place(tmp_path, monkeypatch):
    renamed = []
    real = output.os.replace
    monkeypatch.setattr(output.os, "replace", lambda a, b: renamed.append((Path(a).name, Path(b).name)) or real(a, b))
    output.write_tables(tmp_path, "parquet", {"summary": pd.DataFrame({"a": [1]}), "spells": pd.DataFrame({"b": [2]})})
    assert [b for _, b in renamed] == ["summary.csv", "spells.parquet"]
    assert all(a.startswith(".") and ".tmp-" in a for a, _ in renamed)
