"""Named random streams spawned from one SeedSequence (common random numbers).

One SeedSequence per experiment is spawned once per replication and, inside a replication, once
per named stream. Stream order is fixed and new names are only ever appended, so that adding a
stream never changes the numbers an existing stream produces. Two scenarios run with the same seed
therefore see the same arriving citizens with the same attribute draws.
"""
from __future__ import annotations

import numpy as np

STREAM_NAMES = ("arrivals", "attributes", "operations", "context", "cash_benefit")  # append only: a new stream leaves the others' draws unchanged


def as_seed_sequence(seed: int | np.random.SeedSequence | None) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(seed)


def replication_seeds(seed: int | np.random.SeedSequence | None, reps: int) -> list[np.random.SeedSequence]:
    """Independent child seeds, one per replication; replication r is the same for any ``reps`` >= r."""
    if reps < 1:
        raise ValueError(f"reps must be >= 1, got {reps}")
    root = as_seed_sequence(seed)
    # Derive children from the root's entropy and spawn key without mutating the root's spawn counter,
    # so calling this twice with the same root gives the same children.
    return [np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (r,), pool_size=root.pool_size)
            for r in range(reps)]


def stream_seeds(rep_seed: np.random.SeedSequence) -> dict[str, np.random.SeedSequence]:
    """One SeedSequence per named stream for a replication (parents of the name-keyed draws, model/draws.py)."""
    return {name: np.random.SeedSequence(rep_seed.entropy, spawn_key=rep_seed.spawn_key + (i,), pool_size=rep_seed.pool_size)
            for i, name in enumerate(STREAM_NAMES)}


def named_streams(rep_seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One Generator per named stream for a replication."""
    return {name: np.random.Generator(np.random.PCG64(ss)) for name, ss in stream_seeds(rep_seed).items()}
