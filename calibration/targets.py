"""Calibration targets as data: what was observed, over which horizon, how certain, from where.

A targets file (``calibration/targets/*.yaml``) lists targets. Each names an output of
``model.evaluate`` or a linear contrast of outputs (see ``contrast``), the recovery horizon it
refers to (mapped to the scenario field ``recovery_horizon_weeks``), and either

* a point value with its uncertainty — a 95% ``interval: [low, high]`` or a standard error
  ``se`` — or
* a one-sided bound (``upper`` and/or ``lower``) with ``se`` as the scale of a violation,

and always its ``source``. Any other municipality or study fits through the same format.

Trial-shaped targets (``kind``; computed by ``model.trial`` from the spell table, by randomised arm
unless ``by: pathway``) name their quantity instead of an output:

* ``hazard_ratio``: Cox hazard ratio of return to work, ``arm`` vs ``versus``, within ``followup_weeks``;
* ``in_work_share``: share back at work and not re-sick-listed ``month`` months after entry, in ``arm``;
* ``in_work_difference``: ``in_work_share`` of ``arm`` minus that of ``versus`` (the paired contrast a
  trial reports with its p-value; fitting it, not only each arm's share, holds the gap between arms);
* ``median_weeks``: Kaplan-Meier median weeks from entry to return to work in ``arm``;

each optionally within one ``diagnosis_group`` (depression_anxiety, stress_related, other).
"""
from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from model.scenario import PATHWAYS, Scenario
from model.strict import FiniteModel
from model.trial import month_week

from .contrast import Contrast, parse_contrast
from .errors import CalibrationError
from .files import TARGETS_DIR, read_yaml, resolve, sha256, validation_error

Z95 = 1.959963984540054
TARGET_KINDS = ("output", "hazard_ratio", "in_work_share", "in_work_difference", "median_weeks")
COMPARISONS = ("hazard_ratio", "in_work_difference")   # kinds that compare ``arm`` with ``versus``
AT_MONTH = ("in_work_share", "in_work_difference")     # kinds measured at ``month``


class _Strict(FiniteModel):
    model_config = ConfigDict(extra="forbid")


