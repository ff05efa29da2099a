"""Trial-shaped outputs from the spell table: what a randomised trial of the scenario would report.

Published trials of return-to-work programmes (IBBIS I, Hoff et al. 2022; the Herning stress
clinic, Dalgaard et al. 2017; the Danish RTW programme, Poulsen et al. 2014) report outcomes per
*randomised arm* (intention to treat) from randomisation: the share in work at month m, time to
return to work as Kaplan-Meier curves with a median, and a Cox hazard ratio between arms. This
module computes the same quantities for any scenario, by arm (the ``arm`` column: the pathway a
citizen was first allocated to) or by pathway followed (the ``pathway`` column), overall and by
diagnosis group (``DIAGNOSIS_GROUPS``: depression/anxiety vs stress-related).

Only each citizen's first (index) spell counts, followed from the week the citizen reached the
jobcentre (the model's entry, standing in for randomisation). Survival estimates come from
statsmodels (``SurvfuncRight`` for Kaplan-Meier with Hall-Wellner bands and the median's
interval, ``PHReg`` for the Cox model with Efron ties), not from a hand-written estimator. The one
exception is the calibration's inner loop (``trial_value``), which asks for a hazard ratio some
30,000 times a fit: there ``efron_log_hazard_ratio`` maximises the same Efron partial likelihood on
counts per event week (one binary covariate needs nothing else), over two hundred times faster, and a
test holds it to PHReg's estimate and standard error on tied, censored data.

One replication is one simulated trial: its intervals are the trial's sampling intervals. Across
replications, ``summarise_trial`` gives the mean of each estimate with a t-interval (model
uncertainty), like every other output.
"""
from __future__ import annotations

import math
import warnings
from typing import Literal

import numpy as np
import pandas as pd

from .scenario import DIAGNOSIS_GROUPS, PATHWAYS, ScenarioError

By = Literal["arm", "pathway"]
WEEKS_PER_MONTH = 52.0 / 12.0
DEFAULT_MONTHS = (6, 12, 24)
MEASURES = ("in_work_share", "in_work_difference", "median_weeks", "hazard_ratio")
MAX_LOG_HR = 20.0   # |log HR| beyond this (HR above 5e8) is separation, not an estimate
GROUP_OF = {d: g for g, ds in DIAGNOSIS_GROUPS.items() for d in ds}


class TrialOutputError(ScenarioError):
    """A trial output that cannot be computed as asked (unknown arm, group or horizon), named."""


def output_unit(output: str) -> str | bool:
    """How a fitted quantity reads: 'pp' for a difference of in-work shares, True for a share, False otherwise
    (one rule for every fit table: CLI, report, app)."""
    if output.startswith("in_work_difference"):
        return "pp"
    return "share" in output and "-" not in output


def month_week(month: float) -> int:
    """Weeks after entry that correspond to ``month`` months (52/12 weeks a month, rounded)."""
    return int(round(month * WEEKS_PER_MONTH))


def index_spells(spells: pd.DataFrame) -> pd.DataFrame:
    """Each citizen's first spell per replication, with a ``diagnosis_group`` column."""
    if spells.empty:
        return spells.assign(diagnosis_group=pd.Series(dtype=str))
    first = spells[spells["spell"] == spells.groupby(["replication", "citizen_id"])["spell"].transform("min")]
    return first.assign(diagnosis_group=first["diagnosis"].map(GROUP_OF).fillna("other"))


TRIAL_COLUMNS = ("replication", "arm", "pathway", "diagnosis_group", "arrival_week", "return_week", "end_week",
                 "relapse_week")


def trial_index(spells: pd.DataFrame) -> pd.DataFrame:
    """``index_spells`` keeping only the columns trial values read: selecting rows from it is several times
    cheaper, which matters when a calibration asks for a dozen trial values of every replication."""
    idx = index_spells(spells)
    return idx[[c for c in TRIAL_COLUMNS if c in idx.columns]]


def _check_by(by: str) -> None:
    if by not in ("arm", "pathway"):
        raise TrialOutputError(f"trial outputs: by must be 'arm' (intention to treat) or 'pathway' (pathway followed), got {by!r}")


