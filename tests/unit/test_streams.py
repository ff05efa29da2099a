import numpy as np

from model.population import draw_population
from model.streams import named_streams, replication_seeds
from core_helpers import tiny


def test_replication_seeds_do_not_depend_on_count():
    a = replication_seeds(7, 3)
    b = replication_seeds(7, 10)
    for x, y in zip(a, b):
        assert named_streams(x)["arrivals"].random() == named_streams(y)["arrivals"].random()


def test_streams_are_distinct():
    s = named_streams(replication_seeds(7, 1)[0])
    vals = {name: g.random() for name, g in s.items()}
    assert len(set(vals.values())) == len(vals)


def test_same_citizens_under_different_policies():
    """Common random numbers: allocation and staffing do not change who arrives or their draws."""
    seed = replication_seeds(3, 1)[0]
    a = draw_population(tiny(), 80, seed)
    b = draw_population(tiny({"allocation.rule": "all", "allocation.pathway": "integrated",
                              "consultants.standard.count": 1}), 80, seed)
    assert np.array_equal(a.arrival_week, b.arrival_week)
    assert np.array_equal(a.who5, b.who5)
    assert np.array_equal(a.spell["e_return"], b.spell["e_return"])


def test_prefix_stability_with_longer_horizon():
    seed = replication_seeds(3, 1)[0]
    a = draw_population(tiny(), 40, seed)
    b = draw_population(tiny(), 80, seed)
    assert np.array_equal(a.arrival_week, b.arrival_week[: a.size])


def test_adding_a_named_draw_leaves_every_other_draw_unchanged(monkeypatch):
    """Draws are keyed by name (model/draws.py): a new per-spell draw, inserted first in the list, changes
    no citizen's arrival, attributes or any other draw, bit for bit."""
    import model.population as population

    seed = replication_seeds(5, 1)[0]
    before = draw_population(tiny(), 80, seed)
    monkeypatch.setattr(population, "SPELL_COLS", ("u_dummy_new_draw",) + population.SPELL_COLS)
    monkeypatch.setattr(population, "ONWARD_COLS", ("u_dummy_onward",) + population.ONWARD_COLS)
    monkeypatch.setattr(population, "STATIC_COLS", ("dummy_static",) + population.STATIC_COLS)
    after = draw_population(tiny(), 80, seed)
    assert "u_dummy_new_draw" in after.spell and "u_dummy_new_draw" not in before.spell
    for name in ("arrival_week", "diagnosis", "risk", "who5", "employed", "category", "u_arm"):
        assert np.array_equal(getattr(before, name), getattr(after, name)), name
    for name, col in before.spell.items():
        assert np.array_equal(col, after.spell[name]), name
    for name, col in before.onward.items():
        assert np.array_equal(col, after.onward[name]), name
    # and the new draw is not a copy of an existing one
    assert not any(np.array_equal(after.spell["u_dummy_new_draw"], c) for c in before.spell.values())


def test_named_draws_use_a_stable_hash():
    """The key of a name is CRC-32 (the same in every process), never Python's salted hash()."""
    from model.draws import NamedDraws, name_key

    assert name_key("e_return") == 0x3EE87644  # zlib.crc32(b"e_return"): fixed, so stored results stay reproducible
    a = NamedDraws(np.random.SeedSequence(11)).uniform("e_return", 5)
    b = NamedDraws(np.random.SeedSequence(11)).uniform("e_return", 5)
    c = NamedDraws(np.random.SeedSequence(11)).uniform("e_other", 5)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_whole_run_unchanged_when_a_draw_is_added(monkeypatch):
    """End to end: a simulated replication's spell table is identical with an extra named draw."""
    import model.population as population
    from core_helpers import sim

    sc = tiny({"arrivals.per_year": 60})
    a = sim(sc, seed=4).spells
    monkeypatch.setattr(population, "SPELL_COLS", population.SPELL_COLS + ("u_dummy_new_draw",))
    b = sim(sc, seed=4).spells
    import pandas as pd
    pd.testing.assert_frame_equal(a, b)
