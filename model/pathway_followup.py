"""Pathway rules, part 2: consultants (admission, release, FIFO queue), follow-up contacts and tripartite meetings.

Contacts and meetings book consultants' hours; a request that does not fit this week moves on a week.
Within a week meetings book before contacts (docs/odd.md, "Within-week order").

Contacts are a regular rhythm, so they are computed rather than booked one by one: each followed
citizen's next contact week is a column (``cs.next_contact``), set at assignment and after each
contact; each week the due citizens are found with one comparison over the citizens on benefit and
handled in the order their contact was set (``cs.contact_seq``), as booked events would be.
"""
from __future__ import annotations


import numpy as np

from .calendar import Kind
from .state import NEVER, S, present


class FollowupRules:
    """Mixed into :class:`model.model.RTWModel`."""

    def _admit(self, idx: np.ndarray, pathway: np.ndarray, w: int) -> None:
        """Each new spell gets the least-loaded consultant of its pathway's pool, or joins the pool's queue."""
        cs, col = self.cs, self.rec.cols
        pool_of = self.pp.pool[pathway]
        for k in present(pool_of):
            sel = idx if len(self.pools_by_code) == 1 else idx[pool_of == k]
            got = self.pools_by_code[k].admit(sel)
            ok = got >= 0
            if ok.all():
                cs.state[sel] = S.ON_BENEFIT
                self._consultant_assigned(sel, w)
                continue
            assigned, queued = sel[ok], sel[~ok]
            cs.state[assigned] = S.ON_BENEFIT
            self._consultant_assigned(assigned, w)
            cs.state[queued] = S.QUEUED
            rows = cs.row[queued]
            col["consultant_queued_week"][rows] = w
            col["consultant_queue_seq"][rows] = self._next_seq(queued.size)

    def _next_seq(self, k: int) -> np.ndarray:
        """Sequence numbers of joining a waiting list (shared by consultant and treatment queues)."""
        out = np.arange(self._seq, self._seq + k)
        self._seq += k
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
        was handled), in the order the contacts were set."""
        cs, n = self.cs, self.n_arrived
        due = np.flatnonzero((cs.next_contact[:n] <= w) & (cs.state[:n] == S.ON_BENEFIT))
        due = due[cs.consultant[due] >= 0]
        if due.size > 1:
            due = due[np.argsort(cs.contact_seq[due], kind="stable")]
        return due

    def _release_consultants(self, idx: np.ndarray, w: int) -> None:
        """Off the caseload; consultants with room take queued citizens, who start follow-up."""
        if idx.size == 0:
            return
        cs = self.cs
        pool_of = self.pp.pool[cs.pathway[idx]]
        for k in present(pool_of):
            taken, _by = self.pools_by_code[k].release(idx[pool_of == k])
            if taken.size:
                cs.state[taken] = S.ON_BENEFIT
                self._consultant_assigned(taken, w)

    def _book_hours(self, idx: np.ndarray, w: int, hours_of) -> np.ndarray:
        """Book each citizen's consultant for ``hours_of(pool)`` this week; False where the week is full."""
        ok = np.zeros(idx.size, bool)
        pool_of = self.pp.pool[self.cs.pathway[idx]]
        for k in present(pool_of):
            m = pool_of == k
            pool = self.pools_by_code[k]
            ok[m] = pool.book_hours(self.cs.consultant[idx[m]], hours_of(pool), w)
        return ok

    def _on_contact(self, idx: np.ndarray, w: int) -> None:
        cs, col, pp = self.cs, self.rec.cols, self.pp
        cs.next_contact[idx] = NEVER
        ok = self._book_hours(idx, w, lambda pool: pool.cfg.contact_hours)
        late = idx[~ok]
        col["contact_deferrals"][cs.row[late]] += 1
        self._set_next_contact(late, w + 1)
        idx = idx[ok]
        rows = cs.row[idx]
        p = cs.pathway[idx]
        cs.last_contact[idx] = w
        col["contacts"][rows] += 1
        self.week_contacts += np.bincount(pp.pool[p], minlength=len(self.pools))
        first = rows[np.isnan(col["first_contact_week"][rows])]
        col["first_contact_week"][first] = w
        pend = cs.pending_referral[idx]
        if pend.any():
            r_idx = idx[pend]
            cs.pending_referral[r_idx] = False
            self._book(Kind.REFERRAL, w + self._delay_weeks(r_idx), r_idx)
        if self._simplified_followup:  # 2025 simplification (§ 13 f): no follow-up after the first contact
            keep = ~(self.pop.employed[idx] & (self.pop.category[idx] == 1))
            idx, p = idx[keep], p[keep]
        interval = pp.followup[p] * self._stretch(idx)
        self._set_next_contact(idx, w + np.maximum(1, np.ceil(interval - 1e-9)).astype(np.int64))

    def _stretch(self, idx: np.ndarray) -> np.ndarray:
        out = np.ones(idx.size)
        pool_of = self.pp.pool[self.cs.pathway[idx]]
        for k in present(pool_of):
            m = pool_of == k
            out[m] = self.pools_by_code[k].stretch(self.cs.consultant[idx[m]])
        return out

    def _on_meeting(self, idx: np.ndarray, w: int) -> None:
        cs, col, pp = self.cs, self.rec.cols, self.pp
        idx = idx[cs.on_benefit(idx)]
        if idx.size == 0:
            return
        has = cs.consultant[idx] >= 0
        ok = np.zeros(idx.size, bool)
        ok[has] = self._book_hours(idx[has], w, lambda pool: pool.cfg.meeting_hours)
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


