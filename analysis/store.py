"""Compatibility name: moved to ``sensitivity.store`` (issue 19). Kept for analysis/report.py and the app's
sensitivity page until they import the sensitivity package; then remove."""
from sensitivity.store import *  # noqa: F401,F403
