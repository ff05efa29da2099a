"""A seed's claims about an investment (``scenarios/claims/<scenario>.yaml``) beside the simulation (issue 17).

Measures, each computed per replication on common random numbers and summarised as mean and the
2.5-97.5 percentiles over replications:

- ``savings_to_cost_ratio_year4``: public savings (benefits, onward benefits, tax) in simulated years 1-4
  divided by the extra cost of the effort in those years; also the municipality's view
  ``1 + net.municipality / extra effort cost`` (the investment is the municipality's, 002);
- ``job_effect_activity_ready``: the relative increase in the share of activity-ready cash-benefit
  recipients in a job within 52 weeks of arrival (arrivals in years 1-3), scenario over baseline - 1;
- ``support_weeks_saved``: baseline minus scenario mean weeks on public benefit within the horizon per
  newly arrived citizen of all simulated populations (arrivals in years 1-4).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from model.scenario import SCENARIO_DIR

CLAIMS_DIR = SCENARIO_DIR / "claims"
MEASURES = ("savings_to_cost_ratio_year4", "job_effect_activity_ready", "support_weeks_saved")


class ClaimsError(ValueError):
    """A claims file that cannot be used (names the field and the allowed values)."""


def load_claims(scenario: str) -> dict | None:
    path = CLAIMS_DIR / f"{scenario}.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for k, c in enumerate(data.get("claims", [])):
        if c.get("measure") not in MEASURES:
            raise ClaimsError(f"{path.name}: claims[{k}].measure {c.get('measure')!r}; allowed: {list(MEASURES)}")
        lo, hi = c.get("interval", [None, None])
        if not (isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo <= c["value"] <= hi):
            raise ClaimsError(f"{path.name}: claims[{k}].interval must be [low, high] around value {c.get('value')!r}")
    return data


def _summary(x) -> tuple[float, float, float]:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan
    return float(x.mean()), float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))


def ratio_year4(bc, years: int = 4) -> dict[str, np.ndarray]:
    p = bc.paired()
    p4 = p[p["year"] <= years].groupby("replication").sum(numeric_only=True)
    cost = p4["extra_effort_cost"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        public = (p4["benefit_savings"] + p4["onward_savings"] + p4["tax_gain"]).to_numpy() / cost
        muni = 1.0 + p4["net.municipality"].to_numpy() / cost
    return {"public": public, "municipality": muni}


def job_effect(res, bres, group: str = "activity_ready", within: int = 52, arrivals_years: int = 3) -> np.ndarray:
    def share(spells):
        s = spells[(spells["population"] == group) & (spells["spell"] == 0)
                   & (spells["arrival_week"] < arrivals_years * 52)] if "population" in spells else spells.iloc[:0]
        ok = s["return_week"].notna() & (s["return_week"] - s["arrival_week"] < within)
        return ok.groupby(s["replication"]).mean()
    a, b = share(res.spells), share(bres.spells)
    if a.empty or b.empty:
        return np.array([np.nan])
    b = b.reindex(a.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a / b - 1.0).to_numpy()


def support_weeks(res, weeks: int, arrivals_years: int = 4) -> pd.Series:
    s = res.spells
    s = s[s["arrival_week"] < arrivals_years * 52]
    end = s["benefit_end_week"].fillna(weeks).clip(upper=weeks)
    w = (end - s["arrival_week"]).clip(lower=0)
    per_citizen = w.groupby([s["replication"], s["citizen_id"]]).sum()
    return per_citizen.groupby(level=0).mean()


def claim_rows(claims: dict, res, bres, bc, weeks: int) -> pd.DataFrame:
    """One row per claim: the seed's value and stated interval beside the simulated mean and 95% interval."""
    rows = []
    for c in claims.get("claims", []):
        m = c["measure"]
        if m == "savings_to_cost_ratio_year4":
            r = ratio_year4(bc)
            views = [("public purse", r["public"]), ("municipality", r["municipality"])]
        elif m == "job_effect_activity_ready":
            views = [("activity-ready, job within 52 weeks", job_effect(res, bres))]
        else:
            a, b = support_weeks(res, weeks), support_weeks(bres, weeks)
            views = [("weeks per newly arrived citizen", (b - a.reindex(b.index)).to_numpy())]
        for label, x in views:
            mean, lo, hi = _summary(x)
            rows.append({"claim": c["name"], "kind": c.get("kind", ""), "view": label, "seed_value": c["value"],
                         "seed_interval": f"[{c['interval'][0]}, {c['interval'][1]}]", "simulated": mean,
                         "simulated.lo": lo, "simulated.hi": hi,
                         "within_seed_interval": bool(c["interval"][0] <= mean <= c["interval"][1])
                         if np.isfinite(mean) else False})
    return pd.DataFrame(rows)


def print_claims(claims: dict, table: pd.DataFrame) -> None:
    print(f"\nThe seed's claims ({claims.get('source', '')}) beside the simulation; simulated = mean (95% interval "
          f"over replications); the seed's intervals are assumptions (self-reported figures, see "
          f"{Path('scenarios/claims') / (claims['scenario'] + '.yaml')})")
    out = table.assign(simulated=[f"{m:.2f} ({lo:.2f} to {hi:.2f})" for m, lo, hi in
                                  zip(table["simulated"], table["simulated.lo"], table["simulated.hi"])])
    print(out[["claim", "view", "seed_value", "seed_interval", "simulated", "within_seed_interval", "kind"]]
          .to_string(index=False))
