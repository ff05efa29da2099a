"""The Mesa model: one or several replications of one scenario, stepped week by week.

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

Several replications (their own seeds; their own scenarios when these differ only in the numeric
parameters of model/batch_key.py, e.g. Sobol rows) can run in one model: their citizens share the
columns (model/batch.py) and every handler takes all replications' due citizens at once, while each
replication keeps its own draws, parameters (arrays indexed by the replication code), consultants,
therapists, queues and records, so each comes out bit for bit as a run of it alone. A run of one
replication is a batch of one.
"""
from __future__ import annotations

from typing import Sequence

import mesa
import numpy as np
import pandas as pd

from . import cash_benefit as cash
from . import rules as statute
from .agents import CitizenViews, Citizen
from .batch import groups, stack
from .calendar import TOKEN_OF, Calendar, Kind
from .capacity import CaseloadPool, PoolsOfReplications, TreatmentProvider
from .batch_key import check_batchable
from . import hazard_kernel  # compiled loops (numba loads, and sets up its compiler, at import: model/capacity_kernel.py)
from .hazard_kernel import W_ACTIVE, W_AFTERCARE, W_GROUP, W_QUEUED, W_STATE, W_TREAT, W_TREATED, W_WAITING
from .hazards import EFFECT_NAMES, HazardModel, HazardsOfReplications
from .pathway_followup import FollowupRules
from .pathway_params import PathwayParams
from .pathway_spells import SpellRules
from .pathway_statute import StatuteRules
from .pathway_treatment import TreatmentRules
from .population import MAX_SPELL_SLOTS, draw_population
from .recorder import OUTCOME_CODE, SPELL_WEEK_FIELDS, OnwardRecorder, SpellRecorder, WeeklyRecorder
from .scenario import DIAGNOSES, ONWARD_NEXT, ONWARD_STATES, PATHWAYS, RISKS, Scenario
from .state import STATE_NAMES, S, CitizenState
from .streams import named_streams, stream_seeds

ONWARD_COLUMNS = ["replication", "citizen_id", "spell", "state", "start_week", "end_week"]
CLOSE_OUTCOMES = ("returned", "other_exit", "jobafklaring_ended", "rehabilitation_team")
__all__ = ["RTWModel", "ONWARD_COLUMNS", "SPELL_WEEK_FIELDS", "CLOSE_OUTCOMES"]


