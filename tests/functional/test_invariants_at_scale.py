"""Issue 15, part 6: the invariants of test_invariants.py over more than 10^7 citizen-weeks.

The hypothesis tests in test_invariants.py draw many small scenarios (about a million citizen-weeks
per run); this seeded stress test runs a few large ones (thousands of arrivals a year over ten
years, queues and stretching, capped places, fixed teams) and checks the same invariants on every
week: conservation of citizens and spells, caseload <= limit in queue mode, FIFO waiting lists, and
no event booked into a week whose due list was already handled. A citizen-week is one citizen
followed for one week (the model steps every citizen who has arrived: on benefit, queued, at work
and followed for relapse), counted from the weekly table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core_helpers import tiny
from model.experiment import simulate
from invariant_checks import check_caseloads, check_conservation, check_fifo
from model.model import ONWARD_COLUMNS, RTWModel

TARGET = 10_000_000

CASES = [  # (overrides, seed): large, varied, each about 2.5-3.5 million citizen-weeks
    ({"arrivals.per_year": 1400, "consultants.standard.when_full": "queue",
      "consultants.standard.count": 6, "consultants.standard.caseload_limit": 25}, 1),
    ({"arrivals.per_year": 1400, "allocation.rule": "randomise",
      "allocation.shares": {"standard": 0.4, "uncoordinated": 0.2, "integrated": 0.4},
      "allocation.places_per_year": {"integrated": 300}, "pathways.integrated.fixed_team": True,
      "consultants.integrated.when_full": "queue", "consultants.integrated.caseload_limit": 20,
      "consultants.standard.when_full": "stretch"}, 2),
    ({"arrivals.per_year": 1400, "allocation.rule": "randomise",
      "allocation.shares": {"standard": 0.5, "integrated": 0.5},
      "consultants.standard.when_full": "queue", "consultants.standard.count": 3,
      "consultants.standard.caseload_limit": 30, "consultants.integrated.when_full": "queue",
      "hazard.other_exit_weekly": 0.01, "relapse.hazard": [{"from_week": 0, "weekly": 0.01}]}, 3),
    ({"arrivals.per_year": 1400, "allocation.pathway": "integrated",
      "consultants.integrated.when_full": "queue", "consultants.integrated.count": 4,
      "consultants.integrated.caseload_limit": 15, "providers.jobcentre_health.therapists": 1,
      "providers.jobcentre_health.slots_per_therapist": 10}, 4),
]


def _run(overrides: dict, seed: int):
    sc = tiny(overrides, horizon_weeks=520)
    m = RTWModel(sc, np.random.SeedSequence(seed))
    for _ in range(m.horizon):
        m.step()
        stale = [week for week in m.calendar.pending_weeks() if week < m.week]
        assert not stale, f"events booked into handled weeks {sorted(stale)}"
    m._close_censored()
    return sc, pd.DataFrame(m.spell_rows), pd.DataFrame(m.weekly_rows), pd.DataFrame(m.onward_rows, columns=ONWARD_COLUMNS)


@pytest.mark.parametrize("overrides, seed", CASES)
def test_invariants_hold_on_a_large_run(overrides, seed, record_property):
    sc, spells, weekly, onward = _run(overrides, seed)
    check_conservation(spells, weekly, onward)
    check_caseloads(sc, weekly)
    check_fifo(sc, spells)
    n = int(weekly["citizens_arrived"].sum())
    record_property("citizen_weeks", n)
    assert n >= TARGET / len(CASES), f"only {n} citizen-weeks"


def test_stress_runs_match_simulate():
    """The stepped model used above is the model `simulate` runs (same tables, same seed)."""
    sc, spells, weekly, _ = _run({"arrivals.per_year": 200}, 9)
    rep = simulate(sc, np.random.SeedSequence(9))
    pd.testing.assert_frame_equal(rep.weekly, weekly, check_dtype=False)
    assert len(rep.spells) == len(spells)
