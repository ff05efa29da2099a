"""The three kinds of Mesa agent: Citizen, Consultant and Therapist.

Agents hold the discrete state of the story (pathway, who follows whom, counters). The
return-to-work hazard is computed for all active citizens at once from arrays on the model
(see ``hazards.py``); a citizen's ``idx`` is its row in those arrays.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa

if TYPE_CHECKING:  # pragma: no cover
    from .model import RTWModel


class State:
    """Citizen states. Every citizen who has arrived is in exactly one of them."""

    QUEUED = "queued"            # on sickness benefit, waiting for a consultant (queue mode)
    ON_BENEFIT = "on_benefit"    # on sickness benefit, followed by a consultant
    JOBAFKLARING = "jobafklaring"  # transferred at reassessment, on resource-course benefit
    AT_WORK = "at_work"          # returned; may relapse into a new spell
    LEFT = "left"                # left the model (only with onward.enabled = false)
    # onward states after sickness benefit or jobafklaring (issue 12; scenario.ONWARD_STATES)
    RESSOURCEFORLOEB = "ressourceforloeb"
    FLEXJOB = "flexjob"
    FOERTIDSPENSION = "foertidspension"
    CASH_BENEFIT = "cash_benefit"
    UNEMPLOYMENT_INSURANCE = "unemployment_insurance"
    SELF_SUPPORT = "self_support"
    ONWARD = (RESSOURCEFORLOEB, FLEXJOB, FOERTIDSPENSION, CASH_BENEFIT, UNEMPLOYMENT_INSURANCE, SELF_SUPPORT)
    OPEN = (QUEUED, ON_BENEFIT, JOBAFKLARING)
    ALL = (QUEUED, ON_BENEFIT, JOBAFKLARING, AT_WORK, LEFT) + ONWARD


class Citizen(mesa.Agent):
    """A newly sick-listed citizen; one spell at a time, up to ``relapse.max_spells`` spells."""

    def __init__(self, model: "RTWModel", idx: int):
        super().__init__(model)
        self.idx = idx
        self.spell = -1
        self.arm: str | None = None        # pathway first allocated to (trial arm)
        self.pathway: str | None = None
        self.state: str | None = None
        self.token = 0                     # bumped when a spell or phase ends: stale events are ignored
        self.treat_token = 0               # bumped when a treatment episode ends
        self.consultant: Consultant | None = None
        self.therapist: Therapist | None = None
        self.required_therapist: Therapist | None = None  # fixed-team care manager
        self.provider: str | None = None   # provider currently treating / waiting for
        self.in_aftercare = False
        self.pending_referral = False      # treatment referral waits for the first contact
        self.relapse_pending = False
        self.rec: dict[str, Any] = {}      # the current spell's row of the spell table
        self.row: int | None = None        # index of the last closed spell row (to add relapse)
        self.ext_token = 0                 # bumped at each extension decision: stale reviews are ignored
        self.paid: list[tuple[int, int]] = []  # earlier spells' counted sickness-benefit weeks [a, b) (§ 24)
        self.onward_row: int | None = None  # index of the open onward row
        self.onward_steps = 0              # onward transitions so far (indexes the onward draws)


class Consultant(mesa.Agent):
    """Employment consultant (beskæftigelseskonsulent) with a caseload norm and meeting hours."""

    def __init__(self, model: "RTWModel", pool: str, number: int, caseload_limit: int, hours_per_week: float | None):
        super().__init__(model)
        self.pool = pool
        self.number = number
        self.caseload_limit = caseload_limit
        self.hours_per_week = hours_per_week
        self.caseload: set[int] = set()    # citizen idx
        self.hours_week = -1
        self.hours_used = 0.0
        self.hours_total = 0.0

    def book(self, week: int, hours: float) -> bool:
        """Book meeting hours this week; False when the week is full (the contact moves on a week)."""
        if self.hours_week != week:
            self.hours_week, self.hours_used = week, 0.0
        if self.hours_per_week is not None and self.hours_used + hours > self.hours_per_week + 1e-9:
            return False
        self.hours_used += hours
        self.hours_total += hours
        return True


class Therapist(mesa.Agent):
    """Psychologist / care manager / psychiatrist with a number of concurrent treatment slots."""

    def __init__(self, model: "RTWModel", provider: str, number: int, slots: int):
        super().__init__(model)
        self.provider = provider
        self.number = number
        self.slots = slots
        self.patients: set[int] = set()

    @property
    def free(self) -> int:
        return self.slots - len(self.patients)
