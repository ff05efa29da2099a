"""Duration distributions in whole weeks, sampled by inverse CDF from a uniform.

Sampling from a pre-drawn uniform (not from a generator) keeps common random numbers intact:
the same citizen draws the same quantile in every scenario, so a longer course in one scenario
is the same citizen's longer course, not a different citizen's draw.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import ConfigDict, Field, model_validator
from scipy.special import ndtri  # light import; scipy.stats costs >1 s at start-up

from .strict import FiniteModel


def _clip(x, lo, hi):
    """``np.clip`` as two ufunc calls (the same values; np.clip's Python wrapper costs more than the work on
    the few numbers of one call)."""
    return np.minimum(np.maximum(x, lo), hi)


class _Dist(FiniteModel):
    model_config = ConfigDict(extra="forbid")
    min_weeks: int = Field(0, ge=0, description="Lower truncation in weeks")
    max_weeks: int = Field(520, ge=0, description="Upper truncation in weeks")

    @model_validator(mode="after")
    def _bounds(self):
        if self.max_weeks < self.min_weeks:
            raise ValueError(f"max_weeks ({self.max_weeks}) must be >= min_weeks ({self.min_weeks})")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def weeks(self, u) -> np.ndarray:
        """Whole weeks for uniforms ``u`` (array or scalar), truncated to [min_weeks, max_weeks]."""
        q = np.ceil(np.asarray(self.quantile(np.asarray(u, dtype=float)), dtype=float) - 1e-9)
        return _clip(q, self.min_weeks, self.max_weeks).astype(np.int64)

    def mean_weeks(self) -> float:
        """Mean of the truncated, rounded distribution (numerically, for costing and reports)."""
        u = (np.arange(2000) + 0.5) / 2000
        return float(self.weeks(u).mean())


class Fixed(_Dist):
    dist: Literal["fixed"]
    weeks_value: int = Field(alias="weeks", ge=0, description="Duration in weeks")

    def quantile(self, u):
        return np.full_like(u, float(self.weeks_value))


class Geometric(_Dist):
    """Memoryless course length: each week ends the course with probability 1/mean."""

    dist: Literal["geometric"]
    mean: float = Field(gt=0, description="Mean duration in weeks (>= 1)")

    @model_validator(mode="after")
    def _mean(self):
        if self.mean < 1:
            raise ValueError(f"mean must be >= 1 week for a geometric distribution, got {self.mean}")
        return self

    def quantile(self, u):
        p = 1.0 / self.mean
        if p >= 1.0:
            return np.ones_like(u)
        return np.maximum(1.0, np.ceil(np.log1p(-_clip(u, 0, 1 - 1e-12)) / np.log1p(-p)))


class LogNormal(_Dist):
    dist: Literal["lognormal"]
    mean: float = Field(gt=0, description="Mean in weeks")
    sd: float = Field(gt=0, description="Standard deviation in weeks")

    @model_validator(mode="after")
    def _ratio(self):
        ratio = self.sd / self.mean
        if not ratio < 1e6:  # (sd/mean)^2 would overflow, or every draw hit a truncation bound
            raise ValueError(f"sd/mean = {ratio:.3g} is too extreme for a lognormal; keep sd below 10^6 x mean")
        return self

    def quantile(self, u):
        mu, sigma = _lognormal(self.mean, self.sd)
        return np.exp(mu + sigma * ndtri(_clip(u, 1e-12, 1 - 1e-12)))


@lru_cache(maxsize=256)
def _lognormal(mean: float, sd: float) -> tuple[np.float64, np.float64]:
    """(mu, sigma) of the normal whose exponential has this mean and sd; computed once per pair (the same
    numpy scalars every time)."""
    sigma2 = np.log1p((sd / mean) ** 2)
    return np.log(mean) - sigma2 / 2, np.sqrt(sigma2)


class Empirical(_Dist):
    """Observed durations with their relative frequencies (e.g. from a local case system)."""

    dist: Literal["empirical"]
    values: list[int] = Field(min_length=1, description="Durations in weeks")
    probs: list[float] = Field(min_length=1, description="Probabilities (sum to 1)")

    @model_validator(mode="after")
    def _probs(self):
        if len(self.values) != len(self.probs):
            raise ValueError(f"values ({len(self.values)}) and probs ({len(self.probs)}) must have the same length")
        if any(p < 0 for p in self.probs) or abs(sum(self.probs) - 1) > 1e-6:
            raise ValueError(f"probs must be >= 0 and sum to 1, got sum {sum(self.probs):.4f}")
        if any(v < 0 for v in self.values):
            raise ValueError("values must be >= 0 weeks")
        return self

    def quantile(self, u):
        order = np.argsort(self.values)
        vals = np.asarray(self.values, dtype=float)[order]
        cdf = np.cumsum(np.asarray(self.probs)[order])
        pos = np.searchsorted(cdf, _clip(u, 0, 1 - 1e-12), side="right")
        return vals[np.minimum(pos, len(vals) - 1)]


Duration = Annotated[Union[Fixed, Geometric, LogNormal, Empirical], Field(discriminator="dist")]
