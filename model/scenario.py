"""Scenario schema, YAML loading with ``extends``, dotted overrides and named errors.

A scenario is the whole input of one simulated policy: arrivals, population, allocation, the
three pathways, staff pools, treatment providers, the return-to-work hazard, statutory rules and
relapse. Every rate, distribution and effect lives here, never as a constant in code (DESIGN §4).
Sources are cited in the field descriptions (seed files ``000``–``004`` of shared/seeds, DESIGN.md).
"""
from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from .distributions import Duration
from .economics_params import Costing, Economics
from .errors import ScenarioError
from .investment import Investment
from .investment import check as check_investment
from . import library, safe_yaml
from .parameter_sets import apply_raw, check_no_conflict, point_overrides
from .paths import lookup_path
from .safe_yaml import cut
from .strict import FiniteModel, error_location, error_message

PATHWAYS = ("standard", "uncoordinated", "integrated")
DIAGNOSES = ("depression", "anxiety", "stress", "functional", "personality")
RISKS = ("low", "medium", "high")
# Diagnosis groups in which the trials report (and the evidence says effects differ): IBBIS I ran one trial
# for depression/anxiety (Hoff et al., Occup Environ Med 2022) and one for stress-related disorders (Hoff
# et al., Scand J Work Environ Health 2022;48(5):361-371).
DIAGNOSIS_GROUPS = {"depression_anxiety": ("depression", "anxiety"), "stress_related": ("stress",),
                    "other": ("functional", "personality")}

SCENARIO_DIR = library.shipped("scenarios")   # the top-level scenarios/ folder, shipped as package data


class Strict(FiniteModel):
    # defaults given as plain dicts and lists are validated into their models (validate_default), which the
    # type checker cannot see: those default_factory lines carry a `type: ignore`
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)


Prob = Field(ge=0.0, le=1.0)


def _shares(v: dict[str, float], keys: tuple[str, ...], what: str) -> dict[str, float]:
    unknown = set(v) - set(keys)
    if unknown:
        raise ValueError(f"unknown {what} {sorted(unknown)}; allowed: {list(keys)}")
    if any(x < 0 for x in v.values()):
        raise ValueError(f"{what} shares must be >= 0")
    total = sum(v.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} shares must sum to 1, got {total:.4f}")
    return {k: float(v.get(k, 0.0)) for k in keys}


# --------------------------------------------------------------------------------------------
class Arrivals(Strict):
    mode: Literal["poisson", "cohort"] = Field(
        "poisson", description="poisson: steady stream per week; cohort: a fixed number recruited over a period (trial mode)")
    per_year: float = Field(
        170.0, ge=0, le=50_000, description="Newly sick-listed citizens per year reaching the jobcentre (poisson mode). "
        "Copenhagen IBBIS: 170 integrated courses a year (001). At most 50,000: memory bound (about 4.5 kB per "
        "simulated citizen)")
    cohort_size: int = Field(0, ge=0, le=250_000, description="Citizens recruited in cohort mode. Assumption (trial "
                             "size). At most 250,000: memory bound (about 4.5 kB per simulated citizen)")
    recruit_weeks: int = Field(52, ge=1, description="Weeks over which the cohort is recruited (cohort mode). Assumption")
    entry_spell_week: int = Field(
        4, ge=0, le=52, description="Sickness week at which a citizen reaches the jobcentre; the employer pays "
        "the first 30 days (sygedagpengeloven, DESIGN §4)")


class Population(Strict):
    diagnosis: dict[str, float] = Field(
        default_factory=lambda: {"depression": 0.35, "anxiety": 0.2, "stress": 0.35, "functional": 0.05,
                                 "personality": 0.05},
        description="Diagnosis mix; target group of IBBIS: depression, anxiety, stress, functional "
        "disorders, personality disorders (000). Shares: assumption")
    risk: dict[str, float] = Field(
        default_factory=lambda: {"low": 0.3, "medium": 0.45, "high": 0.25},
        description="Risk-group mix (low/medium/high, 002). Shares: assumption")
    who5_mean: dict[str, float] = Field(
        default_factory=lambda: {"low": 52.0, "medium": 40.0, "high": 28.0},
        description="Mean WHO-5 wellbeing score (0-100) at entry by risk group (Kolding uses WHO-5, 002). Assumption")
    who5_sd: float = Field(12.0, ge=0, description="SD of WHO-5 at entry. Assumption")
    employed_share: float = Field(0.8, ge=0, le=1, description="Share with a workplace (employment attachment). Assumption")
    category1_share: float = Field(
        0.1, ge=0, le=1, description="Share in benefit category 1 (expected back within 8 weeks, 002). Assumption")

    @field_validator("diagnosis")
    @classmethod
    def _diag(cls, v):
        return _shares(v, DIAGNOSES, "diagnosis")

    @field_validator("risk")
    @classmethod
    def _risk(cls, v):
        return _shares(v, RISKS, "risk")

    @field_validator("who5_mean")
    @classmethod
    def _who5(cls, v):
        missing = set(RISKS) - set(v)
        unknown = set(v) - set(RISKS)
        if missing or unknown:
            raise ValueError(f"who5_mean needs exactly the risk groups {list(RISKS)}")
        if any(not 0 <= x <= 100 for x in v.values()):
            raise ValueError("who5_mean values must lie in [0, 100]")
        return v


class Screening(Strict):
    criterion: Literal["who5_below", "risk_in", "category_in"] = Field(
        "who5_below", description="Screening rule: WHO-5 below a threshold (Kolding, 002), risk group, or benefit category")
    who5_threshold: float = Field(50.0, ge=0, le=100, description="WHO-5 score below which a citizen screens positive (Kolding screens with WHO-5, 002; threshold: assumption)")
    risk_groups: list[Literal["low", "medium", "high"]] = Field(
        default_factory=lambda: ["medium", "high"], description="Risk groups that screen positive")  # type: ignore[arg-type]
    categories: list[Literal[1, 2]] = Field(default_factory=lambda: [2], description="Benefit categories that screen positive")  # type: ignore[arg-type]
    positive: Literal["standard", "uncoordinated", "integrated"] = Field("integrated", description="Pathway for a positive screen")
    negative: Literal["standard", "uncoordinated", "integrated"] = Field("standard", description="Pathway for a negative screen")
    suspended_from_year: int | None = Field(
        None, ge=1990, le=2100, description="Calendar year from which the screening tool is suspended (Hjørring "
        "put it 'i bero', 002); null = never. Policy input")
    when_suspended: Literal["standard", "uncoordinated", "integrated"] = Field(
        "integrated", description="Pathway of every newly arrived citizen while the screening is suspended (the "
        "interdisciplinary analysis kept for all, within the places the budget buys). Assumption")


