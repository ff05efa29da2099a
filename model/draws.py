"""Per-citizen random draws keyed by name (as starsim derives a draw's seed from its name).

Why: a positional matrix of draws gives every column its place by order, so adding a draw shifts
every later column and reshuffles every citizen's numbers. Here each named draw has its own
generator, seeded from (the replication's stream seed, a stable hash of the name): adding, removing
or reordering draws leaves every other draw bit-identical, and two scenarios run with the same
seed still see the same citizens (common random numbers, DESIGN §7). The hash is CRC-32 of the
UTF-8 name (stable across processes and Python versions; Python's ``hash()`` is salted per process).
"""
from __future__ import annotations

import zlib

import numpy as np


def name_key(name: str) -> int:
    """Stable 32-bit key of a draw's name."""
    return zlib.crc32(name.encode("utf-8"))


class NamedDraws:
    """Generators for named draws of one stream of one replication."""

    def __init__(self, stream_seed: np.random.SeedSequence):
        self.seed = stream_seed

    def generator(self, name: str) -> np.random.Generator:
        s = self.seed
        child = np.random.SeedSequence(s.entropy, spawn_key=tuple(s.spawn_key) + (name_key(name),), pool_size=s.pool_size)
        return np.random.Generator(np.random.PCG64(child))

    def uniform(self, name: str, n: int, slots: int | None = None) -> np.ndarray:
        """Uniforms in [0, 1) for ``n`` citizens (and ``slots`` per citizen, e.g. one per spell)."""
        return self.generator(name).random(n if slots is None else (n, slots))

    def exponential(self, name: str, n: int, slots: int | None = None) -> np.ndarray:
        """Exp(1) thresholds, by inversion of the named uniforms (so a draw's law never depends on its use)."""
        u = self.uniform(name, n, slots)
        return np.negative(np.log1p(np.negative(u, out=u), out=u), out=u)  # -log1p(-u), in place
