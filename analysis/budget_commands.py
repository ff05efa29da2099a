"""Compatibility name for ``analysis/scenario_report.py`` (moving to the presentation package, issue 19):
the budget text lives in ``analysis.budget_text``, the ``budget``/``report`` commands in ``cli.budget``.
Remove once nothing imports ``analysis.budget_commands``."""
from analysis.budget_text import headline_lines, totals_table, year_table

__all__ = ["headline_lines", "totals_table", "year_table"]
