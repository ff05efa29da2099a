"""A small population reads its treatment weeks (delays, waits, courses, drop-outs) from per-run tables of
every citizen's draws (model/pathway_treatment.py ``SMALL_TABLE``); a large one computes them per call. Both
must give the same run, bit for bit."""
import numpy as np
import pandas as pd
import pytest

from model import pathway_treatment, simulate
from model.scenario import load_scenario


@pytest.mark.parametrize("name", ["copenhagen_ibbis", "aarhus_ibbis"])
def test_tables_and_per_call_weeks_give_the_same_run(name, monkeypatch):
    sc = load_scenario(name)
    tabled = simulate(sc, np.random.SeedSequence(3), weeks=104)
    monkeypatch.setattr(pathway_treatment, "SMALL_TABLE", -1)  # every population is "large"
    per_call = simulate(sc, np.random.SeedSequence(3), weeks=104)
    assert tabled.spells["course_weeks"].notna().any()
    pd.testing.assert_frame_equal(tabled.spells, per_call.spells)
    pd.testing.assert_frame_equal(tabled.weekly, per_call.weekly)
