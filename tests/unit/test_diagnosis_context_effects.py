"""Pathway effects by diagnosis group and the implementation/context random effect (model.hazards)."""
import numpy as np
import pytest

from model import load_scenario
from model.hazards import HazardModel
from model.scenario import DIAGNOSES, PATHWAYS, ScenarioError
from model.streams import named_streams

D = {d: i for i, d in enumerate(DIAGNOSES)}
P = {p: i for i, p in enumerate(PATHWAYS)}


def test_diagnosis_effect_applies_to_its_group_on_its_pathway_only():
    base = load_scenario("copenhagen_ibbis")
    sc = base.with_overrides({"pathways.integrated.diagnosis_effect.stress_related": -0.7})
    h0, h1 = HazardModel(base, 100), HazardModel(sc, 100)
    args = dict(risk=1, employed=True, category=2)
    diff = lambda d, p: (h1.static_log(D[d], pathway_code=P[p], **args)  # noqa: E731
                         - h0.static_log(D[d], pathway_code=P[p], **args))
    assert diff("stress", "integrated") == pytest.approx(-0.7)
    assert diff("depression", "integrated") == 0 and diff("anxiety", "integrated") == 0
    assert diff("stress", "standard") == 0 and diff("stress", "uncoordinated") == 0


def test_unknown_diagnosis_group_is_named():
    with pytest.raises(ScenarioError, match="unknown diagnosis group.*psychosis"):
        load_scenario("copenhagen_ibbis").with_overrides({"pathways.integrated.diagnosis_effect": {"psychosis": 0.1}})


def test_context_effect_is_one_draw_per_replication_scaled_by_each_pathway_sd():
    sc = load_scenario("copenhagen_ibbis").with_overrides({"pathways.integrated.context_log_sd": 0.32})
    zs = []
    for r in range(40):
        hz = HazardModel(sc, 100, named_streams(np.random.SeedSequence([5, r]))["context"])
        zs.append(hz.context_z)
        assert hz.coordination[P["integrated"]] == pytest.approx(0.32 * hz.context_z)
        assert hz.coordination[P["standard"]] == 0.0
    assert abs(np.mean(zs)) < 0.5 and 0.6 < np.std(zs) < 1.4
    # the same replication draws the same municipality whatever the spread (common random numbers)
    plain = HazardModel(load_scenario("copenhagen_ibbis"), 100, named_streams(np.random.SeedSequence([5, 0]))["context"])
    assert plain.context_z == zs[0] and plain.coordination[P["integrated"]] == 0.0


def test_context_spread_widens_the_effect_between_replications():
    from model.experiment import run

    sc = load_scenario("ibbis1_trial_stress").with_overrides({"horizon_weeks": 70})
    wide = sc.with_overrides({"pathways.integrated.context_log_sd": 0.6})
    gap = lambda res: (res.outputs["recovered_share.integrated"] - res.outputs["recovered_share.standard"]).std()  # noqa: E731
    assert gap(run(wide, reps=6, seed=2)) > gap(run(sc, reps=6, seed=2))


def test_other_exit_effect_changes_only_its_group_on_its_pathway_and_keeps_the_return_hazard():
    """Fewer exits for other reasons on the integrated pathway for depression/anxiety: those citizens leave
    less often, every other arm and group is untouched (same draws), and the return hazard is not changed."""
    from model.experiment import simulate
    from model.trial import index_spells

    base = load_scenario("ibbis1_trial_depression_anxiety").with_overrides({"horizon_weeks": 80})
    fewer = base.with_overrides({"pathways.integrated.other_exit_effect.depression_anxiety": -3.0})
    assert HazardModel(fewer, 80).other_exit_effect[P["integrated"], D["depression"]] == -3.0
    a, b = (index_spells(simulate(sc, np.random.SeedSequence(11)).spells).sort_values("citizen_id").reset_index(drop=True)
            for sc in (base, fewer))
    assert (a["arm"].to_numpy() == b["arm"].to_numpy()).all()
    exits = lambda idx, arm: int(((idx["arm"] == arm) & (idx["outcome"] == "other_exit")).sum())  # noqa: E731
    assert exits(a, "integrated") >= 10 and exits(b, "integrated") <= exits(a, "integrated") / 5
    for arm in ("standard", "uncoordinated"):   # other arms: the very same spells
        sa, sb = a[a["arm"] == arm], b[b["arm"] == arm]
        assert sa[["end_week", "outcome"]].equals(sb[["end_week", "outcome"]])
    # a citizen who returned under the baseline returns in the same week (the return hazard is unchanged)
    ret = a["return_week"].notna().to_numpy()
    assert (a["return_week"].to_numpy()[ret] == b["return_week"].to_numpy()[ret]).all()


