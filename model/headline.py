"""The headline outputs and their 'mean (95% CI)' text, shared by the command line and the HTML report.

A headline is a metric (``recovered_share``, ``mean_benefit_weeks`` …) read for one or more output
groups (``all``, a pathway) from a ``summary()`` table; shares print as percentages, and a
difference of shares in percentage points.
"""
from __future__ import annotations

import pandas as pd

KEY_METRICS = [
    ("recovered_share", "Back at work within horizon", "pct"),
    ("mean_benefit_weeks", "Mean weeks on sickness benefit", "num"),
    # shares still on sickness benefit replace the median as headline (issue 12): the median cannot
    # move while many spells end in the same weeks; it stays in the tables (--out, summary CSV)
    ("still_on_benefit_13w", "Still on sickness benefit at 13 weeks", "pct"),
    ("still_on_benefit_26w", "Still on sickness benefit at 26 weeks", "pct"),
    ("still_on_benefit_39w", "Still on sickness benefit at 39 weeks", "pct"),
    ("still_on_benefit_52w", "Still on sickness benefit at 52 weeks", "pct"),
    ("jobafklaring_share", "Transferred to jobafklaring", "pct"),
    ("treatment_wait_weeks", "Wait for treatment (weeks)", "num"),
    ("consultant_wait_weeks", "Wait for a consultant (weeks)", "num"),
    ("relapse_share", "Re-sick-listed within 52 weeks", "pct"),
]


def fmt(mean: float, lo: float, hi: float, kind: str, diff: bool = False) -> str:
    """'mean (low to high)'; ``kind`` 'pct' prints a share as a percentage (points, for a difference)."""
    if pd.isna(mean):
        return "n/a"
    if kind == "pct" and diff:  # a difference of shares is in percentage points
        return f"{100 * mean:+5.1f} pp ({100 * lo:+.1f} to {100 * hi:+.1f})" if not pd.isna(lo) else f"{100 * mean:+5.1f} pp"
    if diff:
        return f"{mean:+6.2f} ({lo:+.2f} to {hi:+.2f})" if not pd.isna(lo) else f"{mean:+6.2f}"
    if kind == "pct":
        return f"{100 * mean:5.1f}% ({100 * lo:.1f} to {100 * hi:.1f})" if not pd.isna(lo) else f"{100 * mean:5.1f}%"
    return f"{mean:6.2f} ({lo:.2f} to {hi:.2f})" if not pd.isna(lo) else f"{mean:6.2f}"


def key_table(summary: pd.DataFrame, groups: list[str], diff: bool = False) -> pd.DataFrame:
    """One row per headline metric, one column per group, from a ``summary()`` or ``differences()`` table."""
    s = summary.set_index("output")
    rows = []
    for metric, label, kind in KEY_METRICS:
        row = {"metric": label}
        for g in groups:
            key = f"{metric}.{g}"
            row[g] = (fmt(s.loc[key, "mean"], s.loc[key, "ci_low"], s.loc[key, "ci_high"], kind, diff)
                      if key in s.index else "")
        rows.append(row)
    return pd.DataFrame(rows)
