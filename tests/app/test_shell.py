"""app.py itself: landing page, navigation, language switch; the label table; downloads' contents."""
from __future__ import annotations

import io
import re
import string

import pandas as pd
from conftest import no_exception, texts

from app_pages import i18n


def test_landing_page_links_every_page_and_explains_terms(app):
    app.run()
    no_exception(app)
    assert app.header[0].value == "rtwsim - return to work"
    links = [el for el in app.get("page_link")]
    assert len(links) == 6
    body = texts(app)
    for term in ("Sygedagpenge", "Jobafklaringsforløb", "Trepartssamtale", "Efterværn", "Sagsstamme"):
        assert term in body
    assert "local monitoring data" in body


def test_language_switch_to_danish_and_back(app):
    app.run()
    app.session_state["lang"] = "da"
    app.run()
    no_exception(app)
    assert app.subheader[0].value == "Hvad kan du her?"
    assert "Sygedagpenge: ydelsen under sygefravær" in texts(app)
    app.session_state["lang"] = "en"
    app.run()
    assert app.subheader[0].value == "What you can do here"


def test_default_language_is_danish():
    from streamlit.testing.v1 import AppTest
    from conftest import APP
    at = AppTest.from_file(APP, default_timeout=120).run()
    no_exception(at)
    assert at.session_state["lang"] == "da" and at.header[0].value == "rtwsim - tilbage til arbejde"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_label_has_both_languages_with_the_same_placeholders():
    for table in (i18n.LABELS, i18n.TERMS, i18n.METRIC_LABELS, i18n.GROUP_LABELS, i18n.EFFECT_LABELS):
        for key, entry in table.items():
            assert set(entry) == set(i18n.LANGS), key
            assert _fields(entry["da"]) == _fields(entry["en"]), key
            assert entry["da"].strip() and entry["en"].strip(), key


def test_every_label_key_used_in_the_pages_exists():
    import pathlib
    root = pathlib.Path(i18n.__file__).parent
    used = set()
    for f in list(root.glob("*.py")) + [root.parent / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']""", f.read_text(encoding="utf-8")))
    assert used and not (used - set(i18n.LABELS)), sorted(used - set(i18n.LABELS))


def test_metric_labels_cover_the_model_outputs():
    from model import SPELL_METRICS, WEEKLY_METRICS
    assert set(SPELL_METRICS) | set(WEEKLY_METRICS) <= set(i18n.METRIC_LABELS)


def test_excel_and_csv_downloads_hold_the_table():
    from app_pages.common import to_excel_bytes
    df = pd.DataFrame({"output": ["recovered_share.all", "mean_benefit_weeks.all"], "mean": [0.54, 22.3]})
    back = pd.read_excel(io.BytesIO(to_excel_bytes(df, "summary")), engine="openpyxl")
    pd.testing.assert_frame_equal(back, df)


def test_html_report_is_self_contained():
    import plotly.graph_objects as go
    from app_pages.common import report_html
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    page = report_html("rtwsim: test", ["intro line"], [("A table", pd.DataFrame({"x": [1.5]})), ("A chart", fig)])
    text = page.decode("utf-8")
    assert text.startswith("<!doctype html>") and "<table" in text and "intro line" in text
    assert "plotly.js" in text.lower() or "Plotly.newPlot" in text   # plotly.js inlined once, works offline
    assert text.count("<script") >= 2
