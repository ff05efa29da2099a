"""`sensitivity` then `sensitivity-report` through the argparse commands, as rtwsim wires them."""

from __future__ import annotations

import argparse

import pandas as pd
import yaml

from cli.main import main
from cli.sensitivity import register


def test_commands_register_on_a_foreign_parser():
    parser = argparse.ArgumentParser(prog="rtwsim")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sensitivity", "p.yaml", "--out", "d", "--scheduler", "tcp://127.0.0.1:1"])
    assert args.func.__name__ == "run_sensitivity" and args.jobs is None
    args = parser.parse_args(["sensitivity-report", "d", "-j", "2"])
    assert args.func.__name__ == "run_report" and args.jobs == 2


def test_run_then_report_writes_tables_and_plots(tmp_path, capsys):
    problem = tmp_path / "linear.yaml"
    problem.write_text(yaml.safe_dump({
        "function": "sensitivity.testfunctions:linear", "method": "morris", "samples": 6, "seed": 2,
        "outputs": ["y"],
        "parameters": [{"path": "a", "bounds": [0, 2]}, {"path": "b", "bounds": [-1, 1]},
                       {"path": "c", "bounds": [5, 6]}]}))
    out = tmp_path / "study"
    assert main(["sensitivity", str(problem), "--out", str(out), "-j", "1", "--no-progress"]) == 0
    printed = capsys.readouterr()
    assert "mu_star" in printed.out and "24 runs on serial" in printed.err
    # running again without --resume is refused; with --resume there is nothing left to do
    assert main(["sensitivity", str(problem), "--out", str(out), "-j", "1", "--no-progress"]) == 2
    assert main(["sensitivity", str(problem), "--out", str(out), "-j", "1", "--no-progress",
                 "--resume"]) == 0
    assert "nothing to run" in capsys.readouterr().err

    assert main(["sensitivity-report", str(out), "-j", "1", "--no-progress"]) == 0
    for name in ("indices.csv", "morris.html", "tornado.csv", "tornado.html"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "morris.html").read_text()
    assert "Morris screening: y" in page
    # self-contained: plotly.js inlined once, no file next to the page (a moved page still draws)
    assert not (out / "plotly.min.js").exists() and 'src="plotly.min.js"' not in page
    assert page.count("* plotly.js v") == 1
    tornado = pd.read_csv(out / "tornado.csv").set_index("parameter")
    # y = 3a - 2b at base (1, 0, 5.5): a over [0, 2] swings y by 6, b over [-1, 1] by 4, c by 0
    assert tornado.loc["a", "swing"] == 6.0 and tornado.loc["b", "swing"] == 4.0
    assert tornado.loc["c", "swing"] == 0.0
    assert tornado.loc["b", "y_low"] == 5.0  # 3*1 - 2*(-1)
