"""Return-to-work and relapse hazards with named effects (DESIGN §4).

h = h0(diagnosis)·rr(risk)·d(sickness week)·m(state)·exp(Σ β_k·x_k), P(return this week) = 1 − exp(−h).

Each citizen carries an Exp(1) threshold E drawn at arrival and returns in the first week in which
the cumulative hazard H reaches E. This is the same law as a weekly Bernoulli draw with
p = 1 − exp(−h), but it couples scenarios monotonically: a citizen whose hazard is higher under a
policy returns no later than under the baseline (common random numbers).
"""
from __future__ import annotations

import math

import numpy as np

from . import hazard_kernel
from .scenario import DIAGNOSES, DIAGNOSIS_GROUPS, PATHWAYS, RISKS, Scenario

NEVER_WEEK = 1e9
"""A week no run reaches: the switch week of a pathway without a late effect."""
EFFECT_NAMES = ("wellbeing", "treatment_progress", "recent_contact", "job_goal", "tripartite_meeting",
                "employed", "category1", "coordination")


def step_table(steps: list[tuple[int, float]], length: int) -> np.ndarray:
    """Expand a piecewise-constant table [(from_week, value), ...] to an array over weeks 0..length-1."""
    out = np.empty(length)
    for k, (start, value) in enumerate(steps):
        end = steps[k + 1][0] if k + 1 < len(steps) else length
        out[min(start, length):min(end, length)] = value
    return out


class HazardModel:
    """Scenario-level constants of the hazard, precomputed once per run."""

    def __init__(self, sc: Scenario, horizon: int, context_rng: np.random.Generator | None = None):
        hz = sc.hazard
        self.log_h0 = np.log(np.maximum([hz.baseline_weekly[d] for d in DIAGNOSES], 1e-300))
        self.log_rr = np.log(np.maximum([hz.risk_multiplier[r] for r in RISKS], 1e-300))
        self.zero_h0 = np.array([hz.baseline_weekly[d] == 0 for d in DIAGNOSES])
        self.zero_rr = np.array([hz.risk_multiplier[r] == 0 for r in RISKS])
        self.duration = step_table([(s.from_week, s.multiplier) for s in hz.duration_dependence], horizon + 200)
        e = hz.effects
        self.beta = {"wellbeing": e.wellbeing, "treatment_progress": e.treatment_progress,
                     "recent_contact": e.recent_contact, "job_goal": e.job_goal,
                     "tripartite_meeting": e.tripartite_meeting, "employed": e.employed, "category1": e.category1}
        # Implementation/context factor: one standard-normal draw per replication (the municipality), scaled by
        # each pathway's context_log_sd. Always drawn, so the stream is the same whatever the SDs (CRN).
        z = float(context_rng.standard_normal()) if context_rng is not None else 0.0
        self.context_z = z
        self.coordination = np.array([(sc.pathways[p].coordination_effect + sc.pathways[p].context_log_sd * z)
                                      if p in sc.pathways else 0.0 for p in PATHWAYS])
        # Pathway effect by diagnosis group: rows pathways, columns diagnoses.
        group_of = {d: g for g, ds in DIAGNOSIS_GROUPS.items() for d in ds}
        self.diagnosis_effect = np.array([[sc.pathways[p].diagnosis_effect.get(group_of[d], 0.0) if p in sc.pathways
                                           else 0.0 for d in DIAGNOSES] for p in PATHWAYS])
        # The pathway's effect on leaving for other reasons, by diagnosis group (same layout).
        self.other_exit_effect = np.array([[sc.pathways[p].other_exit_effect.get(group_of[d], 0.0)
                                            if p in sc.pathways else 0.0 for d in DIAGNOSES] for p in PATHWAYS])
        # A different effect from a week after allocation on (late_effect): the change in log-hazard by pathway and
        # diagnosis, and the week of the spell's pathway entry from which it applies (a large number: never).
        self.late_delta = np.array([[sc.pathways[p].late_effect.diagnosis_effect[group_of[d]]
                                     - sc.pathways[p].diagnosis_effect.get(group_of[d], 0.0)
                                     if p in sc.pathways and group_of[d] in sc.pathways[p].late_effect.diagnosis_effect
                                     else 0.0 for d in DIAGNOSES] for p in PATHWAYS])
        self.late_from = np.array([sc.pathways[p].late_effect.from_week or NEVER_WEEK if p in sc.pathways else NEVER_WEEK
                                   for p in PATHWAYS], float)
        self.has_late = bool(np.any(self.late_delta != 0))
        self.window = hz.contact_window_weeks
        self.meeting_cap = hz.meeting_cap
        self.who5_gain = hz.treatment_who5_gain
        self.other_rate = -math.log1p(-hz.other_exit_weekly) if hz.other_exit_weekly < 1 else math.inf

    def static_log(self, diagnosis: int, risk: int, employed: bool, category: int, pathway_code: int) -> float:
        """Parts of the log-hazard fixed for a spell: baseline, risk, workplace, category, coordination (with the
        context draw) and the pathway's effect for the citizen's diagnosis group."""
        if self.zero_h0[diagnosis] or self.zero_rr[risk]:
            return -np.inf
        return (self.log_h0[diagnosis] + self.log_rr[risk] + self.beta["employed"] * employed
                + self.beta["category1"] * (category == 1) + self.coordination[pathway_code]
                + self.diagnosis_effect[pathway_code, diagnosis])

    def contributions(self, week: int, who5_0, progress, last_contact, job_goal, meetings, beta: dict | None = None):
        """Time-varying effect terms β_k·x_k for the active citizens (arrays of equal length); ``beta``: each
        citizen's coefficients when they are not this model's (replications with different parameters).
        The numpy reading of the rule: the weekly step computes the same terms in a compiled loop
        (model/hazard_kernel.py), held equal bit for bit by tests/unit/test_hazard_kernel.py."""
        b = self.beta if beta is None else beta
        who5 = who5_0 + self.who5_gain * progress
        return {
            "wellbeing": b["wellbeing"] * (who5 - 50.0) / 10.0,
            "treatment_progress": b["treatment_progress"] * progress,
            "recent_contact": b["recent_contact"] * ((week - last_contact) < self.window),
            "job_goal": b["job_goal"] * job_goal,
            "tripartite_meeting": b["tripartite_meeting"] * np.minimum(meetings, self.meeting_cap),
        }


