"""Relapse weeks of many tables at once (model/pathway_spells.py ``Segments``) equal, bit for bit, the
weeks :func:`model.hazards.piecewise_weeks_many` gives each table's thresholds on their own."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.hazards import piecewise_weeks_many
from model.pathway_spells import relapse_segments

weekly = st.one_of(st.just(0.0), st.just(1.0), st.floats(1e-6, 0.9))


@st.composite
def cases(draw):
    starts = sorted(set(draw(st.lists(st.integers(1, 60), max_size=3))))
    steps = tuple(zip([0, *starts], draw(st.lists(weekly, min_size=len(starts) + 1, max_size=len(starts) + 1))))
    n_pathways = draw(st.integers(1, 4))
    weeks = tuple(draw(st.lists(st.integers(0, 40), min_size=n_pathways, max_size=n_pathways)))
    mult = tuple(draw(st.lists(st.floats(0.0, 3.0), min_size=n_pathways, max_size=n_pathways)))
    limit = draw(st.integers(1, 200))
    seed = draw(st.integers(0, 2**32 - 1))
    return steps, weeks, mult, limit, seed


@settings(max_examples=200, deadline=None)
@given(cases())
def test_segments_equal_the_table_walked_per_group(case):
    steps, weeks, mult, limit, seed = case
    rng = np.random.default_rng(seed)
    n = 60
    e = rng.exponential(size=n) * rng.choice([0.01, 1.0, 30.0], size=n)
    pathway = rng.integers(0, len(weeks), n)
    aftercare = rng.random(n) < 0.5
    got = relapse_segments(steps, weeks, mult, limit).weeks(e, pathway * 2 + aftercare)
    want = np.full(n, np.inf)
    for p in range(len(weeks)):
        for a in (False, True):
            sel = (pathway == p) & (aftercare == a)
            want[sel] = piecewise_weeks_many(e[sel], list(steps), weeks[p] if a else 0, mult[p], limit=limit)
    assert np.array_equal(got, want)
