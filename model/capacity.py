"""Caseload pools and treatment providers with FIFO waiting lists.

Both keep a FIFO queue with lazy deletion: a citizen who leaves the queue (returns to work,
leaves) is dropped from the ``waiting`` set at once and skipped when reached, so queue lengths are
exact and leaving costs O(1).
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from .agents import Citizen, Consultant, Therapist
from .scenario import ConsultantPool, Provider

if TYPE_CHECKING:  # pragma: no cover
    from .model import RTWModel


class CaseloadPool:
    """Consultants of one pool. New citizens go to the least-loaded consultant below the norm."""

    def __init__(self, model: "RTWModel", name: str, cfg: ConsultantPool):
        self.name = name
        self.cfg = cfg
        self.consultants = [Consultant(model, name, k, cfg.caseload_limit, cfg.hours_per_week) for k in range(cfg.count)]
        self.queue: deque[tuple[int, Citizen, int]] = deque()
        self.waiting: set[int] = set()
        self.capacity = cfg.count * cfg.caseload_limit
        self.load = 0
        # lazy min-heap of (caseload, number): stale entries are skipped, so picking is O(log n)
        self._heap = [(0, c.number) for c in self.consultants]
        self.loads = np.zeros(cfg.count, dtype=np.int64)  # caseload per consultant, for weekly statistics
        self.hours_booked: dict[int, float] = {}

    def _touch(self, consultant: Consultant) -> None:
        n = len(consultant.caseload)
        self.loads[consultant.number] = n
        heapq.heappush(self._heap, (n, consultant.number))

    def book(self, consultant: Consultant, week: int, hours: float) -> bool:
        """Book a consultant's meeting hours; pool totals feed the utilisation statistic."""
        if not consultant.book(week, hours):
            return False
        self.hours_booked[week] = self.hours_booked.get(week, 0.0) + hours
        return True

    def least_loaded(self) -> Consultant:
        heap = self._heap
        while True:
            load, number = heap[0]
            cons = self.consultants[number]
            if len(cons.caseload) == load:
                return cons
            heapq.heappop(heap)

    def admit(self, citizen: Citizen) -> Consultant | None:
        """Assign a consultant, or queue the citizen (queue mode, all at the norm). Returns the consultant."""
        best = self.least_loaded()
        if len(best.caseload) >= best.caseload_limit and self.cfg.when_full == "queue":
            self.queue.append((citizen.idx, citizen, citizen.token))
            self.waiting.add(citizen.idx)
            return None
        self._assign(best, citizen)
        return best

    def _assign(self, consultant: Consultant, citizen: Citizen) -> None:
        consultant.caseload.add(citizen.idx)
        citizen.consultant = consultant
        self.load += 1
        self._touch(consultant)

    def release(self, citizen: Citizen) -> Citizen | None:
        """Take a citizen off its consultant's caseload; returns the queued citizen admitted instead, if any."""
        cons = citizen.consultant
        if cons is None:
            self.waiting.discard(citizen.idx)
            return None
        cons.caseload.discard(citizen.idx)
        citizen.consultant = None
        self.load -= 1
        self._touch(cons)
        while self.queue and len(cons.caseload) < cons.caseload_limit:
            idx, nxt, token = self.queue.popleft()
            if idx in self.waiting and nxt.token == token:
                self.waiting.discard(idx)
                self._assign(cons, nxt)
                return nxt
        return None

    def stretch_factor(self, consultant: Consultant) -> float:
        """Follow-up intervals stretch in proportion to caseload above the norm (stretch mode)."""
        if self.cfg.when_full != "stretch":
            return 1.0
        return max(1.0, len(consultant.caseload) / consultant.caseload_limit)


class TreatmentProvider:
    """Internal providers have therapists with slots and one FIFO list; external ones only a waiting time."""

    _seq = itertools.count()

    def __init__(self, model: "RTWModel", name: str, cfg: Provider):
        self.name = name
        self.cfg = cfg
        self.internal = cfg.kind == "internal"
        self.therapists = ([Therapist(model, name, k, cfg.slots_per_therapist) for k in range(cfg.therapists)]
                           if self.internal else [])
        self.queue: deque[tuple[int, Citizen, int, Therapist | None]] = deque()
        self.waiting: set[int] = set()
        self.in_treatment: set[int] = set()
        self.slots_total = sum(t.slots for t in self.therapists)
        self.slots_used = 0
        # lazy heap of (-free slots, number): the therapist with most free slots first
        self._heap = [(-t.free, t.number) for t in self.therapists]
        heapq.heapify(self._heap)

    def free_therapist(self, required: Therapist | None) -> Therapist | None:
        if required is not None:
            return required if required.free > 0 else None
        heap = self._heap
        while heap:
            neg_free, number = heap[0]
            th = self.therapists[number]
            if th.free == -neg_free:
                return th if th.free > 0 else None
            heapq.heappop(heap)
        return None

    def assign(self, therapist: Therapist, idx: int) -> None:
        therapist.patients.add(idx)
        self.slots_used += 1
        heapq.heappush(self._heap, (-therapist.free, therapist.number))

    def unassign(self, therapist: Therapist, idx: int) -> None:
        therapist.patients.discard(idx)
        self.slots_used -= 1
        heapq.heappush(self._heap, (-therapist.free, therapist.number))

    def enqueue(self, citizen: Citizen, required: Therapist | None) -> None:
        self.queue.append((citizen.idx, citizen, citizen.treat_token, required))
        self.waiting.add(citizen.idx)

    def next_for(self, therapist: Therapist) -> Citizen | None:
        """First valid citizen in FIFO order whom ``therapist`` may treat (own team or any)."""
        for pos, (idx, cit, token, required) in enumerate(self.queue):
            if idx not in self.waiting or cit.treat_token != token:
                continue
            if required is None or required is therapist:
                del self.queue[pos]
                self.waiting.discard(idx)
                return cit
        # drop stale entries at the head so the deque does not grow without bound
        while self.queue and (self.queue[0][0] not in self.waiting or self.queue[0][1].treat_token != self.queue[0][2]):
            self.queue.popleft()
        return None