class Allocation(Strict):
    rule: Literal["all", "randomise", "screening"] = Field(
        "all", description="all: everyone to one pathway; randomise: trial arms; screening: by a screening rule")
    pathway: Literal["standard", "uncoordinated", "integrated"] = Field("standard", description="Pathway when rule is 'all'")
    shares: dict[str, float] = Field(
        default_factory=lambda: {"standard": 1.0}, description="Randomisation shares per pathway (rule 'randomise'). Assumption")
    screening: Screening = Field(default_factory=Screening)
    places_per_year: dict[str, int | None] = Field(
        default_factory=dict, description="Funded places per calendar year of simulation in a pathway; "
        "null or absent = unlimited. Copenhagen IBBIS: 170 a year (001)")
    overflow_pathway: Literal["standard", "uncoordinated", "integrated"] = Field(
        "standard", description="Pathway for citizens allocated to a pathway whose places are used up")
    places_by_year: dict[str, list[int]] = Field(
        default_factory=dict, description="Places per simulated year (item 0 = year 1) in a pathway, e.g. set by "
        "an investment; years beyond the list fall back to places_per_year. Policy input")

    def places_cap(self, pathway: str, year: int) -> int | None:
        """Places in ``pathway`` in simulated year ``year`` (0-based); None = unlimited."""
        by_year = self.places_by_year.get(pathway)
        if by_year is not None and year < len(by_year):
            return by_year[year]
        return self.places_per_year.get(pathway)

    @field_validator("shares")
    @classmethod
    def _sh(cls, v):
        return _shares(v, PATHWAYS, "pathway")

    @field_validator("places_by_year")
    @classmethod
    def _places_by_year(cls, v):
        for k, ns in v.items():
            if k not in PATHWAYS:
                raise ValueError(f"unknown pathway {k!r}; allowed: {list(PATHWAYS)}")
            if any(n < 0 for n in ns):
                raise ValueError(f"places_by_year.{k} must be >= 0 in every year, got {ns}")
        return v

    @field_validator("places_per_year")
    @classmethod
    def _places(cls, v):
        for k, n in v.items():
            if k not in PATHWAYS:
                raise ValueError(f"unknown pathway {k!r}; allowed: {list(PATHWAYS)}")
            if n is not None and n < 0:
                raise ValueError(f"places_per_year.{k} must be >= 0 or null (unlimited), got {n}")
        return v


MAX_STAFF = 20_000   # consultants in a pool, therapists at a provider: a model limit (memory), not a fact


class ConsultantPool(Strict):
    count: int = Field(ge=1, le=MAX_STAFF, description="Consultants (FTE) in the pool. Local input; shipped values are "
                       "assumptions. At most 20,000: a model limit, far above any municipality's staff, so that a "
                       "typo cannot ask for memory for billions of consultants")
    caseload_limit: int = Field(
        ge=1, description="Caseload norm per consultant. Seen: ~80 reduced to ~35 in Hjørring (secondary), ~50 "
        "Copenhagen pilot (secondary), <=25 Copenhagen IPS (002), 35-55 union recommendation (secondary)")
    when_full: Literal["queue", "stretch"] = Field(
        "stretch", description="queue: new citizens wait for a consultant; stretch: caseloads exceed the norm and "
        "follow-up intervals stretch in proportion (DESIGN §4)")
    hours_per_week: float | None = Field(
        None, gt=0, description="Meeting hours per consultant per week; null = unlimited. Assumption")
    contact_hours: float = Field(1.0, gt=0, description="Hours one follow-up contact takes. Assumption")
    meeting_hours: float = Field(1.5, gt=0, description="Hours one tripartite meeting takes. Assumption")


class Provider(Strict):
    """A treatment provider: in the jobcentre (therapists with slots) or outside (own waiting time)."""

    kind: Literal["internal", "external"] = Field(
        description="internal: therapists with concurrent slots and a FIFO waiting list; external: unlimited "
        "capacity with an exogenous waiting time (GP-referred psychologist, regional psychiatry)")
    therapists: int = Field(0, ge=0, le=MAX_STAFF, description="Therapists / care managers (internal). Local input; "
                            "shipped values are assumptions. At most 20,000 (model limit, as for consultants)")
    slots_per_therapist: int = Field(0, ge=0, le=100, description="Concurrent treatment courses per therapist (internal). "
                                     "Assumption. At most 100 (model limit)")
    wait: Duration | None = Field(None, description="Waiting time before treatment starts (external). Assumption")

    @model_validator(mode="after")
    def _kind(self):
        if self.kind == "internal" and (self.therapists < 1 or self.slots_per_therapist < 1):
            raise ValueError("an internal provider needs therapists >= 1 and slots_per_therapist >= 1")
        if self.kind == "external" and self.wait is None:
            raise ValueError("an external provider needs a 'wait' distribution")
        return self


class Escalation(Strict):
    probability: float = Field(0.0, ge=0, le=1, description="Share referred on at assessment (psychiatrist, 001)")
    high_risk_only: bool = Field(True, description="Only high-risk citizens are referred on")
    provider: str | None = Field(None, description="Provider that takes referred citizens (e.g. regional_psychiatry)")


