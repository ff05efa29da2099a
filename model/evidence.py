"""Evidence bases: every answer read under each body of evidence.

A named evidence base (``calibration/evidence/<name>.yaml``) is a fitted, accepted calibration
(``calibration/calibrated/*.yaml``, the calibrated-set machinery with its provenance) plus what of it
carries over to a planner's scenario:

* ``transfer``: override paths (or path prefixes) taken from each accepted set; ``"*"`` takes all.
  A trial's population differs from a municipal inflow, so from a trial only relative effects carry
  over, never the trial population's baseline level;
* ``fixed``: overrides applied with this evidence, e.g. the implementation/context spread;
* ``applies_to``: the scenarios whose effects this evidence measured. A scenario that no evidence
  base names has no outcome evidence: its effects are assumed (``EFFECT_ASSUMED``).

``run``/``compare`` take the resulting list as ``parameter_sets`` (replication r uses set r mod K),
so the intervals include the evidence's uncertainty. ``model.evidence_compare.compare_under_evidence`` runs a comparison
under several evidence bases and returns one table of the key outcomes and the budget effect.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .parameter_sets import CALIBRATION_DIR, accepted_parameter_sets
from .scenario import Scenario, ScenarioError

EVIDENCE_DIR = CALIBRATION_DIR / "evidence"
EFFECT_ASSUMED = "effect assumed, no outcome data"
DEFAULT_EVIDENCE = "all"
MIN_EVIDENCE_REPS = 10   # an evidence base with few accepted sets still gets enough replications for an interval
MAX_EVIDENCE_SETS = 20   # sets an answer uses: enough for the spread between them (model.intervals.evidence_interval)
RUNS_PER_SET = 2         # each set run twice, so the spread between sets can be told from the noise within one


EVIDENCE_RUNS_TEXT = (f"each of up to {MAX_EVIDENCE_SETS} accepted parameter sets run {RUNS_PER_SET} times (at least "
                      f"{MIN_EVIDENCE_REPS} replications); mean (95% interval over the evidence's accepted sets: the range "
                      "of the expected result, which more replications do not narrow)")
"""How the answers under an evidence base are run and what their intervals mean, for the command line's headers."""


def interval_words(n_sets: int) -> str:
    """What 'mean (interval)' means for replications that cycled ``n_sets`` parameter sets, for a table's header."""
    if n_sets <= 1:
        return "mean (95% CI)"
    return f"mean (95% interval over the {n_sets} parameter sets' expected results)"


def evidence_reps(n_sets: int) -> int:
    """Default replications under an evidence base: each set it uses RUNS_PER_SET times, at least MIN_EVIDENCE_REPS."""
    return max(RUNS_PER_SET * int(n_sets), MIN_EVIDENCE_REPS)


def thin_sets(sets: list[dict[str, Any]], most: int = MAX_EVIDENCE_SETS) -> list[dict[str, Any]]:
    """At most ``most`` of the accepted sets, evenly spaced through the list (all of them when fewer): the interval
    needs the spread between sets, which twenty sets give, and more sets would cost more runs, not a surer answer."""
    if len(sets) <= most:
        return list(sets)
    return [sets[int(i)] for i in np.linspace(0, len(sets) - 1, most).round()]


class EvidenceError(ScenarioError):
    """An evidence base that does not exist or cannot be used, with the known ones listed."""


@dataclass(frozen=True)
class Evidence:
    name: str
    description: str
    calibration: str
    kind: str
    transfer: tuple[str, ...]
    fixed: dict[str, Any]
    applies_to: tuple[str, ...]
    path: Path

    def fitted_on(self) -> str | None:
        """The scenario the calibration was fitted on (its provenance)."""
        from .parameter_sets import read_parameter_file

        return (read_parameter_file(self.calibration)[0].get("provenance") or {}).get("scenario")

    def parameter_sets(self, scenarios: list[str] | None = None) -> list[dict[str, Any]]:
        """The accepted sets' overrides that carry over, each with the fixed overrides added.

        When every scenario named is the one the calibration was fitted on, the whole fitted sets apply
        as they are (the evidence read on its own design: nothing to transfer, no context spread)."""
        try:
            sets = accepted_parameter_sets(self.calibration)
        except ScenarioError as err:
            raise EvidenceError(f"evidence base {self.name!r}: its calibration cannot be used: {err}") from None
        sets = thin_sets(sets)
        if scenarios and all(s == self.fitted_on() for s in scenarios):
            return [dict(s) for s in sets]
        out = []
        for s in sets:
            kept = {k: v for k, v in s.items() if _carries(k, self.transfer)}
            out.append({**kept, **self.fixed})
        return out


