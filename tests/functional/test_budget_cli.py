"""`rtwsim budget` writes CSV + a readable workbook; `rtwsim report` writes one self-contained HTML file."""
import openpyxl
import pytest
import pandas as pd

from cli.main import main


def test_budget_cli_writes_tables_and_workbook(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["budget", "copenhagen_ibbis", "--baseline", "baseline_standard", "--reps", "2", "--years", "2",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Payback year" in text and "Net effect by payer" in text
    by = pd.read_csv(out / "budget_by_year.csv")
    assert list(by["year"]) == [1, 2]
    assert (by["net.total"] - (by["net.municipality"] + by["net.state"] + by["net.region"])).abs().max() < 1e-3
    wb = openpyxl.load_workbook(out / "budget.xlsx")
    assert {"About", "Totals", "By year", "Items", "Headline", "Assumptions"} <= set(wb.sheetnames)
    assert "Plan outcomes by year" in set(wb.sheetnames)
    plan = pd.read_excel(out / "budget.xlsx", sheet_name="Plan outcomes by year")
    assert "Returns to work, plan" in set(plan.iloc[:, 0]) and len(plan.columns) == 3
    # figures are numbers a spreadsheet can add up: the three payers' column cells sum to the public total
    ws = wb["Totals"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    rows = {r[col["line"]]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    for c in ("undiscounted", "present_value", "undiscounted_low", "present_value_high"):
        assert all(isinstance(rows[k][col[c]], (int, float)) for k in rows)
    payers = sum(rows[f"net.{p}"][col["undiscounted"]] for p in ("municipality", "state", "region"))
    assert abs(payers - rows["net.total"][col["undiscounted"]]) < 1e-3
    pv = sum(rows[f"net.{p}"][col["present_value"]] for p in ("municipality", "state", "region"))
    assert abs(pv - rows["net.total"][col["present_value"]]) < 1e-3
    # the items sheet: numeric mean per item, payer and year; the scenario's items add up to its public cost
    items = pd.read_excel(out / "budget.xlsx", sheet_name="Items")
    assert items["mean"].dtype.kind == "f" and {"low", "high", "payer", "calendar_year"} <= set(items.columns)
    pub = items[items["payer"].isin(["municipality", "state", "region"]) & (items["scenario"] == "copenhagen_ibbis")]
    assert abs(pub.groupby("year")["mean"].sum().to_numpy() - by["cost_scenario"].to_numpy()).max() < 1.0
    about = dict(wb["About"].iter_rows(min_row=2, values_only=True))
    assert about["scenario"] == "copenhagen_ibbis" and about["seed"] == "1" and about["rtwsim version"]
    assert "simulation noise only" in about["intervals include"]


def test_budget_cli_parameter_sets_say_they_include_calibration_uncertainty(tmp_path, capsys):
    out = tmp_path / "p"
    assert main(["budget", "copenhagen_ibbis", "--baseline", "baseline_standard", "--reps", "2", "--years", "1",
                 "--parameter-sets", "calibrated/copenhagen_ibbis", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Present value (discount rate 3.5%)" in text
    assert "Intervals include: simulation noise and calibration uncertainty" in text
    wb = openpyxl.load_workbook(out / "budget.xlsx")
    about = dict(wb["About"].iter_rows(min_row=2, values_only=True))
    assert about["parameter sets"] == "calibrated/copenhagen_ibbis"
    assert "calibration uncertainty" in about["intervals include"]


def test_budget_cli_refuses_unpaired_baseline(capsys):
    assert main(["budget", "hjorring_investment", "--baseline", "baseline_standard", "--reps", "1", "--years", "1",
                 "--set", "economics.start_year=2015"]) == 2
    assert "differ in 'arrivals'" in capsys.readouterr().err


@pytest.mark.parametrize("verb", ["budget", "report"])
@pytest.mark.parametrize("flag, value", [("--jobs", "1000"), ("--reps", "10000000")])
def test_budget_and_report_bound_jobs_and_reps_like_run(verb, flag, value, capsys):
    """The same memory and process bounds as run/compare (issue 15): refused before any simulation."""
    args = [verb, "copenhagen_ibbis", *(["--baseline", "baseline_standard"] if verb == "budget" else ["baseline_standard"])]
    with pytest.raises(SystemExit) as exc:
        main([*args, flag, value])
    assert exc.value.code == 2
    assert flag in capsys.readouterr().err


def test_report_is_self_contained(tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "baseline_standard", "copenhagen_ibbis", "--reps", "2", "--years", "1", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and "Plotly" in html and "Budget by year" in html


def test_budget_outputs_match_the_paired_present_value():
    """diff.budget_npv.public (scenario - baseline, per replication) is minus the headline's npv.total."""
    from sensitivity.evaluators import make_evaluator
    from sensitivity.problem import SensitivityProblem
    from model import evaluate, load_scenario
    from model.economics import compare_budgets
    from model.experiment import run

    a = run("copenhagen_ibbis", reps=2, seed=3, weeks=104)
    b = run("baseline_standard", reps=2, seed=3, weeks=104)
    h = compare_budgets(a, b).headline()
    assert "budget_npv.public" not in a.outputs  # opt-in: ordinary runs do not pay for it
    out = evaluate(load_scenario("copenhagen_ibbis"), 3, reps=2, baseline=load_scenario("baseline_standard"),
                   weeks=104, budget=True)
    assert abs(out["diff.budget_npv.public"] + h["npv.total"]) < 1e-3 * max(1.0, abs(h["npv.total"]))
    for p in ("municipality", "state", "region"):
        assert abs(out[f"diff.budget_npv.{p}"] + h[f"npv.{p}"]) < 1e-3 * max(1.0, abs(h[f"npv.{p}"]))
    # a sensitivity study asking for a budget output gets an evaluator that computes it
    prob = SensitivityProblem(scenario="copenhagen_ibbis", baseline="baseline_standard", method="morris", samples=2,
                              seed=1, outputs=["diff.budget_npv.public"],
                              parameters=[{"path": "economics.tax.tax_rate", "bounds": [0.3, 0.45]}])
    assert make_evaluator(prob).budget


def test_report_with_parameter_sets_says_what_the_intervals_include(tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "baseline_standard", "copenhagen_ibbis", "--reps", "2", "--years", "1",
                 "--parameter-sets", "calibrated/copenhagen_ibbis", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "simulation noise and calibration uncertainty" in html and "present value" in html
