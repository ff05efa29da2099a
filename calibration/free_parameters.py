"""Free parameters as data: which scenario parameters the calibration may move, within which prior range.

A free-parameter file (``calibration/free_parameters/*.yaml``) lists parameters. Each either sets
one dotted scenario ``path`` (e.g. ``hazard.effects.job_goal``) or ``scale``s every number under a
path by a common factor (e.g. ``scale: hazard.baseline_weekly``: one factor on all baseline hazards
keeps their relative sizes and the fit well posed). ``low``/``high`` bound a uniform prior,
log-uniform with ``log: true``. Values become plain ``{path: value}`` overrides, which is what a
calibrated set stores and what a scenario applies.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, model_validator

from model.scenario import Scenario, ScenarioError
from model.strict import FiniteModel

from .errors import CalibrationError
from .files import FREE_PARAMETERS_DIR, read_yaml, resolve, validation_error


class FreeParameter(FiniteModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="Short identifier (Optuna parameter name)")
    path: str | None = Field(None, description="Dotted scenario path set to the value")
    scale: str | list[str] | None = Field(None, description="Dotted path(s) whose numbers are all multiplied by the value")
    low: float
    high: float
    log: bool = Field(False, description="Log-uniform prior (needs low > 0)")
    source: str = Field("assumption", description="Why this range (seed file, DESIGN section, or 'assumption')")

    @model_validator(mode="after")
    def _check(self):
        if (self.path is None) == (self.scale is None):
            raise ValueError(f"parameter {self.name!r}: give exactly one of 'path' (set a value) or 'scale' (multiply numbers)")
        if not self.low < self.high:
            raise ValueError(f"parameter {self.name!r}: low ({self.low}) must be below high ({self.high})")
        if self.log and self.low <= 0:
            raise ValueError(f"parameter {self.name!r}: a log prior needs low > 0, got {self.low}")
        return self

    @property
    def scale_paths(self) -> list[str]:
        return [self.scale] if isinstance(self.scale, str) else list(self.scale or [])

    @property
    def target(self) -> str:
        return self.path if self.path is not None else "scale of " + ", ".join(self.scale_paths)


class FreeParameters(FiniteModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    description: str = ""
    parameters: list[FreeParameter]

    @model_validator(mode="after")
    def _unique(self):
        if not self.parameters:
            raise ValueError("no free parameters: list at least one under 'parameters'")
        names = [p.name for p in self.parameters]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"parameter names must be unique; repeated: {dup}")
        return self

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def overrides(self, scenario: Scenario, values: dict[str, float]) -> dict[str, Any]:
        """``{path: value}`` for a point in parameter space, scales resolved against ``scenario``."""
        out: dict[str, Any] = {}
        for p in self.parameters:
            v = float(values[p.name])
            if p.path is not None:
                out[p.path] = v
            else:
                for sp in p.scale_paths:
                    for leaf, base in _numeric_leaves(scenario.get_path(sp), sp):
                        out[leaf] = base * v
        return out

    def check_against(self, scenario: Scenario, where: str) -> None:
        """Every path exists, holds a number (or numbers, for a scale), and both prior corners validate."""
        seen: dict[str, str] = {}
        for i, p in enumerate(self.parameters):
            field = f"parameters[{i}] ({p.name})"
            for path in ([p.path] if p.path else p.scale_paths):
                try:
                    node = scenario.get_path(path)
                except ScenarioError as err:
                    raise CalibrationError(where, f"{field}.{'path' if p.path else 'scale'}", str(err)) from None
                if p.path is not None and (isinstance(node, bool) or not isinstance(node, (int, float))):
                    raise CalibrationError(where, f"{field}.path", f"{path!r} holds {node!r}, not a number; "
                                           "use 'scale' to multiply the numbers under a section")
                leaves = [leaf for leaf, _ in _numeric_leaves(node, path)]
                if not leaves:
                    raise CalibrationError(where, f"{field}.scale", f"{path!r} holds no numbers to scale")
                for leaf in leaves:
                    if leaf in seen:
                        raise CalibrationError(where, field, f"{leaf!r} is also moved by {seen[leaf]!r}; "
                                               "a scenario number can have only one free parameter")
                    seen[leaf] = p.name
        for corner in ("low", "high"):
            values = {p.name: getattr(p, corner) for p in self.parameters}
            try:
                scenario.with_overrides(self.overrides(scenario, values))
            except ScenarioError as err:
                raise CalibrationError(where, f"parameters ({corner} ends)",
                                       f"the scenario rejects the prior's {corner} ends:\n{err}") from None


def _numeric_leaves(node: Any, path: str) -> list[tuple[str, float]]:
    if isinstance(node, bool):
        return []
    if isinstance(node, (int, float)):
        return [(path, float(node))]
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in _numeric_leaves(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [x for i, v in enumerate(node) for x in _numeric_leaves(v, f"{path}.{i}")]
    return []


def load_free_parameters(name_or_path: str | Path) -> tuple[FreeParameters, Path]:
    path = resolve(name_or_path, FREE_PARAMETERS_DIR, "free-parameter")
    data = read_yaml(path, "free-parameter")
    data.setdefault("name", path.stem)
    try:
        return FreeParameters.model_validate(data), path
    except ValidationError as err:
        raise validation_error(err, path.name) from None
