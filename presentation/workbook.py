"""Excel workbooks: the budget a finance officer can calculate with, and any one table; one writer for the CLI
and the app.

Every figure is a number in its own cell (mean, low and high in separate columns, DKK), never a
"27.65 (27.21 to 28.08)" text. Sheets: About (scenario, baseline, seed, version, date, which
uncertainty the intervals include), Totals (undiscounted and present value per payer and view),
By year, Items (each cost item by payer and year), Headline, Assumptions (value and source of every
economics parameter and rate), Investment, Replications.

Kept outside ``model/`` so that the simulation core does not import openpyxl.
"""
from __future__ import annotations

import datetime as _dt
import io
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd

from model.budget_lines import item_kind
from model.economics import BudgetComparison, _ci
from model.rate_table import load_rate_table

from .budget_quantities import YEAR_QUANTITIES, year_rows

YEAR_ROWS = year_rows("en", money="DKK", count="citizens",
                      columns=[c for c, _ in YEAR_QUANTITIES if c != "plan_cost"])
"""The workbook's year quantities, in DKK (presentation/budget_quantities.py: the same names as the CLI and app)."""


def package_version() -> str:
    """Package version and, when run from a git checkout, the commit."""
    try:
        from importlib.metadata import version

        v = version("rtwsim")
    except Exception:  # noqa: BLE001 - not installed: still write the workbook
        v = "unknown"
    try:
        root = Path(__file__).resolve().parent.parent
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=5).stdout.strip()
    except Exception:  # noqa: BLE001
        commit = ""
    return f"{v} ({commit})" if commit else v


def year_long(by_year: pd.DataFrame) -> pd.DataFrame:
    """One row per year and quantity: mean, low, high as numbers."""
    rows = []
    for _, r in by_year.iterrows():
        for col, label, unit in YEAR_ROWS:
            if col in r:
                rows.append({"year": int(r["year"]), "calendar_year": int(r["calendar_year"]), "quantity": label,
                             "column": col, "unit": unit, "mean": float(r[col]), "low": float(r[col + ".lo"]),
                             "high": float(r[col + ".hi"])})
    return pd.DataFrame(rows)


def items_long(bc: BudgetComparison) -> pd.DataFrame:
    """Each cost item by scenario, payer and year: mean and 95% interval over replications (DKK; revenue < 0)."""
    c = bc.costs
    reps = sorted(bc.returns["replication"].unique())
    rows = []
    for (name, item, payer, year), g in c.groupby(["scenario", "item", "payer", "year"]):
        vals = g.set_index("replication")["dkk"].reindex(reps, fill_value=0.0)
        m, lo, hi = _ci(vals)
        rows.append({"scenario": name, "item": item, "kind": item_kind(item), "payer": payer, "year": int(year),
                     "calendar_year": bc.start_year + int(year) - 1, "mean": m, "low": lo, "high": hi})
    return pd.DataFrame(rows, columns=["scenario", "item", "kind", "payer", "year", "calendar_year", "mean", "low",
                                       "high"])


def _fields(model, prefix: str) -> list[dict]:
    """Every field of a pydantic model: dotted path, value, and its description (the source or 'assumption')."""
    from pydantic import BaseModel

    rows = []
    for name, f in type(model).model_fields.items():
        v = getattr(model, name)
        path = f"{prefix}.{name}"
        if isinstance(v, BaseModel):
            rows += _fields(v, path)
        elif isinstance(v, dict) and v and all(isinstance(x, BaseModel) for x in v.values()):
            for k, x in v.items():
                rows += _fields(x, f"{path}.{k}")
        elif isinstance(v, list) and v and all(isinstance(x, BaseModel) for x in v):
            for i, x in enumerate(v):
                rows += _fields(x, f"{path}.{i}")
        else:
            val = v if isinstance(v, (int, float, bool, str)) or v is None else str(v)
            rows.append({"parameter": path, "value": val, "source": f.description or ""})
    return rows