def _select(idx: pd.DataFrame, by: str, arm: str | None, group: str) -> pd.DataFrame:
    _check_by(by)
    if arm is not None and arm not in PATHWAYS:
        raise TrialOutputError(f"trial outputs: unknown arm {arm!r}; allowed: {list(PATHWAYS)}")
    if group != "all" and group not in DIAGNOSIS_GROUPS:
        raise TrialOutputError(f"trial outputs: unknown diagnosis group {group!r}; allowed: {['all', *DIAGNOSIS_GROUPS]}")
    if arm is None and group == "all":
        return idx
    keep = np.ones(len(idx), bool) if arm is None else idx[by].to_numpy() == arm
    if group != "all":
        keep &= idx["diagnosis_group"].to_numpy() == group
    return idx[keep]


def time_to_return(idx: pd.DataFrame, weeks: int, followup_weeks: int | None = None) -> pd.DataFrame:
    """Weeks from entry to return to work (event) or censoring, for index spells.

    Censored at the end of the simulation, at an exit for other reasons (the citizen leaves the
    risk set) and at ``followup_weeks`` after entry (the trial's follow-up).
    """
    arr = idx["arrival_week"].to_numpy(float)
    ret = idx["return_week"].to_numpy(float)
    end = idx["end_week"].to_numpy(float)
    limit = weeks - arr
    if followup_weeks is not None:
        limit = np.minimum(limit, float(followup_weeks))
    returned = ~np.isnan(ret) & (ret - arr <= limit)
    stop = np.where(np.isnan(end), weeks, end) - arr
    dur = np.where(returned, ret - arr, np.minimum(stop, limit))
    return pd.DataFrame({"duration": np.maximum(dur, 0.0), "event": returned.astype(int)}, index=idx.index)


def in_work_share(idx: pd.DataFrame, weeks: int, month: float) -> tuple[float, int]:
    """Share back at work and not re-sick-listed ``month`` months after entry, among citizens followed that long."""
    t = month_week(month)
    arr = idx["arrival_week"].to_numpy(float)
    ok = arr + t <= weeks - 1
    if not ok.any():
        return math.nan, 0
    ret = idx["return_week"].to_numpy(float)[ok] - arr[ok]
    rel = idx["relapse_week"].to_numpy(float)[ok] - arr[ok] if "relapse_week" in idx else np.full(ok.sum(), np.nan)
    with np.errstate(invalid="ignore"):
        at_work = (ret <= t) & ~(rel <= t)
    return float(np.mean(at_work)), int(ok.sum())


def _survfunc(tt: pd.DataFrame):
    from statsmodels.duration.survfunc import SurvfuncRight

    return SurvfuncRight(tt["duration"].to_numpy(float), tt["event"].to_numpy(int))


def median_weeks(idx: pd.DataFrame, weeks: int, followup_weeks: int | None = None) -> tuple[float, float, float]:
    """Kaplan-Meier median weeks to return with its 95% interval (NaN where not reached)."""
    tt = time_to_return(idx, weeks, followup_weeks)
    if len(tt) == 0 or tt["event"].sum() == 0:
        return math.nan, math.nan, math.nan
    sf = _survfunc(tt)
    med = sf.quantile(0.5)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            lo, hi = sf.quantile_ci(0.5)
        except Exception:  # noqa: BLE001  statsmodels raises when the interval is unbounded
            lo, hi = math.nan, math.nan
    f = lambda x: float(x) if x is not None and np.isfinite(x) else math.nan  # noqa: E731
    return f(med), f(lo), f(hi)


def km_curve(idx: pd.DataFrame, weeks: int, followup_weeks: int | None = None) -> pd.DataFrame:
    """Kaplan-Meier share not yet back at work by week, with the 95% Hall-Wellner band."""
    tt = time_to_return(idx, weeks, followup_weeks)
    if len(tt) == 0 or tt["event"].sum() == 0:
        return pd.DataFrame(columns=["week", "not_returned", "band_low", "band_high", "at_risk"])
    sf = _survfunc(tt)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            lo, hi = sf.simultaneous_cb()
        except Exception:  # noqa: BLE001  too few events for a band
            lo = hi = np.full(len(sf.surv_times), np.nan)
    return pd.DataFrame({"week": np.concatenate([[0.0], sf.surv_times]),
                         "not_returned": np.concatenate([[1.0], sf.surv_prob]),
                         "band_low": np.concatenate([[1.0], lo]), "band_high": np.concatenate([[1.0], hi]),
                         "at_risk": np.concatenate([[len(tt)], sf.n_risk])})