class Treatment(Strict):
    uptake: float = Field(1.0, ge=0, le=1, description="Share of citizens in the pathway who get treatment. Assumption")
    trigger: Literal["arrival", "first_contact"] = Field(
        "arrival", description="What starts the referral: arrival at the jobcentre, or the first consultant contact "
        "(standard route: jobcentre first, then GP referral, DESIGN §3)")
    delay: Duration = Field(  # type: ignore[assignment]
        default_factory=lambda: {"dist": "fixed", "weeks": 1},
        description="Weeks from trigger to referral/assessment (e.g. GP referral delay). Assumption")
    provider: str = Field(description="Name of the provider in 'providers'")
    course: Duration = Field(  # type: ignore[assignment]
        default_factory=lambda: {"dist": "lognormal", "mean": 12, "sd": 5, "min_weeks": 2, "max_weeks": 52},
        description="Course length in weeks. At most 12 psychologist sessions per GP referral (secondary)")
    sessions_per_week: float = Field(1.0, ge=0, description="Sessions per week of course. Assumption")
    dropout_weekly: float = Field(0.01, ge=0, le=1, description="Weekly probability of dropping out of treatment. Assumption")
    escalation: Escalation = Field(default_factory=Escalation)


class Meetings(Strict):
    count: int = Field(0, ge=0, description="Tripartite meetings (citizen, consultant, health professional); 2-3 in IBBIS (001)")
    first_week: int = Field(2, ge=0, description="Weeks after arrival of the first meeting. Assumption")
    interval_weeks: int = Field(6, ge=1, description="Weeks between meetings. Assumption")
    sets_job_goal: bool = Field(True, description="The first meeting sets a job goal (001)")


class LateEffect(Strict):
    """The pathway's effect from a given week after allocation on: a time-limited or time-varying effect."""

    from_week: int | None = Field(
        None, ge=1, le=520, description="Weeks after allocation to the pathway (arrival at the jobcentre, or "
        "randomisation in a trial) from which diagnosis_effect below replaces the pathway's diagnosis_effect. "
        "The IBBIS authors read their trial's fading effect as an intervention that 'lasted less than 12 months' "
        "(Hoff et al. J Occup Rehabil 2023;33(3):570-580): an effect that differs during and after the "
        "intervention lets the hazards cross. Null = no change over time; the week chosen is an assumption")
    diagnosis_effect: dict[str, float] = Field(
        default_factory=dict, description="Log-hazard effect on this pathway by diagnosis group from from_week on, "
        "in place of the pathway's diagnosis_effect (added to coordination_effect as that one is). Absent group = "
        "the pathway's diagnosis_effect, unchanged. May be zero or negative; values are fitted or an assumption")

    @field_validator("diagnosis_effect")
    @classmethod
    def _groups(cls, v, info):
        return _diagnosis_groups(v, info.field_name)

    @model_validator(mode="after")
    def _needs_week(self):
        if self.diagnosis_effect and self.from_week is None:
            raise ValueError("late_effect.from_week must be set (weeks after allocation, 1 to 520) when "
                             "late_effect.diagnosis_effect is given")
        return self


class Pathway(Strict):
    consultant_pool: str = Field(description="Consultant pool that follows these citizens")
    first_contact_week: int = Field(
        4, ge=0, description="Weeks after arrival of the first follow-up contact. Statutory: category 2 by the end "
        "of sickness week 8 (DESIGN §4), i.e. 4 weeks after entry at week 4")
    followup_interval_weeks: int = Field(4, ge=1, description="Weeks between follow-up contacts (statutory: at least every 4 weeks, DESIGN §4)")
    fixed_team: bool = Field(False, description="Fixed team of consultant and care manager for the whole spell (001)")
    treatment: Treatment | None = Field(None, description="Treatment route; null = none offered")
    meetings: Meetings = Field(default_factory=Meetings)
    coordination_effect: float = Field(
        0.0, description="Log-hazard effect of coordination not captured by the named levers (shared plan, relational "
        "coordination, 000). May be zero or negative")
    diagnosis_effect: dict[str, float] = Field(
        default_factory=dict, description="Extra log-hazard on this pathway by diagnosis group (depression_anxiety, "
        "stress_related, other), added to coordination_effect: the trials found the integrated effect differs by "
        "diagnosis (IBBIS I: no faster return for depression/anxiety, Hoff et al. OEM 2022; standard care superior "
        "for stress, Hoff et al. SJWEH 2022;48(5):361-371). Absent group = 0. May be zero or negative; values are "
        "fitted (calibration/targets/ibbis1_trials.yaml) or an assumption")
    other_exit_effect: dict[str, float] = Field(
        default_factory=dict, description="Log-effect on this pathway's weekly hazard of leaving sickness benefit "
        "for other reasons (hazard.other_exit_weekly: to unemployment, cash benefit, education, moving away), by "
        "diagnosis group. Negative: fewer citizens leave before they return, so more are in work later without a "
        "faster return (IBBIS I, depression/anxiety: no difference in time to return, more in work at 12 months, "
        "Hoff et al. OEM 2022). Absent group = 0. May be zero, negative or positive; values are fitted "
        "(calibration/targets/ibbis1_trials.yaml) or an assumption")
    late_effect: LateEffect = Field(
        default_factory=LateEffect, description="A different effect from a given week after allocation on "
        "(time-limited or crossing effects); by default none")
    context_log_sd: float = Field(
        0.0, ge=0, le=2, description="Implementation/context factor: SD of a municipality-level random effect on this "
        "pathway's log-hazard, drawn once per replication (one draw shared by all pathways, scaled by each one's SD). "
        "Poulsen et al. SJWEH 2014;40(1):47-56 found HRs 1.51, 1.12 and 0.80 for the same programme in three "
        "municipalities (SD of log HR about 0.32, sampling error included). Default 0 (no spread): assumption")
    aftercare_weeks: int = Field(0, ge=0, description="Weeks of aftercare (efterværn) after return (001)")
    aftercare_relapse_multiplier: float = Field(
        1.0, ge=0, description="Relapse hazard multiplier during aftercare (<1 protects). Assumption")
    aftercare_on_caseload: bool = Field(True, description="Aftercare citizens count on the consultant's caseload")

    @field_validator("diagnosis_effect", "other_exit_effect")
    @classmethod
    def _groups(cls, v, info):
        return _diagnosis_groups(v, info.field_name)


