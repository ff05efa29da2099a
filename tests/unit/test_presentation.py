"""presentation: one number format per language, self-contained pages, human names for every identifier."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from presentation import html, labels, numbers


@pytest.mark.parametrize("lang,big,share,money,span", [
    ("da", "1.234,5", "54,3%", "-12,3 mio. kr.", "1,0 til 2,0"),
    ("en", "1,234.5", "54.3%", "-12.3 DKK m", "1.0 to 2.0"),
])
def test_one_number_format_per_language(lang, big, share, money, span):
    assert numbers.number(1234.5, 1, lang) == big
    assert numbers.percent(0.543, 1, lang) == share
    assert numbers.mdkk(-12.3e6, 1, lang) == money
    assert numbers.interval(numbers.number(1, 1, lang), numbers.number(2, 1, lang), lang) == span
    assert numbers.number(float("nan"), 1, lang) == "-"


def test_core_text_cells_are_localised():
    assert numbers.localise("+1,234.5 (-3.0 to 4.0) mio. DKK", "da") == "+1.234,5 (-3,0 til 4,0) mio. kr."
    assert numbers.localise("Cost of the plan (mio. DKK)", "en") == "Cost of the plan (DKK m)"
    assert numbers.localise(2026, "da") == 2026


def test_page_is_self_contained_with_plotly_inlined_once(tmp_path):
    figs = [go.Figure(go.Bar(x=["a"], y=[k])) for k in range(3)]
    path = html.write_page(tmp_path / "sub" / "p.html", "Titel", [("Tabel", pd.DataFrame({"x": [1.5]})),
                                                                 *[("", f) for f in figs]], lang="da",
                           intro=["Indledning"], warnings=["pas på"])
    text = path.read_text(encoding="utf-8")
    assert text.count("* plotly.js v") == 1 and text.count("Plotly.newPlot") == 3
    assert "src=" not in text.split("* plotly.js v")[0] and list(tmp_path.joinpath("sub").iterdir()) == [path]
    assert "<html lang='da'>" in text and "Advarsler" in text and "Indledning" in text


def test_every_name_table_has_both_languages():
    for table in (labels.NAME_LABELS, labels.EVIDENCE_LABELS, labels.EVIDENCE_DESCRIPTIONS, labels.PARAMETER_WORDS):
        for key, entry in table.items():
            assert set(entry) == set(labels.LANGS) and all(v.strip() for v in entry.values()), key


def test_shipped_scenarios_have_danish_lines_and_named_pools_and_providers():
    from model import list_scenario_names, load_scenario

    for name in list_scenario_names():
        sc = load_scenario(name)
        assert sc.description and sc.description_da and sc.description_da != sc.description, name
        for ident in [*sc.consultants, *sc.providers, *(g for g, _ in sc.cash_benefit.groups())]:
            assert ident in labels.NAME_LABELS, (name, ident)


def test_evidence_bases_and_sensitivity_parameters_have_names():
    import yaml
    from pathlib import Path

    from model.evidence import known_evidence

    assert set(known_evidence()) <= set(labels.EVIDENCE_LABELS) & set(labels.EVIDENCE_DESCRIPTIONS)
    root = Path(__file__).resolve().parents[2]
    for f in (root / "analysis" / "problems").glob("*.yaml"):
        for p in yaml.safe_load(f.read_text())["parameters"]:
            if not p["path"].startswith("x"):   # x1..x3: the Ishigami test function's own names
                assert labels.parameter_label(p["path"], "da") != p["path"].replace("_", " "), p["path"]


def test_stored_calibration_warnings_translate():
    w = ("tripartite_meeting and coordination_effect trade off (a rise in one is offset by a fall in the other): "
         "rank correlation -0.63 over the accepted sets; they are not separately identifiable from these targets")
    da = labels.translate_warning(w, "da")
    assert "opvejer hinanden" in da and "-0,63" in da and "Trepartssamtaler" in da
    assert labels.translate_warning("something new", "da") == "something new"


def test_budget_year_quantities_have_one_name_in_cli_workbook_and_both_languages():
    """One budget line, one name: the CLI's year table and the workbook take their labels from one list."""
    import pytest

    from analysis.budget_text import TABLE_ROWS
    from presentation.budget_quantities import YEAR_QUANTITIES, label, year_rows
    from presentation.workbook import YEAR_ROWS

    cli = {c: lab for c, lab, _ in TABLE_ROWS}
    book = {c: lab for c, lab, _ in YEAR_ROWS}
    assert cli == book and {u for *_, u in YEAR_ROWS} == {"DKK", "citizens"}
    for column, _ in YEAR_QUANTITIES:
        assert label(column, "da") != label(column, "en")  # each line translated
    assert [c for c, *_ in year_rows("da", columns=["net.total", "cost_scenario"])] == ["cost_scenario", "net.total"]
    with pytest.raises(KeyError, match="allowed"):
        year_rows(columns=["net_profit"])
