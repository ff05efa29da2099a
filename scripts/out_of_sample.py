"""Out-of-sample checks of the evidence bases (docs/validation.md, section 9).

Each check fits on one part of the evidence and predicts another part it never saw:

A. IBBIS I trials -> Copenhagen local monitoring: the copenhagen_ibbis scenario under the ibbis1_trials
   evidence (trial effects by diagnosis group, no context spread so the point prediction is the trial's),
   scored against the local targets (calibration/targets/copenhagen_ibbis.yaml).
B. Copenhagen local monitoring -> IBBIS I trials: the pooled trial scenario with the effect levers fitted to
   the local figures (not the baseline level, which is the trial population's), scored against the trial
   targets (calibration/targets/ibbis1_trials.yaml).
C. Depression/anxiety only -> stress: the ibbis1_trials accepted sets with the stress-related effects set to
   zero (what a fit to the depression/anxiety trial alone would carry over), scored against the stress targets.
D. 12 months -> 24 months: the ibbis1_trials accepted sets (fitted to the 12-month results only) predict the
   24-month follow-up of the depression/anxiety trial (calibration/holdout/ibbis1_trials_24m.yaml, never fitted).

For each target: the observed range, the predicted mean over the sets (one replication per set, 95% t-interval)
and whether the prediction lies in the target's range. Replication r uses set r mod K, at least 10 replications. Run: .venv/bin/python scripts/out_of_sample.py [--reps N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calibration.objective import simulate_targets  # noqa: E402
from calibration.targets import load_targets  # noqa: E402
from model import load_scenario  # noqa: E402
from model.evidence import load_evidence  # noqa: E402
from model.parameter_sets import accepted_parameter_sets  # noqa: E402
from model.intervals import t_interval  # noqa: E402
from model.streams import replication_seeds  # noqa: E402


def predict(scenario, sets: list[dict], targets, seed: int = 20261130) -> pd.DataFrame:
    """Replication r uses set r mod K (at least 10 replications), targets scored on the means."""
    weeks = scenario.horizon_weeks
    rows = []
    n = max(len(sets), 10)
    for r, ss in enumerate(replication_seeds(seed, n)):
        s = sets[r % len(sets)]
        rows.append(simulate_targets(scenario.with_overrides(s), targets, weeks, ss, 1).iloc[0].to_dict())
    per = pd.DataFrame(rows)
    out = []
    for t in targets.targets:
        m, _sd, lo, hi = t_interval(per[t.name])
        out.append({"target": t.name, "observed": t.describe(), "predicted": m, "pred_low": lo, "pred_high": hi,
                    "within": t.within(m), "z": t.z(m)})
    return pd.DataFrame(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=None, help="at most this many sets per check (default: all)")
    args = ap.parse_args()
    cut = (lambda x: x[: args.reps]) if args.reps else (lambda x: x)
    pd.set_option("display.width", 200)

    trial_sets = [{k: v for k, v in s.items() if k != "pathways.integrated.context_log_sd"}
                  for s in load_evidence("ibbis1_trials").parameter_sets()]
    local_targets, _ = load_targets("copenhagen_ibbis")
    a = predict(load_scenario("copenhagen_ibbis"), cut(trial_sets), local_targets)
    print("\nA. IBBIS I trials -> Copenhagen local monitoring (copenhagen_ibbis)")
    print(a.round(3).to_string(index=False))

    trial_targets, _ = load_targets("ibbis1_trials")
    local_sets = [{k: v for k, v in s.items() if not k.startswith("hazard.baseline_weekly")}
                  for s in accepted_parameter_sets("calibrated/copenhagen_ibbis")]
    trial_point = load_scenario("ibbis1_trials")
    base_scale = {k: v for k, v in accepted_parameter_sets("calibrated/ibbis1_trials")[0].items()
                  if k.startswith("hazard.baseline_weekly")}   # the trial population's level from the trial fit
    b = predict(trial_point.with_overrides(base_scale), cut(local_sets), trial_targets)
    print("\nB. Copenhagen local monitoring -> IBBIS I trials (ibbis1_trials, trial baseline level)")
    print(b.round(3).to_string(index=False))

    full = accepted_parameter_sets("calibrated/ibbis1_trials")
    no_stress = [{**s, "pathways.integrated.diagnosis_effect.stress_related": 0.0,
                  "pathways.uncoordinated.diagnosis_effect.stress_related": 0.0} for s in full]
    c = predict(load_scenario("ibbis1_trials"), cut(no_stress), trial_targets)
    c = c[c["target"].str.startswith("st_")]
    print("\nC. Depression/anxiety effects only -> stress-related trial (stress effects set to zero)")
    print(c.round(3).to_string(index=False))
    later, _ = load_targets(ROOT / "calibration" / "holdout" / "ibbis1_trials_24m.yaml")
    # 52 weeks of recruitment + 104 weeks of follow-up, so that every citizen can be followed 24 months
    d = predict(load_scenario("ibbis1_trials").with_overrides({"horizon_weeks": 156}), cut(full), later)
    print("\nD. 12-month fit -> 24-month follow-up of the depression/anxiety trial")
    print(d.round(3).to_string(index=False))
    checks = (a, b, c, d)
    n_within = int(sum(x["within"].sum() for x in checks))
    print(f"\n{n_within} of {sum(len(x) for x in checks)} out-of-sample targets predicted within their ranges")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
