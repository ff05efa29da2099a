"""An investment plan written the way a budget is written, converted to staff, capacity and places.

"125 mio. DKK over 2015-2018, 60% to lower caseloads, 40% to health staff" becomes, per calendar
year, DKK per budget line -> FTE (DKK / cost per FTE) -> consultants in a pool and therapists at a
provider -> places a year in the funded pathway. DESIGN §5.

A plan is data: the ``investment:`` block of a scenario (``Investment``), validated on its own and
checked against the scenario when the scenario is validated (``check``), but applied only by the
explicit verb ``resolve(scenario) -> scenario``, which ``model.run`` calls. Applying a plan
*replaces* the levers it sets: the funded pathway's own consultant pool and in-house provider get
exactly the staff the plan buys (``whole_fte``, the one rounding rule, used for the table and the
simulation alike), never the file's placeholder counts plus the plan. A line that buys no staff
leaves the funded pathway on the standard pathway's pool or treatment (existing staff, no extra
cost). A scenario without an ``investment:`` block gets none.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

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
        "mental disorders); below 1 when the investment also covered other groups (say why in "
        "target_group_reason). Default: the whole budget. Assumption")
    target_group_reason: str = Field(
        "", description="Why only part of the budget reaches the modelled group; required when "
        "share_for_target_group < 1. Policy input")
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
        if self.share_for_target_group < 1 and not self.target_group_reason.strip():
            raise ValueError(f"share_for_target_group {self.share_for_target_group:g} < 1 needs a "
                             "target_group_reason (why only part of the budget reaches the modelled group); "
                             "the default is the whole budget (1.0)")
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


def whole_fte(fte: float) -> int:
    """The one rounding rule: FTE bought -> whole staff simulated, to the nearest person, half up (0.5 -> 1).

    Used for the table the planner sees and for the simulated pool and provider alike."""
    return int(math.floor(fte + 0.5 + 1e-9))


def _fte_prices(inv: Investment, sc: "Scenario", pool: str, prov: str | None) -> tuple[float, float]:
    eco = sc.economics
    pc = eco.pools.get(pool)
    c_price = pc.fte_dkk if pc and pc.fte_dkk is not None else eco.consultant_fte_dkk
    vc = eco.providers.get(prov) if prov else None
    t_price = vc.fte_dkk if vc and vc.fte_dkk is not None else eco.therapist_fte_dkk
    return c_price, t_price


def targets(sc: "Scenario") -> dict:
    """Where the plan's money goes: the funded pathway's own pool and in-house provider, and the fallbacks.

    A plan buys the *whole* staff of the pool (and in-house provider) it funds, so these must serve
    no other pathway; a line that buys no staff leaves the funded pathway on the standard pathway's
    pool or treatment provider (existing staff, charged in the baseline too)."""
    inv = sc.investment
    pw = sc.pathways.get(inv.pathway)
    if pw is None:
        raise ValueError(f"investment.pathway {inv.pathway!r} is not defined in 'pathways'; defined: {sorted(sc.pathways)}")
    pool = inv.consultant_pool or pw.consultant_pool
    if pool not in sc.consultants:
        raise ValueError(f"investment.consultant_pool {pool!r} is not a consultant pool; defined: {sorted(sc.consultants)}")
    others = sorted(p for p, q in sc.pathways.items() if p != inv.pathway and q.consultant_pool == pool)
    if others:
        raise ValueError(f"investment.pathway {inv.pathway!r}: its consultant pool {pool!r} also serves pathway(s) "
                         f"{others}; a plan buys the whole staff of the pool it funds, so fund a pathway with a pool of "
                         "its own (e.g. 'integrated') or name one in investment.consultant_pool")
    prov = inv.provider or (pw.treatment.provider if pw.treatment else None)
    in_house = prov is not None and prov in sc.providers and sc.providers[prov].kind == "internal"
    if inv.split["health_staff"] > 0:
        if prov is None or prov not in sc.providers:
            raise ValueError(f"investment.provider {prov!r} is not a provider; defined: {sorted(sc.providers)}")
        if not in_house:
            raise ValueError(f"investment.provider {prov!r} must be an internal provider to take health staff "
                             f"(split.health_staff > 0); internal providers: "
                             f"{sorted(n for n, v in sc.providers.items() if v.kind == 'internal')}")
    if in_house:
        users = sorted(p for p, q in sc.pathways.items() if p != inv.pathway and q.treatment is not None
                       and prov in (q.treatment.provider, q.treatment.escalation.provider))
        if users:
            raise ValueError(f"investment.provider {prov!r} also treats pathway(s) {users}; a plan staffs a provider "
                             "of its own (name one in investment.provider)")
    std = sc.pathways.get("standard") if inv.pathway != "standard" else None
    return {"pool": pool, "provider": prov if in_house else None,
            "fallback_pool": std.consultant_pool if std is not None else None,
            "fallback_provider": std.treatment.provider if std is not None and std.treatment is not None else None}


def conversion(sc: "Scenario") -> list[dict]:
    """What the plan buys, per calendar year: DKK per line, FTE bought, staff simulated and places a year.

    Staff are constant over a run: the mean FTE of the funded years, rounded by ``whole_fte``; places
    follow from the simulated staff, so the table and the run agree."""
    inv = sc.investment
    if inv is None:
        return []
    eco = sc.economics
    tg = targets(sc)
    pool_name, prov_name = tg["pool"], tg["provider"]
    pool = sc.consultants[pool_name]
    pw = sc.pathways[inv.pathway]
    c_price, t_price = _fte_prices(inv, sc, pool_name, prov_name)
    years = inv.funded_years()
    if not years:
        return []
    c_fte = {y: inv.line_dkk("consultants", y) / c_price if c_price > 0 else 0.0 for y in years}
    t_fte = {y: inv.line_dkk("health_staff", y) / t_price if t_price > 0 else 0.0 for y in years}
    n_c = whole_fte(sum(c_fte.values()) / len(years))
    n_t = whole_fte(sum(t_fte.values()) / len(years)) if prov_name else 0
    if n_c == 0 and tg["fallback_pool"] is None:
        raise ValueError(f"investment: the plan buys no consultants for pathway {inv.pathway!r} "
                         f"({sum(c_fte.values()) / len(years):.2f} FTE rounds to 0) and there is no standard pathway "
                         "whose consultants could follow its citizens; give the consultant line at least half an FTE")
    slots = sc.providers[prov_name].slots_per_therapist if prov_name else 0
    rows = []
    for year in years:
        d = {line: inv.line_dkk(line, year) for line in LINES}
        limits = {}
        if n_c > 0:
            limits["consultants"] = n_c * pool.caseload_limit * 52 / inv.place_weeks
        if n_t > 0 and pw.treatment is not None:
            limits["health_staff"] = n_t * slots * 52 / pw.treatment.course.mean_weeks() / max(pw.treatment.uptake, 1e-9)
        if d["treatment"] > 0 and pw.treatment is not None:
            limits["treatment"] = d["treatment"] / inv.course_price_dkk / max(pw.treatment.uptake, 1e-9)
        places = int(math.floor(min(limits.values()) + 1e-9)) if limits else None
        rows.append({"year": year, "dkk": sum(d.values()), **{f"dkk.{k}": v for k, v in d.items()},
                     "consultant_fte": c_fte[year], "therapist_fte": t_fte[year],
                     "management_fte": d["management"] / eco.management_fte_dkk if eco.management_fte_dkk > 0 else 0.0,
                     "consultants_simulated": n_c, "therapists_simulated": n_t,
                     "consultant_pool": pool_name if n_c > 0 else tg["fallback_pool"], "provider": prov_name,
                     "caseload_places": n_c * pool.caseload_limit, "treatment_slots": n_t * slots,
                     "places_per_year": places,
                     "binding_line": min(limits, key=limits.get) if limits else ""})
    return rows


def check(sc: "Scenario") -> None:
    """Raise ValueError when the plan cannot be applied to this scenario (the scenario is not changed).

    Called from ``Scenario`` validation so a bad plan is refused at load, with the field named."""
    inv = sc.investment
    if inv is None:
        return
    from .rate_table import load_rate_table

    table = load_rate_table(sc.economics.rates)
    first = sc.economics.start_year
    for y in inv.funded_years():
        if y < table.first_year or y > table.last_year:
            raise ValueError(f"investment year {y} is outside rate table {table.version} ({table.first_year}-"
                             f"{table.last_year}); choose funded years within it")
        if y < first:
            raise ValueError(f"investment year {y} is before the first simulated year (economics.start_year {first}); "
                             f"start the plan in {first} or later, or move economics.start_year")
    tg = targets(sc)
    c_price, t_price = _fte_prices(inv, sc, tg["pool"], tg["provider"])
    staffed = {"consultants": c_price, "health_staff": t_price}
    prices = [p for line, p in staffed.items() if inv.split[line] > 0 and (line != "health_staff" or tg["provider"])]
    for y, dkk in inv.dkk_by_year().items():
        if prices and 0 < dkk < min(prices):
            raise ValueError(f"investment budget {dkk:,.0f} DKK in {y} for the modelled group is below one FTE "
                             f"({min(prices):,.0f} DKK); raise the budget (or the target-group share)")
    conversion(sc)


def plan_notes(sc: "Scenario") -> list[str]:
    """Plain-language notes on what the plan does (shown next to the table; no effect on the run)."""
    inv = sc.investment
    if inv is None:
        return []
    out = []
    rows = conversion(sc)
    tg = targets(sc)
    if rows:
        r = rows[0]
        if r["consultants_simulated"] == 0:
            out.append(f"no consultants bought (consultant FTE {r['consultant_fte']:.2f} rounds to 0): the funded "
                       f"pathway's citizens are followed by the existing pool {tg['fallback_pool']!r}")
        if tg["provider"] and r["therapists_simulated"] == 0:
            out.append(f"no health staff bought (therapist FTE {r['therapist_fte']:.2f} rounds to 0): the funded "
                       f"pathway refers to {tg['fallback_provider']!r} instead of {tg['provider']!r}")
    if inv.pathway not in sc.used_pathways():
        out.append(f"no citizen is allocated to the funded pathway {inv.pathway!r} (allocation rule "
                   f"{sc.allocation.rule!r}); the plan buys staff that nobody uses")
    if inv.share_for_target_group < 1:
        out.append(f"only {inv.share_for_target_group:.0%} of the budget is counted for the modelled group: "
                   f"{inv.target_group_reason}")
    return out


def resolve(sc: "Scenario") -> "Scenario":
    """The scenario with its plan applied (a new value; idempotent): the staff the plan buys replace the
    funded pool's and provider's counts, and ``allocation.places_by_year`` limits the funded pathway."""
    inv = sc.investment
    if inv is None:
        return sc
    rows = conversion(sc)
    if not rows:
        return sc
    tg = targets(sc)
    pw = f"pathways.{inv.pathway}"
    over: dict[str, object] = {"investment.consultant_pool": tg["pool"]}
    n_c, n_t = rows[0]["consultants_simulated"], rows[0]["therapists_simulated"]
    if n_c > 0:
        over[f"consultants.{tg['pool']}.count"] = n_c
        over[f"{pw}.consultant_pool"] = tg["pool"]
    else:
        over[f"{pw}.consultant_pool"] = tg["fallback_pool"]
    if tg["provider"]:
        over["investment.provider"] = tg["provider"]
        if n_t > 0:
            over[f"providers.{tg['provider']}.therapists"] = n_t
            over[f"{pw}.treatment.provider"] = tg["provider"]
        elif tg["fallback_provider"]:
            over[f"{pw}.treatment.provider"] = tg["fallback_provider"]
        else:
            over[f"{pw}.treatment"] = None
    by_year = {r["year"]: r for r in rows}
    start = sc.economics.start_year
    places = []
    for k in range(MAX_YEARS):
        r = by_year.get(start + k)
        places.append(0 if r is None else (r["places_per_year"] if r["places_per_year"] is not None else 10**9))
    over["allocation.places_by_year"] = {**sc.allocation.places_by_year, inv.pathway: places}
    return sc.with_overrides(over, where="with its investment plan applied")


# ---- the plan as a YAML block ------------------------------------------------------------------
PLAN_KEYS = ("label", "per_year_dkk", "total_dkk", "years", "year_shares", "share_for_target_group",
             "target_group_reason", "split", "pathway", "place_weeks", "course_price_dkk", "payer")


def plan_yaml(inv: Investment, scenario: str | None = None) -> str:
    """The plan as a YAML ``investment:`` block (what the app saves; ``plan_from_yaml`` reads it back)."""
    import yaml

    d = inv.model_dump()
    block = {k: d[k] for k in PLAN_KEYS if d.get(k) not in (None, [], "")}
    if "per_year_dkk" in block:
        block["per_year_dkk"] = {int(y): float(v) for y, v in block["per_year_dkk"].items()}
    doc: dict[str, Any] = {"investment": block}
    if scenario:
        doc = {"scenario": scenario, **doc}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def plan_from_yaml(text: str, where: str = "plan") -> tuple[Investment, str | None]:
    """Read a saved plan (``investment:`` block, optionally ``scenario:``); ValueError names the field."""
    import yaml
    from pydantic import ValidationError

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ValueError(f"{where}: not valid YAML ({str(err).splitlines()[0]})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("investment"), dict):
        raise ValueError(f"{where}: expected a mapping with an 'investment:' block (budget per year, years, split)")
    try:
        inv = Investment.model_validate(doc["investment"])
    except ValidationError as err:
        e = err.errors()[0]
        loc = ".".join(str(x) for x in e["loc"])
        raise ValueError(f"{where}: investment{'.' + loc if loc else ''}: {e['msg']}") from None
    sc = doc.get("scenario")
    return inv, (str(sc) if sc else None)


def plan(per_year_dkk: float, years: int, first_year: int, split: dict[str, float], *,
         share_for_target_group: float = 1.0, target_group_reason: str = "", base: Investment | None = None,
         label: str = "plan") -> Investment:
    """A plan from the planner's terms: DKK a year for ``years`` years from ``first_year``, split across lines.

    Fields the planner does not type (pathway, place weeks, course price, payer) come from ``base``
    (the scenario's own investment) when there is one."""
    keep = {k: v for k, v in (base.model_dump() if base is not None else {}).items()
            if k in {"pathway", "consultant_pool", "provider", "place_weeks", "course_price_dkk", "payer"}}
    full = {line: float(split.get(line, 0.0)) for line in LINES}
    return Investment.model_validate({**keep, "label": label,
                                      "per_year_dkk": {int(first_year) + i: float(per_year_dkk) for i in range(int(years))},
                                      "share_for_target_group": share_for_target_group,
                                      "target_group_reason": target_group_reason, "split": full})
