"""Which scenarios may share one batched model: the parameters that may differ per replication.

Why: a Sobol row or a calibration candidate differs from its neighbours only in a few numeric
parameters, and a batch of R replications costs little more than one (docs/odd.md §3.13). The kernel
reads the parameters listed in ``BATCHED_PATHS`` as arrays indexed by the replication code; every
other setting (horizon, pathways present, pool names, arrivals, rule table, ...) is read once, so
scenarios may share a model only when everything outside ``BATCHED_PATHS`` is equal. ``batch_key``
is that "everything else"; ``check_batchable`` names the first setting that differs, never letting a
replication silently run on another's value.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from .scenario import Scenario, ScenarioError

BATCHED_PATHS = (
    "consultants.*.caseload_limit",
    "providers.*.therapists",
    "pathways.*.treatment.uptake",
    "pathways.*.treatment.delay",
    "pathways.*.treatment.course",
    "pathways.*.diagnosis_effect",
    "pathways.*.coordination_effect",
    "pathways.*.context_log_sd",
    "pathways.*.other_exit_effect",
    "pathways.*.late_effect",
    "hazard.effects",
    "hazard.baseline_weekly",
    "hazard.risk_multiplier",
    "hazard.other_exit_weekly",
    "rules.extension.nr2_clarification",
    "rules.extension.nr3_expected_recovery",
    "rules.extension.nr4_rehabilitation_team",
    "rules.extension.outside_treatment_share",
    # read only by the budget after the run, with each replication's own scenario
    "economics.consultant_fte_dkk",
    "economics.therapist_fte_dkk",
    "economics.management_fte_dkk",
    "economics.pools.*.fte_dkk",
    "economics.providers.*.fte_dkk",
    "economics.discount.rate",
    "economics.tax.annual_wage_dkk",
    "economics.tax.tax_rate",
    "economics.tax.benefit_tax_rate",
    "economics.tax.employment_rate",
)
"""Dotted paths (``*``: any key) whose values may differ between the replications of one model."""

_MASK = "<per replication>"


class BatchKeyError(ScenarioError):
    """Scenarios that differ in a setting the kernel reads once cannot share one batched model."""


def _mask(node: Any, parts: list[str]) -> Any:
    if not parts:
        return _MASK
    if not isinstance(node, dict):
        return node
    head, rest = parts[0], parts[1:]
    for key in (list(node) if head == "*" else [head] if head in node else []):
        node[key] = _mask(node[key], rest)
    return node


def _structure(sc: Scenario) -> dict:
    data = sc.model_dump(by_alias=True)
    for path in BATCHED_PATHS:
        _mask(data, path.split("."))
    return data


def batch_key(sc: Scenario) -> str:
    """Everything about a scenario outside ``BATCHED_PATHS``: equal keys may share one batched model."""
    return json.dumps(_structure(sc), sort_keys=True, default=repr)


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
    return path or "<scenario>"


def check_batchable(scenarios: Sequence[Scenario]) -> None:
    """Raise :class:`BatchKeyError` naming the first setting outside ``BATCHED_PATHS`` that differs."""
    if len({id(s) for s in scenarios}) <= 1:
        return
    keys = [batch_key(s) for s in scenarios]
    for r, key in enumerate(keys):
        if key != keys[0]:
            where = _first_difference(_structure(scenarios[0]), _structure(scenarios[r]))
            raise BatchKeyError(
                f"replications 0 and {r} of one batch differ in '{where}', which the kernel reads once per "
                f"batch; only {', '.join(BATCHED_PATHS)} may differ (use model.simulate_runs, which groups "
                "scenarios by model.batch_key.batch_key)")


def group_by_key(scenarios: Sequence[Scenario]) -> list[list[int]]:
    """Positions of the scenarios that may share a model, grouped by batch key in order of first appearance."""
    groups: dict[str, list[int]] = {}
    cache: dict[int, str] = {}
    for k, sc in enumerate(scenarios):
        key = cache.get(id(sc))
        if key is None:
            key = cache[id(sc)] = batch_key(sc)
        groups.setdefault(key, []).append(k)
    return list(groups.values())
