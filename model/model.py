"""The Mesa model: one replication of one scenario, stepped week by week.

One step is one week (benefits are paid and deadlines counted in weeks, DESIGN §4). Each week:
1. citizens arriving this week start a spell and are allocated to a pathway (all at once);
2. the events due this week are handled by kind, in a fixed order (model/calendar.py ``Kind``), each
   kind for all its due citizens at once, then the follow-up contacts due (a regular rhythm, kept as
   each citizen's next contact week rather than booked); events a handler books for this same week
   are handled in a further round;
3. the return-to-work hazard is applied to all active citizens at once;
4. one row of weekly statistics is recorded.
State lives in columns (model/state.py), records in columns (model/recorder.py); the pathway rules
are mixed in from model/pathway_*.py. Consultants and therapists are Mesa agents (model/agents.py).
"""
from __future__ import annotations


import mesa
import numpy as np

from . import cash_benefit as cash
from . import rules as statute
from .agents import CitizenViews, Citizen
from .calendar import TOKEN_OF, Calendar, Kind
from .capacity import CaseloadPool, TreatmentProvider
from .hazards import EFFECT_NAMES, HazardModel
from .pathway_followup import FollowupRules
from .pathway_params import PathwayParams
from .pathway_spells import SpellRules
from .pathway_statute import StatuteRules
from .pathway_treatment import TreatmentRules
from .population import MAX_SPELL_SLOTS, draw_population
from .recorder import OUTCOME_CODE, SPELL_WEEK_FIELDS, OnwardRecorder, SpellRecorder, WeeklyRecorder
from .scenario import DIAGNOSES, ONWARD_NEXT, ONWARD_STATES, PATHWAYS, RISKS, Scenario
from .state import HC, STATE_NAMES, S, CitizenState
from .streams import named_streams, stream_seeds

ONWARD_COLUMNS = ["replication", "citizen_id", "spell", "state", "start_week", "end_week"]
CLOSE_OUTCOMES = ("returned", "other_exit", "jobafklaring_ended", "rehabilitation_team")
__all__ = ["RTWModel", "ONWARD_COLUMNS", "SPELL_WEEK_FIELDS", "CLOSE_OUTCOMES"]


