"""The ``economics:`` section of a scenario: who pays what, at which price (DESIGN §5).

Kept apart from ``economics.py`` (the computation) so that the scenario schema can validate prices
and payer splits at load time, and a bad salary or a split that does not add up is refused with
the field named. Every default without a source is marked as an assumption.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, field_validator

from .strict import FiniteModel

PUBLIC_PAYERS = ("municipality", "state", "region")
PAYERS = PUBLIC_PAYERS + ("employer", "citizen")


class _Strict(FiniteModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)


def check_split(v: dict[str, float], what: str = "payer") -> dict[str, float]:
    """A payer split: known payers, shares >= 0 that add up to 1."""
    unknown = set(v) - set(PAYERS)
    if unknown:
        raise ValueError(f"unknown {what} {sorted(unknown)}; allowed: {list(PAYERS)}")
    if any(x < 0 for x in v.values()):
        raise ValueError(f"{what} shares must be >= 0, got {v}")
    total = sum(v.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} shares must add up to 1, got {total:.4f} ({v})")
    return {k: float(x) for k, x in v.items() if x > 0}


Split = Annotated[dict[str, float], AfterValidator(check_split)]  # a payer split, checked wherever used


def _muni() -> dict[str, float]:
    return {"municipality": 1.0}


class BenefitParams(_Strict):
    share_at_maximum: float = Field(
        0.8, ge=0, le=1, description="Share of recipients paid the maximum sickness benefit. Assumption (DESIGN §5 "
        "makes it a parameter)")
    below_max_fraction: float = Field(
        0.75, ge=0, le=1, description="Mean benefit of those below the maximum, as a fraction of it. Assumption")
    employer_period_days: float = Field(
        30.0, ge=0, le=365, description="Days the employer pays before the municipality (sygedagpengeloven, DESIGN §4)")
    employer_period_for_unemployed: bool = Field(
        False, description="Whether citizens without a workplace also have an employer period (false: the "
        "municipality pays from day 1). Assumption")
    resource_course_with_children_share: float = Field(
        0.35, ge=0, le=1, description="Share in jobafklaring paid the rate with children. Assumption")
    refund: bool = Field(True, description="Apply the state's refund staircase to the municipality's benefit payments")


class PoolCost(_Strict):
    fte_dkk: float | None = Field(None, ge=0, description="Cost per consultant FTE a year; null = economics.consultant_fte_dkk (assumption, DESIGN §2)")
    payer: Split = Field(default_factory=_muni, description="Who pays this pool's salaries. Policy input")


class ProviderCost(_Strict):
    fte_dkk: float | None = Field(
        None, ge=0, description="Cost per therapist FTE a year (internal providers); null = economics.therapist_fte_dkk (assumption)")
    per_session_dkk: float = Field(0.0, ge=0, description="Fee per treatment session. Local input; psychologist fee roughly 925-1,109 DKK (secondary, DESIGN §2)")
    per_course_dkk: float = Field(0.0, ge=0, description="Fee per course started. Local input")
    payer: Split = Field(default_factory=_muni, description="Who pays this provider. Policy input")


class CostLine(_Strict):
    label: str = Field(description="What the money is for (project management, IT, training ...)")
    dkk: float = Field(ge=0, description="DKK in each year listed")
    years: list[int] | None = Field(None, description="Simulated years 1, 2, ... it falls in; null = every year")
    payer: Split = Field(default_factory=_muni)

    @field_validator("years")
    @classmethod
    def _y(cls, v):
        if v is not None and any(y < 1 for y in v):
            raise ValueError(f"years are simulated years counted from 1, got {v}")
        return v


class Economics(_Strict):
    """Prices and payers of the budget (DESIGN §5). Rates per calendar year come from a rate table."""

    rates: str = Field("dk_rates_v1", description="Rate table in model/rates/ (versioned, with sources)")
    start_year: int = Field(2024, description="Calendar year of simulated year 1. Policy input")
    benefit: BenefitParams = Field(default_factory=BenefitParams)
    consultant_fte_dkk: float = Field(
        625_000, ge=0, description="Consultant FTE cost a year incl. overhead. Assumption 550,000-700,000 (DESIGN §2)")
    therapist_fte_dkk: float = Field(
        700_000, ge=0, description="Therapist / care-manager FTE cost a year incl. overhead. Assumption")
    management_fte_dkk: float = Field(750_000, ge=0, description="Project-management FTE cost a year. Assumption")
    pools: dict[str, PoolCost] = Field(default_factory=dict, description="Per consultant pool: price and payer")
    providers: dict[str, ProviderCost] = Field(default_factory=dict, description="Per treatment provider: prices and payer")
    fixed_costs: list[CostLine] = Field(default_factory=list, description="Recurring or one-off costs by simulated year. Local input")

    @field_validator("rates")
    @classmethod
    def _rates(cls, v):
        from .rate_table import load_rate_table

        load_rate_table(v)  # unknown table -> error naming the available ones
        return v

    def check_years(self, n_years: int) -> None:
        """Raise a clear error when a simulated year falls outside the rate table."""
        from .rate_table import load_rate_table

        t = load_rate_table(self.rates)
        last = self.start_year + n_years - 1
        if self.start_year < t.first_year or last > t.last_year:
            raise ValueError(f"economics.start_year {self.start_year} with {n_years} simulated years needs rates for "
                             f"{self.start_year}-{last}, but rate table {t.version} covers {t.first_year}-{t.last_year}")
