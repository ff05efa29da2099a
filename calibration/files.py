"""Finding and reading calibration files by name or path, with hashes for provenance."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model import library, safe_yaml
from model.safe_yaml import cut
from model.strict import error_location, error_message

from .errors import CalibrationError

PACKAGE_DIR = library.shipped("calibration")
TARGETS_DIR = PACKAGE_DIR / "targets"
FREE_PARAMETERS_DIR = PACKAGE_DIR / "free_parameters"
CALIBRATED_DIR = PACKAGE_DIR / "calibrated"


def resolve(name_or_path: str | Path, folder: Path, kind: str) -> Path:
    """A file given by path (the command line: ``rtwsim calibrate --targets my.yaml``), or by name
    inside ``folder`` (``copenhagen_ibbis`` → folder/copenhagen_ibbis.yaml). A name never leaves
    ``folder`` (model/library.py)."""
    text = str(name_or_path)
    if Path(text).suffix not in library.SUFFIXES and text.startswith(f"{folder.name}/"):
        text = text[len(folder.name) + 1:]
    try:
        return library.resolve(text, folder, kind, allow_path=True)
    except library.LibraryError as err:
        raise CalibrationError(str(name_or_path), "", cut(str(err)), library.library_names(folder)) from None


def read_yaml(path: Path, kind: str) -> dict[str, Any]:
    try:
        data = safe_yaml.load_file(path)
    except safe_yaml.UnsafeYAMLError as err:
        raise CalibrationError(path.name, "", str(err)) from None
    if not isinstance(data, dict):
        raise CalibrationError(path.name, "(top level)", f"a {kind} file must be a mapping of fields, got {type(data).__name__}")
    return data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def validation_error(err: ValidationError, where: str) -> CalibrationError:
    """One CalibrationError listing every invalid field of a pydantic model."""
    lines = []
    for e in err.errors():
        loc = ".".join(str(x) for x in error_location(e)) or "(top level)"
        msg = "unknown field (check spelling)" if e["type"] == "extra_forbidden" else error_message(e)
        if e["type"] == "finite_number":
            msg = "must be a finite number (not NaN or infinite)"
        lines.append(f"{loc}: {msg}")
    return CalibrationError(where, "", "invalid:\n  - " + "\n  - ".join(lines))