def _diagnosis_groups(v: dict[str, float], field: str | None) -> dict[str, float]:
    """A by-diagnosis-group mapping of log-effects: known groups, finite values."""
    unknown = set(v) - set(DIAGNOSIS_GROUPS)
    if unknown:
        raise ValueError(f"unknown diagnosis group {sorted(unknown)}; allowed: {list(DIAGNOSIS_GROUPS)}")
    if any(not math.isfinite(x) for x in v.values()):
        raise ValueError(f"{field} values must be finite log-hazards")
    return v


class DurationStep(Strict):
    from_week: int = Field(ge=0, description="Sickness week from which the multiplier applies")
    multiplier: float = Field(ge=0, description="Hazard multiplier")


class Effects(Strict):
    """Named log-hazard effects β_k of h = h0·d(week)·exp(Σ β_k·x_k) (DESIGN §4). All may be zero or negative."""

    wellbeing: float = Field(0.15, description="Per 10 WHO-5 points above 50. Assumption")
    treatment_progress: float = Field(0.4, description="Per full course completed (progress 0..1). Assumption")
    recent_contact: float = Field(0.15, description="Consultant contact within the last contact_window_weeks. Assumption")
    job_goal: float = Field(0.25, description="A job goal has been set (001). Size: assumption")
    tripartite_meeting: float = Field(0.1, description="Per tripartite meeting held, up to meeting_cap (001). Size: assumption")
    employed: float = Field(0.3, description="Has a workplace to return to. Assumption")
    category1: float = Field(1.0, description="Benefit category 1 (expected back within 8 weeks, 002). Size: assumption")


class Hazard(Strict):
    baseline_weekly: dict[str, float] = Field(
        default_factory=lambda: {"depression": 0.022, "anxiety": 0.026, "stress": 0.03, "functional": 0.022,
                                 "personality": 0.014},
        description="Baseline weekly return hazard h0 by diagnosis. Assumption, calibrated (DESIGN §6)")
    risk_multiplier: dict[str, float] = Field(
        default_factory=lambda: {"low": 1.4, "medium": 1.0, "high": 0.65},
        description="Hazard multiplier by risk group. Assumption")
    duration_dependence: list[DurationStep] = Field(
        default_factory=lambda: [{"from_week": 0, "multiplier": 1.0}, {"from_week": 26, "multiplier": 0.75},  # type: ignore[arg-type]
                                 {"from_week": 52, "multiplier": 0.5}],
        description="Piecewise multiplier d(sickness week); longer spells return more slowly. Assumption")
    effects: Effects = Field(default_factory=Effects)
    contact_window_weeks: int = Field(4, ge=1, description="A contact counts as recent for this many weeks. Assumption")
    meeting_cap: int = Field(3, ge=0, description="Meetings beyond this add no further effect. Assumption (2-3 meetings in IBBIS, 001)")
    treatment_who5_gain: float = Field(15.0, description="WHO-5 points gained over a full treatment course. Assumption")
    other_exit_weekly: float = Field(0.004, ge=0, le=1, description="Weekly probability of leaving for other reasons "
                                     "(moving, other benefit, education). Assumption")

    @field_validator("baseline_weekly")
    @classmethod
    def _b(cls, v):
        if set(v) != set(DIAGNOSES):
            raise ValueError(f"baseline_weekly needs exactly the diagnoses {list(DIAGNOSES)}")
        if any(x < 0 for x in v.values()):
            raise ValueError("baseline_weekly hazards must be >= 0")
        return v

    @field_validator("risk_multiplier")
    @classmethod
    def _r(cls, v):
        if set(v) != set(RISKS):
            raise ValueError(f"risk_multiplier needs exactly the risk groups {list(RISKS)}")
        if any(x < 0 for x in v.values()):
            raise ValueError("risk multipliers must be >= 0")
        return v

    @field_validator("duration_dependence")
    @classmethod
    def _d(cls, v):
        if not v or v[0].from_week != 0:
            raise ValueError("duration_dependence must start with from_week: 0")
        weeks = [s.from_week for s in v]
        if weeks != sorted(set(weeks)):
            raise ValueError("duration_dependence from_week values must be strictly increasing")
        return v


class Extension(Strict):
    """Judgement calls at reassessment and at each review (§ 27, stk. 1): who qualifies under which ground.
    Which ground a citizen can use follows from the citizen's state; the limits come from the rule table."""

    outside_treatment_share: float = Field(
        0.5, ge=0, le=1, description="Share of citizens without treatment arranged by the jobcentre who are in or waiting "
        "for treatment in the health system (eligible for § 27, stk. 1, nr. 3). Assumption (range 0.2-0.8)")
    nr3_expected_recovery: float = Field(
        0.6, ge=0, le=1, description="Probability that the doctor expects work capacity back within 134 weeks for a citizen "
        "in or waiting for treatment, so that § 27, stk. 1, nr. 3 applies. Assumption (range 0.4-0.9); with the nr. 2 and "
        "nr. 4 defaults about half of those reassessed are extended, as STAR found (about 50% before and after the 2014 "
        "reform, 'forventes rask' and 'afklaring' most used; STAR 2015 via cabiweb.dk)")
    nr2_clarification: float = Field(
        0.2, ge=0, le=1, description="Probability that a citizen not extended under nr. 3 needs work capacity clarified "
        "(§ 27, stk. 1, nr. 2, up to 69 weeks). Assumption (range 0.1-0.5)")
    nr4_rehabilitation_team: float = Field(
        0.1, ge=0, le=1, description="Probability that a citizen extended under neither nr. 2 nor nr. 3 has the case put "
        "to the rehabilitation team (§ 27, stk. 1, nr. 4). Assumption (range 0-0.3)")
    rehabilitation_team_weeks: int = Field(
        8, ge=1, le=52, description="Weeks from the decision to put the case to the rehabilitation team until the "
        "municipality decides on ressourceforløb, flexjob or førtidspension (§ 27, stk. 1, nr. 4). Assumption (range 4-16)")


