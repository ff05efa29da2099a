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

from . import library, safe_yaml
from .errors import ScenarioError
from .paths import lookup_path

CALIBRATION_DIR = library.shipped("calibration")   # calibrated/, evidence/, targets/: package data


def _available() -> list[str]:
    return sorted(f"calibrated/{p.stem}" for p in (CALIBRATION_DIR / "calibrated").glob("*.yaml"))


def available_parameter_sets() -> list[str]:
    """Names of the stored calibrations (``calibrated/<name>``) that the app and CLI can carry through."""
    return _available()


def resolve_parameter_file(ref: str | Path, relative_to: Path | None = None, allow_path: bool = False) -> Path:
    """``calibrated/x`` (or ``x``) → calibration/calibrated/x.yaml; ``x.yaml`` is a file beside the
    scenario (``relative_to``); an explicit path only with ``allow_path`` (the command line).
    Nothing else is opened (model/library.py)."""
    text = str(ref).strip() if isinstance(ref, (str, Path)) else ref
    if isinstance(text, str) and text and Path(text).suffix not in library.SUFFIXES:
        stem = text[len("calibrated/"):] if text.startswith("calibrated/") else text
        if not library.NAME.match(stem) or not (CALIBRATION_DIR / "calibrated" / f"{stem}.yaml").is_file():
            raise ScenarioError(f"parameters: unknown calibrated set {text!r}; available: {_available()}")
        text = stem
    try:
        return library.resolve(text, CALIBRATION_DIR / "calibrated", "parameters", folder=relative_to,
                               allow_path=allow_path)
    except library.LibraryError as err:
        raise ScenarioError(f"{err}; or name a calibrated set such as 'calibrated/copenhagen_ibbis', "
                            f"available: {_available()}") from None


def read_parameter_file(ref: str | Path, relative_to: Path | None = None,
                        allow_path: bool = False) -> tuple[dict[str, Any], Path]:
    """The calibration record, refusing one whose targets were not reached."""
    path = resolve_parameter_file(ref, relative_to, allow_path)
    try:
        data = safe_yaml.load_file(path)
    except safe_yaml.UnsafeYAMLError as err:
        raise ScenarioError(f"parameters: {path.name}: {err}") from None
    if not isinstance(data, dict) or not isinstance((data.get("point_estimate") or {}).get("overrides"), dict):
        raise ScenarioError(f"parameters: {path.name} has no point_estimate.overrides; it is not a calibrated set")
    if data.get("status") != "fitted":
        raise ScenarioError(f"parameters: calibration {path.stem!r} has status {data.get('status')!r}, not 'fitted': "
                            "no parameter set reproduced its targets, so it must not be used (see `rtwsim fit-report`)")
    return data, path


def point_overrides(ref: str | Path, relative_to: Path | None = None) -> dict[str, Any]:
    return dict(read_parameter_file(ref, relative_to)[0]["point_estimate"]["overrides"])


def accepted_parameter_sets(ref: str | Path, allow_path: bool = False) -> list[dict[str, Any]]:
    """The accepted sets' overrides (at least one; the point estimate if none were stored).
    ``allow_path``: an explicit file path is accepted (the command line's --parameter-sets)."""
    data, path = read_parameter_file(ref, allow_path=allow_path)
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
