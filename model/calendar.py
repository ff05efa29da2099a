"""The event calendar: per week and event kind, arrays of (citizen, token).

Why arrays: the kernel handles the due citizens of each kind together with numpy; booking and
taking are per batch, never per event. An event carries the citizen's token of its kind at booking
(``TOKEN_OF``); a token bumped since (the spell, treatment or extension ended) makes it stale.

A week whose due lists are being handled is open for more events in the same week (a handler may
book one for "now", handled in a further round); once the week's events are done it is closed:
an event booked into a closed week falls on the next open week instead of a list nobody reads.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np


class Kind(IntEnum):
    """Event kinds, in the order they are handled within a week (docs/odd.md, "Within-week order")."""

    OTHER_EXIT = 0
    REHABILITATION_DECISION = 1
    JOBAFKLARING_END = 2
    ONWARD_END = 3
    AFTERCARE_END = 4
    RELAPSE = 5
    REASSESS = 6
    EXTENSION_REVIEW = 7
    TREAT_END = 8
    DROPOUT = 9
    TREAT_START = 10
    REFERRAL = 11
    MEETING = 12
    # follow-up contacts come last in the week but are not events: FollowupRules._due_contacts


TOKEN_OF = {k: "token" for k in Kind}
TOKEN_OF.update({Kind.TREAT_END: "treat_token", Kind.DROPOUT: "treat_token", Kind.TREAT_START: "treat_token",
                 Kind.EXTENSION_REVIEW: "ext_token", Kind.REHABILITATION_DECISION: "ext_token"})
N_KINDS = len(Kind)
KINDS = tuple(Kind)


class Calendar:
    """Booked events of weeks ``0 .. horizon-1``; events at or beyond the horizon are dropped.

    Each (week, kind) holds array chunks (from large bookings, kept as slices: no copy) and two Python
    lists (citizens, tokens) for small bookings, cheaper than arrays for a small municipality's few
    events a week. Within a kind, chunks come before the listed events, each in booking order.

    With several replications in one model (``rep``: the replication of each citizen row), a booking
    is large or small per replication, so each replication's events come out in the order a run of
    that replication alone would handle them; the small ones are kept as array chunks too (a list of
    "listed" chunks after the large ones), as every replication's few events add up to many."""

    SMALL = 16

    def __init__(self, horizon: int, rep: np.ndarray | None = None, replications: int = 1):
        self.horizon = horizon
        self.open_week = 0  # earliest week whose due lists have not been handled yet
        self._weeks: dict[int, list] = {}
        self._rep = rep if replications > 1 else None
        self._R = replications

    def _slot(self, week: int, kind: int) -> list:
        got = self._weeks.get(week)
        if got is None:
            got = self._weeks[week] = [None] * N_KINDS
        slot = got[kind]
        if slot is None:
            slot = got[kind] = [[], [], [], []]  # array chunks, listed citizens, listed tokens, listed chunks
        return slot

    def book(self, kind: Kind, week, idx: np.ndarray, token: np.ndarray) -> None:
        """Book ``kind`` for citizens ``idx`` (with their tokens) in ``week`` (a number or one per citizen)."""
        n = len(idx)
        if n == 0:
            return
        scalar = not isinstance(week, np.ndarray) or week.ndim == 0
        if n > self.SMALL and self._rep is not None:  # small or large per replication
            r = self._rep[idx]
            small = np.bincount(r, minlength=self._R)[r] <= self.SMALL
            if small.any():
                big = ~small
                if big.any():
                    self._book_chunks(kind, week if scalar else week[big], idx[big], token[big], scalar)
                self._book_listed(kind, week if scalar else week[small], idx[small], token[small], scalar)
                return
        if n <= self.SMALL:
            self._book_listed(kind, week, idx, token, scalar)
        else:
            self._book_chunks(kind, week, idx, token, scalar)

    def _book_listed(self, kind: Kind, week, idx: np.ndarray, token: np.ndarray, scalar: bool) -> None:
        """Small bookings: into the Python lists (a plain loop is cheaper than grouping with numpy), or
        with several replications into the listed chunks."""
        if self._rep is not None:
            self._book_chunks(kind, week, idx, token, scalar, 3)
            return
        horizon, open_week = self.horizon, self.open_week
        if scalar:
            wk = max(int(week), open_week)
            if wk < horizon:
                slot = self._slot(wk, kind)
                slot[1].extend(idx.tolist())
                slot[2].extend(token.tolist())
            return
        booked = self._weeks
        for wk, i, t in zip(week.tolist(), idx.tolist(), token.tolist()):
            if wk < open_week:
                wk = open_week
            if wk < horizon:
                got = booked.get(wk)
                if got is None:
                    got = booked[wk] = [None] * N_KINDS
                slot = got[kind]
                if slot is None:
                    slot = got[kind] = [[], [], [], []]
                slot[1].append(i)
                slot[2].append(t)

    def _book_chunks(self, kind: Kind, week, idx: np.ndarray, token: np.ndarray, scalar: bool, part: int = 0) -> None:
        """Large bookings: array chunks, one per week (``part`` 3: the listed chunks)."""
        horizon, open_week, n = self.horizon, self.open_week, len(idx)
        if scalar:
            wk = max(int(week), open_week)
            if wk < horizon:
                self._slot(wk, kind)[part].append((idx, token))
            return
        weeks = np.maximum(week, open_week)
        order = np.argsort(weeks, kind="stable")
        ws = weeks[order]
        idx, token = idx[order], token[order]
        bounds = [0, *(np.flatnonzero(ws[1:] != ws[:-1]) + 1).tolist(), n]
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            wk = int(ws[lo])
            if wk >= horizon:
                break
            self._slot(wk, kind)[part].append((idx[lo:hi], token[lo:hi]))

    def take(self, week: int) -> list[tuple[Kind, np.ndarray, np.ndarray]] | None:
        """Remove and return this week's events by kind, in handling order (None when there are none)."""
        got = self._weeks.pop(week, None)
        if got is None:
            return None
        out = []
        for k, slot in enumerate(got):
            if slot is None:
                continue
            chunks, li, lt, listed = slot
            if li:
                chunks.append((np.array(li, np.int64), np.array(lt, np.int64)))
            chunks += listed
            if len(chunks) == 1:
                idx, tok = chunks[0]
            else:
                idx = np.concatenate([c[0] for c in chunks])
                tok = np.concatenate([c[1] for c in chunks])
            out.append((KINDS[k], idx, tok))
        return out

    def close(self, week: int) -> None:
        """The week's events are handled: later bookings for it fall on the next week."""
        self.open_week = week + 1

    def pending_weeks(self) -> list[int]:
        """Weeks with events still booked (for the invariant that no handled week holds any)."""
        return sorted(w for w, kinds in self._weeks.items() if any(s is not None and (s[0] or s[1] or s[3]) for s in kinds))