class Rules(Strict):
    """Statutory rules: the rule table (paragraphs, limits, years) and the judgement calls it leaves open."""

    table: str = Field("dk_rules_v1", description="Versioned rule table in model/rules/ (sygedagpengeloven §§ 24, 27; "
                       "financing act §§ 5-6; 2025 simplification), chosen by economics.start_year. Policy input")
    extension: Extension = Field(default_factory=Extension)
    jobafklaring_hazard_multiplier: float = Field(
        0.5, ge=0, description="Return hazard multiplier while in jobafklaringsforløb. Assumption")
    jobafklaring_max_weeks: int = Field(104, ge=1, description="Longest jobafklaringsforløb before another benefit (2 years). Assumption (not in DESIGN.md; check the law)")


ONWARD_STATES = ("ressourceforloeb", "flexjob", "foertidspension", "cash_benefit", "unemployment_insurance",
                 "self_support")
ONWARD_NEXT = ("at_work",) + ONWARD_STATES


def _onward_shares(v: dict[str, float], keys: tuple[str, ...], what: str) -> dict[str, float]:
    return _shares(v, keys, what)


class OnwardState(Strict):
    mean_weeks: float | None = Field(description="Mean stay (weeks, exponential); null = stays until the horizon. "
                                     "Assumption (defaults in onward.states)")
    next: dict[str, float] = Field(default_factory=dict, description="Where citizens go after the stay: shares over "
                                   "at_work and the onward states. Assumption")

    @field_validator("next")
    @classmethod
    def _n(cls, v):
        return _onward_shares(v, ONWARD_NEXT, "onward next-state") if v else v

    @model_validator(mode="after")
    def _need_next(self):
        if self.mean_weeks is not None and not self.next:
            raise ValueError("an onward state with mean_weeks needs 'next' shares")
        if self.mean_weeks is not None and self.mean_weeks <= 0:
            raise ValueError("mean_weeks must be > 0 (or null)")
        return self


def _default_onward_states():
    return {
        "ressourceforloeb": {"mean_weeks": 130, "next": {"flexjob": 0.35, "foertidspension": 0.25, "at_work": 0.15,
                                                          "cash_benefit": 0.25}},
        "flexjob": {"mean_weeks": None},
        "foertidspension": {"mean_weeks": None},
        "cash_benefit": {"mean_weeks": 52, "next": {"at_work": 0.5, "self_support": 0.2, "ressourceforloeb": 0.3}},
        "unemployment_insurance": {"mean_weeks": 26, "next": {"at_work": 0.75, "cash_benefit": 0.1,
                                                               "self_support": 0.15}},
        "self_support": {"mean_weeks": None},
    }


class Onward(Strict):
    """Where citizens go when sickness benefit or jobafklaring ends without a return to work (issue 12)."""

    enabled: bool = Field(True, description="Simulate onward states; false = citizens leave the model as before. Model setting")
    after_jobafklaring: dict[str, float] = Field(
        default_factory=lambda: {"unemployment_insurance": 0.23, "flexjob": 0.14, "foertidspension": 0.04,
                                 "ressourceforloeb": 0.25, "cash_benefit": 0.14, "self_support": 0.20},
        description="Destinations at the end of jobafklaring. UI 0.23, flexjob 0.14, førtidspension 0.04: status 3 months "
        "after jobafklaring 2014-16 (17/10/3 of the 73% not in work; bm.dk 11 Sep 2017, Jobindsats). The split of the "
        "remaining 0.59 over ressourceforløb, cash benefit and self-support is an assumption")
    after_rehabilitation_team: dict[str, float] = Field(
        default_factory=lambda: {"ressourceforloeb": 0.6, "flexjob": 0.3, "foertidspension": 0.1},
        description="Decisions after the rehabilitation team (§ 27, stk. 1, nr. 4: ressourceforløb, flexjob or "
        "førtidspension). Shares: assumption")
    after_other_exit: dict[str, float] = Field(
        default_factory=lambda: {"self_support": 0.4, "cash_benefit": 0.2, "unemployment_insurance": 0.2,
                                 "ressourceforloeb": 0.1, "foertidspension": 0.05, "flexjob": 0.05},
        description="Destinations of citizens leaving sickness benefit for other reasons. Assumption")
    states: dict[str, OnwardState] = Field(
        default_factory=_default_onward_states,
        description="Stay and next state per onward state. Flexjob, førtidspension and self-support are kept until the "
        "horizon; ressourceforløb 130 weeks (1-5 years by law, mean: assumption); cash benefit 52 and UI 26 weeks. "
        "Durations and next-state shares: assumption")

    @field_validator("after_jobafklaring", "after_other_exit")
    @classmethod
    def _s(cls, v):
        return _onward_shares(v, ONWARD_STATES, "onward destination")

    @field_validator("after_rehabilitation_team")
    @classmethod
    def _r(cls, v):
        return _onward_shares(v, ONWARD_STATES, "onward destination")

    @field_validator("states")
    @classmethod
    def _st(cls, v):
        if set(v) != set(ONWARD_STATES):
            raise ValueError(f"onward.states needs exactly {list(ONWARD_STATES)}")
        return v


class RelapseStep(Strict):
    from_week: int = Field(ge=0, description="Weeks since return")
    weekly: float = Field(ge=0, le=1, description="Weekly re-sick-listing hazard")


class Relapse(Strict):
    hazard: list[RelapseStep] = Field(
        default_factory=lambda: [{"from_week": 0, "weekly": 0.0012}, {"from_week": 156, "weekly": 0.000112}],  # type: ignore[arg-type]
        description="Piecewise re-sick-listing hazard. Default reproduces ~19% within 7 years, 90% of them within "
        "3 years (secondary source, DESIGN §4)")
    max_spells: int = Field(3, ge=1, le=6, description="Spells simulated per citizen (further relapses are not followed). Model setting; assumption")

    @field_validator("hazard")
    @classmethod
    def _h(cls, v):
        if not v or v[0].from_week != 0:
            raise ValueError("relapse.hazard must start with from_week: 0")
        weeks = [s.from_week for s in v]
        if weeks != sorted(set(weeks)):
            raise ValueError("relapse.hazard from_week values must be strictly increasing")
        return v


