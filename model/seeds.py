"""The one seeding convention: one SeedSequence per experiment, children by index and by name.

Every experiment (a run, a comparison, a calibration, a sensitivity study) starts from one
``SeedSequence(seed)``. Replication ``r`` (or design row ``r``) is its child ``r``:
``SeedSequence(entropy, spawn_key=root.spawn_key + (r,))``, which is exactly
``SeedSequence(seed).spawn(n)[r]`` for any ``n > r`` — but computed without spawning, so it never
depends on how many children were taken before, on the executor or on the batch a row lands in.
Named streams of an experiment (calibration's ``fit``/``accept``/``candidates``) are children with
a fixed index per name; inside a replication the model spawns its own named streams
(``model.streams``).
"""
from __future__ import annotations

import numpy as np

Seed = int | np.random.SeedSequence | None


def root(seed: Seed) -> np.random.SeedSequence:
    """The experiment's SeedSequence (a SeedSequence is taken as it is)."""
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


def child(seed: Seed, index: int) -> np.random.SeedSequence:
    """Child ``index`` of the experiment: replication or design row ``index``."""
    r = root(seed)
    return np.random.SeedSequence(r.entropy, spawn_key=tuple(r.spawn_key) + (int(index),), pool_size=r.pool_size)


def children(seed: Seed, n: int) -> list[np.random.SeedSequence]:
    """Children 0..n-1; child r is the same for any n > r."""
    if n < 1:
        raise ValueError(f"need at least one child seed, got {n}")
    return [child(seed, r) for r in range(n)]


def named(seed: Seed, name: str, names: tuple[str, ...]) -> np.random.SeedSequence:
    """The child of a named stream: its position in ``names``, a tuple that is only ever appended to."""
    if name not in names:
        raise ValueError(f"unknown stream {name!r}; known: {list(names)}")
    return child(seed, names.index(name))
