"""Scenario explorer page: run behind the button, charts and tables, cache, bad input, YAML round trip."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, chart_json, charts, no_exception, texts

from model import load_scenario, run

REPS = 2


def _setup(at, reps=REPS):
    at.run()
    no_exception(at)
    at.number_input(key="exp_reps").set_value(reps)
    at.number_input(key="exp_jobs").set_value(1)
    at.run()
    return at


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_explorer_runs_and_matches_the_api(page):
    at = _setup(page("explorer"))
    assert not charts(at)  # nothing runs before the button
    assert "press 'Run simulation'" in texts(at)
    at.button(key="exp_run").click().run()
    no_exception(at)

    api = run(load_scenario("copenhagen_ibbis"), reps=REPS, seed=1).summary().set_index("output")
    assert _metric(at, "Back at work within 52 weeks") == f"{api.loc['recovered_share.all', 'mean'] * 100:.1f}%"
    assert _metric(at, "Mean weeks on sickness benefit") == f"{api.loc['mean_benefit_weeks.all', 'mean']:.2f}"
    assert _metric(at, "Transferred to jobafklaring") == f"{api.loc['jobafklaring_share.all', 'mean'] * 100:.1f}%"

    figs = {c.proto.id.rsplit("-", 1)[-1]: json.loads(chart_json(c)) for c in charts(at)}
    assert {"exp_curve", "exp_recovered", "exp_durations", "exp_caseload", "exp_tqueue", "exp_util",
            "exp_effects"} <= set(figs)
    curve_names = {tr["name"] for tr in figs["exp_curve"]["data"]}
    assert {"standard", "parallel, uncoordinated", "integrated"} <= curve_names  # one line per pathway
    assert any(tr.get("fill") == "toself" for tr in figs["exp_curve"]["data"])  # with 95% bands
    assert {tr["name"] for tr in figs["exp_caseload"]["data"] if tr.get("mode") == "lines"} == {"standard pathway", "integrated pathway"}
    assert "Health staff in the jobcentre" in {tr["name"] for tr in figs["exp_tqueue"]["data"]}  # not jobcentre_health
    effects = {y for tr in figs["exp_effects"]["data"] for y in tr["y"]}
    assert {"Job goal set", "Tripartite meetings", "Treatment progress"} <= effects

    tables = [d.value for d in at.dataframe]
    outputs = next(t for t in tables if "output" in t.columns and "ci_low" in t.columns)
    assert abs(outputs.set_index("output").loc["recovered_share.integrated", "mean"]
               - api.loc["recovered_share.integrated", "mean"]) < 1e-12
    # the key table heads durations with the shares still on benefit (the median stays below them)
    key = next(t for t in tables if "Still on sickness benefit at 26 weeks" in set(t.iloc[:, 0]))
    row = key[(key.iloc[:, 0] == "Still on sickness benefit at 26 weeks") & (key.iloc[:, 1] == "all")].iloc[0]
    assert row.iloc[2] == f"{api.loc['still_on_benefit_26w.all', 'mean'] * 100:.1f}%"
    assert "Median weeks on sickness benefit" in set(key.iloc[:, 0])
    eff = next(t for t in tables if "hazard_multiplier" in "".join(t.columns).lower() or "Lever" in t.columns)
    assert len(eff) == 24  # 8 named effects x 3 pathways
    keys = {d.key for d in at.get("download_button")}
    for k in ("exp_dl_yaml", "exp_dl_report", "exp_dl_outcomes_csv", "exp_dl_outcomes_xlsx", "exp_dl_effects_csv",
              "exp_dl_effects_xlsx", "exp_dl_summary_xlsx", "exp_dl_capacity_csv", "exp_dl_util_xlsx",
              "exp_dl_curve_csv", "exp_dl_weekly_xlsx", "exp_dl_outputs_csv"):
        assert k in keys, k
    assert "Done in" in texts(at)


def test_second_view_is_served_from_the_cache(page):
    at = _setup(page("explorer"))
    at.button(key="exp_run").click().run()
    at.button(key="exp_run").click().run()
    no_exception(at)
    assert "Taken from the cache" in texts(at)


def test_lever_change_marks_results_stale_and_names_the_edited_scenario(page):
    at = _setup(page("explorer"))
    at.button(key="exp_run").click().run()
    at.number_input(key="lv:copenhagen_ibbis:arr").set_value(600.0).run()
    no_exception(at)
    assert "results below are for earlier settings" in texts(at)
    assert at.session_state["explorer_scenario"].name == "copenhagen_ibbis_edited"
    assert at.session_state["explorer_scenario"].arrivals.per_year == 600.0
    at.button(key="exp_run").click().run()
    assert "copenhagen_ibbis_edited" in texts(at)
    assert "earlier settings" not in texts(at)


def test_levers_without_capacity_show_a_message_and_keep_results(page):
    at = _setup(page("explorer"))
    at.button(key="exp_run").click().run()
    before = _metric(at, "Back at work")
    at.number_input(key="lv:copenhagen_ibbis:th:jobcentre_health").set_value(0).run()
    no_exception(at)
    err = texts(at)
    assert "invalid scenario" in err and "therapists >= 1" in err
    assert at.button(key="exp_run").disabled
    assert len(charts(at)) >= 7 and _metric(at, "Back at work") == before   # earlier results stay
    at.number_input(key="lv:copenhagen_ibbis:cc:standard").set_value(0).run()
    assert "consultants.standard.count" in texts(at)
    no_exception(at)


def test_upload_not_yaml_invalid_field_and_valid_file(page):
    at = _setup(page("explorer"))
    at.button(key="exp_run").click().run()
    at.toggle(key="exp_source_upload").set_value(True).run()
    assert "Upload a scenario file to continue" in texts(at)

    at.file_uploader(key="exp_upload").set_value([("notes.yaml", b"name: [unclosed\n  - : :", "text/yaml")]).run()
    no_exception(at)
    assert "not valid YAML" in texts(at)
    at.file_uploader(key="exp_upload").set_value([("photo.yaml", b"\xff\xd8\xff\xe0binary", "image/jpeg")]).run()
    assert "not a text file" in texts(at)
    bad = b"extends: baseline_standard\nname: mine\nconsultants:\n  standard: {count: 4, caseload_limt: 30}\n"
    at.file_uploader(key="exp_upload").set_value([("mine.yaml", bad, "text/yaml")]).run()
    no_exception(at)
    msg = texts(at)
    assert "cannot be used" in msg and "caseload_limt" in msg and "unknown field" in msg
    assert len(charts(at)) >= 7   # earlier results stay

    good = b"extends: baseline_standard\nname: mine\narrivals: {per_year: 400}\n"
    at.file_uploader(key="exp_upload").set_value([("mine.yaml", good, "text/yaml")]).run()
    no_exception(at)
    assert "Scenario mine loaded and valid" in texts(at)
    at.button(key="exp_run").click().run()
    no_exception(at)
    assert "Results for mine:" in texts(at)


def test_upload_of_several_files_honours_extends_between_them(page, tmp_path):
    """The guide's pattern: my_municipality_today.yaml and a plan that extends it, uploaded together (or as a
    zip); the plan is the scenario offered, with its parent's fields; alone it is refused with the reason."""
    import io
    import zipfile

    today = b"extends: baseline_standard\nname: my_municipality_today\narrivals: {per_year: 300}\n"
    plan = (b"extends: my_municipality_today.yaml\nname: my_plan\ndescription: More consultants\n"
            b"consultants:\n  standard: {count: 9}\n")
    at = _setup(page("explorer"))
    at.toggle(key="exp_source_upload").set_value(True).run()
    at.file_uploader(key="exp_upload").set_value([("my_plan.yaml", plan, "text/yaml")]).run()
    no_exception(at)
    assert "my_municipality_today.yaml is not uploaded" in texts(at)
    assert at.button(key="exp_run").disabled and "Scenario my_plan loaded" not in texts(at)

    at.file_uploader(key="exp_upload").set_value([("my_municipality_today.yaml", today, "text/yaml"),
                                                  ("my_plan.yaml", plan, "text/yaml")]).run()
    no_exception(at)
    assert "Scenario my_plan loaded and valid" in texts(at) and "More consultants" in texts(at)
    sc = at.session_state["explorer_scenario"]
    assert sc.name == "my_plan" and sc.arrivals.per_year == 300 and sc.consultants["standard"].count == 9
    assert sc.description_da == ""   # the parent's Danish line is not inherited by a child with its own line

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("municipality/my_municipality_today.yaml", today)
        zf.writestr("municipality/my_plan.yaml", plan)
    at.file_uploader(key="exp_upload").set_value([("plans.zip", buf.getvalue(), "application/zip")]).run()
    no_exception(at)
    assert at.session_state["explorer_scenario"].consultants["standard"].count == 9
    at.button(key="exp_run").click().run()
    no_exception(at)
    assert "Results for my_plan:" in texts(at)


