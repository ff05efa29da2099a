"""The Mesa agents: consultants and therapists (few, with behaviour) and citizen views.

Consultants and therapists are ``mesa.Agent``s registered with the model: a consultant runs a
caseload and takes the next citizen from its pool's FIFO queue when below the norm; a therapist
takes the next citizen it may treat from its provider's FIFO waiting list. Citizens are many, so
their state lives in columns (model/state.py); a :class:`Citizen` is a light view of one row,
created on demand (``model.citizen(i)`` or iterating ``model.citizens``), never during a run. With
several replications in one model (model/batch.py) every replication has its own consultants and
therapists (``replication``), and ``model.citizens_of(r)`` views replication ``r``'s citizens.
This module imports nothing from the kernel but the state codes (no import circle).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .state import NOT_ARRIVED, STATE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from .capacity import CaseloadPool, TreatmentProvider


class State:
    """State names (the labels of the ``state.*`` weekly columns); codes are in ``model.state.S``."""

    QUEUED, ON_BENEFIT, JOBAFKLARING, AT_WORK, LEFT = STATE_NAMES[:5]
    ONWARD = STATE_NAMES[5:]
    OPEN = (QUEUED, ON_BENEFIT, JOBAFKLARING)
    ALL = STATE_NAMES


class Consultant(mesa.Agent):
    """Employment consultant (beskæftigelseskonsulent) with a caseload norm and meeting hours."""

    def __init__(self, model: mesa.Model, pool: "CaseloadPool", number: int):
        super().__init__(model)
        self.pool = pool
        self.number = number
        self.caseload_limit = pool.cfg.caseload_limit
        self.hours_per_week = pool.cfg.hours_per_week

    @property
    def replication(self) -> int:
        """The replication (code within the model) whose citizens this consultant follows."""
        return self.pool.rep

    @property
    def caseload(self) -> np.ndarray:
        """Citizens on this consultant's caseload (read from the columns; for inspection)."""
        return self.pool.caseload_of(self.number)

    @property
    def load(self) -> int:
        return int(self.pool.loads[self.number])

    def has_room(self) -> bool:
        return self.pool.loads[self.number] < self.caseload_limit

    def take_from_queue(self) -> list[int]:
        """Take queued citizens (FIFO) while below the norm; returns those taken."""
        taken = []
        while self.has_room():
            i = self.pool.pop_waiting()
            if i < 0:
                break
            self.pool.assign(i, self.number)
            taken.append(i)
        return taken


class Therapist(mesa.Agent):
    """Psychologist / care manager / psychiatrist with a number of concurrent treatment slots."""

    def __init__(self, model: mesa.Model, provider: "TreatmentProvider", number: int, slots: int):
        super().__init__(model)
        self.provider = provider
        self.number = number
        self.slots = slots

    @property
    def replication(self) -> int:
        return self.provider.rep

    @property
    def free(self) -> int:
        return self.slots - int(self.provider.used[self.number])

    @property
    def patients(self) -> np.ndarray:
        return self.provider.patients_of(self.number)

    def take_next(self) -> int:
        """The first citizen in FIFO order this therapist may treat (own team or any), or -1."""
        return self.provider.next_for(self.number)


class Citizen:
    """A read-only view of one citizen's row in the columnar state (for notebooks and tests)."""

    __slots__ = ("model", "idx")

    def __init__(self, model, idx: int):
        self.model = model
        self.idx = int(idx)  # the row (in a single run, the citizen's number)

    unique_id = property(lambda self: int(self.model.cs.local[self.idx]))  # the number within its replication
    replication = property(lambda self: int(self.model.replications[int(self.model.cs.rep[self.idx])]))

    def _col(self, name: str):
        return getattr(self.model.cs, name)[self.idx]

    @property
    def state(self) -> str | None:
        code = int(self._col("state"))
        return None if code == NOT_ARRIVED else STATE_NAMES[code]

    @property
    def pathway(self) -> str | None:
        from .scenario import PATHWAYS

        code = int(self._col("pathway"))
        return None if code < 0 else PATHWAYS[code]

    spell = property(lambda self: int(self._col("spell")))
    consultant = property(lambda self: int(self._col("consultant")))
    in_treatment = property(lambda self: bool(self._col("in_treat")))
    in_aftercare = property(lambda self: bool(self._col("in_aftercare")))
    cumulative_hazard = property(lambda self: float(self._col("H")))

    def __repr__(self) -> str:
        return f"Citizen({self.unique_id}, state={self.state}, pathway={self.pathway}, spell={self.spell})"


class CitizenViews:
    """The citizens of one replication who have arrived, as views: ``len``, iteration and indexing by
    citizen number (within the replication)."""

    def __init__(self, model, replication: int = 0):
        self.model = model
        self.r = replication  # code of the replication within the model (0 .. R-1)

    def _rows(self) -> np.ndarray:
        m = self.model
        n = m.n_arrived
        return np.arange(n) if m.R == 1 else np.flatnonzero(m.cs.rep[:n] == self.r)

    def __len__(self) -> int:
        return int(self._rows().size)

    def __iter__(self):
        return (Citizen(self.model, i) for i in self._rows().tolist())

    def __getitem__(self, i: int) -> Citizen:
        rows = self._rows()
        if not 0 <= i < rows.size:
            raise IndexError(f"citizen {i} has not arrived (arrived: {rows.size})")
        return Citizen(self.model, int(rows[i]))

    def select(self, state: str) -> list[Citizen]:
        from .state import CODE_OF_STATE

        rows = self._rows()
        return [Citizen(self.model, int(i)) for i in rows[self.model.cs.state[rows] == CODE_OF_STATE[state]]]