# --------------------------------------------------------------------------------------------
# Issue 17: a second population beside the sick-listed - citizens on cash benefit (kontanthjælp,
# activity-ready and job-ready) and in ressourceforløb. Off by default; model/cash_benefit.py runs it.
CASH_GROUPS = ("activity_ready", "job_ready", "ressourceforloeb")
CASH_RATES = ("cash_benefit_month", "resource_course_month")


class CashGroup(Strict):
    """One group of the second population: its own arrivals, benefit rate, refund position and hazards."""

    per_year: float = Field(0.0, ge=0, allow_inf_nan=False, description="Newly assessed citizens of this group per "
                            "year reaching the jobcentre (poisson). Local input; shipped values are assumptions")
    risk: dict[str, float] = Field(default_factory=lambda: {"low": 0.2, "medium": 0.4, "high": 0.4},
                                   description="Risk-group mix (used by screening and the risk multiplier). Assumption")
    weekly_to_work: float = Field(0.005, gt=0, lt=1, allow_inf_nan=False, description="Weekly probability of a job "
                                  "for a citizen of the group's mean risk at WHO-5 50 with no lever active (the "
                                  "levers of the pathway act on it as for the sick-listed). Assumption")
    weekly_other_exit: float = Field(0.006, ge=0, lt=1, allow_inf_nan=False, description="Weekly probability of "
                                     "leaving the group otherwise (education, other benefit, moving). Assumption")
    rate: Literal["cash_benefit_month", "resource_course_month"] = Field(
        "cash_benefit_month", description="Benefit rate of the rate table paid to the group: kontanthjælp (aktivloven "
        "§ 25, stk. 2) or ressourceforløbsydelse (paid at the kontanthjælp level)")
    with_children_share: float = Field(0.35, ge=0, le=1, allow_inf_nan=False,
                                       description="Share paid the rate with children (forsørger). Assumption")
    prior_support_weeks: int = Field(52, ge=0, le=520, description="Weeks of public support already had at arrival: "
                                     "the position on the refund staircase (refusion reform 2016). Assumption")
    pathway: str | None = Field(None, description="Pathway the group is followed in; null = the scenario's allocation "
                                "rule (screening, randomisation or all). Policy input")

    @field_validator("risk")
    @classmethod
    def _risk(cls, v):
        return _shares(v, RISKS, "risk")

    @field_validator("pathway")
    @classmethod
    def _pw(cls, v):
        if v is not None and v not in PATHWAYS:
            raise ValueError(f"unknown pathway {v!r}; allowed: {list(PATHWAYS)} or null")
        return v


# Per-group defaults, all ASSUMPTIONS (no public hazard figures found; ranges in docs/economics.md):
# activity-ready: ~12% a year into a job, long prior support; job-ready: ~46% a year; ressourceforløb: ~8%.
CASH_GROUP_DEFAULTS = {
    "activity_ready": {"risk": {"low": 0.0, "medium": 0.3, "high": 0.7}, "weekly_to_work": 0.0025,
                       "weekly_other_exit": 0.008, "prior_support_weeks": 52},
    "job_ready": {"risk": {"low": 0.5, "medium": 0.4, "high": 0.1}, "weekly_to_work": 0.012,
                  "weekly_other_exit": 0.006, "prior_support_weeks": 12},
    "ressourceforloeb": {"risk": {"low": 0.0, "medium": 0.2, "high": 0.8}, "weekly_to_work": 0.0015,
                         "weekly_other_exit": 0.01, "rate": "resource_course_month", "prior_support_weeks": 104},
}


class CashBenefit(Strict):
    """The second population (issue 17): off by default, so every scenario without it is unchanged."""

    enabled: bool = Field(False, description="Simulate citizens on cash benefit and in ressourceforløb beside the "
                          "sick-listed, on the same consultants and treatment capacity. Policy input")
    activity_ready: CashGroup = Field(default_factory=lambda: CashGroup(**CASH_GROUP_DEFAULTS["activity_ready"]),
                                      description="Activity-ready cash-benefit recipients (aktivitetsparate). Assumptions")
    job_ready: CashGroup = Field(default_factory=lambda: CashGroup(**CASH_GROUP_DEFAULTS["job_ready"]),
                                 description="Job-ready cash-benefit recipients (jobparate). Assumptions")
    ressourceforloeb: CashGroup = Field(default_factory=lambda: CashGroup(**CASH_GROUP_DEFAULTS["ressourceforloeb"]),
                                        description="Citizens in ressourceforløb (resource courses). Assumptions")

    @model_validator(mode="before")
    @classmethod
    def _group_defaults(cls, data):
        """A group given in part keeps its own group's defaults for the rest (not the generic CashGroup's)."""
        if isinstance(data, dict):
            data = dict(data)
            for g in CASH_GROUPS:
                if isinstance(data.get(g), dict):
                    data[g] = {**CASH_GROUP_DEFAULTS[g], **data[g]}
        return data

    def groups(self) -> list[tuple[str, CashGroup]]:
        return [(g, getattr(self, g)) for g in CASH_GROUPS]