class Target(_Strict):
    name: str = Field(min_length=1, description="Short identifier used in reports")
    kind: Literal["output", "hazard_ratio", "in_work_share", "in_work_difference", "median_weeks"] = Field(
        "output", description="output: an output or contrast of outputs; or a trial-shaped quantity (model.trial)")
    output: str = Field("", description="Output name or linear contrast of output names (kind 'output'); for "
                        "trial kinds a label derived from the fields below")
    arm: Literal["standard", "uncoordinated", "integrated"] | None = Field(
        None, description="Randomised arm (trial kinds): a pathway name")
    versus: Literal["standard", "uncoordinated", "integrated"] | None = Field(
        None, description="Comparator arm of a hazard ratio or an in-work difference")
    diagnosis_group: Literal["all", "depression_anxiety", "stress_related", "other"] = Field(
        "all", description="Diagnosis group the trial quantity refers to")
    by: Literal["arm", "pathway"] = Field("arm", description="arm: intention to treat; pathway: pathway followed")
    month: float | None = Field(None, gt=0, description="Month after entry (in_work_share, in_work_difference)")
    followup_weeks: int | None = Field(None, ge=1, description="Follow-up after entry, censoring time "
                                       "(hazard_ratio, median_weeks); default: the target's horizon_weeks")
    horizon_weeks: int | None = Field(None, ge=1, description="Recovery horizon; default: the file's horizon_weeks")
    value: float | None = Field(None, description="Observed value (point target)")
    interval: tuple[float, float] | None = Field(None, description="95% interval of the observed value")
    se: float | None = Field(None, gt=0, description="Standard error (point), violation scale (bound), or the SE of "
                             "the trial's log hazard ratio (not_significant)")
    lower: float | None = Field(None, description="Inequality target: the output must be >= lower")
    upper: float | None = Field(None, description="Inequality target: the output must be <= upper")
    not_significant: bool = Field(
        False, description="The trial found no significant difference (hazard_ratio with lower/upper and se): scored by "
        "how much less likely a trial of this size (se = SE of its log hazard ratio) would have found none, against no "
        "effect, instead of 0 anywhere inside the bounds")
    source: str = Field(min_length=1, description="Where the number comes from (seed file, publication)")
    note: str = ""

    @model_validator(mode="after")
    def _trial(self):
        if self.kind == "output":
            parse_contrast(self.output)
            for f in ("arm", "versus", "month", "followup_weeks"):
                if getattr(self, f) is not None:
                    raise ValueError(f"target {self.name!r}: {f!r} belongs to trial kinds "
                                     f"{list(TARGET_KINDS[1:])}, not to kind 'output'")
            return self
        if self.arm is None:
            raise ValueError(f"target {self.name!r}: kind {self.kind!r} needs 'arm', one of {list(PATHWAYS)}")
        if self.kind in COMPARISONS:
            if self.versus is None or self.versus == self.arm:
                raise ValueError(f"target {self.name!r}: a {self.kind} needs 'versus', a comparator arm other than "
                                 f"{self.arm!r}; allowed: {list(PATHWAYS)}")
            if self.kind == "hazard_ratio" and self.value is not None and self.value <= 0:
                raise ValueError(f"target {self.name!r}: a hazard ratio must be > 0, got {self.value}")
        elif self.versus is not None:
            raise ValueError(f"target {self.name!r}: 'versus' belongs to kinds {list(COMPARISONS)} only")
        if self.kind in AT_MONTH:
            if self.month is None:
                raise ValueError(f"target {self.name!r}: kind {self.kind!r} needs 'month' (months after entry), e.g. 12")
            if self.followup_weeks is not None:
                raise ValueError(f"target {self.name!r}: 'followup_weeks' does not apply to {self.kind} (use 'month')")
        elif self.month is not None:
            raise ValueError(f"target {self.name!r}: 'month' belongs to kinds {list(AT_MONTH)} only")
        if not self.output:
            self.output = self.label()
        return self

    def label(self) -> str:
        grp = "" if self.diagnosis_group == "all" else f"[{self.diagnosis_group}]"
        itt = "" if self.by == "arm" else " (pathway followed)"
        if self.kind == "hazard_ratio":
            return f"hazard_ratio {self.arm} vs {self.versus}{grp}{itt}"
        if self.kind == "in_work_share":
            return f"in_work_share {self.arm}{grp} at month {self.month:g}{itt}"
        if self.kind == "in_work_difference":
            return f"in_work_difference {self.arm} - {self.versus}{grp} at month {self.month:g}{itt}"
        return f"median_weeks {self.arm}{grp}{itt}"

    @property
    def is_trial(self) -> bool:
        return self.kind != "output"

    @property
    def follow_weeks(self) -> int:
        """Weeks after entry the target refers to: the month (in_work_share), the follow-up, else the horizon."""
        if self.kind in AT_MONTH:
            return month_week(self.month)
        return int(self.followup_weeks or self.horizon_weeks)

    @model_validator(mode="after")
    def _kind(self):
        bound = self.lower is not None or self.upper is not None
        if self.value is None and not bound:
            raise ValueError(f"target {self.name!r} needs 'value' (with 'interval' or 'se') or a bound 'lower'/'upper' (with 'se')")
        if self.value is not None and bound:
            raise ValueError(f"target {self.name!r}: give either 'value' or 'lower'/'upper', not both")
        if self.value is not None:
            if (self.interval is None) == (self.se is None):
                raise ValueError(f"target {self.name!r}: give exactly one uncertainty, 'interval: [low, high]' or 'se'")
            if self.interval is not None:
                lo, hi = self.interval
                if not lo < hi:
                    raise ValueError(f"target {self.name!r}: interval low ({lo}) must be below high ({hi})")
                if not lo <= self.value <= hi:
                    raise ValueError(f"target {self.name!r}: value {self.value} lies outside its interval [{lo}, {hi}]")
        else:
            if self.se is None:
                raise ValueError(f"target {self.name!r}: a bound target needs 'se', the scale of a violation "
                                 "(how far past the bound counts as one standard error)")
            if self.interval is not None:
                raise ValueError(f"target {self.name!r}: a bound target takes no 'interval'")
            if self.lower is not None and self.upper is not None and not self.lower < self.upper:
                raise ValueError(f"target {self.name!r}: lower ({self.lower}) must be below upper ({self.upper})")
        if self.not_significant and (self.kind != "hazard_ratio" or self.lower is None or self.upper is None):
            raise ValueError(f"target {self.name!r}: 'not_significant' applies to a hazard_ratio given as 'lower' and "
                             "'upper' bounds with 'se' (the SE of the trial's log hazard ratio)")
        return self

    # ---- scoring ---------------------------------------------------------------------------
    @property
    def contrast(self) -> Contrast:
        return parse_contrast(self.output)

    @property
    def form(self) -> Literal["point", "bound"]:
        """A point target (value with its uncertainty) or a one-sided/two-sided bound."""
        return "point" if self.value is not None else "bound"

    @property
    def accept_range(self) -> tuple[float, float]:
        """The region a simulated value must lie in (95% interval, or the bound)."""
        if self.form == "bound":
            return (-math.inf if self.lower is None else self.lower, math.inf if self.upper is None else self.upper)
        if self.interval is not None:
            return self.interval
        return self.value - Z95 * self.se, self.value + Z95 * self.se

    def z(self, simulated: float) -> float:
        """Signed distance in standard errors: 0 inside a plain bound, the non-significance likelihood for a
        ``not_significant`` target, side-specific for skewed intervals."""
        if simulated is None or not math.isfinite(simulated):
            return math.inf
        if self.not_significant:
            return non_significance_z(simulated, self.se)
        lo, hi = self.accept_range
        if self.form == "bound":
            return (simulated - hi) / self.se if simulated > hi else (simulated - lo) / self.se if simulated < lo else 0.0
        if self.se is not None:
            return (simulated - self.value) / self.se
        side = (hi - self.value) if simulated >= self.value else (self.value - lo)
        return (simulated - self.value) / (side / Z95)

    def within(self, simulated: float) -> bool:
        lo, hi = self.accept_range
        return simulated is not None and math.isfinite(simulated) and lo <= simulated <= hi

    def describe(self) -> str:
        if self.form == "bound":
            parts = ([f">= {self.lower:g}"] if self.lower is not None else []) + ([f"<= {self.upper:g}"] if self.upper is not None else [])
            return " and ".join(parts) + (" (not significant)" if self.not_significant else "")
        lo, hi = self.accept_range
        return f"{self.value:g} [{lo:g}, {hi:g}]"


