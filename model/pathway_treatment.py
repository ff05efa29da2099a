"""Pathway rules, part 3: treatment offer, referral (with escalation), waiting lists, courses and drop-out.

Internal providers' therapists take citizens from a FIFO list (a fixed-team citizen waits for the
team's care manager); external providers have a drawn waiting time. Courses end at their drawn
length or at a drawn drop-out, whichever is first.
"""
from __future__ import annotations

import numpy as np

from . import capacity_kernel as kernel
from .calendar import Kind
from .capacity import WaitingLists
from .hazards import geometric_weeks_many
from .scenario import RISKS
from .state import present

HIGH_RISK = RISKS.index("high")
SMALL_TABLE = 1 << 16  # pre-drawn quantiles (citizens x spell slots) up to which a run tabulates their weeks once


class TreatmentRules:
    """Mixed into :class:`model.model.RTWModel`."""

    def _weeks_of(self, dist, column: str, idx: np.ndarray) -> np.ndarray:
        """Weeks from a duration distribution at citizens ``idx``'s pre-drawn quantiles of their current spell
        (the quantile function works element by element: the numbers a table of every citizen gives). A small
        population (a municipality) reads them from that table, computed once: cheaper than a thousand calls
        on a handful of citizens; a large one (a batch, 100k citizens) computes the few it needs per call."""
        u = self.pop.spell[column]
        if u.size > SMALL_TABLE:
            return dist.weeks(u[idx, self.cs.spell[idx]])
        key = ("weeks", id(dist), column)
        table = self._lookups.get(key)
        if table is None:
            table = self._lookups[key] = (dist, dist.weeks(u))  # (dist kept: its id stays its own)
        return table[1][idx, self.cs.spell[idx]]

    def _shared_dist(self, code: int, attr: str):
        """Pathway ``code``'s treatment ``attr`` (delay, course) when every replication has the same, else None."""
        key = ("dist", code, attr)
        if key not in self._lookups:
            dists = [getattr(pp.treatment[code], attr) for pp in self.pps]
            self._lookups[key] = dists[0] if all(d == dists[0] for d in dists[1:]) else None
        return self._lookups[key]

    def _weeks_table_of(self, code: int, attr: str, column: str) -> np.ndarray:
        """Weeks of pathway ``code``'s treatment ``attr`` at every citizen's pre-drawn quantiles, each
        replication's rows from its own distribution (replications that differ, e.g. Sobol rows); once per run."""
        key = (code, attr, column)
        table = self._lookups.get(key)
        if table is None:
            u = self.pop.spell[column]
            table = np.empty(u.shape, np.int64)
            for r in range(self.R):
                rows = self.layout.rows_of(r)
                table[rows] = getattr(self.pps[r].treatment[code], attr).weeks(u[rows])
            self._lookups[key] = table
        return table

    def _pathways_table(self, attr: str, column: str) -> np.ndarray:
        """(pathway, citizen, spell) weeks of every pathway's treatment ``attr`` (0 for pathways without one)
        at every citizen's pre-drawn quantiles (a small population: see ``_weeks_of``); once per run."""
        key = ("pathways", attr, column)
        table = self._lookups.get(key)
        if table is None:
            u = self.pop.spell[column]
            table = self._lookups[key] = np.zeros((len(self.pp.treatment), *u.shape), np.int64)
            for code, tr in enumerate(self.pp.treatment):
                if tr is not None:
                    table[code] = self._weeks_table_of(code, attr, column)
        return table

    def _per_pathway(self, idx: np.ndarray, column: str, attr: str) -> np.ndarray:
        """Weeks drawn from each citizen's pathway's treatment distribution ``attr`` at its ``column`` draw."""
        cs = self.cs
        if self.pop.spell[column].size <= SMALL_TABLE:
            return self._pathways_table(attr, column)[cs.pathway[idx], idx, cs.spell[idx]]
        p = cs.pathway[idx]
        codes = present(p)
        if len(codes) == 1 and (dist := self._shared_dist(codes[0], attr)) is not None:
            return self._weeks_of(dist, column, idx)
        out = np.zeros(idx.size, np.int64)
        for code in codes:
            m = p == code
            sel = idx[m]
            dist = self._shared_dist(code, attr)
            out[m] = (self._weeks_of(dist, column, sel) if dist is not None
                      else self._weeks_table_of(code, attr, column)[sel, cs.spell[sel]])
        return out

    def _slots_of(self, code: int) -> np.ndarray:
        """Slots per therapist of provider ``code`` in each replication (read once)."""
        key = ("slots", code)
        if key not in self._lookups:
            self._lookups[key] = np.array([of_rep[code].slots for of_rep in self.providers_of], np.int64)
        return self._lookups[key]

    def _lists(self, code: int):
        """Provider ``code``'s waiting lists of every replication (model/capacity.py ``WaitingLists``), shared
        by its replications' providers from their first use, so that one compiled loop serves them all."""
        key = ("lists", code)
        if key not in self._lookups:
            lists = WaitingLists(self.R, self.provider_used[code].shape[1])
            for r, of_rep in enumerate(self.providers_of):
                of_rep[code].share_lists(lists, r)
            self._lookups[key] = lists
        return self._lookups[key]

    def _delay_weeks(self, idx: np.ndarray) -> np.ndarray:
        return self._per_pathway(idx, "u_delay", "delay")

    def _offer_treatment(self, idx: np.ndarray, pathway: np.ndarray, s: np.ndarray, rows: np.ndarray, w: int) -> None:
        """Uptake at the start of a spell; the referral follows at once (trigger 'arrival') or at the first contact."""
        cs, pp = self.cs, self.pp
        cs.pending_referral[idx] = False
        uptake = pp.uptake[pathway] if self.R == 1 else self.uptake[self.rep[idx], pathway]  # each replication's
        offered = pp.has_treatment[pathway] & (self.pop.spell["u_uptake"][idx, s] < uptake)
        if not offered.any():
            return
        self.rec.cols["treatment_offered"][rows[offered]] = True
        for code in present(pathway[offered]):
            sel = idx[offered & (pathway == code)]
            if pp.treatment[code].trigger == "arrival":
                self._book(Kind.REFERRAL, w + self._delay_weeks(sel), sel)
            else:
                cs.pending_referral[sel] = True

    def _referral_lookups(self) -> tuple:
        """By pathway code: the treatment's provider, and its escalation's probability, high-risk-only flag and
        provider (probability 0 for none, and for pathways without treatment); whether any pathway escalates."""
        key = "referral"
        if key not in self._lookups:
            pp = self.pp
            trs = pp.treatment
            provider = np.array([pp.provider_code[t.provider] if t else 0 for t in trs], np.int64)
            prob = np.array([t.escalation.probability if t else 0.0 for t in trs])
            high = np.array([t.escalation.high_risk_only if t else False for t in trs])
            esc = np.array([pp.provider_code[t.escalation.provider] if t and t.escalation.probability > 0 else 0
                            for t in trs], np.int64)
            self._lookups[key] = provider, prob, high, esc, bool((prob > 0).any())
        return self._lookups[key]

    def _on_referral(self, idx: np.ndarray, w: int) -> None:
        cs, col, pp, pop = self.cs, self.rec.cols, self.pp, self.pop
        idx = idx[cs.open_(idx)]
        if idx.size == 0:
            return
        rows = cs.row[idx]
        p = cs.pathway[idx]
        provider_of, esc_prob, esc_high, esc_provider, escalates = self._referral_lookups()
        prov = provider_of[p]
        own = None  # referred to their pathway's own provider (all, unless some escalate)
        if escalates:  # u < probability, among the high-risk only where the pathway says so
            e = pop.spell["u_escalation"][idx, cs.spell[idx]] < esc_prob[p]
            e &= ~esc_high[p] | (pop.risk[idx] == HIGH_RISK)
            if e.any():
                prov = np.where(e, esc_provider[p], prov)
                col["escalated"][rows[e]] = True
                own = ~e
        col["referral_week"][rows] = w
        col["provider"][rows] = prov + 1
        cs.provider[idx] = prov
        start_i, start_th = [], []
        for code in present(prov):
            m = prov == code
            P = self.providers_by_code[code]
            sel = idx[m]
            if not P.internal:
                col["treatment_queued_week"][rows[m]] = w
                wait = self._weeks_of(P.cfg.wait, "u_wait", sel)
                self._book(Kind.TREAT_START, w + wait, sel)
                continue
            reps = self.rep[sel]
            n_ther = self.therapist_counts[code]  # each replication's
            cons = cs.consultant[sel]
            team = pp.fixed_team[p[m]] & (cons >= 0)  # a fixed team's citizen waits for its team's therapist
            if own is not None:
                team &= own[m]
            required = np.where(team, cons % np.maximum(n_ther[reps], 1), -1) if team.any() else np.full(sel.size, -1)
            # one citizen after another (in order): a free slot of its team's or the most free therapist
            th = kernel.take_therapists(self.provider_used[code], n_ther, self._slots_of(code), reps, required)
            got = th >= 0
            start_i.append(sel[got])
            start_th.append(th[got])
            if not got.all():  # the others join their replication's waiting list, in order
                q = sel[~got]
                self._lists(code).join(reps[~got], q, required[~got], cs.treat_token)
                qrows = cs.row[q]
                col["treatment_queued_week"][qrows] = w
                col["queue_seq"][qrows] = self._next_seq(q)
        if start_i:
            self._start_treatment(np.concatenate(start_i), np.concatenate(start_th), w)

    def _on_treat_start(self, idx: np.ndarray, w: int) -> None:
        idx = idx[self.cs.open_(idx)]
        self._start_treatment(idx, np.full(idx.size, -1, np.int64), w)

    def _start_treatment(self, idx: np.ndarray, therapist: np.ndarray, w: int) -> None:
        """Courses start (the therapist's slot is already taken): length and drop-out week from the draws."""
        if idx.size == 0:
            return
        cs, col = self.cs, self.rec.cols
        length, t_drop = self._course_weeks(idx)
        rows = cs.row[idx]
        cs.therapist[idx] = therapist
        cs.in_treat[idx] = True
        cs.treat_start[idx] = w
        cs.treat_len[idx] = length
        col["treatment_start_week"][rows] = w
        col["course_weeks"][rows] = length
        col["therapist"][rows] = therapist
        drop = t_drop < length
        if not drop.any():  # (most weeks)
            self._book(Kind.TREAT_END, w + length, idx)
            return
        self._book(Kind.DROPOUT, w + t_drop[drop].astype(np.int64), idx[drop])
        self._book(Kind.TREAT_END, w + length[~drop], idx[~drop])

    def _course_weeks(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Citizens ``idx``'s course lengths (>= 1 week) and weeks until a drop-out (float, inf if never), from
        their draws of this spell; a small population reads both from tables made once (see ``_weeks_of``)."""
        cs, e = self.cs, self.pop.spell["e_dropout"]
        if e.size > SMALL_TABLE:
            return (np.maximum(1, self._per_pathway(idx, "u_course", "course")),
                    geometric_weeks_many(e[idx, cs.spell[idx]], self.pp.dropout_rate[cs.pathway[idx]]))
        tables = self._lookups.get("courses")
        if tables is None:  # (pathway, citizen, spell); each pathway's own rate, as the rate of each citizen above
            tables = self._lookups["courses"] = (np.maximum(1, self._pathways_table("course", "u_course")),
                                                 np.stack([geometric_weeks_many(e, rate) for rate in self.pp.dropout_rate]))
        at = (cs.pathway[idx], idx, cs.spell[idx])
        return tables[0][at], tables[1][at]

    def _on_treat_end(self, idx: np.ndarray, w: int) -> None:
        self._end_treatment(idx, w, completed=True)

    def _on_dropout(self, idx: np.ndarray, w: int) -> None:
        self._end_treatment(idx, w, completed=False)

    def _end_treatment(self, idx: np.ndarray, w: int, completed: bool) -> None:
        """Courses end; each freed therapist takes the next citizen it may treat from the waiting list."""
        if idx.size == 0:
            return
        cs, col = self.cs, self.rec.cols
        # progress, out of treatment, the record, a new treatment token, no therapist or provider (compiled)
        th, prov, nr3 = kernel.end_courses(idx, cs.row[idx], w, completed, cs.pathway, cs.treat_start, cs.treat_len,
                                           cs.progress, cs.in_treat, cs.treat_token, cs.therapist, cs.provider,
                                           self.pp.sessions_per_week, col["treatment_end_week"],
                                           col["treatment_completed"], col["sessions"], col["extension_ground"])
        if nr3.any():  # the nr. 3 ground ended with the treatment (on benefit)
            self._book(Kind.EXTENSION_REVIEW, w, idx[nr3 & cs.on_benefit(idx)])
        freed = th >= 0
        if not freed.any():
            return
        ks, codes, reps = th[freed], prov[freed], self.rep[idx[freed]]
        nxt = np.empty(ks.size, np.int64)
        for code in present(codes):  # the providers' lists are independent: each served in one loop, in order
            at = codes == code  # nobody to take: the slot is free again (provider_used)
            nxt[at] = self._lists(code).serve(reps[at], ks[at], cs.treat_token, self.provider_used[code])
        taken = nxt >= 0  # the freed slot is taken at once: the therapist's count does not change
        self._start_treatment(nxt[taken], ks[taken], w)

    def _stop_treatment(self, idx: np.ndarray, w: int) -> None:
        """Spells over: end ongoing courses, or leave the waiting list."""
        cs = self.cs
        cs.pending_referral[idx] = False
        prov = cs.provider[idx]
        if not (prov >= 0).any():
            return
        it = cs.in_treat[idx]
        self._end_treatment(idx[it], w, completed=False)
        waiting = idx[~it & (prov >= 0)]
        cs.treat_token[waiting] += 1
        cs.provider[waiting] = -1


