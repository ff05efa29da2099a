"""Pathway rules, part 2: consultants (admission, release, FIFO queue), follow-up contacts and tripartite meetings.

Contacts and meetings book consultants' hours; a request that does not fit this week moves on a week.
Within a week meetings book before contacts (docs/odd.md, "Within-week order").

Contacts are a regular rhythm, so they are computed rather than booked one by one: each followed
citizen's next contact week is a column (``cs.next_contact``), set at assignment and after each
contact; each week the due citizens are found with one comparison over the citizens on benefit and
handled in the order their contact was set (``cs.contact_seq``), as booked events would be.

Consultants, their queues and hours are each replication's own (model/capacity.py): the handlers
split the citizens concerned by replication only where a pool works one citizen after another.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np

from . import spell_kernel
from .batch import rank_within
from .calendar import Kind
from .state import NEVER, S, present


class FollowupRules:
    """Mixed into :class:`model.model.RTWModel`."""

    def _admit(self, idx: np.ndarray, pathway: np.ndarray, w: int) -> None:
        """Each new spell gets the least-loaded consultant of its pathway's pool, or joins the pool's queue."""
        cs, col = self.cs, self.rec.cols
        pool_of = self.pp.pool[pathway]
        codes = present(pool_of)
        assigned = []
        for k in codes:
            sel = idx if len(codes) == 1 else idx[pool_of == k]
            ok = self.pool_sets[k].admit(self.rep[sel], sel) >= 0
            if np.count_nonzero(ok) == sel.size:
                assigned.append(sel)
                continue
            assigned.append(sel[ok])
            queued = sel[~ok]
            cs.state[queued] = S.QUEUED
            rows = cs.row[queued]
            col["consultant_queued_week"][rows] = w
            col["consultant_queue_seq"][rows] = self._next_seq(queued)
        # follow-up starts for every pool's assigned citizens at once (contacts numbered pool by pool, as before)
        got = assigned[0] if len(assigned) == 1 else np.concatenate(assigned)
        cs.state[got] = S.ON_BENEFIT
        self._consultant_assigned(got, w)

    def _next_seq(self, idx: np.ndarray) -> np.ndarray:
        """Places of citizens ``idx`` (in order) joining a waiting list, numbered per replication (shared
        by consultant and treatment queues)."""
        if self.R == 1:
            out = np.arange(self._seq[0], self._seq[0] + idx.size)
            self._seq[0] += idx.size
            return out
        rep = self.rep[idx]
        out = self._seq[rep] + rank_within(rep)
        self._seq += np.bincount(rep, minlength=self.R)
        return out

    def _consultant_assigned(self, idx: np.ndarray, w: int) -> None:
        if idx.size == 0:
            return
        cs, col = self.cs, self.rec.cols
        rows = cs.row[idx]
        col["consultant_assigned_week"][rows] = w
        col["consultant"][rows] = cs.consultant[idx]
        first = np.maximum(w, col["arrival_week"][rows] + self.pp.first_contact[cs.pathway[idx]])
        self._set_next_contact(idx, first)
        self._assigned_now = True

    def _set_next_contact(self, idx: np.ndarray, week) -> None:
        """The week of each citizen's next contact (NEVER: none), numbered in the order they are set."""
        cs = self.cs
        cs.next_contact[idx] = week
        cs.contact_seq[idx] = np.arange(self._contact_seq, self._contact_seq + idx.size)
        self._contact_seq += idx.size

    def _due_contacts(self, w: int) -> np.ndarray:
        """Citizens followed by a consultant whose next contact is due (or overdue: set after the week
        was handled), in the order the contacts were set (found in one compiled pass, model/spell_kernel.py)."""
        cs = self.cs
        due = spell_kernel.due_contacts(cs.next_contact, cs.state, cs.consultant, self.n_arrived, w, int(S.ON_BENEFIT))
        if due.size > 1:
            due = due[np.argsort(cs.contact_seq[due], kind="stable")]
        return due

    def _release_consultants(self, idx: np.ndarray, w: int) -> None:
        """Off the caseload; consultants with room take queued citizens, who start follow-up."""
        if idx.size == 0:
            return
        cs = self.cs
        pool_of = self.pp.pool[cs.pathway[idx]]
        codes = present(pool_of)
        for k in codes:
            sel = idx if len(codes) == 1 else idx[pool_of == k]
            taken = self.pool_sets[k].release(self.rep[sel], sel)
            if taken.size:
                cs.state[taken] = S.ON_BENEFIT
                self._consultant_assigned(taken, w)

    def _book_hours(self, idx: np.ndarray, w: int, hours_of) -> np.ndarray:
        """Book each citizen's consultant for ``hours_of(pool)`` this week; False where the week is full."""
        pool_of = self.pp.pool[self.cs.pathway[idx]]
        codes = present(pool_of)
        if len(codes) == 1:  # one pool: its answer is everybody's
            pool = self.pools_by_code[codes[0]]
            if pool.cfg.hours_per_week is None:  # unlimited hours
                return np.ones(idx.size, bool)
            return self.pool_sets[codes[0]].book_hours(self.rep[idx], self.cs.consultant[idx], hours_of(pool), w)
        ok = np.zeros(idx.size, bool)
        for k in codes:
            m = pool_of == k
            pool = self.pools_by_code[k]
            if pool.cfg.hours_per_week is None:  # unlimited hours
                ok[m] = True
                continue
            sel = idx[m]
            ok[m] = self.pool_sets[k].book_hours(self.rep[sel], self.cs.consultant[sel], hours_of(pool), w)
        return ok

    def _on_contact(self, idx: np.ndarray, w: int) -> None:
        cs, col, pp = self.cs, self.rec.cols, self.pp
        cs.next_contact[idx] = NEVER
        ok = self._book_hours(idx, w, lambda pool: pool.cfg.contact_hours)
        if np.count_nonzero(ok) < idx.size:  # the consultant's week is full: the contact moves on a week
            late = idx[~ok]
            col["contact_deferrals"][cs.row[late]] += 1
            self._set_next_contact(late, w + 1)
            idx = idx[ok]
        rows = cs.row[idx]
        p = cs.pathway[idx]
        cs.last_contact[idx] = w
        col["contacts"][rows] += 1
        self._add_counts(self.week_contacts, idx, pp.pool[p])
        first = rows[np.isnan(col["first_contact_week"][rows])]
        col["first_contact_week"][first] = w
        pend = cs.pending_referral[idx]
        if np.count_nonzero(pend):
            r_idx = idx[pend]
            cs.pending_referral[r_idx] = False
            self._book(Kind.REFERRAL, w + self._delay_weeks(r_idx), r_idx)
        if self._simplified_followup:  # 2025 simplification (§ 13 f): no follow-up after the first contact
            keep = ~(self.pop.employed[idx] & (self.pop.category[idx] == 1))
            idx, p = idx[keep], p[keep]
        interval = pp.followup[p] * self._stretch(idx)
        self._set_next_contact(idx, w + np.maximum(1, np.ceil(interval - 1e-9)).astype(np.int64))

    @cached_property
    def _stretch_pools(self) -> list[int]:
        """The pools whose follow-up stretches when caseloads exceed the norm (``when_full: stretch``)."""
        return [k for k, pool in enumerate(self.pools_by_code) if pool.cfg.when_full == "stretch"]

    def _stretch(self, idx: np.ndarray) -> np.ndarray | float:
        """Each citizen's follow-up stretch (1.0 everywhere when no pool stretches)."""
        if not self._stretch_pools:
            return 1.0
        out = np.ones(idx.size)
        pool_of = self.pp.pool[self.cs.pathway[idx]]
        for k in self._stretch_pools:
            m = pool_of == k
            # CaseloadPool.stretch on every replication's caseloads at once
            rep = self.rep[idx[m]]  # each replication's caseload norm
            out[m] = np.maximum(1.0, self.pool_loads[k][rep, self.cs.consultant[idx[m]]] / self.caseload_limits[k][rep])
        return out

    def _on_meeting(self, idx: np.ndarray, w: int) -> None:
        cs, col, pp = self.cs, self.rec.cols, self.pp
        idx = idx[cs.on_benefit(idx)]
        if idx.size == 0:
            return
        has = cs.consultant[idx] >= 0
        if np.count_nonzero(has) == idx.size:
            ok = self._book_hours(idx, w, lambda pool: pool.cfg.meeting_hours)
        else:  # queued citizens have no consultant to meet yet: the meeting moves on a week
            ok = np.zeros(idx.size, bool)
            ok[has] = self._book_hours(idx[has], w, lambda pool: pool.cfg.meeting_hours)
        if np.count_nonzero(ok) < idx.size:
            self._book(Kind.MEETING, w + 1, idx[~ok])
            idx = idx[ok]
        rows = cs.row[idx]
        p = cs.pathway[idx]
        cs.meetings[idx] += 1
        col["meetings"][rows] += 1
        n = col["meetings"][rows]
        goal = (n == 1) & pp.meet_job_goal[p]
        cs.job_goal[idx[goal]] = 1.0
        col["job_goal_week"][rows[goal]] = w
        more = n < pp.meet_count[p]
        self._book(Kind.MEETING, w + pp.meet_interval[p[more]], idx[more])