def test_other_exit_effect_rejects_unknown_groups_and_non_finite_values():
    sc = load_scenario("copenhagen_ibbis")
    with pytest.raises(ScenarioError, match="unknown diagnosis group.*psychosis"):
        sc.with_overrides({"pathways.integrated.other_exit_effect": {"psychosis": -0.5}})
    with pytest.raises(ScenarioError, match="other_exit_effect"):
        sc.with_overrides({"pathways.integrated.other_exit_effect.depression_anxiety": float("inf")})


def test_late_effect_changes_the_hazard_from_its_week_only():
    """A late effect leaves every return before its week unchanged (same draws) and moves returns after it
    in the direction of its sign; the other arms and groups are untouched."""
    from model.experiment import simulate
    from model.trial import index_spells

    base = load_scenario("ibbis1_trial_depression_anxiety").with_overrides({"horizon_weeks": 80})
    late = base.with_overrides({"pathways.integrated.late_effect.from_week": 10,
                                "pathways.integrated.late_effect.diagnosis_effect.depression_anxiety": 1.2})
    seed = np.random.SeedSequence(11)
    a = index_spells(simulate(base, seed, replication=0).spells).set_index("citizen_id")
    b = index_spells(simulate(late, seed, replication=0).spells).set_index("citizen_id").reindex(a.index)
    since = a["return_week"] - a["arrival_week"]
    early = (a["arm"] == "integrated") & (since < 10)
    others = a["arm"] != "integrated"
    assert early.sum() > 10 and others.sum() > 100
    assert a.loc[early, "return_week"].equals(b.loc[early, "return_week"])
    assert a.loc[others, "return_week"].equals(b.loc[others, "return_week"])
    later = (a["arm"] == "integrated") & ~early
    moved = (b.loc[later, "return_week"].fillna(10**6) < a.loc[later, "return_week"].fillna(10**6))
    assert moved.sum() > 10   # a higher late hazard: some return earlier, none later
    assert not (b.loc[later, "return_week"].fillna(10**6) > a.loc[later, "return_week"].fillna(10**6)).any()


def test_late_effect_equal_to_the_early_one_changes_nothing():
    from model.hazards import HazardModel

    sc = load_scenario("copenhagen_ibbis").with_overrides({
        "pathways.integrated.diagnosis_effect.stress_related": -0.3,
        "pathways.integrated.late_effect.from_week": 8,
        "pathways.integrated.late_effect.diagnosis_effect.stress_related": -0.3})
    hz = HazardModel(sc, 100)
    assert not hz.has_late and hz.late_from[P["integrated"]] == 8
    moved = sc.with_overrides({"pathways.integrated.late_effect.diagnosis_effect.stress_related": 0.2})
    hz = HazardModel(moved, 100)
    assert hz.has_late and hz.late_delta[P["integrated"], D["stress"]] == pytest.approx(0.5)
    assert hz.late_delta[P["integrated"], D["depression"]] == 0 and hz.late_delta[P["standard"], D["stress"]] == 0


def test_late_effect_needs_its_week_and_known_groups():
    sc = load_scenario("copenhagen_ibbis")
    with pytest.raises(ScenarioError, match="late_effect.from_week must be set"):
        sc.with_overrides({"pathways.integrated.late_effect.diagnosis_effect.stress_related": 0.2})
    with pytest.raises(ScenarioError, match="unknown diagnosis group.*psychosis"):
        sc.with_overrides({"pathways.integrated.late_effect": {"from_week": 4, "diagnosis_effect": {"psychosis": 0.1}}})
    with pytest.raises(ScenarioError, match="from_week"):
        sc.with_overrides({"pathways.integrated.late_effect.from_week": 0})
