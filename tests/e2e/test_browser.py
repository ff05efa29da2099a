"""End-to-end: the real app in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Starts ``streamlit run app.py`` on 127.0.0.1 and a free port, waits for selectors (never for
"networkidle": Streamlit keeps a websocket open), runs the explorer and the default comparison with
few replications, checks the numbers on the page against ``model.run`` / ``model.compare`` for the
same seed, and saves a screenshot of every page under tests/e2e/output/ (gitignored) together with
the measured timings. ``make test`` installs the browser first (scripts/install_browser.sh).
"""
from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "output"
REPS = 3

spec = importlib.util.spec_from_file_location("rtwsim_screenshots", ROOT / "scripts" / "screenshots.py")
shots = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shots)
spec = importlib.util.spec_from_file_location("rtwsim_language", ROOT / "tests" / "app" / "language.py")
language = importlib.util.module_from_spec(spec)
spec.loader.exec_module(language)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser_page():
    assert Path(shots.CHROMIUM).exists(), "no /usr/bin/chromium: run scripts/install_browser.sh (make test does)"
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    with shots.app_server(log=OUT / "streamlit.log") as (base, start), sync_playwright() as p:
        browser = shots.launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        page.set_default_timeout(60_000)
        shots.wait_healthy(base, timeout_s=90)
        shots.open_page(page, f"{base}/?lang=en", "rtwsim - return to work", timeout_s=90)
        page.locator('[data-testid="stPageLink"]').first.wait_for()
        timings["first_page_interactive_s"] = time.perf_counter() - start
        yield page, base, timings
        path = OUT / "timings.json"   # merged: pytest-xdist may split these tests over two workers
        try:
            merged = json.loads(path.read_text()) if path.exists() else {}
        except ValueError:
            merged = {}
        merged.update({k: round(v, 2) for k, v in timings.items()})
        path.write_text(json.dumps(merged, indent=2))
        browser.close()


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+\.\d+", text)]


def test_landing_page_and_language_switch(browser_page):
    page, base, timings = browser_page
    assert timings["first_page_interactive_s"] < 60   # measured and reported; 3 s is the goal on a quiet machine
    for label in ("Scenario explorer", "Compare scenarios", "Investment planner", "Best split", "Calibration", "Sensitivity"):
        assert page.locator('[data-testid="stPageLink"]').filter(has_text=label).count() == 1
    page.get_by_text("Sygedagpenge: sickness benefit").wait_for()
    shots.shoot(page, OUT / "home.png")
    page.locator("[data-testid=stSidebar]").get_by_text("Dansk", exact=True).click()
    page.get_by_role("heading", name="Hvad kan du her?").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="What you can do here").wait_for()


def test_explorer_shows_the_api_numbers(browser_page):
    from model import run
    page, base, timings = browser_page
    t0 = time.perf_counter()
    page.locator('[data-testid="stPageLink"]').filter(has_text="Scenario explorer").click()
    page.get_by_role("button", name="Run simulation").wait_for()
    timings["explorer_interactive_after_click_s"] = time.perf_counter() - t0
    shots.wait_idle(page)
    shots.run_explorer(page, REPS)
    cards = page.locator('[data-testid="stMetric"]')
    assert cards.count() == 4
    api = run("copenhagen_ibbis", reps=REPS, seed=1).summary().set_index("output")
    shown = cards.nth(0).locator('[data-testid="stMetricValue"]').inner_text()
    assert shown == f"{api.loc['recovered_share.all', 'mean'] * 100:.1f}%"
    shown = cards.nth(1).locator('[data-testid="stMetricValue"]').inner_text()
    assert shown == f"{api.loc['mean_benefit_weeks.all', 'mean']:.2f}"
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 1
    shots.shoot(page, OUT / "explorer.png")
    # a download does not rerun the page, so the tab the reader opened stays open
    tab = page.get_by_role("tab", name="Waiting lists and caseloads")
    tab.click()
    page.wait_for_timeout(300)
    _download(page, "⬇ CSV")
    page.wait_for_timeout(500)
    assert tab.get_attribute("aria-selected") == "true"


