"""Compatibility name: moved to ``sensitivity.oat`` (issue 19). Kept for analysis/report.py and the app's
sensitivity page until they import the sensitivity package; then remove."""
from sensitivity.oat import *  # noqa: F401,F403
