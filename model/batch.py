"""Several replications in one set of arrays: the row layout and grouping by replication.

The replications share a scenario's structure; numeric parameters may differ between them
(model/batch_key.py: which ones, and the batch key that refuses or splits anything else).

Why: at the size of one municipality every week of a run costs about the same fixed number of numpy
calls whatever happens in it (docs/odd.md §3.13), so R replications simulated in one set of arrays
cost little more than one. Each replication keeps its own seeds and draws (model/population.py); the
kernel stacks their citizens and handles every replication's due citizens of a kind in one call.

Layout: the rows of all replications are ordered by arrival week, then replication, then the
citizen's number within its replication. The citizens who have arrived by a week are then a prefix
of the rows (the hazard step, the weekly record and the due contacts read ``[:n_arrived]``), and
the rows of any one replication keep the order they have in a run of that replication alone, so
every handler sees each replication's citizens in the same order as a single run does. What is
truly sequential (FIFO queues, caseload assignment, hours, therapists, counters recorded in the
spell table) is kept per replication; :func:`groups` splits an array of citizens by replication.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import Population


@dataclass
class Layout:
    """Where each replication's citizens sit among the rows."""

    rep: np.ndarray          # replication code (0..R-1) of every row
    local: np.ndarray        # the citizen's number within its replication (its row in a single run)
    arrived_at: np.ndarray   # (R, weeks + 1): citizens of each replication arrived before each week
    rows_at: np.ndarray      # (weeks + 1,): rows arrived before each week (all replications)

    @property
    def size(self) -> int:
        return int(self.rep.size)

    def rows_of(self, r: int) -> np.ndarray:
        """Rows of replication ``r`` in the order of its citizens' numbers."""
        return np.flatnonzero(self.rep == r)


def stack(pops: list[Population], weeks: int) -> tuple[Population, Layout]:
    """One population of every replication's citizens, ordered by (arrival week, replication, number)."""
    sizes = [p.size for p in pops]
    rep = np.repeat(np.arange(len(pops)), sizes)
    local = np.concatenate([np.arange(n) for n in sizes]) if pops else np.zeros(0, np.int64)
    if len(pops) == 1:  # a single run: the rows are the population's own
        pop, order = pops[0], None
    else:
        order = np.argsort(np.concatenate([p.arrival_week for p in pops]), kind="stable")
        cat = lambda get: np.take(np.concatenate([get(p) for p in pops]), order, axis=0)  # noqa: E731
        pop = Population(cat(lambda p: p.arrival_week), cat(lambda p: p.diagnosis), cat(lambda p: p.risk),
                         cat(lambda p: p.who5), cat(lambda p: p.employed), cat(lambda p: p.category),
                         cat(lambda p: p.u_arm), {k: cat(lambda p: p.spell[k]) for k in pops[0].spell},
                         {k: cat(lambda p: p.onward[k]) for k in pops[0].onward},
                         None if pops[0].group is None else cat(lambda p: p.group))
        rep, local = rep[order], local[order]
    bounds = np.arange(weeks + 1)
    arrived_at = np.stack([np.searchsorted(p.arrival_week, bounds) for p in pops])
    return pop, Layout(rep.astype(np.int64), local.astype(np.int64), arrived_at,
                       np.searchsorted(pop.arrival_week, bounds))


def groups(codes: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(code, positions) for each distinct code, ascending; positions keep their order."""
    n = codes.size
    if n == 0:
        return []
    first = int(codes[0])
    if n == 1 or not (codes != first).any():
        return [(first, np.arange(n))]
    order = np.argsort(codes, kind="stable")
    sk = codes[order]
    cut = (np.flatnonzero(sk[1:] != sk[:-1]) + 1).tolist()
    return [(int(sk[lo]), order[lo:hi]) for lo, hi in zip([0, *cut], [*cut, n])]


def rank_within(codes: np.ndarray) -> np.ndarray:
    """Each element's rank among the elements with the same code, in order (0, 1, ... per code)."""
    n = codes.size
    if n == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(codes, kind="stable")
    sk = codes[order]
    starts = np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1]]))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, np.diff(np.append(starts, n)))
    return rank