def _cox(a: pd.DataFrame, b: pd.DataFrame, weeks: int, followup_weeks: int | None) -> tuple[float, float, float]:
    """Cox hazard ratio of return to work, index spells ``a`` vs ``b``, with its 95% Wald interval."""
    from statsmodels.duration.hazard_regression import PHReg

    if len(a) == 0 or len(b) == 0:
        return math.nan, math.nan, math.nan
    tt = time_to_return(pd.concat([a, b], ignore_index=True), weeks, followup_weeks)
    if tt["event"].sum() < 2:
        return math.nan, math.nan, math.nan
    x = np.r_[np.ones(len(a)), np.zeros(len(b))][:, None]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = PHReg(tt["duration"].to_numpy(float), x, status=tt["event"].to_numpy(int), ties="efron").fit()
    beta, se = float(res.params[0]), float(res.bse[0])
    if not (np.isfinite(beta) and np.isfinite(se)):
        return math.nan, math.nan, math.nan
    return math.exp(beta), math.exp(beta - 1.959963984540054 * se), math.exp(beta + 1.959963984540054 * se)


def efron_log_hazard_ratio(dur_a: np.ndarray, event_a: np.ndarray, dur_b: np.ndarray,
                           event_b: np.ndarray) -> tuple[float, float]:
    """Cox log hazard ratio of group a vs b with its standard error (Efron's ties), from counts per event time.

    With one binary covariate the Efron partial likelihood depends on the data only through, at each event
    time, how many of each group are at risk (n1, n0) and return (d1, d0): each event time contributes
    d1*beta - sum_j log(theta*a1_j + a0_j), theta = exp(beta), a_j = n - (j/D) d for j < D = d1 + d0.
    Newton's method on this concave function from beta = 0, with step halving. NaN when the estimate is
    not finite (no event in one group, or every return of one group before any of the other) or the
    iteration does not converge. Unlike PHReg's plain Newton steps, the step halving also converges on small
    samples where PHReg returns NaN (the test checks those against the likelihood maximised directly)."""
    ta, tb = np.sort(dur_a[event_a > 0]), np.sort(dur_b[event_b > 0])
    if len(ta) == 0 or len(tb) == 0:
        return math.nan, math.nan
    times = np.unique(np.concatenate([ta, tb]))
    n1 = len(dur_a) - np.searchsorted(np.sort(dur_a), times, "left")
    n0 = len(dur_b) - np.searchsorted(np.sort(dur_b), times, "left")
    d1 = np.searchsorted(ta, times, "right") - np.searchsorted(ta, times, "left")
    d0 = np.searchsorted(tb, times, "right") - np.searchsorted(tb, times, "left")
    tot = d1 + d0
    k = np.repeat(np.arange(len(times)), tot)
    frac = (np.arange(len(k)) - np.repeat(np.cumsum(tot) - tot, tot)) / tot[k]
    a1, a0 = n1[k] - frac * d1[k], n0[k] - frac * d0[k]
    events1 = float(d1.sum())

    def loglik(beta: float) -> float:
        return events1 * beta - float(np.log(math.exp(beta) * a1 + a0).sum())

    beta, ll = 0.0, loglik(0.0)
    for _ in range(60):
        q = math.exp(beta) * a1
        p = q / (q + a0)
        score, info = events1 - float(p.sum()), float((p * (1.0 - p)).sum())
        if info <= 0.0:
            return math.nan, math.nan
        step = score / info
        while True:
            new_ll = loglik(beta + step)
            if new_ll >= ll - 1e-12 or abs(step) < 1e-14:
                break
            step /= 2.0
        beta, ll = beta + step, new_ll
        if abs(step) < 1e-10:
            if abs(beta) > MAX_LOG_HR:   # separated groups: the likelihood keeps rising, no estimate
                return math.nan, math.nan
            q = math.exp(beta) * a1
            p = q / (q + a0)
            return beta, 1.0 / math.sqrt(float((p * (1.0 - p)).sum()))
    return math.nan, math.nan


