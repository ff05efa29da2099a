"""The sensitivity problem file: which parameters vary, over what, which outputs, which method.

A problem is data (YAML) validated with pydantic so that every mistake is reported with the
file, the field and the allowed values *before* any simulation starts. Checks that need the
model (does this parameter path exist? does this output exist?) live in `evaluators.check`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from sensitivity.errors import ProblemError
from model import safe_yaml
from model.strict import FiniteModel, error_location, error_message

METHODS = ("morris", "sobol", "fast")
DISTRIBUTIONS = ("unif", "logunif", "triang", "norm", "truncnorm", "lognorm")
# Distributions that need `bounds` (a finite range); the others are given by mean/sd.
BOUNDED = {"unif", "logunif", "triang", "truncnorm"}
ANALYSIS_ONLY = {"name", "num_resamples", "conf_level"}
# Upper bounds, so that a typo cannot ask for more memory or time than a machine has: the design
# matrix is held in memory (num_runs rows) and each run simulates `reps` replications.
MAX_SAMPLES = 65_536
MAX_RUNS = 1_000_000
MAX_REPS = 1_000


class Parameter(FiniteModel):
    """One uncertain input: a dotted path into the scenario (or a function argument name).

    ``bounds`` is the range for unif/logunif/triang/truncnorm; ``peak`` (fraction of the range)
    for triang; ``mean``/``sd`` for norm, truncnorm and lognorm (lognorm in ln-space).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1)
    dist: Literal["unif", "logunif", "triang", "norm", "truncnorm", "lognorm"] = "unif"
    bounds: tuple[float, float] | None = None
    peak: float | None = Field(default=None, ge=0.0, le=1.0)
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0.0)
    label: str | None = None

    @field_validator("bounds")
    @classmethod
    def _low_below_high(cls, bounds, info):
        if bounds is None:
            return bounds
        low, high = bounds
        if not low < high:
            raise ValueError(f"bounds must be [low, high] with low < high, got [{low}, {high}]")
        if info.data.get("dist") == "logunif" and low <= 0:
            raise ValueError(f"logunif bounds must be > 0, got [{low}, {high}]")
        return bounds

    @model_validator(mode="after")
    def _shape_matches_distribution(self) -> "Parameter":
        if self.dist in BOUNDED and self.bounds is None:
            raise ValueError(f"dist '{self.dist}' needs bounds: [low, high]")
        if self.dist == "triang" and self.peak is None:
            raise ValueError("dist 'triang' needs peak: a fraction of the range in [0, 1]")
        if self.dist in ("norm", "truncnorm", "lognorm") and (self.mean is None or self.sd is None):
            raise ValueError(f"dist '{self.dist}' needs mean and sd")
        return self

    @property
    def name(self) -> str:
        return self.label or self.path

    def salib_bounds(self) -> list[float]:
        """The `bounds` entry SALib expects for this distribution."""
        if self.dist in ("unif", "logunif"):
            return list(self.bounds)
        if self.dist == "triang":
            return [*self.bounds, self.peak]
        if self.dist == "truncnorm":
            return [*self.bounds, self.mean, self.sd]
        return [self.mean, self.sd]


