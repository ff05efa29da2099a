"""The Mesa model: arrivals, the weekly step with due lists, and event records.

One step is one week (benefits are paid and deadlines counted in weeks, DESIGN §4). Each week:
1. citizens arriving this week start a spell and are allocated to a pathway;
2. events due this week run (contacts, meetings, referrals, treatment starts/ends, reassessment,
   exits, relapses) — only citizens with something due are touched;
3. the return-to-work hazard is applied to all active citizens at once (numpy arrays);
4. one row of weekly statistics is recorded.
Per-week work is proportional to the events due and the citizens active, never to everyone who
ever arrived.
"""
from __future__ import annotations

import itertools
import math
from collections import defaultdict

import mesa
import numpy as np

from .agents import Citizen, State
from .capacity import CaseloadPool, TreatmentProvider
from .hazards import EFFECT_NAMES, HazardModel, geometric_weeks, piecewise_weeks
from .population import MAX_ONWARD_STEPS, draw_population
from . import rules as statute
from . import cash_benefit as cash
from .scenario import DIAGNOSES, ONWARD_NEXT, ONWARD_STATES, PATHWAYS, RISKS, Scenario
from .streams import named_streams

NAN = math.nan
PCODE = {p: k for k, p in enumerate(PATHWAYS)}
SPELL_WEEK_FIELDS = (
    "consultant_queued_week", "consultant_assigned_week", "first_contact_week", "job_goal_week", "referral_week",
    "treatment_queued_week", "treatment_start_week", "treatment_end_week", "benefit_end_week",
    "jobafklaring_week", "jobafklaring_end_week", "return_week", "end_week", "relapse_week",
    "reassessment_due_week", "reassessment_week", "extension_end_week")
ONWARD_COLUMNS = ["replication", "citizen_id", "spell", "state", "start_week", "end_week"]
CLOSE_OUTCOMES = ("returned", "other_exit", "jobafklaring_ended", "rehabilitation_team")