def hazard_ratio_estimate(a: pd.DataFrame, b: pd.DataFrame, weeks: int, followup_weeks: int | None) -> float:
    """The Cox hazard ratio of ``_cox`` without its interval, by ``efron_log_hazard_ratio`` (for the calibration)."""
    if len(a) == 0 or len(b) == 0:
        return math.nan
    ta, tb = time_to_return(a, weeks, followup_weeks), time_to_return(b, weeks, followup_weeks)
    if ta["event"].sum() + tb["event"].sum() < 2:
        return math.nan
    beta, _ = efron_log_hazard_ratio(ta["duration"].to_numpy(float), ta["event"].to_numpy(int),
                                     tb["duration"].to_numpy(float), tb["event"].to_numpy(int))
    return math.exp(beta) if np.isfinite(beta) else math.nan


def cox_hazard_ratio(idx: pd.DataFrame, weeks: int, arm: str, versus: str, by: By = "arm",
                     followup_weeks: int | None = None) -> tuple[float, float, float]:
    """Cox hazard ratio of return to work, ``arm`` vs ``versus``, with its 95% Wald interval."""
    return _cox(_select(idx, by, arm, "all"), _select(idx, by, versus, "all"), weeks, followup_weeks)


def policy_hazard_ratios(spells: pd.DataFrame, baseline_spells: pd.DataFrame, weeks: int,
                         groups: tuple[str, ...] = ("all",), followup_weeks: int | None = 52) -> dict[str, float]:
    """Cox hazard ratio of return to work for a whole policy against its baseline, in one replication, per group.

    Every citizen's index spell under the policy against the same inflow under the baseline (intention to
    treat at the level of the municipality: whoever the policy reaches or not), within each diagnosis group.
    This is the figure a planner can set beside a trial's hazard ratio for that diagnosis group."""
    policy, baseline = index_spells(spells), index_spells(baseline_spells)
    return {g: _cox(_select(policy, "arm", None, g), _select(baseline, "arm", None, g), weeks, followup_weeks)[0]
            for g in groups}


def policy_hazard_ratio(spells: pd.DataFrame, baseline_spells: pd.DataFrame, weeks: int, group: str = "all",
                        followup_weeks: int | None = 52) -> float:
    """``policy_hazard_ratios`` for one diagnosis group."""
    return policy_hazard_ratios(spells, baseline_spells, weeks, (group,), followup_weeks)[group]


def trial_value(spells: pd.DataFrame, weeks: int, measure: str, arm: str, versus: str | None = None,
                group: str = "all", by: By = "arm", month: float | None = None,
                followup_weeks: int | None = None, idx: pd.DataFrame | None = None) -> float:
    """One trial-shaped number for one replication (the quantity a calibration target names)."""
    idx = index_spells(spells) if idx is None else idx
    if measure == "in_work_share":
        if month is None or month <= 0:
            raise TrialOutputError(f"trial outputs: in_work_share needs month > 0, got {month!r}")
        return in_work_share(_select(idx, by, arm, group), weeks, month)[0]
    if measure == "in_work_difference":
        if month is None or month <= 0 or versus is None:
            raise TrialOutputError(f"trial outputs: in_work_difference needs month > 0 and 'versus', got month={month!r}, "
                                   f"versus={versus!r}")
        return (in_work_share(_select(idx, by, arm, group), weeks, month)[0]
                - in_work_share(_select(idx, by, versus, group), weeks, month)[0])
    if measure == "median_weeks":
        return median_weeks(_select(idx, by, arm, group), weeks, followup_weeks)[0]
    if measure == "hazard_ratio":
        if versus is None:
            raise TrialOutputError("trial outputs: hazard_ratio needs 'versus' (the comparator arm)")
        return hazard_ratio_estimate(_select(idx, by, arm, group), _select(idx, by, versus, group), weeks,
                                     followup_weeks)
    raise TrialOutputError(f"trial outputs: unknown measure {measure!r}; allowed: {list(MEASURES)}")