class Scenario(Strict):
    name: str = Field(description="Scenario name (file stem)")
    description: str = Field("", description="One line for planners (English)")
    description_da: str = Field("", description="The same line in Danish, shown by the app in Danish; empty: the "
                                "English line is shown")
    source: str = Field("", description="Seed files or public sources behind the scenario")
    extends: str | None = Field(None, description="Parent scenario whose fields this one overrides")
    parameters: str | None = Field(
        None, description="Calibrated parameter set applied as overrides at load, e.g. calibrated/copenhagen_ibbis "
        "(calibration/calibrated/*.yaml, written by `rtwsim calibrate`)")
    horizon_weeks: int = Field(156, ge=1, le=1040, description="Simulated weeks. Run setting; default is an assumption")
    warmup_weeks: int = Field(0, ge=0, description="Weeks before spells count in summaries (queues fill up). Run setting; assumption")
    recovery_horizon_weeks: int = Field(52, ge=1, description="Horizon for 'share recovered' (DESIGN §6: default 52)")
    arrivals: Arrivals = Field(default_factory=Arrivals)
    population: Population = Field(default_factory=Population)
    allocation: Allocation = Field(default_factory=Allocation)
    pathways: dict[str, Pathway] = Field(description="Pathway definitions: standard, uncoordinated, integrated")
    consultants: dict[str, ConsultantPool] = Field(description="Consultant pools by name")
    providers: dict[str, Provider] = Field(default_factory=dict, description="Treatment providers by name")
    hazard: Hazard = Field(default_factory=Hazard)
    rules: Rules = Field(default_factory=Rules)
    onward: Onward = Field(default_factory=Onward)
    relapse: Relapse = Field(default_factory=Relapse)
    economics: Economics = Field(default_factory=Economics, description="Prices, payers and rate table of the budget "
                                 "(model/economics_params.py, DESIGN §5)")
    investment: Investment | None = Field(None, description="An investment plan converted to staff and places "
                                          "when run (model/investment.py, resolve); null = none")
    costing: Costing | None = Field(None, description="What a seed scenario charges as new cost against its own "
                                    "baseline, and why, with the seed's words (docs/economics.md). Policy input")
    cash_benefit: CashBenefit = Field(default_factory=CashBenefit, description="Second population: cash-benefit "
                                      "recipients and ressourceforløb (model/cash_benefit.py, issue 17); off by default")

    @model_validator(mode="after")
    def _refs(self):
        unknown = set(self.pathways) - set(PATHWAYS)
        if unknown:
            raise ValueError(f"unknown pathway {sorted(unknown)} in 'pathways'; allowed: {list(PATHWAYS)}")
        if self.cash_benefit.enabled:
            for g, grp in self.cash_benefit.groups():
                if grp.pathway is not None and grp.pathway not in self.pathways:
                    raise ValueError(f"cash_benefit.{g}.pathway {grp.pathway!r} is not defined in 'pathways'; "
                                     f"defined: {sorted(self.pathways)}")
        used = self.used_pathways()
        for p in used:
            if p not in self.pathways:
                raise ValueError(f"pathway {p!r} is used by the allocation but not defined in 'pathways'")
        for pname, pw in self.pathways.items():
            if pw.consultant_pool not in self.consultants:
                raise ValueError(f"pathways.{pname}.consultant_pool {pw.consultant_pool!r} is not a consultant pool; "
                                 f"defined: {sorted(self.consultants)}")
            if pw.treatment is not None:
                for prov in (pw.treatment.provider, pw.treatment.escalation.provider):
                    if prov is not None and prov not in self.providers:
                        raise ValueError(f"pathways.{pname}.treatment names provider {prov!r}; defined: {sorted(self.providers)}")
                if pw.treatment.escalation.probability > 0 and pw.treatment.escalation.provider is None:
                    raise ValueError(f"pathways.{pname}.treatment.escalation needs a provider when probability > 0")
        if self.warmup_weeks >= self.horizon_weeks:
            raise ValueError(f"warmup_weeks ({self.warmup_weeks}) must be below horizon_weeks ({self.horizon_weeks})")
        if self.arrivals.mode == "cohort" and self.arrivals.cohort_size < 1:
            raise ValueError("arrivals.cohort_size must be >= 1 in cohort mode")
        for kind, names, defined in (("pools", self.economics.pools, self.consultants),
                                     ("providers", self.economics.providers, self.providers)):
            for n in names:
                if n not in defined:
                    raise ValueError(f"economics.{kind}.{n}: no such {kind[:-1]}; defined: {sorted(defined)}")
        self.economics.check_years(math.ceil(self.horizon_weeks / 52))
        from .rules import RuleError, rules_for

        try:
            rules_for(self)
        except RuleError as err:
            raise ValueError(str(err)) from None
        check_investment(self)   # applied only by model.investment.resolve (run calls it): a scenario stays a value
        return self

    def used_pathways(self) -> list[str]:
        a = self.allocation
        used: set[str]
        if a.rule == "all":
            used = {a.pathway}
        elif a.rule == "randomise":
            used = {k for k, v in a.shares.items() if v > 0}
        else:
            used = {a.screening.positive, a.screening.negative}
            if a.screening.suspended_from_year is not None:
                used.add(a.screening.when_suspended)
        if self.cash_benefit.enabled:
            used |= {g.pathway for _, g in self.cash_benefit.groups() if g.pathway is not None}
        if any(a.places_per_year.get(p) is not None or p in a.places_by_year for p in used):
            used.add(a.overflow_pathway)
        return [p for p in PATHWAYS if p in used]

    # ---- overrides -------------------------------------------------------------------------
    def get_path(self, path: str) -> Any:
        found, node, missing = lookup_path(self.model_dump(by_alias=True), path)
        if not found:
            raise ScenarioError(f"scenario {self.name!r}: unknown parameter path {path!r} (no {missing!r}; "
                                f"allowed here: {_keys(node)})")
        return node

    def with_overrides(self, overrides: dict[str, Any], where: str = "with overrides") -> "Scenario":
        """A new validated scenario with dotted-path values replaced (app levers, calibration, SALib);
        ``where`` names the change in an error message."""
        data = self.model_dump(by_alias=True)
        for path, value in overrides.items():
            _set_path(data, path, value, self.name)
        return _validate(data, f"{self.name} ({where})")

    def to_yaml(self) -> str:
        data = self.model_dump(by_alias=True, exclude_none=False)
        data.pop("extends", None)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return sorted(node)
    if isinstance(node, list):
        return [str(i) for i in range(len(node))]
    return []


