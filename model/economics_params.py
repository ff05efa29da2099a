"""The ``economics:`` section of a scenario: who pays what, at which price (DESIGN §5).

Kept apart from ``economics.py`` (the computation) so that the scenario schema can validate prices
and payer splits at load time, and a bad salary or a split that does not add up is refused with
the field named. Every default without a source is marked as an assumption.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, field_validator

from .strict import FiniteModel

PUBLIC_PAYERS = ("municipality", "state", "region")
PAYERS = PUBLIC_PAYERS + ("employer", "citizen")
ONWARD_STATES = ("ressourceforloeb", "flexjob", "foertidspension", "cash_benefit", "unemployment_insurance",
                 "self_support")


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
    saving: bool = Field(False, description="A saving the effort brings (booked as negative cost), e.g. purchases it "
                         "replaces. Local input")

    @field_validator("years")
    @classmethod
    def _y(cls, v):
        if v is not None and any(y < 1 for y in v):
            raise ValueError(f"years are simulated years counted from 1, got {v}")
        return v


class CostingItem(_Strict):
    item: str = Field(description="Budget item (consultants.<pool>, therapists.<provider>, sessions.<provider>, "
                      "courses.<provider>, fixed.<label>, investment.<line>)")
    why: str = Field(description="Why it is (or is not) a new cost of the effort")
    source: str = Field(description="The seed's own words (file number and quote) or 'assumption'")


class Costing(_Strict):
    """What a seed scenario charges as the NEW cost of the effort against its own baseline, and why (issue 14)."""

    baseline: str = Field(description="The scenario this one is costed against (same arrivals and population)")
    effect: Literal["measured", "assumed"] = Field(
        description="'measured' if the seed reports an outcome for this target group, else 'assumed' (payback is then "
        "printed as conditional on the assumed effect)")
    effect_source: str = Field(description="The seed's words on the outcome, or why none applies")
    new_costs: list[CostingItem] = Field(default_factory=list, description="Items charged as new cost of the effort, each with the seed's words as source. Policy input")
    in_baseline: list[CostingItem] = Field(
        default_factory=list, description="Existing services the effort uses but does not pay for (not charged), each with "
        "the seed's words as source. Policy input")
    funding: str = Field("", description="Funding period and payers as the seed gives them")


FM_DISCOUNT_SOURCE = ("Finansministeriet, Dokumentationsnotat - den samfundsøkonomiske diskonteringsrente, 7 January 2021 "
                      "(3.5% a year in years 0-35, 2.5% in years 36-70; lowered from 4%/3% of 2013)")


class DiscountParams(_Strict):
    rate: float = Field(
        0.035, ge=0, le=0.2, description="Real discount rate a year for present values. Finansministeriet, "
        "Dokumentationsnotat - den samfundsøkonomiske diskonteringsrente (7 January 2021): 3.5% in years 0-35")
    first_year_discounted: bool = Field(
        False, description="Whether simulated year 1 is discounted one year (false: year 1 is year 0 of the "
        "Finansministeriet convention, undiscounted). Policy input")


class TaxParams(_Strict):
    """Tax paid by citizens back at work, and tax paid on benefits (both public revenue, shown as negative cost)."""

    include: bool = Field(True, description="Count tax revenue (a separate, switchable line). Policy input")
    annual_wage_dkk: float = Field(
        400_000, ge=0, description="Annual wage of a citizen back at work (calendar year economics.start_year, indexed "
        "by the rate table's annual rate). Assumption 300,000-500,000: below the OECD average wage for Denmark of about "
        "498,000 DKK in 2023 (Statista, OECD National Accounts), as people on long sick leave earn less than average")
    tax_rate: float = Field(
        0.35, ge=0, le=0.7, description="Average tax rate on wages incl. labour-market contribution. Assumption 0.30-0.45 "
        "(the talent.com Danish tax calculator gives an average rate of 32.8% on 426,400 DKK; secondary)")
    benefit_tax_rate: float = Field(
        0.30, ge=0, le=0.7, description="Average tax rate on benefit payments (no labour-market contribution on "
        "benefits). Assumption 0.25-0.38")
    employment_rate: float = Field(
        0.85, ge=0, le=1, description="Share of the weeks after a return to work spent in paid work (part-time, job "
        "loss). Assumption 0.7-1.0")
    payer: Split = Field(
        default_factory=lambda: {"municipality": 0.5, "state": 0.5},
        description="Who receives the income tax (municipal tax vs labour-market contribution and state bottom tax). "
        "Assumption: about half each for a middle wage")


class OnwardState(_Strict):
    monthly_dkk: float = Field(ge=0, description="Public cost a month per citizen in this state, in calendar year "
                               "rate_year. Public rate tables (bm.dk satser 2024, a-kasse rate pages; secondary), see "
                               "each state's source")
    payer: Split = Field(default_factory=_muni, description="Who pays, before the state refund. Policy input (the "
                         "legal payer: municipality for its benefits, the state for unemployment insurance)")
    refund: bool = Field(True, description="Whether the refund staircase of the rate table applies (refusionsreformen "
                         "2016 covers all these benefits; for unemployment insurance it is the municipality's "
                         "co-financing)")
    source: str = Field("", description="Where the rate comes from")


def _onward_defaults() -> dict[str, OnwardState]:
    return {
        "ressourceforloeb": OnwardState(
            monthly_dkk=13_746, source="resource-course benefit 2024: 12,326 (no children) / 16,382 (children) DKK a "
            "month (DESIGN §5; bm.dk satser 2024 kontanthjælp), mixed 65/35 (assumption)"),
        "flexjob": OnwardState(
            monthly_dkk=11_971, source="flex-wage subsidy at most 98% of the maximum unemployment benefit = 19,952 DKK a "
            "month in 2024 (detfagligehus.dk, secondary); assumption: on average 60% of the maximum"),
        "foertidspension": OnwardState(
            monthly_dkk=20_370, source="disability pension 2024, single: 20,370 DKK a month (seniorhaandbogen.dk, "
            "secondary)"),
        "cash_benefit": OnwardState(
            monthly_dkk=13_746, source="cash benefit 2024, 30+: 12,326 (no children) / 16,382 (children) DKK a month "
            "(detfagligehus.dk, bm.dk satser 2024), mixed 65/35 (assumption)"),
        "unemployment_insurance": OnwardState(
            monthly_dkk=20_359, payer={"state": 1.0}, source="maximum unemployment benefit 2024: 20,359 DKK a month "
            "(aka.dk, fa-k.dk); paid by the unemployment fund on state money, the municipality co-finances by the "
            "refund staircase (lov om kommunernes finansiering af visse offentlige ydelser, L 4 2015)"),
        "self_support": OnwardState(monthly_dkk=0.0, refund=False, source="self-supporting: no public benefit"),
    }


class OnwardParams(_Strict):
    """Cost of the onward states after sickness benefit or jobafklaring (the onward table of a run)."""

    include: bool = Field(True, description="Count the onward states' benefits (a separate, switchable line). Policy input")
    rate_year: int = Field(2024, description="Calendar year of the monthly rates (the 2024 public rate tables); other "
                           "years indexed by the rate table's annual rate (assumption 2.5%)")
    states: dict[str, OnwardState] = Field(default_factory=_onward_defaults,
                                           description="Monthly public cost and payer of each onward state")

    @field_validator("states")
    @classmethod
    def _known(cls, v):
        unknown = set(v) - set(ONWARD_STATES)
        if unknown:
            raise ValueError(f"unknown onward state {sorted(unknown)}; allowed: {list(ONWARD_STATES)}")
        return {**_onward_defaults(), **v}


class BlockGrantParams(_Strict):
    transfer_offset_share: float = Field(
        0.0, ge=0, le=1, description="Share of the municipality's net change in transfer spending that the block grant "
        "takes back (budget guarantee). Approximation: 0 for one municipality's own effort (the grant follows all "
        "municipalities' spending, so one municipality keeps its own saving); near 1 for an effort rolled out in every "
        "municipality. Assumption")


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
    discount: DiscountParams = Field(default_factory=DiscountParams, description="Present values (Finansministeriet)")
    tax: TaxParams = Field(default_factory=TaxParams, description="Tax revenue from citizens back at work")
    onward: OnwardParams = Field(default_factory=OnwardParams, description="Benefits in the onward states")
    block_grant: BlockGrantParams = Field(default_factory=BlockGrantParams,
                                          description="Block-grant adjustment of the municipality's view (approximation)")

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
