import numpy as np

from model import RTWModel
from model.agents import Citizen
from model.capacity import CaseloadPool, TreatmentProvider
from model.scenario import ConsultantPool, Provider
from core_helpers import tiny


def _model():
    return RTWModel(tiny(), np.random.SeedSequence(0))


def _citizens(m, n):
    return [Citizen(m, i) for i in range(n)]


def test_least_loaded_and_queue_fifo():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=2, caseload_limit=2, when_full="queue"))
    cs = _citizens(m, 6)
    got = [pool.admit(c) for c in cs]
    assert [g.number if g else None for g in got] == [0, 1, 0, 1, None, None]
    assert len(pool.waiting) == 2
    nxt = pool.release(cs[0])
    assert nxt is cs[4] and cs[4].consultant.number == 0
    assert pool.release(cs[3]) is cs[5]
    assert pool.loads.tolist() == [2, 2]


def test_queue_skips_citizens_who_left():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=1, when_full="queue"))
    a, b, c = _citizens(m, 3)
    pool.admit(a), pool.admit(b), pool.admit(c)
    pool.release(b)  # b leaves while queued
    assert pool.release(a) is c


def test_stretch_mode_exceeds_norm_and_stretches():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=2, when_full="stretch"))
    cs = _citizens(m, 3)
    for c in cs:
        assert pool.admit(c) is not None
    assert pool.stretch_factor(cs[0].consultant) == 1.5


def test_hours_limit_defers():
    m = _model()
    pool = CaseloadPool(m, "p", ConsultantPool(count=1, caseload_limit=5, hours_per_week=2, contact_hours=1))
    cons = pool.consultants[0]
    assert pool.book(cons, 3, 1) and pool.book(cons, 3, 1)
    assert not pool.book(cons, 3, 1)
    assert pool.book(cons, 4, 1)


def test_provider_fifo_and_fixed_team():
    m = _model()
    prov = TreatmentProvider(m, "t", Provider(kind="internal", therapists=2, slots_per_therapist=1))
    t0, t1 = prov.therapists
    cs = _citizens(m, 4)
    prov.assign(t0, 100), prov.assign(t1, 101)
    assert prov.free_therapist(None) is None
    prov.enqueue(cs[0], t1)    # must wait for t1 (fixed team)
    prov.enqueue(cs[1], None)
    prov.enqueue(cs[2], None)
    prov.unassign(t0, 100)
    assert prov.next_for(t0) is cs[1]   # cs[0] is reserved for t1
    prov.unassign(t1, 101)
    assert prov.next_for(t1) is cs[0]
    assert prov.free_therapist(None) is None or prov.free_therapist(None).free > 0
