"""Sensitivity indices as rich tables for the terminal: one per output, parameters by importance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    import pandas as pd


def _fmt(value: float, conf: float | None = None) -> str:
    text = f"{value:.4g}"
    if conf is not None and conf == conf:  # not NaN
        text += f" ± {conf:.2g}"
    return text


def indices_tables(indices: pd.DataFrame, method: str) -> list[Table]:
    """One rich table per output, parameters ordered by importance."""
    tables = []
    for output, d in indices.groupby("output", sort=False):
        if method == "morris":
            cols, key = ["mu_star", "sigma", "mu"], "mu_star"
        else:
            cols, key = ["S1", "ST"], "ST"
        cell = {(r.parameter, r.index): (r.value, r.conf) for r in d.itertuples()
                if r.index in cols}
        params = sorted({p for p, _ in cell}, key=lambda p: -abs(cell.get((p, key), (0.0,))[0]))
        table = Table(title=f"{output} ({method})")
        table.add_column("parameter", no_wrap=True)
        for c in cols:
            table.add_column(c, justify="right")
        for param in params:
            table.add_row(param, *[_fmt(*cell[(param, c)]) if (param, c) in cell else "" for c in cols])
        tables.append(table)
        s2 = d[d["index"] == "S2"].sort_values("value", ascending=False).head(5)
        if len(s2):
            t2 = Table(title=f"{output}: largest second-order S2")
            t2.add_column("pair")
            t2.add_column("S2", justify="right")
            for _, r in s2.iterrows():
                t2.add_row(f"{r['parameter']} × {r['parameter2']}", _fmt(r["value"], r["conf"]))
            tables.append(t2)
    return tables