def test_comparison_shows_the_api_numbers(browser_page):
    from model import compare
    from model.intervals import replication_interval
    page, base, timings = browser_page
    shots.open_page(page, f"{base}/compare?lang=en", "Compare scenarios")
    shots.wait_idle(page)
    timings[f"compare_{REPS}_reps_s"] = shots.run_compare(page, REPS)
    text = page.locator(".st-key-cmp_summary_copenhagen_ibbis").inner_text()

    from model.evidence import known_evidence

    # The default view is 'all evidence bases'; the detail below the table shows the first one.
    cmp = compare(["baseline_standard", "copenhagen_ibbis"], reps=REPS, seed=1,
                  parameter_sets=f"evidence/{known_evidence()[0]}")
    ret = lambda r: r.outputs.set_index("replication").filter(like="returns_per_year.").sum(axis=1)  # noqa: E731
    diff = ret(cmp.results["copenhagen_ibbis"]) - ret(cmp.results["baseline_standard"])
    m, _sd, lo, hi = replication_interval(diff.to_numpy(), cmp.results["copenhagen_ibbis"].n_sets, diff.index.to_numpy())
    sentence = re.search(r"returns ([\d.]+) (more|fewer) citizens to work per year \(95% interval ([-\d.]+) to ([-\d.]+)\)",
                         text)
    assert sentence, text
    assert float(sentence.group(1)) == pytest.approx(abs(m), abs=0.051)
    assert float(sentence.group(3)) == pytest.approx(lo, abs=0.051)
    assert float(sentence.group(4)) == pytest.approx(hi, abs=0.051)
    d = cmp.differences().set_index("output")
    rec = re.search(r"changes by ([-+\d.]+) percentage points \(([-+\d.]+) to ([-+\d.]+)\)", text)
    assert [float(x) for x in rec.groups()] == pytest.approx(
        [100 * d.loc["recovered_share.all", k] for k in ("mean", "ci_low", "ci_high")], abs=0.051)
    wk = re.search(r"benefit changes by ([-+\d.]+) weeks \(([-+\d.]+) to ([-+\d.]+)\)", text)
    assert [float(x) for x in wk.groups()] == pytest.approx(
        [d.loc["mean_benefit_weeks.all", k] for k in ("mean", "ci_low", "ci_high")], abs=0.0051)
    assert "local monitoring data" in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 4   # + Kaplan-Meier by randomised arm
    assert language.found(language.DANISH, _visible_text(page)) == []
    shots.shoot(page, OUT / "compare.png")


def _visible_text(page) -> str:
    """What a reader sees: the page and the sidebar, charts' titles, axes and legends included (SVG text)."""
    return "\n".join(page.locator(sel).first.inner_text() for sel in ('[data-testid="stMain"]',
                                                                      '[data-testid="stSidebar"]'))


def test_danish_comparison_has_no_english_and_its_report_draws_after_a_move(browser_page, tmp_path):
    """The default comparison in Danish: no English word on the page; the report downloaded from it is
    Danish too, and still draws its charts after being moved to another folder, with the network off."""
    page, base, timings = browser_page
    shots.open_page(page, f"{base}/compare?lang=da", shots.header("compare", "da"))
    shots.wait_idle(page)
    timings[f"compare_{REPS}_reps_da_s"] = shots.run_compare(page, REPS, "da")
    text = _visible_text(page)
    assert "flere borgere" in text or "færre borgere" in text
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 4
    assert "Andel stadig på sygedagpenge efter uger siden start" in text   # a chart's title: SVG text is read
    assert len(language.found(language.DANISH, text)) > 10                  # the check reads real words
    assert language.found(language.ENGLISH, text) == [], language.found(language.ENGLISH, text)
    shots.shoot(page, OUT / "compare_da.png")

    first = tmp_path / "downloads" / "comparison_report.html"
    first.parent.mkdir()
    first.write_bytes(_download(page, "⬇ Hent HTML-rapport"))
    moved = tmp_path / "elsewhere" / "rapport.html"
    moved.parent.mkdir()
    first.rename(moved)
    report = page.context.browser.new_page()
    requests = []
    report.route("**/*", lambda route: (requests.append(route.request.url),
                                        route.continue_() if route.request.url.startswith("file:") else route.abort()))
    report.goto(moved.as_uri(), wait_until="load")
    report.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert report.locator(".js-plotly-plot").count() == 3           # every chart drawn, plotly.js inlined
    assert report.locator(".js-plotly-plot .scatterlayer .trace").count() > 3
    assert [u for u in requests if not u.startswith("file:")] == []  # nothing fetched from anywhere else
    body = report.locator("body").inner_text()
    assert "Forskelle mod basis" in body
    assert language.found(language.ENGLISH, body) == [], language.found(language.ENGLISH, body)
    report.close()


@pytest.mark.parametrize("name,header", [("investment", "Investment planner"), ("optimise", "Best split"), ("calibration", "Calibration"),
                                         ("sensitivity", "Sensitivity")])
def test_other_pages_render(browser_page, name, header):
    page, base, _ = browser_page
    shots.open_page(page, f"{base}/{name}?lang=en", header)
    shots.wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    shots.shoot(page, OUT / f"{name}.png")


