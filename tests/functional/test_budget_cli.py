"""`rtwsim budget` writes CSV + a readable workbook; `rtwsim report` writes one self-contained HTML file."""
import openpyxl
import pandas as pd

from model.cli import main


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
    assert {"Summary", "By year", "Assumptions", "Plan outcomes by year"} <= set(wb.sheetnames)
    plan = pd.read_excel(out / "budget.xlsx", sheet_name="Plan outcomes by year")
    assert "Returns to work, plan" in set(plan.iloc[:, 0]) and len(plan.columns) == 3


def test_budget_cli_refuses_unpaired_baseline(capsys):
    assert main(["budget", "hjorring_investment", "--baseline", "baseline_standard", "--reps", "1", "--years", "1",
                 "--set", "economics.start_year=2015"]) == 2
    assert "differ in 'arrivals'" in capsys.readouterr().err


def test_report_is_self_contained(tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "baseline_standard", "copenhagen_ibbis", "--reps", "2", "--years", "1", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and "Plotly" in html and "Budget by year" in html
