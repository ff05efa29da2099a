"""Caseload pools and treatment providers with FIFO waiting lists, on the columnar state.

Both keep a FIFO queue of (citizen, token) with lazy deletion: a citizen who leaves the queue
(returns, leaves, moves on) changes state or token and is skipped when reached, so leaving costs
O(1). Caseloads and slots are counts per consultant / therapist; who is on whose caseload is the
citizens' ``consultant`` / ``therapist`` column. The rules that serve citizens one after another
(least-loaded admission, therapists' slots, consultants' hours, the treatment waiting lists) run as
compiled loops over every replication's citizens at once (model/capacity_kernel.py); a consultant
taking queued citizens is a Python loop over the few concerned.

With several replications in one model (model/batch.py) each replication has its own pools and
providers (its own consultants and therapists, numbered from 0, with their own queues); their
caseload and slot counts are rows of one matrix per pool or provider (``loads``/``used`` are views),
so the weekly record reads every replication's counts in one call.
"""
from __future__ import annotations

from collections import deque

import numpy as np

from . import capacity_kernel as kernel
from .agents import Consultant, Therapist
from .scenario import ConsultantPool, Provider
from .state import S, CitizenState

MANY_REQUESTS = 32  # more requests of one replication in one call: booked by the vectorised rule (kept: it defines the results)


_ZEROS = np.zeros(0, np.int64)


def _zeros(n: int) -> np.ndarray:
    """n zeros (the replication code of one pool's requests): a view of one shared array, never written."""
    global _ZEROS
    if n > _ZEROS.size:
        _ZEROS = np.zeros(max(n, 2 * _ZEROS.size, 64), np.int64)
    return _ZEROS[:n]


