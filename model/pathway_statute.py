"""Pathway rules, part 4: the statutory calendar (model/rules.py): reassessment (§ 24), extension
grounds with their reviews (§ 27) and the transfer to jobafklaring.
"""
from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

import numpy as np

from . import rules as statute
from . import spell_kernel
from .calendar import Kind
from .recorder import OUTCOME_CODE
from .state import NEVER, S

JOBAFKLARING = OUTCOME_CODE["jobafklaring"]
NR4 = 3  # index of "nr4" in recorder.GROUNDS


class StatuteRules:
    """Mixed into :class:`model.model.RTWModel`."""

    @cached_property
    def _reassessment(self) -> SimpleNamespace:
        """The § 24 rule's settings, read once per run."""
        r = self.rs["reassessment"]
        return SimpleNamespace(limit=int(r["benefit_weeks"]), month_end=r["at"] == "month_end")

    def _schedule_reassessment(self, idx: np.ndarray, w: int, start: int) -> None:
        """§ 24: due at the end of the calendar month in which the counted weeks (from the end of the
        first 30 days, plus earlier spells' weeks within 9 months) pass 22. ``start``: the spells' first
        sickness week (spells that start together share it)."""
        if idx.size == 0:
            return
        cs, lk = self.cs, self._reassessment
        start += self._excluded
        passing = start + lk.limit  # with no earlier paid weeks, the (limit+1)-th week
        due = max(w, self.cal.month_end_week(passing) if lk.month_end else passing)
        paid = cs.paid_n[idx]
        if np.count_nonzero(paid):  # relapses: earlier spells count
            j = paid.nonzero()[0]
            first = self._passing_weeks(idx[j], np.full(j.size, start), lk.limit)
            due = np.full(idx.size, due)
            due[j] = np.maximum(w, self.cal.month_end_weeks(first) if lk.month_end else first)
        self.rec.cols["reassessment_due_week"][cs.row[idx]] = due
        self._book(Kind.REASSESS, due, idx)

    def _passing_weeks(self, idx: np.ndarray, start: np.ndarray, limit: int) -> np.ndarray:
        """``rules.passing_week`` for citizens ``idx`` with earlier paid weeks, at once (one compiled loop,
        model/spell_kernel.py): the first week p in ``start .. start + limit`` whose weeks paid within the
        window up to p (this spell's from ``start``, earlier spells' ``[a, b)``) exceed ``limit``, else
        ``start + limit``."""
        cs = self.cs
        return spell_kernel.passing_weeks(cs.paid_a, cs.paid_b, cs.paid_n, idx, start, limit, self._window)

    def _share(self, name: str, idx: np.ndarray):
        """``rules.extension.<name>`` of each citizen's replication (one number when there is one replication)."""
        v = self.extension[name]
        return v[0] if self.R == 1 else v[self.rep[idx]]

    def _in_care(self, idx: np.ndarray) -> np.ndarray:
        """In or waiting for treatment: arranged by the jobcentre (referred, queued or treated and not
        finished), or in the health system (pre-drawn, ``rules.extension.outside_treatment_share``)."""
        cs, col = self.cs, self.rec.cols
        rows = cs.row[idx]
        return (cs.in_treat[idx] | (cs.provider[idx] >= 0)
                | (col["treatment_offered"][rows] & np.isnan(col["treatment_end_week"][rows]))
                | (self.pop.spell["u_in_care"][idx, cs.spell[idx]] < self._share("outside_treatment_share", idx)))

    @cached_property
    def _extension_lookups(self) -> SimpleNamespace:
        """The § 27 settings read once per run: each ground's limit in weeks (by ground code, 0 where it
        has none), the rehabilitation team's weeks, and (one replication) its judgement shares."""
        rs, ext = self.rs, self.sc.rules.extension
        shares = None if self.R > 1 else SimpleNamespace(**{k: self._share(k, None) for k in (
            "nr2_clarification", "nr3_expected_recovery", "nr4_rehabilitation_team")})
        return SimpleNamespace(limit=np.array([0, rs.limit("nr2") or 0, rs.limit("nr3") or 0, 0]),
                               team_weeks=int(ext.rehabilitation_team_weeks), shares=shares)

    def _extension_decision(self, idx: np.ndarray, w: int, exclude_nr4: np.ndarray) -> None:
        cs, col, sp, lk = self.cs, self.rec.cols, self.pop.spell, self._extension_lookups
        rows = cs.row[idx]
        s = cs.spell[idx]
        reassessed = col["reassessment_week"][rows]
        shares = lk.shares or SimpleNamespace(**{k: self._share(k, idx) for k in (
            "nr2_clarification", "nr3_expected_recovery", "nr4_rehabilitation_team")})  # per citizen's replication
        ground = statute.choose_grounds(self.rs, shares, self._in_care(idx), w - reassessed, sp["u_nr3"][idx, s],
                                        sp["u_nr2"][idx, s], sp["u_nr4"][idx, s], exclude_nr4)
        cs.ext_token[idx] += 1
        self._to_jobafklaring(idx[ground == 0], w)
        got = ground > 0
        idx, rows, ground, reassessed = idx[got], rows[got], ground[got], reassessed[got]
        col["extended"][rows] = True
        col["extension_ground"][rows] = ground
        nr4 = ground == NR4
        end = np.where(nr4, w + lk.team_weeks, reassessed + lk.limit[ground]).astype(np.int64)
        col["extension_end_week"][rows] = end
        self._book(Kind.REHABILITATION_DECISION, end[nr4], idx[nr4])
        self._book(Kind.EXTENSION_REVIEW, end[~nr4], idx[~nr4])

    def _on_reassess(self, idx: np.ndarray, w: int) -> None:
        idx = idx[self.cs.on_benefit(idx)]
        if idx.size == 0:
            return
        rows = self.cs.row[idx]
        self.rec.cols["reassessed"][rows] = True
        self.rec.cols["reassessment_week"][rows] = w
        self._extension_decision(idx, w, np.zeros(idx.size, bool))

    def _on_extension_review(self, idx: np.ndarray, w: int) -> None:
        """Review at a ground's limit or when its condition ends: another ground, or jobafklaring."""
        idx = idx[self.cs.on_benefit(idx)]
        if idx.size == 0:
            return
        self._extension_decision(idx, w, self.rec.cols["extension_ground"][self.cs.row[idx]] == NR4)

    def _to_jobafklaring(self, idx: np.ndarray, w: int) -> None:
        if idx.size == 0:
            return
        cs, col = self.cs, self.rec.cols
        rows = cs.row[idx]
        col["jobafklaring_week"][rows] = w
        col["benefit_end_week"][rows] = w
        col["benefit_end_reason"][rows] = JOBAFKLARING
        cs.state[idx] = S.JOBAFKLARING  # first: a freed consultant must not take a citizen of this batch from the queue
        cs.next_contact[idx] = NEVER  # follow-up contacts end with sickness benefit
        self._release_consultants(idx[cs.consultant[idx] >= 0], w)
        cs.state_mult[idx] = self.sc.rules.jobafklaring_hazard_multiplier
        self._book(Kind.JOBAFKLARING_END, w + self.sc.rules.jobafklaring_max_weeks, idx)