class HazardsOfReplications:
    """The per-spell hazard constants of every replication in a batch, stacked with the replication code first
    (model/batch_key.py: the hazard coefficients may differ between replications). Looked up per citizen
    with its replication, they give the same doubles as the replication's own :class:`HazardModel`."""

    def __init__(self, hzs: list[HazardModel]):
        self.log_h0 = np.stack([h.log_h0 for h in hzs])
        self.log_rr = np.stack([h.log_rr for h in hzs])
        self.zero_h0 = np.stack([h.zero_h0 for h in hzs])
        self.zero_rr = np.stack([h.zero_rr for h in hzs])
        self.beta = {k: np.array([h.beta[k] for h in hzs]) for k in hzs[0].beta}
        # the time-varying terms' coefficients, (replication, term) in the order of EFFECT_NAMES
        self.varying_beta = np.stack([self.beta[k] for k in EFFECT_NAMES[:5]], axis=1)
        self.diagnosis_effect = np.stack([h.diagnosis_effect for h in hzs])
        self.other_exit_effect = np.stack([h.other_exit_effect for h in hzs])
        self.late_delta = np.stack([h.late_delta for h in hzs])
        self.late_from = np.stack([h.late_from for h in hzs])
        self.other_rate = np.array([h.other_rate for h in hzs])

    def static_log(self, rep, diagnosis, risk, employed, category, pathway_code, coordination) -> np.ndarray:
        """:func:`static_log_many` with each citizen's replication's constants (the same operations in the same
        order). Called once per run on the grid of codes (model/pathway_spells.py), so numpy's broadcasting is
        all it needs."""
        b = self.beta
        out = (self.log_h0[rep, diagnosis] + self.log_rr[rep, risk] + b["employed"][rep] * employed
               + b["category1"][rep] * (category == 1) + coordination
               + self.diagnosis_effect[rep, pathway_code, diagnosis])
        return np.where(self.zero_h0[rep, diagnosis] | self.zero_rr[rep, risk], -np.inf, out)


def geometric_weeks(e_threshold: float, rate: float) -> float:
    """Weeks until an event with constant weekly hazard ``rate`` given an Exp(1) threshold (>= 1, inf if never)."""
    return float(geometric_weeks_many(np.array([e_threshold], float), rate)[0])