def non_significance_z(hazard_ratio: float, se: float) -> float:
    """Signed distance of a true hazard ratio from a trial's "no significant difference".

    A trial whose log hazard ratio has standard error ``se`` reports no difference with probability
    P(theta) = Phi(1.96 - theta/se) - Phi(-1.96 - theta/se) when the true log hazard ratio is theta. The
    distance is sqrt(-2 ln(P(theta)/P(0))): 0 at no effect, about 1.1 at the significance bound exp(1.96 se),
    and growing beyond it, so that "not significant" counts as the evidence it is (a likelihood), neither as
    "anything inside the bounds is equally good" nor as "the estimate was exactly 1".
    """
    if not hazard_ratio > 0:
        return math.inf
    phi = NormalDist().cdf
    theta = math.log(hazard_ratio) / se
    p = phi(Z95 - theta) - phi(-Z95 - theta)
    p0 = phi(Z95) - phi(-Z95)
    if p <= 0:
        return math.copysign(math.inf, theta)
    return math.copysign(math.sqrt(max(0.0, -2.0 * math.log(p / p0))), theta)


class TargetSet(_Strict):
    name: str = ""
    description: str = ""
    source: str = ""
    scenario: str | None = Field(None, description="Scenario fitted by default")
    free_parameters: str | None = Field(None, description="Free-parameter file used by default")
    horizon_weeks: int = Field(52, ge=1, description="Default recovery horizon of the targets (DESIGN §6: 52)")
    targets: list[Target] = Field(description="At least one target")

    @model_validator(mode="after")
    def _fill(self):
        if not self.targets:
            raise ValueError("the target set is empty: list at least one target under 'targets'")
        names = [t.name for t in self.targets]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"target names must be unique; repeated: {dup}")
        for t in self.targets:
            if t.horizon_weeks is None:
                t.horizon_weeks = self.horizon_weeks
        return self

    @property
    def horizons(self) -> list[int]:
        return sorted({int(t.horizon_weeks) for t in self.targets})

    def with_horizon(self, weeks: int) -> "TargetSet":
        """The same targets referred to another recovery horizon (to show how the fit depends on it)."""
        if weeks < 1:
            raise CalibrationError(self.name or "targets", "horizon", f"must be a whole number >= 1, got {weeks}")
        data = self.model_dump()
        data["horizon_weeks"] = weeks
        for t in data["targets"]:
            t["horizon_weeks"] = weeks
        return TargetSet.model_validate(data)

    def check_against(self, scenario: Scenario, weeks: int, names: list[str]) -> None:
        """Raise if an output is unknown or a horizon cannot be followed within the simulated weeks."""
        known = set(names)
        used = scenario.used_pathways()
        for i, t in enumerate(self.targets):
            if t.is_trial:
                _check_trial(self, i, t, scenario, weeks, used)
                continue
            for n in t.contrast.names:
                if n not in known:
                    metric = n.split(".")[0]
                    close = sorted(k for k in known if k.split(".")[0] == metric) or sorted(
                        {k.split(".")[0] + ".<group>" for k in known})
                    raise CalibrationError(self.name or "targets", f"targets[{i}] ({t.name}).output",
                                           f"unknown output {n!r} for scenario {scenario.name!r}", close)
            room = weeks - scenario.warmup_weeks
            if t.horizon_weeks >= room:
                raise CalibrationError(
                    self.name or "targets", f"targets[{i}] ({t.name}).horizon_weeks",
                    f"horizon {t.horizon_weeks} weeks cannot be followed: {weeks} simulated weeks minus "
                    f"{scenario.warmup_weeks} warm-up weeks leave {room}; raise --weeks or lower the horizon",
                    f"1 to {room - 1}")


