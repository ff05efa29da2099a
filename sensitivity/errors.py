"""Named errors of the sensitivity subsystem, so the CLI can print them without a traceback."""

from __future__ import annotations


class SensitivityError(Exception):
    """Base for every error a user can fix by changing input or options."""


class ProblemError(SensitivityError):
    """A problem file is invalid; raised before any simulation runs.

    Carries the file, the field (e.g. ``parameters[2].bounds``) and, when known, the allowed
    values, so the message tells the user exactly what to change.
    """

    def __init__(self, file: str, field: str, message: str, allowed: object = None):
        self.file = file
        self.field = field
        self.allowed = allowed
        text = f"{file}: {field}: {message}"
        if allowed:
            if isinstance(allowed, (list, tuple, set)):
                allowed = ", ".join(str(a) for a in allowed)
            text += f" (allowed: {allowed})"
        super().__init__(text)


class StoreMismatchError(SensitivityError):
    """An output directory belongs to a different problem or design than the one given."""


class StoreLockedError(StoreMismatchError):
    """Another run is writing the same study directory at this moment."""