def trial_table(spells: pd.DataFrame, weeks: int, by: By = "arm", reference: str = "standard",
                months: tuple[int, ...] = DEFAULT_MONTHS, followup_weeks: int | None = 52,
                groups: tuple[str, ...] = ("all", "depression_anxiety", "stress_related")) -> pd.DataFrame:
    """Per replication, arm (or pathway) and diagnosis group: n, share in work at each month, KM median
    with its interval, and the Cox HR against ``reference`` with its interval (within-trial intervals)."""
    _check_by(by)
    idx = index_spells(spells)
    rows = []
    for rep, r_idx in idx.groupby("replication"):
        for group in groups:
            g_idx = r_idx if group == "all" else r_idx[r_idx["diagnosis_group"] == group]
            if g_idx.empty:
                continue
            for arm in [p for p in PATHWAYS if p in set(g_idx[by])]:
                a = g_idx[g_idx[by] == arm]
                row = {"replication": rep, "by": by, "arm": arm, "diagnosis_group": group, "n": len(a)}
                for m in months:
                    row[f"in_work_m{m}"] = in_work_share(a, weeks, m)[0]
                row["median_weeks"], row["median_ci_low"], row["median_ci_high"] = median_weeks(a, weeks, followup_weeks)
                if arm != reference and reference in set(g_idx[by]):
                    row["hr_vs_" + reference], row["hr_ci_low"], row["hr_ci_high"] = cox_hazard_ratio(
                        g_idx, weeks, arm, reference, by, followup_weeks)
                else:
                    row["hr_vs_" + reference], row["hr_ci_low"], row["hr_ci_high"] = math.nan, math.nan, math.nan
                rows.append(row)
    return pd.DataFrame(rows)


def summarise_trial(table: pd.DataFrame, level: float = 0.95, n_sets: int = 1) -> pd.DataFrame:
    """Mean of each trial estimate over replications with an interval, per arm and group: the t-interval of the
    mean, or over replications that cycled ``n_sets`` > 1 parameter sets the evidence interval
    (model.intervals.replication_interval).

    A hazard ratio is averaged on the log scale (its geometric mean); ``trial_ci_low``/``trial_ci_high`` give
    the typical simulated trial's own 95% interval (what a trial of this size would report)."""
    from .intervals import replication_interval

    if table.empty:
        return pd.DataFrame()
    value_cols = [c for c in table.columns if c.startswith("in_work_m") or c in ("median_weeks",) or c.startswith("hr_vs_")]
    rows = []
    for (by, arm, group), g in table.groupby(["by", "arm", "diagnosis_group"], sort=False):
        reps = g["replication"].to_numpy()
        for col in value_cols:
            vals = g[col].to_numpy(float)
            trial_lo = trial_hi = math.nan
            if col.startswith("hr_vs_"):
                with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN bounds: no comparator
                    m, sd, lo, hi = replication_interval(np.log(vals), n_sets, reps, level)
                    # the typical simulated trial's own 95% interval (geometric mean of its bounds)
                    trial_lo = float(np.exp(np.nanmean(np.log(g["hr_ci_low"].to_numpy(float)))))
                    trial_hi = float(np.exp(np.nanmean(np.log(g["hr_ci_high"].to_numpy(float)))))
                m, lo, hi = (math.exp(x) if np.isfinite(x) else math.nan for x in (m, lo, hi))
            else:
                m, sd, lo, hi = replication_interval(vals, n_sets, reps, level)
            if math.isnan(m):
                continue
            rows.append({"by": by, "arm": arm, "diagnosis_group": group, "measure": col, "mean": m,
                         "ci_low": lo, "ci_high": hi, "trial_ci_low": trial_lo, "trial_ci_high": trial_hi,
                         "n_reps": int(np.isfinite(vals).sum()), "mean_n": float(g["n"].mean())})
    return pd.DataFrame(rows)


def km_curves(spells: pd.DataFrame, weeks: int, by: By = "arm", followup_weeks: int | None = None,
              groups: tuple[str, ...] = ("all", "depression_anxiety", "stress_related")) -> pd.DataFrame:
    """Kaplan-Meier curves with 95% bands per arm (or pathway) and diagnosis group, all replications
    pooled (the band then reflects the pooled sample, i.e. a trial as large as all replications)."""
    _check_by(by)
    idx = index_spells(spells)
    frames = []
    for group in groups:
        g_idx = idx if group == "all" else idx[idx["diagnosis_group"] == group]
        for arm in [p for p in PATHWAYS if p in set(g_idx[by])]:
            c = km_curve(g_idx[g_idx[by] == arm], weeks, followup_weeks)
            if len(c):
                frames.append(c.assign(by=by, arm=arm, diagnosis_group=group))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
