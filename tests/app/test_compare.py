"""Compare page: CRN comparison, plain-language summary checked against the API, caveat, charts, tables."""
from __future__ import annotations

import json

from conftest import chart_json, charts, no_exception, texts

from model import compare, t_interval

REPS = 2


def _setup(at):
    at.run()
    no_exception(at)
    at.number_input(key="cmp_reps").set_value(REPS)
    at.number_input(key="cmp_jobs").set_value(1)
    at.run()
    at.selectbox(key="cmp_evidence").set_value("none")   # the scenario files' parameters (default: all evidence)
    at.run()
    return at


def test_default_view_shows_every_evidence_base_side_by_side(page):
    """'all' is the default: one table with back at work, benefit weeks and net budget per evidence base."""
    from model.evidence import known_evidence
    from model.evidence_compare import evidence_comparison
    from model import compare as api_compare

    at = page("compare")
    at.run()
    at.number_input(key="cmp_reps").set_value(REPS)
    at.number_input(key="cmp_jobs").set_value(1)
    at.run()
    assert at.selectbox(key="cmp_evidence").value == "all"
    at.button(key="cmp_run").click().run()
    no_exception(at)
    from presentation.labels import evidence_label
    from presentation.tables import evidence_table

    shown = next(d.value for d in at.dataframe if "Evidence" in d.value.columns)
    assert list(shown["Evidence"]) == [evidence_label(e, "en") for e in known_evidence()]
    comps = {ev: api_compare(["baseline_standard", "copenhagen_ibbis"], reps=REPS, seed=1,
                             parameter_sets=f"evidence/{ev}") for ev in known_evidence()}
    expected = evidence_table(evidence_comparison(comps, 1).table(), "en", lambda e: evidence_label(e, "en"))
    assert list(shown["Back at work, pp"]) == list(expected["Back at work, pp"])
    assert list(shown["Net budget, DKK m"]) == list(expected["Net budget, DKK m"])


def test_default_comparison_matches_the_api(page):
    at = _setup(page("compare"))
    assert at.multiselect(key="cmp_pick").value == ["baseline_standard", "copenhagen_ibbis"]
    at.button(key="cmp_run").click().run()
    no_exception(at)

    cmp = compare(["baseline_standard", "copenhagen_ibbis"], reps=REPS, seed=1)
    diff = cmp.differences().set_index("output")
    ret = lambda r: r.outputs.set_index("replication").filter(like="returns_per_year.").sum(axis=1)  # noqa: E731
    m, _sd, lo, hi = t_interval((ret(cmp.results["copenhagen_ibbis"]) - ret(cmp.results["baseline_standard"])).to_numpy())
    body = texts(at)
    more = "more" if m >= 0 else "fewer"
    assert (f"**copenhagen_ibbis** returns {abs(m):.1f} {more} citizens to work per year "
            f"(95% interval {lo:.1f} to {hi:.1f})") in body
    r = diff.loc["recovered_share.all"]
    assert f"changes by {r['mean'] * 100:+.1f} percentage points ({r['ci_low'] * 100:+.1f} to {r['ci_high'] * 100:+.1f})" in body
    w = diff.loc["mean_benefit_weeks.all"]
    assert f"changes by {w['mean']:+.2f} weeks ({w['ci_low']:+.2f} to {w['ci_high']:+.2f})" in body
    metric = next(x for x in at.metric if x.label == "Returns to work per year")
    assert metric.value == f"{m:+.1f}"
    assert any("local monitoring data" in x.value and "60%" in x.value for x in at.warning)  # honest caveat

    figs = {c.proto.id.rsplit("-", 1)[-1]: json.loads(chart_json(c)) for c in charts(at)}
    assert {"cmp_curves", "cmp_recovered", "cmp_onbenefit"} <= set(figs)
    names = {tr["name"] for tr in figs["cmp_curves"]["data"] if tr.get("mode") == "lines"}
    assert "baseline_standard: standard" in names and "copenhagen_ibbis: integrated" in names   # overlaid
    assert {tr["name"] for tr in figs["cmp_recovered"]["data"]} == {"baseline_standard", "copenhagen_ibbis"}

    tables = [d.value for d in at.dataframe]
    full = next(t for t in tables if "baseline" in t.columns)
    got = full.set_index("output").loc["recovered_share.all"]
    assert abs(got["mean"] - r["mean"]) < 1e-12 and abs(got["ci_high"] - r["ci_high"]) < 1e-12
    keys = {d.key for d in at.get("download_button")}
    assert {"cmp_dl_diff_key_csv", "cmp_dl_diff_key_xlsx", "cmp_dl_diff_all_csv", "cmp_dl_side_xlsx",
            "cmp_dl_report"} <= keys