class SensitivityProblem(FiniteModel):
    """A whole sensitivity study: target, parameters, outputs, method and sample size.

    ``samples`` is the number of Morris trajectories, or N for Sobol (power of two) and FAST.
    ``reps`` is the number of replications averaged inside one run (one design row).
    Exactly one of ``scenario`` (the rtwsim model) and ``function`` ("module:callable", for
    test functions and other models) names what is evaluated. With ``baseline``, runs also
    return paired ``diff.*`` outputs; ``override_baseline`` applies each row's values to the
    baseline too (for assumptions both arms share, e.g. hazard effects).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    scenario: str | None = None
    baseline: str | None = None
    override_baseline: bool = False
    function: str | None = None
    method: Literal["morris", "sobol", "fast"]
    parameters: list[Parameter] = Field(min_length=1)
    outputs: list[str] = Field(min_length=1)
    samples: int = Field(ge=2, le=MAX_SAMPLES)
    reps: int = Field(default=1, ge=1, le=MAX_REPS)
    seed: int = Field(ge=0)
    calc_second_order: bool = False
    num_levels: int = Field(default=4, ge=2)
    fast_m: int = Field(default=4, ge=1)
    num_resamples: int = Field(default=100, ge=10)
    conf_level: float = Field(default=0.95, gt=0.0, lt=1.0)
    common_random_numbers: bool = False

    @field_validator("outputs")
    @classmethod
    def _unique_outputs(cls, outputs: list[str]) -> list[str]:
        if len(set(outputs)) != len(outputs):
            raise ValueError("outputs must not repeat")
        return outputs

    @model_validator(mode="after")
    def _consistent(self) -> "SensitivityProblem":
        if (self.scenario is None) == (self.function is None):
            raise ValueError("give exactly one of 'scenario' (an rtwsim scenario name) or "
                             "'function' (module:callable)")
        if self.baseline is not None and self.scenario is None:
            raise ValueError("'baseline' needs 'scenario'")
        if self.override_baseline and self.baseline is None:
            raise ValueError("'override_baseline' needs 'baseline'")
        paths = [p.path for p in self.parameters]
        dupes = sorted({p for p in paths if paths.count(p) > 1})
        if dupes:
            raise ValueError(f"parameter paths must be unique; repeated: {', '.join(dupes)}")
        if self.method == "morris":
            non_uniform = [p.path for p in self.parameters if p.dist != "unif"]
            if non_uniform:
                raise ValueError("morris samples a uniform grid of levels; use dist 'unif' for "
                                 f"{', '.join(non_uniform)} or method sobol/fast")
        if self.method == "sobol" and self.samples & (self.samples - 1):
            lower = 1 << (self.samples.bit_length() - 1)
            raise ValueError(f"sobol needs samples = a power of two for its balance properties; "
                             f"got {self.samples}, use {lower} or {lower * 2}")
        if self.method == "fast" and self.samples <= 4 * self.fast_m ** 2:
            raise ValueError(f"fast needs samples > 4 * fast_m^2 = {4 * self.fast_m ** 2}")
        if self.calc_second_order and self.method != "sobol":
            raise ValueError("calc_second_order applies to method sobol only")
        if self.num_runs > MAX_RUNS:
            raise ValueError(f"samples {self.samples} with {len(self.parameters)} parameters make "
                             f"{self.num_runs} runs; at most {MAX_RUNS} (the design is held in memory)")
        return self

    @property
    def parameter_names(self) -> list[str]:
        return [p.path for p in self.parameters]

    @property
    def num_runs(self) -> int:
        """Rows of the design matrix (each row is one run of `reps` replications)."""
        d = len(self.parameters)
        if self.method == "morris":
            return self.samples * (d + 1)
        if self.method == "sobol":
            return self.samples * (2 * d + 2 if self.calc_second_order else d + 2)
        return self.samples * d

    def fingerprint(self) -> str:
        """A hash of everything that defines the design and its runs.

        Leaves out what only affects the analysis (name, bootstrap resamples, confidence
        level), so those can change between a stop and a resume.
        """
        data = self.model_dump(mode="json", exclude=ANALYSIS_ONLY)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _field_of(loc: tuple) -> str:
    field = ""
    for part in loc:
        if isinstance(part, int):
            field += f"[{part}]"
        else:
            field += f".{part}" if field else str(part)
    return field or "(top level)"


def problem_from_dict(data: object, file: str = "<problem>") -> SensitivityProblem:
    """Validate a parsed problem; every pydantic error is turned into one `ProblemError`."""
    if not isinstance(data, dict):
        raise ProblemError(file, "(top level)", "a problem file must be a YAML mapping")
    try:
        return SensitivityProblem.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        if first["type"] == "unusable_number":
            first = {**first, "loc": error_location(first), "msg": error_message(first)}
        allowed = None
        if first["type"] == "literal_error":
            allowed = first.get("ctx", {}).get("expected")
        elif first["type"] == "extra_forbidden":
            model = Parameter if "parameters" in first["loc"] else SensitivityProblem
            allowed = sorted(model.model_fields)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "finite_number":
            message = "must be a finite number (not NaN or infinite)"
        if len(errors) > 1:
            rest = "; ".join(f"{_field_of(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                             for e in errors[1:])
            message += f" [also: {rest}]"
        raise ProblemError(file, _field_of(first["loc"]), message, allowed) from None


def load_problem(path: str | Path) -> SensitivityProblem:
    """Read and validate a problem file; the name defaults to the file's stem."""
    path = Path(path)
    try:
        data = safe_yaml.load_file(path)
    except safe_yaml.UnsafeYAMLError as exc:
        raise ProblemError(str(path), "(file)", str(exc)) from None
    problem = problem_from_dict(data, str(path))
    if problem.name is None:
        problem = problem.model_copy(update={"name": path.stem})
    return problem
