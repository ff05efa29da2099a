"""Compiled loops for the capacity rules that are sequential by nature (model/capacity.py).

Why compiled: each rule below serves requests one after another, and each request's answer depends on
the ones before it (a therapist's slot taken, a consultant's hours booked, a waiting list's head
removed). A week of a 100,000-citizen run or of a batch of 64 replications has hundreds of such
requests, which as Python calls cost a few microseconds each; as one compiled loop they cost nanoseconds.
Each kernel does the same integer and floating-point operations, in the same order, as the plain rule
its docstring states (the unit tests in tests/unit/test_capacity_kernel.py check them against it).

Layouts: a provider's or pool's counts are one matrix (replication, therapist / consultant), as the
model keeps them (``RTWModel.provider_used``, ``RTWModel.pool_hours``); a request names its
replication (row) and, where it matters, its therapist / consultant (column).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def take_therapists(used: np.ndarray, n_ther: np.ndarray, slots: np.ndarray, reps: np.ndarray,
                    required: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled (tested through the reference)
    """Referred citizens, in order, take a therapist of their replication ``reps[j]``.

    Rule (``TreatmentProvider.free_therapist`` then ``assign``, one citizen at a time): a citizen whose
    team's therapist is ``required[j] >= 0`` takes it if it has a free slot (``used < slots``); any other
    takes the therapist with the fewest used slots among the replication's first ``n_ther[r]`` (the lowest
    number on ties) if that one has a free slot. A taken slot counts at once (``used[r, k] += 1``).
    Returns each citizen's therapist, -1 where it must wait."""
    out = np.full(reps.size, -1, np.int64)
    for j in range(reps.size):
        r = reps[j]
        req = required[j]
        if req >= 0:
            k = req if req < n_ther[r] and used[r, req] < slots[r] else -1
        else:
            k = -1
            best = 0
            for c in range(n_ther[r]):
                if k < 0 or used[r, c] < best:
                    k = c
                    best = used[r, c]
            if k >= 0 and best >= slots[r]:
                k = -1
        if k >= 0:
            used[r, k] += 1
            out[j] = k
    return out


@njit(cache=True)
def book_hours(used: np.ndarray, keys: np.ndarray, reps: np.ndarray, n_reps: int, hours: float, cap: float,
               many: int) -> np.ndarray:  # pragma: no cover - compiled (tested through the reference)
    """Requests, in order, book ``hours`` on ``used[keys[j]]`` (a flat view of (replication, consultant)
    hours this week); returns whether each fits. ``cap`` is the weekly limit plus 1e-9.

    Rule (``CaseloadPool.book_hours``): a replication with at most ``many`` requests in this call books
    them one at a time: a request fits if ``used + hours <= cap``, and then ``used += hours``. One with
    more books them as the vectorised rule did: a consultant's room is ``floor((cap - used) / hours +
    1e-9)`` requests, read before this call's bookings, the first requests up to the room fit, and each
    that fits adds ``hours`` in request order."""
    count = np.zeros(n_reps, np.int64)
    for j in range(reps.size):
        count[reps[j]] += 1
    room = np.zeros(used.size, np.int64)
    taken = np.zeros(used.size, np.int64)
    ok = np.zeros(keys.size, np.bool_)
    for j in range(keys.size):
        k = keys[j]
        if count[reps[j]] > many:
            if taken[k] == 0:  # the first request for this consultant: its room before any booking
                room[k] = np.int64(np.floor((cap - used[k]) / hours + 1e-9))
            if taken[k] < room[k]:
                used[k] += hours
                ok[j] = True
            taken[k] += 1
        else:
            after = used[k] + hours
            if after <= cap:
                used[k] = after
                ok[j] = True
    return ok


@njit(cache=True)
def join_lists(head: np.ndarray, tail: np.ndarray, joined: np.ndarray, citizen: np.ndarray, token: np.ndarray,
               place: np.ndarray, nxt: np.ndarray, n: int, reps: np.ndarray, idx: np.ndarray, required: np.ndarray,
               treat_token: np.ndarray) -> int:  # pragma: no cover - compiled (tested through the reference)
    """Citizens ``idx``, in order, join the end of their replication's waiting list (see
    :class:`model.capacity.WaitingLists`): list 0 for any therapist, list ``1 + required`` for a team's own.
    Each entry keeps the citizen, its treatment token now and its place (a running number per replication).
    Entries are the next rows of the entry arrays from row ``n``; returns the new number of rows."""
    for j in range(idx.size):
        r = reps[j]
        q = 0 if required[j] < 0 else 1 + required[j]
        citizen[n] = idx[j]
        token[n] = treat_token[idx[j]]
        place[n] = joined[r]
        nxt[n] = -1
        joined[r] += 1
        if tail[r, q] >= 0:
            nxt[tail[r, q]] = n
        else:
            head[r, q] = n
        tail[r, q] = n
        n += 1
    return n


@njit(cache=True)
def _first_waiting(head: np.ndarray, tail: np.ndarray, citizen: np.ndarray, token: np.ndarray, nxt: np.ndarray,
                   treat_token: np.ndarray, r: int, q: int) -> int:  # pragma: no cover - compiled
    """The first entry of list (r, q) whose citizen still waits (its token unchanged); earlier entries, of
    citizens who left the list, are dropped. -1 if none."""
    e = head[r, q]
    while e >= 0 and token[e] != treat_token[citizen[e]]:
        e = nxt[e]
    head[r, q] = e
    if e < 0:
        tail[r, q] = -1
    return e


