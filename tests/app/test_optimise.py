"""Best-split page: runs the optimiser on a small budget and shows the Pareto front and both choices."""
from __future__ import annotations

from conftest import charts, no_exception, texts


def test_optimiser_page_shows_front_and_choices(page):
    at = page("optimise")
    at.run()
    no_exception(at)
    assert at.header[0].value == "Best split"
    at.number_input(key="opt_years").set_value(2)
    at.number_input(key="opt_trials").set_value(2)
    at.number_input(key="opt_reps").set_value(1)
    at.button(key="opt_run").click().run()
    no_exception(at)
    body = texts(at)
    assert "Best on average" in body and "Robust" in body
    assert len(charts(at)) == 1
    front = at.dataframe[0].value
    assert {"consultants", "health_staff", "treatment", "extra_returns", "net_present_cost_mio", "p_payback"} <= set(front.columns)
    r = at.session_state["optimise"]["result"]
    before = len(r.candidates)
    at.number_input(key="opt_budget").set_value(0.0)
    at.button(key="opt_run").click().run()
    assert "above DKK 0 m" in texts(at)
    assert len(at.session_state["optimise"]["result"].candidates) == before and "Best on average" in texts(at)
