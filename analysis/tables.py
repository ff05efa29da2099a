"""Moved to ``presentation.console_tables``; kept so that imports by the old path work until the lead merges."""
from presentation.console_tables import indices_tables  # noqa: F401
