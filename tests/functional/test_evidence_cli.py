"""`--evidence all` on the command line: one table per evidence base (issue 13)."""
from cli.main import main
from model.evidence import EFFECT_ASSUMED, known_evidence


def test_compare_under_all_evidence_prints_one_row_per_evidence_base(capsys):
    assert main(["compare", "baseline_standard", "copenhagen_ibbis", "--evidence", "all", "--reps", "2",
                 "--weeks", "80"]) == 0
    out = capsys.readouterr().out
    for head in ("Back at work, pp", "Benefit weeks", "Hazard ratio of return, depression/anxiety",
                 "Hazard ratio of return, stress-related", "Net budget, DKK m"):
        assert head in out
    table = out.split("Net budget, DKK m", 1)[1].split("What each evidence base", 1)[0]
    for ev in known_evidence():
        assert ev in table
    assert "hazard_ratio integrated vs standard[stress_related]" in out   # the trial fit, shown with it


def test_budget_under_all_evidence_marks_assumed_effects(capsys):
    assert main(["budget", "kolding_screening", "--baseline", "baseline_standard", "--years", "1", "--reps", "2",
                 "--evidence", "all"]) == 0
    out = capsys.readouterr().out
    assert all(ev in out for ev in known_evidence())
    assert EFFECT_ASSUMED in out
