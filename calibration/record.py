"""The calibration record: point estimate, accepted sets, fit table, diagnostics and provenance.

This is what ``store.save`` writes to ``calibration/calibrated/<name>.yaml`` and what scenarios
(``parameters: calibrated/<name>``) and comparisons (``--parameter-sets``) read back.
"""
from __future__ import annotations

import datetime as dt
import math
import sys
from importlib import metadata
from typing import Any

import optuna
import pandas as pd

from .files import sha256
from .identifiability import correlations, ranges, warnings_for


def _num(x: Any) -> Any:
    """Plain Python numbers rounded to 6 significant digits for a readable, stable YAML."""
    if isinstance(x, dict):
        return {k: _num(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_num(v) for v in x]
    if isinstance(x, (bool, int, str)) or x is None:
        return x
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    if not math.isfinite(f):
        return None if math.isnan(f) else (".inf" if f > 0 else "-.inf")
    return float(f"{f:.6g}")


def _rel(path) -> str:
    from .files import PACKAGE_DIR

    try:
        return str(path.resolve().relative_to(PACKAGE_DIR.parent))
    except ValueError:
        return str(path)


def fit_table(setup, evaluated: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for t in setup.targets.targets:
        sim = evaluated["simulated"][t.name]
        lo, hi = t.accept_range
        rows.append({"target": t.name, "output": t.output, "horizon_weeks": t.follow_weeks, "kind": t.form,
                     "measure": t.kind,
                     "value": t.value, "lower": lo if math.isfinite(lo) else None,
                     "upper": hi if math.isfinite(hi) else None, "source": t.source,
                     "simulated": sim["mean"], "sim_ci_low": sim["ci_low"], "sim_ci_high": sim["ci_high"],
                     "z": t.z(sim["mean"]), "within": t.within(sim["mean"]), "not_significant": t.not_significant})
    return rows


def build_record(setup, study: optuna.Study, evaluated: list[dict[str, Any]]) -> dict[str, Any]:
    st = setup.settings
    accepted = [e for e in evaluated if e["within"]]
    best = accepted[0] if accepted else evaluated[0]
    status = "fitted" if accepted else "unreachable"
    acc_df = pd.DataFrame([a["values"] for a in accepted], columns=setup.free.names)
    n_point = sum(1 for t in setup.targets.targets if t.form == "point")
    warn = warnings_for(setup.free, acc_df, n_point)
    if status == "unreachable":
        missed = [r["target"] for r in fit_table(setup, best) if not r["within"]]
        warn.insert(0, f"UNREACHABLE: no parameter set within the prior ranges reproduces every target; best fit has "
                       f"distance {best['distance']:.3g} (RMS z {best['rms_z']:.2f}) and misses {missed}. "
                       "Do not use these parameters; widen the priors, free other parameters or revisit the targets.")
    trials = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    try:
        version = metadata.version("rtwsim")
    except metadata.PackageNotFoundError:  # pragma: no cover
        from model import __version__ as version
    sc = setup.scenario
    return _num({
        "name": setup.targets.name,
        "status": status,
        "description": f"Calibration of scenario {sc.name!r} to targets {setup.targets.name!r}",
        "provenance": {
            "targets_file": _rel(setup.targets_path), "targets_sha256": sha256(setup.targets_path),
            "free_parameters_file": _rel(setup.free_path), "free_parameters_sha256": sha256(setup.free_path),
            "scenario": sc.name, "scenario_sha256": __import__("hashlib").sha256(sc.to_yaml().encode()).hexdigest(),
            "seed": st.seed, "simulated_weeks": setup.problem.weeks, "warmup_weeks": sc.warmup_weeks,
            "target_horizons_weeks": setup.targets.horizons, "trials": len(trials), "reps_per_trial": st.reps,
            "accept_reps": st.accept_reps, "batch": st.batch, "candidates_reevaluated": len(evaluated),
            "sampler": "optuna TPESampler (multivariate, first quarter random from the prior)",
            "package_version": version, "optuna_version": optuna.__version__,
            "python": sys.version.split()[0],
            "date": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "study_name": setup.study_name, "storage": _rel(setup.storage_path),
        },
        "free_parameters": [{"name": p.name, "target": p.target, "low": p.low, "high": p.high, "log": p.log,
                             "source": p.source} for p in setup.free.parameters],
        "point_estimate": {"parameters": best["values"], "overrides": setup.free.overrides(sc, best["values"]),
                           "distance": best["distance"], "rms_z": best["rms_z"], "trial": best["trial"]},
        "fit": fit_table(setup, best),
        "accepted_ranges": ranges(setup.free, acc_df).to_dict("records"),
        "correlations": correlations(setup.free, acc_df).to_dict("records"),
        "warnings": warn,
        "accepted": [{"parameters": a["values"], "overrides": setup.free.overrides(sc, a["values"]),
                      "distance": a["distance"], "simulated": {k: v["mean"] for k, v in a["simulated"].items()}}
                     for a in accepted],
        "rejected_candidates": [{"parameters": e["values"], "distance": e["distance"],
                                 "simulated": {k: v["mean"] for k, v in e["simulated"].items()}}
                                for e in evaluated if not e["within"]],
    })
