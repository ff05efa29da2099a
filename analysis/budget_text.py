"""The budget in words and text tables: the year table a finance officer reads (SØM style), the
console blocks, the headline and the totals per payer. Used by ``rtwsim budget`` and the HTML report."""
from __future__ import annotations

import math

import pandas as pd

from model.economics import SIM_ONLY, budget_cell, budget_year_table
from presentation.budget_quantities import YEAR_QUANTITIES, year_rows

MIO = 1e6

TABLE_ROWS = year_rows("en", columns=[c for c, _ in YEAR_QUANTITIES if c != "plan_cost"])
"""The CLI's year table: every budget quantity (presentation/budget_quantities.py) but the plan's own cost."""


def year_table(by_year: pd.DataFrame) -> pd.DataFrame:
    """Rows = quantities, columns = years: 'mean (95% CI)' text, as a finance officer reads SØM."""
    return budget_year_table(by_year, TABLE_ROWS)


CONSOLE_BLOCKS = [
    ("Costs and savings (mio. DKK)", [("cost_scenario", "cost scenario"), ("cost_baseline", "cost baseline"),
                                      ("extra_effort_cost", "effort cost"), ("benefit_savings", "benefit savings"),
                                      ("onward_savings", "onward savings"), ("tax_gain", "tax gain")]),
    ("Net effect by payer (mio. DKK; + = public gains) and extra returns to work",
     [("net.municipality", "municipality"), ("net.state", "state"), ("net.region", "region"),
      ("net.total", "total"), ("cumulative_net", "cumulative"), ("cumulative_pv", "cumulative PV"),
      ("extra_returns", "extra returns")]),
]


def print_console_table(by_year: pd.DataFrame) -> None:
    """Two blocks of year rows that fit a terminal; the full table is in the CSV and workbook."""
    units = {c: u for c, _, u in TABLE_ROWS}
    for title, cols in CONSOLE_BLOCKS:
        rows = []
        for _, r in by_year.iterrows():
            row = {"year": f"{int(r['year'])} ({int(r['calendar_year'])})"}
            for c, label in cols:
                row[label] = budget_cell(r[c], r[c + ".lo"], r[c + ".hi"], units[c])
            rows.append(row)
        print(f"\n{title}; mean (95% CI)")
        print(pd.DataFrame(rows).to_string(index=False))


def headline_lines(h: dict, effect_assumed: bool | None = None) -> list[str]:
    """The headline in words; where the effect is assumed every payback is stated as conditional on it."""
    if effect_assumed is None:
        effect_assumed = h.get("effect") == "assumed"

    def pb(x):
        return f"year {int(x)}" if math.isfinite(x) else f"not within {h['years']} years"

    cond = " (CONDITIONAL on the assumed effect: the seed reports no measured outcome)" if effect_assumed else ""
    out = [f"Net effect, years 1-{h['years']}: {h['net_total'] / MIO:.2f} mio. DKK "
           f"(95% CI {h['net_total.lo'] / MIO:.2f} to {h['net_total.hi'] / MIO:.2f}); positive = public budget gains",
           f"Present value (discount rate {h.get('discount_rate', 0):.1%}): {h['npv.total'] / MIO:.2f} mio. DKK "
           f"(95% CI {h['npv.total.lo'] / MIO:.2f} to {h['npv.total.hi'] / MIO:.2f})",
           f"Payback year{cond}: {pb(h['payback_year'])} (95% bootstrap interval {pb(h['payback_year.lo'])} to "
           f"{pb(h['payback_year.hi'])}); on discounted flows {pb(h['payback_year_discounted'])} "
           f"({pb(h['payback_year_discounted.lo'])} to {pb(h['payback_year_discounted.hi'])}); paid back by year "
           f"{h['years']} in {100 * h['paid_back_share_of_replications']:.0f}% of replications",
           f"Extra returns to work: {h['extra_returns']:.0f} ({h['extra_returns.lo']:.0f} to {h['extra_returns.hi']:.0f})"]
    for k, label in (("gross_cost_per_extra_return", "Effort cost per extra citizen back at work"),
                     ("net_cost_per_extra_return", "Net cost per extra citizen back at work (negative = saves)")):
        v = h[k]
        out.append(f"{label}: " + ("n/a (no extra returns)" if math.isnan(v) else
                                  f"{v:,.0f} DKK ({h[k + '.lo']:,.0f} to {h[k + '.hi']:,.0f})"))
    out.append(f"Intervals include: {h.get('uncertainty', SIM_ONLY)}")
    return out


def totals_table(totals: pd.DataFrame) -> pd.DataFrame:
    """Per payer and view: undiscounted sum and present value, 'mean (95% CI)' in mio. DKK."""
    return pd.DataFrame({"line": totals["label"],
                         "undiscounted (mio. DKK)": [budget_cell(r["undiscounted"], r["undiscounted.lo"],
                                                                 r["undiscounted.hi"], "mio") for _, r in totals.iterrows()],
                         "present value (mio. DKK)": [budget_cell(r["present_value"], r["present_value.lo"],
                                                                  r["present_value.hi"], "mio")
                                                      for _, r in totals.iterrows()]})