class CaseloadPool:
    """Consultants of one pool. New citizens go to the least-loaded consultant (lowest number on ties)."""

    def __init__(self, model, name: str, cfg: ConsultantPool, cs: CitizenState, pathway_codes: tuple[int, ...] = (),
                 rep: int = 0, loads: np.ndarray | None = None, hours_used: np.ndarray | None = None):
        self.name = name
        self.cfg = cfg
        self.cs = cs
        self.rep = rep  # the replication whose citizens this pool follows
        self.pathway_codes = pathway_codes  # pathways whose citizens this pool follows
        self.queue_mode = cfg.when_full == "queue"
        # caseload per consultant (a row of the model's matrix of every replication's caseloads)
        self.loads = np.zeros(cfg.count, dtype=np.int64) if loads is None else loads
        self.consultants = [Consultant(model, self, k) for k in range(cfg.count)]
        self.queue: deque[tuple[int, int]] = deque()
        self.capacity = cfg.count * cfg.caseload_limit
        self.hours_used = np.zeros(cfg.count) if hours_used is None else hours_used  # this week's, per consultant
        self.hours_week = -1
        self.hours_booked: dict[int, float] = {}
        self._loads_2d, self._limit = self.loads.reshape(1, -1), np.array([cfg.caseload_limit])  # the kernels' shapes

    @property
    def load(self) -> int:
        return int(self.loads.sum())

    def caseload_of(self, number: int) -> np.ndarray:
        cs = self.cs
        return np.flatnonzero((cs.consultant == number) & np.isin(cs.pathway, self.pathway_codes) & (cs.rep == self.rep))

    def least_loaded(self) -> int:
        """The consultant with the smallest caseload (the lowest number on ties)."""
        return int(np.argmin(self.loads))

    def assign(self, i: int, k: int) -> None:
        self.loads[k] += 1
        self.cs.consultant[i] = k

    def admit(self, idx: np.ndarray) -> np.ndarray:
        """Assign each citizen, in order, the least-loaded consultant (lowest number on ties), or queue it
        and the citizens after it when that one is at the norm (queue mode). Returns the consultant
        numbers, -1 for the queued. One citizen after another, in a compiled loop."""
        out = kernel.admit_least_loaded(self._loads_2d, self._limit, _zeros(idx.size), self.queue_mode)
        if not self.queue_mode:  # every citizen is assigned
            self.cs.consultant[idx] = out
            return out
        ok = out >= 0
        self.cs.consultant[idx[ok]] = out[ok]
        if not ok.all():  # all at the norm (queue mode): the rest wait, in order
            tokens = self.cs.token
            self.queue.extend((i, int(tokens[i])) for i in idx[~ok].tolist())
        return out

    def pop_waiting(self) -> int:
        """The next citizen still waiting (FIFO), removed from the queue; -1 if none."""
        cs, q = self.cs, self.queue
        while q:
            i, tok = q.popleft()
            if cs.state[i] == S.QUEUED and cs.token[i] == tok:
                return i
        return -1

    def release(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Take citizens off their consultants' caseloads; the consultants then take queued citizens.
        Returns (admitted citizens, their consultants)."""
        ks = self.cs.consultant[idx]
        self.cs.consultant[idx] = -1
        np.subtract.at(self.loads, ks, 1)
        if not (self.queue_mode and self.queue):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        taken, by = [], []
        while self.queue:
            k = self.least_loaded()
            got = self.consultants[k].take_from_queue()
            if not got:
                break
            taken += got
            by += [k] * len(got)
        return np.array(taken, np.int64), np.array(by, np.int64)

    def book_hours(self, ks: np.ndarray, hours: float, week: int) -> np.ndarray:
        """Book ``hours`` for each request (in order) with consultant ``ks``; False where the week is full
        (the contact or meeting moves on a week). Equal hours per request: the first ones that fit win."""
        limit = self.cfg.hours_per_week
        if limit is None:  # unlimited hours: nothing to book or report
            return np.ones(ks.size, bool)
        if self.hours_week != week:
            self.hours_week = week
            self.hours_used[:] = 0.0
        # one at a time (up to 32 requests) or the vectorised rule (more), in one compiled loop
        ok = kernel.book_hours(self.hours_used, ks, _zeros(ks.size), 1, float(hours), limit + 1e-9, MANY_REQUESTS)
        n = int(np.count_nonzero(ok))
        if n:
            self.hours_booked[week] = self.hours_booked.get(week, 0.0) + n * hours
        return ok

    def stretch(self, ks: np.ndarray) -> np.ndarray:
        """Follow-up intervals stretch in proportion to caseload above the norm (stretch mode)."""
        if self.cfg.when_full != "stretch":
            return np.ones(ks.size)
        return np.maximum(1.0, self.loads[ks] / self.cfg.caseload_limit)


class PoolsOfReplications:
    """One pool of every replication in the model (``pools[r]`` is replication r's), for the handlers
    that take several replications' citizens at once: the same results as calling each replication's
    pool with its own citizens, in order, with fewer Python calls when every replication has a few."""

    def __init__(self, pools: list[CaseloadPool], loads: np.ndarray, hours_used: np.ndarray):
        self.pools = pools
        self.loads = loads            # (replication, consultant), the pools' rows
        self.hours_used = hours_used  # (replication, consultant), the pools' rows
        self.cfg = pools[0].cfg  # what every replication shares (hours, mode); the norm is each pool's own
        self.limit_of = np.array([p.cfg.caseload_limit for p in pools])  # each replication's norm
        self.queue_mode = pools[0].queue_mode
        self.hours_week = -1  # the week hours_used holds
        self.booked = [p.hours_booked for p in pools]  # each replication's hours booked per week (read by the record)

    def admit(self, reps: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """CaseloadPool.admit of each replication's citizens (``reps``: their replications), in one loop."""
        if len(self.pools) == 1:
            return self.pools[0].admit(idx)
        out = kernel.admit_least_loaded(self.loads, self.limit_of, reps, self.queue_mode)
        ok = out >= 0
        self.pools[0].cs.consultant[idx[ok]] = out[ok]
        if not ok.all():  # each replication's waiting citizens join its queue in order
            tokens = self.pools[0].cs.token
            for i, r in zip(idx[~ok].tolist(), reps[~ok].tolist()):
                self.pools[r].queue.append((i, int(tokens[i])))
        return out

    def release(self, reps: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """CaseloadPool.release of each replication's citizens; returns the queued citizens admitted."""
        if len(self.pools) == 1:
            return self.pools[0].release(idx)[0]
        cs = self.pools[0].cs
        np.subtract.at(self.loads, (reps, cs.consultant[idx]), 1)
        cs.consultant[idx] = -1
        if not self.queue_mode:
            return np.zeros(0, np.int64)
        taken: list[int] = []
        for r in sorted(set(reps.tolist())):
            pool = self.pools[r]
            while pool.queue:
                got = pool.consultants[pool.least_loaded()].take_from_queue()
                if not got:
                    break
                taken += got
        return np.array(taken, np.int64)

    def book_hours(self, reps: np.ndarray, ks: np.ndarray, hours: float, week: int) -> np.ndarray:
        """CaseloadPool.book_hours of each replication's requests (in order) with its consultants ``ks``."""
        R = len(self.pools)
        if R == 1:
            return self.pools[0].book_hours(ks, hours, week)
        limit = self.cfg.hours_per_week
        if limit is None:
            return np.ones(ks.size, bool)
        if self.hours_week != week:  # the pools' hours are rows of hours_used: a new week clears them all
            self.hours_week = week
            self.hours_used[:] = 0.0
        count = self.hours_used.shape[1]
        # each replication's requests as CaseloadPool.book_hours books them (the same doubles), in one loop
        ok = kernel.book_hours(self.hours_used.reshape(-1), reps * count + ks, reps, R, float(hours), limit + 1e-9,
                               MANY_REQUESTS)
        per_rep = np.bincount(reps[ok], minlength=R)
        at = np.flatnonzero(per_rep)
        for booked, n in zip([self.booked[r] for r in at.tolist()], per_rep[at].tolist()):
            booked[week] = booked.get(week, 0.0) + n * hours
        return ok


class WaitingLists:
    """The treatment waiting lists of one provider in every replication, as arrays a compiled loop can serve.

    Replication r has list 0 (citizens any therapist may treat) and list 1 + k (citizens who must wait for
    their team's therapist k); together they are the provider's one FIFO list: entries carry their place
    (a running number per replication), so a freed therapist takes the earlier of its two heads, the same
    citizen as a scan of one list, without the scan. Lists are linked through the entry arrays (``nxt``);
    a citizen who leaves the list changes its treatment token and is dropped when reached (lazy deletion)."""

    def __init__(self, replications: int, therapists: int):
        self.head = np.full((replications, therapists + 1), -1, np.int64)  # first entry of each list, -1 = empty
        self.tail = np.full((replications, therapists + 1), -1, np.int64)
        self.joined = np.zeros(replications, np.int64)  # places handed out, per replication
        self.n = 0  # entries used
        self.citizen, self.token, self.place, self.nxt = (np.zeros(64, np.int64) for _ in range(4))

    def join(self, reps: np.ndarray, idx: np.ndarray, required: np.ndarray, treat_token: np.ndarray) -> None:
        """Citizens ``idx`` (in order) join their replication's list: any therapist's (``required`` -1) or
        their team's."""
        if self.n + idx.size > self.citizen.size:
            size = max(2 * self.citizen.size, self.n + idx.size)
            self.citizen, self.token, self.place, self.nxt = (np.resize(a, size) for a in
                                                              (self.citizen, self.token, self.place, self.nxt))
        self.n = kernel.join_lists(self.head, self.tail, self.joined, self.citizen, self.token, self.place, self.nxt,
                                   self.n, reps, idx, required, treat_token)

    def serve(self, reps: np.ndarray, ks: np.ndarray, treat_token: np.ndarray,
              used: np.ndarray | None = None) -> np.ndarray:
        """The citizen each freed therapist ``ks`` (in order) takes next, removed from its list; -1 if none, and
        then its slot is free again in ``used`` ((replication, therapist) slots taken), when given."""
        if used is None:
            used = np.zeros((self.head.shape[0], self.head.shape[1] - 1), np.int64)
        return kernel.serve_lists(self.head, self.tail, self.citizen, self.token, self.place, self.nxt, reps, ks,
                                  treat_token, used)

    def entries(self, r: int) -> list[tuple[int, int, int, int]]:
        """Replication r's entries as (place, citizen, token, required therapist or -1), in FIFO order."""
        out = []
        for q in range(self.head.shape[1]):
            e = int(self.head[r, q])
            while e >= 0:
                out.append((int(self.place[e]), int(self.citizen[e]), int(self.token[e]), q - 1))
                e = int(self.nxt[e])
        return sorted(out)


class TreatmentProvider:
    """Internal providers have therapists with slots and one FIFO list; external ones only a waiting time.

    The FIFO list is the provider's row ``row`` of :class:`WaitingLists` (its own, or, in a model, one
    shared by the provider's replications so that a compiled loop serves them all at once)."""

    def __init__(self, model, code: int, name: str, cfg: Provider, cs: CitizenState, rep: int = 0,
                 used: np.ndarray | None = None):
        self.code = code
        self.name = name
        self.cfg = cfg
        self.cs = cs
        self.rep = rep  # the replication whose citizens this provider treats
        self.internal = cfg.kind == "internal"
        n = cfg.therapists if self.internal else 0
        self.used = np.zeros(n, np.int64) if used is None else used  # slots used per therapist (a row, as loads)
        self.therapists = [Therapist(model, self, k, cfg.slots_per_therapist) for k in range(n)]
        self.slots = cfg.slots_per_therapist
        self.lists, self.row = WaitingLists(1, n), 0
        self.slots_total = n * cfg.slots_per_therapist

    @property
    def slots_used(self) -> int:
        return int(self.used.sum())

    @property
    def queue(self) -> list[tuple[int, int, int]]:
        """The waiting list in FIFO order as (citizen, treat_token, required therapist or -1), stale entries included."""
        return [(i, tok, req) for _, i, tok, req in self.lists.entries(self.row)]

    def share_lists(self, lists: WaitingLists, row: int) -> None:
        """Keep the waiting list as row ``row`` of ``lists`` (shared with the provider's other replications)."""
        if self.lists.n:
            raise RuntimeError(f"provider {self.name}: its waiting list is in use and cannot move")
        self.lists, self.row = lists, row

    def patients_of(self, number: int) -> np.ndarray:
        cs = self.cs
        return np.flatnonzero((cs.therapist == number) & (cs.provider == self.code) & cs.in_treat & (cs.rep == self.rep))

    def free_therapist(self, required: int) -> int:
        """The required therapist if it has a free slot; else the most free one (lowest number on ties), or -1."""
        used = self.used
        if required >= 0:
            return required if used[required] < self.slots else -1
        if used.size == 0:
            return -1
        k = int(used.argmin())
        return k if used[k] < self.slots else -1

    def assign(self, k: int) -> None:
        self.used[k] += 1

    def unassign(self, k: int) -> None:
        self.used[k] -= 1

    def enqueue(self, i: int, required: int) -> None:
        self.lists.join(np.array([self.row]), np.array([i]), np.array([required]), self.cs.treat_token)

    def next_for(self, k: int) -> int:
        """First valid citizen in FIFO order whom therapist ``k`` may treat (own team or any), removed; -1 if none."""
        return int(self.lists.serve(np.array([self.row]), np.array([k]), self.cs.treat_token)[0])