def _trial_error(tset: TargetSet, i: int, t: Target, field: str, msg: str, allowed=None) -> CalibrationError:
    return CalibrationError(tset.name or "targets", f"targets[{i}] ({t.name}).{field}", msg, allowed)


def _check_trial(self: TargetSet, i: int, t: Target, scenario: Scenario, weeks: int, used: list[str]) -> None:
    """A trial target's arms must be randomised in the scenario and its horizon followed for someone."""
    for field in ("arm", "versus"):
        arm = getattr(t, field)
        if arm is not None and arm not in used:
            raise _trial_error(self, i, t, field, f"arm {arm!r} is not allocated in scenario {scenario.name!r}", used)
    if scenario.allocation.rule != "randomise":
        raise _trial_error(self, i, t, "kind", f"kind {t.kind!r} needs a randomised scenario (allocation.rule: "
                           f"randomise); {scenario.name!r} uses {scenario.allocation.rule!r}", ["randomise"])
    room = weeks - scenario.warmup_weeks
    if t.kind in AT_MONTH:
        need, field = month_week(t.month), "month"
    else:
        need, field = int(t.followup_weeks or t.horizon_weeks), "followup_weeks" if t.followup_weeks else "horizon_weeks"
    if need >= room:
        raise _trial_error(self, i, t, field, f"{need} weeks of follow-up cannot be reached: {weeks} simulated weeks "
                           f"minus {scenario.warmup_weeks} warm-up weeks leave {room}; raise --weeks or shorten it",
                           f"at most {room - 1} weeks")


def load_targets(name_or_path: str | Path) -> tuple[TargetSet, Path]:
    """Read and validate a targets file by name (``calibration/targets/``) or path."""
    path = resolve(name_or_path, TARGETS_DIR, "targets")
    data = read_yaml(path, "targets")
    data.setdefault("name", path.stem)
    if "targets" in data and not data["targets"]:
        raise CalibrationError(path.name, "targets", "the target set is empty: list at least one target")
    try:
        return TargetSet.model_validate(data), path
    except ValidationError as err:
        raise validation_error(err, path.name) from None


def targets_hash(path: Path) -> str:
    return sha256(path)
