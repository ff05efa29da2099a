"""Citizens' state in columns: one typed numpy array per attribute, indexed by citizen.

Why columns: the weekly hazard, the event handlers and the recorder all work on many citizens at
once with numpy; a Python object per citizen would make every step a loop. The kernel owns one
:class:`CitizenState`; citizen views (model/agents.py) read it for notebooks.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np

from .scenario import ONWARD_STATES


class S(IntEnum):
    """Citizen states. Every citizen who has arrived is in exactly one of them."""

    QUEUED = 0          # on sickness benefit, waiting for a consultant (queue mode)
    ON_BENEFIT = 1      # on sickness benefit, followed by a consultant
    JOBAFKLARING = 2    # transferred at reassessment, on resource-course benefit
    AT_WORK = 3         # returned; may relapse into a new spell
    LEFT = 4            # left the model (only with onward.enabled = false)
    RESSOURCEFORLOEB = 5  # onward states after sickness benefit or jobafklaring (scenario.ONWARD_STATES)
    FLEXJOB = 6
    FOERTIDSPENSION = 7
    CASH_BENEFIT = 8
    UNEMPLOYMENT_INSURANCE = 9
    SELF_SUPPORT = 10


NOT_ARRIVED = -1
NEVER = np.iinfo(np.int64).max  # next_contact of a citizen without a contact due
# columns of the hazard matrix (CitizenState.hs): cumulative hazard and threshold, the spell's static
# log-hazard, the time-varying covariates, and the static effect terms kept for the effect report
HAZARD_COLUMNS = ("H", "E", "lin_static", "who5_0", "progress", "last_contact", "job_goal", "meetings",
                  "spell_start", "state_mult", "treat_start", "treat_len", "eff_employed", "eff_category1",
                  "eff_coordination", "pathway_f", "no_duration", "late_delta", "late_week")
HC = {name: k for k, name in enumerate(HAZARD_COLUMNS)}
STATE_NAMES = ("queued", "on_benefit", "jobafklaring", "at_work", "left") + ONWARD_STATES
assert len(STATE_NAMES) == len(S) and STATE_NAMES[S.RESSOURCEFORLOEB] == "ressourceforloeb"
CODE_OF_STATE = {name: k for k, name in enumerate(STATE_NAMES)}
FIRST_ONWARD = int(S.RESSOURCEFORLOEB)


class CitizenState:
    """The columns of every citizen's discrete and hazard state (row = citizen index; with several
    replications in one model, ``rep`` and ``local`` say whose citizen a row is)."""

    # the hazard columns (HAZARD_COLUMNS), set in __init__ as strided views into ``hs``
    H: np.ndarray; E: np.ndarray; lin_static: np.ndarray; who5_0: np.ndarray; progress: np.ndarray  # noqa: E702
    last_contact: np.ndarray; job_goal: np.ndarray; meetings: np.ndarray; spell_start: np.ndarray  # noqa: E702
    state_mult: np.ndarray; treat_start: np.ndarray; treat_len: np.ndarray; eff_employed: np.ndarray  # noqa: E702
    eff_category1: np.ndarray; eff_coordination: np.ndarray; pathway_f: np.ndarray; no_duration: np.ndarray  # noqa: E702
    late_delta: np.ndarray; late_week: np.ndarray  # noqa: E702

    def __init__(self, n: int, who5: np.ndarray, paid_slots: int, rep: np.ndarray | None = None,
                 local: np.ndarray | None = None):
        i8, i32, i64 = np.int8, np.int32, np.int64
        # the replication of each row and the citizen's number within it (model/batch.py; one run: 0 and the row)
        self.rep = np.zeros(n, i64) if rep is None else rep
        self.local = np.arange(n, dtype=i64) if local is None else local
        self.state = np.full(n, NOT_ARRIVED, i8)
        self.pathway = np.full(n, -1, i8)      # pathway code of the current spell (PATHWAYS)
        self.arm = np.full(n, -1, i8)          # pathway first allocated to (trial arm)
        self.spell = np.full(n, -1, i32)       # current spell number
        self.token = np.zeros(n, i64)          # bumped when a spell or phase ends: stale events are ignored
        self.treat_token = np.zeros(n, i64)    # bumped when a treatment episode ends
        self.ext_token = np.zeros(n, i64)      # bumped at each extension decision
        self.consultant = np.full(n, -1, i32)  # consultant number in the pathway's pool, -1 = none
        self.provider = np.full(n, -1, i8)     # provider code treating or waited for, -1 = none
        self.therapist = np.full(n, -1, i32)   # therapist number at the provider, -1 = none / external
        self.in_aftercare = np.zeros(n, bool)
        self.pending_referral = np.zeros(n, bool)  # treatment referral waits for the first contact
        self.relapse_pending = np.zeros(n, bool)
        # follow-up rhythm computed, not booked: the week of the next contact and the order it was set in
        self.next_contact = np.full(n, NEVER, i64)
        self.contact_seq = np.zeros(n, i64)
        self.row = np.full(n, -1, i64)         # spell-table row of the current (or last) spell
        self.onward_row = np.full(n, -1, i64)  # open onward row
        self.onward_steps = np.zeros(n, i32)   # onward transitions so far (indexes the onward draws)
        # hazard state: one float matrix, a row per citizen, so the weekly hazard gathers the active rows
        # in one indexing operation; each column is also an attribute (a strided view) for the handlers
        self.hs = np.zeros((n, len(HAZARD_COLUMNS)))
        for k, name in enumerate(HAZARD_COLUMNS):
            setattr(self, name, self.hs[:, k])
        self.who5_0[:] = who5
        self.treat_len[:] = 1.0
        self.last_contact[:] = -1e6
        self.state_mult[:] = 1.0
        self.in_treat = np.zeros(n, bool)
        self.active = np.zeros(n, bool)        # an open spell (queued, on benefit or jobafklaring)
        # earlier spells' counted sickness-benefit weeks [a, b) (§ 24), one slot per spell
        self.paid_a = np.zeros((n, paid_slots), i64)
        self.paid_b = np.zeros((n, paid_slots), i64)
        self.paid_n = np.zeros(n, np.int8)

    def paid_history(self, i: int) -> list[tuple[int, int]]:
        k = int(self.paid_n[i])
        return list(zip(self.paid_a[i, :k].tolist(), self.paid_b[i, :k].tolist()))

    def in_states(self, idx: np.ndarray, *states: int) -> np.ndarray:
        return np.isin(self.state[idx], states)

    def open_(self, idx: np.ndarray) -> np.ndarray:
        """On sickness benefit (queued or followed) or in jobafklaring."""
        return self.state[idx] <= S.JOBAFKLARING

    def on_benefit(self, idx: np.ndarray) -> np.ndarray:
        """On sickness benefit (queued or followed by a consultant)."""
        return self.state[idx] <= S.ON_BENEFIT


def present(codes: np.ndarray) -> list[int]:
    """The distinct codes in an array, ascending (a set for small arrays: cheaper than np.unique)."""
    if codes.size <= 4096:
        distinct = set(codes.tolist())
        return sorted(distinct) if len(distinct) > 1 else list(distinct)  # often one code: nothing to sort
    return np.unique(codes).tolist()
