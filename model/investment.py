"""An investment written the way a budget is written, converted to staff, capacity and places.

"125 mio. DKK over 2015-2018, 60% to lower caseloads, 40% to health staff" becomes, per calendar
year, DKK per budget line -> FTE (DKK / cost per FTE) -> consultants in a pool and therapists at a
provider -> places a year in the funded pathway. The scenario's counts are *set* from the
investment (idempotent, so a re-validated scenario is not funded twice). DESIGN §5.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .economics_params import Split
from .strict import FiniteModel

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Scenario

LINES = ("consultants", "health_staff", "treatment", "management", "other")
MAX_YEARS = 20  # horizon_weeks <= 1040


class Investment(FiniteModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)

    label: str = Field("", description="How the budget names it")
    total_dkk: float | None = Field(None, ge=0, description="Total DKK over 'years' (alternative: per_year_dkk). Policy input")
    years: list[int] = Field(default_factory=list, description="Calendar years the total is spent in. Policy input")
    year_shares: list[float] | None = Field(None, description="Share of the total per year; null = even. Policy input")
    per_year_dkk: dict[int, float] | None = Field(None, description="DKK per calendar year (alternative to total_dkk). Policy input")
    share_for_target_group: float = Field(
        1.0, gt=0, le=1, description="Share of the stated money spent on the simulated target group (sick-listed with "
        "mental disorders); below 1 when the investment also covered other groups. Assumption")
    split: dict[str, float] = Field(description=f"Share of each year's budget per line; lines {list(LINES)}; sums to 1. Policy input")
    pathway: Literal["standard", "uncoordinated", "integrated"] = Field(
        "integrated", description="Pathway whose places the investment funds")
    consultant_pool: str | None = Field(None, description="Pool the consultant line staffs; null = the pathway's pool")
    provider: str | None = Field(None, description="Provider the health-staff line staffs; null = the pathway's provider")
    place_weeks: float = Field(
        30.0, gt=0, description="Mean weeks one citizen holds a caseload place (spell + aftercare). Assumption")
    course_price_dkk: float = Field(
        15_000.0, gt=0, description="Price of one purchased treatment course (treatment line). Assumption")
    payer: Split = Field(default_factory=lambda: {"municipality": 1.0}, description="Who pays the investment. Policy input")
    after_end: Literal["stop"] = Field("stop", description="No new places after the last funded year; "
                                       "citizens already in the pathway finish it (wind-down cost charged by use)")

    @field_validator("split")
    @classmethod
    def _split(cls, v):
        unknown = set(v) - set(LINES)
        if unknown:
            raise ValueError(f"unknown budget line {sorted(unknown)}; allowed: {list(LINES)}")
        if any(x < 0 for x in v.values()):
            raise ValueError(f"split shares must be >= 0, got {v}")
        total = sum(v.values())
        if abs(total - 1) > 1e-6:
            raise ValueError(f"split shares must add up to 1, got {total:.4f} ({v})")
        return {k: float(v.get(k, 0.0)) for k in LINES}

    @model_validator(mode="after")
    def _amounts(self):
        if (self.total_dkk is None) == (self.per_year_dkk is None):
            raise ValueError("give either total_dkk with years, or per_year_dkk (not both, not neither)")
        if self.total_dkk is not None:
            if not self.years:
                raise ValueError("total_dkk needs 'years' (calendar years it is spent in)")
            if len(set(self.years)) != len(self.years):
                raise ValueError(f"years must not repeat, got {self.years}")
            if self.year_shares is not None:
                if len(self.year_shares) != len(self.years):
                    raise ValueError(f"year_shares needs one share per year ({len(self.years)}), got {len(self.year_shares)}")
                if any(x < 0 for x in self.year_shares) or abs(sum(self.year_shares) - 1) > 1e-6:
                    raise ValueError(f"year_shares must be >= 0 and add up to 1, got {self.year_shares}")
        elif any(x < 0 for x in self.per_year_dkk.values()):
            raise ValueError("per_year_dkk amounts must be >= 0")
        return self

    # ---- money per year and line -----------------------------------------------------------
    def dkk_by_year(self) -> dict[int, float]:
        if self.per_year_dkk is not None:
            return {int(y): float(v) * self.share_for_target_group for y, v in sorted(self.per_year_dkk.items())}
        shares = self.year_shares or [1 / len(self.years)] * len(self.years)
        return {int(y): self.total_dkk * self.share_for_target_group * s for y, s in zip(self.years, shares)}

    def line_dkk(self, line: str, year: int) -> float:
        return self.dkk_by_year().get(year, 0.0) * self.split[line]

    def funded_years(self) -> list[int]:
        return [y for y, v in self.dkk_by_year().items() if v > 0]


def _pool_and_provider(inv: Investment, sc: "Scenario") -> tuple[str, str | None]:
    pw = sc.pathways.get(inv.pathway)
    if pw is None:
        raise ValueError(f"investment.pathway {inv.pathway!r} is not defined in 'pathways'; defined: {sorted(sc.pathways)}")
    pool = inv.consultant_pool or pw.consultant_pool
    if pool not in sc.consultants:
        raise ValueError(f"investment.consultant_pool {pool!r} is not a consultant pool; defined: {sorted(sc.consultants)}")
    prov = inv.provider or (pw.treatment.provider if pw.treatment else None)
    if inv.split["health_staff"] > 0:
        if prov is None or prov not in sc.providers:
            raise ValueError(f"investment.provider {prov!r} is not a provider; defined: {sorted(sc.providers)}")
        if sc.providers[prov].kind != "internal":
            raise ValueError(f"investment.provider {prov!r} must be an internal provider to take health staff")
    return pool, prov


def conversion(sc: "Scenario") -> list[dict]:
    """What the investment buys, per calendar year: DKK per line, FTE, and places a year in the pathway."""
    inv = sc.investment
    if inv is None:
        return []
    eco = sc.economics
    pool_name, prov_name = _pool_and_provider(inv, sc)
    pool = sc.consultants[pool_name]
    pw = sc.pathways[inv.pathway]
    rows = []
    for year in inv.funded_years():
        d = {line: inv.line_dkk(line, year) for line in LINES}
        pool_cost = eco.pools.get(pool_name)
        c_fte_price = pool_cost.fte_dkk if pool_cost and pool_cost.fte_dkk is not None else eco.consultant_fte_dkk
        prov_cost = eco.providers.get(prov_name) if prov_name else None
        t_fte_price = prov_cost.fte_dkk if prov_cost and prov_cost.fte_dkk is not None else eco.therapist_fte_dkk
        c_fte = d["consultants"] / c_fte_price if c_fte_price > 0 else 0.0
        t_fte = d["health_staff"] / t_fte_price if t_fte_price > 0 else 0.0
        m_fte = d["management"] / eco.management_fte_dkk if eco.management_fte_dkk > 0 else 0.0
        limits = {}
        if d["consultants"] > 0:
            limits["consultants"] = c_fte * pool.caseload_limit * 52 / inv.place_weeks
        if d["health_staff"] > 0 and pw.treatment is not None:
            prov = sc.providers[prov_name]
            course = pw.treatment.course.mean_weeks()
            uptake = max(pw.treatment.uptake, 1e-9)
            limits["health_staff"] = t_fte * prov.slots_per_therapist * 52 / course / uptake
        if d["treatment"] > 0 and pw.treatment is not None:
            limits["treatment"] = d["treatment"] / inv.course_price_dkk / max(pw.treatment.uptake, 1e-9)
        places = int(math.floor(min(limits.values()))) if limits else None
        rows.append({"year": year, "dkk": sum(d.values()), **{f"dkk.{k}": v for k, v in d.items()},
                     "consultant_fte": c_fte, "therapist_fte": t_fte, "management_fte": m_fte,
                     "consultant_pool": pool_name, "provider": prov_name,
                     "caseload_places": pool.caseload_limit * c_fte,
                     "treatment_slots": t_fte * (sc.providers[prov_name].slots_per_therapist if prov_name else 0),
                     "places_per_year": places,
                     "binding_line": min(limits, key=limits.get) if limits else ""})
    return rows


def apply_investment(sc: "Scenario") -> None:
    """Set pool and provider staffing and yearly places from the investment (idempotent, in place)."""
    inv = sc.investment
    if inv is None:
        return
    rows = conversion(sc)
    if not rows:
        return
    by_year = {r["year"]: r for r in rows}
    if inv.split["consultants"] > 0:
        fte = sum(r["consultant_fte"] for r in rows) / len(rows)
        sc.consultants[rows[0]["consultant_pool"]].count = max(1, round(fte))
    if inv.split["health_staff"] > 0:
        fte = sum(r["therapist_fte"] for r in rows) / len(rows)
        sc.providers[rows[0]["provider"]].therapists = max(1, round(fte))
    start = sc.economics.start_year
    places = []
    for k in range(MAX_YEARS):
        r = by_year.get(start + k)
        places.append(0 if r is None else (r["places_per_year"] if r["places_per_year"] is not None else 10**9))
    sc.allocation.places_by_year[inv.pathway] = places
