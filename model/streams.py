"""Named random streams spawned from one SeedSequence (common random numbers).

One SeedSequence per experiment is spawned once per replication and, inside a replication, once
per named stream. Stream order is fixed and new names are only ever appended, so that adding a
stream never changes the numbers an existing stream produces. Two scenarios run with the same seed
therefore see the same arriving citizens with the same attribute draws.
"""
from __future__ import annotations

import numpy as np

from .seeds import children, named

STREAM_NAMES = ("arrivals", "attributes", "operations", "context", "cash_benefit")  # append only: a new stream leaves the others' draws unchanged


# Replication r of an experiment is child r of its SeedSequence (the one convention, model/seeds.py).
replication_seeds = children


def stream_seeds(rep_seed: np.random.SeedSequence) -> dict[str, np.random.SeedSequence]:
    """One SeedSequence per named stream for a replication (parents of the name-keyed draws, model/draws.py)."""
    return {name: named(rep_seed, name, STREAM_NAMES) for name in STREAM_NAMES}


def named_streams(rep_seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One Generator per named stream for a replication."""
    return {name: np.random.Generator(np.random.PCG64(ss)) for name, ss in stream_seeds(rep_seed).items()}