def test_edited_scenario_yaml_runs_unchanged_in_the_cli(tmp_path):
    from app_pages.explorer import apply_levers
    base = load_scenario("copenhagen_ibbis")
    edited = apply_levers(base, {"arrivals.per_year": 400.0, "consultants.integrated.caseload_limit": 25,
                                 "providers.jobcentre_health.therapists": 6,
                                 "allocation.places_per_year.integrated": 120,
                                 "pathways.integrated.meetings.count": 2, "pathways.integrated.aftercare_weeks": 20,
                                 "horizon_weeks": 130})
    path = tmp_path / "edited.yaml"
    path.write_text(edited.to_yaml(), encoding="utf-8")
    again = load_scenario(path)
    assert again.model_dump(exclude={"extends"}) == edited.model_dump(exclude={"extends"})  # to_yaml resolves extends
    assert again.name == "copenhagen_ibbis_edited" and again.arrivals.per_year == 400.0
    out = subprocess.run([sys.executable, "-m", "cli", "run", str(path), "--reps", "1", "--weeks", "80"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "copenhagen_ibbis_edited" in out.stdout


def test_no_lever_change_keeps_the_scenario_as_is():
    from app_pages.explorer import apply_levers
    base = load_scenario("baseline_standard")
    assert apply_levers(base, {}) is base


def test_levers_set_by_an_investment_are_locked(page):
    from app_pages.explorer import set_by_investment
    sc = load_scenario("hjorring_investment")
    fixed = set_by_investment(sc)
    assert "consultants.integrated.count" in fixed and "providers.jobcentre_health.therapists" in fixed
    at = page("explorer")
    at.run()
    at.selectbox(key="exp_scenario").set_value("hjorring_investment").run()
    no_exception(at)
    assert "set by the budget" in texts(at)
    assert at.number_input(key="lv:hjorring_investment:cc:integrated").disabled
    assert not at.number_input(key="lv:hjorring_investment:cl:integrated").disabled
    # shown as simulated (the plan's staff), not the file's placeholder
    from model.investment import resolve
    assert at.number_input(key="lv:hjorring_investment:cc:integrated").value == resolve(sc).consultants["integrated"].count == 35  # 70% of 31.25 mio. / 625,000 (issue 17: the whole investment)


def test_planner_adds_the_second_population(page):
    """The checkbox adds cash-benefit recipients and ressourceforløb; the run reports them by population."""
    at = _setup(page("explorer"))
    at.checkbox(key="lv:copenhagen_ibbis:cb").check().run()
    at.number_input(key="lv:copenhagen_ibbis:cb:activity_ready").set_value(100.0).run()
    no_exception(at)
    sc = at.session_state["explorer_scenario"]
    assert sc.cash_benefit.enabled and sc.cash_benefit.activity_ready.per_year == 100.0
    res = run(sc, reps=1, seed=1, weeks=60)
    assert "activity_ready" in set(res.spells["population"])


def test_out_of_range_number_blocks_run_with_the_reason(page):
    """A value outside a field's range is not replaced by the old one: Run is disabled and the page says
    which field and which range; fixing the field enables Run again."""
    at = _setup(page("explorer"))
    at.number_input(key="lv:copenhagen_ibbis:cl:standard").set_value(900).run()
    no_exception(at)
    assert at.button(key="exp_run").disabled
    body = "\n".join(str(e.value) for e in at.warning) + "\n".join(str(e.value) for e in at.error)
    assert "Caseload limit per consultant: 900 is outside the allowed range 0 to 500" in body
    assert "Cannot run until these fields are fixed" in body
    assert not any(d.key == "exp_dl_yaml" for d in at.get("download_button"))
    at.number_input(key="exp_reps").set_value(0).run()
    assert "Replications: 0 is outside the allowed range 1 to 500" in "\n".join(str(e.value) for e in at.error)
    at.number_input(key="lv:copenhagen_ibbis:cl:standard").set_value(40).run()
    at.number_input(key="exp_reps").set_value(2).run()
    assert not at.button(key="exp_run").disabled
    at.button(key="exp_run").click().run()
    no_exception(at)
    assert at.session_state["explorer"]["result"].scenario.consultants["standard"].caseload_limit == 40
