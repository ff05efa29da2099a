"""The scenario's pathway, pool and provider settings as small arrays indexed by code.

Why: the vectorised handlers look a setting up for many citizens at once (``interval[pathway]``);
pathways absent from the scenario get neutral values and are never used.
"""
from __future__ import annotations

import numpy as np

from .scenario import PATHWAYS, Scenario


class PathwayParams:
    def __init__(self, sc: Scenario):
        self.pools = tuple(sc.consultants)
        self.providers = tuple(sc.providers)
        pool_code = {p: k for k, p in enumerate(self.pools)}
        self.provider_code = {p: k for k, p in enumerate(self.providers)}
        n = len(PATHWAYS)
        pw = [sc.pathways.get(p) for p in PATHWAYS]

        def arr(get, default, dtype=float):
            return np.array([get(x) if x is not None else default for x in pw], dtype=dtype)

        self.present = arr(lambda x: True, False, bool)
        self.pool = arr(lambda x: pool_code[x.consultant_pool], 0, np.int64)
        self.first_contact = arr(lambda x: x.first_contact_week, 0, np.int64)
        self.followup = arr(lambda x: x.followup_interval_weeks, 1.0)
        self.aftercare_weeks = arr(lambda x: x.aftercare_weeks, 0, np.int64)
        self.aftercare_on_caseload = arr(lambda x: x.aftercare_on_caseload, False, bool)
        self.aftercare_relapse_mult = arr(lambda x: x.aftercare_relapse_multiplier, 1.0)
        self.fixed_team = arr(lambda x: x.fixed_team, False, bool)
        self.meet_count = arr(lambda x: x.meetings.count, 0, np.int64)
        self.meet_first = arr(lambda x: x.meetings.first_week, 0, np.int64)
        self.meet_interval = arr(lambda x: x.meetings.interval_weeks, 1, np.int64)
        self.meet_job_goal = arr(lambda x: x.meetings.sets_job_goal, False, bool)
        self.treatment = [x.treatment if x is not None else None for x in pw]
        self.has_treatment = np.array([t is not None for t in self.treatment])
        self.uptake = np.array([t.uptake if t is not None else 0.0 for t in self.treatment])
        self.sessions_per_week = np.array([t.sessions_per_week if t is not None else 0.0 for t in self.treatment])
        self.dropout_rate = np.array([(-np.log1p(-t.dropout_weekly) if t.dropout_weekly < 1 else np.inf)
                                      if t is not None else 0.0 for t in self.treatment])
        self.pathways_of_pool = {k: tuple(j for j in range(n) if pw[j] is not None and self.pool[j] == k)
                                 for k in range(len(self.pools))}
