"""Pathway rules, part 1: spells start (allocation), close (return, exits), relapse, aftercare, onward states.

Every handler takes an array of citizens (of any replications in the model) and a week and works on
the columnar state with numpy; what is counted per replication (places, closures) is kept per replication.
"""
from __future__ import annotations

import math
from functools import cached_property, lru_cache
from types import SimpleNamespace

import numpy as np

from . import spell_kernel
from .batch import rank_within
from .calendar import Kind
from .hazards import geometric_weeks_many, piecewise_segments
from .population import MAX_ONWARD_STEPS
from .recorder import OUTCOME_CODE
from .scenario import DIAGNOSES, ONWARD_NEXT, ONWARD_STATES, PATHWAYS, RISKS
from .state import CODE_OF_STATE, FIRST_ONWARD, HC, NEVER, S, present

RETURNED, OTHER_EXIT, JOBAFKLARING_ENDED, REHABILITATION_TEAM = (
    OUTCOME_CODE[o] for o in ("returned", "other_exit", "jobafklaring_ended", "rehabilitation_team"))
ONWARD_CODES = np.array([CODE_OF_STATE[s] for s in ONWARD_STATES])
ONWARD_NEXT_CODES = np.array([CODE_OF_STATE[s] for s in ONWARD_NEXT])
ONWARD_KEY = {JOBAFKLARING_ENDED: "after_jobafklaring", REHABILITATION_TEAM: "after_rehabilitation_team",
              OTHER_EXIT: "after_other_exit"}


class Segments:
    """The segments of piecewise hazard tables (one table per code) in which the hazard does not vanish,
    padded to one length: start week, length, rate and the cumulative hazard before the segment."""

    def __init__(self, tables: list[list[tuple[int, int, float, float]]]):
        k = max(1, *(len(t) for t in tables))
        pad = [(0, -math.inf, 1.0, 0.0)] * k  # a padding segment is never reached (length -inf)
        arr = np.array([(t + pad)[:k] for t in tables], float).reshape(len(tables), k, 4)
        self.start, self.length, self.rate, self.cum = (np.ascontiguousarray(arr[:, :, j]) for j in range(4))
        self.start = self.start.astype(np.int64)
        self.instant = ~(self.rate < math.inf)  # as in the table walk: an infinite (or undefined) rate is reached at once

    def weeks(self, e: np.ndarray, code: np.ndarray) -> np.ndarray:
        """:func:`model.hazards.piecewise_weeks_many` for thresholds ``e`` each with its own table (``code``):
        the same float operations per citizen and segment, the first segment reached wins (one compiled
        loop, model/spell_kernel.py)."""
        return spell_kernel.first_segment_weeks(self.start, self.length, self.rate, self.cum, self.instant, e, code)


@lru_cache(maxsize=64)
def relapse_segments(steps: tuple, aftercare_weeks: tuple, aftercare_mult: tuple, limit: int) -> Segments:
    """Relapse tables by code ``pathway * 2 + aftercare``: aftercare multiplies the hazard for its weeks."""
    return Segments([piecewise_segments(steps, weeks if a else 0, mult, limit)
                     for weeks, mult in zip(aftercare_weeks, aftercare_mult) for a in (0, 1)])


def pick(cdf: np.ndarray, u: np.ndarray, n: int) -> np.ndarray:
    """Index of the category each uniform falls in (a cumulative share table)."""
    return np.minimum(np.searchsorted(cdf, u, side="right"), n - 1)