def piecewise_weeks(e_threshold: float, steps: list[tuple[int, float]], multiplier_until: int = 0,
                    multiplier: float = 1.0, limit: int = 10_000) -> float:
    """Week (>= 1) at which the cumulative weekly hazard of a piecewise table reaches the threshold.

    Weekly probabilities p become rates -log(1-p); the first ``multiplier_until`` weeks are scaled by
    ``multiplier`` (aftercare). Returns inf if it is not reached within ``limit`` weeks.
    """
    return float(piecewise_weeks_many(np.array([e_threshold], float), steps, multiplier_until, multiplier, limit)[0])


def static_log_many(hz: HazardModel, diagnosis, risk, employed, category, pathway_code,
                    coordination: np.ndarray | None = None) -> np.ndarray:
    """:meth:`HazardModel.static_log` for arrays of citizens (-inf where a baseline or risk multiplier is 0);
    ``coordination``: each citizen's coordination effect when not ``hz``'s (another replication's context draw)."""
    coordination = hz.coordination[pathway_code] if coordination is None else coordination
    out = (hz.log_h0[diagnosis] + hz.log_rr[risk] + hz.beta["employed"] * employed
           + hz.beta["category1"] * (category == 1) + coordination
           + hz.diagnosis_effect[pathway_code, diagnosis])
    return np.where(hz.zero_h0[diagnosis] | hz.zero_rr[risk], -np.inf, out)


def geometric_weeks_many(e_threshold: np.ndarray, rate) -> np.ndarray:
    """:func:`geometric_weeks` for arrays (float; inf where the event never happens), ``rate`` one number or one
    per threshold. In numpy: ``need = e / rate``; ``np.where((rate > 1e-250) & (need < 1e12),
    np.maximum(1.0, np.ceil(need - 1e-12)), np.inf)``, element by element in a compiled loop
    (model/hazard_kernel.py: called for a handful of citizens at a time)."""
    e = np.asarray(e_threshold, float)
    rate = np.asarray(rate, float)
    if rate.size != 1 and rate.shape != e.shape:
        e, rate = np.broadcast_arrays(e, rate)
    return hazard_kernel.geometric_weeks(np.ascontiguousarray(e).reshape(-1),
                                         np.ascontiguousarray(rate).reshape(-1)).reshape(e.shape)


def piecewise_segments(steps, multiplier_until: int = 0, multiplier: float = 1.0,
                       limit: int = 10_000) -> list[tuple[int, int, float, float]]:
    """(start, length, rate, cumulative hazard before it) of each segment of a piecewise weekly table in which
    the hazard does not vanish, up to ``limit`` (shared by :func:`piecewise_weeks_many` and the relapse
    tables of model/pathway_spells.py, so both walk the same floats)."""
    bounds = sorted({s for s, _ in steps} | {multiplier_until} | {0})
    out, cum = [], 0.0
    for k, start in enumerate(bounds):
        end = bounds[k + 1] if k + 1 < len(bounds) else limit
        if start >= limit:
            break
        p = [v for s, v in steps if s <= start][-1]
        rate = (-math.log1p(-p) if p < 1 else math.inf) * (multiplier if start < multiplier_until else 1.0)
        if rate <= 1e-250:  # none (or a vanishing) hazard in this segment
            continue
        out.append((start, end - start, rate, cum))
        cum += rate * (end - start)
    return out


def piecewise_weeks_many(e_threshold: np.ndarray, steps: list[tuple[int, float]], multiplier_until: int = 0,
                         multiplier: float = 1.0, limit: int = 10_000) -> np.ndarray:
    """:func:`piecewise_weeks` for an array of thresholds sharing one table and multiplier (float; inf if never)."""
    e = np.asarray(e_threshold, float)
    out = np.full(e.shape, np.inf)
    todo = np.ones(e.shape, bool)
    for start, length, rate, cum in piecewise_segments(steps, multiplier_until, multiplier, limit):
        need = (e - cum) / rate if rate < math.inf else np.zeros(e.shape)
        hit = todo & (need <= length)
        out[hit] = start + np.maximum(1.0, np.ceil(need[hit] - 1e-12))
        todo &= ~hit
        if not todo.any():
            break
    return out