def assumption_rows(sc, n_years: int) -> pd.DataFrame:
    eco = sc.economics
    rows = _fields(eco, "economics")
    table = load_rate_table(eco.rates)
    rows += [{"parameter": f"rate {r['year']} {r['rate']}", "value": r["dkk"], "source": r["basis"]}
             for r in table.source_rows([eco.start_year + k for k in range(n_years)])]
    from model.rules import rules_for

    rows += [{"parameter": f"refund share from week {w} of public support", "value": s,
              "source": "rule table (financing act § 5, refusionsreformen 2016; STAR: 80% weeks 1-4, 40% 5-26, 30% "
                        "27-52, 20% after)"} for w, s in rules_for(sc).staircase]
    costing = getattr(sc, "costing", None)
    if costing is not None:
        rows += [{"parameter": f"new cost: {c.item}", "value": c.why, "source": c.source} for c in costing.new_costs]
        rows.append({"parameter": "effect", "value": costing.effect, "source": costing.effect_source})
    return pd.DataFrame(rows, columns=["parameter", "value", "source"])


def headline_frame(head: dict) -> pd.DataFrame:
    rows = []
    for k, v in head.items():
        if k.endswith((".lo", ".hi")) or isinstance(v, str):
            continue
        rows.append({"quantity": k, "mean": float(v), "low": float(head.get(k + ".lo", np.nan)),
                     "high": float(head.get(k + ".hi", np.nan))})
    return pd.DataFrame(rows)


def budget_sheets(bc: BudgetComparison, head: dict, sc, *, reps: int, seed, investment: pd.DataFrame | None = None,
                  parameter_sets: str | None = None) -> dict[str, pd.DataFrame]:
    """The sheets of the budget workbook (each a DataFrame of numbers, except About and Assumptions)."""
    effect = getattr(getattr(sc, "costing", None), "effect", "not stated")
    about = pd.DataFrame({"field": ["scenario", "baseline", "seed", "replications", "parameter sets", "intervals include",
                                    "discount rate", "rate table", "effect", "rtwsim version", "date (UTC)",
                                    "sign convention"],
                          "value": [bc.scenario, bc.baseline, str(seed), reps, parameter_sets or "none",
                                    bc.uncertainty, head.get("discount_rate", np.nan), sc.economics.rates, effect,
                                    package_version(), _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
                                    "net effect = baseline cost - scenario cost; positive = the public purse gains; "
                                    "costs positive DKK, tax revenue negative cost"]})
    totals = bc.totals().rename(columns={"undiscounted.lo": "undiscounted_low", "undiscounted.hi": "undiscounted_high",
                                         "present_value.lo": "present_value_low",
                                         "present_value.hi": "present_value_high"})
    sheets = {"About": about, "Totals": totals, "By year": year_long(bc.by_year()), "Items": items_long(bc),
              "Headline": headline_frame(head), "Assumptions": assumption_rows(sc, bc.n_years)}
    if investment is not None and len(investment):
        sheets["Investment"] = investment
    sheets["Replications"] = bc.paired()
    return sheets


def write_budget_workbook(target, sheets: dict[str, pd.DataFrame]) -> None:
    """Write sheets to a path or a binary buffer: frozen headers, readable widths, number formats."""
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(target, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
            ws = xw.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for k, col in enumerate(df.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
                ws.column_dimensions[get_column_letter(k)].width = min(60, width)
                if pd.api.types.is_float_dtype(df[col]) and df[col].notna().any():
                    fmt = "#,##0" if np.nanmax(np.abs(df[col].to_numpy(float))) > 100 else "0.000"
                    for cells in ws.iter_cols(min_col=k, max_col=k, min_row=2):
                        for c in cells:
                            c.number_format = fmt


def budget_workbook_bytes(bc: BudgetComparison, head: dict, sc, **kw) -> bytes:
    """The workbook as bytes (for the app's download button); same sheets as ``rtwsim budget`` writes."""
    buf = io.BytesIO()
    write_budget_workbook(buf, budget_sheets(bc, head, sc, **kw))
    return buf.getvalue()


def to_excel_bytes(df: pd.DataFrame, sheet: str = "table") -> bytes:
    """One table as an Excel workbook (the app's download buttons)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name=sheet[:31] or "table", index=False)
    return buf.getvalue()
