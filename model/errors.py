"""The core's named error, in a module of its own so that every module reading input can raise it
without importing the scenario schema (which imports them)."""
from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario that cannot be used, with the file, field and allowed values named."""
