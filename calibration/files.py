"""Finding and reading calibration files by name or path, with hashes for provenance."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import CalibrationError

PACKAGE_DIR = Path(__file__).resolve().parent
TARGETS_DIR = PACKAGE_DIR / "targets"
FREE_PARAMETERS_DIR = PACKAGE_DIR / "free_parameters"
CALIBRATED_DIR = PACKAGE_DIR / "calibrated"


def resolve(name_or_path: str | Path, folder: Path, kind: str) -> Path:
    """A file given by path, or by name inside ``folder`` (``copenhagen_ibbis`` → folder/copenhagen_ibbis.yaml)."""
    p = Path(name_or_path)
    if p.suffix in {".yaml", ".yml"} or p.exists():
        if not p.is_file():
            raise CalibrationError(str(p), "", f"{kind} file does not exist")
        return p
    stem = p.name if str(p).startswith(f"{folder.name}/") else str(p)
    cand = folder / f"{stem}.yaml"
    if not cand.is_file():
        raise CalibrationError(str(name_or_path), "", f"unknown {kind}", sorted(f.stem for f in folder.glob("*.yaml")))
    return cand


def read_yaml(path: Path, kind: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise CalibrationError(path.name, "", f"not valid YAML ({err})") from None
    if not isinstance(data, dict):
        raise CalibrationError(path.name, "(top level)", f"a {kind} file must be a mapping of fields, got {type(data).__name__}")
    return data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def validation_error(err: ValidationError, where: str) -> CalibrationError:
    """One CalibrationError listing every invalid field of a pydantic model."""
    lines = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        msg = "unknown field (check spelling)" if e["type"] == "extra_forbidden" else e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        lines.append(f"{loc}: {msg}")
    return CalibrationError(where, "", "invalid:\n  - " + "\n  - ".join(lines))
