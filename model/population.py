"""Pre-drawn arrivals and per-citizen random draws for a whole run.

Everything random about a citizen is drawn up front: arrival weeks from the 'arrivals' stream, and
every attribute and per-spell draw by name from the 'attributes' stream (model/draws.py): diagnosis,
risk, WHO-5, workplace, benefit category, trial arm and, per spell, the exponential thresholds and
uniforms that decide return, other exit, waits, course length, drop-out, uptake, escalation,
extension and relapse. A draw's numbers depend only on its name, so adding a draw leaves the others
unchanged; a policy changes what happens to a citizen, never who the citizen is (common random
numbers, DESIGN §7).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from .draws import NamedDraws
from .scenario import DIAGNOSES, RISKS, Scenario
from .streams import stream_seeds

MAX_SPELL_SLOTS = 6  # spells per citizen with their own draws (shared by scenarios with different max_spells)
STATIC_COLS = ("diagnosis", "risk", "who5", "employed", "category", "arm")
# per-spell draws: 'e_' names are Exp(1) thresholds, 'u_' names uniforms
SPELL_COLS = ("e_return", "e_other", "u_delay", "u_wait", "u_course", "e_dropout", "u_uptake",
              "u_escalation", "u_extension", "e_relapse", "u_in_care", "u_nr3", "u_nr2", "u_nr4")
MAX_ONWARD_STEPS = 4  # onward transitions per citizen with their own draws (later ones reuse them cyclically)
ONWARD_COLS = ("u_onward", "e_onward")


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


def static_draws(draws: NamedDraws, n: int) -> dict[str, np.ndarray]:
    """One uniform per citizen for each static attribute, keyed by the attribute's name."""
    return {name: draws.uniform(name, n) for name in STATIC_COLS}


def draw_population(sc: Scenario, weeks: int, rep_seed: np.random.SeedSequence) -> Population:
    """The sick-listed citizens of one replication: arrivals from the 'arrivals' stream, draws by name
    from the 'attributes' stream."""
    seeds = stream_seeds(rep_seed)
    arr = arrival_weeks(sc, weeks, np.random.Generator(np.random.PCG64(seeds["arrivals"])))
    draws = NamedDraws(seeds["attributes"])
    n = arr.size
    u = static_draws(draws, n)
    pop = sc.population
    diag_cdf = np.cumsum([pop.diagnosis[d] for d in DIAGNOSES])
    risk_cdf = np.cumsum([pop.risk[r] for r in RISKS])
    diagnosis = np.minimum(np.searchsorted(diag_cdf, u["diagnosis"], side="right"), len(DIAGNOSES) - 1)
    risk = np.minimum(np.searchsorted(risk_cdf, u["risk"], side="right"), len(RISKS) - 1)
    who5 = who5_scores(sc, risk, u["who5"])
    employed = u["employed"] < pop.employed_share
    category = np.where(u["category"] < pop.category1_share, 1, 2)
    spell, onward = draw_spell_columns(draws, n)
    return Population(arr, diagnosis, risk, who5, employed, category, u["arm"], spell, onward)


def who5_scores(sc: Scenario, risk: np.ndarray, u: np.ndarray) -> np.ndarray:
    pop = sc.population
    who5_mean = np.array([pop.who5_mean[r] for r in RISKS])[risk]
    return np.clip(who5_mean + pop.who5_sd * ndtri(np.clip(u, 1e-9, 1 - 1e-9)), 0.0, 100.0)


def draw_spell_columns(draws: NamedDraws, n: int) -> tuple[dict, dict]:
    """Per-spell and per-onward-step draws, each from its own named generator; one layout for every population."""
    spell = {name: (draws.exponential if name.startswith("e_") else draws.uniform)(name, n, MAX_SPELL_SLOTS)
             for name in SPELL_COLS}
    onward = {name: (draws.exponential if name.startswith("e_") else draws.uniform)(name, n, MAX_ONWARD_STEPS)
              for name in ONWARD_COLS}
    return spell, onward