class RTWModel(mesa.Model):
    """One replication of one scenario."""

    def __init__(self, scenario: Scenario, rep_seed: np.random.SeedSequence, weeks: int | None = None,
                 replication: int = 0):
        streams = named_streams(rep_seed)
        super().__init__(rng=streams["operations"])
        self.sc = scenario
        self.replication = replication
        self.horizon = int(weeks or scenario.horizon_weeks)
        self.pop = draw_population(scenario, self.horizon, streams)
        # second population (issue 17, model/cash_benefit.py): merged into the same arrays when enabled
        self.cash = cash.CashHazards(scenario) if cash.enabled(scenario) else None
        if self.cash is not None:
            self.pop = cash.merge(self.pop, cash.draw_cash_population(scenario, self.horizon, streams["cash_benefit"]))
        self.group = self.pop.group if self.pop.group is not None else np.zeros(self.pop.size, dtype=np.int64)
        self.hz = HazardModel(scenario, self.horizon, streams["context"])
        n = self.pop.size
        # --- per-citizen arrays for the vectorised hazard -----------------------------------
        self.active = np.zeros(n, bool)
        self.H = np.zeros(n)
        self.E = np.zeros(n)
        self.lin_static = np.zeros(n)
        self.who5_0 = self.pop.who5.astype(float)
        self.progress = np.zeros(n)
        self.in_treat = np.zeros(n, bool)
        self.treat_start = np.zeros(n)
        self.treat_len = np.ones(n)
        self.last_contact = np.full(n, -10**6, dtype=np.int64)
        self.job_goal = np.zeros(n)
        self.meetings = np.zeros(n)
        self.spell_start = np.zeros(n, dtype=np.int64)
        self.state_mult = np.ones(n)
        self.pcode = np.zeros(n, dtype=np.int64)
        # the active set as a dense index list (swap-remove), so a week costs O(active), not O(arrived)
        self._act = np.empty(n, dtype=np.int64)
        self._pos = np.full(n, -1, dtype=np.int64)
        self._nact = 0
        self.active_by_pathway = np.zeros(len(PATHWAYS), dtype=np.int64)
        self.treated_by_pathway = np.zeros(len(PATHWAYS), dtype=np.int64)
        # --- staff and providers -------------------------------------------------------------
        self.pools = {name: CaseloadPool(self, name, cfg) for name, cfg in scenario.consultants.items()}
        self.providers = {name: TreatmentProvider(self, name, cfg) for name, cfg in scenario.providers.items()}
        self._queue_seq = itertools.count()
        # --- book-keeping --------------------------------------------------------------------
        self.week = 0
        self.due: dict[int, list] = defaultdict(list)
        self.open_week = 0  # earliest week whose due list has not been handled yet
        self.citizens: dict[int, Citizen] = {}
        self._next_arrival = 0
        self.places_used: dict[tuple[str, int], int] = defaultdict(int)
        self.state_count = {s: 0 for s in State.ALL}
        self.aftercare_count = defaultdict(int)
        self.spells_started = 0
        self.closed = defaultdict(int)
        self.spell_rows: list[dict] = []
        self.weekly_rows: list[dict] = []
        self._week_counts: dict[str, int] = defaultdict(int)
        self.effect_sums = np.zeros((len(EFFECT_NAMES), len(PATHWAYS)))
        self.effect_weeks = np.zeros(len(PATHWAYS))
        rel = scenario.relapse
        self._relapse_steps = [(s.from_week, s.weekly) for s in rel.hazard]
        self._drop_rate = {}
        self._weeks_cache: dict[tuple[int, str], np.ndarray] = {}
        # --- statutory rules (model/rules.py) and onward states --------------------------------
        self.rs = statute.rules_for(scenario)
        self.cal = statute.calendar(int(scenario.economics.start_year), self.horizon)
        self._excluded = statute.excluded_weeks(self.rs)
        self._window = statute.window_weeks(self.rs)
        self._simplified_followup = bool(self.rs["followup_employed"]["only_first_contact_if_uncomplicated"])
        self.onward_rows: list[dict] = []
        on = scenario.onward
        self._onward_cdf = {k: np.cumsum([getattr(on, k)[s] for s in ONWARD_STATES])
                            for k in ("after_jobafklaring", "after_rehabilitation_team", "after_other_exit")}
        self._onward_next_cdf = {st: np.cumsum([cfg.next.get(n, 0.0) for n in ONWARD_NEXT])
                                 for st, cfg in on.states.items() if cfg.mean_weeks is not None}

    # ======================================================================================
    def run(self) -> "RTWModel":
        for _ in range(self.horizon):
            self.step()
        self._close_censored()
        return self

    def step(self) -> None:
        w = self.week
        self._week_counts = defaultdict(int)
        self._arrivals(w)
        self._process_due(w)
        self.open_week = w + 1  # events arising from here on fall on next week
        self._hazard_step(w)
        self._record_week(w)
        self.week += 1

    def _draw_weeks(self, dist, column: str, c: Citizen) -> int:
        """Weeks from a duration distribution at this citizen's pre-drawn quantile (vectorised once per run)."""
        key = (id(dist), column)
        table = self._weeks_cache.get(key)
        if table is None:
            table = self._weeks_cache[key] = dist.weeks(self.pop.spell[column])
        return int(table[c.idx, c.spell])

    # ---- scheduling ----------------------------------------------------------------------
    def _schedule(self, week: float, kind: str, c: Citizen, token: int | None = None) -> None:
        """Book an event. A week whose due list is already handled is closed: an event that arises
        later in that week (a queued citizen taking a consultant freed by a return during the hazard
        phase) falls on the next week instead of a list nobody will read again."""
        week = max(int(week), self.open_week)
        if week < self.horizon:
            self.due[week].append((kind, c, c.token if token is None else token))

    def _process_due(self, w: int) -> None:
        events = self.due.get(w)
        if not events:
            return
        k = 0
        while k < len(events):  # handlers may add events for this same week
            kind, c, token = events[k]
            k += 1
            if kind in _TREATMENT_EVENTS:
                if c.treat_token == token:
                    getattr(self, "_on_" + kind)(c, w)
            elif kind in _EXTENSION_EVENTS:
                if c.ext_token == token:
                    getattr(self, "_on_" + kind)(c, w)
            elif c.token == token:
                getattr(self, "_on_" + kind)(c, w)
        del self.due[w]

    def _set_state(self, c: Citizen, state: str) -> None:
        if c.state is not None:
            self.state_count[c.state] -= 1
        self.state_count[state] += 1
        c.state = state

    # ---- arrivals and spells -------------------------------------------------------------
    def _arrivals(self, w: int) -> None:
        arr = self.pop.arrival_week
        while self._next_arrival < arr.size and arr[self._next_arrival] == w:
            i = self._next_arrival
            self._next_arrival += 1
            c = Citizen(self, i)
            self.citizens[i] = c
            self._start_spell(c, w)

    def _allocate(self, c: Citizen, w: int) -> tuple[str, str]:
        a = self.sc.allocation
        i = c.idx
        if self.cash is not None and self.group[i] and self.cash.pathway[self.group[i]] is not None:
            wanted = self.cash.pathway[self.group[i]]  # the group's own pathway (cash_benefit.<group>.pathway)
        elif c.arm is not None:
            wanted = c.arm
        elif a.rule == "all":
            wanted = a.pathway
        elif a.rule == "randomise":
            cdf = np.cumsum([a.shares[p] for p in PATHWAYS])
            wanted = PATHWAYS[min(int(np.searchsorted(cdf, self.pop.u_arm[i], side="right")), len(PATHWAYS) - 1)]
        else:
            s = a.screening
            if s.suspended_from_year is not None and self.sc.economics.start_year + w // 52 >= s.suspended_from_year:
                positive = None  # the screening tool is suspended (issue 17, Hjørring 002)
            elif s.criterion == "who5_below":
                positive = self.pop.who5[i] < s.who5_threshold
            elif s.criterion == "risk_in":
                positive = RISKS[self.pop.risk[i]] in s.risk_groups
            else:
                positive = int(self.pop.category[i]) in s.categories
            wanted = s.when_suspended if positive is None else (s.positive if positive else s.negative)
        if c.arm is None:
            c.arm = wanted
        got = wanted
        cap = a.places_cap(wanted, w // 52)
        if cap is not None:
            year = w // 52
            if self.places_used[(wanted, year)] >= cap:
                got = a.overflow_pathway
            else:
                self.places_used[(wanted, year)] += 1
        return wanted, got

    def _start_spell(self, c: Citizen, w: int) -> None:
        sc, pop, i = self.sc, self.pop, c.idx
        c.spell += 1
        s = c.spell
        c.token += 1
        wanted, pathway = self._allocate(c, w)
        pw = sc.pathways[pathway]
        c.pathway = pathway
        c.in_aftercare = False
        self.spells_started += 1
        self._week_counts["arrivals." + pathway] += 1
        rec = {f: NAN for f in SPELL_WEEK_FIELDS}
        rec.update(
            replication=self.replication, citizen_id=i, spell=s, arm=c.arm, allocated=wanted, pathway=pathway,
            diagnosis=DIAGNOSES[pop.diagnosis[i]], risk=RISKS[pop.risk[i]], employed=bool(pop.employed[i]),
            category=int(pop.category[i]), who5_start=float(pop.who5[i]), arrival_week=w,
            spell_start_week=w - sc.arrivals.entry_spell_week, consultant_pool=pw.consultant_pool, consultant=-1,
            contacts=0, contact_deferrals=0, meetings=0, treatment_offered=False, provider="", escalated=False,
            queue_seq=-1, consultant_queue_seq=-1, therapist=-1, course_weeks=NAN, treatment_completed=False, sessions=0.0, reassessed=False,
            extended=False, extension_ground="", benefit_end_reason="", outcome="",
            population=cash.POPULATIONS[self.group[i]])
        grp = int(self.group[i])
        if grp:  # cash benefit / ressourceforløb: the spell is the stay on the benefit from arrival
            rec["spell_start_week"] = w
        c.rec = rec
        # hazard arrays
        self.spell_start[i] = rec["spell_start_week"]
        self.H[i] = 0.0
        self.E[i] = pop.spell["e_return"][i, s]
        self.pcode[i] = PCODE[pathway]
        if grp:
            self.lin_static[i] = (self.cash.log_base[grp] + self.cash.log_rr[pop.risk[i]]
                                  + self.hz.coordination[PCODE[pathway]])
        else:
            self.lin_static[i] = self.hz.static_log(pop.diagnosis[i], pop.risk[i], pop.employed[i], pop.category[i],
                                                    PCODE[pathway])
        self.progress[i] = 0.0
        self.in_treat[i] = False
        self.last_contact[i] = -10**6
        self.job_goal[i] = 0.0
        self.meetings[i] = 0.0
        self.state_mult[i] = 1.0
        self._activate(i)
        # consultant
        pool = self.pools[pw.consultant_pool]
        if pool.admit(c) is not None:
            self._set_state(c, State.ON_BENEFIT)
            self._on_consultant_assigned(c, w)
        else:
            self._set_state(c, State.QUEUED)
            rec["consultant_queued_week"] = w
            rec["consultant_queue_seq"] = next(self._queue_seq)
        # treatment
        c.pending_referral = False
        tr = pw.treatment
        if tr is not None and pop.spell["u_uptake"][i, s] < tr.uptake:
            rec["treatment_offered"] = True
            if tr.trigger == "arrival":
                self._schedule(w + self._draw_weeks(tr.delay, "u_delay", c), "referral", c)
            else:
                c.pending_referral = True
        if pw.meetings.count > 0:
            self._schedule(w + pw.meetings.first_week, "meeting", c)
        if not grp:  # sickness-benefit rules only for the sick-listed
            self._schedule_reassessment(c, w)
        t_other = geometric_weeks(pop.spell["e_other"][i, s], self.cash.other_rate[grp] if grp else self.hz.other_rate)
        if math.isfinite(t_other):
            self._schedule(w + t_other - 1, "other_exit", c)

    def _activate(self, i: int) -> None:
        self.active[i] = True
        self._act[self._nact] = i
        self._pos[i] = self._nact
        self._nact += 1
        self.active_by_pathway[self.pcode[i]] += 1

    def _deactivate(self, i: int) -> None:
        self.active[i] = False
        k = self._pos[i]
        last = self._act[self._nact - 1]
        self._act[k] = last
        self._pos[last] = k
        self._pos[i] = -1
        self._nact -= 1
        self.active_by_pathway[self.pcode[i]] -= 1

    def _on_consultant_assigned(self, c: Citizen, w: int) -> None:
        rec = c.rec
        rec["consultant_assigned_week"] = w
        rec["consultant"] = c.consultant.number
        first = max(w, rec["arrival_week"] + self.sc.pathways[c.pathway].first_contact_week)
        self._schedule(first, "contact", c)

    def _release_consultant(self, c: Citizen, w: int) -> None:
        pool = self.pools[self.sc.pathways[c.pathway].consultant_pool]
        nxt = pool.release(c)
        if nxt is not None:
            self._set_state(nxt, State.ON_BENEFIT)
            self._on_consultant_assigned(nxt, w)

    # ---- event handlers -------------------------------------------------------------------
    def _on_contact(self, c: Citizen, w: int) -> None:
        if c.state != State.ON_BENEFIT or c.consultant is None:
            return
        pool = self.pools[c.consultant.pool]
        if not pool.book(c.consultant, w, pool.cfg.contact_hours):
            c.rec["contact_deferrals"] += 1
            self._schedule(w + 1, "contact", c)
            return
        self.last_contact[c.idx] = w
        c.rec["contacts"] += 1
        self._week_counts["contacts." + pool.name] += 1
        if math.isnan(c.rec["first_contact_week"]):
            c.rec["first_contact_week"] = w
        if c.pending_referral:
            c.pending_referral = False
            tr = self.sc.pathways[c.pathway].treatment
            self._schedule(w + self._draw_weeks(tr.delay, "u_delay", c), "referral", c)
        if self._simplified_followup and self._uncomplicated(c):
            return  # 2025 simplification (§ 13 f): no follow-up required after the first contact
        pw = self.sc.pathways[c.pathway]
        interval = pw.followup_interval_weeks * pool.stretch_factor(c.consultant)
        self._schedule(w + max(1, math.ceil(interval - 1e-9)), "contact", c)

    def _on_meeting(self, c: Citizen, w: int) -> None:
        if c.state not in (State.QUEUED, State.ON_BENEFIT):
            return
        mt = self.sc.pathways[c.pathway].meetings
        pool = self.pools[c.consultant.pool] if c.consultant is not None else None
        if pool is None or not pool.book(c.consultant, w, pool.cfg.meeting_hours):
            self._schedule(w + 1, "meeting", c)
            return
        i = c.idx
        self.meetings[i] += 1
        c.rec["meetings"] += 1
        if c.rec["meetings"] == 1 and mt.sets_job_goal:
            self.job_goal[i] = 1.0
            c.rec["job_goal_week"] = w
        if c.rec["meetings"] < mt.count:
            self._schedule(w + mt.interval_weeks, "meeting", c)

    def _on_referral(self, c: Citizen, w: int) -> None:
        if c.state not in State.OPEN:
            return
        i, s = c.idx, c.spell
        pw = self.sc.pathways[c.pathway]
        tr = pw.treatment
        name, own = tr.provider, True
        esc = tr.escalation
        if (esc.probability > 0 and (not esc.high_risk_only or RISKS[self.pop.risk[i]] == "high")
                and self.pop.spell["u_escalation"][i, s] < esc.probability):
            name, own = esc.provider, False
            c.rec["escalated"] = True
        c.rec["referral_week"] = w
        c.rec["provider"] = name
        prov = self.providers[name]
        c.provider = name
        if prov.internal:
            required = None
            if pw.fixed_team and own and c.consultant is not None:
                required = prov.therapists[c.consultant.number % len(prov.therapists)]
            c.required_therapist = required
            th = prov.free_therapist(required)
            if th is not None:
                self._start_treatment(c, th, w)
            else:
                prov.enqueue(c, required)
                c.rec["treatment_queued_week"] = w
                c.rec["queue_seq"] = next(self._queue_seq)
        else:
            prov.waiting.add(i)
            wait = self._draw_weeks(prov.cfg.wait, "u_wait", c)
            c.rec["treatment_queued_week"] = w
            self._schedule(w + wait, "treat_start", c, c.treat_token)

    def _on_treat_start(self, c: Citizen, w: int) -> None:
        if c.state not in State.OPEN:
            return
        self.providers[c.provider].waiting.discard(c.idx)
        self._start_treatment(c, None, w)

    def _start_treatment(self, c: Citizen, therapist, w: int) -> None:
        i, s = c.idx, c.spell
        tr = self.sc.pathways[c.pathway].treatment
        length = max(1, self._draw_weeks(tr.course, "u_course", c))
        prov = self.providers[c.provider]
        prov.in_treatment.add(i)
        if therapist is not None:
            prov.assign(therapist, i)
        c.therapist = therapist
        self.in_treat[i] = True
        self.treated_by_pathway[self.pcode[i]] += 1
        self.treat_start[i] = w
        self.treat_len[i] = length
        c.rec["treatment_start_week"] = w
        c.rec["course_weeks"] = length
        c.rec["therapist"] = therapist.number if therapist is not None else -1
        rate = self._drop_rate.get(tr.dropout_weekly)
        if rate is None:
            rate = self._drop_rate[tr.dropout_weekly] = (-math.log1p(-tr.dropout_weekly)
                                                         if tr.dropout_weekly < 1 else math.inf)
        t_drop = geometric_weeks(self.pop.spell["e_dropout"][i, s], rate)
        if t_drop < length:
            self._schedule(w + t_drop, "dropout", c, c.treat_token)
        else:
            self._schedule(w + length, "treat_end", c, c.treat_token)

    def _on_treat_end(self, c: Citizen, w: int) -> None:
        self._end_treatment(c, w, completed=True)

    def _on_dropout(self, c: Citizen, w: int) -> None:
        self._end_treatment(c, w, completed=False)

    def _end_treatment(self, c: Citizen, w: int, completed: bool) -> None:
        i = c.idx
        tr = self.sc.pathways[c.pathway].treatment
        weeks_in = w - self.treat_start[i]
        self.progress[i] = 1.0 if completed else min(1.0, weeks_in / self.treat_len[i])
        self.in_treat[i] = False
        self.treated_by_pathway[self.pcode[i]] -= 1
        c.rec["treatment_end_week"] = w
        c.rec["treatment_completed"] = completed
        c.rec["sessions"] = float(weeks_in * tr.sessions_per_week)
        prov = self.providers[c.provider]
        prov.in_treatment.discard(i)
        c.treat_token += 1
        th = c.therapist
        c.therapist = None
        c.provider = None
        if c.rec.get("extension_ground") == "nr3" and c.state in (State.QUEUED, State.ON_BENEFIT):
            self._schedule(w, "extension_review", c, c.ext_token)  # the nr. 3 ground ended with the treatment
        if th is not None:
            prov.unassign(th, i)
            nxt = prov.next_for(th)
            if nxt is not None:
                self._start_treatment(nxt, th, w)

    def _stop_treatment(self, c: Citizen, w: int) -> None:
        """Spell over: end an ongoing course, or leave the waiting list."""
        if self.in_treat[c.idx]:
            self._end_treatment(c, w, completed=False)
        elif c.provider is not None:
            self.providers[c.provider].waiting.discard(c.idx)
            c.treat_token += 1
            c.provider = None
        c.pending_referral = False

    # ---- statutory rules: reassessment (§ 24) and extension (§ 27) -------------------------
    def _schedule_reassessment(self, c: Citizen, w: int) -> None:
        """§ 24: due at the end of the calendar month in which the counted weeks (from the end of the
        first 30 days, plus earlier spells' weeks within 9 months) pass 22."""
        rec = c.rec
        start = int(rec["spell_start_week"]) + self._excluded
        lo = start - self._window
        history = [(a, b) for a, b in c.paid if b > lo]
        due = max(w, statute.reassessment_week(self.cal, start, history, self.rs))
        rec["reassessment_due_week"] = due
        self._schedule(due, "reassess", c)

    def _uncomplicated(self, c: Citizen) -> bool:
        """Employed and expected back soon (category 1): the 2025 simplification's short, uncomplicated course."""
        return bool(self.pop.employed[c.idx]) and int(self.pop.category[c.idx]) == 1

    def _in_care(self, c: Citizen) -> bool:
        """In or waiting for treatment: arranged by the jobcentre (referred, queued or treated and not
        finished), or in the health system (pre-drawn, ``rules.extension.outside_treatment_share``)."""
        rec = c.rec
        if self.in_treat[c.idx] or c.provider is not None:
            return True
        if rec["treatment_offered"] and math.isnan(rec["treatment_end_week"]):
            return True
        return bool(self.pop.spell["u_in_care"][c.idx, c.spell] < self.sc.rules.extension.outside_treatment_share)

    def _extension_decision(self, c: Citizen, w: int, exclude: tuple[str, ...] = ()) -> None:
        rec, i, s = c.rec, c.idx, c.spell
        elapsed = w - int(rec["reassessment_week"])
        ext = self.sc.rules.extension
        sp = self.pop.spell
        ground = statute.choose_ground(self.rs, ext, self._in_care(c), elapsed, sp["u_nr3"][i, s], sp["u_nr2"][i, s],
                                       sp["u_nr4"][i, s], exclude)
        c.ext_token += 1
        if ground is None:
            self._to_jobafklaring(c, w)
            return
        rec["extended"] = True
        rec["extension_ground"] = ground
        end = statute.ground_end(self.rs, ground, int(rec["reassessment_week"]), w, ext)
        rec["extension_end_week"] = end
        self._schedule(end, "rehabilitation_decision" if ground == "nr4" else "extension_review", c, c.ext_token)

    def _on_reassess(self, c: Citizen, w: int) -> None:
        if c.state not in (State.QUEUED, State.ON_BENEFIT):
            return
        c.rec["reassessed"] = True
        c.rec["reassessment_week"] = w
        self._extension_decision(c, w)

    def _on_extension_review(self, c: Citizen, w: int) -> None:
        """Review at a ground's limit or when its condition ends: another ground, or jobafklaring."""
        if c.state not in (State.QUEUED, State.ON_BENEFIT):
            return
        self._extension_decision(c, w, exclude=("nr4",) if c.rec["extension_ground"] == "nr4" else ())

    def _on_rehabilitation_decision(self, c: Citizen, w: int) -> None:
        if c.state in (State.QUEUED, State.ON_BENEFIT):
            self._close(c, w, "rehabilitation_team")

    def _to_jobafklaring(self, c: Citizen, w: int) -> None:
        rec = c.rec
        rec["jobafklaring_week"] = w
        rec["benefit_end_week"] = w
        rec["benefit_end_reason"] = "jobafklaring"
        self._release_consultant(c, w)
        self._set_state(c, State.JOBAFKLARING)
        self.state_mult[c.idx] = self.sc.rules.jobafklaring_hazard_multiplier
        self._schedule(w + self.sc.rules.jobafklaring_max_weeks, "jobafklaring_end", c)

    # ---- onward states (after sickness benefit or jobafklaring) -----------------------------
    def _enter_onward(self, c: Citizen, w: int, cdf: np.ndarray, choices: tuple[str, ...]) -> None:
        k = c.onward_steps % MAX_ONWARD_STEPS
        c.onward_steps += 1
        u = self.pop.onward["u_onward"][c.idx, k]
        nxt = choices[min(int(np.searchsorted(cdf, u, side="right")), len(choices) - 1)]
        if nxt == State.AT_WORK:
            self._set_state(c, State.AT_WORK)
            self._forget_if_done(c)
            return
        self._set_state(c, nxt)
        self.onward_rows.append({"replication": self.replication, "citizen_id": c.idx, "spell": c.spell,
                                 "state": nxt, "start_week": w, "end_week": NAN})
        c.onward_row = len(self.onward_rows) - 1
        cfg = self.sc.onward.states[nxt]
        if cfg.mean_weeks is not None:
            e = self.pop.onward["e_onward"][c.idx, c.onward_steps % MAX_ONWARD_STEPS]
            stay = max(1, math.ceil(e * cfg.mean_weeks))
            self._schedule(w + stay, "onward_end", c)
        elif c.idx in self.citizens:  # kept until the horizon: nothing will happen to this agent any more
            del self.citizens[c.idx]
            c.remove()

    def _on_onward_end(self, c: Citizen, w: int) -> None:
        if c.state not in State.ONWARD:
            return
        self.onward_rows[c.onward_row]["end_week"] = w
        c.onward_row = None
        self._enter_onward(c, w, self._onward_next_cdf[c.state], ONWARD_NEXT)

    def _on_other_exit(self, c: Citizen, w: int) -> None:
        if c.state in State.OPEN:
            self._close(c, w, "other_exit")

    def _on_jobafklaring_end(self, c: Citizen, w: int) -> None:
        if c.state == State.JOBAFKLARING:
            self._close(c, w, "jobafklaring_ended")

    def _on_aftercare_end(self, c: Citizen, w: int) -> None:
        self._end_aftercare(c, w)

    def _end_aftercare(self, c: Citizen, w: int) -> None:
        if c.in_aftercare:
            c.in_aftercare = False
            self.aftercare_count[c.pathway] -= 1
            if c.consultant is not None:
                self._release_consultant(c, w)
            self._forget_if_done(c)

    def _on_relapse(self, c: Citizen, w: int) -> None:
        self._end_aftercare(c, w)  # relapse still pending here, so the agent is kept
        c.relapse_pending = False
        if c.row is not None:
            self.spell_rows[c.row]["relapse_week"] = w - self.sc.arrivals.entry_spell_week
        self._start_spell(c, w)

    # ---- the weekly hazard ------------------------------------------------------------------
    def _hazard_step(self, w: int) -> None:
        if self._nact == 0:
            return
        idx = np.sort(self._act[:self._nact])  # ascending citizen order: deterministic event order
        tr_idx = idx[self.in_treat[idx]]
        if tr_idx.size:
            self.progress[tr_idx] = np.minimum(1.0, (w - self.treat_start[tr_idx]) / self.treat_len[tr_idx])
        contrib = self.hz.contributions(w, self.who5_0[idx], self.progress[idx], self.last_contact[idx],
                                        self.job_goal[idx], self.meetings[idx])
        lin = self.lin_static[idx] + sum(contrib.values())
        sweek = np.minimum(w - self.spell_start[idx], self.hz.duration.size - 1)
        dur = self.hz.duration[sweek]
        if self.cash is not None:  # no sickness-week duration dependence for the second population
            dur = np.where(self.group[idx] > 0, 1.0, dur)
        h = np.exp(lin) * dur * self.state_mult[idx]
        self.H[idx] += h
        self._accumulate_effects(idx, contrib)
        for i in idx[self.H[idx] >= self.E[idx]]:
            self._return(self.citizens[int(i)], w)

    def _accumulate_effects(self, idx: np.ndarray, contrib: dict) -> None:
        """Sum each named log-hazard term per pathway, for the report of which lever moves the result."""
        pc = self.pcode[idx]
        npw = len(PATHWAYS)
        self.effect_weeks += np.bincount(pc, minlength=npw)
        b = self.hz.beta
        static = {"employed": b["employed"] * self.pop.employed[idx],
                  "category1": b["category1"] * (self.pop.category[idx] == 1),
                  "coordination": self.hz.coordination[pc]}
        for k, name in enumerate(EFFECT_NAMES):
            vals = contrib[name] if name in contrib else static[name]
            self.effect_sums[k] += np.bincount(pc, weights=vals, minlength=npw)

    def _return(self, c: Citizen, w: int) -> None:
        rec, i = c.rec, c.idx
        from_benefit = c.state != State.JOBAFKLARING
        rec["return_week"] = w
        if from_benefit:
            rec["benefit_end_week"] = w
            rec["benefit_end_reason"] = "returned"
        else:
            rec["jobafklaring_end_week"] = w
        self._week_counts["returns." + c.pathway] += 1
        pw = self.sc.pathways[c.pathway]
        keep_consultant = from_benefit and pw.aftercare_weeks > 0 and pw.aftercare_on_caseload and c.consultant is not None
        self._close(c, w, "returned", keep_consultant=keep_consultant)
        aftercare = from_benefit and pw.aftercare_weeks > 0
        if aftercare:
            c.in_aftercare = True
            self.aftercare_count[c.pathway] += 1
            self._schedule(w + pw.aftercare_weeks, "aftercare_end", c)
            rec["aftercare_weeks"] = pw.aftercare_weeks
        if c.spell + 1 < self.sc.relapse.max_spells and not self.group[i]:
            t = piecewise_weeks(self.pop.spell["e_relapse"][i, c.spell], self._relapse_steps,
                                pw.aftercare_weeks if aftercare else 0, pw.aftercare_relapse_multiplier,
                                limit=self.horizon + 1)
            if math.isfinite(t) and w + t + self.sc.arrivals.entry_spell_week < self.horizon:
                c.relapse_pending = True
                self._schedule(w + t + self.sc.arrivals.entry_spell_week, "relapse", c)
        self._forget_if_done(c)

    def _forget_if_done(self, c: Citizen) -> None:
        """A citizen at work with no aftercare and no relapse ahead needs no agent any more."""
        if c.state == State.AT_WORK and not c.in_aftercare and not c.relapse_pending and c.idx in self.citizens:
            del self.citizens[c.idx]
            c.remove()

    def _close(self, c: Citizen, w: int, outcome: str, keep_consultant: bool = False) -> None:
        """End the spell: free treatment and (unless aftercare keeps it) the consultant, write the row."""
        rec = c.rec
        self._stop_treatment(c, w)
        if c.state == State.QUEUED:
            self.pools[self.sc.pathways[c.pathway].consultant_pool].waiting.discard(c.idx)
        elif c.consultant is not None and not keep_consultant:
            self._release_consultant(c, w)
        if math.isnan(rec["benefit_end_week"]):
            rec["benefit_end_week"] = w
            rec["benefit_end_reason"] = outcome
        if not math.isnan(rec["jobafklaring_week"]) and math.isnan(rec["jobafklaring_end_week"]):
            rec["jobafklaring_end_week"] = w
        rec["end_week"] = w
        rec["outcome"] = outcome
        self._deactivate(c.idx)
        self.closed[outcome] += 1
        self.spell_rows.append(rec)
        c.row = len(self.spell_rows) - 1
        c.token += 1
        c.ext_token += 1
        start = int(rec["spell_start_week"]) + self._excluded
        grp = int(self.group[c.idx])
        if rec["benefit_end_week"] > start and not grp:
            c.paid.append((start, int(rec["benefit_end_week"])))  # counted sickness-benefit weeks (§ 24)
        if outcome == "returned":
            self._set_state(c, State.AT_WORK)
        elif self.sc.onward.enabled and not grp:
            key = {"jobafklaring_ended": "after_jobafklaring", "rehabilitation_team": "after_rehabilitation_team",
                   "other_exit": "after_other_exit"}[outcome]
            self._enter_onward(c, w, self._onward_cdf[key], ONWARD_STATES)
        else:
            self._set_state(c, State.LEFT)
            del self.citizens[c.idx]
            c.remove()

    def _close_censored(self) -> None:
        for c in list(self.citizens.values()):
            if c.state in State.OPEN:
                rec = c.rec
                rec["outcome"] = "censored"
                if not rec["benefit_end_reason"]:
                    rec["benefit_end_reason"] = "censored"
                self.spell_rows.append(rec)

    # ---- weekly record ---------------------------------------------------------------------
    def _record_week(self, w: int) -> None:
        row: dict[str, float] = {"replication": self.replication, "week": w, "year": w // 52 + 1,
                                 "citizens_arrived": self._next_arrival, "spells_started": self.spells_started,
                                 "spells_closed": sum(self.closed.values())}
        for s in State.ALL:
            row["state." + s] = self.state_count[s]
        for outcome in CLOSE_OUTCOMES:
            row["closed." + outcome] = self.closed[outcome]
        act, trt = self.active_by_pathway, self.treated_by_pathway
        for k, p in enumerate(PATHWAYS):
            if p not in self.sc.pathways:
                continue
            row["active." + p] = int(act[k])
            row["in_treatment." + p] = int(trt[k])
            row["aftercare." + p] = self.aftercare_count[p]
            row["arrivals." + p] = self._week_counts["arrivals." + p]
            row["returns." + p] = self._week_counts["returns." + p]
        if self.cash is not None:  # by population (issue 17)
            g = np.bincount(self.group[self._act[:self._nact]], minlength=len(cash.POPULATIONS))
            for k, pname in enumerate(cash.POPULATIONS):
                row["active_population." + pname] = int(g[k])
        for name, pool in self.pools.items():
            loads, limit = pool.loads, pool.cfg.caseload_limit
            row["caseload_mean." + name] = float(loads.mean())
            row["caseload_max." + name] = int(loads.max())
            row["caseload_over_limit." + name] = int(np.count_nonzero(loads > limit))
            row["consultant_queue." + name] = len(pool.waiting)
            row["stretch." + name] = (float(np.maximum(1.0, loads / limit).mean())
                                      if pool.cfg.when_full == "stretch" else 1.0)
            row["contacts." + name] = self._week_counts["contacts." + name]
            if pool.cfg.hours_per_week is not None:
                used = pool.hours_booked.pop(w, 0.0)
                row["hours_utilisation." + name] = used / (pool.cfg.hours_per_week * loads.size)
        for name, prov in self.providers.items():
            row["treatment_queue." + name] = len(prov.waiting)
            row["in_treatment_at." + name] = len(prov.in_treatment)
            if prov.internal:
                row["therapist_utilisation." + name] = prov.slots_used / prov.slots_total
        self.weekly_rows.append(row)


_TREATMENT_EVENTS = {"treat_start", "treat_end", "dropout"}
_EXTENSION_EVENTS = {"extension_review", "rehabilitation_decision"}
