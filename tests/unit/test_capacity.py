"""Caseload pools and treatment providers on the columnar state: least-loaded assignment, FIFO
queues that skip citizens who left, stretch, hours, fixed teams."""
import numpy as np

from model import RTWModel
from model.capacity import CaseloadPool, TreatmentProvider
from model.scenario import ConsultantPool, Provider
from model.state import S
from core_helpers import tiny


def _model():
    return RTWModel(tiny(), np.random.SeedSequence(0))


def _queued(pool, idx):
    """Admit citizens; those queued are marked QUEUED as the kernel does."""
    got = pool.admit(np.asarray(idx))
    pool.cs.state[np.asarray(idx)[got < 0]] = S.QUEUED
    pool.cs.state[np.asarray(idx)[got >= 0]] = S.ON_BENEFIT
    return got


def test_least_loaded_and_queue_fifo():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=2, caseload_limit=2, when_full="queue"), m.cs)
    got = _queued(pool, range(6))
    assert got.tolist() == [0, 1, 0, 1, -1, -1]
    assert len(pool.queue) == 2
    taken, by = pool.release(np.array([0]))
    assert taken.tolist() == [4] and by.tolist() == [0] and m.cs.consultant[4] == 0
    taken, by = pool.release(np.array([3]))
    assert taken.tolist() == [5]
    assert pool.loads.tolist() == [2, 2]


def test_queue_skips_citizens_who_left():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=1, when_full="queue"), m.cs)
    _queued(pool, [0, 1, 2])
    m.cs.state[1] = S.AT_WORK  # 1 leaves while queued
    taken, _ = pool.release(np.array([0]))
    assert taken.tolist() == [2]


def test_consultant_agent_takes_from_queue_and_shows_caseload():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=2, when_full="queue"), m.cs, (0,))
    m.cs.pathway[:4] = 0
    _queued(pool, [0, 1, 2])
    cons = pool.consultants[0]
    assert cons.load == 2 and not cons.has_room()
    pool.release(np.array([1]))
    assert sorted(cons.caseload.tolist()) == [0, 2]


def test_stretch_mode_exceeds_norm_and_stretches():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=2, when_full="stretch"), m.cs)
    assert (pool.admit(np.arange(3)) >= 0).all()
    assert pool.stretch(np.array([0])).tolist() == [1.5]


def test_hours_limit_defers():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=5, hours_per_week=2, contact_hours=1), m.cs)
    assert pool.book_hours(np.array([0, 0, 0]), 1.0, 3).tolist() == [True, True, False]
    assert pool.book_hours(np.array([0]), 1.0, 4).tolist() == [True]


def test_hours_limit_defers_in_bulk_like_one_by_one():
    """The vectorised booking (many requests) gives the same answer as the one-by-one loop."""
    m = _model()
    rng = np.random.default_rng(1)
    ks = rng.integers(0, 5, 200)
    big = CaseloadPool(m, "p", ConsultantPool(count=5, caseload_limit=5, hours_per_week=7, contact_hours=1.5), m.cs)
    small = CaseloadPool(m, "q", ConsultantPool(count=5, caseload_limit=5, hours_per_week=7, contact_hours=1.5), m.cs)
    bulk = big.book_hours(ks, 1.5, 0)
    one = np.concatenate([small.book_hours(ks[j:j + 1], 1.5, 0) for j in range(ks.size)])
    assert bulk.tolist() == one.tolist()
    assert np.bincount(ks[bulk], minlength=5).tolist() == [4] * 5


def test_provider_fifo_and_fixed_team():
    m = _model()
    prov = TreatmentProvider(m, 0, "t", Provider(kind="internal", therapists=2, slots_per_therapist=1), m.cs)
    t0, t1 = prov.therapists
    prov.assign(0), prov.assign(1)
    assert prov.free_therapist(-1) == -1
    prov.enqueue(10, 1)    # must wait for therapist 1 (fixed team)
    prov.enqueue(11, -1)
    prov.enqueue(12, -1)
    prov.unassign(0)
    assert t0.take_next() == 11   # 10 is reserved for therapist 1
    prov.unassign(1)
    assert t1.take_next() == 10
    m.cs.treat_token[12] += 1     # 12 left the list
    assert t1.take_next() == -1


def test_citizen_views_read_the_columns():
    m = _model()
    for _ in range(20):
        m.step()
    assert len(m.citizens) == m.n_arrived > 0
    c = m.citizen(0)
    assert c.state in ("queued", "on_benefit", "jobafklaring", "at_work", "left", "ressourceforloeb", "flexjob",
                       "foertidspension", "cash_benefit", "unemployment_insurance", "self_support")
    assert c.spell >= 0 and c.pathway == "standard"
    assert sum(1 for _ in m.citizens) == m.n_arrived
    staff = [a for a in m.agents]
    assert staff and all(type(a).__name__ in ("Consultant", "Therapist") for a in staff)


def _one_by_one(loads, limit, queue_mode, k):
    """Reference: the least-loaded consultant (lowest number on ties), one citizen at a time."""
    loads = list(loads)
    out = []
    for _ in range(k):
        j = min(range(len(loads)), key=lambda x: (loads[x], x))
        if queue_mode and loads[j] >= limit:
            out.append(-1)
            continue
        loads[j] += 1
        out.append(j)
    return out, loads


def test_admission_at_once_equals_one_at_a_time():
    """The water-filling admission of a batch gives each citizen the consultant the one-by-one rule gives."""
    rng = np.random.default_rng(3)
    m = _model()
    for trial in range(60):
        n_cons = int(rng.integers(1, 7))
        limit = int(rng.integers(1, 9))
        mode = "queue" if trial % 2 else "stretch"
        pool = CaseloadPool(m, "p", ConsultantPool(count=n_cons, caseload_limit=limit, when_full=mode), m.cs)
        start = rng.integers(0, limit + (0 if mode == "queue" else 4), n_cons)
        pool.loads[:] = start
        k = int(rng.integers(1, 25))
        got = pool.admit(np.arange(k))
        want, loads = _one_by_one(start, limit, mode == "queue", k)
        assert got.tolist() == want, (start.tolist(), limit, mode, k)
        assert pool.loads.tolist() == loads
