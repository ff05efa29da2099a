"""Spell, onward and weekly records written into growable numpy columns; DataFrames built once at the end.

Why: a dict per spell turned into a DataFrame costs more than simulating the spell. Rows are
allocated in blocks, written by index arrays from the vectorised handlers, and categorical columns
hold small integer codes until :meth:`SpellRecorder.frame` turns them into labels. With several
replications in one model (model/batch.py) each row carries its replication's code, and the tables
come out one per replication (``frames``), each as a run of that replication alone would give it.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

SPELL_WEEK_FIELDS = (
    "consultant_queued_week", "consultant_assigned_week", "first_contact_week", "job_goal_week", "referral_week",
    "treatment_queued_week", "treatment_start_week", "treatment_end_week", "benefit_end_week",
    "jobafklaring_week", "jobafklaring_end_week", "return_week", "end_week", "relapse_week",
    "reassessment_due_week", "reassessment_week", "extension_end_week")
OUTCOMES = ("", "returned", "other_exit", "jobafklaring_ended", "rehabilitation_team", "jobafklaring", "censored")
OUTCOME_CODE = {o: k for k, o in enumerate(OUTCOMES)}
GROUNDS = ("", "nr2", "nr3", "nr4")
# column name -> (dtype, fill); 'cat:<key>' columns are codes into the labels given to the recorder
_LAYOUT = [*((f, (np.float64, math.nan)) for f in SPELL_WEEK_FIELDS), *{
    "replication": (np.int64, 0), "citizen_id": (np.int64, 0), "spell": (np.int64, 0), "arm": ("cat:pathway", 0),
    "allocated": ("cat:pathway", 0), "pathway": ("cat:pathway", 0), "diagnosis": ("cat:diagnosis", 0),
    "risk": ("cat:risk", 0), "employed": (bool, False), "category": (np.int64, 0), "who5_start": (np.float64, 0.0),
    "arrival_week": (np.int64, 0), "spell_start_week": (np.int64, 0), "consultant_pool": ("cat:pool", 0),
    "consultant": (np.int64, -1), "contacts": (np.int64, 0), "contact_deferrals": (np.int64, 0),
    "meetings": (np.int64, 0), "treatment_offered": (bool, False), "provider": ("cat:provider", 0),
    "escalated": (bool, False), "queue_seq": (np.int64, -1), "consultant_queue_seq": (np.int64, -1),
    "therapist": (np.int64, -1), "course_weeks": (np.float64, math.nan), "treatment_completed": (bool, False),
    "sessions": (np.float64, 0.0), "reassessed": (bool, False), "extended": (bool, False),
    "extension_ground": ("cat:ground", 0), "benefit_end_reason": ("cat:outcome", 0), "outcome": ("cat:outcome", 0),
    "population": ("cat:population", 0), "aftercare_weeks": (np.float64, math.nan)}.items()]


_STR = pd.Series(["x"]).dtype  # pandas' default string dtype (pyarrow-backed in pandas 3)


def label_column(labels: tuple[str, ...], codes: np.ndarray):
    """Labels for integer codes, in pandas' default string dtype; built with pyarrow's take when the
    default is pyarrow-backed (several times faster than an object array converted by pandas)."""
    if getattr(_STR, "storage", None) == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        return pd.array(pc.take(pa.array(labels, pa.large_string()), pa.array(codes)), dtype=_STR)
    return np.array(labels, dtype=object)[codes]


class Columns:
    """Growable columns of equal length (capacity doubles when full)."""

    def __init__(self, layout: list[tuple[str, tuple]], capacity: int = 1024):
        self.layout = layout
        self.n = 0
        self.cap = max(16, capacity)
        self.cols: dict[str, np.ndarray] = {}
        for name, (dtype, fill) in layout:
            self.cols[name] = np.full(self.cap, fill, np.int16 if str(dtype).startswith("cat:") else dtype)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def add(self, k: int) -> np.ndarray:
        """Rows for ``k`` new records (filled with each column's default)."""
        if self.n + k > self.cap:
            new = max(self.cap * 2, self.n + k)
            for name, (dtype, fill) in self.layout:
                old = self.cols[name]
                col = np.full(new, fill, old.dtype)
                col[:self.n] = old[:self.n]
                self.cols[name] = col
            self.cap = new
        rows = np.arange(self.n, self.n + k)
        self.n += k
        return rows


INTERNAL = ("close_seq", "rep_code")  # bookkeeping columns, not in the tables


def split_cuts(sorted_rep: np.ndarray, replications: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, end) positions of each replication's rows in rows sorted by replication."""
    cuts = np.searchsorted(sorted_rep, np.arange(replications + 1))
    return cuts[:-1], cuts[1:]


class SpellRecorder(Columns):
    """One row per spell; rows are ordered in the table by when the spell closed (open ones last)."""

    def __init__(self, capacity: int, labels: dict[str, tuple[str, ...]]):
        super().__init__(_LAYOUT + [("close_seq", (np.int64, -1)), ("rep_code", (np.int64, 0))], capacity)
        self.labels = {**labels, "outcome": OUTCOMES, "ground": GROUNDS}
        self.closed = 0

    def close(self, rows: np.ndarray) -> None:
        k = rows.size
        self.cols["close_seq"][rows] = np.arange(self.closed, self.closed + k)
        self.closed += k

    def frame(self) -> pd.DataFrame:
        """Every replication's spells, one replication after the other."""
        frames = self.frames(int(self.cols["rep_code"][:self.n].max(initial=0)) + 1)
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def frames(self, replications: int) -> list[pd.DataFrame]:
        """One spell table per replication: its closed spells in order of closing, then its open ones by citizen."""
        n = self.n
        seq, rep, cid = self.cols["close_seq"][:n], self.cols["rep_code"][:n], self.cols["citizen_id"][:n]
        still_open = seq < 0
        # sort by (replication, open, closing order or citizen) as one key: the triples are distinct (a
        # closing number is unique, a citizen has at most one open spell), so any sort gives one order
        m = int(max(seq.max(initial=0), cid.max(initial=0))) + 1
        order = np.argsort(rep * (2 * m) + np.where(still_open, m + cid, seq))
        data, empty_aftercare = {}, False
        for name, (dtype, _fill) in self.layout:
            if name in INTERNAL:
                continue
            col = self.cols[name][:n][order]
            if name == "aftercare_weeks":
                empty_aftercare = bool(np.isnan(col).all())
                if empty_aftercare:
                    continue
            if isinstance(dtype, str):
                col = label_column(self.labels[dtype[4:]], col)
            data[name] = col
        whole = pd.DataFrame(data)
        if replications == 1:
            return [whole]
        out = []
        if not empty_aftercare:  # spells with aftercare, per replication
            aftercare = np.bincount(rep[~np.isnan(self.cols["aftercare_weeks"][:n])], minlength=replications)
        for r, (a, b) in enumerate(zip(*(c.tolist() for c in split_cuts(rep[order], replications)))):
            part = whole.iloc[a:b]
            part.index = pd.RangeIndex(b - a)
            # as in a single run: the column exists only when some spell of the replication had aftercare
            if not empty_aftercare and (a == b or not aftercare[r]):
                part = part.drop(columns="aftercare_weeks")
            out.append(part)
        return out


ONWARD_LAYOUT = [("replication", (np.int64, 0)), ("citizen_id", (np.int64, 0)), ("spell", (np.int64, 0)),
                 ("state", (np.int16, 0)), ("start_week", (np.int64, 0)), ("end_week", (np.float64, math.nan))]


class OnwardRecorder(Columns):
    """One row per stay in an onward state."""

    def __init__(self, state_names: tuple[str, ...]):
        super().__init__(ONWARD_LAYOUT + [("rep_code", (np.int64, 0))], 256)
        self.state_names = state_names

    def frame(self) -> pd.DataFrame:
        n = self.n
        data = {name: self.cols[name][:n] for name, _ in self.layout if name not in INTERNAL}
        data["state"] = label_column(self.state_names, data["state"])
        return pd.DataFrame(data)

    def frames(self, replications: int) -> list[pd.DataFrame]:
        """One onward table per replication (its rows in the order they were written)."""
        if replications == 1:
            return [self.frame()]
        rep = self.cols["rep_code"][:self.n]
        order = np.argsort(rep, kind="stable")
        whole = self.frame().take(order)  # one replication after the other; each part a slice with its own index
        out = []
        for a, b in zip(*(c.tolist() for c in split_cuts(rep[order], replications))):
            part = whole.iloc[a:b]
            part.index = pd.RangeIndex(b - a)
            out.append(part)
        return out


class WeeklyRecorder:
    """One row per week and replication in a preallocated matrix; counts are stored exactly (below 2**53)
    and returned as integers."""

    def __init__(self, weeks: int, names: list[str], fractions: list[bool], replications: int = 1):
        self.names = names
        self.fractions = fractions
        self.values = np.zeros((replications, weeks, len(names)))
        self.n = 0

    def write(self, week: int, rows: np.ndarray) -> None:
        """This week's rows, one per replication (shape (replications, columns))."""
        self.values[:, week] = rows
        self.n = week + 1

    def frame(self, r: int = 0) -> pd.DataFrame:
        """Replication ``r``'s table (code within the model)."""
        v = self.values[r, :self.n]
        return pd.DataFrame({name: v[:, j] if frac else v[:, j].astype(np.int64)
                             for j, (name, frac) in enumerate(zip(self.names, self.fractions))})