@njit(cache=True)
def serve_lists(head: np.ndarray, tail: np.ndarray, citizen: np.ndarray, token: np.ndarray, place: np.ndarray,
                nxt: np.ndarray, reps: np.ndarray, ks: np.ndarray, treat_token: np.ndarray,
                used: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled (tested through the reference)
    """Freed therapists ``ks[j]`` of replications ``reps[j]``, in order, each take the first citizen in FIFO
    order whom they may treat: the earlier (by place) of the heads of list 0 (any therapist) and of list
    ``1 + k`` (its team's), removed from its list (``TreatmentProvider.next_for``). Returns the citizens,
    -1 where both lists are empty: then the slot is free again (``used[r, k] -= 1``; used: (replication,
    therapist) slots taken)."""
    out = np.full(ks.size, -1, np.int64)
    for j in range(ks.size):
        r = reps[j]
        a = _first_waiting(head, tail, citizen, token, nxt, treat_token, r, 0)
        t = _first_waiting(head, tail, citizen, token, nxt, treat_token, r, 1 + ks[j])
        if a < 0 and t < 0:
            used[r, ks[j]] -= 1
            continue
        q, e = (0, a) if t < 0 or (a >= 0 and place[a] < place[t]) else (1 + ks[j], t)
        out[j] = citizen[e]
        head[r, q] = nxt[e]
        if nxt[e] < 0:
            tail[r, q] = -1
    return out


@njit(cache=True)
def admit_least_loaded(loads: np.ndarray, limits: np.ndarray, reps: np.ndarray,
                       queue_mode: bool) -> np.ndarray:  # pragma: no cover - compiled (tested through the reference)
    """New citizens, in order, take the least-loaded consultant of their replication ``reps[j]`` (the lowest
    number on ties; ``loads[r, c] += 1``). In queue mode, once that consultant is at the norm ``limits[r]``,
    the citizen and the replication's citizens after it in this call wait (``CaseloadPool.admit``).
    Returns each citizen's consultant, -1 for those who wait."""
    out = np.full(reps.size, -1, np.int64)
    full = np.zeros(limits.size, np.bool_)
    for j in range(reps.size):
        r = reps[j]
        if full[r]:
            continue
        c = 0
        for x in range(1, loads.shape[1]):
            if loads[r, x] < loads[r, c]:
                c = x
        if queue_mode and loads[r, c] >= limits[r]:
            full[r] = True
            continue
        loads[r, c] += 1
        out[j] = c
    return out


@njit(cache=True)
def end_courses(idx: np.ndarray, rows: np.ndarray, w: int, completed: bool, pathway: np.ndarray,
                treat_start: np.ndarray, treat_len: np.ndarray, progress: np.ndarray, in_treat: np.ndarray,
                treat_token: np.ndarray, therapist: np.ndarray, provider: np.ndarray, sessions_per_week: np.ndarray,
                end_week: np.ndarray, completed_col: np.ndarray, sessions: np.ndarray,
                ground: np.ndarray):  # pragma: no cover - compiled (tested through the reference)
    """Courses of citizens ``idx`` (distinct; spell-table ``rows``) end in week ``w``: per citizen, the state and
    record updates of ``TreatmentRules._end_treatment``, whose numpy reading is: weeks_in = w - treat_start;
    progress = 1 if completed else np.minimum(1, weeks_in / treat_len); sessions = weeks_in ·
    sessions_per_week[pathway]; out of treatment, treatment token + 1, therapist and provider -1. Returns the
    therapists and providers they had, and where the spell's extension ground was nr. 3 (code 2). Compiled:
    a dozen numpy calls on the week's few courses otherwise."""
    n = idx.size
    th = np.empty(n, np.int64)
    prov = np.empty(n, np.int64)
    nr3 = np.empty(n, np.bool_)
    for j in range(n):
        i, r = idx[j], rows[j]
        weeks_in = w - treat_start[i]
        if completed:
            progress[i] = 1.0
        else:
            x = weeks_in / treat_len[i]
            progress[i] = x if x < 1.0 else 1.0  # np.minimum(1.0, x): x is never NaN (treat_len >= 1)
        in_treat[i] = False
        end_week[r] = w
        completed_col[r] = completed
        sessions[r] = weeks_in * sessions_per_week[pathway[i]]
        treat_token[i] += 1
        th[j], prov[j] = therapist[i], provider[i]
        therapist[i] = -1
        provider[i] = -1
        nr3[j] = ground[r] == 2
    return th, prov, nr3


def _warm() -> None:
    """Call each kernel once on tiny arrays: numba's first call in a process loads the compiled code and
    initialises its compiler (0.2-0.5 s CPU, once), which belongs with the imports, not inside a first run."""
    used = np.zeros((1, 2), np.int64)
    one = np.zeros(1, np.int64)
    take_therapists(used, np.array([2]), np.array([1]), one, np.array([-1]))
    admit_least_loaded(used, np.array([1]), one, True)
    book_hours(np.zeros(2), one, one, 1, 1.0, 2.0, 32)
    book_hours(np.zeros(2), np.zeros(1, np.int32), one, 1, 1.0, 2.0, 32)  # the consultant column's type
    head, tail = np.full((1, 3), -1, np.int64), np.full((1, 3), -1, np.int64)
    citizen, token, place, nxt = (np.zeros(1, np.int64) for _ in range(4))
    n = join_lists(head, tail, np.zeros(1, np.int64), citizen, token, place, nxt, 0, one, one, np.array([-1]), one)
    serve_lists(head, tail, citizen, token, place, nxt, one, np.zeros(1, np.int32), one, used)  # the therapist column's type
    assert n == 1


_warm()
