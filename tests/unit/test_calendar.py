"""The event calendar against its rule read plainly: a week's events of a kind come out as the events
of large bookings, then those of small ones (small: at most ``Calendar.SMALL`` citizens, per replication
when there are several), each in booking order and, within a booking, in the order given; an event
booked before the open week falls on it; an event at or beyond the horizon is dropped."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calendar import KINDS, Calendar, Kind

HORIZON = 30


def reference(ops: list, horizon: int, rep: np.ndarray | None) -> list:
    """Each event as (week, kind, small, booking number, position), taken sorted; a list per take."""
    pending, out, open_week, seq = [], [], 0, 0
    for op in ops:
        if op[0] == "book":
            _, kind, week, idx, tok = op
            weeks = np.broadcast_to(np.asarray(week), idx.shape)
            if rep is None:
                small = np.full(idx.size, idx.size <= Calendar.SMALL)
            else:
                r = rep[idx]
                small = np.array([np.count_nonzero(r == x) <= Calendar.SMALL for x in r], bool)
            for j in range(idx.size):
                wk = max(int(weeks[j]), open_week)
                if wk < horizon:
                    pending.append((wk, int(kind), bool(small[j]), seq, j, int(idx[j]), int(tok[j])))
            seq += 1
        elif op[0] == "take":
            due = sorted(e for e in pending if e[0] == op[1])
            pending = [e for e in pending if e[0] != op[1]]
            got = [(k, [e[5] for e in due if e[1] == k], [e[6] for e in due if e[1] == k]) for k in KINDS]
            out.append([g for g in got if g[1]])
        else:
            open_week = op[1] + 1
    return out


def replay(ops: list, horizon: int, rep: np.ndarray | None, replications: int) -> list:
    cal, out = Calendar(horizon, rep, replications), []
    for op in ops:
        if op[0] == "book":
            cal.book(Kind(op[1]), op[2], op[3], op[4])
        elif op[0] == "take":
            got = cal.take(op[1]) or []
            for _k, idx, tok in got:
                assert idx.dtype == np.int64 and tok.dtype == np.int64
            out.append([(k, idx.tolist(), tok.tolist()) for k, idx, tok in got])
        else:
            cal.close(op[1])
    return out


@st.composite
def schedules(draw):
    """Weeks of booking, taking (some weeks twice, as a handler books for 'now') and closing."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    replications = draw(st.sampled_from([1, 1, 3]))
    n = 80
    rep = rng.integers(0, replications, n) if replications > 1 else None
    ops = []
    for w in range(HORIZON):
        for _ in range(2):
            for _ in range(int(rng.integers(0, 4))):
                k = int(rng.integers(0, len(KINDS)))
                size = int(rng.choice([1, 5, 16, 17, 40]))
                idx = rng.choice(n, size, replace=False).astype(np.int64)
                tok = rng.integers(0, 5, size).astype(np.int64)
                week = int(w + rng.integers(-2, 8)) if rng.random() < 0.3 else w + rng.integers(-2, 40, size)
                ops.append(("book", k, week, idx, tok))
            ops.append(("take", w))
        ops.append(("close", w))
    return ops, rep, replications


@settings(max_examples=40, deadline=None)
@given(schedules())
def test_calendar_hands_out_events_in_the_order_of_the_rule(case):
    ops, rep, replications = case
    assert replay(ops, HORIZON, rep, replications) == reference(ops, HORIZON, rep)


def test_pending_weeks_are_the_weeks_still_booked():
    cal = Calendar(10)
    cal.book(Kind.MEETING, np.array([3, 3, 12, 5]), np.arange(4), np.zeros(4, np.int64))
    cal.book(Kind.RELAPSE, 7, np.arange(20), np.zeros(20, np.int64))
    assert cal.pending_weeks() == [3, 5, 7]
    cal.take(5)
    assert cal.pending_weeks() == [3, 7]