def _set_path(data: dict, path: str, value: Any, name: str) -> None:
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, dict) and isinstance(node.get(part), (dict, list)):
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise ScenarioError(f"scenario {name!r}: unknown parameter path {path!r} (no {part!r}; allowed here: {_keys(node)})")
    last = parts[-1]
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    elif isinstance(node, dict) and (last in node or _open_dict(path)):
        node[last] = value
    else:
        raise ScenarioError(f"scenario {name!r}: unknown parameter path {path!r} (no {last!r}; allowed here: {_keys(node)})")


def _open_dict(path: str) -> bool:
    """Dict-valued fields whose keys are free (places, pools, providers, economics)."""
    return (path.split(".")[0] in {"economics"} or ".places_per_year." in f".{path}"
            or ".diagnosis_effect." in f".{path}" or ".other_exit_effect." in f".{path}")


def _deep_merge(base: dict, over: dict) -> dict:
    """The child's fields over the parent's, section by section. A mapping with a ``dist`` key is a
    whole distribution and replaces the parent's: ``{dist: fixed, weeks: 2}`` over a lognormal must not
    keep the lognormal's ``mean``/``sd``."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and "dist" not in v:
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _format_error(err: ValidationError, where: str) -> str:
    lines = [f"invalid scenario {where}:"]
    for e in err.errors():
        loc = ".".join(str(x) for x in error_location(e) if not (isinstance(x, str) and x in {"fixed", "geometric", "lognormal", "empirical"})) or "(top level)"
        msg = error_message(e)
        if e["type"] == "extra_forbidden":
            msg = "unknown field (not part of the scenario schema; check spelling)"
        elif e["type"] == "finite_number":
            msg = "must be a finite number (NaN and infinity are not numbers a simulation can use)"
        ctx = e.get("ctx") or {}
        if "ge" in ctx or "gt" in ctx or "le" in ctx or "lt" in ctx:
            bounds = ", ".join(f"{k} {v}" for k, v in ctx.items() if k in {"ge", "gt", "le", "lt"})
            msg = f"{msg} (allowed: {bounds.replace('ge', '>=').replace('gt', '>').replace('le', '<=').replace('lt', '<')})"
        # never echo more of the input than a value: a merged file must not be shown on a page
        shown = "input" in e and not isinstance(e.get("input"), (dict, list)) and e["type"] != "unusable_number"
        lines.append(f"  - {loc}: {msg}; got {cut(repr(e['input']), 60)}" if shown else f"  - {loc}: {msg}")
        if len(lines) > 40:
            lines.append(f"  ... and {len(err.errors()) - 40} more")
            break
    return "\n".join(lines)


def _validate(data: dict, where: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(_format_error(err, where)) from None


def _resolve_file(name_or_path: str | Path, folder: Path | None = None, allow_path: bool = True) -> Path:
    """A scenario file through the library boundary (model/library.py): a library name, a file
    beside ``folder`` (for ``extends``), or with ``allow_path`` an explicit path to a YAML file."""
    try:
        return library.resolve(name_or_path, SCENARIO_DIR, "scenario", folder=folder, allow_path=allow_path)
    except library.LibraryError as err:
        raise ScenarioError(str(err)) from None


def _read_yaml(path: Path) -> Any:
    try:
        return safe_yaml.load_file(path)
    except safe_yaml.UnsafeYAMLError as err:
        raise ScenarioError(f"scenario file {path.name}: {err}") from None


def read_raw(name_or_path: str | Path, _seen: tuple[Path, ...] = (), *, folder: Path | None = None,
             allow_path: bool = True) -> tuple[dict, Path]:
    """The scenario's YAML as a dict with ``extends`` resolved (parents merged under it).

    ``extends`` names a library scenario or a file beside this one, never an arbitrary path.
    """
    path = _resolve_file(name_or_path, folder, allow_path)
    key = path.resolve()
    if key in _seen:
        raise ScenarioError(f"scenario file {path.name}: 'extends' forms a cycle "
                            f"({' -> '.join(p.name for p in _seen + (key,))})")
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario file {path.name}: expected a mapping of fields at the top level, got {type(data).__name__}")
    data.setdefault("name", path.stem)
    own_params = (data, data.get("parameters"))
    parent = data.get("extends")
    if parent:
        base, _ = read_raw(parent, _seen + (key,), folder=path.parent, allow_path=False)
        for k in ("description", "description_da", "source"):
            base.pop(k, None)
        data = _deep_merge(base, data)
    return _apply_parameters(data, own_params, path.name, path.parent), path


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario by name (from ``scenarios/``) or by file path."""
    data, path = read_raw(name_or_path)
    return _validate(data, f"file {path.name}")


def scenario_from_dict(data: dict, where: str = "(in memory)") -> Scenario:
    """Validate a scenario given as a dict (uploads in the app, notebooks); ``extends`` is honoured."""
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario {where}: expected a mapping of fields, got {type(data).__name__}")
    own_params = (data, data.get("parameters"))
    parent = data.get("extends")
    if parent:  # an upload may extend a library scenario only, never a file on the server
        base, _ = read_raw(parent, folder=None, allow_path=False)
        for k in ("description", "description_da", "source"):
            base.pop(k, None)
        data = _deep_merge(base, data)
    data.setdefault("name", "uploaded")
    return _validate(_apply_parameters(data, own_params, where, None), where)


def _apply_parameters(data: dict, own_params: tuple[dict, Any], where: str, folder: Path | None) -> dict:
    """Apply ``parameters: calibrated/<name>`` named in this file (not inherited: parents applied theirs)."""
    own, ref = own_params
    if ref is None:
        return data
    overrides = point_overrides(ref, folder)
    check_no_conflict(own, overrides, where, str(ref))
    return apply_raw(data, overrides, str(ref))


def list_scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def list_scenarios() -> list[tuple[str, str]]:
    """(name, one-line description) for every scenario file."""
    out = []
    for name in list_scenario_names():
        try:
            data, _ = read_raw(name)
            out.append((name, str(data.get("description", "")).strip().splitlines()[0] if data.get("description") else ""))
        except ScenarioError as err:
            out.append((name, f"INVALID: {str(err).splitlines()[0]}"))
    return out


def isfinite_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