class SpellRules:
    """Allocation, start and end of spells; mixed into :class:`model.model.RTWModel`."""

    # ---- allocation ------------------------------------------------------------------------
    @cached_property
    def _allocation(self) -> SimpleNamespace:
        """The allocation rule's per-run lookups (the rule is the batch's structure): the randomisation's
        cumulative shares and, per simulated year, the places of each pathway that has a cap."""
        a = self.sc.allocation
        caps = [[(p, cap) for p, name in enumerate(PATHWAYS) if (cap := a.places_cap(name, year)) is not None]
                for year in range((self.horizon - 1) // 52 + 1)]
        cdf = np.cumsum([a.shares[p] for p in PATHWAYS]) if a.rule == "randomise" else None
        return SimpleNamespace(cdf=cdf, caps=caps, overflow=PATHWAYS.index(a.overflow_pathway))

    def _allocate(self, idx: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
        """The pathway each citizen is allocated to (wanted) and gets (within the year's places)."""
        sc, pop, cs, lk = self.sc, self.pop, self.cs, self._allocation
        a = sc.allocation
        base: np.ndarray | np.int64  # one pathway for all, or each citizen's (an int64 either way)
        if a.rule == "all":
            base = np.int64(PATHWAYS.index(a.pathway))
        elif a.rule == "randomise":
            base = pick(lk.cdf, pop.u_arm[idx], len(PATHWAYS))
        else:
            s = a.screening
            if s.suspended_from_year is not None and sc.economics.start_year + w // 52 >= s.suspended_from_year:
                base = np.int64(PATHWAYS.index(s.when_suspended))  # screening suspended (issue 17, 002)
            else:
                if s.criterion == "who5_below":
                    positive = pop.who5[idx] < s.who5_threshold
                elif s.criterion == "risk_in":
                    positive = np.isin(pop.risk[idx], [RISKS.index(r) for r in s.risk_groups])
                else:
                    positive = np.isin(pop.category[idx], list(s.categories))
                base = np.where(positive, PATHWAYS.index(s.positive), PATHWAYS.index(s.negative))
        arm = cs.arm[idx]
        wanted = np.where(arm >= 0, arm, base)  # a relapse keeps its first allocation (the trial arm)
        if self.cash is not None:  # the group's own pathway (cash_benefit.<group>.pathway)
            grp = self.group[idx]
            for g, p in enumerate(self.cash.pathway):
                if g and p is not None:
                    wanted = np.where(grp == g, PATHWAYS.index(p), wanted)
            cs.arm[idx] = np.where(arm >= 0, arm, wanted)
        else:
            cs.arm[idx] = wanted
        got = wanted.copy()
        year = w // 52
        for p, cap in lk.caps[year]:
            sel = (wanted == p).nonzero()[0]
            if sel.size == 0:
                continue
            # each replication has the year's places: the first `room` of its citizens (in order) get one
            used = self.places_used.setdefault((p, year), np.zeros(self.R, np.int64))
            if self.R == 1:
                room = max(0, cap - int(used[0]))
                got[sel[room:]] = lk.overflow
                used[0] += min(room, sel.size)
                continue
            rep = self.rep[idx[sel]]
            room = np.maximum(0, cap - used)
            got[sel[rank_within(rep) >= room[rep]]] = lk.overflow
            used += np.minimum(room, np.bincount(rep, minlength=self.R))
        return wanted, got

    # ---- start of a spell --------------------------------------------------------------------
    @cached_property
    def _spell_start(self) -> SimpleNamespace:
        """Per-run lookups of a spell's start: the static log-hazard of every (replication, diagnosis, risk,
        employed, category, pathway) (``HazardsOfReplications.static_log`` on the grid of codes: the same
        sum per cell as per citizen), the sick-listed's weekly other-exit rate by (replication, pathway,
        diagnosis) (the scenario's rate times the pathway's effect: the same product as per citizen), and
        the hazard-matrix columns of a new spell's row (spell_kernel.START_COLUMNS)."""
        hzr, pop = self.hzr, self.pop
        r, d, k, e, c, p = np.ix_(np.arange(self.R), np.arange(len(DIAGNOSES)), np.arange(len(RISKS)),
                                  np.arange(2), np.arange(int(pop.category.max()) + 1), np.arange(len(PATHWAYS)))
        return SimpleNamespace(static_log=hzr.static_log(r, d, k, e, c, p, self.coordination[r, p]),
                               employed_code=pop.employed.view(np.uint8),  # an index (0, 1), not a mask
                               other_rate=hzr.other_rate[:, None, None] * np.exp(hzr.other_exit_effect),
                               start_cols=np.array([HC[k] for k in spell_kernel.START_COLUMNS]))

    def _start_spells(self, idx: np.ndarray, w: int) -> None:
        if idx.size == 0:
            return
        sc, pop, cs, pp, lk = self.sc, self.pop, self.cs, self.pp, self._spell_start
        cs.spell[idx] += 1
        s = cs.spell[idx]
        cs.token[idx] += 1
        wanted, got = self._allocate(idx, w)
        cs.pathway[idx] = got
        cs.in_aftercare[idx] = False
        rep = self.rep[idx]
        if self.R == 1:
            self.spells_started[0] += idx.size
        else:
            self.spells_started += np.bincount(rep, minlength=self.R)
        self._add_counts(self.week_arrivals, idx, got)
        # the second population (cash benefit) only when enabled: otherwise every citizen is sick-listed
        grp = self.group[idx] if self.cash is not None else None
        lo = self.rec.n
        rows = self.rec.add(idx.size)
        cs.row[idx] = rows
        col = self.rec.cols
        new_rows = slice(lo, lo + idx.size)  # new rows are contiguous: slices, not index arrays
        entry = sc.arrivals.entry_spell_week
        start = w - entry if grp is None else np.where(grp > 0, w, w - entry)  # cash benefit: the stay from arrival
        dia, risk, emp, cat = pop.diagnosis[idx], pop.risk[idx], pop.employed[idx], pop.category[idx]
        one = self.R == 1  # one replication: its number and code are one value
        for name, v in (("replication", int(self.replications[0]) if one else self.replications[rep]),
                        ("rep_code", 0 if one else rep), ("citizen_id", cs.local[idx]),
                        ("spell", s), ("arm", cs.arm[idx]),
                        ("allocated", wanted), ("pathway", got), ("diagnosis", dia), ("risk", risk),
                        ("employed", emp), ("category", cat), ("who5_start", pop.who5[idx]), ("arrival_week", w),
                        ("spell_start_week", start), ("consultant_pool", pp.pool[got]), ("population", 0 if grp is None else grp)):
            col[name][new_rows] = v
        # hazard state: the new spells' rows of the hazard matrix, in one compiled loop (model/spell_kernel.py)
        hzr = self.hzr  # each replication's coefficients (model/batch_key.py)
        lin = lk.static_log[rep, dia, risk, lk.employed_code[idx], cat, got]
        late_delta = hzr.late_delta[rep, got, dia]  # the pathway's late effect: the change in log-hazard (DESIGN §4)
        if grp is not None:
            lin = np.where(grp > 0, self.cash.log_base[grp] + self.cash.log_rr[risk] + self.coordination[rep, got], lin)
            late_delta = np.where(grp > 0, 0.0, late_delta)
        spell_kernel.start_hazard_rows(cs.hs, lk.start_cols, idx, w, np.full(idx.size, start) if grp is None else start, s,
                                       pop.spell["e_return"], lin, rep, got, emp, cat, self.group, hzr.beta["employed"],
                                       hzr.beta["category1"], self.coordination, late_delta, hzr.late_from)
        cs.in_treat[idx] = False
        cs.active[idx] = True
        self._admit(idx, got, w)
        self._offer_treatment(idx, got, s, rows, w)
        m = pp.meet_count[got] > 0
        self._book(Kind.MEETING, w + pp.meet_first[got[m]], idx[m])
        sick = idx if grp is None else idx[grp == 0]
        self._schedule_reassessment(sick, w, w - entry)  # sickness-benefit rules only for the sick-listed
        # the sick-listed leave for other reasons at the scenario's rate times their pathway's effect
        rate = lk.other_rate[rep, got, dia]
        if grp is not None:
            rate = np.where(grp > 0, self.cash.other_rate[grp], rate)
        t = geometric_weeks_many(pop.spell["e_other"][idx, s], rate)
        fin = np.isfinite(t)
        self._book(Kind.OTHER_EXIT, w + t[fin].astype(np.int64) - 1, idx[fin])

    # ---- end of a spell ----------------------------------------------------------------------
    def _add_counts(self, out: np.ndarray, idx: np.ndarray, key: np.ndarray) -> None:
        """``out += self.counts(idx, key, k)`` for an (replication, k) count matrix (one run: its one row)."""
        if self.R == 1:
            out[0] += np.bincount(key, minlength=out.shape[1])
        else:
            out += self.counts(idx, key, out.shape[1])

    def _close(self, idx: np.ndarray, w: int, outcome: int, keep_consultant: np.ndarray | None = None) -> None:
        """End the spells: free treatment and (unless aftercare keeps it) the consultant, close the rows."""
        if idx.size == 0:
            return
        cs, col = self.cs, self.rec.cols
        self._stop_treatment(idx, w)
        # the spells end before consultants are freed: a freed consultant must not take a citizen of this
        # batch from the queue (a queued citizen leaves the queue by its token)
        cs.token[idx] += 1
        cs.next_contact[idx] = NEVER  # no contact is due after the spell (the due contacts are found by this week)
        rel = (cs.state[idx] != S.QUEUED) & (cs.consultant[idx] >= 0)
        if keep_consultant is not None:
            rel &= ~keep_consultant
        self._release_consultants(idx[rel], w)
        rows = cs.row[idx]
        # the rows' benefit, jobafklaring and spell ends, and the counted sickness-benefit weeks (§ 24)
        spell_kernel.close_rows(idx, rows, w, outcome, col["benefit_end_week"], col["benefit_end_reason"],
                                col["jobafklaring_week"], col["jobafklaring_end_week"], col["end_week"], col["outcome"],
                                col["spell_start_week"], self._excluded, self.group, cs.paid_a, cs.paid_b, cs.paid_n)
        cs.active[idx] = False
        if self.R == 1:
            self.closed[0, outcome] += idx.size
        else:
            self.closed[:, outcome] += np.bincount(self.rep[idx], minlength=self.R)
        self.rec.close(rows)
        cs.ext_token[idx] += 1
        sick = None if self.cash is None else self.group[idx] == 0  # None: every citizen is sick-listed
        if outcome == RETURNED:
            cs.state[idx] = S.AT_WORK
        elif self.sc.onward.enabled:
            if sick is not None:
                cs.state[idx[~sick]] = S.LEFT
            self._enter_onward(idx if sick is None else idx[sick], w, self._onward_cdf[ONWARD_KEY[outcome]], ONWARD_CODES)
        else:
            cs.state[idx] = S.LEFT

    @cached_property
    def _relapse_table(self) -> Segments:
        """The run's relapse tables (by code ``pathway * 2 + aftercare``)."""
        pp = self.pp
        return relapse_segments(tuple(self._relapse_steps), tuple(pp.aftercare_weeks.tolist()),
                                tuple(pp.aftercare_relapse_mult.tolist()), self.horizon + 1)

    def _return(self, idx: np.ndarray, w: int) -> None:
        """Back at work: close the spell, start aftercare, and draw the week of a relapse, if any."""
        if idx.size == 0:
            return
        sc, cs, pp, col = self.sc, self.cs, self.pp, self.rec.cols
        rows = cs.row[idx]
        p = cs.pathway[idx].astype(np.int64)
        from_benefit = cs.state[idx] != S.JOBAFKLARING
        col["return_week"][rows] = w
        benefit_rows = rows if np.count_nonzero(from_benefit) == idx.size else rows[from_benefit]
        col["benefit_end_week"][benefit_rows] = w
        col["benefit_end_reason"][benefit_rows] = RETURNED
        if benefit_rows.size < idx.size:
            col["jobafklaring_end_week"][rows[~from_benefit]] = w
        self._add_counts(self.week_returns, idx, p)
        acw = pp.aftercare_weeks[p]
        aftercare = from_benefit & (acw > 0)
        keep = aftercare & pp.aftercare_on_caseload[p] & (cs.consultant[idx] >= 0)
        self._close(idx, w, RETURNED, keep)
        if np.count_nonzero(aftercare):
            a_idx = idx[aftercare]
            cs.in_aftercare[a_idx] = True
            self._book(Kind.AFTERCARE_END, w + acw[aftercare], a_idx)
            col["aftercare_weeks"][rows[aftercare]] = acw[aftercare]
        can = cs.spell[idx] + 1 < sc.relapse.max_spells
        if self.cash is not None:
            can &= self.group[idx] == 0
        i = idx[can]
        if i.size == 0:
            return
        # the relapse table of each (pathway, aftercare or not): aftercare multiplies the hazard for its weeks
        t = self._relapse_table.weeks(self.pop.spell["e_relapse"][i, cs.spell[i]], (p * 2 + aftercare)[can])
        entry = sc.arrivals.entry_spell_week
        ok = w + t + entry < self.horizon  # never (inf) is not before the horizon
        cs.relapse_pending[i[ok]] = True
        self._book(Kind.RELAPSE, w + t[ok].astype(np.int64) + entry, i[ok])

    def _end_aftercare(self, idx: np.ndarray, w: int) -> None:
        cs = self.cs
        idx = idx[cs.in_aftercare[idx]]
        cs.in_aftercare[idx] = False
        self._release_consultants(idx[cs.consultant[idx] >= 0], w)

    def _on_aftercare_end(self, idx: np.ndarray, w: int) -> None:
        self._end_aftercare(idx, w)

    def _on_relapse(self, idx: np.ndarray, w: int) -> None:
        cs = self.cs
        self._end_aftercare(idx, w)
        cs.relapse_pending[idx] = False
        self.rec.cols["relapse_week"][cs.row[idx]] = w - self.sc.arrivals.entry_spell_week
        self._start_spells(idx, w)

    def _on_other_exit(self, idx: np.ndarray, w: int) -> None:
        self._close(idx[self.cs.open_(idx)], w, OTHER_EXIT)

    def _on_jobafklaring_end(self, idx: np.ndarray, w: int) -> None:
        self._close(idx[self.cs.state[idx] == S.JOBAFKLARING], w, JOBAFKLARING_ENDED)

    def _on_rehabilitation_decision(self, idx: np.ndarray, w: int) -> None:
        self._close(idx[self.cs.on_benefit(idx)], w, REHABILITATION_TEAM)

    # ---- onward states (after sickness benefit or jobafklaring) -------------------------------
    def _enter_onward(self, idx: np.ndarray, w: int, cdf: np.ndarray, choices: np.ndarray,
                      by: np.ndarray | None = None) -> None:
        """The next onward state of each citizen (``cdf``: one share table, or a row per citizen). ``by``: the
        citizens' group codes, sorted, when each group is booked on its own, as one call per group would."""
        if idx.size == 0:
            return
        cs, pop = self.cs, self.pop
        k = cs.onward_steps[idx] % MAX_ONWARD_STEPS
        cs.onward_steps[idx] += 1
        u = pop.onward["u_onward"][idx, k]
        # a row per citizen: the entries <= u counted, which is what searchsorted (side right) gives
        at = pick(cdf, u, len(choices)) if cdf.ndim == 1 else np.minimum((cdf <= u[:, None]).sum(axis=1), len(choices) - 1)
        nxt = choices[at]
        cs.state[idx] = nxt
        stay = nxt != S.AT_WORK
        if np.count_nonzero(stay) < idx.size:
            idx, nxt, k = idx[stay], nxt[stay], k[stay]
        first = self.onward.n
        rows = self.onward.add(idx.size)
        new_rows = slice(first, first + idx.size)  # new rows are contiguous
        oc = self.onward.cols
        code = nxt - FIRST_ONWARD
        if self.R == 1:
            oc["replication"][new_rows] = self.replications[0]
        else:
            rep = self.rep[idx]
            oc["replication"][new_rows] = self.replications[rep]
            oc["rep_code"][new_rows] = rep
        oc["citizen_id"][new_rows] = cs.local[idx]
        oc["spell"][new_rows] = cs.spell[idx]
        oc["state"][new_rows] = code
        oc["start_week"][new_rows] = w
        cs.onward_row[idx] = rows
        mean = self._onward_mean[code]
        fin = np.isfinite(mean)
        if np.count_nonzero(fin) < idx.size:
            idx, mean, k = idx[fin], mean[fin], k[fin]
        e = pop.onward["e_onward"][idx, (k + 1) % MAX_ONWARD_STEPS]  # the draw of the step just taken
        when = w + np.maximum(1, np.ceil(e * mean)).astype(np.int64)
        if by is None:
            self._book(Kind.ONWARD_END, when, idx)
            return
        b = by[stay][fin]
        cut = [0, *(np.flatnonzero(b[1:] != b[:-1]) + 1).tolist(), b.size]
        for lo, hi in zip(cut[:-1], cut[1:]):  # one booking per group, in order (the calendar keeps booking order)
            self._book(Kind.ONWARD_END, when[lo:hi], idx[lo:hi])

    def _on_onward_end(self, idx: np.ndarray, w: int) -> None:
        cs = self.cs
        idx = idx[cs.state[idx] >= FIRST_ONWARD]
        self.onward.cols["end_week"][cs.onward_row[idx]] = w
        cs.onward_row[idx] = -1
        st = cs.state[idx]
        codes = present(st)
        if len(codes) == 1:
            self._enter_onward(idx, w, self._onward_next_cdf[codes[0] - FIRST_ONWARD], ONWARD_NEXT_CODES)
        elif codes:  # all states at once, citizens in order of state (as one call per state, in order, would)
            order = np.argsort(st, kind="stable")
            idx, st = idx[order], st[order]
            table = np.stack([self._onward_next_cdf[c - FIRST_ONWARD] for c in codes])
            self._enter_onward(idx, w, table[np.searchsorted(codes, st)], ONWARD_NEXT_CODES, by=st)
