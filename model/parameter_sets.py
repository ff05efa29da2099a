"""Calibrated parameter sets read by name: ``parameters: calibrated/<name>`` and ``parameter_sets=``.

A calibration (``rtwsim calibrate``, package ``calibration``) writes
``calibration/calibrated/<name>.yaml`` with a point estimate and accepted sets, each a plain
``{dotted.path: value}`` mapping. The core only reads that YAML (it never imports the fitting
code): a scenario applies the point estimate as overrides, and ``run``/``compare`` can cycle the
accepted sets over replications so that intervals include calibration uncertainty.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .scenario import ScenarioError, lookup_path

CALIBRATION_DIR = Path(__file__).resolve().parent.parent / "calibration"


def _available() -> list[str]:
    return sorted(f"calibrated/{p.stem}" for p in (CALIBRATION_DIR / "calibrated").glob("*.yaml"))


def available_parameter_sets() -> list[str]:
    """Names of the stored calibrations (``calibrated/<name>``) that the app and CLI can carry through."""
    return _available()


def resolve_parameter_file(ref: str | Path, relative_to: Path | None = None) -> Path:
    """``calibrated/x`` (or ``x``) → calibration/calibrated/x.yaml; a path ending in .yaml is taken as is."""
    if not isinstance(ref, (str, Path)) or not str(ref).strip():
        raise ScenarioError(f"parameters: expected a calibrated set name such as 'calibrated/copenhagen_ibbis', "
                            f"got {ref!r}; available: {_available()}")
    p = Path(ref)
    if p.suffix in {".yaml", ".yml"}:
        for cand in ([relative_to / p] if relative_to and not p.is_absolute() else []) + [p]:
            if cand.is_file():
                return cand
        raise ScenarioError(f"parameters: file {str(ref)!r} does not exist")
    stem = p.name if len(p.parts) > 1 and p.parts[0] == "calibrated" else str(p)
    cand = CALIBRATION_DIR / "calibrated" / f"{stem}.yaml"
    if len(p.parts) > 2 or (len(p.parts) == 2 and p.parts[0] != "calibrated") or not cand.is_file():
        raise ScenarioError(f"parameters: unknown calibrated set {str(ref)!r}; available: {_available()}")
    return cand


def read_parameter_file(ref: str | Path, relative_to: Path | None = None) -> tuple[dict[str, Any], Path]:
    """The calibration record, refusing one whose targets were not reached."""
    path = resolve_parameter_file(ref, relative_to)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ScenarioError(f"parameters: {path.name} is not valid YAML ({err})") from None
    if not isinstance(data, dict) or not isinstance((data.get("point_estimate") or {}).get("overrides"), dict):
        raise ScenarioError(f"parameters: {path.name} has no point_estimate.overrides; it is not a calibrated set")
    if data.get("status") != "fitted":
        raise ScenarioError(f"parameters: calibration {path.stem!r} has status {data.get('status')!r}, not 'fitted': "
                            "no parameter set reproduced its targets, so it must not be used (see `rtwsim fit-report`)")
    return data, path


def point_overrides(ref: str | Path, relative_to: Path | None = None) -> dict[str, Any]:
    return dict(read_parameter_file(ref, relative_to)[0]["point_estimate"]["overrides"])


def accepted_parameter_sets(ref: str | Path) -> list[dict[str, Any]]:
    """The accepted sets' overrides (at least one; the point estimate if none were stored)."""
    data, path = read_parameter_file(ref)
    sets = [a["overrides"] for a in data.get("accepted") or [] if isinstance(a, dict) and isinstance(a.get("overrides"), dict)]
    return sets or [dict(data["point_estimate"]["overrides"])]


def check_no_conflict(own: dict, overrides: dict[str, Any], where: str, ref: str) -> None:
    """A file may not both set a value and take a different one from its calibrated set."""
    for path, value in overrides.items():
        found, mine, _ = lookup_path(own, path)
        if found and mine != value:
            raise ScenarioError(f"scenario {where}: sets {path} = {mine!r} but also takes {path} = {value!r} from "
                                f"parameters: {ref}; remove one of them (a scenario that extends this one may override it)")


def apply_raw(data: dict, overrides: dict[str, Any], ref: str) -> dict:
    """Set dotted paths in a not-yet-validated scenario dict, creating sections the file left to defaults."""
    import copy

    out = copy.deepcopy(data)
    for path, value in overrides.items():
        node: Any = out
        parts = path.split(".")
        for part in parts[:-1]:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict):
                node = node.setdefault(part, {})
            else:
                raise ScenarioError(f"parameters: {ref}: path {path!r} does not fit the scenario (at {part!r})")
        last = parts[-1]
        if isinstance(node, list) and last.isdigit() and int(last) < len(node):
            node[int(last)] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ScenarioError(f"parameters: {ref}: path {path!r} does not fit the scenario (at {last!r})")
    return out
