"""Pathway rules, part 2: consultants (admission, release, FIFO queue), follow-up contacts and tripartite meetings.

Contacts and meetings book consultants' hours; a request that does not fit this week moves on a week.
Within a week meetings book before contacts (docs/odd.md, "Within-week order").
"""
from __future__ import annotations


import numpy as np

from .calendar import Kind
from .state import S, present


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
        self._book(Kind.CONTACT, first, idx)

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
        idx = idx[(cs.state[idx] == S.ON_BENEFIT) & (cs.consultant[idx] >= 0)]
        if idx.size == 0:
            return
        ok = self._book_hours(idx, w, lambda pool: pool.cfg.contact_hours)
        late = idx[~ok]
        col["contact_deferrals"][cs.row[late]] += 1
        self._book(Kind.CONTACT, w + 1, late)
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
        self._book(Kind.CONTACT, w + np.maximum(1, np.ceil(interval - 1e-9)).astype(np.int64), idx)

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


