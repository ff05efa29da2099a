"""Saving and reading calibration records (``calibration/calibrated/<name>.yaml``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CalibrationError
from .files import CALIBRATED_DIR, read_yaml, resolve

HEADER = ("# Calibrated parameter set written by `rtwsim calibrate`; do not edit by hand.\n"
          "# point_estimate.overrides are applied by `parameters: calibrated/{name}` in a scenario;\n"
          "# accepted[*].overrides are cycled over replications by `--parameter-sets calibrated/{name}`.\n")


def default_path(name: str) -> Path:
    return CALIBRATED_DIR / f"{name}.yaml"


def save(record: dict[str, Any], path: Path | None = None) -> Path:
    path = Path(path) if path else default_path(record["name"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(name=path.stem) + yaml.safe_dump(record, sort_keys=False, allow_unicode=True,
                                                                   width=120), encoding="utf-8")
    return path


def load_record(name_or_path: str | Path) -> tuple[dict[str, Any], Path]:
    """A calibration record by name (``copenhagen_ibbis`` or ``calibrated/copenhagen_ibbis``) or path."""
    path = resolve(name_or_path, CALIBRATED_DIR, "calibration")
    data = read_yaml(path, "calibration")
    for key in ("status", "point_estimate", "fit", "free_parameters", "provenance"):
        if key not in data:
            raise CalibrationError(path.name, key, "missing; this is not a calibration record written by `rtwsim calibrate`")
    return data, path
