"""The model's invariants as plain checks, shared by the hypothesis properties (many small runs)
and the seeded stress test (a few large ones), so both test the same thing."""
from __future__ import annotations

import numpy as np
import pandas as pd

ONWARD_STATES = ("ressourceforloeb", "flexjob", "foertidspension", "cash_benefit", "unemployment_insurance",
                 "self_support")


def check_conservation(spells: pd.DataFrame, weekly: pd.DataFrame, onward: pd.DataFrame) -> None:
    """No citizen or spell lost or counted twice, every week, across benefit, jobafklaring, onward states and work."""
    w = weekly
    states = w[[c for c in w.columns if c.startswith("state.")]].sum(axis=1)
    assert (states == w["citizens_arrived"]).all(), "citizens lost or double-counted"
    open_ = w["state.queued"] + w["state.on_benefit"] + w["state.jobafklaring"]
    closed = (w["closed.returned"] + w["closed.other_exit"] + w["closed.jobafklaring_ended"]
              + w["closed.rehabilitation_team"])
    assert (w["spells_started"] == open_ + closed).all(), "spells lost or double-counted"
    assert (w["spells_closed"] == closed).all()
    # onward states: the stays in the onward table add up to the weekly state counts, every week
    weeks = w["week"].to_numpy()
    for state in ONWARD_STATES:
        o = onward[onward["state"] == state]
        a = o["start_week"].to_numpy()[:, None]
        b = o["end_week"].fillna(np.inf).to_numpy()[:, None]
        in_state = ((a <= weeks) & (weeks < b)).sum(axis=0)
        assert (in_state == w[f"state.{state}"].to_numpy()).all(), f"onward stays and state.{state} disagree"
    # a citizen is in at most one onward stay at a time
    o = onward.sort_values(["citizen_id", "start_week"], kind="stable")
    nxt = o.groupby("citizen_id")["start_week"].shift(-1)
    assert (o["end_week"].isna() & nxt.notna()).sum() == 0
    assert ((nxt.isna()) | (o["end_week"] <= nxt)).all()
    s = spells
    assert not s.duplicated(["citizen_id", "spell"]).any()
    assert len(s) == int(w["spells_started"].iloc[-1])
    # every citizen's spells are numbered 0..k without gaps
    k = s.groupby("citizen_id")["spell"].agg(["max", "count"])
    assert (k["max"] + 1 == k["count"]).all()
    assert s["citizen_id"].nunique() == int(w["citizens_arrived"].iloc[-1])


def check_caseloads(sc, weekly: pd.DataFrame) -> None:
    """Caseloads never above the norm in queue mode; utilisation within [0, 1]."""
    for name, pool in sc.consultants.items():
        if pool.when_full == "queue":
            assert (weekly[f"caseload_max.{name}"] <= pool.caseload_limit).all(), name
        assert (weekly[f"caseload_mean.{name}"] >= 0).all()
    for name, prov in sc.providers.items():
        if prov.kind == "internal":
            u = weekly[f"therapist_utilisation.{name}"]
            assert ((u >= 0) & (u <= 1)).all()


def check_fifo(sc, spells: pd.DataFrame) -> None:
    """Waiting lists are FIFO: for treatment (per therapist a fixed-team citizen waits for, or any)
    and for a consultant (assignment weeks never go backwards in order of joining)."""
    s = spells
    q = s[(s["queue_seq"] >= 0) & s["treatment_start_week"].notna()].copy()
    fixed = "integrated" in sc.pathways and sc.pathways["integrated"].fixed_team
    # a fixed-team citizen waits for the team's care manager; one referred before a consultant was
    # assigned (consultant queue) has no team yet and may be treated by any therapist. Within a week a
    # consultant freed after the referral (by a return, in the hazard step) may take the citizen from
    # the queue in the same week, so only an assignment in an earlier week proves the team was known,
    # and a citizen assigned in the week of its referral may have waited in either list (left out)
    team_pathway = (q["pathway"] == "integrated") & fixed & ~q["escalated"].astype(bool)
    teamed = team_pathway & (q["consultant_assigned_week"] < q["referral_week"])
    unsure = team_pathway & (q["consultant_assigned_week"] == q["referral_week"])
    n_ther = sc.providers["jobcentre_health"].therapists
    q["group"] = np.where(teamed, q["consultant"] % n_ther, np.where(unsure, -2, -1))
    tq = q[teamed & (q["provider"] == "jobcentre_health")]
    assert (tq["therapist"] == tq["consultant"] % n_ther).all(), "fixed team: treated by another care manager"
    for (_, group), g in q.groupby(["provider", "group"]):
        if group == -2:
            continue
        starts = g.sort_values("queue_seq")["treatment_start_week"].to_numpy()
        assert (np.diff(starts) >= 0).all(), "treatment waiting list not FIFO"
    c = s.dropna(subset=["consultant_queued_week", "consultant_assigned_week"])
    for _, g in c.groupby("consultant_pool"):
        g = g.sort_values("consultant_queue_seq")
        assert (np.diff(g["consultant_assigned_week"].to_numpy()) >= 0).all(), "consultant queue not FIFO"