def test_needs_two_scenarios_and_keeps_earlier_results(page):
    at = _setup(page("compare"))
    at.button(key="cmp_run").click().run()
    n = len(charts(at))
    at.multiselect(key="cmp_pick").set_value(["copenhagen_ibbis"]).run()
    at.button(key="cmp_run").click().run()
    no_exception(at)
    assert "Choose at least two different scenarios" in texts(at)
    assert len(charts(at)) == n


def test_explorer_edit_can_be_compared(page):
    from app_pages.explorer import EDITED, apply_levers
    from model import load_scenario
    at = page("compare")
    at.session_state[EDITED] = apply_levers(load_scenario("copenhagen_ibbis"), {"consultants.integrated.count": 8})
    _setup(at)
    assert "copenhagen_ibbis_edited" in at.multiselect(key="cmp_pick").options
    assert "From the explorer page (edited or uploaded): copenhagen_ibbis_edited" in texts(at)
    at.multiselect(key="cmp_pick").set_value(["copenhagen_ibbis", "copenhagen_ibbis_edited"]).run()
    at.button(key="cmp_run").click().run()
    no_exception(at)
    assert "**copenhagen_ibbis_edited** returns" in texts(at)


def test_language_switch_to_danish(page):
    at = page("compare", lang="da")
    at.run()
    no_exception(at)
    assert at.header[0].value == "Sammenlign"
    assert at.button(key="cmp_run").label == "Sammenlign"


def test_scenarios_with_other_citizens_are_flagged_as_not_paired(page):
    from model import load_scenario
    assert load_scenario("hjorring_before_investment").arrivals != load_scenario("baseline_standard").arrivals
    at = _setup(page("compare"))
    at.multiselect(key="cmp_pick").set_value(["baseline_standard", "hjorring_before_investment"]).run()
    at.button(key="cmp_run").click().run()
    no_exception(at)
    assert "citizens are not the same" in texts(at)
    # the headline itself quotes only per-citizen differences and says why; no returns per year
    summary = " ".join(m.value for m in at.markdown if "baseline_standard" in m.value)
    assert "differ in arrivals, horizon, so only per-citizen differences are compared" in summary
    assert "percentage points" in summary and "weeks per citizen" in summary
    assert "citizens to work per year" not in summary
    assert "Not comparable" in texts(at)
    at.multiselect(key="cmp_pick").set_value(["baseline_standard", "copenhagen_ibbis"]).run()
    at.button(key="cmp_run").click().run()
    assert "citizens are not the same" not in texts(at)
    assert "citizens to work per year" in texts(at) and "per-citizen differences" not in texts(at)


def test_calibration_uncertainty_is_carried_through(page):
    """With a calibration chosen, every scenario's replication r uses accepted set r mod K (as the API does)."""
    at = _setup(page("compare"))
    at.selectbox(key="cmp_psets").set_value("calibrated/copenhagen_ibbis")
    at.button(key="cmp_run").click().run()
    no_exception(at)
    assert any("calibrated/copenhagen_ibbis" in c.value for c in at.caption)
    api = compare(["baseline_standard", "copenhagen_ibbis"], reps=REPS, seed=1,
                  parameter_sets="calibrated/copenhagen_ibbis").differences().set_index("output")
    plain = compare(["baseline_standard", "copenhagen_ibbis"], reps=REPS, seed=1).differences().set_index("output")
    full = next(t for t in (d.value for d in at.dataframe) if "baseline" in t.columns).set_index("output")
    got = full.loc["recovered_share.all", "mean"]
    assert abs(got - api.loc["recovered_share.all", "mean"]) < 1e-12
    assert abs(got - plain.loc["recovered_share.all", "mean"]) > 1e-9   # the sets do change the answer
