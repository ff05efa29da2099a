"""Named errors of calibration, so the CLI prints them as one line instead of a traceback.

``CalibrationError`` subclasses the core's ``ScenarioError``: ``rtwsim`` already turns that into
``error: ...`` with exit code 2, and calibration input is scenario input in a wider sense.
"""
from __future__ import annotations

from model.scenario import ScenarioError


class CalibrationError(ScenarioError):
    """A targets file, free-parameter file, calibrated set or option that cannot be used.

    The message names the file, the field and the allowed values, so the user knows what to change.
    """

    def __init__(self, where: str, field: str, message: str, allowed: object = None):
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        if allowed is not None:
            if isinstance(allowed, (list, tuple, set)):
                shown = list(allowed)
                allowed = ", ".join(str(a) for a in shown[:40]) + (" ..." if len(shown) > 40 else "")
            text += f" (allowed: {allowed})"
        super().__init__(text)
        self.where, self.field, self.allowed = where, field, allowed
