"""Pre-drawn arrivals and per-citizen random draws for a whole run.

Everything random about a citizen is drawn up front, in a fixed layout, from the 'arrivals' and
'attributes' streams: arrival week, diagnosis, risk, WHO-5, workplace, benefit category, trial arm
and, per spell, the exponential thresholds and uniforms that decide return, other exit, waits,
course length, drop-out, uptake, escalation, extension and relapse. A policy changes what happens
to a citizen, never who the citizen is (common random numbers, DESIGN §7).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from .scenario import DIAGNOSES, RISKS, Scenario

MAX_SPELL_SLOTS = 6  # fixed layout so that scenarios with different max_spells share draws
STATIC_COLS = ("diagnosis", "risk", "who5", "employed", "category", "arm")
SPELL_COLS = ("e_return", "e_other", "u_delay", "u_wait", "u_course", "e_dropout", "u_uptake",
              "u_escalation", "u_extension", "e_relapse")
N_COLS = len(STATIC_COLS) + MAX_SPELL_SLOTS * len(SPELL_COLS)
# Draws added by issue 12, taken AFTER the block above so that its numbers are unchanged: per spell,
# the judgement draws of the extension grounds; per citizen, the onward transitions.
RULE_SPELL_COLS = ("u_in_care", "u_nr3", "u_nr2", "u_nr4")
MAX_ONWARD_STEPS = 4  # onward transitions per citizen with their own draws (later ones reuse them cyclically)
ONWARD_COLS = ("u_onward", "e_onward")
N_EXTRA = MAX_SPELL_SLOTS * len(RULE_SPELL_COLS) + MAX_ONWARD_STEPS * len(ONWARD_COLS)


@dataclass
class Population:
    arrival_week: np.ndarray  # int, sorted
    diagnosis: np.ndarray     # int codes into DIAGNOSES
    risk: np.ndarray          # int codes into RISKS
    who5: np.ndarray          # float 0..100
    employed: np.ndarray      # bool
    category: np.ndarray      # int 1 or 2
    u_arm: np.ndarray         # uniform for randomised allocation
    spell: dict[str, np.ndarray]  # name -> (N, MAX_SPELL_SLOTS)
    onward: dict[str, np.ndarray]  # name -> (N, MAX_ONWARD_STEPS)
    group: np.ndarray | None = None  # population code (0 = sick-listed; 1.. = cash_benefit groups, issue 17)

    @property
    def size(self) -> int:
        return int(self.arrival_week.size)


def arrival_weeks(sc: Scenario, weeks: int, rng: np.random.Generator) -> np.ndarray:
    a = sc.arrivals
    if a.mode == "poisson":
        counts = rng.poisson(a.per_year / 52.0, size=weeks)
        return np.repeat(np.arange(weeks), counts)
    recruit = min(a.recruit_weeks, weeks)
    return np.sort(rng.integers(0, recruit, size=a.cohort_size))


def draw_population(sc: Scenario, weeks: int, streams: dict[str, np.random.Generator]) -> Population:
    arr = arrival_weeks(sc, weeks, streams["arrivals"])
    n = arr.size
    u = streams["attributes"].random((n, N_COLS))
    pop = sc.population
    diag_cdf = np.cumsum([pop.diagnosis[d] for d in DIAGNOSES])
    risk_cdf = np.cumsum([pop.risk[r] for r in RISKS])
    diagnosis = np.minimum(np.searchsorted(diag_cdf, u[:, 0], side="right"), len(DIAGNOSES) - 1)
    risk = np.minimum(np.searchsorted(risk_cdf, u[:, 1], side="right"), len(RISKS) - 1)
    who5_mean = np.array([pop.who5_mean[r] for r in RISKS])[risk]
    who5 = np.clip(who5_mean + pop.who5_sd * ndtri(np.clip(u[:, 2], 1e-9, 1 - 1e-9)), 0.0, 100.0)
    employed = u[:, 3] < pop.employed_share
    category = np.where(u[:, 4] < pop.category1_share, 1, 2)
    spell, onward = draw_spell_columns(u, streams["attributes"])
    return Population(arr, diagnosis, risk, who5, employed, category, u[:, 5], spell, onward)


def draw_spell_columns(u: np.ndarray, rng: np.random.Generator) -> tuple[dict, dict]:
    """Per-spell draws from the attribute matrix ``u``, then the rule and onward draws appended after
    it (so adding them left earlier draws unchanged); one layout for every population."""
    n = u.shape[0]
    spell = {}
    base = len(STATIC_COLS)
    for j, name in enumerate(SPELL_COLS):
        cols = u[:, base + j::len(SPELL_COLS)][:, :MAX_SPELL_SLOTS]
        spell[name] = -np.log1p(-cols) if name.startswith("e_") else cols
    extra = rng.random((n, N_EXTRA))
    k = 0
    for name in RULE_SPELL_COLS:
        spell[name] = extra[:, k:k + MAX_SPELL_SLOTS]
        k += MAX_SPELL_SLOTS
    onward = {}
    for name in ONWARD_COLS:
        cols = extra[:, k:k + MAX_ONWARD_STEPS]
        onward[name] = -np.log1p(-cols) if name.startswith("e_") else cols
        k += MAX_ONWARD_STEPS
    return spell, onward
