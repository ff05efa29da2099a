"""Compatibility name: moved to ``sensitivity.study`` (issue 19). Kept for analysis/report.py and the app's
sensitivity page until they import the sensitivity package; then remove."""
from sensitivity.study import *  # noqa: F401,F403