class RTWModel(SpellRules, FollowupRules, TreatmentRules, StatuteRules, mesa.Model):
    """Replications: one (``rep_seed`` a SeedSequence) or several in one set of arrays (``rep_seed`` a list of
    SeedSequences, ``replication`` the list of their numbers) of one scenario, or of one scenario each
    (``scenario`` a list; they may differ only in model.batch_key.BATCHED_PATHS, else BatchKeyError)."""

    def __init__(self, scenario: Scenario | Sequence[Scenario],
                 rep_seed: np.random.SeedSequence | list[np.random.SeedSequence],
                 weeks: int | None = None, replication: int | list[int] = 0):
        rep_seeds = [rep_seed] if isinstance(rep_seed, np.random.SeedSequence) else list(rep_seed)
        reps = [replication] if isinstance(replication, (int, np.integer)) else list(replication)
        if len(reps) != len(rep_seeds) or not rep_seeds:
            raise ValueError(f"need one replication number per seed, got {len(reps)} numbers for {len(rep_seeds)} seeds")
        self.R = R = len(rep_seeds)
        scenarios = [scenario] * R if isinstance(scenario, Scenario) else list(scenario)
        if len(scenarios) != R:
            raise ValueError(f"need one scenario per seed (or one for all), got {len(scenarios)} for {R} seeds")
        check_batchable(scenarios)  # only model.batch_key.BATCHED_PATHS may differ; they are read per replication
        self.scenarios = scenarios  # each replication's (code 0..R-1)
        self.replications = np.array(reps, np.int64)  # the replication number of each code 0..R-1
        streams = [named_streams(s) for s in rep_seeds]
        super().__init__(rng=streams[0]["operations"])
        scenario = scenarios[0]  # below: only what every replication shares (its structure)
        self.sc = scenario
        self.replication = int(reps[0])
        self.horizon = int(weeks or scenario.horizon_weeks)
        # second population (issue 17, model/cash_benefit.py): merged into the same arrays when enabled
        self.cash = cash.CashHazards(scenario) if cash.enabled(scenario) else None
        self.pop, self.layout = stack(self._populations(rep_seeds), self.horizon)
        n = self.pop.size
        self.group = self.pop.group if self.pop.group is not None else np.zeros(n, dtype=np.int64)
        # the hazard's constants; the context draw (hence the coordination effect) is each replication's own
        hzs = [HazardModel(sc, self.horizon, st["context"]) for sc, st in zip(scenarios, streams)]
        self.hz = hzs[0]  # what every replication shares (duration, contact window, meeting cap, WHO-5 gain)
        self.hzr = HazardsOfReplications(hzs)  # the coefficients, per replication
        if R > 1:
            self.hz.has_late = any(h.has_late for h in hzs)
        self.coordination = np.stack([h.coordination for h in hzs])  # (replication, pathway)
        pps = [PathwayParams(sc) for sc in scenarios] if R > 1 else None
        self.pp = PathwayParams(scenario) if pps is None else pps[0]
        self.pps = pps or [self.pp]  # each replication's treatment settings (uptake, delay, course)
        self.uptake = np.stack([p.uptake for p in self.pps])  # (replication, pathway)
        self.extension = {k: np.array([getattr(sc.rules.extension, k) for sc in scenarios])
                          for k in ("nr2_clarification", "nr3_expected_recovery", "nr4_rehabilitation_team",
                                    "outside_treatment_share")}  # the judgement shares, per replication
        self.cs = CitizenState(n, self.pop.who5, MAX_SPELL_SLOTS, self.layout.rep, self.layout.local)
        self.rep = self.cs.rep
        self.calendar = Calendar(self.horizon, self.rep, R)
        self._arrivals_at = self.layout.rows_at
        self.n_arrived = 0
        # --- staff and providers (Mesa agents), each replication its own ------------------------
        # (each replication's own settings: caseload norms and therapists may differ, model/batch_key.py)
        self.pool_loads = [np.zeros((R, cfg.count), np.int64) for cfg in scenario.consultants.values()]
        self.pool_hours = [np.zeros((R, cfg.count)) for cfg in scenario.consultants.values()]
        self.pools_of = [[CaseloadPool(self, name, cfg, self.cs, self.pp.pathways_of_pool[k], r, self.pool_loads[k][r],
                                       self.pool_hours[k][r])
                          for k, (name, cfg) in enumerate(scenarios[r].consultants.items())] for r in range(R)]
        self.pool_sets = [PoolsOfReplications([self.pools_of[r][k] for r in range(R)], self.pool_loads[k], self.pool_hours[k])
                          for k in range(len(scenario.consultants))]
        self.caseload_limits = [np.array([self.pools_of[r][k].cfg.caseload_limit for r in range(R)])
                                for k in range(len(scenario.consultants))]  # per pool: (replication,)
        therapists = [[sc.providers[name].therapists if cfg.kind == "internal" else 0 for sc in scenarios]
                      for name, cfg in scenario.providers.items()]
        self.provider_used = [np.zeros((R, max(n)), np.int64) for n in therapists]  # (replication, therapist), padded
        self.providers_of = [[TreatmentProvider(self, k, name, cfg, self.cs, r, self.provider_used[k][r, :therapists[k][r]])
                              for k, (name, cfg) in enumerate(scenarios[r].providers.items())] for r in range(R)]
        self.therapist_counts = [np.array(n) for n in therapists]  # per provider: (replication,)
        self.slots_total = [np.array([self.providers_of[r][k].slots_total for r in range(R)], float)
                            for k in range(len(scenario.providers))]
        # the first replication's, by name (a single run's pools and providers)
        self.pools_by_code, self.providers_by_code = self.pools_of[0], self.providers_of[0]
        self.pools = {p.name: p for p in self.pools_by_code}
        self.providers = {p.name: p for p in self.providers_by_code}
        self._seq = np.zeros(R, np.int64)  # places in waiting lists, per replication (recorded)
        self._contact_seq = 0
        self._assigned_now = False  # a consultant was assigned in this round of the week (a contact may be due now)
        # --- records -------------------------------------------------------------------------
        self.rec = SpellRecorder(int(n * 1.3) + 16, {
            "pathway": PATHWAYS, "diagnosis": DIAGNOSES, "risk": RISKS, "pool": self.pp.pools,
            "provider": ("",) + self.pp.providers, "population": cash.POPULATIONS})
        self.onward = OnwardRecorder(ONWARD_STATES)
        self.week = 0
        self.places_used: dict[tuple[int, int], np.ndarray] = {}  # (pathway, year) -> places taken per replication
        npw = len(PATHWAYS)
        self.spells_started = np.zeros(R, np.int64)
        self.closed = np.zeros((R, len(OUTCOME_CODE)), np.int64)
        # this week's arrivals and returns by pathway and contacts by pool: views of one matrix, cleared in one call
        self._week_counts = np.zeros((R, 2 * npw + len(self.pools)), np.int64)
        self.week_arrivals = self._week_counts[:, :npw]
        self.week_returns = self._week_counts[:, npw:2 * npw]
        self.week_contacts = self._week_counts[:, 2 * npw:]
        self.effect_sums = np.zeros((len(EFFECT_NAMES), R, npw))
        self.effect_weeks = np.zeros((R, npw))
        # the hazard step's buffers: active rows, their log-hazard (then its exp), duration, H, m(state) and E
        self._hz_rows, self._hz_lin, self._hz_aux = np.empty(n, np.int64), np.empty(n), np.empty((n, 4))
        self._relapse_steps = [(s.from_week, s.weekly) for s in scenario.relapse.hazard]
        self._lookups: dict = {}  # per-run lookups of the treatment rules (shared distributions, week tables, slots), by key
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
        self.weekly = WeeklyRecorder(self.horizon, *self._weekly_layout(), replications=R)
        self._weekly_maps()

    def _populations(self, rep_seeds: list[np.random.SeedSequence]) -> list:
        """Each replication's citizens; replications on the same seed (common random numbers, e.g. the rows of
        a Sobol study) share one draw: the population depends only on the seed and the shared structure."""
        drawn: dict = {}
        for s in rep_seeds:
            key = (repr(s.entropy), tuple(s.spawn_key), s.pool_size, s.n_children_spawned)
            if key not in drawn:
                drawn[key] = self._population(s)
        return [drawn[(repr(s.entropy), tuple(s.spawn_key), s.pool_size, s.n_children_spawned)] for s in rep_seeds]

    def _population(self, rep_seed: np.random.SeedSequence):
        """One replication's citizens (with the second population merged in when enabled)."""
        pop = draw_population(self.sc, self.horizon, rep_seed)
        if self.cash is not None:
            pop = cash.merge(pop, cash.draw_cash_population(self.sc, self.horizon, stream_seeds(rep_seed)["cash_benefit"]))
        return pop

    def counts(self, idx: np.ndarray, key: np.ndarray, k: int) -> np.ndarray:
        """(replication, key) counts of citizens ``idx`` with codes ``key`` in 0..k-1."""
        if self.R == 1:
            return np.bincount(key, minlength=k).reshape(1, k)
        return np.bincount(self.rep[idx] * k + key, minlength=self.R * k).reshape(self.R, k)

    def by_replication(self, idx: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """(replication code, positions in ``idx``) for each replication present, positions in order."""
        if self.R == 1:
            return [(0, np.arange(idx.size))] if idx.size else []
        return groups(self.rep[idx])

    # ======================================================================================
    def run(self) -> "RTWModel":
        for _ in range(self.horizon):
            self.step()
        self._close_censored()
        return self

    def step(self) -> None:
        w = self.week
        self._week_counts[:] = 0
        lo, hi = self._arrivals_at[w], self._arrivals_at[w + 1]  # this week's arrivals: the next rows
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
        """h = exp(static + Σ β·x(t))·d(week)·m(state) for every active citizen; returns where H reaches E.

        Two compiled passes over the active rows of the hazard matrix (model/hazard_kernel.py), numpy's exp
        between them: the same operations as ``HazardModel.contributions`` and the numpy code it replaced.
        The first pass also sums each named log-hazard term per replication and pathway, in row order, for the
        report of which lever moves the result (so each replication's sums are the same in a batch as alone)."""
        cs, hz = self.cs, self.hz
        m = hazard_kernel.hazard_linear(cs.hs, cs.active, self.n_arrived, cs.in_treat, self.rep, w, self.hzr.varying_beta,
                                        hz.who5_gain, float(hz.window), float(hz.meeting_cap), hz.has_late, hz.duration,
                                        self.cash is not None, self.effect_sums.reshape(len(EFFECT_NAMES), -1),
                                        self.effect_weeks.reshape(-1), self._hz_rows, self._hz_lin, self._hz_aux)
        if m == 0:
            return
        expl = np.exp(self._hz_lin[:m], out=self._hz_lin[:m])
        self._return(hazard_kernel.hazard_apply(cs.hs, self._hz_rows[:m], expl, self._hz_aux[:m]), w)

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

    def _weekly_maps(self) -> None:
        """Where each number goes in the weekly row, once per run: the row is kept between weeks, so the
        columns that never change (the replication, a stretch of 1 outside stretch mode) are written here."""
        pos = {name: j for j, name in enumerate(self.weekly.names)}

        def at(keys) -> list[int]:
            return [pos.get(k, -1) for k in keys]  # -1: not recorded (a pathway or population not in the scenario)

        pools, providers = list(self.pools), list(self.providers)
        by_code = {W_STATE: self._state_keys, W_ACTIVE: [f"active.{p}" for p in PATHWAYS],
                   W_TREAT: [f"in_treatment.{p}" for p in PATHWAYS], W_AFTERCARE: [f"aftercare.{p}" for p in PATHWAYS],
                   W_GROUP: self._population_keys if self.cash is not None else [],
                   W_QUEUED: [f"consultant_queue.{p}" for p in pools],
                   W_WAITING: [f"treatment_queue.{p}" for p in providers],
                   W_TREATED: [f"in_treatment_at.{p}" for p in providers]}
        self._count_cols = np.full((len(by_code), max(map(len, by_code.values()))), -1, np.int64)
        for what, keys in by_code.items():
            self._count_cols[what, :len(keys)] = at(keys)
        # this week's counts (model._week_counts) -> their columns
        dst = np.array(at([f"arrivals.{p}" for p in PATHWAYS] + [f"returns.{p}" for p in PATHWAYS]
                          + [f"contacts.{p}" for p in pools]))
        self._week_src, self._week_dst = np.flatnonzero(dst >= 0), dst[dst >= 0]
        self._closed_cols = np.array(at(self._closed_keys))
        self._pool_cols = at(f"caseload_mean.{p}" for p in pools)  # then max, over limit, queue, stretch, contacts, hours
        self._utilisation_cols = at(f"therapist_utilisation.{p}" for p in providers)
        self._row = np.zeros((self.R, len(pos)))
        self._row[:, 0] = self.replications
        for c, pool in zip(self._pool_cols, self.pools_by_code):
            if pool.cfg.when_full != "stretch":
                self._row[:, c + 4] = 1.0

    def _record_week(self, w: int) -> None:
        """One row of weekly statistics per replication, in the layout of ``_weekly_layout``: the (replication,
        key) counts from one compiled pass over the arrived citizens, written into the row kept between weeks
        (``_weekly_maps``), so the cost hardly grows with the replications."""
        cs, row = self.cs, self._row
        hazard_kernel.weekly_counts(self.n_arrived, self.rep, cs.state, cs.pathway, cs.active, cs.in_treat,
                                    cs.in_aftercare, self.group, cs.provider, self.pp.pool, int(S.QUEUED), row,
                                    self._count_cols)
        row[:, 1:3] = (w, w // 52 + 1)
        row[:, 3] = self.layout.arrived_at[:, w + 1]
        row[:, 4] = self.spells_started
        closed = self.closed[:, self._close_codes]
        row[:, 5] = closed.sum(axis=1)
        row[:, self._closed_cols] = closed
        row[:, self._week_dst] = self._week_counts[:, self._week_src]
        for k, pool in enumerate(self.pools_by_code):
            self._record_pool(row, k, pool.cfg, w)
        for k, (c, p) in enumerate(zip(self._utilisation_cols, self.providers_by_code)):
            if c < 0:
                continue
            if self.R == 1:  # a sum of counts is exact: the same number as numpy's
                row[0, c] = sum(self.provider_used[k][0].tolist()) / p.slots_total
            else:
                row[:, c] = self.provider_used[k].sum(axis=1) / self.slots_total[k]
        self.weekly.write(w, row)

    def _record_pool(self, row: np.ndarray, k: int, cfg, w: int) -> None:
        """Pool ``k``'s caseload mean, maximum, count over the norm, stretch and hours used (its queue and
        contacts are counted with the others)."""
        c, loads = self._pool_cols[k], self.pool_loads[k]
        if self.R > 1:
            limit = self.caseload_limits[k][:, None]
            row[:, c] = loads.mean(axis=1)
            row[:, c + 1] = loads.max(axis=1)
            row[:, c + 2] = np.count_nonzero(loads > limit, axis=1)
            if cfg.when_full == "stretch":
                row[:, c + 4] = np.maximum(1.0, loads / limit).mean(axis=1)
            if cfg.hours_per_week is not None:
                booked = [self.pools_of[r][k].hours_booked.pop(w, 0.0) for r in range(self.R)]
                row[:, c + 6] = np.array(booked) / (cfg.hours_per_week * loads.shape[1])
            return
        # one replication, a handful of consultants: Python numbers, the same as numpy's (sums of counts are
        # exact; a mean is numpy's sum divided by the count)
        r0, ls, limit = row[0], loads[0].tolist(), cfg.caseload_limit
        r0[c] = sum(ls) / len(ls)
        r0[c + 1] = max(ls)
        r0[c + 2] = len([x for x in ls if x > limit])
        if cfg.when_full == "stretch":
            r0[c + 4] = np.add.reduce(np.maximum(1.0, loads[0] / limit)) / len(ls)
        if cfg.hours_per_week is not None:
            r0[c + 6] = self.pools_of[0][k].hours_booked.pop(w, 0.0) / (cfg.hours_per_week * len(ls))

    # ---- tables and views ------------------------------------------------------------------
    @property
    def spell_rows(self):
        """The spell table (one row per spell, closed spells in order of closing, then open ones; with
        several replications, one replication after the other)."""
        return self.rec.frame()

    @property
    def weekly_rows(self):
        """The weekly table (one row per simulated week; several replications: one after the other)."""
        frames = [self.weekly.frame(r) for r in range(self.R)]
        return frames[0] if self.R == 1 else pd.concat(frames, ignore_index=True)

    @property
    def onward_rows(self):
        """The onward table (one row per stay in an onward state)."""
        frames = self.onward.frames(self.R)
        return frames[0] if self.R == 1 else pd.concat(frames, ignore_index=True)

    def tables(self) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """(spells, weekly, onward) of each replication, in the order of ``replications``."""
        return list(zip(self.rec.frames(self.R), [self.weekly.frame(r) for r in range(self.R)],
                        self.onward.frames(self.R)))

    @property
    def citizens(self) -> CitizenViews:
        """The first replication's citizens who have arrived, as read-only views of the columnar state."""
        return CitizenViews(self)

    def citizens_of(self, r: int) -> CitizenViews:
        """Replication ``r``'s (code 0..R-1) citizens who have arrived, as views."""
        return CitizenViews(self, r)

    def citizen(self, i: int) -> Citizen:
        return self.citizens[i]