def test_bad_upload_shows_a_message_and_the_app_keeps_running(browser_page):
    page, base, _ = browser_page
    shots.open_page(page, f"{base}/explorer?lang=en", "Scenario explorer")
    shots.wait_idle(page)
    page.get_by_text("Upload YAML files").first.click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "notes.yaml", "mimeType": "text/yaml", "buffer": b"name: [unclosed\n  - : :"}])
    page.get_by_text("is not valid YAML").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_text("Upload YAML files").first.click()
    page.get_by_role("button", name="Run simulation").wait_for()


def _download(page, button: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).first.click()
    return Path(info.value.path()).read_bytes()


def test_plan_outcomes_save_and_compare(browser_page):
    """Plan 5 mio./year, see outcomes by year, save the plan, put it in Compare; bad input keeps results."""
    import datetime
    import io

    import pandas as pd

    from model.investment import plan_from_yaml
    from model.scenario import load_scenario

    page, base, timings = browser_page
    shots.open_page(page, f"{base}/investment?lang=en", "Investment planner")
    shots.wait_idle(page)
    shots.set_number(page, "Budget per year (DKK m)", 5)
    shots.set_number(page, "Replications", 2)
    # one run of the plan, on the scenario files' parameters: the side-by-side view under every evidence base
    # is test_comparison_shows_the_api_numbers's; here it would triple the time
    shots.select_option(page, "Body of evidence", "none (parameters as in the scenario files)")
    shots.wait_idle(page)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Compute the budget effect").click()
    page.get_by_text("Outcomes of the plan by year").first.wait_for(timeout=300_000)
    timings["investment_plan_2_reps_s"] = time.perf_counter() - t0
    shots.wait_idle(page)
    year = datetime.date.today().year
    funded = len(load_scenario("hjorring_investment").investment.years)  # the page keeps the scenario's funded years
    outcomes = pd.read_csv(io.BytesIO(_download(page, "⬇ CSV")))
    assert list(outcomes.columns[1:1 + funded]) == [f"{year + i} *" for i in range(funded)]
    assert f"{year + funded}" in outcomes.columns
    assert "Returns to work, plan" in set(outcomes.iloc[:, 0])
    saved = _download(page, "⬇ Save the plan (YAML)")
    inv, scn = plan_from_yaml(saved.decode("utf-8"))
    assert scn == "hjorring_investment" and set(inv.dkk_by_year().values()) == {5e6}
    assert min(inv.dkk_by_year()) == year and inv.share_for_target_group == 1.0
    # load it back after changing the budget: the widgets return to the saved plan
    shots.set_number(page, "Budget per year (DKK m)", 7)
    shots.wait_idle(page)
    page.locator('.st-key-inv_upload input[type="file"]').set_input_files(
        files=[{"name": "investment_plan.yaml", "mimeType": "text/yaml", "buffer": saved}])
    page.get_by_text("investment_plan.yaml").first.wait_for()
    shots.wait_idle(page)
    box = page.locator('input[aria-label="Budget per year (DKK m)"]').first
    for _ in range(50):   # the upload's rerun sets the widgets; give the browser a moment to draw them
        if box.input_value() == "5.00":
            break
        page.wait_for_timeout(200)
    assert box.input_value() == "5.00"
    # bad input: a split that does not add up gets a named message, and the results stay on the page
    shots.set_number(page, "Purchased treatment", 40)
    shots.wait_idle(page)
    page.get_by_text("must add up to 100%").first.wait_for()
    assert page.get_by_text("Outcomes of the plan by year").count() >= 1
    assert page.get_by_role("button", name="Compute the budget effect").is_disabled()
    shots.set_number(page, "Purchased treatment", 0)
    shots.wait_idle(page)
    shots.shoot(page, OUT / "investment_plan.png")
    page.get_by_role("button", name="Put the plan in Compare").click()
    page.get_by_text("are picked on the Compare page").first.wait_for()
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Compare scenarios").click()
    page.get_by_role("heading", name="Compare scenarios").first.wait_for()
    shots.wait_idle(page)
    shots.set_number(page, "Replications", 2)
    shots.select_option(page, "Body of evidence", "none (parameters as in the scenario files)")
    shots.wait_idle(page)
    page.get_by_role("button", name="Compare", exact=True).click()
    # the plan is named by scenario, budget, funded years, first year and split (app_pages.investment._plan_name)
    summary = page.locator(f'[class*="st-key-cmp_summary_hjorring_investment_plan_5mio_{funded}y_{year}_"]')
    summary.wait_for(timeout=300_000)
    assert f"hjorring_before_investment_{year}_10y" in summary.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    shots.shoot(page, OUT / "compare_plan.png")