def _carries(path: str, transfer: tuple[str, ...]) -> bool:
    return any(t == "*" or path == t or path.startswith(t + ".") for t in transfer)


def known_evidence() -> list[str]:
    """Names of the shipped evidence bases, sorted."""
    return sorted(p.stem for p in EVIDENCE_DIR.glob("*.yaml"))


def load_evidence(name: str) -> Evidence:
    known = known_evidence()
    if not isinstance(name, str) or name not in known:
        raise EvidenceError(f"unknown evidence base {name!r}; known: {known} (or 'all')")
    path = EVIDENCE_DIR / f"{name}.yaml"
    try:
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise EvidenceError(f"evidence file {path.name} is not valid YAML ({err})") from None
    missing = [k for k in ("calibration", "transfer") if k not in (d or {})]
    if missing:
        raise EvidenceError(f"evidence file {path.name}: missing {missing}; needs calibration, transfer")
    return Evidence(name=name, description=str(d.get("description", "")), calibration=str(d["calibration"]),
                    kind=str(d.get("kind", "")), transfer=tuple(d["transfer"]), fixed=dict(d.get("fixed") or {}),
                    applies_to=tuple(d.get("applies_to") or ()), path=path)


def resolve_evidence(choice: str | list[str] | None) -> list[str]:
    """``'all'`` → every shipped evidence base; a name → [name]; unknown names raise with the known ones."""
    if choice is None:
        return []
    if isinstance(choice, str):
        choice = known_evidence() if choice == "all" else [c.strip() for c in choice.split(",") if c.strip()]
    for c in choice:
        load_evidence(c)
    return list(choice)


def evidence_parameter_sets(name: str, scenarios: list[str] | None = None) -> list[dict[str, Any]]:
    """An evidence base's sets as they carry over to ``scenarios`` (whole sets on the fit's own scenario)."""
    return load_evidence(name).parameter_sets(scenarios)


def has_outcome_evidence(scenario: Scenario | str) -> bool:
    """Whether any evidence base measured this scenario's effects (by name or the scenario it extends)."""
    names = {scenario} if isinstance(scenario, str) else {scenario.name, scenario.extends or ""}
    return any(names & set(load_evidence(e).applies_to) for e in known_evidence())


def effect_note(scenario: Scenario | str) -> str:
    """'' when outcome evidence exists for the scenario, else ``EFFECT_ASSUMED``."""
    return "" if has_outcome_evidence(scenario) else EFFECT_ASSUMED


# ---- one comparison under several evidence bases -----------------------------------------------
def evidence_fit_table(names: list[str]) -> pd.DataFrame:
    """What each evidence base reproduces on the design it was fitted on: its calibration record's targets
    against the simulated values at the point estimate (no new simulation; ``rtwsim fit-report`` has more)."""
    from .parameter_sets import read_parameter_file
    from .trial import output_unit

    def num(x, share):
        if x is None:
            return "n/a"
        if share == "pp":
            return f"{100 * x:+.1f} pp"
        return f"{100 * x:.1f}%" if share else f"{x:.3g}"

    rows = []
    for ev in names:
        rec = read_parameter_file(load_evidence(ev).calibration)[0]
        for r in rec.get("fit") or []:
            share = output_unit(str(r["output"]))
            if r.get("kind") == "point":
                obs = f"{num(r['value'], share)} [{num(r['lower'], share)}, {num(r['upper'], share)}]"
            else:
                obs = " and ".join(([f">= {num(r['lower'], share)}"] if r.get("lower") is not None else [])
                                   + ([f"<= {num(r['upper'], share)}"] if r.get("upper") is not None else []))
                obs += " (not significant)" if r.get("not_significant") else ""
            rows.append({"evidence": ev, "quantity": r["output"], "weeks": r["horizon_weeks"], "observed": obs,
                         "fitted (95% CI)": f"{num(r['simulated'], share)} ({num(r['sim_ci_low'], share)} to "
                                            f"{num(r['sim_ci_high'], share)})",
                         "within": "yes" if r["within"] else "NO"})
    return pd.DataFrame(rows)