class RTWModel(SpellRules, FollowupRules, TreatmentRules, StatuteRules, mesa.Model):
    """One replication of one scenario."""

    def __init__(self, scenario: Scenario, rep_seed: np.random.SeedSequence, weeks: int | None = None,
                 replication: int = 0):
        streams = named_streams(rep_seed)
        seeds = stream_seeds(rep_seed)
        super().__init__(rng=streams["operations"])
        self.sc = scenario
        self.replication = replication
        self.horizon = int(weeks or scenario.horizon_weeks)
        self.pop = draw_population(scenario, self.horizon, rep_seed)
        # second population (issue 17, model/cash_benefit.py): merged into the same arrays when enabled
        self.cash = cash.CashHazards(scenario) if cash.enabled(scenario) else None
        if self.cash is not None:
            self.pop = cash.merge(self.pop, cash.draw_cash_population(scenario, self.horizon, seeds["cash_benefit"]))
        n = self.pop.size
        self.group = self.pop.group if self.pop.group is not None else np.zeros(n, dtype=np.int64)
        self.hz = HazardModel(scenario, self.horizon, streams["context"])
        self.pp = PathwayParams(scenario)
        self.cs = CitizenState(n, self.pop.who5, MAX_SPELL_SLOTS)
        self.calendar = Calendar(self.horizon)
        self._arrivals_at = np.searchsorted(self.pop.arrival_week, np.arange(self.horizon + 1))
        self.n_arrived = 0
        # --- staff and providers (Mesa agents) -------------------------------------------------
        self.pools = {name: CaseloadPool(self, name, cfg, self.cs, self.pp.pathways_of_pool[k])
                      for k, (name, cfg) in enumerate(scenario.consultants.items())}
        self.pools_by_code = list(self.pools.values())
        self.providers = {name: TreatmentProvider(self, k, name, cfg, self.cs)
                          for k, (name, cfg) in enumerate(scenario.providers.items())}
        self.providers_by_code = list(self.providers.values())
        self._seq = 0
        self._contact_seq = 0
        self._assigned_now = False  # a consultant was assigned in this round of the week (a contact may be due now)
        # --- records -------------------------------------------------------------------------
        self.rec = SpellRecorder(int(n * 1.3) + 16, {
            "pathway": PATHWAYS, "diagnosis": DIAGNOSES, "risk": RISKS, "pool": self.pp.pools,
            "provider": ("",) + self.pp.providers, "population": cash.POPULATIONS})
        self.onward = OnwardRecorder(ONWARD_STATES)
        self.week = 0
        self.places_used: dict[tuple[int, int], int] = {}
        self.spells_started = 0
        self.closed = np.zeros(len(OUTCOME_CODE), np.int64)
        self.week_arrivals = np.zeros(len(PATHWAYS), np.int64)
        self.week_returns = np.zeros(len(PATHWAYS), np.int64)
        self.week_contacts = np.zeros(len(self.pools), np.int64)
        self.effect_sums = np.zeros((len(EFFECT_NAMES), len(PATHWAYS)))
        self.effect_weeks = np.zeros(len(PATHWAYS))
        self._effect_map: list[tuple[int, int]] | None = None
        self._static_effect_columns = slice(HC["eff_employed"], HC["eff_coordination"] + 1)
        self._relapse_steps = [(s.from_week, s.weekly) for s in scenario.relapse.hazard]
        self._weeks_cache: dict = {}
        # --- statutory rules (model/rules.py) and onward states --------------------------------
        self.rs = statute.rules_for(scenario)
        self.cal = statute.calendar(int(scenario.economics.start_year), self.horizon)
        self._excluded = statute.excluded_weeks(self.rs)
        self._window = statute.window_weeks(self.rs)
        self._simplified_followup = bool(self.rs["followup_employed"]["only_first_contact_if_uncomplicated"])
        on = scenario.onward
        self._onward_cdf = {k: np.cumsum([getattr(on, k)[s] for s in ONWARD_STATES])
                            for k in ("after_jobafklaring", "after_rehabilitation_team", "after_other_exit")}
        self._onward_mean = np.array([on.states[s].mean_weeks if on.states[s].mean_weeks is not None else np.inf
                                      for s in ONWARD_STATES], float)
        self._onward_next_cdf = [np.cumsum([on.states[s].next.get(x, 0.0) for x in ONWARD_NEXT])
                                 if on.states[s].mean_weeks is not None else None for s in ONWARD_STATES]
        self._handlers = {Kind.OTHER_EXIT: self._on_other_exit, Kind.REHABILITATION_DECISION: self._on_rehabilitation_decision,
                          Kind.JOBAFKLARING_END: self._on_jobafklaring_end, Kind.ONWARD_END: self._on_onward_end,
                          Kind.AFTERCARE_END: self._on_aftercare_end, Kind.RELAPSE: self._on_relapse,
                          Kind.REASSESS: self._on_reassess, Kind.EXTENSION_REVIEW: self._on_extension_review,
                          Kind.TREAT_END: self._on_treat_end, Kind.DROPOUT: self._on_dropout,
                          Kind.TREAT_START: self._on_treat_start, Kind.REFERRAL: self._on_referral,
                          Kind.MEETING: self._on_meeting}
        assert set(self._handlers) == set(Kind)
        # column names of the weekly record, computed once
        self._close_codes = np.array([OUTCOME_CODE[o] for o in CLOSE_OUTCOMES])
        self._state_keys = ["state." + s for s in STATE_NAMES]
        self._closed_keys = ["closed." + o for o in CLOSE_OUTCOMES]
        self._pathway_keys = [(k, [f"{m}.{p}" for m in ("active", "in_treatment", "aftercare", "arrivals", "returns")])
                              for k, p in enumerate(PATHWAYS) if p in scenario.pathways]
        self._population_keys = ["active_population." + p for p in cash.POPULATIONS]
        self._pathway_codes = [k for k, _keys in self._pathway_keys]
        self.weekly = WeeklyRecorder(self.horizon, *self._weekly_layout())

    # ======================================================================================
    def run(self) -> "RTWModel":
        for _ in range(self.horizon):
            self.step()
        self._close_censored()
        return self

    def step(self) -> None:
        w = self.week
        self.week_arrivals[:] = 0
        self.week_returns[:] = 0
        self.week_contacts[:] = 0
        lo, hi = self._arrivals_at[w], self._arrivals_at[w + 1]
        self.n_arrived = int(hi)
        self._start_spells(np.arange(lo, hi, dtype=np.int64), w)
        self._handle_due(w)
        self.calendar.close(w)  # events arising from here on fall on next week
        self._hazard_step(w)
        self._record_week(w)
        self.week += 1

    # ---- the calendar ----------------------------------------------------------------------
    def _book(self, kind: Kind, week, idx: np.ndarray) -> None:
        """Book ``kind`` for citizens ``idx`` with their current token of that kind."""
        if idx.size:
            self.calendar.book(kind, week, idx, getattr(self.cs, TOKEN_OF[kind])[idx])

    def _handle_due(self, w: int) -> None:
        """This week's events, kind by kind, then the contacts due (computed, not booked: they come last);
        rounds until handlers book nothing more for this week and no contact is due. A contact set for
        this week by a handler (a citizen newly assigned a consultant) waits for the next round, as an
        event booked for this week would; only then are the due contacts looked up again."""
        check = True  # the first round handles every contact due by now
        while True:
            cutoff = self._contact_seq
            self._assigned_now = False
            due = self.calendar.take(w)
            for kind, idx, tok in due or ():
                idx = idx[getattr(self.cs, TOKEN_OF[kind])[idx] == tok]
                if idx.size:
                    self._handlers[kind](idx, w)
            if check or self._assigned_now:
                contacts = self._due_contacts(w)
                now = contacts[self.cs.contact_seq[contacts] < cutoff]
                if now.size:
                    self._on_contact(now, w)
                check = now.size < contacts.size  # some were set during this round: the next round has them
            if due is None and not check:
                return

    # ---- the weekly hazard ------------------------------------------------------------------
    def _hazard_step(self, w: int) -> None:
        """h = exp(static + Σ β·x(t))·d(week)·m(state) for every active citizen; returns where H reaches E."""
        cs, hz, hs = self.cs, self.hz, self.cs.hs
        idx = np.flatnonzero(cs.active[:self.n_arrived])
        if idx.size == 0:
            return
        tr = idx[cs.in_treat[idx]]
        if tr.size:  # writes through the matrix: a strided column view scatters several times slower
            hs[tr, HC["progress"]] = np.minimum(1.0, (w - hs[tr, HC["treat_start"]]) / hs[tr, HC["treat_len"]])
        X = hs[idx]  # one gather of every hazard column
        contrib = hz.contributions(w, X[:, HC["who5_0"]], X[:, HC["progress"]], X[:, HC["last_contact"]],
                                   X[:, HC["job_goal"]], X[:, HC["meetings"]])
        terms = np.stack(list(contrib.values()))  # one row per time-varying effect
        lin = X[:, HC["lin_static"]] + terms.sum(axis=0)
        if hz.has_late:  # a pathway's effect that changes some weeks after allocation (late_effect)
            lin += X[:, HC["late_delta"]] * (w >= X[:, HC["late_week"]])
        sweek = np.minimum(w - X[:, HC["spell_start"]], hz.duration.size - 1).astype(np.int64)
        dur = hz.duration[sweek]
        if self.cash is not None:
            dur = np.where(X[:, HC["no_duration"]] > 0, 1.0, dur)
        H = X[:, HC["H"]] + np.exp(lin) * dur * X[:, HC["state_mult"]]
        hs[idx, HC["H"]] = H
        self._accumulate_effects(X, terms, list(contrib))
        self._return(idx[H >= X[:, HC["E"]]], w)

    def _accumulate_effects(self, X: np.ndarray, terms: np.ndarray, names: list[str]) -> None:
        """Sum each named log-hazard term per pathway, for the report of which lever moves the result
        (matrix products with the pathway indicator instead of a weighted count per effect)."""
        n, npw = X.shape[0], len(PATHWAYS)
        code = X[:, HC["pathway_f"]].astype(np.intp)
        onehot = np.zeros(n * npw)
        onehot[np.arange(0, n * npw, npw) + code] = 1.0
        onehot = onehot.reshape(n, npw)
        self.effect_weeks += np.bincount(code, minlength=npw)
        varying = terms @ onehot
        static = (onehot.T @ X[:, self._static_effect_columns]).T  # strided columns: no copy before the product
        for j, k in self._effect_rows(names):
            self.effect_sums[j] += varying[k] if k >= 0 else static[-k - 1]

    def _effect_rows(self, names: list[str]) -> list[tuple[int, int]]:
        """(row of EFFECT_NAMES, row of the time-varying terms or -1 - row of the static columns), once per run."""
        if self._effect_map is None:
            statics = ("employed", "category1", "coordination")
            self._effect_map = [(j, names.index(e) if e in names else -1 - statics.index(e))
                                for j, e in enumerate(EFFECT_NAMES)]
        return self._effect_map

    def _close_censored(self) -> None:
        cs, col = self.cs, self.rec.cols
        idx = np.flatnonzero(cs.open_(np.arange(self.n_arrived)))
        rows = cs.row[idx]
        col["outcome"][rows] = OUTCOME_CODE["censored"]
        r = rows[col["benefit_end_reason"][rows] == 0]
        col["benefit_end_reason"][r] = OUTCOME_CODE["censored"]

    # ---- weekly record ---------------------------------------------------------------------
    def _weekly_layout(self) -> tuple[list[str], list[bool]]:
        """The weekly table's column names, in order, and which hold fractions (the others counts)."""
        names = ["replication", "week", "year", "citizens_arrived", "spells_started", "spells_closed",
                 *self._state_keys, *self._closed_keys]
        for _k, keys in self._pathway_keys:
            names += keys
        if self.cash is not None:  # by population (issue 17)
            names += self._population_keys
        for name, pool in self.pools.items():
            names += [f"{m}.{name}" for m in ("caseload_mean", "caseload_max", "caseload_over_limit", "consultant_queue",
                                              "stretch", "contacts")]
            if pool.cfg.hours_per_week is not None:
                names.append("hours_utilisation." + name)
        for name, p in self.providers.items():
            names += ["treatment_queue." + name, "in_treatment_at." + name]
            if p.internal:
                names.append("therapist_utilisation." + name)
        fractions = {"caseload_mean", "stretch", "hours_utilisation", "therapist_utilisation"}
        return names, [n.split(".")[0] in fractions for n in names]

    def _record_week(self, w: int) -> None:
        """One row of weekly statistics, as one list of numbers in the layout of ``_weekly_layout``."""
        cs, n, pp = self.cs, self.n_arrived, self.pp
        st = cs.state[:n]
        closed = self.closed[self._close_codes].tolist()
        row = [self.replication, w, w // 52 + 1, n, self.spells_started, sum(closed),
               *np.bincount(st[st >= 0], minlength=len(STATE_NAMES)).tolist(), *closed]
        pw = cs.pathway[:n]
        npw = len(PATHWAYS)
        by_pathway = np.stack([np.bincount(pw[cs.active[:n]], minlength=npw),
                               np.bincount(pw[cs.in_treat[:n]], minlength=npw),
                               np.bincount(pw[cs.in_aftercare[:n]], minlength=npw), self.week_arrivals, self.week_returns])
        row += by_pathway[:, self._pathway_codes].T.ravel().tolist()
        if self.cash is not None:
            row += np.bincount(self.group[:n][cs.active[:n]], minlength=len(cash.POPULATIONS)).tolist()
        queued = np.bincount(pp.pool[pw[st == S.QUEUED]], minlength=len(self.pools)).tolist()
        contacts = self.week_contacts.tolist()
        for k, pool in enumerate(self.pools_by_code):
            loads, cfg = pool.loads, pool.cfg
            limit = cfg.caseload_limit
            row += [float(loads.mean()), int(loads.max()), int(np.count_nonzero(loads > limit)), queued[k],
                    float(np.maximum(1.0, loads / limit).mean()) if cfg.when_full == "stretch" else 1.0, contacts[k]]
            if cfg.hours_per_week is not None:
                row.append(pool.hours_booked.pop(w, 0.0) / (cfg.hours_per_week * loads.size))
        prov = cs.provider[:n]
        has = prov >= 0
        treating = has & cs.in_treat[:n]
        waiting = np.bincount(prov[has & ~treating], minlength=len(self.providers)).tolist()
        treated = np.bincount(prov[treating], minlength=len(self.providers)).tolist()
        for k, p in enumerate(self.providers_by_code):
            row += [waiting[k], treated[k]]
            if p.internal:
                row.append(p.slots_used / p.slots_total)
        self.weekly.write(w, row)

    # ---- tables and views ------------------------------------------------------------------
    @property
    def spell_rows(self):
        """The spell table (one row per spell, closed spells in order of closing, then open ones)."""
        return self.rec.frame()

    @property
    def weekly_rows(self):
        """The weekly table (one row per simulated week)."""
        return self.weekly.frame()

    @property
    def onward_rows(self):
        """The onward table (one row per stay in an onward state)."""
        return self.onward.frame()

    @property
    def citizens(self) -> CitizenViews:
        """Citizens who have arrived, as read-only views of the columnar state (for notebooks)."""
        return CitizenViews(self)

    def citizen(self, i: int) -> Citizen:
        return self.citizens[i]


