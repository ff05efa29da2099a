"""Issue 15, part 7: NaN, infinities, huge and negative numbers at every numeric scenario field.

For every numeric leaf of a scenario (found by walking the validated scenario, so fields added later
are covered too), hypothesis sets a hostile value through the same dotted-path overrides that `--set`,
the app and calibration use. Either the scenario is refused with the field named (CLI: exit code 2),
or it runs and every output is finite or NaN-as-"n/a" (never infinite), and the weekly table is
finite everywhere.
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core_helpers import tiny
from cli.main import main
from model.experiment import run
from model.scenario import ScenarioError

BASE = tiny({"allocation.rule": "randomise",
             "allocation.shares": {"standard": 0.4, "uncoordinated": 0.3, "integrated": 0.3}},
            horizon_weeks=40)


def numeric_paths(node, prefix="") -> list[str]:
    if isinstance(node, bool):
        return []
    if isinstance(node, (int, float)):
        return [prefix]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in numeric_paths(v, f"{prefix}.{k}" if prefix else str(k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in numeric_paths(v, f"{prefix}.{i}")]
    return []


PATHS = sorted(numeric_paths(BASE.model_dump(by_alias=True)))
HOSTILE = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 1e12, -1e12, 2**63, -1, -0.5, 0, 1e-300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**6, 10**6),
    st.booleans(),
)


def test_every_section_has_numeric_paths():
    sections = {p.split(".")[0] for p in PATHS}
    assert {"arrivals", "population", "allocation", "consultants", "providers", "pathways", "hazard", "rules",
            "relapse", "economics"} <= sections
    assert len(PATHS) > 100


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=HOSTILE)
def test_hostile_number_is_refused_by_name_or_runs_finite(path, value):
    try:
        sc = BASE.with_overrides({path: value})
        res = run(sc, reps=1, seed=1)
    except ScenarioError as err:
        msg = str(err)
        parts = path.split(".")
        assert any(p in msg for p in parts if not p.isdigit()), (path, value, msg)
        return
    outputs = res.outputs.drop(columns=["replication"]).to_numpy(dtype=float)
    assert not np.isinf(outputs).any(), (path, value)
    weekly = res.weekly.select_dtypes("number").to_numpy(dtype=float)
    assert np.isfinite(weekly).all(), (path, value)
    assert res.outputs["n_spells.all"].notna().all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=st.sampled_from([".nan", ".inf", "-.inf", "1e400", "true"]))
def test_set_with_non_numbers_exits_2_naming_the_field(path, value):
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", "baseline_standard", "--reps", "1", "--weeks", "30", "--set", f"{path}={value}"])
    assert code == 2, (path, value)
    assert path in err.getvalue() or path.rsplit(".", 1)[0] in err.getvalue(), err.getvalue()
