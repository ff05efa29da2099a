"""Compatibility name for ``analysis/scenario_report.py`` (moving to the presentation package, issue 19):
the command line is the ``cli`` package, the headline text ``model.headline``. Remove once nothing
imports ``model.cli``."""
from .headline import KEY_METRICS, fmt as _fmt, key_table

__all__ = ["KEY_METRICS", "_fmt", "key_table"]
