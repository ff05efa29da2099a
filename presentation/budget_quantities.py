"""The budget's year quantities, named once.

Why: the CLI's year table, the Excel workbook and the app's Investment page list the same lines of the
budget; a finance officer who reads two of them must not find one line under two names. Each quantity
is a column of ``model.economics.budget_by_year`` with a label in both languages (presentation/labels.py,
key ``yq_<column>``) and a kind: money (shown in mio. DKK or DKK) or a count of citizens.
"""
from __future__ import annotations

from typing import Literal

from .labels import text

# (column of the by-year table, kind); the order is the order of every year table
YEAR_QUANTITIES: tuple[tuple[str, Literal["money", "count"]], ...] = (
    ("plan_cost", "money"),
    ("cost_scenario", "money"),
    ("cost_baseline", "money"),
    ("extra_effort_cost", "money"),
    ("benefit_savings", "money"),
    ("onward_savings", "money"),
    ("tax_gain", "money"),
    ("net_service", "money"),
    ("net_transfer", "money"),
    ("net_tax", "money"),
    ("net.municipality", "money"),
    ("net.state", "money"),
    ("net.region", "money"),
    ("net.total", "money"),
    ("net.municipality_after_block_grant", "money"),
    ("cumulative_net", "money"),
    ("pv.total", "money"),
    ("cumulative_pv", "money"),
    ("extra_returns", "count"),
    ("cumulative_extra_returns", "count"),
    ("employer_savings", "money"),
)
KIND_OF = dict(YEAR_QUANTITIES)


def label(column: str, lang: str = "en") -> str:
    return text("yq_" + column, lang)


def year_rows(lang: str = "en", money: str = "mio", count: str = "n",
              columns: list[str] | tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(column, label, unit) rows for ``model.economics.budget_year_table`` and the workbook: every quantity, or
    ``columns`` in the shared order; ``money``/``count`` are the unit names the caller's table uses."""
    chosen = [c for c, _ in YEAR_QUANTITIES] if columns is None else [c for c, _ in YEAR_QUANTITIES if c in columns]
    unknown = set(columns or ()) - set(KIND_OF)
    if unknown:
        raise KeyError(f"unknown budget quantities {sorted(unknown)}; allowed: {list(KIND_OF)}")
    return [(c, label(c, lang), money if KIND_OF[c] == "money" else count) for c in chosen]
