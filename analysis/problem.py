"""Compatibility name: moved to ``sensitivity.problem`` (issue 19). Kept for analysis/report.py and the app's
sensitivity page until they import the sensitivity package; then remove."""
from sensitivity.problem import *  # noqa: F401,F403
