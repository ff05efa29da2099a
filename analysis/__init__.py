"""Reports and budget text on top of the simulation: the budget in words and tables (``budget_text``),
a seed's claims beside the simulation (``claims``), the investment optimiser (``optimise``), the HTML
and Excel reports, and the sensitivity problem files (``problems/``). Sensitivity analysis itself is the
``sensitivity`` package."""
