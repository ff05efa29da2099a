"""Versioned benefit-rate tables (``model/rates/*.yaml``): one rate per calendar year, with sources.

Why a file and not constants: rates change every year and planners must be able to see, cite and
replace them. Years missing from a table are derived by the table's own explicit extrapolation
rule; a year outside the table's ``valid_years`` is an error, never a silent guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import math
from pathlib import Path

from . import library, safe_yaml

RATES_DIR = Path(__file__).resolve().parent / "rates"
RATE_NAMES = ("sickness_benefit_max_week", "resource_course_month_no_children", "resource_course_month_with_children",
              "cash_benefit_month_no_children", "cash_benefit_month_with_children")  # cash benefit: issue 17


class RateError(ValueError):
    """A rate table that cannot be used, or a year it does not cover."""


@dataclass(frozen=True)
class RateTable:
    version: str
    first_year: int
    last_year: int
    known: dict[int, dict[str, float]]
    annual_rate: float
    staircase: tuple[tuple[int, float], ...]  # (from benefit week, refund share), weeks counted from 1

    def rate(self, name: str, year: int) -> float:
        """The rate ``name`` in calendar ``year``: a known value or the explicit annual-index rule."""
        if name not in RATE_NAMES:
            raise RateError(f"unknown rate {name!r}; allowed: {list(RATE_NAMES)}")
        if not isinstance(year, (int,)) or not self.first_year <= year <= self.last_year:
            raise RateError(f"economics.start_year / simulated year {year!r} is outside the rate table "
                            f"{self.version} (valid years {self.first_year}-{self.last_year})")
        years = sorted(y for y, v in self.known.items() if name in v)
        if not years:
            raise RateError(f"rate table {self.version} has no known value of {name}")
        if year in self.known and name in self.known[year]:
            return float(self.known[year][name])
        base = min(years, key=lambda y: (abs(y - year), -y))
        return float(round(self.known[base][name] * (1 + self.annual_rate) ** (year - base)))

    def refund_share(self, benefit_week):
        """State refund share for public-benefit week(s) 1, 2, ... (numpy arrays welcome)."""
        return staircase_share(self.staircase, benefit_week)

    def source_rows(self, years: list[int]) -> list[dict]:
        """The rates used for ``years``, each marked known or extrapolated (for workbooks and reports)."""
        rows = []
        for y in years:
            for name in RATE_NAMES:
                known = y in self.known and name in self.known[y]
                rows.append({"year": y, "rate": name, "dkk": self.rate(name, y),
                             "basis": ("known (public rate announcement, see the rate table)" if name.startswith("cash_")
                                       else "known (DESIGN §5, secondary)") if known else
                             f"extrapolated: {self.annual_rate:.1%}/year from nearest known year (assumption)"})
        return rows


def available_rate_tables() -> list[str]:
    return sorted(p.stem for p in RATES_DIR.glob("*.yaml"))


@lru_cache(maxsize=8)
def load_rate_table(version: str) -> RateTable:
    try:  # a library name only: never a path out of model/rates/
        path = library.in_library(version, RATES_DIR, "rate table")
        data = safe_yaml.load_file(path)
    except (library.LibraryError, safe_yaml.UnsafeYAMLError) as err:
        raise RateError(f"economics.rates: {err}; available: {available_rate_tables()}") from None
    try:
        first, last = (int(x) for x in data["valid_years"])
        ex = data["extrapolation"]
        if ex.get("method") != "annual_index":
            raise RateError(f"rate table {version}: extrapolation.method must be 'annual_index'")
        known = {int(y): {k: float(v) for k, v in vals.items()} for y, vals in data["known"].items()}
        for y, vals in known.items():
            for k, v in vals.items():
                if k not in RATE_NAMES:
                    raise RateError(f"rate table {version}: known.{y}.{k} is not a rate; allowed: {list(RATE_NAMES)}")
                if not math.isfinite(v) or v <= 0:
                    raise RateError(f"rate table {version}: known.{y}.{k} must be > 0, got {v}")
        stair = tuple((int(s["from_week"]), float(s["share"])) for s in data["refund_staircase"])
    except (KeyError, TypeError) as err:
        raise RateError(f"rate table {version}: missing or malformed field {err}") from None
    if not stair or stair[0][0] != 1 or [s for s, _ in stair] != sorted({s for s, _ in stair}):
        raise RateError(f"rate table {version}: refund_staircase must start at from_week 1 and increase")
    if any(not 0 <= s <= 1 for _, s in stair) or not math.isfinite(float(ex["annual_rate"])):
        raise RateError(f"rate table {version}: refund shares must lie in [0, 1]")
    return RateTable(version, first, last, known, float(ex["annual_rate"]), stair)


def staircase_share(staircase: tuple[tuple[int, float], ...], week):
    """The share of a refund staircase ((from week, share), ...) for week(s) 1, 2, ... (numpy arrays welcome)."""
    import numpy as np

    w = np.asarray(week)
    share = np.zeros(w.shape, dtype=float)
    for start, s in staircase:
        share = np.where(w >= start, s, share)
    return share
