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

    Each (kind, week) holds a list of array chunks (from large bookings, 2 x m arrays of citizens and
    tokens, kept as slices of the booking: no copy per week) and, after them, the events of small
    bookings: two Python lists (citizens, tokens), cheaper than arrays for a small municipality's few
    events a week. Within a kind, chunks come before the listed events, each in booking order. The
    slots are lists indexed by week, one per kind, so booking a chunk is one list append.

    With several replications in one model (``rep``: the replication of each citizen row), a booking
    is large or small per replication, so each replication's events come out in the order a run of
    that replication alone would handle them; the small ones are kept as array chunks too (a list of
    "listed" chunks after the large ones), as every replication's few events add up to many."""

    SMALL = 16

    def __init__(self, horizon: int, rep: np.ndarray | None = None, replications: int = 1):
        self.horizon = horizon
        self.open_week = 0  # earliest week whose due lists have not been handled yet
        self._rep = rep if replications > 1 else None
        self._R = replications
        # per kind, per week: array chunks; the listed events (one run: [citizens, tokens] lists;
        # several replications: a list of array chunks); None while empty
        self._chunks: list[list[list | None]] = [[None] * horizon for _ in KINDS]
        self._listed: list[list[list | None]] = [[None] * horizon for _ in KINDS]
        self._kinds = [0] * horizon  # per week, a bit per kind with events (set when its slot is made): take skips the rest

    def book(self, kind: Kind, week, idx: np.ndarray, token: np.ndarray) -> None:
        """Book ``kind`` for citizens ``idx`` (with their tokens) in ``week`` (a number or one per citizen)."""
        n = len(idx)
        if n == 0:
            return
        scalar = not isinstance(week, np.ndarray) or week.ndim == 0
        if n > self.SMALL and self._rep is not None:  # small or large per replication
            r = self._rep[idx]
            small = np.bincount(r, minlength=self._R)[r] <= self.SMALL
            if small.all():  # every replication's part is small (most bookings of a batch)
                self._book_chunks(self._listed[kind], kind, week, idx, token, scalar)
                return
            if small.any():  # some small, some large
                big = ~small
                self._book_chunks(self._chunks[kind], kind, week if scalar else week[big], idx[big], token[big], scalar)
                self._book_chunks(self._listed[kind], kind, week if scalar else week[small], idx[small], token[small],
                                  scalar)
                return
        if n > self.SMALL:
            self._book_chunks(self._chunks[kind], kind, week, idx, token, scalar)
        elif self._rep is not None:
            self._book_chunks(self._listed[kind], kind, week, idx, token, scalar)
        else:
            self._book_listed(self._listed[kind], kind, week, idx, token, scalar)

    def _book_listed(self, slots: list, kind: int, week, idx: np.ndarray, token: np.ndarray, scalar: bool) -> None:
        """Small bookings of one run: into the Python lists (a plain loop is cheaper than grouping with numpy)."""
        horizon, open_week, kinds, bit = self.horizon, self.open_week, self._kinds, 1 << kind
        if scalar:
            wk = max(int(week), open_week)
            if wk < horizon:
                slot = slots[wk]
                if slot is None:
                    slots[wk] = [idx.tolist(), token.tolist()]
                    kinds[wk] |= bit
                else:
                    slot[0].extend(idx.tolist())
                    slot[1].extend(token.tolist())
            return
        for wk, i, t in zip(week.tolist(), idx.tolist(), token.tolist()):
            if wk < open_week:
                wk = open_week
            if wk < horizon:
                slot = slots[wk]
                if slot is None:
                    slots[wk] = [[i], [t]]
                    kinds[wk] |= bit
                else:
                    slot[0].append(i)
                    slot[1].append(t)

    def _book_chunks(self, slots: list, kind: int, week, idx: np.ndarray, token: np.ndarray, scalar: bool) -> None:
        """Array chunks (2 x m: citizens, tokens), one per week, into ``slots`` (a kind's chunks or listed chunks)."""
        horizon, open_week, n, kinds, bit = self.horizon, self.open_week, len(idx), self._kinds, 1 << kind
        if not scalar:
            weeks = np.maximum(week, open_week)
            scalar = bool((weeks == weeks[0]).all())  # one week for all (often): no sort
            week = weeks[0] if scalar else weeks
        if scalar:
            wk = max(int(week), open_week)
            if wk < horizon:
                pair = np.array((idx, token))
                slot = slots[wk]
                if slot is None:
                    slots[wk] = [pair]
                    kinds[wk] |= bit
                else:
                    slot.append(pair)
            return
        order = np.argsort(weeks, kind="stable")
        ws = weeks[order]
        end = n if ws[-1] < horizon else int(np.searchsorted(ws, horizon))  # weeks from the horizon on are dropped
        if end == 0:
            return
        order = order[:end]
        pair = np.array((idx[order], token[order]))
        cut = np.flatnonzero(ws[1:end] != ws[:end - 1]) + 1
        lo = cut.tolist()
        for wk, a, b in zip([int(ws[0]), *ws[cut].tolist()], [0, *lo], [*lo, end]):
            slot = slots[wk]
            if slot is None:
                slots[wk] = [pair[:, a:b]]
                kinds[wk] |= bit
            else:
                slot.append(pair[:, a:b])

    def take(self, week: int) -> list[tuple[Kind, np.ndarray, np.ndarray]] | None:
        """Remove and return this week's events by kind, in handling order (None when there are none)."""
        booked = self._kinds[week]
        if not booked:
            return None
        self._kinds[week] = 0
        out = []
        one_run = self._rep is None
        for k in KINDS:
            if not booked >> k & 1:
                continue
            chunks, listed = self._chunks[k][week], self._listed[k][week]
            if chunks is None:
                if listed is None:
                    continue
                chunks = []
            else:
                self._chunks[k][week] = None
            if listed is not None:
                self._listed[k][week] = None
                if one_run:
                    chunks.append(np.array(listed, np.int64))
                else:
                    chunks += listed
            pair = chunks[0] if len(chunks) == 1 else np.concatenate(chunks, axis=1)
            out.append((k, pair[0], pair[1]))
        return out or None

    def close(self, week: int) -> None:
        """The week's events are handled: later bookings for it fall on the next week."""
        self.open_week = week + 1

    def pending_weeks(self) -> list[int]:
        """Weeks with events still booked (for the invariant that no handled week holds any)."""
        return sorted({w for slots in (*self._chunks, *self._listed) for w, s in enumerate(slots) if s})
