"""Calibration and sensitivity pages: stored results shown with their charts and tables; bad input."""
from __future__ import annotations

import json

import pytest
from conftest import chart_json, charts, no_exception, texts

from app_pages.modules import available

needs_cal = pytest.mark.skipif(not (available("calibration.report") and available("calibration.files")),
                               reason="calibration package not in this checkout")
needs_sens = pytest.mark.skipif(not available("sensitivity.study"), reason="sensitivity package not in this checkout")


@needs_cal
def test_calibration_shows_targets_against_fit_and_ranges(page):
    from calibration.report import build_report
    at = page("calibration")
    at.run()
    no_exception(at)
    name = at.selectbox(key="cal_record").value
    rep = build_report(name)
    body = texts(at)
    assert f"Status **{rep.record['status']}**" in body
    assert "local monitoring data" in body
    figs = charts(at)
    assert sum(c.proto.id.split("-")[-1].startswith("cal_target_") for c in figs) == len(rep.fit)
    fit = at.dataframe[0].value
    assert list(fit["Target"]) == list(rep.fit["target"])
    if len(rep.ranges):
        from presentation.labels import parameter_label
        ranges = at.dataframe[1].value
        assert list(ranges["Parameter"]) == [parameter_label(p, "en") for p in rep.ranges["parameter"]]
        assert any(c.proto.id.endswith("cal_ranges_fig") for c in figs)
    keys = {d.key for d in at.get("download_button")}
    assert {"cal_dl_fit_csv", "cal_dl_fit_xlsx", "cal_dl_report"} <= keys


@needs_cal
def test_calibration_in_danish_translates_the_stored_warnings(page):
    """The records store identifiability warnings in English; the Danish page shows them in Danish, with
    the parameters' names in words."""
    import yaml

    from calibration.files import CALIBRATED_DIR
    from presentation.labels import translate_warning

    # the shipped copenhagen record with the most warnings (which ones a refit gives is the fit's business)
    records = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")).get("warnings") or []
               for p in sorted(CALIBRATED_DIR.glob("copenhagen_ibbis*.yaml"))}
    name = max(records, key=lambda k: len(records[k]))
    at = page("calibration", lang="da")
    at.run()
    at.selectbox(key="cal_record").set_value(name).run()
    no_exception(at)
    body = texts(at)
    assert "frie parametre, men" in body
    for warning in records[name]:
        assert translate_warning(warning, "da") in body and warning not in body
    assert "free parameters" not in body and "coordination_effect" not in body


@needs_cal
def test_calibration_broken_record_is_a_message(page, tmp_path, monkeypatch):
    import calibration.files as files
    (tmp_path / "broken.yaml").write_text("name: broken\nstatus: fitted\n", encoding="utf-8")
    monkeypatch.setattr(files, "CALIBRATED_DIR", tmp_path)
    at = page("calibration")
    at.run()
    no_exception(at)
    assert "could not be read" in texts(at) and "point_estimate" in texts(at)


@needs_sens
def test_sensitivity_small_study_then_load_it_again(page, tmp_path, monkeypatch):
    monkeypatch.setenv("RTWSIM_APP_RUNS", str(tmp_path))
    at = page("sensitivity")
    at.run()
    at.toggle(key="sens_mode_new").set_value(True).run()
    at.selectbox(key="sens_problem").set_value("ishigami_sobol").run()
    at.number_input(key="sens_samples_ishigami_sobol").set_value(16).run()
    assert "model runs" in texts(at)
    at.button(key="sens_start").click().run()
    no_exception(at)
    assert "method sobol" in texts(at) and "runs complete" in texts(at)
    fig = json.loads(chart_json(charts(at)[0]))
    assert {tr["name"] for tr in fig["data"]} == {"first order S1", "total ST"}
    assert set(fig["data"][0]["x"]) == {"x1", "x2", "x3"}
    ranked = at.dataframe[0].value
    assert list(ranked.columns[:5]) == ["Parameter", "S1", "S1 ±95%", "ST", "ST ±95%"]
    assert list(ranked["ST"]) == sorted(ranked["ST"], reverse=True)
    indices = at.dataframe[1].value
    assert set(indices["index"]) >= {"S1", "ST"}
    st_long = indices[(indices["index"] == "ST") & (indices["output"] == indices["output"].iloc[0])]
    assert dict(zip(ranked["path"], ranked["ST"])) == pytest.approx(
        dict(zip(st_long["parameter"], st_long["value"].round(4))))
    folder = next(tmp_path.iterdir())

    broken = tmp_path / "broken_study"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    again = page("sensitivity")
    again.run()
    assert str(folder) in again.selectbox(key="sens_dir").options
    again.selectbox(key="sens_dir").set_value(str(folder)).run()
    again.button(key="sens_open").click().run()
    no_exception(again)
    assert "runs complete" in texts(again) and len(charts(again)) == 1
    again.selectbox(key="sens_dir").set_value(str(broken)).run()
    again.button(key="sens_open").click().run()
    no_exception(again)
    assert "could not be used" in texts(again) and len(charts(again)) == 1   # earlier study stays
